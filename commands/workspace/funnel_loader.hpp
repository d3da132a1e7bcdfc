// Reads what the analysis needs about one rep from storage.
#pragma once

#include <map>
#include <optional>

#include "analysis/balance_check.hpp"
#include "commands/command_context.hpp"
#include "storage/records.hpp"

namespace funnelbot::commands {

// Responsible lines, every opportunity of the rep, current accounts with their lines, line
// popularity among the rep's team (or the workspace), and the goals in force for the rep.
analysis::RepFunnel load_rep_funnel(storage::Database& db, const storage::Workspace& ws,
                                    const storage::User& rep, const analysis::Clock& clock);

// Line popularity among the current customers of `rep`'s peers: the rep's team, or the whole
// workspace for a rep in no team. A team report computes it once for all its reps.
std::map<analysis::Id, std::int64_t> peer_line_popularity(storage::Database& db,
                                                          const storage::Workspace& ws,
                                                          std::optional<analysis::Id> team_id);

// Without the cross-sell input (current accounts and line popularity): what a team summary
// needs, at a fraction of the reads.
analysis::RepFunnel load_rep_funnel_without_cross_sell(storage::Database& db,
                                                       const storage::Workspace& ws,
                                                       const storage::User& rep,
                                                       const analysis::Clock& clock);

}  // namespace funnelbot::commands

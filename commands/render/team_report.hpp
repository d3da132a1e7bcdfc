// Builds a team's summary from storage, one rep at a time (bounded memory).
#pragma once

#include "analysis/team_summary.hpp"
#include "storage/database.hpp"
#include "storage/records.hpp"

namespace funnelbot::commands {

analysis::TeamSummary build_team_summary(storage::Database& db, const storage::Workspace& ws,
                                         const storage::Team& team, const analysis::Clock& clock);

}  // namespace funnelbot::commands

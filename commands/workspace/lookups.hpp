// Name lookups shared by handlers, each with the "did you mean" reply users expect.
#pragma once

#include <string>

#include "analysis/funnel_types.hpp"
#include "commands/command_context.hpp"
#include "commands/user_error.hpp"
#include "storage/records.hpp"

namespace funnelbot::commands {

// An active product line by name (case-insensitive). Unknown: "Unknown product line
// "Widgts". Did you mean "Widgets"? Known: …"; retired lines are refused unless allowed.
Result<analysis::ProductLine> find_product_line(CommandContext& ctx, const std::string& name,
                                                bool allow_retired = false);

Result<storage::Team> find_team(CommandContext& ctx, const std::string& name);

// The actor's own opportunity or one they may change (admins: any; managers: their reps').
Result<analysis::Opportunity> find_own_opportunity(CommandContext& ctx, analysis::Id id);

// Admins only; a specific refusal otherwise.
std::optional<UserError> require_admin(CommandContext& ctx, std::string_view what);

}  // namespace funnelbot::commands

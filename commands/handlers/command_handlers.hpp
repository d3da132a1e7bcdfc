// One handler per typed command; each lives in its own .cpp. A handler runs inside the
// transaction command_dispatch opens, returns a Reply, and reports a user's mistake as a
// UserError (the transaction is then rolled back, so nothing is half-written).
#pragma once

#include "commands/command.hpp"
#include "commands/command_context.hpp"
#include "commands/reply.hpp"
#include "commands/user_error.hpp"

namespace funnelbot::commands {

Result<Reply> handle(CommandContext& ctx, const OppAdd& cmd);        // opp_add.cpp
Result<Reply> handle(CommandContext& ctx, const OppList& cmd);       // opp_list.cpp
Result<Reply> handle(CommandContext& ctx, const OppUpdate& cmd);     // opp_update.cpp
Result<Reply> handle(CommandContext& ctx, const OppClose& cmd);      // opp_close.cpp
Result<Reply> handle(CommandContext& ctx, const FunnelCheck& cmd);   // funnel_check.cpp
Result<Reply> handle(CommandContext& ctx, const FunnelReview& cmd);  // funnel_review.cpp
Result<Reply> handle(CommandContext& ctx,
                     const TeamSummaryRequest& cmd);                   // team_summary_command.cpp
Result<Reply> handle(CommandContext& ctx, const ProductAdd& cmd);      // product_admin.cpp
Result<Reply> handle(CommandContext& ctx, const ProductList& cmd);     // product_admin.cpp
Result<Reply> handle(CommandContext& ctx, const ProductRetire& cmd);   // product_admin.cpp
Result<Reply> handle(CommandContext& ctx, const LinesAssign& cmd);     // lines_admin.cpp
Result<Reply> handle(CommandContext& ctx, const CustomerMark& cmd);    // customer_admin.cpp
Result<Reply> handle(CommandContext& ctx, const TeamManagerSet& cmd);  // team_admin.cpp
Result<Reply> handle(CommandContext& ctx, const TeamMember& cmd);      // team_admin.cpp
Result<Reply> handle(CommandContext& ctx, const RoleSet& cmd);         // people_admin.cpp
Result<Reply> handle(CommandContext& ctx, const UserLeft& cmd);        // people_admin.cpp
Result<Reply> handle(CommandContext& ctx, const GoalsSet& cmd);        // goals_admin.cpp
Result<Reply> handle(CommandContext& ctx, const RemindersSet& cmd);    // workspace_admin.cpp
Result<Reply> handle(CommandContext& ctx, const WorkspaceSet& cmd);    // workspace_admin.cpp
Result<Reply> handle(CommandContext& ctx, const Help& cmd);            // funnel_help.cpp

}  // namespace funnelbot::commands

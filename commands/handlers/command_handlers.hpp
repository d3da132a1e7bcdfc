// One handler per typed command, with the grammar that produces it, in one .cpp per concept. A
// handler runs inside the transaction command_dispatch opens, returns a Reply, and reports a
// user's mistake as a UserError (the transaction is then rolled back, so nothing is
// half-written). A grammar reads the arguments after its command table entry's path and answers
// a wrong form with the entry's usage line (commands/command_table.hpp).
#pragma once

#include <span>
#include <string_view>

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
Result<Reply> handle(CommandContext& ctx, const UserLink& cmd);        // user_link.cpp
Result<Reply> handle(CommandContext& ctx, const GoalsSet& cmd);        // goals_admin.cpp
Result<Reply> handle(CommandContext& ctx, const RemindersSet& cmd);    // workspace_admin.cpp
Result<Reply> handle(CommandContext& ctx, const WorkspaceSet& cmd);    // workspace_admin.cpp
Result<Reply> handle(CommandContext& ctx, const Help& cmd);            // funnel_help.cpp

using ArgSpan = std::span<const Arg>;

Result<Command> parse_opp_add(ArgSpan args, std::string_view usage);         // opp_add.cpp
Result<Command> parse_opp_list(ArgSpan args, std::string_view usage);        // opp_list.cpp
Result<Command> parse_opp_update(ArgSpan args, std::string_view usage);      // opp_update.cpp
Result<Command> parse_opp_won(ArgSpan args, std::string_view usage);         // opp_close.cpp
Result<Command> parse_opp_lost(ArgSpan args, std::string_view usage);        // opp_close.cpp
Result<Command> parse_opp_remove(ArgSpan args, std::string_view usage);      // opp_close.cpp
Result<Command> parse_funnel_check(ArgSpan args, std::string_view usage);    // funnel_check.cpp
Result<Command> parse_funnel_review(ArgSpan args, std::string_view usage);   // funnel_review.cpp
Result<Command> parse_team_summary(ArgSpan args, std::string_view usage);    // team_summary.cpp
Result<Command> parse_product_add(ArgSpan args, std::string_view usage);     // product_admin.cpp
Result<Command> parse_product_list(ArgSpan args, std::string_view usage);    // product_admin.cpp
Result<Command> parse_product_retire(ArgSpan args, std::string_view usage);  // product_admin.cpp
Result<Command> parse_lines(ArgSpan args, std::string_view usage);           // lines_admin.cpp
Result<Command> parse_customer(ArgSpan args, std::string_view usage);        // customer_admin.cpp
Result<Command> parse_team(ArgSpan args, std::string_view usage);            // team_admin.cpp
Result<Command> parse_role(ArgSpan args, std::string_view usage);            // people_admin.cpp
Result<Command> parse_user(ArgSpan args, std::string_view usage);            // people_admin.cpp
// `user link "<owner>" @user`, after the word link (user_link.cpp).
Result<Command> parse_user_link(ArgSpan args, std::string_view usage);
Result<Command> parse_goals(ArgSpan args, std::string_view usage);        // goals_admin.cpp
Result<Command> parse_reminders(ArgSpan args, std::string_view usage);    // workspace_admin.cpp
Result<Command> parse_workspace(ArgSpan args, std::string_view usage);    // workspace_admin.cpp
Result<Command> parse_funnel_help(ArgSpan args, std::string_view usage);  // funnel_help.cpp

// /funnel-review reads, except `reminders on|off`, which changes a setting (funnel_review.cpp).
bool funnel_review_reads_only(const Command& command);

}  // namespace funnelbot::commands

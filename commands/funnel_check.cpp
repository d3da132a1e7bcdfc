#include "analysis/balance_check.hpp"
#include "commands/command_handlers.hpp"
#include "commands/funnel_loader.hpp"
#include "commands/funnel_replies.hpp"
#include "commands/user_directory.hpp"

namespace funnelbot::commands {

Result<Reply> handle(CommandContext& ctx, const FunnelCheck& cmd) {
    storage::User rep = ctx.actor;
    if (cmd.rep) {
        auto target = resolve_user(ctx, *cmd.rep, false);
        if (!target)
            return target.error();
        if (!can_act_for(ctx, *target)) {
            return UserError{
                "You can check your own funnel; managers can check the reps of their team, "
                "and " +
                display_name(*target) + " is not in yours."};
        }
        rep = *target;
    }
    const auto funnel = load_rep_funnel(ctx.db, ctx.workspace, rep, ctx.clock);
    const auto report = analysis::check_balance(funnel);
    return funnel_check_reply(report, funnel.goals, display_name(rep), rep.id == ctx.actor.id,
                              ctx.workspace.currency);
}

}  // namespace funnelbot::commands

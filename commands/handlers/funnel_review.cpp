#include "analysis/weekend_review.hpp"
#include "commands/handlers/command_handlers.hpp"
#include "commands/workspace/funnel_loader.hpp"
#include "commands/render/funnel_replies.hpp"
#include "commands/workspace/user_directory.hpp"
#include "storage/user_repository.hpp"

namespace funnelbot::commands {

Result<Reply> handle(CommandContext& ctx, const FunnelReview& cmd) {
    if (cmd.reminders) {
        storage::User me = ctx.actor;
        me.reminders_on = *cmd.reminders;
        storage::UserRepository(ctx.db).update(me);
        Reply reply;
        reply.title = "Friday reminder";
        reply.verdict = Verdict::good;
        reply.summary =
            *cmd.reminders
                ? "Your Friday reminder is on: the review arrives as a direct message."
                : "Your Friday reminder is off. /funnel-review reminders on brings it back.";
        return reply;
    }
    auto subject = subject_of(ctx, cmd.rep, "review a funnel");
    if (!subject) return subject.error();
    const storage::User& rep = *subject;
    const auto report =
        analysis::check_balance(load_rep_funnel(ctx.db, ctx.workspace, rep, ctx.clock));
    return weekend_review_reply(analysis::weekend_review(report), display_name(rep),
                                rep.id == ctx.actor.id);
}

}  // namespace funnelbot::commands

#include "analysis/weekend_review.hpp"
#include "commands/grammar/arguments.hpp"
#include "commands/handlers/command_handlers.hpp"
#include "commands/render/funnel_replies.hpp"
#include "commands/workspace/funnel_loader.hpp"
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

Result<Command> parse_funnel_review(std::span<const Arg> args, std::string_view usage) {
    FunnelReview cmd;
    if (!args.empty() && is_word(args[0], "reminders")) {
        if (args.size() != 2 || !(is_word(args[1], "on") || is_word(args[1], "off"))) {
            return wrong("Say reminders on or reminders off.", usage);
        }
        cmd.reminders = is_word(args[1], "on");
        return Command{cmd};
    }
    for (const auto& a : args) {
        if (a.kind != Arg::Kind::mention || cmd.rep) {
            return wrong("Unexpected " + describe(a) + ". Name at most one rep, as a mention.",
                         usage);
        }
        cmd.rep = a.mention;
    }
    return Command{cmd};
}

bool funnel_review_reads_only(const Command& command) {
    // `reminders on|off` changes the person's own setting.
    const auto* review = std::get_if<FunnelReview>(&command);
    return review == nullptr || !review->reminders.has_value();
}

}  // namespace funnelbot::commands

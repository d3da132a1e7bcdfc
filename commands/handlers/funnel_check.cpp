#include "analysis/balance_check.hpp"
#include "commands/grammar/arguments.hpp"
#include "commands/handlers/command_handlers.hpp"
#include "commands/render/funnel_replies.hpp"
#include "commands/workspace/funnel_loader.hpp"
#include "commands/workspace/user_directory.hpp"

namespace funnelbot::commands {

Result<Reply> handle(CommandContext& ctx, const FunnelCheck& cmd) {
    auto subject = subject_of(ctx, cmd.rep, "check a funnel");
    if (!subject) return subject.error();
    const storage::User& rep = *subject;
    const auto funnel = load_rep_funnel(ctx.db, ctx.workspace, rep, ctx.clock);
    const auto report = analysis::check_balance(funnel);
    return funnel_check_reply(report, funnel.goals, display_name(rep), rep.id == ctx.actor.id,
                              ctx.workspace.currency);
}

Result<Command> parse_funnel_check(std::span<const Arg> args, std::string_view usage) {
    FunnelCheck cmd;
    for (const auto& a : args) {
        if (a.kind != Arg::Kind::mention || cmd.rep) {
            return wrong("Unexpected " + describe(a) + ". Name at most one rep, as a mention.",
                         usage);
        }
        cmd.rep = a.mention;
    }
    return Command{cmd};
}

}  // namespace funnelbot::commands

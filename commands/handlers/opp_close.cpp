#include "commands/grammar/arguments.hpp"
#include "commands/handlers/command_handlers.hpp"
#include "commands/render/opportunity_text.hpp"
#include "commands/workspace/lookups.hpp"
#include "storage/opportunity_repository.hpp"

namespace funnelbot::commands {

Result<Reply> handle(CommandContext& ctx, const OppClose& cmd) {
    auto found = find_own_opportunity(ctx, cmd.id);
    if (!found) return found.error();
    analysis::Opportunity opp = *found;
    storage::OpportunityRepository opps(ctx.db);
    Reply reply;
    reply.verdict = Verdict::good;
    if (cmd.action == OppClose::Action::remove) {
        opps.remove(ctx.workspace.id, opp.id);
        reply.title = "Opportunity removed";
        reply.summary = "Removed " + describe_opportunity(opp, ctx.workspace.currency) + ".";
        return reply;
    }
    const auto stage =
        cmd.action == OppClose::Action::won ? analysis::Stage::won : analysis::Stage::lost;
    if (opp.stage == stage) {
        return UserError{"#" + std::to_string(opp.id) + " is already " +
                         (stage == analysis::Stage::won ? "won" : "lost") + "."};
    }
    opp.stage = stage;
    opp.closed_at = ctx.clock.now;
    opp.updated_at = ctx.clock.now;
    opps.update(ctx.workspace.id, opp);
    if (stage == analysis::Stage::won) {
        reply.title = "Won — congratulations";
        reply.summary = "Marked won: " + describe_opportunity(opp, ctx.workspace.currency) + ".";
        reply.next_steps.push_back(opp.customer_name +
                                   " is now a current customer: /funnel-check shows which other "
                                   "lines to offer them.");
    } else {
        reply.title = "Marked lost";
        reply.summary = "Marked lost: " + describe_opportunity(opp, ctx.workspace.currency) + ".";
    }
    return reply;
}

namespace {

Result<Command> parse_close(std::span<const Arg> args, OppClose::Action action,
                            std::string_view usage) {
    if (args.empty()) return wrong("Missing the opportunity id.", usage);
    if (args.size() > 1) return wrong("Give exactly one opportunity id.", usage);
    if (args[0].kind != Arg::Kind::word)
        return wrong("Unexpected " + describe(args[0]) + ".", usage);
    auto id = id_value(args[0], usage);
    if (!id) return id.error();
    return Command{OppClose{*id, action}};
}

}  // namespace

Result<Command> parse_opp_won(std::span<const Arg> args, std::string_view usage) {
    return parse_close(args, OppClose::Action::won, usage);
}

Result<Command> parse_opp_lost(std::span<const Arg> args, std::string_view usage) {
    return parse_close(args, OppClose::Action::lost, usage);
}

Result<Command> parse_opp_remove(std::span<const Arg> args, std::string_view usage) {
    return parse_close(args, OppClose::Action::remove, usage);
}

}  // namespace funnelbot::commands

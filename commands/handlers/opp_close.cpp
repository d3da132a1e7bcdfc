#include "commands/handlers/command_handlers.hpp"
#include "commands/workspace/lookups.hpp"
#include "commands/render/opportunity_text.hpp"
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

}  // namespace funnelbot::commands

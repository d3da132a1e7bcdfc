#include "commands/handlers/command_handlers.hpp"
#include "commands/workspace/lookups.hpp"
#include "commands/render/opportunity_text.hpp"
#include "storage/opportunity_repository.hpp"

namespace funnelbot::commands {

Result<Reply> handle(CommandContext& ctx, const OppUpdate& cmd) {
    auto found = find_own_opportunity(ctx, cmd.id);
    if (!found) return found.error();
    analysis::Opportunity opp = *found;
    if (cmd.product) {
        auto line = find_product_line(ctx, *cmd.product);
        if (!line) return line.error();
        opp.product_line_id = line->id;
        opp.product_line_name = line->name;
    }
    if (cmd.amount) opp.amount = *cmd.amount;
    if (cmd.close) opp.close_date = *cmd.close;
    if (cmd.stage && *cmd.stage != opp.stage) {
        opp.stage = *cmd.stage;
        opp.closed_at = analysis::is_open(opp.stage)
                            ? std::nullopt
                            : std::optional<analysis::Instant>(ctx.clock.now);
    }
    opp.updated_at = ctx.clock.now;
    storage::OpportunityRepository(ctx.db).update(ctx.workspace.id, opp);

    Reply reply;
    reply.title = "Opportunity updated";
    reply.verdict = Verdict::good;
    reply.summary = "Updated " + describe_opportunity(opp, ctx.workspace.currency) + ".";
    return reply;
}

}  // namespace funnelbot::commands

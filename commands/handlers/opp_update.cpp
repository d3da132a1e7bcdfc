#include "commands/grammar/arguments.hpp"
#include "commands/grammar/value_parsers.hpp"
#include "commands/handlers/command_handlers.hpp"
#include "commands/render/opportunity_text.hpp"
#include "commands/workspace/lookups.hpp"
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

Result<Command> parse_opp_update(std::span<const Arg> args, std::string_view usage) {
    if (args.empty() || args[0].kind != Arg::Kind::word)
        return wrong("Missing the opportunity id.", usage);
    auto id = id_value(args[0], usage);
    if (!id) return id.error();
    OppUpdate cmd;
    cmd.id = *id;
    bool any = false;
    for (const auto& a : args.subspan(1)) {
        if (a.kind != Arg::Kind::option) return wrong("Unexpected " + describe(a) + ".", usage);
        any = true;
        if (a.key == "stage") {
            if (cmd.stage) return duplicate_option(a, usage);
            auto s = stage_value(a, usage);
            if (!s) return s.error();
            cmd.stage = *s;
        } else if (a.key == "amount") {
            if (cmd.amount) return duplicate_option(a, usage);
            auto m = parse_money(a.text);
            if (!m) return wrong(m.error().message, usage);
            cmd.amount = *m;
        } else if (a.key == "close") {
            if (cmd.close) return duplicate_option(a, usage);
            auto d = parse_date(a.text);
            if (!d) return wrong(d.error().message, usage);
            cmd.close = *d;
        } else if (a.key == "product") {
            if (cmd.product) return duplicate_option(a, usage);
            auto n = checked_name(a.text, "product line", usage);
            if (!n) return n.error();
            cmd.product = *n;
        } else {
            return unknown_option(a, usage);
        }
    }
    if (!any)
        return wrong("Nothing to change: give at least one of stage, amount, close, product.",
                     usage);
    return Command{std::move(cmd)};
}

}  // namespace funnelbot::commands

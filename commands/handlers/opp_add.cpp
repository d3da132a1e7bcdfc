#include <algorithm>

#include "analysis/balance_check.hpp"
#include "commands/grammar/arguments.hpp"
#include "commands/grammar/value_parsers.hpp"
#include "commands/handlers/command_handlers.hpp"
#include "commands/render/opportunity_text.hpp"
#include "commands/workspace/funnel_loader.hpp"
#include "commands/workspace/lookups.hpp"
#include "commands/workspace/user_directory.hpp"
#include "storage/customer_repository.hpp"
#include "storage/opportunity_repository.hpp"

namespace funnelbot::commands {

namespace {
constexpr std::int64_t kMinOpenForWarning = 5;
}  // namespace

Result<Reply> handle(CommandContext& ctx, const OppAdd& cmd) {
    auto subject = subject_of(ctx, cmd.owner, "log opportunities");
    if (!subject) return subject.error();
    const storage::User owner = *subject;
    auto line = find_product_line(ctx, cmd.product);
    if (!line) return line.error();

    storage::CustomerRepository customers(ctx.db);
    const storage::Customer customer = customers.find_or_create(ctx.workspace.id, cmd.customer);

    analysis::Opportunity opp;
    opp.owner_id = owner.id;
    opp.customer_id = customer.id;
    opp.product_line_id = line->id;
    opp.amount = cmd.amount.value_or(0);
    opp.stage = cmd.stage.value_or(analysis::Stage::prospecting);
    opp.customer_type = cmd.type.value_or(customer.status == storage::CustomerStatus::current
                                              ? analysis::CustomerType::existing
                                              : analysis::CustomerType::new_customer);
    opp.close_date = cmd.close;
    opp.created_at = ctx.clock.now;
    opp.updated_at = ctx.clock.now;
    if (!analysis::is_open(opp.stage)) opp.closed_at = ctx.clock.now;
    opp = storage::OpportunityRepository(ctx.db).create(ctx.workspace.id, opp);

    Reply reply;
    reply.title = "Opportunity logged";
    reply.verdict = Verdict::good;
    reply.summary = "Logged " + describe_opportunity(opp, ctx.workspace.currency) +
                    (owner.id == ctx.actor.id ? "" : " for " + display_name(owner)) + ".";
    // A one-line reminder of balance keeps the habit: the full check is one command away.
    const auto funnel = load_rep_funnel(ctx.db, ctx.workspace, owner, ctx.clock);
    const auto report = analysis::check_balance(funnel);
    if (!report.empty && !report.mix.lines.empty()) {
        const auto& top = report.mix.lines.front();
        const auto open = report.mix.open_count;
        std::string line_text = top.name + " is " + std::to_string(top.count_share.percent()) +
                                " % of " + std::to_string(open) + " open opportunit" +
                                (open == 1 ? "y" : "ies") + "; new customers " +
                                std::to_string(report.customers.new_share.percent()) + " %.";
        // Shares of a handful of deals say little; nag only once the funnel has some weight.
        if (report.mix.concentrated && open >= kMinOpenForWarning) {
            reply.warnings.push_back(line_text + " Above the " +
                                     std::to_string(funnel.goals.max_line_pct) +
                                     " % guideline: /funnel-check shows what to do.");
        } else {
            reply.sections.push_back(Section{"", {}, {}, {line_text}, false});
        }
    }
    if (std::any_of(report.outside_lines.begin(), report.outside_lines.end(),
                    [&](const analysis::Opportunity& o) { return o.id == opp.id; })) {
        reply.warnings.push_back(line->name + " is not one of the lines " + display_name(owner) +
                                 " is responsible for, so it is listed apart in /funnel-check.");
    }
    return reply;
}

Result<Command> parse_opp_add(std::span<const Arg> args, std::string_view usage) {
    auto split = split_name(args, {"new", "existing"}, usage);
    if (!split) return split.error();
    OppAdd cmd;
    if (split->name.empty()) {
        return wrong(
            "Missing customer: write the customer's name first, e.g. /opp add Acme Corp "
            "product:Widgets.",
            usage);
    }
    auto customer = checked_name(split->name, "customer name", usage);
    if (!customer) return customer.error();
    cmd.customer = std::move(*customer);
    for (const auto& b : split->bare) {
        const auto t = b == "new" ? CustomerType::new_customer : CustomerType::existing;
        if (cmd.type && *cmd.type != t)
            return wrong("Choose one of new or existing, not both.", usage);
        cmd.type = t;
    }
    bool seen_product = false, seen_amount = false, seen_stage = false, seen_close = false,
         seen_owner = false, seen_type = false;
    for (const auto& o : split->options) {
        auto once = [&](bool& seen) {
            const bool dup = seen;
            seen = true;
            return dup;
        };
        if (o.key == "product") {
            if (once(seen_product)) return duplicate_option(o, usage);
            auto n = checked_name(o.text, "product line", usage);
            if (!n) return n.error();
            cmd.product = *n;
        } else if (o.key == "amount") {
            if (once(seen_amount)) return duplicate_option(o, usage);
            auto m = parse_money(o.text);
            if (!m) return wrong(m.error().message, usage);
            cmd.amount = *m;
        } else if (o.key == "stage") {
            if (once(seen_stage)) return duplicate_option(o, usage);
            auto s = stage_value(o, usage);
            if (!s) return s.error();
            cmd.stage = *s;
        } else if (o.key == "close") {
            if (once(seen_close)) return duplicate_option(o, usage);
            auto d = parse_date(o.text);
            if (!d) return wrong(d.error().message, usage);
            cmd.close = *d;
        } else if (o.key == "owner") {
            if (once(seen_owner)) return duplicate_option(o, usage);
            cmd.owner = mention_of_option(o);
        } else if (o.key == "type") {
            if (once(seen_type)) return duplicate_option(o, usage);
            CustomerType t;
            if (iequals(o.text, "new")) {
                t = CustomerType::new_customer;
            } else if (iequals(o.text, "existing")) {
                t = CustomerType::existing;
            } else {
                return wrong("type must be new or existing, not \"" + o.text + "\".", usage);
            }
            if (cmd.type && *cmd.type != t)
                return wrong("Choose one of new or existing, not both.", usage);
            cmd.type = t;
        } else {
            return unknown_option(o, usage);
        }
    }
    if (cmd.product.empty()) return wrong("Missing product:<line>.", usage);
    return Command{std::move(cmd)};
}

}  // namespace funnelbot::commands

#include <algorithm>

#include "analysis/balance_check.hpp"
#include "commands/handlers/command_handlers.hpp"
#include "commands/workspace/funnel_loader.hpp"
#include "commands/workspace/lookups.hpp"
#include "commands/render/opportunity_text.hpp"
#include "commands/workspace/user_directory.hpp"
#include "commands/grammar/value_parsers.hpp"
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

}  // namespace funnelbot::commands

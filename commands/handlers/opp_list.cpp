#include "analysis/money.hpp"
#include "commands/grammar/arguments.hpp"
#include "commands/grammar/value_parsers.hpp"
#include "commands/handlers/command_handlers.hpp"
#include "commands/render/opportunity_text.hpp"
#include "commands/workspace/lookups.hpp"
#include "commands/workspace/user_directory.hpp"
#include "storage/customer_repository.hpp"
#include "storage/opportunity_repository.hpp"

namespace funnelbot::commands {

namespace {

constexpr std::size_t kMaxRows = 50;

std::string_view status_word(OppStatus s) {
    switch (s) {
        case OppStatus::open:
            return "open";
        case OppStatus::won:
            return "won";
        case OppStatus::lost:
            return "lost";
        case OppStatus::all:
            break;
    }
    return "all";
}

}  // namespace

Result<Reply> handle(CommandContext& ctx, const OppList& cmd) {
    auto subject = subject_of(ctx, cmd.rep, "list opportunities");
    if (!subject) return subject.error();
    const storage::User& rep = *subject;
    storage::OpportunityFilter filter;
    filter.owner_id = rep.id;
    filter.status = static_cast<storage::OpportunityFilter::Status>(static_cast<int>(cmd.status));
    if (cmd.product) {
        auto line = find_product_line(ctx, *cmd.product, true);
        if (!line) return line.error();
        filter.product_line_id = line->id;
    }
    if (cmd.customer) {
        auto customer = storage::CustomerRepository(ctx.db).find(ctx.workspace.id, *cmd.customer);
        if (!customer) {
            return UserError{
                "No customer called \"" + *cmd.customer +
                "\" in this workspace. Customers appear once an opportunity names them."};
        }
        filter.customer_id = customer->id;
    }
    const auto opps = storage::OpportunityRepository(ctx.db).list(ctx.workspace.id, filter);

    Reply reply;
    const bool self = rep.id == ctx.actor.id;
    reply.title = (self ? std::string("Your") : display_name(rep) + "'s") + " " +
                  std::string(status_word(cmd.status)) + " opportunities";
    analysis::Money total = 0;
    for (const auto& o : opps)
        total = analysis::add_money(total, o.amount);
    if (opps.empty()) {
        reply.summary = "None" + std::string(cmd.product || cmd.customer ? " match." : " yet.");
        reply.next_steps.push_back(
            "Log one with /opp add <customer> product:<line> amount:<money>.");
        return reply;
    }
    reply.summary = std::to_string(opps.size()) + " opportunit" + (opps.size() == 1 ? "y" : "ies") +
                    ", " + format_money(total, ctx.workspace.currency) + " in all.";
    Section rows;
    rows.preformatted = true;
    for (std::size_t i = 0; i < opps.size() && i < kMaxRows; ++i) {
        rows.lines.push_back(opportunity_row(opps[i], ctx.workspace.currency));
    }
    if (opps.size() > kMaxRows) {
        rows.lines.push_back("…and " + std::to_string(opps.size() - kMaxRows) +
                             " more (narrow it with product: or customer:)");
    }
    reply.sections.push_back(std::move(rows));
    return reply;
}

Result<Command> parse_opp_list(std::span<const Arg> args, std::string_view usage) {
    OppList cmd;
    bool seen_status = false;
    for (const auto& a : args) {
        if (a.kind == Arg::Kind::mention) {
            if (cmd.rep) return wrong("Name one rep at a time.", usage);
            cmd.rep = a.mention;
        } else if (a.kind == Arg::Kind::option) {
            if (a.key == "product" && !cmd.product) {
                cmd.product = a.text;
            } else if (a.key == "customer" && !cmd.customer) {
                cmd.customer = a.text;
            } else if (a.key == "status" && !seen_status) {
                seen_status = true;
                if (iequals(a.text, "open"))
                    cmd.status = OppStatus::open;
                else if (iequals(a.text, "won"))
                    cmd.status = OppStatus::won;
                else if (iequals(a.text, "lost"))
                    cmd.status = OppStatus::lost;
                else if (iequals(a.text, "all"))
                    cmd.status = OppStatus::all;
                else
                    return wrong("status must be open, won, lost or all.", usage);
            } else if (a.key == "product" || a.key == "customer" || a.key == "status") {
                return duplicate_option(a, usage);
            } else {
                return unknown_option(a, usage);
            }
        } else if (!seen_status && (is_word(a, "open") || is_word(a, "won") || is_word(a, "lost") ||
                                    is_word(a, "all"))) {
            seen_status = true;
            const auto w = to_lower(a.text);
            cmd.status = w == "open"   ? OppStatus::open
                         : w == "won"  ? OppStatus::won
                         : w == "lost" ? OppStatus::lost
                                       : OppStatus::all;
        } else {
            return wrong("Unexpected " + describe(a) + ".", usage);
        }
    }
    return Command{std::move(cmd)};
}

}  // namespace funnelbot::commands

#include "commands/grammar/arguments.hpp"
#include "commands/grammar/value_parsers.hpp"
#include "commands/handlers/command_handlers.hpp"
#include "commands/workspace/lookups.hpp"
#include "storage/product_line_repository.hpp"

namespace funnelbot::commands {

Result<Reply> handle(CommandContext& ctx, const ProductAdd& cmd) {
    if (auto refused = require_admin(ctx, "define product lines")) return *refused;
    storage::ProductLineRepository lines(ctx.db);
    if (auto existing = lines.find_by_name(ctx.workspace.id, cmd.name)) {
        return UserError{"A product line called \"" + existing->name + "\" already exists" +
                         (existing->active ? "." : " (retired).")};
    }
    analysis::ProductLine line;
    line.name = cmd.name;
    line.category = cmd.category;
    line.acquired = cmd.acquired;
    if (cmd.since)
        line.introduced_on = *cmd.since;
    else if (cmd.is_new)
        line.introduced_on = ctx.clock.today;
    line = lines.create(ctx.workspace.id, line);

    Reply reply;
    reply.title = "Product line added";
    reply.verdict = Verdict::good;
    reply.summary = "Added " + line.name +
                    (line.category.empty() ? "" : " (" + line.category + ")") +
                    (line.introduced_on ? ", introduced " + format_date(*line.introduced_on) : "") +
                    (line.acquired ? ", acquired" : "") + ".";
    if (line.introduced_on || line.acquired) {
        reply.next_steps.push_back("funnelbot will call " + line.name +
                                   " out while it holds under 10 % of a rep's opportunities.");
    }
    return reply;
}

Result<Reply> handle(CommandContext& ctx, const ProductList&) {
    const auto lines = storage::ProductLineRepository(ctx.db).list(ctx.workspace.id, true);
    Reply reply;
    reply.title = "Product lines";
    if (lines.empty()) {
        reply.summary = "No product lines yet.";
        reply.next_steps.push_back("Add one with /funnel-admin product add <name> [category:<c>].");
        return reply;
    }
    int active = 0;
    Section s;
    for (const auto& l : lines) {
        std::string row = l.name;
        if (!l.category.empty()) row += " · " + l.category;
        if (l.introduced_on) row += " · introduced " + format_date(*l.introduced_on);
        if (l.acquired) row += " · acquired";
        if (!l.active)
            row += " · retired";
        else
            ++active;
        s.lines.push_back(std::move(row));
    }
    reply.summary =
        std::to_string(active) + " active, " + std::to_string(lines.size() - active) + " retired.";
    reply.sections.push_back(std::move(s));
    return reply;
}

Result<Reply> handle(CommandContext& ctx, const ProductRetire& cmd) {
    if (auto refused = require_admin(ctx, "retire product lines")) return *refused;
    auto line = find_product_line(ctx, cmd.name);
    if (!line) return line.error();
    analysis::ProductLine retired = *line;
    retired.active = false;
    storage::ProductLineRepository(ctx.db).update(ctx.workspace.id, retired);
    Reply reply;
    reply.title = "Product line retired";
    reply.verdict = Verdict::good;
    reply.summary = retired.name +
                    " is retired: its open opportunities are listed apart and count "
                    "nowhere in the balance check.";
    return reply;
}

Result<Command> parse_product_add(std::span<const Arg> args, std::string_view usage) {
    auto split = split_name(args, {"new", "acquired"}, usage);
    if (!split) return split.error();
    auto n = checked_name(split->name, "product line name", usage);
    if (!n) return n.error();
    ProductAdd cmd;
    cmd.name = *n;
    for (const auto& b : split->bare) {
        if (b == "new") cmd.is_new = true;
        if (b == "acquired") cmd.acquired = true;
    }
    for (const auto& o : split->options) {
        if (o.key == "category") {
            auto c = checked_name(o.text, "category", usage);
            if (!c) return c.error();
            cmd.category = *c;
        } else if (o.key == "since") {
            auto d = parse_date(o.text);
            if (!d) return wrong(d.error().message, usage);
            cmd.since = *d;
        } else {
            return unknown_option(o, usage);
        }
    }
    return Command{cmd};
}

Result<Command> parse_product_list(std::span<const Arg> args, std::string_view usage) {
    if (!args.empty()) return wrong("product list takes no arguments.", usage);
    return Command{ProductList{}};
}

Result<Command> parse_product_retire(std::span<const Arg> args, std::string_view usage) {
    for (const auto& a : args) {
        if (a.kind != Arg::Kind::word) return wrong("Unexpected " + describe(a) + ".", usage);
    }
    auto n = checked_name(join_words(args), "product line name", usage);
    if (!n) return n.error();
    return Command{ProductRetire{*n}};
}

}  // namespace funnelbot::commands

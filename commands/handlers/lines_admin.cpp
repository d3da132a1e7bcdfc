#include <algorithm>

#include "commands/grammar/arguments.hpp"
#include "commands/handlers/command_handlers.hpp"
#include "commands/workspace/lookups.hpp"
#include "commands/workspace/user_directory.hpp"
#include "storage/product_line_repository.hpp"

namespace funnelbot::commands {

Result<Reply> handle(CommandContext& ctx, const LinesAssign& cmd) {
    if (auto refused = require_admin(ctx, "set responsible lines")) return *refused;
    std::vector<analysis::Id> ids;
    std::string names;
    for (const auto& name : cmd.lines) {
        auto line = find_product_line(ctx, name);
        if (!line) return line.error();
        if (std::find(ids.begin(), ids.end(), line->id) != ids.end()) continue;
        ids.push_back(line->id);
        names += (names.empty() ? "" : ", ") + line->name;
    }
    storage::ProductLineRepository lines(ctx.db);
    std::string who;
    if (cmd.rep) {
        auto rep = resolve_user(ctx, *cmd.rep, true);
        if (!rep) return rep.error();
        who = display_name(*rep);
        if (cmd.all)
            lines.clear_responsible_for_user(ctx.workspace.id, rep->id);
        else
            lines.set_responsible_for_user(ctx.workspace.id, rep->id, ids);
    } else {
        auto team = find_team(ctx, *cmd.team);
        if (!team) return team.error();
        who = "team " + team->name;
        if (cmd.all)
            lines.clear_responsible_for_team(ctx.workspace.id, team->id);
        else
            lines.set_responsible_for_team(ctx.workspace.id, team->id, ids);
    }
    Reply reply;
    reply.title = "Responsible lines set";
    reply.verdict = Verdict::good;
    reply.summary = cmd.all ? who + " is responsible for every active line."
                            : who + " is responsible for " + names + ".";
    return reply;
}

Result<Command> parse_lines(std::span<const Arg> args, std::string_view usage) {
    LinesAssign cmd;
    std::vector<Arg> rest;
    for (const auto& a : args) {
        if (a.kind == Arg::Kind::mention && !cmd.rep && !cmd.team) {
            cmd.rep = a.mention;
        } else if (a.kind == Arg::Kind::option && a.key == "team" && !cmd.rep && !cmd.team) {
            cmd.team = a.text;
        } else if (a.kind == Arg::Kind::word) {
            rest.push_back(a);
        } else {
            return wrong("Unexpected " + describe(a) + ".", usage);
        }
    }
    if (!cmd.rep && !cmd.team) return wrong("Name a rep (@rep) or a team (team:<name>).", usage);
    if (rest.empty()) return wrong("Name the lines, comma-separated, or all.", usage);
    if (rest.size() == 1 && is_word(rest[0], "all")) {
        cmd.all = true;
        return Command{cmd};
    }
    std::string joined = join_words(rest);
    std::size_t start = 0;
    while (start <= joined.size()) {
        auto comma = joined.find(',', start);
        if (comma == std::string::npos) comma = joined.size();
        std::string item = joined.substr(start, comma - start);
        const auto b = item.find_first_not_of(' ');
        const auto e = item.find_last_not_of(' ');
        item = b == std::string::npos ? "" : item.substr(b, e - b + 1);
        if (item.empty()) return wrong("An empty line name in \"" + joined + "\".", usage);
        auto n = checked_name(item, "product line name", usage);
        if (!n) return n.error();
        cmd.lines.push_back(*n);
        start = comma + 1;
    }
    return Command{cmd};
}

}  // namespace funnelbot::commands

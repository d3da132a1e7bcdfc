#include <algorithm>

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

}  // namespace funnelbot::commands

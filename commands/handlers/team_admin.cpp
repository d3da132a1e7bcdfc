#include "commands/grammar/arguments.hpp"
#include "commands/handlers/command_handlers.hpp"
#include "commands/workspace/lookups.hpp"
#include "commands/workspace/user_directory.hpp"
#include "storage/team_repository.hpp"
#include "storage/user_repository.hpp"

namespace funnelbot::commands {

Result<Reply> handle(CommandContext& ctx, const TeamManagerSet& cmd) {
    if (auto refused = require_admin(ctx, "set up teams")) return *refused;
    auto manager = resolve_user(ctx, cmd.manager, true);
    if (!manager) return manager.error();
    storage::TeamRepository teams(ctx.db);
    auto team = teams.find_by_name(ctx.workspace.id, cmd.team);
    const bool created = !team;
    if (created) {
        team = teams.create(ctx.workspace.id, cmd.team, manager->id);
    } else {
        teams.set_manager(ctx.workspace.id, team->id, manager->id);
    }
    storage::User m = *manager;
    if (m.role == storage::Role::rep) {
        m.role = storage::Role::manager;
        storage::UserRepository(ctx.db).update(m);
    }
    Reply reply;
    reply.title = created ? "Team created" : "Team manager set";
    reply.verdict = Verdict::good;
    reply.summary =
        display_name(m) + " manages " + team->name + "." +
        (created ? " Add reps with /funnel-admin team " + team->name + " add @rep." : "");
    return reply;
}

Result<Reply> handle(CommandContext& ctx, const TeamMember& cmd) {
    if (auto refused = require_admin(ctx, "change teams")) return *refused;
    auto team = find_team(ctx, cmd.team);
    if (!team) return team.error();
    auto rep = resolve_user(ctx, cmd.rep, cmd.add);
    if (!rep) return rep.error();
    storage::User u = *rep;
    storage::TeamRepository teams(ctx.db);
    Reply reply;
    reply.verdict = Verdict::good;
    if (cmd.add) {
        std::string moved;
        if (u.team_id == team->id) {
            return UserError{display_name(u) + " is already in " + team->name + "."};
        }
        if (u.team_id) {
            if (auto old = teams.get(ctx.workspace.id, *u.team_id))
                moved = " (moved from " + old->name + ")";
        }
        u.team_id = team->id;
        storage::UserRepository(ctx.db).update(u);
        reply.title = "Rep added";
        reply.summary = display_name(u) + " is in " + team->name + moved + ".";
    } else {
        if (u.team_id != team->id) {
            return UserError{display_name(u) + " is not in " + team->name + "."};
        }
        u.team_id.reset();
        storage::UserRepository(ctx.db).update(u);
        reply.title = "Rep removed";
        reply.summary = display_name(u) + " is no longer in " + team->name + ".";
    }
    return reply;
}

Result<Command> parse_team(std::span<const Arg> args, std::string_view usage) {
    // team <name…> manager:@m | team <name…> add @rep | team <name…> remove @rep
    std::vector<Arg> name_words;
    std::size_t i = 0;
    for (; i < args.size(); ++i) {
        if (args[i].kind != Arg::Kind::word) break;
        if (is_word(args[i], "add") || is_word(args[i], "remove")) break;
        name_words.push_back(args[i]);
    }
    auto name = checked_name(join_words(name_words), "team name", usage);
    if (!name) return name.error();
    const auto rest = args.subspan(i);
    if (rest.size() == 1 && rest[0].kind == Arg::Kind::option && rest[0].key == "manager") {
        return Command{TeamManagerSet{*name, mention_of_option(rest[0])}};
    }
    if (rest.size() == 2 && (is_word(rest[0], "add") || is_word(rest[0], "remove"))) {
        auto who = as_user_ref(rest[1]);
        if (!who) return wrong("Name the rep as a mention (@rep).", usage);
        return Command{TeamMember{*name, *who, is_word(rest[0], "add")}};
    }
    return wrong("Say what to do with team \"" + *name + "\".", usage);
}

}  // namespace funnelbot::commands

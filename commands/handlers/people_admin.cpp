#include "commands/grammar/arguments.hpp"
#include "commands/grammar/command_text.hpp"
#include "commands/grammar/text_matching.hpp"
#include "commands/handlers/command_handlers.hpp"
#include "commands/workspace/lookups.hpp"
#include "commands/workspace/user_directory.hpp"
#include "storage/opportunity_repository.hpp"
#include "storage/team_repository.hpp"
#include "storage/user_repository.hpp"

namespace funnelbot::commands {

namespace {

std::string_view role_word(storage::Role r) {
    switch (r) {
        case storage::Role::rep:
            return "rep";
        case storage::Role::manager:
            return "manager";
        case storage::Role::admin:
            break;
    }
    return "admin";
}

}  // namespace

Result<Reply> handle(CommandContext& ctx, const RoleSet& cmd) {
    if (auto refused = require_admin(ctx, "change roles")) return *refused;
    auto user = resolve_user(ctx, cmd.user, true);
    if (!user) return user.error();
    storage::User u = *user;
    if (u.id == ctx.actor.id && cmd.role != storage::Role::admin && !u.platform_admin) {
        return UserError{"You cannot take away your own admin role; ask another admin."};
    }
    u.role = cmd.role;
    // A role is an admin's word that the person works here: someone marked as left is back.
    const bool returning = !u.active;
    u.active = true;
    storage::UserRepository(ctx.db).update(u);
    Reply reply;
    reply.title = "Role set";
    reply.verdict = Verdict::good;
    reply.summary = display_name(u) + " is now a " + std::string(role_word(cmd.role)) + "." +
                    (returning ? " They had been marked as left; funnelbot takes their commands "
                                 "again."
                               : "") +
                    (u.platform_admin && cmd.role != storage::Role::admin
                         ? " (They stay an admin as a workspace admin.)"
                         : "");
    return reply;
}

Result<Reply> handle(CommandContext& ctx, const UserLeft& cmd) {
    if (auto refused = require_admin(ctx, "deactivate users")) return *refused;
    auto user = resolve_user(ctx, cmd.user, false);
    if (!user) return user.error();
    if (user->id == ctx.actor.id) return UserError{"You cannot mark yourself as left."};
    std::optional<storage::User> heir;
    if (cmd.reassign) {
        auto h = resolve_user(ctx, *cmd.reassign, false);
        if (!h) return h.error();
        if (h->id == user->id)
            return UserError{"Reassign to someone else than the person leaving."};
        if (!h->active) return UserError{display_name(*h) + " has left too; pick an active rep."};
        heir = *h;
    }
    storage::User u = *user;
    u.active = false;
    u.team_id.reset();
    storage::UserRepository(ctx.db).update(u);
    for (const auto& t : storage::TeamRepository(ctx.db).managed_by(ctx.workspace.id, u.id)) {
        storage::TeamRepository(ctx.db).set_manager(ctx.workspace.id, t.id, std::nullopt);
    }
    int moved = 0;
    if (heir)
        moved = storage::OpportunityRepository(ctx.db).reassign(ctx.workspace.id, u.id, heir->id);
    Reply reply;
    reply.title = "User left";
    reply.verdict = Verdict::good;
    reply.summary =
        display_name(u) + " is marked as left" +
        (heir ? "; " + std::to_string(moved) + " opportunities now belong to " + display_name(*heir)
              : "; their opportunities stay under their name") +
        ".";
    return reply;
}

Result<Command> parse_role(std::span<const Arg> args, std::string_view usage) {
    if (args.size() != 2 || args[0].kind != Arg::Kind::mention || args[1].kind != Arg::Kind::word) {
        return wrong("Name one user and one role.", usage);
    }
    RoleSet cmd{args[0].mention, storage::Role::rep};
    const auto role = to_lower(args[1].text);
    if (role == "manager")
        cmd.role = storage::Role::manager;
    else if (role == "rep")
        cmd.role = storage::Role::rep;
    else if (role == "admin")
        cmd.role = storage::Role::admin;
    else
        return wrong("Unknown role \"" + args[1].text + "\": manager, rep or admin.", usage);
    return Command{cmd};
}

Result<Command> parse_user(std::span<const Arg> args, std::string_view usage) {
    if (!args.empty() && is_word(args[0], "link")) return parse_user_link(args.subspan(1), usage);
    if (args.size() < 2 || args.size() > 3 || args[0].kind != Arg::Kind::mention ||
        !is_word(args[1], "left")) {
        return wrong("Say user @rep left, optionally with reassign:@other.", usage);
    }
    UserLeft cmd{args[0].mention, std::nullopt};
    if (args.size() == 3) {
        if (args[2].kind != Arg::Kind::option || args[2].key != "reassign") {
            return wrong("Unexpected " + describe(args[2]) + ".", usage);
        }
        cmd.reassign = mention_of_option(args[2]);
    }
    return Command{cmd};
}

}  // namespace funnelbot::commands

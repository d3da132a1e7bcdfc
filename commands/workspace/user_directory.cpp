#include "commands/workspace/user_directory.hpp"

#include "commands/grammar/invisible_characters.hpp"
#include "commands/grammar/value_parsers.hpp"
#include "storage/team_repository.hpp"
#include "storage/user_repository.hpp"

namespace funnelbot::commands {

namespace {

// The names a platform reports, as anyone may have set them, without invisible characters.
Identity visible(const Identity& given) {
    Identity who = given;
    for (std::string* text : {&who.name, &who.display_name, &who.real_name, &who.email})
        *text = strip_invisible(*text);
    return who;
}

}  // namespace

storage::User identify(storage::Database& db, const storage::Workspace& ws,
                       const Identity& reported) {
    const Identity who = visible(reported);
    storage::UserRepository users(db);
    std::optional<storage::User> found = users.find_by_platform_id(ws.id, who.platform_user_id);
    if (!found) {
        // A CSV import may have created this person as a placeholder owner: adopt that row. On
        // Slack and Discord only the e-mail address the platform vouches for links them (display
        // and real names can be set by anyone, to anything); an admin links the rest with
        // /funnel-admin user link. The console's operator holds the database file: there a
        // person is their name.
        std::optional<storage::User> candidate;
        if (ws.platform == storage::Platform::console) {
            for (const auto* key : {&who.name, &who.email}) {
                if (!candidate && !key->empty()) candidate = users.find_by_name(ws.id, *key);
            }
        } else {
            candidate = users.find_by_email(ws.id, who.email);
        }
        if (candidate && candidate->platform_user_id.empty()) found = candidate;
    }
    if (!found) {
        storage::User u;
        u.workspace_id = ws.id;
        u.platform_user_id = who.platform_user_id;
        u.name = who.name.empty() ? who.platform_user_id : who.name;
        u.display_name = who.display_name;
        u.real_name = who.real_name;
        u.email = who.email;
        u.tz = who.tz;
        u.platform_admin = who.platform_admin;
        return users.create(u);
    }
    storage::User u = *found;
    const storage::User before = u;
    u.platform_user_id = who.platform_user_id;
    if (!who.name.empty()) u.name = who.name;
    if (!who.display_name.empty()) u.display_name = who.display_name;
    if (!who.real_name.empty()) u.real_name = who.real_name;
    if (!who.email.empty()) u.email = who.email;
    if (!who.tz.empty()) u.tz = who.tz;
    if (who.platform_role_known) u.platform_admin = who.platform_admin;
    // `active` stays as it is: someone an admin marked as left stays left until an admin says
    // otherwise (commands::execute refuses their commands).
    if (u.platform_user_id != before.platform_user_id || u.name != before.name ||
        u.display_name != before.display_name || u.real_name != before.real_name ||
        u.email != before.email || u.tz != before.tz || u.platform_admin != before.platform_admin) {
        users.update(u);
    }
    // Without the platform's word, this command gets no more than the funnelbot role.
    if (!who.platform_role_known) u.platform_admin = who.platform_admin;
    return u;
}

Result<storage::User> resolve_user(CommandContext& ctx, const UserRef& ref, bool create) {
    storage::UserRepository users(ctx.db);
    std::optional<storage::User> found;
    if (ref.user_id.empty() && !ref.name.empty() &&
        ctx.workspace.platform != storage::Platform::console) {
        // On Slack and Discord a typed @name is not a mention: the name could be anyone's.
        return UserError{"Name @" + ref.name +
                         " with a real mention (type @ and pick them from the list), so "
                         "funnelbot knows exactly who you mean: anyone can go by any name."};
    }
    if (!ref.user_id.empty()) {
        found = users.find_by_platform_id(ctx.workspace.id, ref.user_id);
    } else if (!ref.name.empty()) {
        found = users.find_by_name(ctx.workspace.id, ref.name);
    }
    if (found) return *found;
    const std::string shown = ref.name.empty() ? ref.user_id : ref.name;
    if (shown.empty()) return UserError{"Name someone with a mention, such as @alice."};
    if (!create) {
        return UserError{
            "No one called @" + shown +
            " has used funnelbot in this workspace yet. Check the name, or ask an admin "
            "to add them with /funnel-admin team <name> add @" +
            shown + "."};
    }
    storage::User u;
    u.workspace_id = ctx.workspace.id;
    // On the console a person is their name; on a platform, their id.
    u.platform_user_id = ref.user_id.empty() ? ref.name : ref.user_id;
    u.name = shown;
    return users.create(u);
}

bool is_admin(const storage::User& u) {
    return u.platform_admin || u.role == storage::Role::admin;
}

bool is_manager(CommandContext& ctx, const storage::User& u) {
    if (u.role == storage::Role::manager) return true;
    return !storage::TeamRepository(ctx.db).managed_by(ctx.workspace.id, u.id).empty();
}

bool can_act_for(CommandContext& ctx, const storage::User& target) {
    if (target.id == ctx.actor.id || is_admin(ctx.actor)) return true;
    if (!target.team_id) return false;
    auto team = storage::TeamRepository(ctx.db).get(ctx.workspace.id, *target.team_id);
    return team && team->manager_id == ctx.actor.id;
}

Result<storage::User> subject_of(CommandContext& ctx, const std::optional<UserRef>& named,
                                 std::string_view what) {
    if (!named) return ctx.actor;
    auto target = resolve_user(ctx, *named, false);
    if (!target) return target.error();
    if (!can_act_for(ctx, *target)) {
        return UserError{"You can " + std::string(what) +
                         " for yourself, or as a manager for the reps of your team; " +
                         display_name(*target) + " is not one of them."};
    }
    return *target;
}

std::string display_name(const storage::User& u) {
    if (!u.display_name.empty()) return u.display_name;
    if (!u.real_name.empty()) return u.real_name;
    return u.name;
}

}  // namespace funnelbot::commands

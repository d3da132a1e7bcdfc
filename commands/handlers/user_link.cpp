// /funnel-admin user link "<owner as imported>" @user: an admin says who an imported owner is.
// A CSV import can only name people, and a name is not who someone is (anyone can take any name
// on Slack or Discord), so an owner the import could not tie to an e-mail address waits as a
// placeholder until an admin links it.
#include <algorithm>

#include "commands/grammar/arguments.hpp"
#include "commands/grammar/text_matching.hpp"
#include "commands/handlers/command_handlers.hpp"
#include "commands/workspace/lookups.hpp"
#include "commands/workspace/user_directory.hpp"
#include "storage/opportunity_repository.hpp"
#include "storage/team_repository.hpp"
#include "storage/user_repository.hpp"

namespace funnelbot::commands {

namespace {

// The owners imports know by name that are nobody yet.
std::vector<std::string> unlinked_owners(CommandContext& ctx) {
    std::vector<std::string> out;
    for (const storage::User& u : storage::UserRepository(ctx.db).list(ctx.workspace.id, true)) {
        if (u.platform_user_id.empty() && !u.imported_as.empty()) out.push_back(u.imported_as);
    }
    return out;
}

UserError no_such_owner(CommandContext& ctx, const std::string& owner) {
    const auto unlinked = unlinked_owners(ctx);
    std::string message = "No owner called \"" + owner + "\" is waiting to be linked.";
    if (auto guess = did_you_mean(owner, unlinked)) message += " Did you mean \"" + *guess + "\"?";
    if (unlinked.empty()) return UserError{message + " Every imported owner is linked already."};
    std::string list;
    for (const auto& o : unlinked)
        list += (list.empty() ? "" : ", ") + o;
    return UserError{message + " Owners not linked yet: " + list + "."};
}

}  // namespace

Result<Command> parse_user_link(std::span<const Arg> args, std::string_view usage) {
    if (args.empty() || args.back().kind != Arg::Kind::mention) {
        return wrong(
            "Say user link \"<owner as imported>\" @user: the owner's name as the CSV "
            "file wrote it, then the person, as a mention.",
            usage);
    }
    const auto owner_words = args.first(args.size() - 1);
    for (const Arg& a : owner_words) {
        if (a.kind != Arg::Kind::word) return wrong("Unexpected " + describe(a) + ".", usage);
    }
    auto owner = checked_name(join_words(owner_words), "owner's name", usage);
    if (!owner) return owner.error();
    return Command{UserLink{*owner, args.back().mention}};
}

Result<Reply> handle(CommandContext& ctx, const UserLink& cmd) {
    if (auto refused = require_admin(ctx, "link imported owners")) return *refused;
    storage::UserRepository users(ctx.db);
    std::optional<storage::User> owner = users.find_by_imported_name(ctx.workspace.id, cmd.owner);
    if (!owner || !owner->active) return no_such_owner(ctx, cmd.owner);
    if (!owner->platform_user_id.empty()) {
        return UserError{"\"" + cmd.owner + "\" is linked to " + display_name(*owner) +
                         " already. Their imported opportunities are theirs."};
    }
    const bool console = ctx.workspace.platform == storage::Platform::console;
    if (cmd.user.user_id.empty() && !console) {
        return UserError{
            "Name the person with a real mention (type @ and pick them from the list): "
            "a typed name could be anyone's."};
    }
    const std::string platform_id = cmd.user.user_id.empty() ? cmd.user.name : cmd.user.user_id;
    std::optional<storage::User> person = users.find_by_platform_id(ctx.workspace.id, platform_id);
    if (console && !person) {
        const auto named = users.find_by_name(ctx.workspace.id, cmd.user.name);
        if (named && named->id != owner->id && !named->platform_user_id.empty()) person = named;
    }

    Reply reply;
    reply.title = "Owner linked";
    reply.verdict = Verdict::good;
    if (!person) {
        // Someone who has not used funnelbot yet: the placeholder becomes them.
        storage::User u = *owner;
        u.platform_user_id = platform_id;
        if (!cmd.user.name.empty() && cmd.user.name != platform_id) u.name = cmd.user.name;
        users.update(u);
        reply.summary = "\"" + cmd.owner + "\" is " + display_name(u) +
                        " now: the imported opportunities are theirs, and later imports give "
                        "rows of \"" +
                        cmd.owner + "\" to them.";
        return reply;
    }
    if (!person->active) {
        return UserError{display_name(*person) +
                         " is marked as left. Give them a role first (/funnel-admin role @user "
                         "rep), then link."};
    }
    // Someone already here: what the placeholder held moves to them, and the placeholder goes.
    const int moved =
        storage::OpportunityRepository(ctx.db).reassign(ctx.workspace.id, owner->id, person->id);
    storage::TeamRepository teams(ctx.db);
    for (const auto& t : teams.managed_by(ctx.workspace.id, owner->id)) {
        teams.set_manager(ctx.workspace.id, t.id, person->id);
    }
    storage::User linked = *person;
    if (!linked.team_id) linked.team_id = owner->team_id;
    if (linked.email.empty()) linked.email = owner->email;
    linked.imported_as = owner->imported_as;
    storage::User retired = *owner;
    retired.imported_as.clear();
    retired.active = false;
    retired.team_id.reset();
    users.update(retired);
    users.update(linked);
    reply.summary = "\"" + cmd.owner + "\" is " + display_name(linked) + ": " +
                    std::to_string(moved) +
                    (moved == 1 ? " opportunity moves" : " opportunities move") +
                    " to them, and later imports give rows of \"" + cmd.owner + "\" to them.";
    return reply;
}

}  // namespace funnelbot::commands

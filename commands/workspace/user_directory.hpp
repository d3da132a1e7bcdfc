// Turning platform identities and mentions into funnelbot users, and who may see whom.
#pragma once

#include <optional>
#include <vector>

#include "commands/command.hpp"
#include "commands/command_context.hpp"
#include "commands/user_error.hpp"
#include "storage/records.hpp"

namespace funnelbot::commands {

// The user behind `who`: found by platform id, else linked to a CSV placeholder owner with the
// same e-mail as the platform reports (on the console: the same name), else created as a rep.
// Names, e-mail, zone and platform_admin are refreshed from the platform's latest word; a person
// marked as left stays left.
storage::User identify(storage::Database& db, const storage::Workspace& ws, const Identity& who);

// The user a mention names. With `create`, someone not seen yet is added as a rep (an admin
// may set up teams before people use the bot); otherwise that is a UserError.
Result<storage::User> resolve_user(CommandContext& ctx, const UserRef& ref, bool create);

bool is_admin(const storage::User& u);
// Managers: role manager, or the manager of some team.
bool is_manager(CommandContext& ctx, const storage::User& u);
// The actor may see (and change) `target`'s funnel: themselves, an admin, or the manager of
// target's team.
bool can_act_for(CommandContext& ctx, const storage::User& target);

// The person a command is about: the actor, or the one named if the actor may act for them.
// `what` completes the refusal: "You can <what> for yourself, or as a manager for …".
Result<storage::User> subject_of(CommandContext& ctx, const std::optional<UserRef>& named,
                                 std::string_view what);

std::string display_name(const storage::User& u);

}  // namespace funnelbot::commands

// The Discord application commands, generated from the command table
// (commands/command_table.hpp): the same names as the Slack slash commands, with typed options
// named after the text grammar's keys. Registered with one bulk overwrite, and only when their
// hash changed since the last registration.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace funnelbot::bot::discord {

// Application command option types
// (https://discord.com/developers/docs/interactions/application-commands#application-command-object-application-command-option-type).
inline constexpr int kSubCommand = 1;
inline constexpr int kSubCommandGroup = 2;
inline constexpr int kString = 3;
inline constexpr int kInteger = 4;
inline constexpr int kBoolean = 5;
inline constexpr int kUser = 6;

// The body of PUT /applications/{application_id}/commands: an array of CHAT_INPUT commands.
// A command with an admins-only entry (/funnel-admin) carries default_member_permissions "32"
// (Manage Server); the handler still checks roles, since server admins can re-grant the
// command. Such a command is for servers only (contexts [0]); the others also work in a DM with
// the bot (contexts [0, 1]), which is placed in the one server the person uses funnelbot in. The
// same call always gives the same JSON.
nlohmann::json application_commands();

// FNV-1a 64 of definitions.dump(), as 16 lower-case hex digits: stored after a successful
// registration so a restart re-registers only when the definitions changed.
std::string definitions_hash(const nlohmann::json& definitions);

}  // namespace funnelbot::bot::discord

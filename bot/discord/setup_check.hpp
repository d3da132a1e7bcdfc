// `funnelbot doctor` for Discord: is the application set up the way funnelbot needs it? The bot
// token (GET /users/@me), the application id (GET /applications/@me against
// DISCORD_APPLICATION_ID), command registration (GET of the command list funnelbot overwrites at
// start) and, for a user named on the command line, a DM channel (opened, nothing sent). Each
// answer is judged by a function without I/O; the Slack twin is bot/slack/setup_check.hpp.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <string>
#include <vector>

#include "bot/discord/rest_api.hpp"
#include "bot/runtime/setup_finding.hpp"

namespace funnelbot::bot::discord {

struct SetupCheckConfig {
    std::string application_id;  // DISCORD_APPLICATION_ID; empty: learned from Discord
    std::string guild_id;        // DISCORD_GUILD_ID: commands are registered in this guild only
    std::string dm_user_id;      // --dm-user: open a DM channel with this user; empty: skipped
};

// Runs the checks in order and judges them: four findings (bot token, application, commands,
// DM). The ones after a failed token are skipped, and nothing more is sent with it.
boost::asio::awaitable<std::vector<SetupFinding>> check_setup(RestApi& rest,
                                                              SetupCheckConfig config);

// GET /users/@me: a bot user (https://discord.com/developers/docs/resources/user#get-current-user).
SetupFinding judge_bot_token(const DiscordCall& current_user);
// GET /applications/@me against the configured id (empty: nothing configured)
// (https://discord.com/developers/docs/resources/application#get-current-application).
SetupFinding judge_application(const DiscordCall& current_application,
                               const std::string& configured_id);
// GET /applications/{id}/commands (or the guild's): 200 means funnelbot may register its commands
// (https://discord.com/developers/docs/interactions/application-commands#get-global-application-commands).
SetupFinding judge_command_registration(const DiscordCall& commands,
                                        const std::string& application_id,
                                        const std::string& guild_id);
// POST /users/@me/channels for `user_id`
// (https://discord.com/developers/docs/resources/user#create-dm).
SetupFinding judge_direct_message(const DiscordCall& create_dm, const std::string& user_id);

// The invitation that grants the bot and its commands: what to do when registration is refused.
std::string invite_url(const std::string& application_id);

}  // namespace funnelbot::bot::discord

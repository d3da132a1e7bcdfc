// `funnelbot doctor` for Slack: is the app set up the way funnelbot needs it? The bot token
// (auth.test), the bot scopes it was granted (auth.test's X-OAuth-Scopes header) against the
// ones deploy/slack-manifest.yml asks for, and Socket Mode with the app-level token
// (apps.connections.open; the WebSocket URL it hands out is never opened). Each answer is judged
// by a function without I/O; the Discord twin is bot/discord/setup_check.hpp.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <array>
#include <string_view>
#include <vector>

#include "bot/runtime/setup_finding.hpp"
#include "bot/slack/web_api.hpp"

namespace funnelbot::bot::slack {

// The bot scopes deploy/slack-manifest.yml declares under oauth_config.scopes.bot (a test keeps
// the two equal): slash commands, replies and reminders, DMs, and users' names, time zones and
// e-mail addresses (CSV owners are linked by e-mail).
inline constexpr std::array<std::string_view, 5> kManifestBotScopes{
    "commands", "chat:write", "im:write", "users:read", "users:read.email"};

// Calls auth.test and apps.connections.open and judges them: three findings, in the order
// bot token, bot scopes, Socket Mode.
boost::asio::awaitable<std::vector<SetupFinding>> check_setup(WebApi& api);

// auth.test with SLACK_BOT_TOKEN: the workspace and the bot user, or what is wrong with the token.
SetupFinding judge_bot_token(const SlackCall& auth_test);
// The scopes in auth.test's X-OAuth-Scopes header against kManifestBotScopes (skipped when the
// token failed).
SetupFinding judge_bot_scopes(const SlackCall& auth_test);
// apps.connections.open with SLACK_APP_TOKEN: Socket Mode on and the token allowed to connect
// (https://api.slack.com/methods/apps.connections.open).
SetupFinding judge_socket_mode(const SlackCall& connections_open);

}  // namespace funnelbot::bot::slack

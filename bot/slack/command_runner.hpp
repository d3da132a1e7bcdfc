// One Slack slash command, end to end on a worker thread: workspace, dispatch, Block Kit reply.
// The Discord twin is bot/discord/command_runner.
#pragma once

#include <optional>
#include <string>

#include "analysis/funnel_types.hpp"
#include "bot/slack/socket_mode_protocol.hpp"
#include "commands/command_context.hpp"
#include "commands/front_desk/front_desk.hpp"

namespace funnelbot::bot::slack {

// Slack sends the user's own "&", "<" and ">" as entities (should_escape); mentions stay as
// <@U123|name>. Decodes the three entities Slack uses.
std::string unescape_slack_text(std::string_view text);

// Runs the command for `who` in the workspace of `command.team_id` (created with
// `default_tz` on first sight) and returns the Block Kit reply (JSON text), or nullopt when the
// envelope was handled before (its id is recorded in processed_events), so a redelivery changes
// nothing. Never throws: anything that fails on the way (workspace lookup, dispatch, rendering) is
// answered with an error reply. `result`, when given, says how it went for the metrics: "ok",
// "refused" (the person is told why), "failed" (unexpectedly) or "duplicate".
std::optional<std::string> run_command(commands::FrontDesk& desk, const SlashCommand& command,
                                       const commands::Identity& who, const std::string& default_tz,
                                       analysis::Instant now, std::string* result = nullptr);

// The error reply for a command that failed unexpectedly with `what`: `what` goes to the log
// under a short reference, and only the reference to the person. Block Kit as JSON text.
std::string failure_reply(std::string_view what);

}  // namespace funnelbot::bot::slack

// One Discord application-command interaction, end to end on a worker thread: who is asking (and
// whether they are a server admin), which workspace (the guild, or for a DM the one server the
// person uses funnelbot in, commands/front_desk), the command, its reply as an embed message.
// The Slack twin is bot/slack/command_runner.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "analysis/funnel_types.hpp"
#include "commands/command_context.hpp"
#include "commands/front_desk/front_desk.hpp"

namespace funnelbot::bot::discord {

// Permission bits that make a guild member a funnelbot admin
// (https://discord.com/developers/docs/topics/permissions#permissions-bitwise-permission-flags).
inline constexpr unsigned long long kAdministrator = 1ULL << 3;
inline constexpr unsigned long long kManageGuild = 1ULL << 5;

// The invoker of an INTERACTION_CREATE `d`: member.user in a guild, user in a DM; admin when
// member.permissions has Administrator or Manage Server, or the id is in `admins`
// (FUNNELBOT_ADMINS). An empty platform_user_id when the payload names nobody.
commands::Identity identity_of(const nlohmann::json& interaction,
                               const std::vector<std::string>& admins);

struct InteractionSettings {
    std::string default_tz = "UTC";   // FUNNELBOT_TZ, for new workspaces
    std::vector<std::string> admins;  // FUNNELBOT_ADMINS
};

// Runs the interaction and returns the message to answer with (callback data / @original body),
// or nullopt when its id was handled before (recorded in processed_events), so a redelivered
// interaction changes nothing. Never throws: anything that fails on the way (workspace lookup,
// dispatch, rendering) is answered with an error reply.
// `result`, when given, says how it went for the metrics: "ok", "refused" (the person is told
// why), "failed" (unexpectedly) or "duplicate".
std::optional<std::string> run_command(commands::FrontDesk& desk, const nlohmann::json& interaction,
                                       const InteractionSettings& settings, analysis::Instant now,
                                       std::string* result = nullptr);

// The error reply for a command that failed unexpectedly with `what`: `what` goes to the log
// under a short reference, and only the reference to the person.
std::string failure_reply(std::string_view what);

}  // namespace funnelbot::bot::discord

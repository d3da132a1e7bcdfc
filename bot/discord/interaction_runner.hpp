// One Discord application-command interaction, end to end on a worker thread: who is asking (and
// whether they are a server admin), which workspace (the guild, or for a DM the one server the
// person uses funnelbot in), the command, its reply as an embed message.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "analysis/funnel_types.hpp"
#include "commands/command_context.hpp"
#include "storage/database.hpp"

namespace funnelbot::bot::discord {

// Permission bits that make a guild member a funnelbot admin (discord.md §3).
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
// interaction changes nothing.
std::optional<nlohmann::json> run_interaction(storage::Database& db,
                                              const nlohmann::json& interaction,
                                              const InteractionSettings& settings,
                                              analysis::Instant now);

}  // namespace funnelbot::bot::discord

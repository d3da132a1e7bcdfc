// The runtime contract: environment variables read once at start (README "Configuration").
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace funnelbot::bot {

// FUNNELBOT_LOG_FORMAT: human lines, or one JSON object a line (bot/app/log_setup.hpp).
enum class LogFormat { text, json };

struct RuntimeConfig {
    std::optional<std::string> slack_app_token;
    std::optional<std::string> slack_bot_token;
    std::string slack_api_url = "https://slack.com/api/";
    std::optional<std::string> discord_bot_token;
    std::optional<std::string> discord_application_id;
    std::string discord_api_url = "https://discord.com/api/v10";
    std::optional<std::string> discord_guild_id;
    std::string db_path = "./funnelbot.db";
    std::string default_tz = "UTC";
    std::vector<std::string> admins;  // platform user ids
    std::string log_level = "info";
    // FUNNELBOT_METRICS_ADDR: where /healthz and /metrics are served (HOST:PORT); none: off.
    std::optional<std::string> metrics_addr;
    LogFormat log_format = LogFormat::text;

    bool slack_enabled() const { return slack_app_token.has_value(); }
    bool discord_enabled() const { return discord_bot_token.has_value(); }
};

// Reads the environment through `getenv` (injectable for tests). Empty values count as unset.
// Returns an error message naming the missing variable when exactly one of a pair is set
// (SLACK_APP_TOKEN without SLACK_BOT_TOKEN, or the reverse), or when a value is malformed.
struct ConfigResult {
    RuntimeConfig config;
    std::string error;  // empty when valid
};
using GetEnv = std::function<const char*(const char*)>;
ConfigResult read_runtime_config(const GetEnv& getenv_fn);

// Ensures a base URL ends with exactly one '/'.
std::string with_trailing_slash(std::string url);

}  // namespace funnelbot::bot

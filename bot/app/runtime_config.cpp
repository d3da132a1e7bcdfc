#include "bot/app/runtime_config.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <string_view>

namespace funnelbot::bot {

namespace {

std::optional<std::string> non_empty(const GetEnv& getenv_fn, const char* name) {
    const char* v = getenv_fn(name);
    if (v == nullptr || *v == '\0') return std::nullopt;
    return std::string(v);
}

std::string trim(std::string s) {
    const auto b = s.find_first_not_of(" \t");
    const auto e = s.find_last_not_of(" \t");
    return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}

}  // namespace

std::string with_trailing_slash(std::string url) {
    while (!url.empty() && url.back() == '/')
        url.pop_back();
    return url + '/';
}

ConfigResult read_runtime_config(const GetEnv& getenv_fn) {
    ConfigResult out;
    RuntimeConfig& c = out.config;
    c.slack_app_token = non_empty(getenv_fn, "SLACK_APP_TOKEN");
    c.slack_bot_token = non_empty(getenv_fn, "SLACK_BOT_TOKEN");
    if (auto v = non_empty(getenv_fn, "SLACK_API_URL")) c.slack_api_url = *v;
    c.slack_api_url = with_trailing_slash(c.slack_api_url);
    c.discord_bot_token = non_empty(getenv_fn, "DISCORD_BOT_TOKEN");
    c.discord_application_id = non_empty(getenv_fn, "DISCORD_APPLICATION_ID");
    if (auto v = non_empty(getenv_fn, "DISCORD_API_URL")) c.discord_api_url = *v;
    c.discord_api_url = with_trailing_slash(c.discord_api_url);
    c.discord_guild_id = non_empty(getenv_fn, "DISCORD_GUILD_ID");
    if (auto v = non_empty(getenv_fn, "FUNNELBOT_DB")) c.db_path = *v;
    if (auto v = non_empty(getenv_fn, "FUNNELBOT_TZ")) c.default_tz = *v;
    if (auto v = non_empty(getenv_fn, "FUNNELBOT_LOG_LEVEL")) c.log_level = *v;
    c.metrics_addr = non_empty(getenv_fn, "FUNNELBOT_METRICS_ADDR");
    const auto log_format = non_empty(getenv_fn, "FUNNELBOT_LOG_FORMAT");
    if (log_format == "json") c.log_format = LogFormat::json;
    if (auto v = non_empty(getenv_fn, "FUNNELBOT_ADMINS")) {
        std::string item;
        for (char ch : *v + ",") {
            if (ch == ',') {
                if (auto t = trim(item); !t.empty()) c.admins.push_back(t);
                item.clear();
            } else {
                item += ch;
            }
        }
    }
    if (c.slack_app_token && !c.slack_bot_token) {
        out.error =
            "SLACK_APP_TOKEN is set but SLACK_BOT_TOKEN is missing: set both (xapp-… and xoxb-…) "
            "to connect to Slack, or neither.";
    } else if (c.slack_bot_token && !c.slack_app_token) {
        out.error =
            "SLACK_BOT_TOKEN is set but SLACK_APP_TOKEN is missing: set both (xapp-… and xoxb-…) "
            "to connect to Slack, or neither.";
    } else if (c.slack_app_token && !c.slack_app_token->starts_with("xapp-")) {
        out.error =
            "SLACK_APP_TOKEN must be an app-level token starting with xapp- (Basic Information → "
            "App-Level Tokens, scope connections:write).";
    }
    static constexpr std::array<std::string_view, 6> kLevels{"trace", "debug", "info",
                                                             "warn",  "error", "off"};
    if (out.error.empty() &&
        std::find(kLevels.begin(), kLevels.end(), c.log_level) == kLevels.end()) {
        out.error =
            "FUNNELBOT_LOG_LEVEL must be one of trace, debug, info, warn, error, off; not \"" +
            c.log_level + "\".";
    }
    if (out.error.empty() && log_format && *log_format != "text" && *log_format != "json") {
        out.error =
            "FUNNELBOT_LOG_FORMAT must be text (human lines, the default) or json (one "
            "JSON object a line); not \"" +
            *log_format + "\".";
    }
    return out;
}

}  // namespace funnelbot::bot

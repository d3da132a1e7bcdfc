#include <gtest/gtest.h>

#include <map>
#include <string>

#include "bot/app/runtime_config.hpp"

namespace funnelbot::bot {
namespace {

ConfigResult read_with(const std::map<std::string, std::string>& env) {
    return read_runtime_config([&](const char* name) -> const char* {
        auto it = env.find(name);
        return it == env.end() ? nullptr : it->second.c_str();
    });
}

TEST(RuntimeConfig, DefaultsWhenNothingIsSet) {
    const auto r = read_with({});
    EXPECT_EQ(r.error, "");
    EXPECT_FALSE(r.config.slack_enabled());
    EXPECT_FALSE(r.config.discord_enabled());
    EXPECT_EQ(r.config.slack_api_url, "https://slack.com/api/");
    EXPECT_EQ(r.config.discord_api_url, "https://discord.com/api/v10/");
    EXPECT_EQ(r.config.db_path, "./funnelbot.db");
    EXPECT_EQ(r.config.default_tz, "UTC");
}

TEST(RuntimeConfig, HalfASlackPairNamesTheMissingVariable) {
    EXPECT_NE(read_with({{"SLACK_APP_TOKEN", "xapp-1"}}).error.find("SLACK_BOT_TOKEN is missing"),
              std::string::npos);
    EXPECT_NE(read_with({{"SLACK_BOT_TOKEN", "xoxb-1"}}).error.find("SLACK_APP_TOKEN is missing"),
              std::string::npos);
    EXPECT_EQ(read_with({{"SLACK_APP_TOKEN", "xapp-1"}, {"SLACK_BOT_TOKEN", "xoxb-1"}}).error, "");
}

TEST(RuntimeConfig, UrlsGetOneTrailingSlashAndAdminsAreSplit) {
    const auto r = read_with({{"SLACK_API_URL", "https://localhost:8443/api"},
                              {"DISCORD_API_URL", "https://localhost:9443/api/v10//"},
                              {"FUNNELBOT_ADMINS", " U1, U2 ,,U3"}});
    EXPECT_EQ(r.config.slack_api_url, "https://localhost:8443/api/");
    EXPECT_EQ(r.config.discord_api_url, "https://localhost:9443/api/v10/");
    EXPECT_EQ(r.config.admins, (std::vector<std::string>{"U1", "U2", "U3"}));
    EXPECT_NE(read_with({{"FUNNELBOT_LOG_LEVEL", "loud"}}).error.find("FUNNELBOT_LOG_LEVEL"),
              std::string::npos);
}

TEST(RuntimeConfig, LogFormatIsTextJsonOrAClearError) {
    EXPECT_EQ(read_with({}).config.log_format, LogFormat::text);
    EXPECT_EQ(read_with({{"FUNNELBOT_LOG_FORMAT", "text"}}).config.log_format, LogFormat::text);
    const auto json = read_with({{"FUNNELBOT_LOG_FORMAT", "json"}});
    EXPECT_EQ(json.error, "");
    EXPECT_EQ(json.config.log_format, LogFormat::json);
    EXPECT_EQ(read_with({{"FUNNELBOT_LOG_FORMAT", "JSON"}}).error,
              "FUNNELBOT_LOG_FORMAT must be text (human lines, the default) or json (one JSON "
              "object a line); not \"JSON\".");
    EXPECT_NE(read_with({{"FUNNELBOT_LOG_FORMAT", "logfmt"}}).error.find("not \"logfmt\""),
              std::string::npos);
}

}  // namespace
}  // namespace funnelbot::bot

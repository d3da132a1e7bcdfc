// The log as an operator reads it: in JSON every line is one valid object with the time (RFC
// 3339, UTC), the level, the logger and the message; in text the line spdlog always wrote; and in
// both, no planted secret survives.
#include "bot/app/log_setup.hpp"

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

namespace funnelbot::bot {
namespace {

const std::vector<std::string> kSecrets = {
    "xoxb-1234567890-0987654321-AbCdEfGhIjKlMnOpQrStUvWx",
    "xapp-1-A0123456789-1234567890123-0123456789abcdef",
    "MTA5ODc2NTQzMjEwOTg3NjU0Mw.GhIjKl.AbCdEfGhIjKlMnOpQrStUvWxYz0123456789",
    "Zq8sK3vXbQ2yN1mP",
    "aW50ZXJhY3Rpb246MTA5ODc2NTQzMjEwOTg3NjU0Mzp4eXo",
};

// Writes the same lines, each carrying secrets, through a logger in `format`.
std::string log_lines(LogFormat format, bool journal_priority = false) {
    std::ostringstream out;
    auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(out);
    spdlog::logger logger("funnelbot", sink);
    logger.set_formatter(make_log_formatter({format, journal_priority}));
    logger.set_level(spdlog::level::trace);
    logger.info("connecting with {}", kSecrets[0]);
    logger.warn("Slack: app token {} rejected", kSecrets[1]);
    logger.error("Discord: Authorization: Bot {}", kSecrets[2]);
    logger.debug("POST https://hooks.slack.com/commands/T1/2/{} failed", kSecrets[3]);
    logger.trace("callback /interactions/1098765432109876543/{}/callback: 404", kSecrets[4]);
    logger.info("a \"quoted\" message\twith a tab, a backslash \\ and ünïcödé");
    logger.info(std::string("bytes that are not UTF-8: \xff\xfe end"));
    return out.str();
}

std::vector<std::string> split_lines(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
        lines.push_back(line);
    return lines;
}

TEST(LogSetup, JsonIsOneValidObjectPerLineWithTimeLevelLoggerAndMessage) {
    const std::string text = log_lines(LogFormat::json);
    ASSERT_FALSE(text.empty());
    EXPECT_EQ(text.back(), '\n');
    const auto lines = split_lines(text);
    ASSERT_EQ(lines.size(), 7u) << text;
    const std::regex rfc3339_utc(R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)");
    std::vector<std::string> levels;
    std::vector<std::string> messages;
    for (const auto& line : lines) {
        const auto j = nlohmann::json::parse(line, nullptr, false);
        ASSERT_TRUE(j.is_object()) << "not a JSON object: " << line;
        EXPECT_EQ(j.size(), 4u) << line;
        ASSERT_TRUE(j.at("time").is_string()) << line;
        EXPECT_TRUE(std::regex_match(j.at("time").get<std::string>(), rfc3339_utc)) << line;
        EXPECT_EQ(j.at("logger"), "funnelbot") << line;
        levels.push_back(j.at("level").get<std::string>());
        messages.push_back(j.at("message").get<std::string>());
    }
    EXPECT_EQ(levels, (std::vector<std::string>{"info", "warning", "error", "debug", "trace",
                                                "info", "info"}));
    EXPECT_EQ(messages[0], "connecting with xoxb-[redacted]");
    EXPECT_EQ(messages[1], "Slack: app token xapp-[redacted] rejected");
    EXPECT_EQ(messages[2], "Discord: Authorization: Bot [redacted]");
    EXPECT_EQ(messages[3], "POST https://hooks.slack.com/[redacted] failed");
    EXPECT_EQ(messages[4], "callback /interactions/1098765432109876543/[redacted]/callback: 404");
    EXPECT_EQ(messages[5], "a \"quoted\" message\twith a tab, a backslash \\ and ünïcödé");
    EXPECT_EQ(messages[6].rfind("bytes that are not UTF-8: ", 0), 0u) << messages[6];
}

TEST(LogSetup, NoPlantedSecretSurvivesInEitherFormat) {
    for (const LogFormat format : {LogFormat::text, LogFormat::json}) {
        const std::string text = log_lines(format);
        for (const auto& secret : kSecrets)
            EXPECT_EQ(text.find(secret), std::string::npos) << secret << " in:\n" << text;
    }
}

TEST(LogSetup, TextIsSpdlogsUsualLineWithTheLevelAndTheRedactedMessage) {
    const auto lines = split_lines(log_lines(LogFormat::text));
    ASSERT_EQ(lines.size(), 7u);
    const std::regex usual(
        R"(\[\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}\] \[funnelbot\] \[(\w+)\] (.*))");
    std::smatch m;
    ASSERT_TRUE(std::regex_match(lines[0], m, usual)) << lines[0];
    EXPECT_EQ(m[1], "info");
    EXPECT_EQ(m[2], "connecting with xoxb-[redacted]");
    ASSERT_TRUE(std::regex_match(lines[2], m, usual)) << lines[2];
    EXPECT_EQ(m[1], "error");
    EXPECT_EQ(m[2], "Discord: Authorization: Bot [redacted]");
}

TEST(LogSetup, OnTheJournalStreamEachLineStartsWithItsSyslogPriority) {
    for (const LogFormat format : {LogFormat::text, LogFormat::json}) {
        const auto lines = split_lines(log_lines(format, true));
        ASSERT_EQ(lines.size(), 7u);
        std::vector<std::string> priorities;
        for (const auto& line : lines)
            priorities.push_back(line.substr(0, 3));
        EXPECT_EQ(priorities,
                  (std::vector<std::string>{"<6>", "<4>", "<3>", "<7>", "<7>", "<6>", "<6>"}));
        if (format == LogFormat::json) {
            // What journald keeps once it has taken the prefix off is still one JSON object.
            const auto j = nlohmann::json::parse(lines[2].substr(3), nullptr, false);
            ASSERT_TRUE(j.is_object()) << lines[2];
            EXPECT_EQ(j.at("message"), "Discord: Authorization: Bot [redacted]");
        }
    }
}

TEST(LogSetup, StderrIsTheJournalOnlyWhenJournalStreamNamesIt) {
    struct stat st {};
    ASSERT_EQ(::fstat(STDERR_FILENO, &st), 0);
    const std::string mine = std::to_string(st.st_dev) + ":" + std::to_string(st.st_ino);
    const std::string other = std::to_string(st.st_dev) + ":" + std::to_string(st.st_ino + 1);
    const auto with = [](const std::string& value) {
        return [value](const char* name) -> const char* {
            return std::string(name) == "JOURNAL_STREAM" ? value.c_str() : nullptr;
        };
    };
    EXPECT_TRUE(stderr_is_journal(with(mine)));
    EXPECT_FALSE(stderr_is_journal(with(other))) << "a stream inherited from a parent";
    EXPECT_FALSE(stderr_is_journal([](const char*) -> const char* { return nullptr; }));
}

TEST(LogSetup, SetUpLoggingInstallsTheDefaultLoggerAtTheLevel) {
    const auto previous = spdlog::default_logger();
    set_up_logging({LogFormat::json, false}, spdlog::level::warn);
    const auto logger = spdlog::default_logger();
    EXPECT_EQ(logger->name(), "funnelbot");
    EXPECT_EQ(logger->level(), spdlog::level::warn);
    spdlog::set_default_logger(previous);
}

}  // namespace
}  // namespace funnelbot::bot

// One slash command on a real SQLite file: every command ends in a reply, even when something
// fails before dispatch.
#include <gtest/gtest.h>

#include <SQLiteCpp/Database.h>
#include <nlohmann/json.hpp>

#include <string>

#include "bot/slack/command_runner.hpp"
#include "storage/database.hpp"
#include "tests/support/temp_database.hpp"

namespace funnelbot::bot::slack {
namespace {

const analysis::Instant kNow = std::chrono::sys_days{std::chrono::year{2026} / 3 / 6};

SlashCommand funnel_check(std::string envelope_id) {
    SlashCommand command;
    command.envelope_id = std::move(envelope_id);
    command.team_id = "T1";
    command.user_id = "U1";
    command.user_name = "ana";
    command.command = "/funnel-check";
    return command;
}

commands::Identity ana() {
    commands::Identity who;
    who.platform_user_id = "U1";
    who.name = "ana";
    return who;
}

TEST(SlackCommandRunnerTest, AnswersWithBlockKit) {
    testing::TempDir dir;
    storage::Database db(dir.file("slack.db"));
    commands::FrontDesk desk(db);
    const auto reply = run_command(desk, funnel_check("E1"), ana(), "UTC", kNow);
    ASSERT_TRUE(reply.has_value());
    EXPECT_TRUE(nlohmann::json::parse(*reply).contains("blocks"));
}

// Regression: a failure outside the command's own handling (here the workspace lookup) used to
// escape the worker job, so Slack got no reply at all.
TEST(SlackCommandRunnerTest, AFailureBeforeDispatchIsAnsweredWithAnError) {
    testing::TempDir dir;
    const std::string path = dir.file("slack.db");
    storage::Database db(path);
    SQLite::Database(path, SQLite::OPEN_READWRITE).exec("DROP TABLE workspaces");
    commands::FrontDesk desk(db);
    const auto reply = run_command(desk, funnel_check("E2"), ana(), "UTC", kNow);
    ASSERT_TRUE(reply.has_value());
    EXPECT_NE(reply->find("funnelbot could not complete this command ("), std::string::npos)
        << *reply;
    EXPECT_NE(reply->find("Nothing was changed; please try again in a moment."), std::string::npos);
    // What failed goes to the log under the reference, never into the chat.
    EXPECT_EQ(reply->find("no such table"), std::string::npos) << *reply;
}

}  // namespace
}  // namespace funnelbot::bot::slack

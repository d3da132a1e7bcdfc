#include <gtest/gtest.h>

#include <sstream>

#include "bot/app/console_session.hpp"
#include "storage/workspace_repository.hpp"
#include "tests/support/temp_database.hpp"

namespace funnelbot::bot {
namespace {

TEST(ConsoleSession, AnswersEachLineSwitchesUsersAndCountsFailures) {
    testing::TempDir dir;
    storage::Database db(dir.file("console.db"));
    const auto ws = storage::WorkspaceRepository(db).find_or_create(storage::Platform::console,
                                                                    "console", "UTC");
    ConsoleSession session(db, ws, ConsoleOptions{});
    std::istringstream in(
        "# a comment, then a blank line\n"
        "\n"
        "/funnel-admin product add Widgets\n"
        "/as alice\n"
        "/opp add Acme product:Widgets amount:25k\n"
        "/funnel-admin product add Gadgets\n"
        "/as\n"
        "/funnel-admin product list\n"
        "/quit\n"
        "/funnel-help\n");
    std::ostringstream out;
    EXPECT_EQ(session.run(in, out), 1);  // alice may not add product lines
    const std::string text = out.str();
    EXPECT_EQ(text.find("> "), std::string::npos) << "no prompt on a pipe";
    EXPECT_NE(text.find("Added Widgets."), std::string::npos) << text;
    EXPECT_NE(text.find("Now acting as alice."), std::string::npos) << text;
    EXPECT_NE(text.find("Logged #1 Acme — Widgets, $25,000, prospecting (new customer)."),
              std::string::npos)
        << text;
    EXPECT_NE(text.find("✗ Only funnelbot admins can define product lines."), std::string::npos)
        << text;
    EXPECT_NE(text.find("1 active, 0 retired."), std::string::npos) << text;
    EXPECT_EQ(text.find("funnelbot — is your funnel balanced?"), std::string::npos)
        << "nothing after /quit";
}

}  // namespace
}  // namespace funnelbot::bot

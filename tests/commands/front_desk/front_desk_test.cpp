// FrontDesk, as each worker thread of the bot holds one: what it keeps between commands must never
// make a command work on settings older than the database's.
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "commands/front_desk/front_desk.hpp"
#include "storage/database.hpp"
#include "storage/workspace_repository.hpp"
#include "tests/support/temp_database.hpp"

namespace funnelbot::commands {
namespace {

using storage::Platform;

TEST(FrontDeskTest, AWorkspaceReadOnceStillRunsCommandsOnItsCurrentSettings) {
    testing::TempDir dir;
    const std::string path = dir.file("funnel.db");
    { storage::Database migrated(path); }
    FrontDesk desk(path);
    FrontDesk other(path);  // another worker, its own connection
    const analysis::Instant now = std::chrono::sys_days{std::chrono::December / 4 / 2026};
    Identity admin;
    admin.platform_user_id = "U1";
    admin.name = "ann";
    admin.platform_admin = true;

    const storage::Workspace first = desk.workspace_of(Platform::slack, "T1", "UTC");
    EXPECT_EQ(first.tz, "UTC");
    EXPECT_EQ(desk.workspace_of(Platform::slack, "T1", "UTC").id, first.id);
    EXPECT_NE(desk.workspace_of(Platform::discord, "T1", "UTC").id, first.id)
        << "the same id on another platform is another workspace";
    EXPECT_NE(desk.workspace_of(Platform::slack, "T2", "UTC").id, first.id);

    // The other worker moves the workspace to Paris.
    const storage::Workspace theirs = other.workspace_of(Platform::slack, "T1", "UTC");
    ASSERT_EQ(theirs.id, first.id);
    const Outcome moved =
        other.run_text(theirs, admin, "funnel-admin", "reminders tz:Europe/Paris", now, "");
    ASSERT_FALSE(moved.reply.is_error()) << moved.reply.summary;

    // This desk's copy still says UTC; a command run on it sees Paris and keeps it.
    const storage::Workspace kept = desk.workspace_of(Platform::slack, "T1", "UTC");
    EXPECT_EQ(kept.tz, "UTC");
    const Outcome on =
        desk.run_text(kept, admin, "funnel-admin", "reminders on day:Thursday", now, "");
    ASSERT_FALSE(on.reply.is_error()) << on.reply.summary;
    EXPECT_NE(on.reply.summary.find("every Thursday"), std::string::npos) << on.reply.summary;
    EXPECT_NE(on.reply.summary.find("(default Europe/Paris)"), std::string::npos)
        << on.reply.summary;
    storage::Database check(path);
    const auto stored = storage::WorkspaceRepository(check).get(first.id);
    ASSERT_TRUE(stored.has_value());
    EXPECT_EQ(stored->tz, "Europe/Paris");
}

}  // namespace
}  // namespace funnelbot::commands

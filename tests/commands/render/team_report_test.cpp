// The team summary read from SQLite: rows with their own lines and goals, the manager left
// out, a rep with no opportunities, the mix by line — all hand-computed.
#include <gtest/gtest.h>

#include <chrono>

#include "commands/command_dispatch.hpp"
#include "commands/render/team_report.hpp"
#include "commands/workspace/workspace_time.hpp"
#include "storage/team_repository.hpp"
#include "storage/workspace_repository.hpp"
#include "tests/support/temp_database.hpp"

namespace funnelbot::commands {
namespace {

using namespace std::chrono;

TEST(TeamReport, RowsMixAndCoachingFromStorage) {
    testing::TempDir dir;
    storage::Database db(dir.file("team.db"));
    const auto ws = storage::WorkspaceRepository(db).find_or_create(storage::Platform::console,
                                                                    "console", "UTC");
    const analysis::Instant now = sys_days{2026y / 11 / 27} + 15h;
    auto run = [&](const std::string& who, const std::string& name, const std::string& text) {
        Identity id;
        id.platform_user_id = who;
        id.name = who;
        id.platform_admin = who == "console";
        const auto out = execute_text(db, ws, id, name, text, now);
        ASSERT_FALSE(out.reply.is_error()) << name << " " << text << ": " << out.reply.summary;
    };
    for (const char* l : {"Widgets", "Gadgets", "Services"})
        run("console", "funnel-admin", std::string("product add ") + l);
    run("console", "funnel-admin", "team East manager:@maria");
    for (const char* r : {"alice", "bob", "zed"})
        run("console", "funnel-admin", std::string("team East add @") + r);
    run("console", "funnel-admin", "lines @bob Widgets");
    run("console", "funnel-admin", "goals @alice max-line:85");
    run("console", "funnel-admin", "goals @bob quota:100k/quarter");
    for (const char* c : {"A1", "A2", "B1", "B2"})
        run("console", "funnel-admin", std::string("customer ") + c + " current");
    // alice: 4 Widgets + 1 Gadgets, 3 of 5 new.
    for (const char* c : {"A1", "A2", "A3", "A4"})
        run("alice", "opp", std::string("add ") + c + " product:Widgets amount:10k");
    run("alice", "opp", "add A5 product:Gadgets amount:10k");
    // bob: 4 Widgets (2 of 4 new), a Gadgets deal outside his lines, and a 50k win.
    for (const char* c : {"B1", "B2", "B3", "B4"})
        run("bob", "opp", std::string("add ") + c + " product:Widgets amount:10k");
    run("bob", "opp", "add B6 product:Gadgets amount:10k");
    run("bob", "opp", "add B5 product:Widgets amount:50k stage:won");
    // The manager's own deal stays out of the team's figures.
    run("maria", "opp", "add M1 product:Services amount:90k");

    const auto team = storage::TeamRepository(db).find_by_name(ws.id, "East");
    ASSERT_TRUE(team.has_value());
    const auto summary = build_team_summary(db, ws, *team, clock_in_zone("UTC", now));

    ASSERT_EQ(summary.rows.size(), 3u);
    const auto& alice = summary.rows[0];
    const auto& bob = summary.rows[1];
    const auto& zed = summary.rows[2];
    EXPECT_EQ(alice.name, "alice");
    EXPECT_EQ(alice.open_count, 5);
    EXPECT_EQ(alice.pipeline, 5000000);
    EXPECT_EQ(alice.top_line, "Widgets");
    EXPECT_EQ(alice.top_share.percent(), 80);
    EXPECT_EQ(alice.new_share.percent(), 60);
    // P = H(0.8, 0.2, 0) / ln 3 = 0.500402 / 1.098612 = 0.45549; C = 1 - 0.1/0.5 = 0.8;
    // 50·0.45549 + 50·0.8 = 62.77 -> 63. Her own max-line of 85 % keeps 80 % unflagged.
    EXPECT_EQ(alice.score, 63);
    EXPECT_TRUE(alice.flags.empty());
    EXPECT_FALSE(alice.to_coach);

    EXPECT_EQ(bob.name, "bob");
    EXPECT_EQ(bob.open_count, 4);  // the Gadgets deal is outside his lines
    EXPECT_EQ(bob.pipeline, 4000000);
    EXPECT_EQ(bob.top_share.percent(), 100);
    EXPECT_EQ(bob.score, 100);  // one responsible line: P = 1; 2 of 4 new: C = 1
    EXPECT_EQ(bob.won_this_quarter, 5000000);
    EXPECT_EQ(bob.quota, 10000000);
    EXPECT_TRUE(bob.below_quota);
    EXPECT_TRUE(bob.to_coach);

    EXPECT_EQ(zed.name, "zed");
    EXPECT_EQ(zed.open_count, 0);
    EXPECT_FALSE(zed.score.has_value());

    EXPECT_EQ(summary.reps_to_coach, std::vector<std::string>{"bob"});
    ASSERT_EQ(summary.by_line.size(), 3u);
    EXPECT_EQ(summary.by_line[0].name, "Widgets");
    EXPECT_EQ(summary.by_line[0].count, 8);
    EXPECT_EQ(summary.by_line[1].name, "Gadgets");
    EXPECT_EQ(summary.by_line[1].count, 2);
    EXPECT_EQ(summary.by_line[2].name, "Services");
    EXPECT_EQ(summary.by_line[2].count, 0);
}

}  // namespace
}  // namespace funnelbot::commands

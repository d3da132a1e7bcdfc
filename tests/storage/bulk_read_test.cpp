// The reads a team report uses instead of one query per rep, and the statement cache behind
// the hot paths.
#include "tests/storage/storage_test_support.hpp"

namespace funnelbot::storage::testing {
namespace {

class BulkReadTest : public StorageTest {};

TEST_F(BulkReadTest, TeamOpportunitiesComeGroupedByOwnerWithinTheWorkspace) {
    const Team east = teams_.create(ws_, "East", std::nullopt);
    const Team west = teams_.create(ws_, "West", std::nullopt);
    const User b = make_user(ws_, "b", east.id);
    const User a = make_user(ws_, "a", east.id);
    const User w = make_user(ws_, "w", west.id);
    User gone = make_user(ws_, "gone", east.id);
    const auto line = make_line(ws_, "Widgets");
    const auto acme = customers_.find_or_create(ws_, "Acme");
    const auto o1 = make_opp(ws_, a.id, acme.id, line.id);
    const auto o2 = make_opp(ws_, b.id, acme.id, line.id);
    const auto o3 = make_opp(ws_, a.id, acme.id, line.id);
    make_opp(ws_, w.id, acme.id, line.id);
    make_opp(ws_, gone.id, acme.id, line.id);
    gone.active = false;
    users_.update(gone);
    // Same team id number in another workspace must not leak in.
    const Team other = teams_.create(other_ws_, "East", std::nullopt);
    const User x = make_user(other_ws_, "x", other.id);
    make_opp(other_ws_, x.id, customers_.find_or_create(other_ws_, "Acme").id,
             make_line(other_ws_, "W").id);

    std::vector<std::pair<Id, Id>> seen;  // (owner, opportunity)
    opps_.for_each_in_team(ws_, east.id, [&](const analysis::Opportunity& o) {
        seen.emplace_back(o.owner_id, o.id);
        EXPECT_EQ(o.customer_name, "Acme");
        EXPECT_EQ(o.product_line_name, "Widgets");
    });
    // b was created first, so b's id is lower: grouped by owner id, then opportunity id.
    const std::vector<std::pair<Id, Id>> expected{{b.id, o2.id}, {a.id, o1.id}, {a.id, o3.id}};
    EXPECT_EQ(seen, expected);
}

TEST_F(BulkReadTest, UsersWithTheirOwnLinesAndGoals) {
    const User a = make_user(ws_, "a");
    const User b = make_user(ws_, "b");
    const auto line = make_line(ws_, "Widgets");
    const Team t = teams_.create(ws_, "T", std::nullopt);
    lines_.set_responsible_for_user(ws_, b.id, {line.id});
    lines_.set_responsible_for_team(ws_, t.id, {line.id});
    EXPECT_EQ(lines_.users_with_own_lines(ws_), std::vector<Id>{b.id});
    EXPECT_TRUE(lines_.users_with_own_lines(other_ws_).empty());

    GoalSettings g;
    g.max_line_pct = 60;
    goals_.merge(ws_, GoalScope::rep, a.id, g);
    goals_.merge(ws_, GoalScope::team, t.id, g);
    goals_.merge(ws_, GoalScope::workspace, 0, g);
    EXPECT_EQ(goals_.users_with_goals(ws_), std::vector<Id>{a.id});
    EXPECT_TRUE(goals_.users_with_goals(other_ws_).empty());
}

TEST_F(BulkReadTest, CachedStatementsAreResetAndNestedUseGetsItsOwn) {
    storage::detail::sql(db_).exec("CREATE TABLE t (v INTEGER)");
    storage::detail::sql(db_).exec("INSERT INTO t VALUES (1), (2)");
    const std::string sql = "SELECT v FROM t ORDER BY v";
    {
        auto outer = storage::detail::cached(db_, sql);
        ASSERT_TRUE(outer->executeStep());
        EXPECT_EQ(outer->getColumn(0).getInt(), 1);
        {
            // The same text while the outer one is mid-step: a separate statement.
            auto inner = storage::detail::cached(db_, sql);
            ASSERT_TRUE(inner->executeStep());
            EXPECT_EQ(inner->getColumn(0).getInt(), 1);
        }
        ASSERT_TRUE(outer->executeStep());
        EXPECT_EQ(outer->getColumn(0).getInt(), 2);
    }
    // Back from the cache, reset: it starts at the first row again.
    auto again = storage::detail::cached(db_, sql);
    ASSERT_TRUE(again->executeStep());
    EXPECT_EQ(again->getColumn(0).getInt(), 1);
}

}  // namespace
}  // namespace funnelbot::storage::testing

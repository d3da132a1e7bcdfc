#include <gtest/gtest.h>

#include "storage_test_support.hpp"

namespace funnelbot::storage::testing {
namespace {

using analysis::Territory;
using GoalRepositoryTest = StorageTest;
using ProcessedEventRepositoryTest = StorageTest;

// Reads like the command: Set().max_line(60).territory(new_customers).
struct Set {
    GoalSettings s;
    Set& max_line(int v) {
        s.max_line_pct = v;
        return *this;
    }
    Set& new_share(int v) {
        s.new_share_pct = v;
        return *this;
    }
    Set& tolerance(int v) {
        s.tolerance_pct = v;
        return *this;
    }
    Set& territory(Territory v) {
        s.territory = v;
        return *this;
    }
    Set& new_opps(int v) {
        s.new_opps_per_month = v;
        return *this;
    }
    Set& quota(Money v) {
        s.quota_per_quarter = v;
        return *this;
    }
    Set& languishing_days(int v) {
        s.languishing_days = v;
        return *this;
    }
    operator GoalSettings() const { return s; }
};

TEST_F(GoalRepositoryTest, NothingSetGivesTheDefaults) {
    const auto g = goals_.resolve(ws_, std::nullopt, std::nullopt);
    const analysis::Goals defaults;
    EXPECT_EQ(g.max_line_pct, defaults.max_line_pct);
    EXPECT_EQ(g.new_share_pct, 50);
    EXPECT_EQ(g.tolerance_pct, 15);
    EXPECT_EQ(g.territory, Territory::balanced);
    EXPECT_FALSE(g.new_opps_per_month.has_value());
    EXPECT_FALSE(g.quota_per_quarter.has_value());
    EXPECT_EQ(g.languishing_days, 90);
    EXPECT_EQ(g.languishing_share_pct, 10);
    EXPECT_FALSE(goals_.get(ws_, GoalScope::workspace, 0).max_line_pct.has_value());
}

TEST_F(GoalRepositoryTest, MergeKeepsFieldsNotMentioned) {
    goals_.merge(ws_, GoalScope::team, 7, Set().max_line(60).territory(Territory::new_customers));
    goals_.merge(ws_, GoalScope::team, 7, Set().new_share(40).quota(5'000'000));
    const auto g = goals_.get(ws_, GoalScope::team, 7);
    EXPECT_EQ(g.max_line_pct, 60);
    EXPECT_EQ(g.new_share_pct, 40);
    EXPECT_EQ(g.territory, Territory::new_customers);
    EXPECT_EQ(g.quota_per_quarter, 5'000'000);
    EXPECT_FALSE(g.tolerance_pct.has_value());
    goals_.merge(ws_, GoalScope::team, 7, Set().max_line(65));
    EXPECT_EQ(goals_.get(ws_, GoalScope::team, 7).max_line_pct, 65);
    EXPECT_FALSE(goals_.get(ws_, GoalScope::team, 8).max_line_pct.has_value());
}

TEST_F(GoalRepositoryTest, WorkspaceScopeIgnoresScopeId) {
    goals_.merge(ws_, GoalScope::workspace, 123, Set().tolerance(20));
    goals_.merge(ws_, GoalScope::workspace, 0, Set().languishing_days(60));
    const auto g = goals_.get(ws_, GoalScope::workspace, 55);
    EXPECT_EQ(g.tolerance_pct, 20);
    EXPECT_EQ(g.languishing_days, 60);
}

TEST_F(GoalRepositoryTest, ResolvePrecedenceIsRepThenTeamThenWorkspaceThenDefaults) {
    const Id team = teams_.create(ws_, "East", std::nullopt).id;
    const Id rep = make_user(ws_, "ann", team).id;
    const Id other_rep = make_user(ws_, "bob", team).id;
    goals_.merge(ws_, GoalScope::workspace, 0,
                 Set().max_line(80).new_share(45).tolerance(10).new_opps(2));
    goals_.merge(ws_, GoalScope::team, team, Set().max_line(75).new_share(40).quota(100'000));
    goals_.merge(ws_, GoalScope::rep, rep,
                 Set().max_line(60).territory(Territory::existing_customers));

    const auto g = goals_.resolve(ws_, team, rep);
    EXPECT_EQ(g.max_line_pct, 60);                          // rep
    EXPECT_EQ(g.territory, Territory::existing_customers);  // rep
    EXPECT_EQ(g.new_share_pct, 40);                         // team
    EXPECT_EQ(g.quota_per_quarter, 100'000);                // team
    EXPECT_EQ(g.tolerance_pct, 10);                         // workspace
    EXPECT_EQ(g.new_opps_per_month, 2);                     // workspace
    EXPECT_EQ(g.languishing_days, 90);                      // default
    EXPECT_EQ(g.languishing_share_pct, 10);                 // default

    const auto teammate = goals_.resolve(ws_, team, other_rep);
    EXPECT_EQ(teammate.max_line_pct, 75);
    EXPECT_EQ(teammate.territory, Territory::balanced);

    const auto no_team = goals_.resolve(ws_, std::nullopt, rep);
    EXPECT_EQ(no_team.max_line_pct, 60);
    EXPECT_EQ(no_team.new_share_pct, 45);
    EXPECT_FALSE(no_team.quota_per_quarter.has_value());

    const auto workspace_only = goals_.resolve(ws_, std::nullopt, std::nullopt);
    EXPECT_EQ(workspace_only.max_line_pct, 80);
}

TEST_F(GoalRepositoryTest, GoalsOfAnotherWorkspaceDoNotApply) {
    const Id team = teams_.create(ws_, "East", std::nullopt).id;
    const Id rep = make_user(ws_, "ann", team).id;
    goals_.merge(other_ws_, GoalScope::workspace, 0, Set().max_line(10));
    goals_.merge(other_ws_, GoalScope::team, team, Set().new_share(11));
    goals_.merge(other_ws_, GoalScope::rep, rep, Set().tolerance(12));
    const auto g = goals_.resolve(ws_, team, rep);
    EXPECT_EQ(g.max_line_pct, 70);
    EXPECT_EQ(g.new_share_pct, 50);
    EXPECT_EQ(g.tolerance_pct, 15);
    EXPECT_FALSE(goals_.get(ws_, GoalScope::rep, rep).tolerance_pct.has_value());
}

TEST_F(ProcessedEventRepositoryTest, SecondRecordOfAnIdIsRefused) {
    EXPECT_FALSE(events_.seen(ws_, "Ev1"));
    EXPECT_TRUE(events_.record(ws_, "Ev1"));
    EXPECT_TRUE(events_.seen(ws_, "Ev1"));
    EXPECT_FALSE(events_.record(ws_, "Ev1"));
    EXPECT_TRUE(events_.record(ws_, "Ev2"));
}

TEST_F(ProcessedEventRepositoryTest, IdsArePerWorkspace) {
    EXPECT_TRUE(events_.record(ws_, "Ev1"));
    EXPECT_FALSE(events_.seen(other_ws_, "Ev1"));
    EXPECT_TRUE(events_.record(other_ws_, "Ev1"));
}

TEST_F(ProcessedEventRepositoryTest, RecordSurvivesReopening) {
    EXPECT_TRUE(events_.record(ws_, "Ev1"));
    Database again(db_path_);
    ProcessedEventRepository events(again);
    EXPECT_FALSE(events.record(ws_, "Ev1"));
}

}  // namespace
}  // namespace funnelbot::storage::testing

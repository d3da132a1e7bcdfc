// No repository call scoped to one workspace reads or changes a row of another.
#include <gtest/gtest.h>

#include "storage_test_support.hpp"

namespace funnelbot::storage::testing {
namespace {

using analysis::Stage;
using Status = OpportunityFilter::Status;

// Every row lives in other_ws_; every call below is made against ws_.
class WorkspaceIsolationTest : public StorageTest {
protected:
    Id team_ = teams_.create(other_ws_, "East", std::nullopt).id;
    User user_ = make_user(other_ws_, "zed", team_, "UZ");
    analysis::ProductLine line_ = make_line(other_ws_, "Widgets");
    Customer customer_ = customers_.find_or_create(other_ws_, "Acme");
    analysis::Opportunity opp_ = [this] {
        analysis::Opportunity o;
        o.owner_id = user_.id;
        o.customer_id = customer_.id;
        o.product_line_id = line_.id;
        o.name = "Deal";
        o.external_id = "EXT1";
        o.stage = Stage::won;
        return opps_.create(other_ws_, o);
    }();
};

TEST_F(WorkspaceIsolationTest, UsersAreInvisibleAndUnchangeable) {
    EXPECT_FALSE(users_.get(ws_, user_.id).has_value());
    EXPECT_FALSE(users_.find_by_platform_id(ws_, "UZ").has_value());
    EXPECT_FALSE(users_.find_by_name(ws_, "zed").has_value());
    EXPECT_TRUE(users_.list(ws_, false).empty());
    EXPECT_TRUE(users_.list_team(ws_, team_).empty());

    User hijack = user_;
    hijack.workspace_id = ws_;
    hijack.team_id.reset();
    hijack.name = "hijacked";
    users_.update(hijack);
    EXPECT_EQ(users_.get(other_ws_, user_.id)->name, "zed");
}

TEST_F(WorkspaceIsolationTest, TeamsAreInvisibleAndUnchangeable) {
    EXPECT_FALSE(teams_.get(ws_, team_).has_value());
    EXPECT_FALSE(teams_.find_by_name(ws_, "East").has_value());
    EXPECT_TRUE(teams_.list(ws_).empty());
    teams_.set_manager(ws_, team_, std::nullopt);
    const Id mgr = make_user(other_ws_, "boss").id;
    teams_.set_manager(other_ws_, team_, mgr);
    EXPECT_TRUE(teams_.managed_by(ws_, mgr).empty());
    teams_.set_manager(ws_, team_, std::nullopt);
    EXPECT_EQ(teams_.get(other_ws_, team_)->manager_id, mgr);
}

TEST_F(WorkspaceIsolationTest, ProductLinesAreInvisibleAndUnchangeable) {
    EXPECT_FALSE(lines_.get(ws_, line_.id).has_value());
    EXPECT_FALSE(lines_.find_by_name(ws_, "Widgets").has_value());
    EXPECT_TRUE(lines_.list(ws_, true).empty());
    auto retire = line_;
    retire.active = false;
    lines_.update(ws_, retire);
    EXPECT_TRUE(lines_.get(other_ws_, line_.id)->active);
    lines_.set_responsible_for_user(other_ws_, user_.id, {line_.id});
    EXPECT_TRUE(lines_.responsible_lines(ws_, user_.id).empty());  // ws_ has no lines at all
}

TEST_F(WorkspaceIsolationTest, CustomersAreInvisibleAndUnchangeable) {
    EXPECT_FALSE(customers_.get(ws_, customer_.id).has_value());
    EXPECT_FALSE(customers_.find(ws_, "Acme").has_value());
    customers_.set_status(ws_, customer_.id, CustomerStatus::prospect);
    EXPECT_EQ(customers_.get(other_ws_, customer_.id)->status, CustomerStatus::current);
    // The same name in our workspace is a new customer of our own.
    const auto ours = customers_.find_or_create(ws_, "ACME Inc");
    EXPECT_NE(ours.id, customer_.id);
    EXPECT_EQ(ours.name, "ACME Inc");
    EXPECT_EQ(ours.status, CustomerStatus::prospect);
    EXPECT_TRUE(customers_.current_accounts_of(ws_, user_.id).empty());
    EXPECT_TRUE(customers_.line_popularity(ws_, {}).empty());
    EXPECT_EQ(customers_.current_accounts_of(other_ws_, user_.id).size(), 1u);
}

TEST_F(WorkspaceIsolationTest, OpportunitiesAreInvisibleAndUnchangeable) {
    EXPECT_FALSE(opps_.get(ws_, opp_.id).has_value());
    EXPECT_TRUE(opps_.list(ws_, filter(Status::all)).empty());
    int visited = 0;
    opps_.for_each(ws_, [&](const analysis::Opportunity&) { ++visited; });
    EXPECT_EQ(visited, 0);
    EXPECT_FALSE(opps_.find_by_external_id(ws_, "EXT1").has_value());
    EXPECT_FALSE(
        opps_.find_by_natural_key(ws_, user_.id, customer_.id, line_.id, "Deal").has_value());

    auto changed = opp_;
    changed.amount = 1;
    changed.stage = Stage::lost;
    opps_.update(ws_, changed);
    opps_.remove(ws_, opp_.id);
    const Id our_rep = make_user(ws_, "ann").id;
    EXPECT_EQ(opps_.reassign(ws_, user_.id, our_rep), 0);

    const auto still = opps_.get(other_ws_, opp_.id);
    ASSERT_TRUE(still.has_value());
    EXPECT_EQ(still->stage, Stage::won);
    EXPECT_EQ(still->amount, 0);
    EXPECT_EQ(still->owner_id, user_.id);
}

TEST_F(WorkspaceIsolationTest, WinningInOneWorkspaceNeverTouchesAnothersCustomer) {
    // Our workspace's opportunity names its own customer; the other's same id is untouched.
    const Id rep = make_user(ws_, "ann").id;
    const Id line = make_line(ws_, "Gadgets").id;
    const auto ours = customers_.find_or_create(ws_, "Initech");
    const auto theirs = customers_.find_or_create(other_ws_, "Globex");
    make_opp(ws_, rep, ours.id, line, Stage::won);
    EXPECT_EQ(customers_.get(ws_, ours.id)->status, CustomerStatus::current);
    EXPECT_EQ(customers_.get(other_ws_, theirs.id)->status, CustomerStatus::prospect);
}

}  // namespace
}  // namespace funnelbot::storage::testing

// CustomerRepository's cross-sell queries against a small hand-built funnel.
#include <gtest/gtest.h>

#include "storage_test_support.hpp"

namespace funnelbot::storage::testing {
namespace {

using analysis::Stage;

// Lines A < B < C < D (ids ascending). Team East = ann, bob; carl has no team.
//   Acme     ann won A (twice), ann lost C, bob open B, carl open A      -> current
//   Globex   bob won B, ann open C                                      -> current
//   Hooli    ann lost D; marked current by an admin                     -> current
//   Initech  ann open A                                                 -> prospect
//   Umbrella carl won A, carl won C                                     -> current
//   Soylent  carl won D, then set back to prospect by an admin          -> prospect
class CrossSellQueryTest : public StorageTest {
protected:
    Id ann_ = make_user(ws_, "ann").id;
    Id bob_ = make_user(ws_, "bob").id;
    Id carl_ = make_user(ws_, "carl").id;
    Id a_ = make_line(ws_, "Alpha").id;
    Id b_ = make_line(ws_, "Beta").id;
    Id c_ = make_line(ws_, "Gamma").id;
    Id d_ = make_line(ws_, "Delta").id;
    Id acme_ = customers_.find_or_create(ws_, "Acme").id;
    Id globex_ = customers_.find_or_create(ws_, "Globex").id;
    Id hooli_ = customers_.find_or_create(ws_, "Hooli").id;
    Id initech_ = customers_.find_or_create(ws_, "Initech").id;
    Id umbrella_ = customers_.find_or_create(ws_, "Umbrella").id;
    Id soylent_ = customers_.find_or_create(ws_, "Soylent").id;

    void SetUp() override {
        make_opp(ws_, ann_, acme_, a_, Stage::won);
        make_opp(ws_, ann_, acme_, a_, Stage::won);
        make_opp(ws_, ann_, acme_, c_, Stage::lost);
        make_opp(ws_, bob_, acme_, b_, Stage::proposal);
        make_opp(ws_, carl_, acme_, a_, Stage::prospecting);
        make_opp(ws_, bob_, globex_, b_, Stage::won);
        make_opp(ws_, ann_, globex_, c_, Stage::qualification);
        make_opp(ws_, ann_, hooli_, d_, Stage::lost);
        customers_.set_status(ws_, hooli_, CustomerStatus::current);
        make_opp(ws_, ann_, initech_, a_, Stage::negotiation);
        make_opp(ws_, carl_, umbrella_, a_, Stage::won);
        make_opp(ws_, carl_, umbrella_, c_, Stage::won);
        make_opp(ws_, carl_, soylent_, d_, Stage::won);
        customers_.set_status(ws_, soylent_, CustomerStatus::prospect);

        // Another workspace with a won deal and the same customer name: must never show up.
        const Id zed = make_user(other_ws_, "zed").id;
        const Id z_line = make_line(other_ws_, "Alpha").id;
        const Id z_acme = customers_.find_or_create(other_ws_, "Acme").id;
        make_opp(other_ws_, zed, z_acme, z_line, Stage::won);
    }
};

TEST_F(CrossSellQueryTest, CurrentAccountsOfAnn) {
    const auto accounts = customers_.current_accounts_of(ws_, ann_);
    ASSERT_EQ(accounts.size(), 3u);
    EXPECT_EQ(accounts[0].customer_id, acme_);
    EXPECT_EQ(accounts[0].name, "Acme");
    // Alpha won, Alpha and Beta open (others' open deals count).
    EXPECT_EQ(accounts[0].covered_lines, (std::vector<Id>{a_, b_}));
    EXPECT_EQ(accounts[1].name, "Globex");
    EXPECT_EQ(accounts[1].covered_lines, (std::vector<Id>{b_, c_}));  // Beta bought from bob
    EXPECT_EQ(accounts[2].name, "Hooli");  // only a lost deal of hers, but current
    EXPECT_TRUE(accounts[2].covered_lines.empty());
}

TEST_F(CrossSellQueryTest, CurrentAccountsOfOthers) {
    const auto bob = customers_.current_accounts_of(ws_, bob_);
    ASSERT_EQ(bob.size(), 2u);
    EXPECT_EQ(bob[0].name, "Acme");
    EXPECT_EQ(bob[1].name, "Globex");

    const auto carl = customers_.current_accounts_of(ws_, carl_);
    ASSERT_EQ(carl.size(), 2u);  // Soylent is a prospect again
    EXPECT_EQ(carl[0].name, "Acme");
    EXPECT_EQ(carl[1].name, "Umbrella");
    EXPECT_EQ(carl[1].covered_lines, (std::vector<Id>{a_, c_}));  // both bought
}

TEST_F(CrossSellQueryTest, LinePopularityOverAllOwners) {
    // Alpha: Acme + Umbrella; Beta: Globex; Gamma: Umbrella; Delta: only Soylent (a prospect).
    const std::map<Id, std::int64_t> expected{{a_, 2}, {b_, 1}, {c_, 1}};
    EXPECT_EQ(customers_.line_popularity(ws_, {}), expected);
}

TEST_F(CrossSellQueryTest, LinePopularityOverATeam) {
    const std::map<Id, std::int64_t> east{{a_, 1}, {b_, 1}};
    EXPECT_EQ(customers_.line_popularity(ws_, {ann_, bob_}), east);
    const std::map<Id, std::int64_t> carl{{a_, 1}, {c_, 1}};
    EXPECT_EQ(customers_.line_popularity(ws_, {carl_}), carl);
}

TEST_F(CrossSellQueryTest, UnknownOrForeignUsersHaveNoAccounts) {
    EXPECT_TRUE(customers_.current_accounts_of(ws_, 9999).empty());
    const Id zed = users_.find_by_name(other_ws_, "zed")->id;
    EXPECT_TRUE(customers_.current_accounts_of(ws_, zed).empty());
    EXPECT_TRUE(customers_.line_popularity(ws_, {zed}).empty());
}

}  // namespace
}  // namespace funnelbot::storage::testing

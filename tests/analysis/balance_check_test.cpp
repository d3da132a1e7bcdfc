#include "analysis/balance_check.hpp"

#include <gtest/gtest.h>

#include "builders.hpp"

namespace funnelbot::analysis {
namespace {

using namespace std::chrono_literals;
using testing::FunnelBuilder;
using testing::kNow;
using testing::kToday;
using testing::make_line;

const ProductLine kWidgets = make_line(1, "Widgets");
const ProductLine kGadgets = make_line(2, "Gadgets");
const ProductLine kServices = make_line(3, "Services");
const ProductLine kTools = make_line(4, "Tools");

TEST(BalanceCheck, ConcentratedFunnelScoresSeventyNine) {
    // 8/1/1 with 5 of 10 new: the first worked example (P = 0.5817, C = 1 -> 79).
    FunnelBuilder b;
    b.line(kWidgets).line(kGadgets).line(kServices);
    b.opps(kWidgets, 8, 4).opps(kGadgets, 1, 1).opps(kServices, 1, 0);

    const FunnelReport r = check_balance(b.build());

    EXPECT_FALSE(r.empty);
    EXPECT_EQ(r.mix.top_share, (Share{8, 10}));
    EXPECT_EQ(r.customers.new_share, (Share{5, 10}));
    ASSERT_TRUE(r.score.has_value());
    EXPECT_EQ(r.score->value, 79);
    EXPECT_EQ(r.flags, (std::vector<Flag>{Flag::concentrated}));
    EXPECT_EQ(r.next_steps,
              (std::vector<std::string>{
                  "Widgets is 80 % of your open opportunities (guideline: at most 70 %). Find "
                  "opportunities for Gadgets and Services."}));
}

TEST(BalanceCheck, CustomerSplitOutsideTheRangeGivesAStepWithTheGap) {
    {
        // 7/2/1 with 3 of 10 new: the second worked example (P = 0.7298, C = 0.6 -> 66).
        // 7 of 10 is exactly 70 %: not concentrated. 30 % new is under 35 %.
        // One more new-customer opportunity: 4 of 11 = 36.4 % -> 36 %, inside the range.
        FunnelBuilder b;
        b.line(kWidgets).line(kGadgets).line(kServices);
        b.opps(kWidgets, 7, 3).opps(kGadgets, 2, 0).opps(kServices, 1, 0);
        const FunnelReport r = check_balance(b.build());
        ASSERT_TRUE(r.score.has_value());
        EXPECT_EQ(r.score->value, 66);
        EXPECT_FALSE(r.mix.concentrated);
        EXPECT_EQ(r.flags, (std::vector<Flag>{Flag::too_few_new}));
        EXPECT_EQ(r.next_steps,
                  (std::vector<std::string>{
                      "Only 30 % of your opportunities are with new customers (target 50 % ± "
                      "15): 1 more new-customer opportunity would bring you to 36 %. Go after new "
                      "accounts in your territory."}));
    }
    {
        // 7 of 10 new: one more with a current customer gives 7 of 11 = 63.6 % -> 64 %.
        FunnelBuilder b;
        b.line(kWidgets).line(kGadgets).line(kServices);
        b.opps(kWidgets, 4, 4).opps(kGadgets, 3, 3).opps(kServices, 3, 0);
        const FunnelReport r = check_balance(b.build());
        EXPECT_EQ(r.flags, (std::vector<Flag>{Flag::too_many_new}));
        EXPECT_EQ(r.next_steps,
                  (std::vector<std::string>{
                      "70 % of your opportunities are with new customers (target 50 % ± 15): 1 "
                      "more opportunity with current customers would bring you to 64 %. Grow the "
                      "accounts you already serve with upgrades, renewals and more lines."}));
    }
    {
        // 0 of 10 new needs ceil((35·10 - 0) / 65) = 6 more: 6 of 16 = 37.5 % -> 38 %.
        FunnelBuilder b;
        b.line(kWidgets).line(kGadgets).opps(kWidgets, 5, 0).opps(kGadgets, 5, 0);
        const FunnelReport r = check_balance(b.build());
        ASSERT_EQ(r.next_steps.size(), 1u);
        EXPECT_NE(r.next_steps[0].find("6 more new-customer opportunities would bring you to 38 %"),
                  std::string::npos)
            << r.next_steps[0];
    }
}

TEST(BalanceCheck, FocusedTerritoriesRaiseNoSplitFlag) {
    Goals existing;
    existing.territory = Territory::existing_customers;
    FunnelBuilder b;
    b.line(kWidgets).line(kGadgets).opps(kWidgets, 5, 0).opps(kGadgets, 5, 0).goals(existing);
    const FunnelReport r = check_balance(b.build());
    EXPECT_TRUE(r.flags.empty());
    EXPECT_TRUE(r.next_steps.empty());
    EXPECT_EQ(r.score->value, 100);  // P = 1 (equal counts), C = 1 (no split target)

    Goals new_focus;
    new_focus.territory = Territory::new_customers;
    FunnelBuilder c;
    c.line(kWidgets).line(kGadgets).opps(kWidgets, 5, 5).opps(kGadgets, 5, 5).goals(new_focus);
    const FunnelReport s = check_balance(c.build());
    EXPECT_TRUE(s.flags.empty());
    EXPECT_EQ(s.score->value, 100);
}

TEST(BalanceCheck, NewAndAcquiredLinesAreCalledOutAndOutsideLinesCountNowhere) {
    ProductLine fresh = make_line(5, "Gizmo Pro");  // a space: quoted in the command
    fresh.introduced_on = kToday - std::chrono::days{10};
    ProductLine merged = make_line(6, "Merged");
    merged.acquired = true;
    ProductLine legacy = make_line(7, "Legacy");
    legacy.active = false;  // retired, though still listed as responsible
    const ProductLine other = make_line(8, "Other");

    FunnelBuilder b;
    b.line(kWidgets).line(fresh).line(merged).line(legacy);
    b.opps(kWidgets, 10, 5).opps(merged, 1, 0);
    b.opps(legacy, 1, 1).opps(other, 2, 0);
    b.add(other, "Won Co", CustomerType::existing, 5000, Stage::won);  // closed: not listed
    b.funnel().cross_sell.accounts = {{900, "Acme", {1, 6}}};          // missing Gizmo Pro
    b.funnel().cross_sell.line_popularity = {{5, 4}};

    const FunnelReport r = check_balance(b.build());

    ASSERT_EQ(r.outside_lines.size(), 3u);
    EXPECT_EQ(r.mix.open_count, 11);  // 10 Widgets + 1 Merged
    EXPECT_EQ(r.mix.lines.size(), 3u);
    EXPECT_EQ(r.customers.new_share, (Share{5, 11}));
    EXPECT_EQ(r.concentration.distinct_customers, 11);
    EXPECT_EQ(r.mix.languishing_lines, (std::vector<std::string>{"Merged", "Gizmo Pro"}));
    EXPECT_EQ(r.flags, (std::vector<Flag>{Flag::concentrated, Flag::languishing_line}));
    // Counts 10/1/0: H = (10/11) ln(11/10) + (1/11) ln 11 = 0.086646 + 0.217990 = 0.304636,
    // P = 0.304636 / ln 3 = 0.2773; C = 1 - |5/11 - 1/2| / 0.5 = 1 - 0.0909 = 0.9091;
    // 50 · 0.2773 + 50 · 0.9091 = 13.86 + 45.45 = 59.32 -> 59.
    EXPECT_EQ(r.score->value, 59);
    EXPECT_EQ(r.current_accounts, 1);
    EXPECT_EQ(r.next_steps,
              (std::vector<std::string>{
                  "Widgets is 91 % of your open opportunities (guideline: at most 70 %). Find "
                  "opportunities for Gizmo Pro and Merged.",
                  "Gizmo Pro was introduced recently and has no opportunities yet: offer it first "
                  "to Acme (a current customer who has not been offered it).",
                  "Merged came with an acquisition and has only 9 % of your open opportunities (1 "
                  "of 11, below 10 %): look for more customers who could use it.",
                  "Offer Gizmo Pro to Acme (bought by 4 current customers of your team).",
                  "3 open opportunities are on lines you are not responsible for or that are "
                  "retired (Legacy and Other) and not counted here: move them with /opp update "
                  "<id> product:<line>, or close them."}));

    // Without a customer to name, the step says how to log a first opportunity.
    b.funnel().cross_sell = CrossSellInput{};
    const FunnelReport plain = check_balance(b.build());
    EXPECT_EQ(plain.next_steps[1],
              "Gizmo Pro was introduced recently and has no opportunities yet: find a first "
              "customer for it and log it with /opp add <customer> product:\"Gizmo Pro\".");
}

TEST(BalanceCheck, EmptyFunnelHasNoScoreAndAHintToLogOpportunities) {
    ProductLine fresh = make_line(5, "Fresh");
    fresh.introduced_on = kToday - std::chrono::days{3};
    FunnelBuilder b;
    b.line(kWidgets).line(fresh);
    b.add(kWidgets, "Won Co", CustomerType::existing, 5000, Stage::won);

    const FunnelReport r = check_balance(b.build());

    EXPECT_TRUE(r.empty);
    EXPECT_FALSE(r.score.has_value());
    EXPECT_EQ(r.mix.open_count, 0);
    EXPECT_EQ(r.mix.empty_lines, (std::vector<std::string>{"Fresh", "Widgets"}));
    EXPECT_EQ(r.mix.languishing_lines, (std::vector<std::string>{"Fresh"}));
    EXPECT_EQ(r.flags, (std::vector<Flag>{Flag::languishing_line}));
    EXPECT_EQ(r.concentration.distinct_customers, 0);
    EXPECT_EQ(r.next_steps,
              (std::vector<std::string>{
                  "Your funnel has no open opportunities on your product lines yet. Log each one "
                  "with /opp add <customer> product:<line> to get your balance check.",
                  "Fresh was introduced recently and has no opportunities yet: find a first "
                  "customer for it and log it with /opp add <customer> product:Fresh."}));
}

TEST(BalanceCheck, CrossSellStepsPutTheMostPopularOfferFirst) {
    FunnelBuilder b;
    b.line(kWidgets).line(kGadgets).line(kServices).line(kTools);
    b.opps(kWidgets, 2, 1).opps(kGadgets, 2, 1).opps(kServices, 2, 1).opps(kTools, 2, 1);
    b.funnel().cross_sell.line_popularity = {{1, 9}, {2, 1}, {3, 4}};
    b.funnel().cross_sell.accounts = {
        {1, "Acme", {1, 2, 4}},   // missing Services (4)
        {2, "Beta", {1, 3, 4}},   // missing Gadgets (1)
        {3, "Gamma", {1, 2, 3}},  // missing Tools (0)
        {4, "Delta", {2, 3, 4}},  // missing Widgets (9)
    };

    const FunnelReport r = check_balance(b.build());

    EXPECT_TRUE(r.flags.empty());
    EXPECT_EQ(r.score->value, 100);
    EXPECT_EQ(r.cross_sell.size(), 4u);
    // Three offers at most, the most popular line first.
    EXPECT_EQ(r.next_steps, (std::vector<std::string>{
                                "Offer Widgets to Delta (bought by 9 current customers of your "
                                "team).",
                                "Offer Services to Acme (bought by 4 current customers of your "
                                "team).",
                                "Offer Gadgets to Beta (bought by 1 current customer of your "
                                "team)."}));
}

TEST(NewCustomerActivity, CountsTheLastThirtyDaysAndDaysSinceTheLastOne) {
    FunnelBuilder b;
    b.add(kWidgets, "Old", CustomerType::new_customer).created_at = kNow - std::chrono::days{30};
    b.add(kWidgets, "Recent", CustomerType::new_customer).created_at = kNow - std::chrono::days{29};
    // Any stage counts; 2 days 23:59 ago is 2 whole days.
    b.add(kWidgets, "Won", CustomerType::new_customer, 1000, Stage::won).created_at =
        kNow - std::chrono::days{3} + 1min;
    b.add(kWidgets, "Current", CustomerType::existing).created_at = kNow - 1h;  // not new
    const std::vector<Opportunity> all = b.build().opportunities;

    Goals goals;
    const NewCustomerActivity none_set = new_customer_activity(all, goals, kNow);
    EXPECT_EQ(none_set.created_last_30_days, 2);  // exactly 30 days old is outside
    ASSERT_TRUE(none_set.days_since_last.has_value());
    EXPECT_EQ(*none_set.days_since_last, 2);
    EXPECT_FALSE(none_set.goal_per_month.has_value());
    EXPECT_FALSE(none_set.below_goal);

    goals.new_opps_per_month = 3;
    const NewCustomerActivity below = new_customer_activity(all, goals, kNow);
    EXPECT_EQ(below.goal_per_month, 3);
    EXPECT_TRUE(below.below_goal);
    goals.new_opps_per_month = 2;
    EXPECT_FALSE(new_customer_activity(all, goals, kNow).below_goal);

    // One second earlier the 30-day-old one is 29 days 23:59:59 old: inside.
    EXPECT_EQ(new_customer_activity(all, goals, kNow - 1s).created_last_30_days, 3);

    const NewCustomerActivity empty = new_customer_activity({}, goals, kNow);
    EXPECT_EQ(empty.created_last_30_days, 0);
    EXPECT_FALSE(empty.days_since_last.has_value());
    EXPECT_TRUE(empty.below_goal);
}

TEST(BalanceCheck, BelowTheNewOpportunityGoalIsFlaggedWithAStep) {
    Goals goals;
    goals.new_opps_per_month = 3;
    FunnelBuilder b;
    b.line(kWidgets).line(kGadgets).opps(kWidgets, 5, 3).opps(kGadgets, 5, 2).goals(goals);
    b.funnel().opportunities[0].created_at = kNow - std::chrono::days{12};
    const FunnelReport r = check_balance(b.build());
    EXPECT_EQ(r.activity.created_last_30_days, 1);
    EXPECT_EQ(r.flags, (std::vector<Flag>{Flag::below_new_opps_goal}));
    EXPECT_EQ(r.next_steps, (std::vector<std::string>{
                                "You added 1 new-customer opportunity in the last 30 days (goal: "
                                "3 a month): add 2 more to reach it. The last one was 12 days "
                                "ago."}));
}

}  // namespace
}  // namespace funnelbot::analysis

#include "analysis/balance_score.hpp"

#include <cmath>

#include <gtest/gtest.h>

namespace funnelbot::analysis {
namespace {

TEST(BalanceScore, WorkedExampleEightOneOne) {
    // Counts 8/1/1 over three lines, 5 of 10 with new customers.
    // H = -(0.8 ln 0.8 + 0.1 ln 0.1 + 0.1 ln 0.1)
    //   = -(0.8 · -0.223144 + 2 · 0.1 · -2.302585) = 0.178515 + 0.460517 = 0.639032
    // P = H / ln 3 = 0.639032 / 1.098612 = 0.5817
    // C = 1 - min(1, |0.5 - 0.5| / 0.5) = 1
    // score = round(50 · 0.5817 + 50 · 1) = round(79.08) = 79
    const auto score = balance_score({8, 1, 1}, Share{5, 10}, Goals{});
    ASSERT_TRUE(score.has_value());
    EXPECT_NEAR(score->product_spread, 0.5817, 0.00005);
    EXPECT_DOUBLE_EQ(score->customer_balance, 1.0);
    EXPECT_EQ(score->value, 79);
}

TEST(BalanceScore, WorkedExampleSevenTwoOne) {
    // Counts 7/2/1 over three lines, 3 of 10 with new customers.
    // H = -(0.7 ln 0.7 + 0.2 ln 0.2 + 0.1 ln 0.1)
    //   = 0.7 · 0.356675 + 0.2 · 1.609438 + 0.1 · 2.302585
    //   = 0.249672 + 0.321888 + 0.230259 = 0.801819
    // P = 0.801819 / 1.098612 = 0.7298
    // C = 1 - min(1, |0.3 - 0.5| / 0.5) = 1 - 0.4 = 0.6
    // score = round(50 · 0.7298 + 50 · 0.6) = round(36.49 + 30) = round(66.49) = 66
    const auto score = balance_score({7, 2, 1}, Share{3, 10}, Goals{});
    ASSERT_TRUE(score.has_value());
    EXPECT_NEAR(score->product_spread, 0.7298, 0.00005);
    EXPECT_NEAR(score->customer_balance, 0.6, 1e-12);
    EXPECT_EQ(score->value, 66);
}

TEST(BalanceScore, SpreadIsExactlyOneForOneLineOrEqualCounts) {
    // K = 1: P = 1 by definition; 5 of 10 new: C = 1.
    const auto one = balance_score({10}, Share{5, 10}, Goals{});
    ASSERT_TRUE(one.has_value());
    EXPECT_EQ(one->product_spread, 1.0);
    EXPECT_EQ(one->value, 100);
    // Equal counts over seven lines: exactly 1, not 0.99999…
    const auto equal = balance_score({3, 3, 3, 3, 3, 3, 3}, Share{7, 21}, Goals{});
    ASSERT_TRUE(equal.has_value());
    EXPECT_EQ(equal->product_spread, 1.0);
    // C = 1 - |1/3 - 1/2| / 0.5 = 1 - 1/3 = 0.6667; 50 + 33.33 = 83.33 -> 83
    EXPECT_EQ(equal->value, 83);
}

TEST(BalanceScore, ZeroCountLinesLowerTheSpread) {
    // 5/5/0: H = ln 2, P = ln 2 / ln 3 = 0.6309; 50 · 0.6309 + 50 = 81.55 -> 82
    const auto score = balance_score({5, 5, 0}, Share{5, 10}, Goals{});
    ASSERT_TRUE(score.has_value());
    EXPECT_NEAR(score->product_spread, std::log(2.0) / std::log(3.0), 1e-12);
    EXPECT_EQ(score->value, 82);
}

TEST(BalanceScore, CustomerBalanceHasNoDeadBandAndIsCapped) {
    // 6 of 10 new is inside 50 ± 15 yet still costs: C = 1 - 0.1 / 0.5 = 0.8 -> 50 + 40 = 90.
    const auto inside = balance_score({5, 5}, Share{6, 10}, Goals{});
    ASSERT_TRUE(inside.has_value());
    EXPECT_NEAR(inside->customer_balance, 0.8, 1e-12);
    EXPECT_EQ(inside->value, 90);
    // With a target of 20, 0 of 10 new: |0 - 0.2| / 0.5 = 0.4 -> C = 0.6 -> 50 + 30 = 80.
    Goals low_target;
    low_target.new_share_pct = 20;
    EXPECT_EQ(balance_score({5, 5}, Share{0, 10}, low_target)->value, 80);
    // Target 0 and all new: |1 - 0| / 0.5 = 2, capped at 1 -> C = 0 -> 50.
    Goals zero_target;
    zero_target.new_share_pct = 0;
    const auto capped = balance_score({5, 5}, Share{10, 10}, zero_target);
    EXPECT_EQ(capped->customer_balance, 0.0);
    EXPECT_EQ(capped->value, 50);
}

TEST(BalanceScore, FocusedTerritoryIgnoresTheSplit) {
    Goals goals;
    goals.territory = Territory::existing_customers;
    const auto score = balance_score({5, 5}, Share{0, 10}, goals);
    ASSERT_TRUE(score.has_value());
    EXPECT_EQ(score->customer_balance, 1.0);
    EXPECT_EQ(score->value, 100);
    goals.territory = Territory::new_customers;
    EXPECT_EQ(balance_score({5, 5}, Share{10, 10}, goals)->value, 100);
}

TEST(BalanceScore, EmptyFunnelHasNoScore) {
    EXPECT_FALSE(balance_score({0, 0, 0}, Share{0, 0}, Goals{}).has_value());
    EXPECT_FALSE(balance_score({}, Share{0, 0}, Goals{}).has_value());
}

TEST(BalanceScore, RoundHalfUpWithTolerance) {
    EXPECT_EQ(round_half_up(78.5), 79);
    EXPECT_EQ(round_half_up(78.5 - 1e-12), 79);  // floating error just under the half
    EXPECT_EQ(round_half_up(78.4999), 78);
    EXPECT_EQ(round_half_up(0.5), 1);
    EXPECT_EQ(round_half_up(0.0), 0);
    EXPECT_EQ(round_half_up(100.0), 100);
}

}  // namespace
}  // namespace funnelbot::analysis

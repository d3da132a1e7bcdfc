#include "analysis/customer_mix.hpp"

#include <gtest/gtest.h>

#include "builders.hpp"

namespace funnelbot::analysis {
namespace {

using testing::FunnelBuilder;
using testing::make_line;

const ProductLine kWidgets = make_line(1, "Widgets");

CustomerMix mix_of(int total, int new_count, const Goals& goals = Goals{}) {
    FunnelBuilder b;
    b.opps(kWidgets, total, new_count);
    return customer_mix(b.build().opportunities, goals);
}

TEST(CustomerMix, BalancedTerritoryBoundsAreInclusive) {
    const CustomerMix at_low = mix_of(20, 7);  // 35 %
    EXPECT_EQ(at_low.new_count, 7);
    EXPECT_EQ(at_low.existing_count, 13);
    EXPECT_EQ(at_low.new_share, (Share{7, 20}));
    EXPECT_EQ(at_low.target_pct, 50);
    EXPECT_EQ(at_low.tolerance_pct, 15);
    EXPECT_FALSE(at_low.out_of_balance);

    const CustomerMix at_high = mix_of(20, 13);  // 65 %
    EXPECT_FALSE(at_high.out_of_balance);

    const CustomerMix low = mix_of(100, 34);  // 34 %
    EXPECT_TRUE(low.out_of_balance);
    EXPECT_TRUE(low.too_few_new);
    EXPECT_FALSE(low.too_many_new);

    const CustomerMix high = mix_of(100, 66);  // 66 %
    EXPECT_TRUE(high.out_of_balance);
    EXPECT_FALSE(high.too_few_new);
    EXPECT_TRUE(high.too_many_new);

    // Target and tolerance come from the goals: 34 % is fine at 40 ± 6.
    Goals goals;
    goals.new_share_pct = 40;
    goals.tolerance_pct = 6;
    const CustomerMix custom = mix_of(100, 34, goals);
    EXPECT_FALSE(custom.out_of_balance);
    EXPECT_EQ(custom.target_pct, 40);
    EXPECT_TRUE(mix_of(100, 33, goals).too_few_new);
}

TEST(CustomerMix, NewOrExistingTerritoryHasNoSplitFlag) {
    Goals new_focus;
    new_focus.territory = Territory::new_customers;
    Goals existing_focus;
    existing_focus.territory = Territory::existing_customers;
    for (const Goals& goals : {new_focus, existing_focus}) {
        for (const int new_count : {0, 10}) {
            const CustomerMix mix = mix_of(10, new_count, goals);
            EXPECT_EQ(mix.new_share, (Share{new_count, 10}));
            EXPECT_EQ(mix.territory, goals.territory);
            EXPECT_FALSE(mix.out_of_balance);
            EXPECT_FALSE(mix.too_few_new);
            EXPECT_FALSE(mix.too_many_new);
        }
    }
    // The same 0 of 10 is flagged in a balanced territory.
    EXPECT_TRUE(mix_of(10, 0).too_few_new);
}

TEST(CustomerMix, EmptyFunnelHasNoSplit) {
    const CustomerMix mix = customer_mix({}, Goals{});
    EXPECT_EQ(mix.new_share, (Share{0, 0}));
    EXPECT_FALSE(mix.out_of_balance);
}

TEST(CustomerConcentration, DistinctCustomersAndTopThreeShare) {
    FunnelBuilder b;
    b.add(kWidgets, "Beta", CustomerType::existing);
    b.add(kWidgets, "Beta", CustomerType::existing);
    b.add(kWidgets, "Beta", CustomerType::existing);
    b.add(kWidgets, "acme", CustomerType::existing);  // ties Beta: before it, case-insensitively
    b.add(kWidgets, "acme", CustomerType::existing);
    b.add(kWidgets, "acme", CustomerType::existing);
    b.add(kWidgets, "Delta", CustomerType::new_customer);
    b.add(kWidgets, "Delta", CustomerType::new_customer);
    b.add(kWidgets, "Charlie", CustomerType::new_customer);  // ties Echo on 1: named first
    b.add(kWidgets, "Echo", CustomerType::new_customer);
    b.add(kWidgets, "Zulu", CustomerType::new_customer, 1000, Stage::won);  // closed: ignored

    const CustomerConcentration c = customer_concentration(b.build().opportunities);

    EXPECT_EQ(c.distinct_customers, 5);
    ASSERT_EQ(c.top_customers.size(), 3u);
    EXPECT_EQ(c.top_customers[0].name, "acme");
    EXPECT_EQ(c.top_customers[0].count, 3);
    EXPECT_EQ(c.top_customers[1].name, "Beta");
    EXPECT_EQ(c.top_customers[2].name, "Delta");
    EXPECT_EQ(c.top_customers[2].count, 2);
    EXPECT_EQ(c.top_three_share, (Share{8, 10}));  // (3 + 3 + 2) of 10
    EXPECT_EQ(c.top_three_share.percent(), 80);

    // Fewer than three customers: all of them.
    FunnelBuilder two;
    two.add(kWidgets, "Acme", CustomerType::existing);
    two.add(kWidgets, "Beta", CustomerType::existing);
    const CustomerConcentration small = customer_concentration(two.build().opportunities);
    EXPECT_EQ(small.distinct_customers, 2);
    EXPECT_EQ(small.top_customers.size(), 2u);
    EXPECT_EQ(small.top_three_share, (Share{2, 2}));
}

}  // namespace
}  // namespace funnelbot::analysis

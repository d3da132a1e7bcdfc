#include "analysis/product_mix.hpp"

#include <gtest/gtest.h>

#include "analysis/money.hpp"
#include "builders.hpp"

namespace funnelbot::analysis {
namespace {

using testing::FunnelBuilder;
using testing::kToday;
using testing::make_line;
using testing::open_only;

std::vector<std::string> names(const std::vector<LineMix>& lines) {
    std::vector<std::string> out;
    for (const LineMix& l : lines) {
        out.push_back(l.name);
    }
    return out;
}

TEST(ProductMix, CountsAmountsSharesAndEmptyLines) {
    const ProductLine widgets = make_line(1, "Widgets", "Hardware");
    const ProductLine gadgets = make_line(2, "Gadgets", "Hardware");
    const ProductLine services = make_line(3, "Services");
    const ProductLine tools = make_line(4, "Tools");
    FunnelBuilder b;
    b.line(tools).line(services).line(gadgets).line(widgets);
    b.opps(widgets, 8, 4, 1000).opps(gadgets, 1, 0, 500).opps(services, 1, 1, 2500);
    const RepFunnel f = b.build();

    const ProductMix mix = product_mix(f.responsible_lines, f.opportunities, Goals{}, kToday);

    // Count desc; Gadgets and Services tie on 1, Services has the larger amount.
    EXPECT_EQ(names(mix.lines),
              (std::vector<std::string>{"Widgets", "Services", "Gadgets", "Tools"}));
    EXPECT_EQ(mix.open_count, 10);
    EXPECT_EQ(mix.open_amount, 8000 + 500 + 2500);
    EXPECT_EQ(mix.lines[0].count, 8);
    EXPECT_EQ(mix.lines[0].count_share, (Share{8, 10}));
    EXPECT_EQ(mix.lines[0].amount, 8000);
    EXPECT_EQ(mix.lines[0].amount_share, (Share{8000, 11000}));
    EXPECT_EQ(mix.lines[0].amount_share.percent(), 73);  // 72.7
    EXPECT_EQ(mix.lines[0].category, "Hardware");
    EXPECT_EQ(mix.lines[1].amount_share, (Share{2500, 11000}));
    EXPECT_EQ(mix.lines[3].count, 0);
    EXPECT_EQ(mix.lines[3].count_share, (Share{0, 10}));
    EXPECT_EQ(mix.top_share, (Share{8, 10}));
    EXPECT_EQ(mix.top_two_share, (Share{9, 10}));
    EXPECT_TRUE(mix.concentrated);  // 80 % > 70 %
    EXPECT_EQ(mix.empty_lines, (std::vector<std::string>{"Tools"}));
    EXPECT_TRUE(mix.languishing_lines.empty());  // nothing new or acquired
}

// Two amounts of 90,000,000,000,000,000.00 used to add up to a negative pipeline.
TEST(ProductMix, AmountSumsStopAtTheLargestAmountInsteadOfWrapping) {
    const ProductLine widgets = make_line(1, "Widgets");
    const ProductLine gadgets = make_line(2, "Gadgets");
    FunnelBuilder b;
    b.line(widgets).line(gadgets);
    const Money huge = 9'000'000'000'000'000'000;  // minor units
    b.opps(widgets, 2, 1, huge).opps(gadgets, 1, 0, 700);
    const RepFunnel f = b.build();
    const ProductMix mix = product_mix(f.responsible_lines, f.opportunities, Goals{}, kToday);
    EXPECT_EQ(mix.open_amount, kMoneyMax);
    ASSERT_EQ(mix.lines.size(), 2U);
    EXPECT_EQ(mix.lines[0].amount, kMoneyMax);
    EXPECT_EQ(mix.lines[1].amount, 700);
    EXPECT_EQ(mix.lines[0].amount_share.percent(), 100);  // 700 of the saturated total
    EXPECT_EQ(add_money(kMoneyMin, -1), kMoneyMin);
    EXPECT_EQ(add_money(-5, 3), -2);
}

TEST(ProductMix, ConcentratedOnlyStrictlyAboveTheGuideline) {
    const ProductLine widgets = make_line(1, "Widgets");
    const ProductLine gadgets = make_line(2, "Gadgets");
    {
        FunnelBuilder b;
        b.line(widgets).line(gadgets).opps(widgets, 7, 0).opps(gadgets, 3, 0);
        const RepFunnel f = b.build();
        const ProductMix mix = product_mix(f.responsible_lines, f.opportunities, Goals{}, kToday);
        EXPECT_EQ(mix.top_share, (Share{7, 10}));
        EXPECT_FALSE(mix.concentrated);  // exactly 70 %
        // A stricter goal makes the same funnel concentrated.
        Goals strict;
        strict.max_line_pct = 69;
        EXPECT_TRUE(product_mix(f.responsible_lines, f.opportunities, strict, kToday).concentrated);
    }
    {
        FunnelBuilder b;
        b.line(widgets).line(gadgets).opps(widgets, 8, 0).opps(gadgets, 2, 0);
        const RepFunnel f = b.build();
        const ProductMix mix = product_mix(f.responsible_lines, f.opportunities, Goals{}, kToday);
        EXPECT_TRUE(mix.concentrated);  // 80 %
    }
    {
        // One responsible line: everything on it is no rut, there is nothing else to sell.
        FunnelBuilder b;
        b.line(widgets).opps(widgets, 10, 5);
        const RepFunnel f = b.build();
        const ProductMix mix = product_mix(f.responsible_lines, f.opportunities, Goals{}, kToday);
        EXPECT_EQ(mix.top_share, (Share{10, 10}));
        EXPECT_FALSE(mix.concentrated);
    }
}

TEST(ProductMix, NewAndAcquiredLinesUnderTenPercentLanguish) {
    ProductLine widgets = make_line(1, "Widgets");
    ProductLine fresh = make_line(2, "Fresh");  // introduced 89 days ago: recent
    fresh.introduced_on = kToday - std::chrono::days{89};
    ProductLine older = make_line(3, "Older");  // introduced 90 days ago: no longer recent
    older.introduced_on = kToday - std::chrono::days{90};
    ProductLine merged = make_line(4, "Merged");  // acquired, 1 of 11 = 9.09 %
    merged.acquired = true;
    ProductLine bought = make_line(5, "Bought");  // acquired, 2 of 11 = 18 %
    bought.acquired = true;
    FunnelBuilder b;
    b.line(widgets).line(fresh).line(older).line(merged).line(bought);
    b.opps(widgets, 8, 0).opps(merged, 1, 0).opps(bought, 2, 0);
    const RepFunnel f = b.build();

    const ProductMix mix = product_mix(f.responsible_lines, f.opportunities, Goals{}, kToday);

    EXPECT_EQ(names(mix.lines),
              (std::vector<std::string>{"Widgets", "Bought", "Merged", "Fresh", "Older"}));
    EXPECT_TRUE(mix.lines[3].recently_introduced);
    EXPECT_FALSE(mix.lines[4].recently_introduced);
    EXPECT_TRUE(mix.lines[2].acquired);
    // Fresh has none, Merged 9.09 %; Bought holds 18 %; Older is neither new nor acquired.
    EXPECT_EQ(mix.languishing_lines, (std::vector<std::string>{"Merged", "Fresh"}));
    EXPECT_EQ(mix.empty_lines, (std::vector<std::string>{"Fresh", "Older"}));

    // Exactly at the share is not under it: with 10 open, 1 on Merged is 10 %.
    FunnelBuilder c;
    c.line(widgets).line(merged).opps(widgets, 9, 0).opps(merged, 1, 0);
    const RepFunnel g = c.build();
    EXPECT_TRUE(product_mix(g.responsible_lines, g.opportunities, Goals{}, kToday)
                    .languishing_lines.empty());

    // Both numbers come from the goals.
    Goals goals;
    goals.languishing_days = 91;
    goals.languishing_share_pct = 20;
    const ProductMix custom = product_mix(f.responsible_lines, f.opportunities, goals, kToday);
    EXPECT_EQ(custom.languishing_lines,
              (std::vector<std::string>{"Bought", "Merged", "Fresh", "Older"}));
}

TEST(ProductMix, EmptyFunnelStillListsNewAndAcquiredLines) {
    ProductLine widgets = make_line(1, "Widgets");
    ProductLine fresh = make_line(2, "Fresh");
    fresh.introduced_on = kToday;
    ProductLine merged = make_line(3, "Merged");
    merged.acquired = true;

    const ProductMix mix = product_mix({widgets, fresh, merged}, {}, Goals{}, kToday);

    EXPECT_EQ(mix.open_count, 0);
    EXPECT_EQ(mix.top_share, (Share{0, 0}));
    EXPECT_EQ(mix.top_two_share, (Share{0, 0}));
    EXPECT_FALSE(mix.concentrated);
    EXPECT_EQ(mix.empty_lines, (std::vector<std::string>{"Fresh", "Merged", "Widgets"}));
    EXPECT_EQ(mix.languishing_lines, (std::vector<std::string>{"Fresh", "Merged"}));
}

TEST(ProductMix, IgnoresClosedRetiredAndOtherLines) {
    const ProductLine widgets = make_line(1, "Widgets");
    ProductLine legacy = make_line(2, "Legacy");
    legacy.active = false;
    const ProductLine other = make_line(3, "Other");
    FunnelBuilder b;
    b.line(widgets).line(legacy).line(widgets);  // listed twice: still one line
    b.opps(widgets, 2, 1).opps(legacy, 3, 0).opps(other, 4, 0);
    b.add(widgets, "Won Co", CustomerType::existing, 9000, Stage::won);
    b.add(widgets, "Lost Co", CustomerType::existing, 9000, Stage::lost);
    const RepFunnel f = b.build();

    const ProductMix mix = product_mix(f.responsible_lines, f.opportunities, Goals{}, kToday);

    ASSERT_EQ(mix.lines.size(), 1u);
    EXPECT_EQ(mix.open_count, 2);
    EXPECT_EQ(mix.open_amount, 2000);
    EXPECT_EQ(mix.top_share, (Share{2, 2}));
    EXPECT_EQ(mix.top_two_share, (Share{2, 2}));
}

TEST(ProductMix, LinesToLookAtPutNewAndAcquiredFirstThenEmptyThenSmallest) {
    ProductLine widgets = make_line(1, "Widgets");
    ProductLine big = make_line(2, "Big");
    ProductLine small = make_line(3, "small");
    ProductLine empty = make_line(4, "Empty");
    ProductLine fresh = make_line(5, "Fresh");
    fresh.introduced_on = kToday - std::chrono::days{5};
    ProductLine merged = make_line(6, "Merged");
    merged.acquired = true;
    FunnelBuilder b;
    b.line(widgets).line(big).line(small).line(empty).line(fresh).line(merged);
    b.opps(widgets, 10, 0).opps(big, 4, 0).opps(small, 2, 0).opps(merged, 3, 0);
    const RepFunnel f = b.build();
    const ProductMix mix = product_mix(f.responsible_lines, f.opportunities, Goals{}, kToday);

    // The top line (Widgets) is left out; Merged holds 3 of 19 = 16 %, yet still comes first
    // with Fresh because both are new or acquired.
    EXPECT_EQ(names(lines_to_look_at(mix)),
              (std::vector<std::string>{"Fresh", "Merged", "Empty", "small", "Big"}));
}

}  // namespace
}  // namespace funnelbot::analysis

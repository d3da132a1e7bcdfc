#include "analysis/team_summary.hpp"

#include <gtest/gtest.h>

#include "analysis/money.hpp"
#include "builders.hpp"

namespace funnelbot::analysis {
namespace {

using namespace std::chrono_literals;
using testing::FunnelBuilder;
using testing::kNow;
using testing::kToday;
using testing::make_line;

const ProductLine kWidgets = make_line(1, "Widgets", "Hardware");
const ProductLine kGadgets = make_line(2, "Gadgets", "Hardware");
const ProductLine kServices = make_line(3, "Services");  // no category

ProductLine new_thing() {
    ProductLine line = make_line(4, "NewThing", "Software");
    line.introduced_on = kToday - std::chrono::days{10};
    return line;
}

ProductLine legacy() {
    ProductLine line = make_line(5, "Legacy", "Hardware");
    line.active = false;
    return line;
}

// Calendar Q1 2026.
const Instant kQuarterBegin{std::chrono::sys_days{std::chrono::year{2026} / 1 / 1}};
const Instant kQuarterEnd{std::chrono::sys_days{std::chrono::year{2026} / 4 / 1}};

void won(FunnelBuilder& b, Money amount, Instant closed, Stage stage = Stage::won) {
    b.add(kWidgets, "Won Co", CustomerType::existing, amount, stage).closed_at = closed;
}

TEST(TeamSummary, RowsMixAndCoachingList) {
    TeamSummaryBuilder builder("Sales East", {kWidgets, kGadgets, kServices, new_thing(), legacy()},
                               Goals{}, Clock{kNow, kToday}, kQuarterBegin, kQuarterEnd);

    // Ann: 8/1/1 with 5 of 10 new (score 79, concentrated); met her 5,000 quota exactly.
    FunnelBuilder ann;
    ann.line(kWidgets).line(kGadgets).line(kServices);
    ann.opps(kWidgets, 8, 4).opps(kGadgets, 1, 1).opps(kServices, 1, 0);
    ann.opps(legacy(), 1, 0);       // retired: counted nowhere
    won(ann, 3000, kQuarterBegin);  // first second of the quarter: in
    won(ann, 2000, kQuarterBegin + std::chrono::days{10});
    won(ann, 7000, kQuarterBegin - 1s);               // last quarter
    won(ann, 9000, kQuarterEnd);                      // next quarter
    won(ann, 4000, kQuarterBegin + 1h, Stage::lost);  // lost, not won
    Goals ann_goals;
    ann_goals.quota_per_quarter = 5000;
    ann.goals(ann_goals);
    const RepRow& ann_row = builder.add_rep(11, "Ann", ann.build());
    EXPECT_EQ(ann_row.name, "Ann");
    EXPECT_EQ(ann_row.score, 79);

    // Bob: 2 on each of four lines, 4 of 8 new (score 100, no flag); 4,000 of a 10,000 quota.
    FunnelBuilder bob;
    bob.line(kWidgets).line(kGadgets).line(kServices).line(new_thing());
    bob.opps(kWidgets, 2, 1).opps(kGadgets, 2, 1).opps(kServices, 2, 1).opps(new_thing(), 2, 1);
    won(bob, 4000, kQuarterBegin + std::chrono::days{40});
    Goals bob_goals;
    bob_goals.quota_per_quarter = 10000;
    bob.goals(bob_goals);
    builder.add_rep(12, "Bob", bob.build());

    // Cy: 2 on each of three lines at 500, 3 of 6 new, no quota: nothing to coach.
    FunnelBuilder cy;
    cy.line(kWidgets).line(kGadgets).line(kServices);
    cy.opps(kWidgets, 2, 1, 500).opps(kGadgets, 2, 1, 500).opps(kServices, 2, 1, 500);
    builder.add_rep(13, "Cy", cy.build());

    // Dee: nothing yet, and a goal of one new-customer opportunity a month.
    FunnelBuilder dee;
    dee.line(kWidgets);
    Goals dee_goals;
    dee_goals.new_opps_per_month = 1;
    dee.goals(dee_goals);
    builder.add_rep(14, "Dee", dee.build());

    const TeamSummary s = std::move(builder).finish();

    EXPECT_EQ(s.team_name, "Sales East");
    ASSERT_EQ(s.rows.size(), 4u);
    const RepRow& a = s.rows[0];
    EXPECT_EQ(a.user_id, 11);
    EXPECT_EQ(a.open_count, 10);
    EXPECT_EQ(a.pipeline, 10000);
    EXPECT_EQ(a.top_line, "Widgets");
    EXPECT_EQ(a.top_share, (Share{8, 10}));
    EXPECT_EQ(a.new_share, (Share{5, 10}));
    EXPECT_EQ(a.score, 79);
    EXPECT_EQ(a.flags, (std::vector<Flag>{Flag::concentrated}));
    EXPECT_EQ(a.won_this_quarter, 5000);  // 3,000 + 2,000
    EXPECT_EQ(a.quota, 5000);
    EXPECT_FALSE(a.below_quota);
    EXPECT_TRUE(a.to_coach);

    const RepRow& b = s.rows[1];
    EXPECT_EQ(b.name, "Bob");
    EXPECT_EQ(b.open_count, 8);
    EXPECT_EQ(b.pipeline, 8000);
    EXPECT_EQ(b.top_line, "Gadgets");  // all tie: first by name
    EXPECT_EQ(b.top_share, (Share{2, 8}));
    EXPECT_EQ(b.score, 100);
    EXPECT_TRUE(b.flags.empty());
    EXPECT_EQ(b.won_this_quarter, 4000);
    EXPECT_TRUE(b.below_quota);
    EXPECT_TRUE(b.to_coach);

    const RepRow& c = s.rows[2];
    EXPECT_EQ(c.pipeline, 3000);
    EXPECT_EQ(c.score, 100);
    EXPECT_FALSE(c.quota.has_value());
    EXPECT_FALSE(c.below_quota);
    EXPECT_FALSE(c.to_coach);

    const RepRow& d = s.rows[3];
    EXPECT_EQ(d.open_count, 0);
    EXPECT_EQ(d.top_line, "");
    EXPECT_EQ(d.top_share, (Share{0, 0}));
    EXPECT_FALSE(d.score.has_value());
    EXPECT_EQ(d.flags, (std::vector<Flag>{Flag::below_new_opps_goal}));
    EXPECT_TRUE(d.to_coach);

    EXPECT_EQ(s.open_count, 24);          // 10 + 8 + 6 + 0
    EXPECT_EQ(s.pipeline, 21000);         // 10,000 + 8,000 + 3,000
    EXPECT_EQ(s.won_this_quarter, 9000);  // 5,000 + 4,000

    // By line over the 24 open opportunities on active lines (Legacy is retired):
    // Widgets 8 + 2 + 2 = 12, Gadgets 1 + 2 + 2 = 5, Services 5, NewThing 2.
    ASSERT_EQ(s.by_line.size(), 4u);
    EXPECT_EQ(s.by_line[0].name, "Widgets");
    EXPECT_EQ(s.by_line[0].count, 12);
    EXPECT_EQ(s.by_line[0].share, (Share{12, 24}));
    EXPECT_EQ(s.by_line[0].amount, 11000);    // 8,000 + 2,000 + 1,000
    EXPECT_EQ(s.by_line[1].name, "Gadgets");  // ties Services: by name
    EXPECT_EQ(s.by_line[1].count, 5);
    EXPECT_EQ(s.by_line[1].share.percent(), 21);  // 20.8
    EXPECT_EQ(s.by_line[1].amount, 4000);
    EXPECT_EQ(s.by_line[2].name, "Services");
    EXPECT_EQ(s.by_line[3].name, "NewThing");
    EXPECT_EQ(s.by_line[3].share.percent(), 8);  // 8.3

    // By category: Hardware 12 + 5 = 17 (70.8 % -> 71 %), Uncategorised 5, Software 2.
    ASSERT_EQ(s.by_category.size(), 3u);
    EXPECT_EQ(s.by_category[0].name, "Hardware");
    EXPECT_EQ(s.by_category[0].count, 17);
    EXPECT_EQ(s.by_category[0].share.percent(), 71);
    EXPECT_EQ(s.by_category[0].amount, 15000);
    EXPECT_EQ(s.by_category[1].name, "Uncategorised");
    EXPECT_EQ(s.by_category[1].count, 5);
    EXPECT_EQ(s.by_category[1].amount, 4000);
    EXPECT_EQ(s.by_category[2].name, "Software");
    EXPECT_EQ(s.by_category[2].count, 2);

    // NewThing, introduced 10 days ago, holds 2 of 24 = 8.3 % < 10 % of the team's funnel,
    // though it is 25 % of Bob's.
    EXPECT_EQ(s.languishing_lines, (std::vector<std::string>{"NewThing"}));
    EXPECT_EQ(s.reps_to_coach, (std::vector<std::string>{"Ann", "Bob", "Dee"}));
}

TEST(TeamSummary, EmptyTeamListsNewLinesAsLanguishing) {
    ProductLine merged = make_line(6, "Merged");
    merged.acquired = true;
    const TeamSummary s = TeamSummaryBuilder("Empty", {kWidgets, new_thing(), merged}, Goals{},
                                             Clock{kNow, kToday}, kQuarterBegin, kQuarterEnd)
                              .finish();
    EXPECT_TRUE(s.rows.empty());
    EXPECT_EQ(s.by_line.size(), 3u);
    EXPECT_EQ(s.by_line[0].share, (Share{0, 0}));
    EXPECT_EQ(s.languishing_lines, (std::vector<std::string>{"Merged", "NewThing"}));
    EXPECT_TRUE(s.reps_to_coach.empty());
}

TEST(TeamSummary, ThousandRepsOfHundredOpportunities) {
    // The builder keeps one row per rep and one counter per line, never the opportunities.
    FunnelBuilder rep;
    rep.line(kWidgets).line(kGadgets).opps(kWidgets, 50, 25).opps(kGadgets, 50, 25);
    const RepFunnel funnel = rep.build();
    TeamSummaryBuilder builder("Big", {kWidgets, kGadgets}, Goals{}, Clock{kNow, kToday},
                               kQuarterBegin, kQuarterEnd);
    for (Id id = 1; id <= 1000; ++id) {
        builder.add_rep(id, "Rep " + std::to_string(id), funnel);
    }
    const TeamSummary s = std::move(builder).finish();
    EXPECT_EQ(s.rows.size(), 1000u);
    EXPECT_EQ(s.open_count, 100000);
    EXPECT_EQ(s.by_line[0].count, 50000);
    EXPECT_EQ(s.by_line[0].share, (Share{50000, 100000}));
    EXPECT_TRUE(s.reps_to_coach.empty());
}

// Sums over a team: the pipeline, the won amount and the category mix saturate, never wrap.
TEST(TeamSummary, TeamSumsStopAtTheLargestAmount) {
    TeamSummaryBuilder builder("Whales", {kWidgets, kGadgets}, Goals{}, Clock{kNow, kToday},
                               kQuarterBegin, kQuarterEnd);
    const Money huge = 5'000'000'000'000'000'000;  // minor units; two of them overflow int64
    for (Id rep : {21, 22}) {
        FunnelBuilder b;
        b.line(kWidgets).line(kGadgets);
        b.opps(kWidgets, 1, 1, huge);
        won(b, huge, kQuarterBegin + std::chrono::days{1});
        builder.add_rep(rep, "Rep " + std::to_string(rep), b.build());
    }
    const TeamSummary s = std::move(builder).finish();
    EXPECT_EQ(s.pipeline, kMoneyMax);
    EXPECT_EQ(s.won_this_quarter, kMoneyMax);
    ASSERT_FALSE(s.by_line.empty());
    EXPECT_EQ(s.by_line[0].amount, kMoneyMax);
    ASSERT_FALSE(s.by_category.empty());
    EXPECT_EQ(s.by_category[0].amount, kMoneyMax);
    EXPECT_EQ(s.rows[0].pipeline, huge);
}

}  // namespace
}  // namespace funnelbot::analysis

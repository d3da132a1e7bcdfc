#include "analysis/weekend_review.hpp"

#include <gtest/gtest.h>

#include "builders.hpp"

namespace funnelbot::analysis {
namespace {

using testing::FunnelBuilder;
using testing::kNow;
using testing::kToday;
using testing::make_line;

const ProductLine kWidgets = make_line(1, "Widgets");
const ProductLine kGadgets = make_line(2, "Gadgets");
const ProductLine kServices = make_line(3, "Services");

TEST(WeekendReview, QuestionsAreVerbatimFromTheEssay) {
    EXPECT_STREQ(kReviewQuestions[0],
                 "Do one or two product lines dominate the opportunities you are pursuing?");
    EXPECT_STREQ(kReviewQuestions[1],
                 "If so, what will you do to find opportunities with the other product lines?");
    EXPECT_STREQ(kReviewQuestions[2],
                 "Have you looked at your current customers and how to sell them more of the "
                 "portfolio?");
    EXPECT_STREQ(kReviewQuestions[3],
                 "Are you going back to the same customers all the time? What percent of your "
                 "opportunities are from potentially new customers?");
    EXPECT_STREQ(kReviewQuestions[4],
                 "Looking at your territory, what are you doing to go after new customers?");
}

// Widgets 8 (Acme ×3, Beta, Cobalt ×2, Dyna ×2), Gadgets 1 (Echo), Services 1 (Beta), and a
// line introduced ten days ago with nothing. 5 of 10 with new customers (Cobalt, Dyna, Echo).
RepFunnel reviewed_funnel() {
    ProductLine fresh = make_line(4, "Fresh");
    fresh.introduced_on = kToday - std::chrono::days{10};
    FunnelBuilder b;
    b.line(kWidgets).line(kGadgets).line(kServices).line(fresh);
    for (int i = 0; i < 3; ++i) {
        b.add(kWidgets, "Acme", CustomerType::existing);
    }
    b.add(kWidgets, "Beta", CustomerType::existing);
    for (int i = 0; i < 2; ++i) {
        b.add(kWidgets, "Cobalt", CustomerType::new_customer);
        b.add(kWidgets, "Dyna", CustomerType::new_customer);
    }
    b.add(kGadgets, "Echo", CustomerType::new_customer);
    b.add(kServices, "Beta", CustomerType::existing);
    // One new-customer opportunity in the last 30 days, three days ago; goal 2 a month.
    b.funnel().opportunities[4].created_at = kNow - std::chrono::days{3};
    Goals goals;
    goals.new_opps_per_month = 2;
    b.goals(goals);
    b.funnel().cross_sell.line_popularity = {{1, 6}, {2, 2}, {3, 4}};
    b.funnel().cross_sell.accounts = {
        {10, "Acme", {1}},         // missing Services (4), Gadgets (2), Fresh (0)
        {11, "Beta", {1, 3}},      // missing Gadgets, Fresh
        {12, "Zed", {1, 2, 3}},    // missing Fresh
        {13, "Omega", {1, 2, 3}},  // missing Fresh
        {14, "Full", {1, 2, 3, 4}},
    };
    return b.build();
}

TEST(WeekendReview, AnswersComeFromTheFigures) {
    const FunnelReport report = check_balance(reviewed_funnel());
    const WeekendReview review = weekend_review(report);

    EXPECT_FALSE(review.empty);
    for (std::size_t i = 0; i < 5; ++i) {
        EXPECT_EQ(review.answers[i].question, kReviewQuestions[i]);
    }
    // Widgets 8 of 10 = 80 % > 70 %; Widgets + Gadgets (ties Services on count and amount,
    // first by name) = 9 of 10 = 90 %.
    EXPECT_EQ(review.answers[0].answer,
              "Yes. Widgets is 80 % of your open opportunities (8 of 10), above the guideline of "
              "at most 70 %; Widgets and Gadgets together are 90 %.");
    // The new line first, then the smallest (1 each, by name).
    EXPECT_EQ(review.answers[1].answer,
              "Look for opportunities with Fresh (introduced recently, no opportunities), Gadgets "
              "(1 opportunity, 10 %) and Services (1 opportunity, 10 %).");
    // Four of the five current customers have gaps; three are named, by name.
    EXPECT_EQ(review.answers[2].answer,
              "4 of your 5 current customers have not been offered all your lines yet: Acme is "
              "missing Services, Gadgets and Fresh; Beta is missing Gadgets and Fresh; Omega is "
              "missing Fresh …and 1 more.");
    // 5 distinct customers; the top three Acme 3, then Beta and Cobalt (2 each, before Dyna by
    // name): 7 of 10 = 70 %.
    EXPECT_EQ(review.answers[3].answer,
              "New customers 50 % (5 of 10 open opportunities; target 50 % ± 15, within the "
              "range). 5 distinct customers; the top 3 (Acme, Beta and Cobalt) hold 70 % of your "
              "open opportunities.");
    EXPECT_EQ(review.answers[4].answer,
              "You added 1 new-customer opportunity in the last 30 days (goal: 2 a month, below "
              "goal). The last one was 3 days ago.");
    EXPECT_EQ(review.next_step,
              "Widgets is 80 % of your open opportunities (guideline: at most 70 %). Find "
              "opportunities for Fresh, Gadgets and Services.");
    EXPECT_EQ(review.next_step, report.next_steps.front());
}

TEST(WeekendReview, BalancedFunnelSaysKeepItUp) {
    Goals goals;
    goals.territory = Territory::new_customers;
    FunnelBuilder b;
    b.line(kWidgets).line(kGadgets).goals(goals);
    b.opps(kWidgets, 5, 5, 1000, "W").opps(kGadgets, 5, 4, 1000, "G");
    b.funnel().opportunities[0].created_at = kNow;
    const WeekendReview review = weekend_review(check_balance(b.build()));

    // Gadgets and Widgets tie on count and amount: by name.
    EXPECT_EQ(review.answers[0].answer,
              "No. Your top line, Gadgets, is 50 % of your open opportunities (5 of 10), within "
              "the guideline of at most 70 %; Gadgets and Widgets together are 100 %.");
    EXPECT_EQ(review.answers[1].answer,
              "No line dominates, so keep the spread. Lines to keep an eye on: Widgets (5 "
              "opportunities, 50 %).");
    EXPECT_EQ(review.answers[2].answer,
              "You have no current customers among your accounts yet: once a customer has bought "
              "from you, the review shows which of your lines it has not been offered.");
    EXPECT_EQ(review.answers[3].answer,
              "New customers 90 % (9 of 10 open opportunities; your territory is focused on new "
              "customers, so there is no split target). 10 distinct customers; the top 3 (G0, G1 "
              "and G2) hold 30 % of your open opportunities.");
    EXPECT_EQ(review.answers[4].answer,
              "You added 1 new-customer opportunity in the last 30 days. The last one was added "
              "today.");
    EXPECT_EQ(review.next_step,
              "Your funnel is balanced: keep it up, and keep adding opportunities with new "
              "customers and across all your lines.");
}

TEST(WeekendReview, EmptyFunnelSaysThereIsNothingToReviewYet) {
    FunnelBuilder b;
    b.line(kWidgets);
    const WeekendReview review = weekend_review(check_balance(b.build()));
    EXPECT_TRUE(review.empty);
    for (std::size_t i = 0; i < 5; ++i) {
        EXPECT_EQ(review.answers[i].question, kReviewQuestions[i]);
        EXPECT_EQ(review.answers[i].answer,
                  "Nothing to review yet: you have no open opportunities on your product lines. "
                  "Log them with /opp add <customer> product:<line>.");
    }
    EXPECT_EQ(review.next_step,
              "Your funnel has no open opportunities on your product lines yet. Log each one with "
              "/opp add <customer> product:<line> to get your balance check.");
}

TEST(WeekendReview, SingleLineAndCoveredCustomers) {
    FunnelBuilder b;
    b.line(kWidgets).opps(kWidgets, 4, 2);
    b.funnel().cross_sell.accounts = {{10, "Acme", {1}}};
    const WeekendReview review = weekend_review(check_balance(b.build()));
    EXPECT_EQ(review.answers[0].answer,
              "You are responsible for one product line, Widgets: all 4 open opportunities are on "
              "it.");
    EXPECT_EQ(review.answers[1].answer,
              "There are no other lines to look at: Widgets is the only product line you are "
              "responsible for.");
    EXPECT_EQ(review.answers[2].answer,
              "Yes: your 1 current customer has bought or been offered every one of your lines.");
    EXPECT_EQ(review.answers[4].answer,
              "You added 0 new-customer opportunities in the last 30 days. The last one was 60 "
              "days ago.");
}

}  // namespace
}  // namespace funnelbot::analysis

#include "analysis/weekend_review.hpp"

#include "analysis/text.hpp"

namespace funnelbot::analysis {

const std::array<const char*, 5> kReviewQuestions = {
    "Do one or two product lines dominate the opportunities you are pursuing?",
    "If so, what will you do to find opportunities with the other product lines?",
    "Have you looked at your current customers and how to sell them more of the portfolio?",
    "Are you going back to the same customers all the time? What percent of your "
    "opportunities are from potentially new customers?",
    "Looking at your territory, what are you doing to go after new customers?",
};

namespace {

constexpr std::size_t kMaxNamed = 3;

std::string of_total(std::int64_t part, std::int64_t whole) {
    return std::to_string(part) + " of " + std::to_string(whole);
}

// Q1: which lines lead, and whether the top one is over the guideline.
std::string dominance(const ProductMix& mix) {
    const LineMix& top = mix.lines[0];
    if (mix.lines.size() == 1) {
        return "You are responsible for one product line, " + top.name + ": all " +
               text::count_of(mix.open_count, "open opportunity is", "open opportunities are") +
               " on it.";
    }
    const std::string share = " is " + text::percent(mix.top_share) +
                              " of your open opportunities (" +
                              of_total(top.count, mix.open_count) + ")";
    const std::string guideline = "the guideline of at most " + std::to_string(mix.max_line_pct) +
                                  " %; " + top.name + " and " + mix.lines[1].name +
                                  " together are " + text::percent(mix.top_two_share) + ".";
    if (mix.concentrated) {
        return "Yes. " + top.name + share + ", above " + guideline;
    }
    return "No. Your top line, " + top.name + "," + share + ", within " + guideline;
}

std::string describe(const LineMix& line) {
    std::vector<std::string> facts;
    if (line.recently_introduced) {
        facts.push_back("introduced recently");
    }
    if (line.acquired) {
        facts.push_back("acquired");
    }
    if (line.count == 0) {
        facts.push_back("no opportunities");
    } else {
        facts.push_back(text::count_of(line.count, "opportunity", "opportunities") + ", " +
                        text::percent(line.count_share));
    }
    std::string out = line.name + " (";
    for (std::size_t i = 0; i < facts.size(); ++i) {
        out += (i > 0 ? ", " : "") + facts[i];
    }
    return out + ")";
}

// Q2: the other lines worth attention, new or acquired first, then empty, then smallest.
std::string other_lines(const ProductMix& mix) {
    if (mix.lines.size() <= 1) {
        return "There are no other lines to look at: " + mix.lines[0].name +
               " is the only product line you are responsible for.";
    }
    const std::vector<LineMix> look = lines_to_look_at(mix);
    std::vector<std::string> named;
    for (std::size_t i = 0; i < look.size() && i < kMaxNamed; ++i) {
        named.push_back(describe(look[i]));
    }
    if (look.size() > kMaxNamed) {
        named.push_back(
            text::count_of(static_cast<std::int64_t>(look.size() - kMaxNamed), "more", "more"));
    }
    if (mix.concentrated) {
        return "Look for opportunities with " + text::join_and(named) + ".";
    }
    return "No line dominates, so keep the spread. Lines to keep an eye on: " +
           text::join_and(named) + ".";
}

// Q3: cross-sell gaps, a few accounts named.
std::string portfolio(const FunnelReport& r) {
    if (r.current_accounts == 0) {
        return "You have no current customers among your accounts yet: once a customer has "
               "bought from you, the review shows which of your lines it has not been offered.";
    }
    if (r.cross_sell.empty()) {
        return "Yes: your " +
               text::count_of(r.current_accounts, "current customer has",
                              "current customers have") +
               " bought or been offered every one of your lines.";
    }
    const auto gaps = static_cast<std::int64_t>(r.cross_sell.size());
    std::string out = std::to_string(gaps) + " of your " +
                      text::count_of(r.current_accounts, "current customer", "current customers") +
                      (gaps == 1 ? " has" : " have") + " not been offered all your lines yet: ";
    for (std::size_t i = 0; i < r.cross_sell.size() && i < kMaxNamed; ++i) {
        const CrossSellGap& gap = r.cross_sell[i];
        if (i > 0) {
            out += "; ";
        }
        out += gap.customer_name + " is missing " + text::join_and(gap.lines);
    }
    if (r.cross_sell.size() > kMaxNamed) {
        out += " …and " + std::to_string(r.cross_sell.size() - kMaxNamed) + " more";
    }
    return out + ".";
}

// Q4: new-customer share and concentration on a few accounts.
std::string customers(const FunnelReport& r) {
    const CustomerMix& c = r.customers;
    std::string out = "New customers " + text::percent(c.new_share) + " (" +
                      of_total(c.new_count, c.new_share.whole) + " open opportunities; ";
    switch (c.territory) {
        case Territory::balanced:
            out += "target " + std::to_string(c.target_pct) + " % ± " +
                   std::to_string(c.tolerance_pct) + ", ";
            out += c.too_few_new    ? "below the range)."
                   : c.too_many_new ? "above the range)."
                                    : "within the range).";
            break;
        case Territory::new_customers:
            out += "your territory is focused on new customers, so there is no split target).";
            break;
        case Territory::existing_customers:
            out +=
                "your territory is focused on current customers, so there is no split "
                "target).";
            break;
    }
    const CustomerConcentration& k = r.concentration;
    std::vector<std::string> top;
    for (const CustomerCount& cc : k.top_customers) {
        top.push_back(cc.name);
    }
    out += " " + text::count_of(k.distinct_customers, "distinct customer", "distinct customers") +
           "; ";
    if (k.top_customers.size() == 1) {
        out += "all of them are with " + top[0] + ".";
    } else {
        out += "the top " + std::to_string(top.size()) + " (" + text::join_and(top) + ") hold " +
               text::percent(k.top_three_share) + " of your open opportunities.";
    }
    return out;
}

// Q5: new-customer opportunities added recently against the goal.
std::string new_customer_push(const NewCustomerActivity& a) {
    if (!a.days_since_last) {
        std::string out = "You have not logged any new-customer opportunity yet";
        if (a.goal_per_month) {
            out += " (goal: " + std::to_string(*a.goal_per_month) + " a month)";
        }
        return out + ". Pick a few prospects in your territory and log a first opportunity.";
    }
    std::string out = "You added " +
                      text::count_of(a.created_last_30_days, "new-customer opportunity",
                                     "new-customer opportunities") +
                      " in the last 30 days";
    if (a.goal_per_month) {
        out += " (goal: " + std::to_string(*a.goal_per_month) + " a month, " +
               (a.below_goal ? "below goal" : "on track") + ")";
    }
    out += ". ";
    out += *a.days_since_last == 0
               ? "The last one was added today."
               : "The last one was " + text::count_of(*a.days_since_last, "day", "days") + " ago.";
    return out;
}

}  // namespace

WeekendReview weekend_review(const FunnelReport& report) {
    WeekendReview review;
    review.empty = report.empty;
    for (std::size_t i = 0; i < review.answers.size(); ++i) {
        review.answers[i].question = kReviewQuestions[i];
    }
    if (report.empty) {
        const std::string nothing =
            "Nothing to review yet: you have no open opportunities on your product lines. Log "
            "them with /opp add <customer> product:<line>.";
        for (ReviewAnswer& a : review.answers) {
            a.answer = nothing;
        }
    } else {
        review.answers[0].answer = dominance(report.mix);
        review.answers[1].answer = other_lines(report.mix);
        review.answers[2].answer = portfolio(report);
        review.answers[3].answer = customers(report);
        review.answers[4].answer = new_customer_push(report.activity);
    }
    review.next_step = !report.next_steps.empty()
                           ? report.next_steps.front()
                           : "Your funnel is balanced: keep it up, and keep adding opportunities "
                             "with new customers and across all your lines.";
    return review;
}

}  // namespace funnelbot::analysis

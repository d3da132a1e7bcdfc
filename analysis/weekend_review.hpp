// The essay's five weekend questions, answered from a rep's figures.
#pragma once

#include <array>
#include <string>

#include "analysis/balance_check.hpp"

namespace funnelbot::analysis {

// The five weekend review questions, verbatim as the sales-coaching essay asks them.
extern const std::array<const char*, 5> kReviewQuestions;

struct ReviewAnswer {
    std::string question;
    std::string answer;
};

struct WeekendReview {
    bool empty = true;  // empty funnel: answers say to log opportunities
    std::array<ReviewAnswer, 5> answers;
    std::string next_step;  // the single most useful next step
};

WeekendReview weekend_review(const FunnelReport& report);

}  // namespace funnelbot::analysis

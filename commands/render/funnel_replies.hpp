// Replies built from analysis results: the balance check, the weekend review and the team
// summary. Commands and the Friday reminders both use them.
#pragma once

#include <string>
#include <string_view>

#include "analysis/balance_check.hpp"
#include "analysis/team_summary.hpp"
#include "analysis/weekend_review.hpp"
#include "commands/reply.hpp"

namespace funnelbot::commands {

// `who` is the rep's name; `self` when the rep asked about their own funnel.
Reply funnel_check_reply(const analysis::FunnelReport& report, const analysis::Goals& goals,
                         const std::string& who, bool self, std::string_view currency);

Reply weekend_review_reply(const analysis::WeekendReview& review, const std::string& who,
                           bool self);

Reply team_summary_reply(const analysis::TeamSummary& summary, std::string_view currency);

// "one line", "few new", … — the short words used in the team table.
std::string_view flag_word(analysis::Flag flag);

}  // namespace funnelbot::commands

// A manager's view over many reps, built one rep at a time so memory stays bounded.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "analysis/balance_check.hpp"

namespace funnelbot::analysis {

struct RepRow {
    Id user_id = 0;
    std::string name;
    std::int64_t open_count = 0;
    Money pipeline = 0;    // open amount on responsible lines
    std::string top_line;  // empty for an empty funnel
    Share top_share;
    Share new_share;
    std::optional<int> score;
    std::vector<Flag> flags;
    Money won_this_quarter = 0;  // won amount with closed_at in [quarter_begin, quarter_end)
    std::optional<Money> quota;
    bool below_quota = false;  // only when a quota is set
    bool to_coach = false;     // any flag, or below a goal
};

struct MixRow {
    std::string name;  // line or category ("Uncategorised" for none)
    std::int64_t count = 0;
    Share share;
    Money amount = 0;
};

struct TeamSummary {
    std::string team_name;
    std::vector<RepRow> rows;         // in the order reps were added
    std::vector<MixRow> by_line;      // count desc, then name
    std::vector<MixRow> by_category;  // count desc, then name
    std::int64_t open_count = 0;
    Money pipeline = 0;
    Money won_this_quarter = 0;
    std::vector<std::string> languishing_lines;  // languishing for the team as a whole
    std::vector<std::string> reps_to_coach;      // names, in row order
};

class TeamSummaryBuilder {
public:
    // `lines`: the workspace's active lines (for team-wide mix and languishing lines).
    TeamSummaryBuilder(std::string team_name, std::vector<ProductLine> lines, Goals team_goals,
                       Clock clock, Instant quarter_begin, Instant quarter_end);

    // Runs the balance check on one rep and folds it into the summary. The funnel's own
    // goals apply to the rep's row.
    const RepRow& add_rep(Id user_id, const std::string& name, const RepFunnel& funnel);

    TeamSummary finish() &&;

private:
    TeamSummary summary_;
    std::vector<ProductLine> lines_;
    Goals team_goals_;
    Clock clock_;
    Instant quarter_begin_;
    Instant quarter_end_;
    std::vector<std::int64_t> line_counts_;  // parallel to lines_
    std::vector<Money> line_amounts_;
};

}  // namespace funnelbot::analysis

#include "analysis/team_summary.hpp"

#include <algorithm>
#include <map>

#include "analysis/money.hpp"
#include "analysis/product_mix.hpp"
#include "analysis/text.hpp"

namespace funnelbot::analysis {
namespace {

// Count descending, then name.
void sort_mix(std::vector<MixRow>& rows) {
    std::sort(rows.begin(), rows.end(), [](const MixRow& a, const MixRow& b) {
        if (a.count != b.count) {
            return a.count > b.count;
        }
        return text::name_less(a.name, b.name);
    });
}

}  // namespace

TeamSummaryBuilder::TeamSummaryBuilder(std::string team_name, std::vector<ProductLine> lines,
                                       Goals team_goals, Clock clock, Instant quarter_begin,
                                       Instant quarter_end)
    : lines_(std::move(lines)),
      team_goals_(team_goals),
      clock_(clock),
      quarter_begin_(quarter_begin),
      quarter_end_(quarter_end) {
    summary_.team_name = std::move(team_name);
    // Retired lines count nowhere. Sorted by id so add_rep finds a line by binary search; one
    // entry per id.
    std::erase_if(lines_, [](const ProductLine& line) { return !line.active; });
    std::sort(lines_.begin(), lines_.end(),
              [](const ProductLine& a, const ProductLine& b) { return a.id < b.id; });
    lines_.erase(
        std::unique(lines_.begin(), lines_.end(),
                    [](const ProductLine& a, const ProductLine& b) { return a.id == b.id; }),
        lines_.end());
    line_counts_.assign(lines_.size(), 0);
    line_amounts_.assign(lines_.size(), 0);
}

const RepRow& TeamSummaryBuilder::add_rep(Id user_id, const std::string& name,
                                          const RepFunnel& funnel) {
    const FunnelReport report = check_balance(funnel);

    RepRow row;
    row.user_id = user_id;
    row.name = name;
    row.open_count = report.mix.open_count;
    row.pipeline = report.mix.open_amount;
    if (!report.empty) {
        row.top_line = report.mix.lines.front().name;
        row.top_share = report.mix.top_share;
    }
    row.new_share = report.customers.new_share;
    if (report.score) {
        row.score = report.score->value;
    }
    row.flags = report.flags;
    row.quota = funnel.goals.quota_per_quarter;

    for (const Opportunity& opp : funnel.opportunities) {
        if (opp.stage == Stage::won && opp.closed_at && *opp.closed_at >= quarter_begin_ &&
            *opp.closed_at < quarter_end_) {
            row.won_this_quarter = add_money(row.won_this_quarter, opp.amount);
        }
        if (!is_open(opp.stage)) {
            continue;
        }
        const auto it =
            std::lower_bound(lines_.begin(), lines_.end(), opp.product_line_id,
                             [](const ProductLine& line, Id id) { return line.id < id; });
        if (it != lines_.end() && it->id == opp.product_line_id) {
            const auto i = static_cast<std::size_t>(it - lines_.begin());
            ++line_counts_[i];
            line_amounts_[i] = add_money(line_amounts_[i], opp.amount);
        }
    }
    row.below_quota = row.quota && row.won_this_quarter < *row.quota;
    row.to_coach = !row.flags.empty() || row.below_quota || report.activity.below_goal;

    summary_.open_count += row.open_count;
    summary_.pipeline = add_money(summary_.pipeline, row.pipeline);
    summary_.won_this_quarter = add_money(summary_.won_this_quarter, row.won_this_quarter);
    if (row.to_coach) {
        summary_.reps_to_coach.push_back(row.name);
    }
    summary_.rows.push_back(std::move(row));
    return summary_.rows.back();
}

TeamSummary TeamSummaryBuilder::finish() && {
    std::int64_t total = 0;
    for (const std::int64_t c : line_counts_) {
        total += c;
    }

    std::vector<std::size_t> order(lines_.size());
    for (std::size_t i = 0; i < order.size(); ++i) {
        order[i] = i;
    }
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        if (line_counts_[a] != line_counts_[b]) {
            return line_counts_[a] > line_counts_[b];
        }
        return text::name_less(lines_[a].name, lines_[b].name);
    });

    std::map<std::string, MixRow> categories;
    for (const std::size_t i : order) {
        const ProductLine& line = lines_[i];
        const Share share{line_counts_[i], total};
        summary_.by_line.push_back(MixRow{line.name, line_counts_[i], share, line_amounts_[i]});

        // Same rule as for one rep, over the team's open opportunities on these lines.
        const bool fresh = recently_introduced(line, team_goals_, clock_.today) || line.acquired;
        if (fresh && share.below_percent(team_goals_.languishing_share_pct)) {
            summary_.languishing_lines.push_back(line.name);
        }

        const std::string category = line.category.empty() ? "Uncategorised" : line.category;
        MixRow& cat = categories[category];
        cat.name = category;
        cat.count += line_counts_[i];
        cat.amount = add_money(cat.amount, line_amounts_[i]);
    }
    for (auto& [name, cat] : categories) {
        cat.share = Share{cat.count, total};
        summary_.by_category.push_back(std::move(cat));
    }
    sort_mix(summary_.by_category);
    return std::move(summary_);
}

}  // namespace funnelbot::analysis

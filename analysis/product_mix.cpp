#include "analysis/product_mix.hpp"

#include <algorithm>
#include <utility>
#include <vector>

#include "analysis/money.hpp"
#include "analysis/text.hpp"

namespace funnelbot::analysis {

bool recently_introduced(const ProductLine& line, const Goals& goals, Date today) {
    if (!line.introduced_on) {
        return false;
    }
    // A launch date in the future also counts: the line is new and has nothing yet.
    return *line.introduced_on > today - std::chrono::days{goals.languishing_days};
}

ProductMix product_mix(const std::vector<ProductLine>& responsible_lines,
                       const std::vector<Opportunity>& open, const Goals& goals, Date today) {
    ProductMix mix;
    mix.max_line_pct = goals.max_line_pct;

    // Each line's row, by line id (sorted: looked up for every open opportunity; a rep has a
    // handful of lines, so a vector rather than a tree).
    std::vector<std::pair<Id, std::size_t>> row_of;
    const auto row_at = [&](Id id) {
        return std::lower_bound(row_of.begin(), row_of.end(), id,
                                [](const auto& entry, Id wanted) { return entry.first < wanted; });
    };
    for (const ProductLine& line : responsible_lines) {
        // Retired lines count nowhere; a line listed twice is one line.
        const auto at = row_at(line.id);
        if (!line.active || (at != row_of.end() && at->first == line.id)) {
            continue;
        }
        row_of.insert(at, {line.id, mix.lines.size()});
        LineMix row;
        row.line_id = line.id;
        row.name = line.name;
        row.category = line.category;
        row.recently_introduced = recently_introduced(line, goals, today);
        row.acquired = line.acquired;
        mix.lines.push_back(std::move(row));
    }

    for (const Opportunity& opp : open) {
        const auto it = row_at(opp.product_line_id);
        if (!is_open(opp.stage) || it == row_of.end() || it->first != opp.product_line_id) {
            continue;
        }
        LineMix& row = mix.lines[it->second];
        ++row.count;
        row.amount = add_money(row.amount, opp.amount);
        ++mix.open_count;
        mix.open_amount = add_money(mix.open_amount, opp.amount);
    }

    for (LineMix& row : mix.lines) {
        row.count_share = Share{row.count, mix.open_count};
        row.amount_share = Share{row.amount, mix.open_amount};
        // With an empty funnel the share is 0, so new and acquired lines still languish.
        row.languishing = (row.recently_introduced || row.acquired) &&
                          row.count_share.below_percent(goals.languishing_share_pct);
    }

    std::sort(mix.lines.begin(), mix.lines.end(), [](const LineMix& a, const LineMix& b) {
        if (a.count != b.count) {
            return a.count > b.count;
        }
        if (a.amount != b.amount) {
            return a.amount > b.amount;
        }
        if (a.name != b.name) {
            return text::name_less(a.name, b.name);
        }
        return a.line_id < b.line_id;
    });

    if (mix.open_count > 0) {
        mix.top_share = mix.lines[0].count_share;
        const std::int64_t second = mix.lines.size() > 1 ? mix.lines[1].count : 0;
        mix.top_two_share = Share{mix.lines[0].count + second, mix.open_count};
        // With one line there is nothing else to sell, so all on it is not a rut.
        mix.concentrated = mix.lines.size() > 1 && mix.top_share.above_percent(goals.max_line_pct);
    }

    for (const LineMix& row : mix.lines) {
        if (row.count == 0) {
            mix.empty_lines.push_back(row.name);
        }
        if (row.languishing) {
            mix.languishing_lines.push_back(row.name);
        }
    }
    return mix;
}

std::vector<LineMix> lines_to_look_at(const ProductMix& mix) {
    std::vector<LineMix> out;
    const std::size_t first = mix.open_count > 0 ? 1 : 0;  // skip the top line
    for (std::size_t i = first; i < mix.lines.size(); ++i) {
        out.push_back(mix.lines[i]);
    }
    const auto group = [](const LineMix& l) {
        if (l.recently_introduced || l.acquired) {
            return 0;
        }
        return l.count == 0 ? 1 : 2;
    };
    std::stable_sort(out.begin(), out.end(), [&](const LineMix& a, const LineMix& b) {
        if (group(a) != group(b)) {
            return group(a) < group(b);
        }
        if (a.count != b.count) {
            return a.count < b.count;
        }
        return text::name_less(a.name, b.name);
    });
    return out;
}

}  // namespace funnelbot::analysis

#include "analysis/cross_sell.hpp"

#include <algorithm>
#include <set>

#include "analysis/text.hpp"

namespace funnelbot::analysis {

std::vector<CrossSellGap> cross_sell_gaps(const std::vector<ProductLine>& responsible_lines,
                                          const CrossSellInput& input) {
    const auto popularity = [&](Id line) {
        const auto it = input.line_popularity.find(line);
        return it == input.line_popularity.end() ? std::int64_t{0} : it->second;
    };

    // Ranked once: every account's gaps keep this order.
    std::vector<const ProductLine*> ranked;
    std::set<Id> seen;
    for (const ProductLine& line : responsible_lines) {
        if (line.active && seen.insert(line.id).second) {
            ranked.push_back(&line);
        }
    }
    std::sort(ranked.begin(), ranked.end(), [&](const ProductLine* a, const ProductLine* b) {
        const std::int64_t pa = popularity(a->id);
        const std::int64_t pb = popularity(b->id);
        if (pa != pb) {
            return pa > pb;
        }
        if (a->name != b->name) {
            return text::name_less(a->name, b->name);
        }
        return a->id < b->id;
    });

    std::vector<CrossSellGap> gaps;
    for (const CrossSellAccount& account : input.accounts) {
        const std::set<Id> covered = [&] {
            std::set<Id> ids(account.bought_lines.begin(), account.bought_lines.end());
            ids.insert(account.open_lines.begin(), account.open_lines.end());
            return ids;
        }();
        CrossSellGap gap;
        gap.customer_id = account.customer_id;
        gap.customer_name = account.name;
        for (const ProductLine* line : ranked) {
            if (!covered.contains(line->id)) {
                gap.lines.push_back(line->name);
            }
        }
        if (!gap.lines.empty()) {
            gaps.push_back(std::move(gap));
        }
    }
    std::sort(gaps.begin(), gaps.end(), [](const CrossSellGap& a, const CrossSellGap& b) {
        if (a.customer_name != b.customer_name) {
            return text::name_less(a.customer_name, b.customer_name);
        }
        return a.customer_id < b.customer_id;
    });
    return gaps;
}

}  // namespace funnelbot::analysis

#include "analysis/cross_sell.hpp"

#include <algorithm>

#include "analysis/text.hpp"

namespace funnelbot::analysis {

std::vector<CrossSellGap> cross_sell_gaps(const std::vector<ProductLine>& responsible_lines,
                                          const CrossSellInput& input) {
    const auto popularity = [&](Id line) {
        const auto it = input.line_popularity.find(line);
        return it == input.line_popularity.end() ? std::int64_t{0} : it->second;
    };

    // Ranked once: every account's gaps keep this order. A handful of lines: a duplicate is
    // found by looking through those kept so far.
    std::vector<const ProductLine*> ranked;
    ranked.reserve(responsible_lines.size());
    for (const ProductLine& line : responsible_lines) {
        if (line.active && std::none_of(ranked.begin(), ranked.end(), [&](const ProductLine* kept) {
                return kept->id == line.id;
            })) {
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

    // An account's lines are a handful: looking through them beats building a set per account.
    const auto covers = [](const CrossSellAccount& account, Id line) {
        return std::find(account.covered_lines.begin(), account.covered_lines.end(), line) !=
               account.covered_lines.end();
    };
    // Accounts with a gap, ordered by name then id (a total order: the input order never
    // shows), before any gap is built, so nothing is copied while sorting.
    std::vector<const CrossSellAccount*> open_accounts;
    for (const CrossSellAccount& account : input.accounts) {
        if (std::any_of(ranked.begin(), ranked.end(),
                        [&](const ProductLine* line) { return !covers(account, line->id); })) {
            open_accounts.push_back(&account);
        }
    }
    std::sort(open_accounts.begin(), open_accounts.end(),
              [](const CrossSellAccount* a, const CrossSellAccount* b) {
                  if (a->name != b->name) {
                      return text::name_less(a->name, b->name);
                  }
                  return a->customer_id < b->customer_id;
              });
    std::vector<CrossSellGap> gaps;
    gaps.reserve(open_accounts.size());
    for (const CrossSellAccount* account : open_accounts) {
        CrossSellGap& gap = gaps.emplace_back();
        gap.customer_id = account->customer_id;
        gap.customer_name = account->name;
        gap.lines.reserve(ranked.size());
        for (const ProductLine* line : ranked) {
            if (!covers(*account, line->id)) {
                gap.lines.push_back(line->name);
            }
        }
    }
    return gaps;
}

}  // namespace funnelbot::analysis

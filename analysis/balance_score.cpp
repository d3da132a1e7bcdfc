#include "analysis/balance_score.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <functional>

namespace funnelbot::analysis {

int round_half_up(double x) {
    return static_cast<int>(std::floor(x + 0.5 + 1e-9));
}

std::optional<BalanceScore> balance_score(const std::vector<std::int64_t>& line_counts,
                                          const Share& new_share, const Goals& goals) {
    std::int64_t total = 0;
    for (const std::int64_t c : line_counts) {
        total += c;
    }
    if (total <= 0) {
        return std::nullopt;
    }

    BalanceScore score;
    const std::size_t k = line_counts.size();
    const bool all_equal = std::adjacent_find(line_counts.begin(), line_counts.end(),
                                              std::not_equal_to<>()) == line_counts.end();
    if (k <= 1 || all_equal) {
        // Exactly 1: the entropy sum would land a hair under it.
        score.product_spread = 1.0;
    } else {
        double entropy = 0.0;
        for (const std::int64_t c : line_counts) {
            if (c > 0) {
                const double p = static_cast<double>(c) / static_cast<double>(total);
                entropy -= p * std::log(p);
            }
        }
        score.product_spread = std::clamp(entropy / std::log(static_cast<double>(k)), 0.0, 1.0);
    }

    if (goals.territory == Territory::balanced) {
        // |part/whole - target/100| / 0.5 = |100 part - target whole| / (50 whole), with the
        // numerator exact in integers.
        const std::int64_t whole = std::max<std::int64_t>(new_share.whole, 1);
        const std::int64_t part = new_share.whole > 0 ? new_share.part : 0;
        const std::int64_t gap = std::llabs(100 * part - goals.new_share_pct * whole);
        const double distance = static_cast<double>(gap) / (50.0 * static_cast<double>(whole));
        score.customer_balance = 1.0 - std::min(1.0, distance);
    } else {
        score.customer_balance = 1.0;
    }

    score.value = std::clamp(
        round_half_up(50.0 * score.product_spread + 50.0 * score.customer_balance), 0, 100);
    return score;
}

}  // namespace funnelbot::analysis

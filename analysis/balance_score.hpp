// The 0-100 balance score (README "What the figures mean": Score).
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "analysis/funnel_types.hpp"
#include "analysis/share.hpp"

namespace funnelbot::analysis {

struct BalanceScore {
    int value = 0;                // round-half-up(50·P + 50·C), 1e-9 tolerance
    double product_spread = 0;    // P: normalized Shannon entropy of line count shares
    double customer_balance = 0;  // C
};

// `line_counts` has one entry per responsible line, zero counts included.
// Empty funnel (all counts zero): no score.
std::optional<BalanceScore> balance_score(const std::vector<std::int64_t>& line_counts,
                                          const Share& new_share, const Goals& goals);

// Round half up with a 1e-9 tolerance, so 78.5 - 1e-12 rounds to 79.
int round_half_up(double x);

}  // namespace funnelbot::analysis

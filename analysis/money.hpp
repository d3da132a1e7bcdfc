// Sums of money that cannot wrap around. Amounts are int64 minor units and every single amount is
// bounded at input, but a sum over a whole team or workspace is not: past the largest amount it
// stays at the largest amount instead of turning negative.
#pragma once

#include <limits>

#include "analysis/funnel_types.hpp"

namespace funnelbot::analysis {

inline constexpr Money kMoneyMax = std::numeric_limits<Money>::max();
inline constexpr Money kMoneyMin = std::numeric_limits<Money>::min();

// a + b, saturated at kMoneyMax (or kMoneyMin).
constexpr Money add_money(Money a, Money b) {
    Money sum = 0;
    if (__builtin_add_overflow(a, b, &sum)) return b > 0 ? kMoneyMax : kMoneyMin;
    return sum;
}

}  // namespace funnelbot::analysis

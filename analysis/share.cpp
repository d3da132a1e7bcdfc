#include "analysis/share.hpp"

#include <limits>

namespace funnelbot::analysis {
namespace {

// floor(a / b) for b > 0 (C++ division truncates toward zero).
std::int64_t floor_div(std::int64_t a, std::int64_t b) {
    std::int64_t q = a / b;
    if (a % b != 0 && a < 0) {
        --q;
    }
    return q;
}

// Sign of a/b - c/d for b, d > 0, exactly and without products that could overflow (amount
// shares are in cents): compare integer parts, then the reciprocals of the remainders.
int compare_fractions(std::int64_t a, std::int64_t b, std::int64_t c, std::int64_t d) {
    for (;;) {
        const std::int64_t qa = floor_div(a, b);
        const std::int64_t qc = floor_div(c, d);
        if (qa != qc) {
            return qa < qc ? -1 : 1;
        }
        const std::int64_t ra = a - qa * b;
        const std::int64_t rc = c - qc * d;
        if (ra == 0 || rc == 0) {
            return ra == rc ? 0 : (ra == 0 ? -1 : 1);
        }
        // ra/b < rc/d  <=>  d/rc < b/ra
        const std::int64_t old_b = b;
        a = d;
        b = rc;
        c = old_b;
        d = ra;
    }
}

}  // namespace

int Share::percent() const {
    if (whole <= 0) {
        return 0;
    }
    const std::int64_t q = floor_div(part, whole);
    const std::int64_t r = part - q * whole;  // 0 <= r < whole
    std::int64_t rounded = 0;
    if (whole <= std::numeric_limits<std::int64_t>::max() / 201) {
        rounded = (200 * r + whole) / (2 * whole);
    } else {
        // Largest k in [0, 100] with k - 1/2 <= 100 r / whole, i.e. (2k - 1)/200 <= r/whole.
        std::int64_t lo = 0;
        std::int64_t hi = 100;
        while (lo < hi) {
            const std::int64_t mid = (lo + hi + 1) / 2;
            if (compare_fractions(2 * mid - 1, 200, r, whole) <= 0) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        rounded = lo;
    }
    return static_cast<int>(100 * q + rounded);
}

bool Share::above_percent(int pct) const {
    if (whole <= 0) {
        return 0 > pct;
    }
    return compare_fractions(part, whole, pct, 100) > 0;
}

bool Share::below_percent(int pct) const {
    if (whole <= 0) {
        return 0 < pct;
    }
    return compare_fractions(part, whole, pct, 100) < 0;
}

bool Share::within(int target_pct, int tolerance_pct) const {
    return !below_percent(target_pct - tolerance_pct) && !above_percent(target_pct + tolerance_pct);
}

double Share::value() const {
    if (whole <= 0) {
        return 0.0;
    }
    return static_cast<double>(part) / static_cast<double>(whole);
}

}  // namespace funnelbot::analysis

// A share of counts (or amounts), kept as an exact fraction so thresholds compare exactly.
#pragma once

#include <cstdint>

namespace funnelbot::analysis {

// A share with whole 0 (an empty funnel) behaves as 0: percent() is 0, below_percent(10) holds.
struct Share {
    std::int64_t part = 0;
    std::int64_t whole = 0;

    // Whole percent, rounded half up; 0 when whole is 0.
    int percent() const;
    // part/whole > pct/100, exactly.
    bool above_percent(int pct) const;
    // part/whole < pct/100, exactly.
    bool below_percent(int pct) const;
    // |part/whole - target/100| <= tolerance/100, exactly.
    bool within(int target_pct, int tolerance_pct) const;
    double value() const;  // part/whole as a double; 0 when whole is 0

    friend bool operator==(const Share&, const Share&) = default;
};

}  // namespace funnelbot::analysis

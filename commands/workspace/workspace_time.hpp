// Calendar facts in a workspace's time zone (date/tz: GCC 12 has no std::chrono::tzdb).
#pragma once

#include <string>
#include <utility>

#include "analysis/funnel_types.hpp"

namespace funnelbot::commands {

bool is_valid_time_zone(const std::string& tz);

// now, and today's date in `tz` (UTC when the zone is unknown).
analysis::Clock clock_in_zone(const std::string& tz, analysis::Instant now);

// [begin, end) of the calendar quarter containing `now`, in `tz`.
std::pair<analysis::Instant, analysis::Instant> quarter_bounds(const std::string& tz,
                                                               analysis::Instant now);

}  // namespace funnelbot::commands

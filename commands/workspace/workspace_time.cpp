#include "commands/workspace/workspace_time.hpp"

#include <date/tz.h>

namespace funnelbot::commands {

namespace {

const date::time_zone* zone_or_null(const std::string& tz) {
    try {
        return date::locate_zone(tz);
    } catch (const std::exception&) {
        return nullptr;
    }
}

const date::time_zone* zone_or_utc(const std::string& tz) {
    if (const auto* z = zone_or_null(tz)) return z;
    return date::locate_zone("UTC");
}

}  // namespace

bool is_valid_time_zone(const std::string& tz) {
    return !tz.empty() && zone_or_null(tz) != nullptr;
}

analysis::Clock clock_in_zone(const std::string& tz, analysis::Instant now) {
    const auto local = zone_or_utc(tz)->to_local(now);
    return analysis::Clock{now, analysis::Date{date::floor<date::days>(local).time_since_epoch()}};
}

std::pair<analysis::Instant, analysis::Instant> quarter_bounds(const std::string& tz,
                                                               analysis::Instant now) {
    const auto* zone = zone_or_utc(tz);
    const auto local_day = date::floor<date::days>(zone->to_local(now));
    const date::year_month_day ymd{local_day};
    const unsigned first_month = (static_cast<unsigned>(ymd.month()) - 1) / 3 * 3 + 1;
    const date::year_month_day begin{ymd.year(), date::month{first_month}, date::day{1}};
    const date::year_month_day end = begin + date::months{3};
    auto to_instant = [&](const date::year_month_day& d) {
        const date::local_days ld{d};
        return std::chrono::time_point_cast<std::chrono::seconds>(
            zone->to_sys(date::local_seconds{ld.time_since_epoch()}, date::choose::earliest));
    };
    return {to_instant(begin), to_instant(end)};
}

}  // namespace funnelbot::commands

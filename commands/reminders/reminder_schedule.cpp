#include "commands/reminders/reminder_schedule.hpp"

#include <date/iso_week.h>
#include <date/tz.h>

#include <cstdio>

namespace funnelbot::commands {

namespace {

const date::time_zone* zone_or_utc(const std::string& tz) {
    try {
        return date::locate_zone(tz.empty() ? "UTC" : tz);
    } catch (const std::exception&) {
        return date::locate_zone("UTC");
    }
}

analysis::Instant to_instant(const date::time_zone* zone, date::local_seconds local,
                             date::choose which) {
    // A nonexistent local time (spring forward) maps to the transition; an ambiguous one
    // (fall back) to `which`.
    const auto info = zone->get_info(local);
    if (info.result == date::local_info::nonexistent) {
        return std::chrono::time_point_cast<std::chrono::seconds>(info.first.end);
    }
    return std::chrono::time_point_cast<std::chrono::seconds>(zone->to_sys(local, which));
}

std::string iso_week_name(date::local_days day) {
    const iso_week::year_weeknum_weekday iso{day};
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-W%02u", static_cast<int>(iso.year()),
                  static_cast<unsigned>(iso.weeknum()));
    return buf;
}

}  // namespace

std::optional<ReminderSlot> due_reminder(const std::string& tz, int weekday, int minute,
                                         analysis::Instant now) {
    const auto* zone = zone_or_utc(tz);
    const auto local_now = zone->to_local(now);
    const date::local_days today = date::floor<date::days>(local_now);
    const date::weekday today_wd{today};
    const int back = (static_cast<int>(today_wd.c_encoding()) - weekday + 7) % 7;
    date::local_days day = today - date::days{back};
    auto scheduled = to_instant(zone, date::local_seconds{day} + std::chrono::minutes{minute},
                                date::choose::earliest);
    if (scheduled > now) {
        // This week's time has not come yet: the slot in force is last week's.
        day -= date::days{7};
        scheduled = to_instant(zone, date::local_seconds{day} + std::chrono::minutes{minute},
                               date::choose::earliest);
    }
    const auto last_second = date::local_seconds{day + date::days{3}} - std::chrono::seconds{1};
    const auto window_end = to_instant(zone, last_second, date::choose::latest);
    if (now > window_end) return std::nullopt;
    return ReminderSlot{iso_week_name(day), scheduled, window_end};
}

}  // namespace funnelbot::commands

// When the Friday reminder is due, with every instant worked out by hand (UTC offsets from the
// IANA rules for 2026).
#include <gtest/gtest.h>

#include "commands/reminders/reminder_schedule.hpp"

namespace funnelbot::commands {
namespace {

using namespace std::chrono;

analysis::Instant utc(int y, unsigned m, unsigned d, int h, int min, int s = 0) {
    return sys_days{year{y} / month{m} / day{d}} + hours{h} + minutes{min} + seconds{s};
}

constexpr int kFriday = 5;
constexpr int kSunday = 0;
constexpr int k1500 = 15 * 60;

TEST(ReminderSchedule, FridayAfternoonInChicagoWithItsWeekendCatchUp) {
    // 2026-11-27 is a Friday; Chicago is on CST (UTC-6): 15:00 local = 21:00Z.
    const auto slot = due_reminder("America/Chicago", kFriday, k1500, utc(2026, 11, 27, 21, 0));
    ASSERT_TRUE(slot.has_value());
    EXPECT_EQ(slot->scheduled, utc(2026, 11, 27, 21, 0));
    EXPECT_EQ(slot->iso_week, "2026-W48");  // day 331, Friday: (331 - 5 + 10) / 7 = 48
    // Sunday 23:59:59 CST = Monday 05:59:59Z.
    EXPECT_EQ(slot->window_end, utc(2026, 11, 30, 5, 59, 59));

    // A minute early: last week's window closed on Sunday the 22nd.
    EXPECT_FALSE(
        due_reminder("America/Chicago", kFriday, k1500, utc(2026, 11, 27, 20, 59)).has_value());
    // Saturday morning and the last second of Sunday still catch up; Monday does not.
    EXPECT_EQ(due_reminder("America/Chicago", kFriday, k1500, utc(2026, 11, 28, 16, 0))->iso_week,
              "2026-W48");
    EXPECT_TRUE(
        due_reminder("America/Chicago", kFriday, k1500, utc(2026, 11, 30, 5, 59, 59)).has_value());
    EXPECT_FALSE(
        due_reminder("America/Chicago", kFriday, k1500, utc(2026, 11, 30, 6, 0)).has_value());
}

TEST(ReminderSchedule, BerlinAcrossTheEndOfSummerTime) {
    // Friday 23 October: CEST (UTC+2), 15:00 = 13:00Z.
    const auto before = due_reminder("Europe/Berlin", kFriday, k1500, utc(2026, 10, 23, 13, 0));
    ASSERT_TRUE(before.has_value());
    EXPECT_EQ(before->scheduled, utc(2026, 10, 23, 13, 0));
    EXPECT_EQ(before->iso_week, "2026-W43");  // day 296: (296 - 5 + 10) / 7 = 43
    // Clocks go back on Sunday 25 October, so Sunday 23:59:59 is CET (UTC+1) = 22:59:59Z.
    EXPECT_EQ(before->window_end, utc(2026, 10, 25, 22, 59, 59));
    EXPECT_FALSE(
        due_reminder("Europe/Berlin", kFriday, k1500, utc(2026, 10, 25, 23, 0)).has_value());
    // The next Friday is on CET: 15:00 = 14:00Z, an hour later in UTC than the week before.
    EXPECT_EQ(due_reminder("Europe/Berlin", kFriday, k1500, utc(2026, 10, 30, 14, 0))->scheduled,
              utc(2026, 10, 30, 14, 0));
    EXPECT_FALSE(
        due_reminder("Europe/Berlin", kFriday, k1500, utc(2026, 10, 30, 13, 59)).has_value());
}

TEST(ReminderSchedule, NewYorkTimesThatDoNotExistOrOccurTwice) {
    // 8 March 2026, 02:00 EST jumps to 03:00 EDT: a Sunday 02:30 reminder goes at the jump,
    // 07:00Z.
    const auto spring = due_reminder("America/New_York", kSunday, 150, utc(2026, 3, 8, 7, 0));
    ASSERT_TRUE(spring.has_value());
    EXPECT_EQ(spring->scheduled, utc(2026, 3, 8, 7, 0));
    // 1 November 2026, 01:30 happens twice: the first (EDT, UTC-4) is 05:30Z.
    const auto fall = due_reminder("America/New_York", kSunday, 90, utc(2026, 11, 1, 5, 30));
    ASSERT_TRUE(fall.has_value());
    EXPECT_EQ(fall->scheduled, utc(2026, 11, 1, 5, 30));
    EXPECT_EQ(fall->iso_week, "2026-W44");
    // One second before the first 01:30, the week before's window (Sunday 25 October,
    // closing Tuesday 27th 23:59:59 EDT) is long gone.
    EXPECT_FALSE(
        due_reminder("America/New_York", kSunday, 90, utc(2026, 11, 1, 5, 29, 59)).has_value());
}

TEST(ReminderSchedule, IsoWeeksAtTheTurnOfTheYearAndUnknownZones) {
    // Friday 1 January 2027 belongs to ISO week 53 of 2026 (2026 starts on a Thursday).
    const auto slot = due_reminder("UTC", kFriday, k1500, utc(2027, 1, 1, 15, 0));
    ASSERT_TRUE(slot.has_value());
    EXPECT_EQ(slot->iso_week, "2026-W53");
    // An unknown zone is treated as UTC rather than failing the whole pass.
    EXPECT_EQ(due_reminder("Mars/Olympus", kFriday, k1500, utc(2027, 1, 1, 15, 0))->scheduled,
              utc(2027, 1, 1, 15, 0));
}

}  // namespace
}  // namespace funnelbot::commands

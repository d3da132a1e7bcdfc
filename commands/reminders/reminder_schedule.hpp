// When a person's Friday reminder is due: the workspace's weekday and time in the person's own
// zone, correct across DST changes (date/tz, never hand-made offsets), with a catch-up window
// until 23:59 of the second day after (Friday → Sunday 23:59).
#pragma once

#include <optional>
#include <string>

#include "analysis/funnel_types.hpp"

namespace funnelbot::commands {

struct ReminderSlot {
    std::string iso_week;            // "2026-W48": the ISO week of the scheduled local date
    analysis::Instant scheduled{};   // the scheduled local day and time, as an instant
    analysis::Instant window_end{};  // 23:59:59 local time, two days after the scheduled day
};

// The most recent slot at or before `now` whose catch-up window still contains `now`; nullopt
// when no reminder is due (before this week's time, or after the window closed). `weekday` is
// 0 = Sunday … 6 = Saturday, `minute` minutes after local midnight. An unknown zone counts as
// UTC. A scheduled time that falls into a DST gap moves to the end of the gap; one that
// occurs twice (DST ends) takes the first.
std::optional<ReminderSlot> due_reminder(const std::string& tz, int weekday, int minute,
                                         analysis::Instant now);

}  // namespace funnelbot::commands

// One pass of the Friday reminders over every workspace: who is due (reminder_schedule), the
// exactly-once claim (ReminderLogRepository), what each person gets, and the hand-off to a
// delivery function (console printing, Slack, Discord).
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include "analysis/funnel_types.hpp"
#include "commands/reply.hpp"
#include "storage/database.hpp"
#include "storage/records.hpp"

namespace funnelbot::commands {

struct ReminderMessage {
    storage::Workspace workspace;
    storage::User user;
    bool manager = false;  // the message carries the team summary
    std::string iso_week;
    Reply reply;
};

enum class Delivery { delivered, undeliverable, failed };

struct ReminderCounts {
    int sent = 0;           // delivered (or, in a dry run, would be)
    int not_due = 0;        // outside their window, reminders off, or nothing to send
    int already_sent = 0;   // sent (or undeliverable) earlier this week, or claimed by another pass
    int undeliverable = 0;  // the platform refused (deleted user, DMs closed): not retried
    int failed = 0;         // a transient failure: the claim lapses and a later pass retries
};

struct ReminderPassOptions {
    bool dry_run = false;  // build and hand over the messages, record nothing
    std::chrono::seconds lease{std::chrono::minutes(10)};
    // Only workspaces of this platform (the running bot delivers to its own platforms);
    // nullopt: every workspace.
    std::optional<storage::Platform> platform;
    // Asked before each person; true ends the pass there (the bot is stopping). People not
    // reached are left unclaimed for the next pass.
    std::function<bool()> stop_requested;
};

// `deliver` returns what happened and may set `reason` (kept for undeliverable messages).
using DeliverFn = std::function<Delivery(const ReminderMessage&, std::string& reason)>;

ReminderCounts run_reminder_pass(storage::Database& db, analysis::Instant now,
                                 const ReminderPassOptions& options, const DeliverFn& deliver);

// "2 sent, 0 not due, 1 already sent" (+ ", 1 undeliverable", ", 1 failed" when non-zero).
std::string describe_counts(const ReminderCounts& counts);

}  // namespace funnelbot::commands

#include "commands/reminders/reminder_pass.hpp"

#include "analysis/weekend_review.hpp"
#include "commands/reminders/reminder_schedule.hpp"
#include "commands/render/funnel_replies.hpp"
#include "commands/render/team_report.hpp"
#include "commands/workspace/funnel_loader.hpp"
#include "commands/workspace/user_directory.hpp"
#include "commands/workspace/workspace_time.hpp"
#include "storage/reminder_log_repository.hpp"
#include "storage/team_repository.hpp"
#include "storage/user_repository.hpp"
#include "storage/workspace_repository.hpp"

namespace funnelbot::commands {

namespace {

// The rep's part: the five questions answered, or a short nudge for an empty funnel.
Reply rep_part(storage::Database& db, const storage::Workspace& ws, const storage::User& user,
               const analysis::Clock& clock) {
    const auto report = analysis::check_balance(load_rep_funnel(db, ws, user, clock));
    if (report.empty) {
        Reply nudge;
        nudge.title = "Your Friday funnel review";
        nudge.summary =
            "Your funnel has no open opportunities yet, so there is nothing to review this "
            "weekend.";
        nudge.next_steps.push_back(
            "Log the deals you are working on with /opp add <customer> product:<line> "
            "amount:<money>; "
            "next Friday's review will answer the five questions from them.");
        return nudge;
    }
    Reply review = weekend_review_reply(analysis::weekend_review(report), display_name(user), true);
    review.title = "Your Friday funnel review";
    return review;
}

// Appends `part` to `whole` as sections, so one message carries both.
void append(Reply& whole, const Reply& part) {
    Section heading;
    heading.heading = part.title;
    heading.lines.push_back(part.summary);
    whole.sections.push_back(std::move(heading));
    for (const auto& s : part.sections)
        whole.sections.push_back(s);
    for (const auto& w : part.warnings)
        whole.warnings.push_back(w);
    for (const auto& n : part.next_steps)
        whole.next_steps.push_back(n);
}

}  // namespace

ReminderCounts run_reminder_pass(storage::Database& db, analysis::Instant now,
                                 const ReminderPassOptions& options, const DeliverFn& deliver) {
    ReminderCounts counts;
    storage::ReminderLogRepository log(db);
    for (const auto& ws : storage::WorkspaceRepository(db).list_all()) {
        if (options.platform && ws.platform != *options.platform) continue;
        storage::TeamRepository teams(db);
        for (const auto& user : storage::UserRepository(db).list(ws.id, true)) {
            if (options.stop_requested && options.stop_requested()) return counts;
            const auto managed = teams.managed_by(ws.id, user.id);
            const bool manager = !managed.empty() || user.role == storage::Role::manager;
            // Reminders are for people who sell or coach; placeholder owners from a CSV have
            // no platform id to reach them by.
            const bool admin_only = is_admin(user) && !manager;
            if (!ws.reminders_on || !user.reminders_on || user.platform_user_id.empty() ||
                admin_only) {
                ++counts.not_due;
                continue;
            }
            const auto slot = due_reminder(user.tz.empty() ? ws.tz : user.tz, ws.reminder_weekday,
                                           ws.reminder_minute, now);
            if (!slot) {
                ++counts.not_due;
                continue;
            }
            if (options.dry_run) {
                const std::string status = log.status(ws.id, user.id, slot->iso_week);
                if (!status.empty() && status != "claimed") {
                    ++counts.already_sent;
                    continue;
                }
            } else {
                const auto claim = log.claim(ws.id, user.id, slot->iso_week, now, options.lease);
                if (claim != storage::ClaimResult::claimed) {
                    ++counts.already_sent;
                    continue;
                }
            }
            const auto clock = clock_in_zone(ws.tz, now);
            ReminderMessage message{ws, user, manager, slot->iso_week,
                                    rep_part(db, ws, user, clock)};
            if (manager) {
                for (const auto& team : managed) {
                    append(
                        message.reply,
                        team_summary_reply(build_team_summary(db, ws, team, clock), ws.currency));
                }
            }
            std::string reason;
            const Delivery result = deliver(message, reason);
            if (options.dry_run) {
                ++counts.sent;
                continue;
            }
            switch (result) {
                case Delivery::delivered:
                    log.mark_sent(ws.id, user.id, slot->iso_week, now);
                    ++counts.sent;
                    break;
                case Delivery::undeliverable:
                    log.mark_undeliverable(ws.id, user.id, slot->iso_week, now, reason);
                    ++counts.undeliverable;
                    break;
                case Delivery::failed:
                    ++counts.failed;
                    break;
            }
        }
    }
    return counts;
}

std::string describe_counts(const ReminderCounts& c) {
    std::string out = std::to_string(c.sent) + " sent, " + std::to_string(c.not_due) +
                      " not due, " + std::to_string(c.already_sent) + " already sent";
    if (c.undeliverable != 0) out += ", " + std::to_string(c.undeliverable) + " undeliverable";
    if (c.failed != 0) out += ", " + std::to_string(c.failed) + " failed";
    return out;
}

}  // namespace funnelbot::commands

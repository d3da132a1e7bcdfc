#include "storage/reminder_log_repository.hpp"

#include <SQLiteCpp/Statement.h>

#include "storage/sql_support.hpp"
#include "storage/transaction.hpp"

namespace funnelbot::storage {

ClaimResult ReminderLogRepository::claim(Id workspace_id, Id user_id, const std::string& iso_week,
                                         Instant now, std::chrono::seconds lease) {
    return detail::guarded("reminder claim", [&] {
        // The write lock from the start: the check and the claim are one step for every
        // process sharing the file.
        Transaction tx(db_, Transaction::Lock::immediate);
        auto insert = detail::cached(
            db_,
            "INSERT INTO reminder_log (workspace_id, user_id, iso_week, claimed_at, status)"
            " VALUES (?, ?, ?, ?, 'claimed') ON CONFLICT (user_id, iso_week) DO NOTHING");
        insert->bind(1, workspace_id);
        insert->bind(2, user_id);
        insert->bind(3, iso_week);
        insert->bind(4, detail::to_unix(now));
        if (insert->exec() == 1) {
            tx.commit();
            return ClaimResult::claimed;
        }
        // Someone claimed it before: take it over only if that claim went stale unsent.
        auto retake = detail::cached(
            db_,
            "UPDATE reminder_log SET claimed_at = ? WHERE workspace_id = ? AND user_id = ? AND"
            " iso_week = ? AND status = 'claimed' AND claimed_at <= ?");
        retake->bind(1, detail::to_unix(now));
        retake->bind(2, workspace_id);
        retake->bind(3, user_id);
        retake->bind(4, iso_week);
        retake->bind(5, detail::to_unix(now - lease));
        const bool taken = retake->exec() == 1;
        auto status = detail::cached(
            db_,
            "SELECT status FROM reminder_log WHERE workspace_id = ? AND user_id = ? AND iso_week = "
            "?");
        status->bind(1, workspace_id);
        status->bind(2, user_id);
        status->bind(3, iso_week);
        const bool still_claimed =
            status->executeStep() && status->getColumn(0).getString() == "claimed";
        tx.commit();
        if (taken) return ClaimResult::claimed;
        return still_claimed ? ClaimResult::in_progress : ClaimResult::already_sent;
    });
}

void ReminderLogRepository::mark_sent(Id workspace_id, Id user_id, const std::string& iso_week,
                                      Instant now) {
    detail::guarded("reminder mark_sent", [&] {
        auto st = detail::cached(
            db_,
            "UPDATE reminder_log SET status = 'sent', sent_at = ? WHERE workspace_id = ? AND"
            " user_id = ? AND iso_week = ?");
        st->bind(1, detail::to_unix(now));
        st->bind(2, workspace_id);
        st->bind(3, user_id);
        st->bind(4, iso_week);
        st->exec();
    });
}

void ReminderLogRepository::mark_undeliverable(Id workspace_id, Id user_id,
                                               const std::string& iso_week, Instant now,
                                               const std::string& reason) {
    detail::guarded("reminder mark_undeliverable", [&] {
        auto st = detail::cached(
            db_,
            "UPDATE reminder_log SET status = ?, sent_at = ? WHERE workspace_id = ? AND"
            " user_id = ? AND iso_week = ?");
        st->bind(1, "undeliverable: " + reason);
        st->bind(2, detail::to_unix(now));
        st->bind(3, workspace_id);
        st->bind(4, user_id);
        st->bind(5, iso_week);
        st->exec();
    });
}

std::string ReminderLogRepository::status(Id workspace_id, Id user_id,
                                          const std::string& iso_week) {
    return detail::guarded("reminder status", [&] {
        auto st = detail::cached(
            db_,
            "SELECT status FROM reminder_log WHERE workspace_id = ? AND user_id = ? AND iso_week = "
            "?");
        st->bind(1, workspace_id);
        st->bind(2, user_id);
        st->bind(3, iso_week);
        return st->executeStep() ? st->getColumn(0).getString() : std::string();
    });
}

}  // namespace funnelbot::storage

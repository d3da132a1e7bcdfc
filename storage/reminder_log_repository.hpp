// Exactly one reminder per person and ISO week, across restarts and processes: a pass claims
// the (user, week) row before sending and marks it sent after.
#pragma once

#include <chrono>
#include <string>

#include "storage/database.hpp"
#include "storage/records.hpp"

namespace funnelbot::storage {

enum class ClaimResult {
    claimed,       // this caller sends now
    already_sent,  // done earlier (or recorded as undeliverable): nothing to do
    in_progress,   // another pass claimed it less than a lease ago
};

class ReminderLogRepository {
public:
    explicit ReminderLogRepository(Database& db) : db_(db) {}

    // Claims (user, week). A claim older than `lease` (a crash between claim and send) may be
    // taken over. Atomic: of two concurrent callers exactly one gets `claimed`.
    ClaimResult claim(Id workspace_id, Id user_id, const std::string& iso_week, Instant now,
                      std::chrono::seconds lease);
    void mark_sent(Id workspace_id, Id user_id, const std::string& iso_week, Instant now);
    // A person who cannot be messaged (deleted, DMs closed): recorded, never retried this week.
    void mark_undeliverable(Id workspace_id, Id user_id, const std::string& iso_week, Instant now,
                            const std::string& reason);
    // The status text of the row ("claimed", "sent", "undeliverable: …"), or "" if none.
    std::string status(Id workspace_id, Id user_id, const std::string& iso_week);

private:
    Database& db_;
};

}  // namespace funnelbot::storage

// Exactly once per person and week: claims, leases and two processes on one file.
#include <thread>

#include "storage/reminder_log_repository.hpp"
#include "tests/storage/storage_test_support.hpp"

namespace funnelbot::storage::testing {
namespace {

using namespace std::chrono_literals;

class ReminderLogTest : public StorageTest {};

TEST_F(ReminderLogTest, ClaimSendAndTakeOverAStaleClaim) {
    ReminderLogRepository log(db_);
    const User alice = make_user(ws_, "alice");
    const User bob = make_user(ws_, "bob");
    const Instant t0 = at(1'800'000'000);

    EXPECT_EQ(log.claim(ws_, alice.id, "2026-W48", t0, 600s), ClaimResult::claimed);
    EXPECT_EQ(log.claim(ws_, alice.id, "2026-W48", t0 + 599s, 600s), ClaimResult::in_progress);
    log.mark_sent(ws_, alice.id, "2026-W48", t0 + 1s);
    EXPECT_EQ(log.status(ws_, alice.id, "2026-W48"), "sent");
    EXPECT_EQ(log.claim(ws_, alice.id, "2026-W48", t0 + 3600s, 600s), ClaimResult::already_sent);
    EXPECT_EQ(log.claim(ws_, alice.id, "2026-W49", t0 + 7 * 86400s, 600s), ClaimResult::claimed);

    // A pass that crashed between claim and send: its claim is taken over after the lease.
    EXPECT_EQ(log.claim(ws_, bob.id, "2026-W48", t0, 600s), ClaimResult::claimed);
    EXPECT_EQ(log.claim(ws_, bob.id, "2026-W48", t0 + 600s, 600s), ClaimResult::claimed);
    EXPECT_EQ(log.claim(ws_, bob.id, "2026-W48", t0 + 601s, 600s), ClaimResult::in_progress);
    log.mark_undeliverable(ws_, bob.id, "2026-W48", t0 + 602s, "cannot_dm_bot");
    EXPECT_EQ(log.status(ws_, bob.id, "2026-W48"), "undeliverable: cannot_dm_bot");
    EXPECT_EQ(log.claim(ws_, bob.id, "2026-W48", t0 + 9999s, 600s), ClaimResult::already_sent);
    EXPECT_EQ(log.status(other_ws_, bob.id, "2026-W48"), "") << "scoped to its workspace";
}

TEST_F(ReminderLogTest, TwoProcessesOnOneFileClaimEachPersonOnce) {
    std::vector<Id> people;
    for (int i = 0; i < 100; ++i)
        people.push_back(make_user(ws_, "rep" + std::to_string(i)).id);
    std::atomic<int> claimed{0};
    auto pass = [&] {
        Database own(db_path_);  // its own connection, as a second process would have
        ReminderLogRepository log(own);
        for (Id id : people) {
            if (log.claim(ws_, id, "2026-W48", at(1'800'000'000), 600s) == ClaimResult::claimed)
                ++claimed;
        }
    };
    std::thread a(pass), b(pass);
    a.join();
    b.join();
    EXPECT_EQ(claimed.load(), 100);
}

}  // namespace
}  // namespace funnelbot::storage::testing

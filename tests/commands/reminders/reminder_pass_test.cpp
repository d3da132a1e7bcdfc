// The Friday reminder pass on a real SQLite file: who gets what, exactly once per week.
#include <gtest/gtest.h>

#include <map>

#include "commands/command_dispatch.hpp"
#include "commands/reminders/reminder_pass.hpp"
#include "commands/render/text_renderer.hpp"
#include "storage/transaction.hpp"
#include "storage/user_repository.hpp"
#include "storage/workspace_repository.hpp"
#include "tests/support/temp_database.hpp"

namespace funnelbot::commands {
namespace {

using namespace std::chrono;

analysis::Instant utc(int y, unsigned m, unsigned d, int h) {
    return sys_days{year{y} / month{m} / day{d}} + hours{h};
}

class ReminderPassTest : public ::testing::Test {
protected:
    ReminderPassTest() : db_(dir_.file("reminders.db")) {
        ws_ = storage::WorkspaceRepository(db_).find_or_create(storage::Platform::console,
                                                               "console", "UTC");
    }

    void run(const std::string& who, const std::string& name, const std::string& text) {
        Identity id;
        id.platform_user_id = who;
        id.name = who;
        id.platform_admin = who == "console";
        const auto out = execute_text(db_, ws_, id, name, text, utc(2026, 11, 20, 12));
        ASSERT_FALSE(out.reply.is_error()) << name << " " << text << ": " << out.reply.summary;
    }

    // Runs a pass and returns what each person got, by name.
    std::map<std::string, ReminderMessage> pass(analysis::Instant at,
                                                ReminderCounts* counts = nullptr,
                                                Delivery result = Delivery::delivered) {
        std::map<std::string, ReminderMessage> got;
        ReminderPassOptions options;
        const auto c =
            run_reminder_pass(db_, at, options, [&](const ReminderMessage& m, std::string& reason) {
                got.emplace(m.user.name, m);
                reason = "cannot_dm";
                return result;
            });
        if (counts != nullptr) *counts = c;
        return got;
    }

    testing::TempDir dir_;
    storage::Database db_;
    storage::Workspace ws_;
};

TEST_F(ReminderPassTest, RepsGetTheReviewManagersTheTeamAndEveryoneOnlyOnce) {
    run("console", "funnel-admin", "product add Widgets");
    run("console", "funnel-admin", "product add Gadgets");
    run("console", "funnel-admin", "team East manager:@maria");
    run("console", "funnel-admin", "team East add @alice");
    run("console", "funnel-admin", "team East add @ed");
    for (int i = 0; i < 4; ++i)
        run("alice", "opp", "add C" + std::to_string(i) + " product:Widgets");
    run("ed", "opp", "add Zed product:Gadgets");
    run("ed", "opp", "remove 5");  // ed's funnel is empty again: he gets a nudge
    run("opted-out", "funnel-review", "reminders off");

    ReminderCounts counts;
    // Friday 27 November 2026, 15:00 UTC: the workspace default.
    auto got = pass(utc(2026, 11, 27, 15), &counts);
    ASSERT_EQ(got.size(), 3u);
    EXPECT_FALSE(got.at("alice").manager);
    EXPECT_EQ(got.at("alice").iso_week, "2026-W48");
    const std::string alice = render_text(got.at("alice").reply);
    EXPECT_NE(
        alice.find("Do one or two product lines dominate the opportunities you are pursuing?"),
        std::string::npos);
    EXPECT_NE(alice.find("Widgets is 100 %"), std::string::npos) << alice;
    EXPECT_NE(render_text(got.at("ed").reply).find("nothing to review this weekend"),
              std::string::npos);
    EXPECT_TRUE(got.at("maria").manager);
    EXPECT_NE(render_text(got.at("maria").reply).find("Team summary — East"), std::string::npos);
    // The console admin (no team) and the opted-out rep are not reminded.
    EXPECT_EQ(counts.sent, 3);
    EXPECT_EQ(counts.not_due, 2);
    EXPECT_EQ(describe_counts(counts), "3 sent, 2 not due, 0 already sent");

    // A restart on Saturday finds everything sent; Monday is past the window.
    EXPECT_TRUE(pass(utc(2026, 11, 28, 9), &counts).empty());
    EXPECT_EQ(counts.already_sent, 3);
    EXPECT_TRUE(pass(utc(2026, 11, 30, 0), &counts).empty());
    EXPECT_EQ(counts.not_due, 5);
    // Next Friday is a new week.
    EXPECT_EQ(pass(utc(2026, 12, 4, 15)).size(), 3u);
}

TEST_F(ReminderPassTest, FailuresAreRetriedAfterTheLeaseAndRefusalsAreNot) {
    run("console", "funnel-admin", "product add Widgets");
    run("alice", "opp", "add Acme product:Widgets");
    run("bob", "funnel-review", "");
    ReminderCounts counts;
    // A transient failure leaves the claim: not retried at once, retried after the lease.
    EXPECT_EQ(pass(utc(2026, 11, 27, 15), &counts, Delivery::failed).size(), 2u);
    EXPECT_EQ(counts.failed, 2);
    EXPECT_TRUE(pass(utc(2026, 11, 27, 15) + minutes(5)).empty());
    EXPECT_EQ(pass(utc(2026, 11, 27, 15) + minutes(11), &counts, Delivery::undeliverable).size(),
              2u);
    EXPECT_EQ(counts.undeliverable, 2);
    // Someone who cannot be messaged is recorded and left alone for the week.
    EXPECT_TRUE(pass(utc(2026, 11, 28, 15)).empty());
}

// A pass told to stop (the bot is shutting down) claims and builds nothing more; the people it
// did not reach are not marked, so the next pass reminds them.
TEST_F(ReminderPassTest, AStoppedPassLeavesTheRestUnclaimedForTheNextPass) {
    run("console", "funnel-admin", "product add Widgets");
    for (const char* rep : {"alice", "bob", "carol"})
        run(rep, "opp", "add Acme product:Widgets");
    ReminderPassOptions options;
    int built = 0;
    options.stop_requested = [&] { return built == 1; };
    const auto counts = run_reminder_pass(db_, utc(2026, 11, 27, 15), options,
                                          [&](const ReminderMessage&, std::string&) {
                                              ++built;
                                              return Delivery::delivered;
                                          });
    EXPECT_EQ(built, 1) << "nothing is built after the stop";
    EXPECT_EQ(counts.sent, 1);
    ReminderCounts next;
    EXPECT_EQ(pass(utc(2026, 11, 27, 15) + minutes(1), &next).size(), 2u)
        << "the two not reached are reminded by the next pass, at once (no lease to wait out)";
    EXPECT_EQ(next.already_sent, 1);
}

TEST_F(ReminderPassTest, AThousandPeopleInTwentyFourZonesAreEachRemindedOnce) {
    // 1,000 reps spread over zones whose offsets run from UTC-11 to UTC+13, passes every
    // 30 minutes from Thursday to Tuesday.
    const char* zones[] = {"Pacific/Pago_Pago", "Pacific/Honolulu",
                           "America/Anchorage", "America/Los_Angeles",
                           "America/Denver",    "America/Chicago",
                           "America/New_York",  "America/Halifax",
                           "America/Sao_Paulo", "Atlantic/South_Georgia",
                           "Atlantic/Azores",   "UTC",
                           "Europe/Berlin",     "Europe/Athens",
                           "Europe/Moscow",     "Asia/Dubai",
                           "Asia/Karachi",      "Asia/Dhaka",
                           "Asia/Bangkok",      "Asia/Shanghai",
                           "Asia/Tokyo",        "Australia/Sydney",
                           "Pacific/Noumea",    "Pacific/Auckland"};
    {
        storage::Transaction tx(db_);
        storage::UserRepository users(db_);
        for (int i = 0; i < 1000; ++i) {
            storage::User u;
            u.workspace_id = ws_.id;
            u.platform_user_id = "rep" + std::to_string(i);
            u.name = u.platform_user_id;
            u.tz = zones[i % 24];
            users.create(u);
        }
        tx.commit();
    }
    std::map<std::string, int> times;
    std::map<std::string, analysis::Instant> when;
    for (auto at = utc(2026, 11, 26, 0); at < utc(2026, 12, 1, 12); at += minutes(30)) {
        ReminderPassOptions options;
        run_reminder_pass(db_, at, options, [&](const ReminderMessage& m, std::string&) {
            ++times[m.user.name];
            when[m.user.name] = at;
            return Delivery::delivered;
        });
    }
    ASSERT_EQ(times.size(), 1000u);
    for (const auto& [name, n] : times)
        EXPECT_EQ(n, 1) << name;
    // Each at the first pass at or after Friday 15:00 in their own zone: Tokyo (UTC+9) at
    // 06:00Z, Honolulu (UTC-10) at 01:00Z on Saturday.
    EXPECT_EQ(when.at("rep20"), utc(2026, 11, 27, 6));
    EXPECT_EQ(when.at("rep1"), utc(2026, 11, 28, 1));
}

}  // namespace
}  // namespace funnelbot::commands

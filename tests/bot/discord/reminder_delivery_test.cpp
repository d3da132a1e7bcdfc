// Friday reminders delivered over the fake Discord: one DM per person and week, through
// restarts, a rate limit in the middle of the fan-out and a person whose DMs are closed (50007).
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include <algorithm>
#include <thread>

#include "bot/app/reminder_scheduler.hpp"
#include "bot/discord/reminder_delivery.hpp"
#include "bot/net/https_client.hpp"
#include "bot/net/tls_context.hpp"
#include "commands/command_dispatch.hpp"
#include "storage/reminder_log_repository.hpp"
#include "storage/user_repository.hpp"
#include "storage/workspace_repository.hpp"
#include "tests/support/fake_discord.hpp"
#include "tests/support/temp_database.hpp"
#include "tests/support/test_certificates.hpp"

namespace funnelbot::bot::discord {
namespace {

using namespace std::chrono_literals;

const std::string kGuild = "800000000000000001";
const std::string kAdmin = "100000000000000001";
const std::string kRep = "100000000000000002";
const std::string kManager = "100000000000000003";
const std::string kClosed = "100000000000000009";

analysis::Instant utc(int y, unsigned m, unsigned d, int h) {
    using namespace std::chrono;
    return sys_days{year{y} / month{m} / day{d}} + hours{h};
}

class DiscordReminderTest : public ::testing::Test {
protected:
    DiscordReminderTest() : pki_(testing::make_test_pki(dir_.path().string())) {
        testing::FakeDiscordOptions o;
        o.cert_file = pki_.server_cert;
        o.key_file = pki_.server_key;
        fake_ = std::make_unique<testing::FakeDiscord>(o);
        fake_->add_member({kAdmin, kGuild, "ann", "Ann Admin", "32"});
        fake_->add_member({kRep, kGuild, "alice", "Alice Rep"});
        fake_->add_member({kManager, kGuild, "maria", "Maria Manager"});
        testing::FakeDiscordMember closed{kClosed, kGuild, "quiet", "Quiet Rep"};
        closed.dms_closed = true;
        fake_->add_member(closed);
        // The server as the bot would have built it: a manager with a team of two reps, one of
        // whom does not accept DMs.
        storage::Database db(db_path_);
        ws_ = storage::WorkspaceRepository(db).find_or_create(storage::Platform::discord, kGuild,
                                                              "UTC");
        auto run = [&](const std::string& who, const std::string& name, const std::string& text) {
            commands::Identity id;
            id.platform_user_id = who;
            id.name = who;
            id.platform_admin = who == kAdmin;
            const auto out = commands::execute_text(db, ws_, id, name, text, utc(2026, 11, 20, 12));
            ASSERT_FALSE(out.reply.is_error()) << text << ": " << out.reply.summary;
        };
        run(kAdmin, "funnel-admin", "product add Widgets");
        run(kAdmin, "funnel-admin", "team East manager:<@" + kManager + ">");
        run(kAdmin, "funnel-admin", "team East add <@" + kRep + ">");
        run(kAdmin, "funnel-admin", "team East add <@" + kClosed + ">");
        run(kRep, "opp", "add Acme product:Widgets amount:25k");
        run(kClosed, "opp", "add Globex product:Widgets");
    }

    // Runs one scheduler (a bot process) at `now` until `settle` has passed.
    void run_scheduler(analysis::Instant now, std::chrono::milliseconds settle) {
        boost::asio::io_context io;
        auto tls = make_client_tls_context();
        tls.load_verify_file(pki_.ca_cert);
        HttpOptions options = http_options("test");
        options.backoff_base = 20ms;
        HttpsClient http(io.get_executor(), tls, options);
        RestApi rest(io.get_executor(), http, http,
                     RestApiOptions{*Url::parse(fake_->api_url() + "/"), "fake.discord.bot-token"});
        WorkerPool passes(db_path_, 1);
        ReminderSchedulerOptions scheduler_options;
        scheduler_options.tick = 50ms;
        scheduler_options.clock = [now] { return now; };
        ReminderScheduler scheduler(io, passes, storage::Platform::discord,
                                    discord_reminder_sender(io, rest), scheduler_options);
        scheduler.start();
        std::thread net([&] { io.run_for(settle); });
        net.join();
        boost::asio::post(io, [&] { scheduler.stop(); });
        io.run_for(200ms);
    }

    std::vector<std::string> recipients() {
        std::vector<std::string> out;
        for (const auto& m : fake_->messages())
            out.push_back(m.recipient_id);
        std::sort(out.begin(), out.end());
        return out;
    }

    std::string status_of(const std::string& platform_id) {
        storage::Database db(db_path_);
        const auto user = storage::UserRepository(db).find_by_platform_id(ws_.id, platform_id);
        if (!user) return "(no user)";
        return storage::ReminderLogRepository(db).status(ws_.id, user->id, "2026-W48");
    }

    testing::TempDir dir_;
    testing::TestPki pki_;
    std::string db_path_ = dir_.file("reminders.db");
    std::unique_ptr<testing::FakeDiscord> fake_;
    storage::Workspace ws_;
};

TEST_F(DiscordReminderTest, OneDirectMessagePerPersonAndWeekThroughRestarts) {
    run_scheduler(utc(2026, 11, 27, 15), 1500ms);
    // The rep and the manager; the admin (no team) gets none; the closed DMs are recorded.
    EXPECT_EQ(recipients(), (std::vector<std::string>{kRep, kManager}));
    for (const auto& m : fake_->messages()) {
        ASSERT_TRUE(m.body.contains("embeds")) << m.body.dump();
        EXPECT_FALSE(m.body.contains("flags"));
        EXPECT_EQ(m.body["allowed_mentions"]["parse"], nlohmann::json::array());
        EXPECT_TRUE(m.body.value("enforce_nonce", false));
        EXPECT_LE(m.body.value("nonce", std::string()).size(), 25u);
    }
    EXPECT_EQ(status_of(kClosed).rfind("undeliverable", 0), 0u) << status_of(kClosed);
    EXPECT_NE(status_of(kClosed).find("50007"), std::string::npos) << status_of(kClosed);
    EXPECT_EQ(status_of(kRep), "sent");
    // The bot restarts on Saturday: nothing is sent twice, the closed DMs are not retried.
    const auto requests = fake_->requests().size();
    run_scheduler(utc(2026, 11, 28, 10), 500ms);
    EXPECT_EQ(fake_->messages().size(), 2u);
    EXPECT_EQ(fake_->requests().size(), requests);
    // Monday is past the window.
    run_scheduler(utc(2026, 11, 30, 10), 300ms);
    EXPECT_EQ(fake_->messages().size(), 2u);
}

TEST_F(DiscordReminderTest, RateLimitsInTheMiddleOfTheFanOutAreWaitedOut) {
    // One message per 300 ms per channel bucket is not the constraint; DM creation is: one per
    // 400 ms, and a 429 on the first message.
    fake_->set_bucket_limit("POST /users/@me/channels", 1, 400ms);
    fake_->fail_next("POST /channels/", 429, 1, 0.3);
    run_scheduler(utc(2026, 12, 4, 15), 3000ms);
    EXPECT_EQ(recipients(), (std::vector<std::string>{kRep, kManager}));
    EXPECT_EQ(fake_->rate_limited_count(), 0) << "the client waited for the bucket to reset";
}

}  // namespace
}  // namespace funnelbot::bot::discord

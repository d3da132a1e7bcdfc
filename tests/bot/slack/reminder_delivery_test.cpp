// Friday reminders delivered over the fake Slack: one DM per person and week, through
// restarts, a rate limit in the middle of the fan-out and a person who cannot be messaged.
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include <thread>

#include "bot/app/reminder_scheduler.hpp"
#include "bot/net/https_client.hpp"
#include "bot/net/tls_context.hpp"
#include "bot/slack/reminder_delivery.hpp"
#include "commands/command_dispatch.hpp"
#include "storage/reminder_log_repository.hpp"
#include "storage/user_repository.hpp"
#include "storage/workspace_repository.hpp"
#include "tests/support/fake_slack.hpp"
#include "tests/support/temp_database.hpp"
#include "tests/support/test_certificates.hpp"

namespace funnelbot::bot::slack {
namespace {

using namespace std::chrono_literals;

analysis::Instant utc(int y, unsigned m, unsigned d, int h) {
    using namespace std::chrono;
    return sys_days{year{y} / month{m} / day{d}} + hours{h};
}

class SlackReminderTest : public ::testing::Test {
protected:
    SlackReminderTest() : pki_(testing::make_test_pki(dir_.path().string())) {
        testing::FakeSlackOptions o;
        o.cert_file = pki_.server_cert;
        o.key_file = pki_.server_key;
        fake_ = std::make_unique<testing::FakeSlack>(o);
        testing::FakeSlackUser gone{"U9", "T111", "gone", "Gone Rep", "gone", "gone@example.com"};
        gone.deleted = true;
        fake_->add_user(gone);
        // The workspace as the bot would have built it: a manager, a rep, a rep who left Slack,
        // and a CSV placeholder owner nobody can message.
        storage::Database db(db_path_);
        ws_ = storage::WorkspaceRepository(db).find_or_create(storage::Platform::slack, "T111",
                                                              "UTC");
        auto run = [&](const std::string& who, const std::string& text_cmd,
                       const std::string& text) {
            commands::Identity id;
            id.platform_user_id = who;
            id.name = who;
            id.platform_admin = who == "U1";
            const auto out =
                commands::execute_text(db, ws_, id, text_cmd, text, utc(2026, 11, 20, 12));
            ASSERT_FALSE(out.reply.is_error()) << text << ": " << out.reply.summary;
        };
        run("U1", "funnel-admin", "product add Widgets");
        run("U1", "funnel-admin", "team East manager:<@U3|maria>");
        run("U1", "funnel-admin", "team East add <@U2|alice>");
        run("U2", "opp", "add Acme product:Widgets amount:25k");
        run("U9", "opp", "add Globex product:Widgets");
        storage::User placeholder;
        placeholder.workspace_id = ws_.id;
        placeholder.name = "Pat From The CRM";
        storage::UserRepository(db).create(placeholder);
    }

    // Runs one scheduler (a bot process) at `now` until `settle` has passed.
    void run_scheduler(analysis::Instant now, std::chrono::milliseconds settle) {
        boost::asio::io_context io;
        auto tls = make_client_tls_context();
        tls.load_verify_file(pki_.ca_cert);
        HttpOptions once;
        once.max_attempts = 1;
        HttpsClient http(io.get_executor(), tls, once);
        WebApi api(http, *Url::parse(fake_->api_url()), "xapp-1-fake-app-token",
                   "xoxb-fake-bot-token");
        WorkerPool passes(db_path_, 1);
        ReminderSchedulerOptions options;
        options.tick = 50ms;
        options.clock = [now] { return now; };
        ReminderScheduler scheduler(io, passes, storage::Platform::slack,
                                    slack_reminder_sender(io, api, 0ms), options);
        scheduler.start();
        std::thread net([&] { io.run_for(settle); });
        net.join();
        boost::asio::post(io, [&] { scheduler.stop(); });
        io.run_for(200ms);
    }

    std::vector<std::string> dm_channels() {
        std::vector<std::string> out;
        for (const auto& m : fake_->posted_messages())
            out.push_back(m.value("channel", ""));
        std::sort(out.begin(), out.end());
        return out;
    }

    testing::TempDir dir_;
    testing::TestPki pki_;
    std::string db_path_ = dir_.file("reminders.db");
    std::unique_ptr<testing::FakeSlack> fake_;
    storage::Workspace ws_;
};

TEST_F(SlackReminderTest, OneDirectMessagePerPersonAndWeekThroughRestarts) {
    run_scheduler(utc(2026, 11, 27, 15), 1500ms);
    // alice and maria; the admin (no team), the deleted member and the placeholder get none.
    EXPECT_EQ(dm_channels(), (std::vector<std::string>{"DU2", "DU3"}));
    for (const auto& m : fake_->posted_messages()) {
        EXPECT_TRUE(m.contains("blocks"));
        EXPECT_FALSE(m.contains("response_type"));
        EXPECT_NE(m.value("text", "").find("Friday funnel review"), std::string::npos) << m.dump();
    }
    {
        storage::Database db(db_path_);
        const auto gone = storage::UserRepository(db).find_by_platform_id(ws_.id, "U9");
        ASSERT_TRUE(gone.has_value());
        EXPECT_EQ(storage::ReminderLogRepository(db).status(ws_.id, gone->id, "2026-W48"),
                  "undeliverable: user_disabled");
    }
    // The bot restarts on Saturday: nothing is sent twice.
    run_scheduler(utc(2026, 11, 28, 10), 500ms);
    EXPECT_EQ(fake_->posted_messages().size(), 2u);
    // Monday is past the window.
    run_scheduler(utc(2026, 11, 30, 10), 300ms);
    EXPECT_EQ(fake_->posted_messages().size(), 2u);
}

TEST_F(SlackReminderTest, ARateLimitInTheMiddleOfTheFanOutIsWaitedOut) {
    fake_->fail_next("chat.postMessage", 429, 1, 1);
    run_scheduler(utc(2026, 12, 4, 15), 3000ms);
    EXPECT_EQ(dm_channels(), (std::vector<std::string>{"DU2", "DU3"}));
}

}  // namespace
}  // namespace funnelbot::bot::slack

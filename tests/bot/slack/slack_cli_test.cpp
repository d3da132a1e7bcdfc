// `funnelbot run` as the runtime contract describes it: the real binary, configured only through
// its environment (SLACK_APP_TOKEN, SLACK_BOT_TOKEN, SLACK_API_URL, SSL_CERT_FILE, FUNNELBOT_DB),
// against the fake Slack over TLS.
#include <gtest/gtest.h>

#include <csignal>
#include <filesystem>
#include <thread>

#include "storage/database.hpp"
#include "storage/sql_support.hpp"

#include "tests/support/child_process.hpp"
#include "tests/support/fake_slack.hpp"
#include "tests/support/temp_database.hpp"
#include "tests/support/test_certificates.hpp"

namespace funnelbot::testing {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

class SlackCliTest : public ::testing::Test {
protected:
    SlackCliTest() : pki_(make_test_pki(dir_.path().string())) {
        FakeSlackOptions o;
        o.cert_file = pki_.server_cert;
        o.key_file = pki_.server_key;
        fake_ = std::make_unique<FakeSlack>(o);
        FakeSlackUser admin{"U1", "T111", "ann", "Ann Admin", "ann", "ann@example.com"};
        admin.is_owner = true;
        fake_->add_user(admin);
        fake_->add_user({"U2", "T111", "alice", "Alice Rep", "alice", "alice@example.com"});
        fake_->add_user({"U3", "T111", "maria", "Maria Manager", "maria", "maria@example.com"});
    }

    std::map<std::string, std::string> env() const {
        std::string api = fake_->api_url();
        api.pop_back();  // "…/api" without the slash: the contract accepts both
        return {{"SLACK_APP_TOKEN", "xapp-1-fake-app-token"},
                {"SLACK_BOT_TOKEN", "xoxb-fake-bot-token"},
                {"SLACK_API_URL", api},
                {"SSL_CERT_FILE", pki_.ca_cert},
                {"FUNNELBOT_DB", dir_.file("bot.db")},
                {"FUNNELBOT_LOG_LEVEL", "debug"}};
    }

    std::unique_ptr<ChildProcess> run(const std::map<std::string, std::string>& environment) {
        return std::make_unique<ChildProcess>(FUNNELBOT_BINARY, std::vector<std::string>{"run"},
                                              environment, output_);
    }

    std::string reply_text(const std::string& user, const std::string& cmd,
                           const std::string& text) {
        const std::string id = fake_->send_slash_command("T111", user, cmd, text);
        std::string out;
        fake_->wait_until(
            [&] {
                for (const auto& a : fake_->acks()) {
                    if (a.envelope_id == id && a.payload) out = a.payload->value("text", "");
                }
                return !out.empty();
            },
            10s);
        return out;
    }

    TempDir dir_;
    TestPki pki_;
    std::unique_ptr<FakeSlack> fake_;
    std::string output_ = dir_.file("funnelbot.log");
};

TEST_F(SlackCliTest, RunServesAWholeSessionAndStopsCleanlyOnSigterm) {
    auto bot = run(env());
    ASSERT_TRUE(fake_->wait_until([&] { return fake_->open_websockets() == 1; }, 10s))
        << read_file(output_);
    EXPECT_NE(reply_text("U1", "/funnel-admin", "product add Widgets").find("Added Widgets"),
              std::string::npos);
    reply_text("U1", "/funnel-admin", "product add Gadgets");
    reply_text("U1", "/funnel-admin", "product add Services");
    for (int i = 1; i <= 8; ++i)
        reply_text("U2", "/opp", "add Customer " + std::to_string(i) + " product:Widgets");
    reply_text("U2", "/opp", "add Customer 9 product:Gadgets");
    reply_text("U2", "/opp", "add Customer 10 product:Services");
    EXPECT_NE(
        reply_text("U2", "/funnel-check", "").find("Widgets is 80 % of your open opportunities"),
        std::string::npos);
    EXPECT_NE(reply_text("U2", "/team-summary", "").find("is for managers and admins"),
              std::string::npos);
    reply_text("U1", "/funnel-admin", "team East manager:<@U3|maria>");
    reply_text("U1", "/funnel-admin", "team East add <@U2|alice>");
    EXPECT_NE(reply_text("U3", "/team-summary", "").find("Team summary — East"), std::string::npos);

    bot->terminate();
    EXPECT_EQ(bot->wait(10s), 0) << read_file(output_);
    const std::string log = read_file(output_);
    EXPECT_NE(log.find("Slack: connection 1 open"), std::string::npos) << log;
    EXPECT_EQ(log.find("xoxb-"), std::string::npos) << "a token leaked into the log:\n" << log;
    EXPECT_EQ(log.find("xapp-"), std::string::npos) << "a token leaked into the log:\n" << log;
}

// SIGTERM with a burst of commands in flight: every command is answered, each one run is kept
// once, the WebSocket is closed with 1000, the write-ahead log is folded into the file, and the
// exit status is 0.
TEST_F(SlackCliTest, SigtermUnderLoadAnswersEveryCommandAndLosesNothing) {
    auto bot = run(env());
    ASSERT_TRUE(fake_->wait_until([&] { return fake_->open_websockets() == 1; }, 10s))
        << read_file(output_);
    reply_text("U1", "/funnel-admin", "product add Widgets");
    reply_text("U2", "/funnel-help", "");
    const std::size_t acks_before = fake_->ack_count();
    constexpr int kSent = 150;  // far more than two workers finish before the signal
    for (int i = 0; i < kSent; ++i)
        fake_->send_slash_command("T111", "U2", "/opp",
                                  "add Burst " + std::to_string(i) + " product:Widgets");
    std::this_thread::sleep_for(50ms);  // every envelope is on the bot's socket
    bot->terminate();
    EXPECT_EQ(bot->wait(15s), 0) << read_file(output_);
    const std::string wal = dir_.file("bot.db") + "-wal";
    EXPECT_TRUE(!std::filesystem::exists(wal) || std::filesystem::file_size(wal) == 0)
        << "the write-ahead log was folded into the file";

    int added = 0;
    int restarting = 0;
    int answered = 0;
    const auto count = [&](const json& payload) {
        const std::string text = payload.dump();
        ++answered;
        if (text.find("Burst") != std::string::npos && text.find("Logged #") != std::string::npos)
            ++added;
        if (text.find("funnelbot is restarting") != std::string::npos) ++restarting;
    };
    for (const auto& ack : fake_->acks_from(acks_before)) {
        if (ack.payload) count(*ack.payload);
    }
    for (const auto& post : fake_->response_url_posts())
        count(post);
    EXPECT_EQ(answered, kSent) << "every command got one answer";
    EXPECT_EQ(added + restarting, kSent);
    EXPECT_GT(added, 0);
    storage::Database db(dir_.file("bot.db"));
    EXPECT_EQ(storage::detail::sql(db).execAndGet("SELECT COUNT(*) FROM opportunities").getInt(),
              added)
        << "each command run is kept, once";
    const auto codes = fake_->client_close_codes();
    ASSERT_FALSE(codes.empty());
    EXPECT_EQ(codes.back(), 1000);
    const std::string log = read_file(output_);
    EXPECT_NE(log.find("stopping: finishing"), std::string::npos) << log;
    EXPECT_NE(log.find("stopped"), std::string::npos) << log;
}

// A second signal does not wait for the commands in flight: the process ends at once (status
// 128 + SIGTERM), and the file still holds every command that was acknowledged.
TEST_F(SlackCliTest, ASecondSignalStopsAtOnceAndKeepsEveryAcknowledgedCommand) {
    auto bot = run(env());
    ASSERT_TRUE(fake_->wait_until([&] { return fake_->open_websockets() == 1; }, 10s))
        << read_file(output_);
    reply_text("U1", "/funnel-admin", "product add Widgets");
    reply_text("U2", "/funnel-help", "");
    const std::size_t acks_before = fake_->ack_count();
    for (int i = 0; i < 200; ++i)
        fake_->send_slash_command("T111", "U2", "/opp",
                                  "add Burst " + std::to_string(i) + " product:Widgets");
    std::this_thread::sleep_for(20ms);
    bot->terminate();
    std::this_thread::sleep_for(5ms);
    bot->terminate();
    EXPECT_EQ(bot->wait(5s), 128 + SIGTERM) << read_file(output_);
    int logged = 0;
    for (const auto& ack : fake_->acks_from(acks_before)) {
        if (ack.payload && ack.payload->dump().find("Logged #") != std::string::npos) ++logged;
    }
    storage::Database db(dir_.file("bot.db"));
    auto& sql = storage::detail::sql(db);
    EXPECT_EQ(sql.execAndGet("PRAGMA integrity_check").getString(), "ok");
    EXPECT_GE(sql.execAndGet("SELECT COUNT(*) FROM opportunities").getInt(), logged)
        << "every acknowledged command is in the file";
    EXPECT_NE(read_file(output_).find("stopping at once"), std::string::npos);
}

TEST_F(SlackCliTest, RemindPreviewsThenSendsOneDmPerPersonInTheirZone) {
    {
        auto bot = run(env());
        ASSERT_TRUE(fake_->wait_until([&] { return fake_->open_websockets() == 1; }, 10s))
            << read_file(output_);
        reply_text("U1", "/funnel-admin", "product add Widgets");
        reply_text("U1", "/funnel-admin", "team East manager:<@U3|maria>");
        reply_text("U1", "/funnel-admin", "team East add <@U2|alice>");
        reply_text("U2", "/opp", "add Acme product:Widgets amount:25k");
        bot->terminate();
        ASSERT_EQ(bot->wait(10s), 0);
    }
    // alice and maria live in Los Angeles (users.info): Friday 15:00 PST.
    auto remind = [&](std::vector<std::string> extra) {
        std::vector<std::string> args{"remind", "--at", "2026-11-27T15:00:00-08:00"};
        args.insert(args.end(), extra.begin(), extra.end());
        ChildProcess p(FUNNELBOT_BINARY, args, env(), output_);
        EXPECT_EQ(p.wait(30s), 0);
        return read_file(output_);
    };
    const std::string preview = remind({"--dry-run"});
    EXPECT_NE(preview.find("--- to alice (rep) ---"), std::string::npos) << preview;
    EXPECT_NE(preview.find("--- to maria (manager) ---"), std::string::npos) << preview;
    EXPECT_NE(preview.find("2 sent, 1 not due, 0 already sent (dry run: nothing recorded)"),
              std::string::npos)
        << preview;
    EXPECT_TRUE(fake_->posted_messages().empty());

    EXPECT_NE(remind({}).find("2 sent, 1 not due, 0 already sent"), std::string::npos);
    ASSERT_EQ(fake_->posted_messages().size(), 2u);
    EXPECT_NE(remind({}).find("0 sent, 1 not due, 2 already sent"), std::string::npos);
    EXPECT_EQ(fake_->posted_messages().size(), 2u) << "exactly once per person and week";
}

TEST_F(SlackCliTest, ARejectedTokenStopsWithOneLineAndStatusOne) {
    fake_->set_api_error("apps.connections.open", "invalid_auth");
    auto bot = run(env());
    EXPECT_EQ(bot->wait(10s), 1) << read_file(output_);
    const std::string log = read_file(output_);
    EXPECT_NE(log.find("invalid_auth"), std::string::npos) << log;
    EXPECT_EQ(fake_->apps_connections_open_calls(), 1);
}

TEST_F(SlackCliTest, HalfATokenPairStopsAtStartNamingTheMissingVariable) {
    auto e = env();
    e.erase("SLACK_BOT_TOKEN");
    auto bot = run(e);
    EXPECT_EQ(bot->wait(10s), 2);
    EXPECT_NE(read_file(output_).find("SLACK_BOT_TOKEN is missing"), std::string::npos)
        << read_file(output_);
}

TEST_F(SlackCliTest, WithoutTheTestCaTheFakeIsNotTrusted) {
    auto e = env();
    e.erase("SSL_CERT_FILE");
    e["SSL_CERT_DIR"] = dir_.path().string();  // no hashed CA files here: nothing trusted
    auto bot = run(e);
    std::this_thread::sleep_for(1500ms);
    EXPECT_EQ(fake_->apps_connections_open_calls(), 0)
        << "no request over an unverified connection";
    bot->terminate();
    EXPECT_EQ(bot->wait(10s), 0);
    EXPECT_NE(read_file(output_).find("certificate"), std::string::npos) << read_file(output_);
}

}  // namespace
}  // namespace funnelbot::testing

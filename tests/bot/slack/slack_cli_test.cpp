// `funnelbot run` as the runtime contract describes it: the real binary, configured only through
// its environment (SLACK_APP_TOKEN, SLACK_BOT_TOKEN, SLACK_API_URL, SSL_CERT_FILE, FUNNELBOT_DB),
// against the fake Slack over TLS.
#include <gtest/gtest.h>

#include <thread>

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

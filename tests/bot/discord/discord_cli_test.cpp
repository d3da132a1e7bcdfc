// `funnelbot run` as the runtime contract describes it, for Discord: the real binary, configured
// only through its environment (DISCORD_BOT_TOKEN, DISCORD_API_URL, DISCORD_GUILD_ID,
// SSL_CERT_FILE, FUNNELBOT_DB), against the fake Discord over TLS; and with Slack beside it.
#include <gtest/gtest.h>

#include <algorithm>
#include <thread>

#include "bot/discord/command_definitions.hpp"
#include "tests/support/child_process.hpp"
#include "tests/support/discord_options.hpp"
#include "tests/support/fake_discord.hpp"
#include "tests/support/fake_slack.hpp"
#include "tests/support/temp_database.hpp"
#include "tests/support/test_certificates.hpp"

namespace funnelbot::testing {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;
using namespace discord_options;

const std::string kGuild = "800000000000000001";
const std::string kAdmin = "100000000000000001";
const std::string kRep = "100000000000000002";
const std::string kManager = "100000000000000003";
const std::string kToken = "fake.discord.bot-token";

class DiscordCliTest : public ::testing::Test {
protected:
    DiscordCliTest() : pki_(make_test_pki(dir_.path().string())) {
        FakeDiscordOptions o;
        o.cert_file = pki_.server_cert;
        o.key_file = pki_.server_key;
        fake_ = std::make_unique<FakeDiscord>(o);
        fake_->add_member({kAdmin, kGuild, "ann", "Ann Admin", "8"});
        fake_->add_member({kRep, kGuild, "alice", "Alice Rep"});
        fake_->add_member({kManager, kGuild, "maria", "Maria Manager"});
    }

    std::map<std::string, std::string> env() const {
        return {{"DISCORD_BOT_TOKEN", kToken},
                {"DISCORD_API_URL", fake_->api_url()},
                {"SSL_CERT_FILE", pki_.ca_cert},
                {"FUNNELBOT_DB", dir_.file("bot.db")},
                {"FUNNELBOT_LOG_LEVEL", "debug"}};
    }

    std::unique_ptr<ChildProcess> run(const std::map<std::string, std::string>& environment) {
        return std::make_unique<ChildProcess>(FUNNELBOT_BINARY, std::vector<std::string>{"run"},
                                              environment, output_);
    }

    bool ready(int identifies = 1) {
        return fake_->wait_until(
            [&] {
                return fake_->identify_count() >= identifies && fake_->open_gateway_sockets() == 1;
            },
            10s);
    }

    // The callback's data for a command, as text ("" when none came).
    std::string reply(const std::string& user, const std::string& name,
                      json options = json::array()) {
        FakeInteraction i;
        i.guild_id = kGuild;
        i.user_id = user;
        i.command = name;
        i.options = std::move(options);
        const std::string id = fake_->send_interaction(i);
        std::string out;
        fake_->wait_until(
            [&] {
                for (const auto& c : fake_->callbacks())
                    if (c.interaction_id == id) out = c.data.dump();
                return !out.empty();
            },
            10s);
        return out;
    }

    TempDir dir_;
    TestPki pki_;
    std::unique_ptr<FakeDiscord> fake_;
    std::string output_ = dir_.file("funnelbot.log");
};

TEST_F(DiscordCliTest, RunRegistersServesAWholeSessionAndStopsOnSigterm) {
    auto bot = run(env());
    ASSERT_TRUE(ready()) << read_file(output_);
    ASSERT_TRUE(fake_->wait_until([&] { return fake_->command_registrations().size() == 1; }, 10s))
        << read_file(output_);
    EXPECT_EQ(fake_->command_registrations()[0].second, bot::discord::application_commands());
    for (const char* line : {"Widgets", "Gadgets", "Services"}) {
        EXPECT_NE(
            reply(kAdmin, "funnel-admin",
                  json::array({group(
                      "product", json::array({sub("add", json::array({option("name", line)}))}))}))
                .find("Added " + std::string(line)),
            std::string::npos);
    }
    for (int i = 1; i <= 10; ++i) {
        const std::string product = i <= 8 ? "Widgets" : (i == 9 ? "Gadgets" : "Services");
        reply(kRep, "opp",
              json::array(
                  {sub("add", json::array({option("customer", "Customer " + std::to_string(i)),
                                           option("product", product)}))}));
    }
    EXPECT_NE(reply(kRep, "funnel-check").find("Widgets is 80 %"), std::string::npos);
    EXPECT_NE(reply(kRep, "team-summary").find("is for managers and admins"), std::string::npos);
    reply(kAdmin, "funnel-admin",
          json::array({group(
              "team",
              json::array({sub("manager", json::array({option("team", "East"),
                                                       option("manager", kManager, 6)}))}))}));
    reply(kAdmin, "funnel-admin",
          json::array(
              {group("team", json::array({sub("add", json::array({option("team", "East"),
                                                                  option("rep", kRep, 6)}))}))}));
    EXPECT_NE(reply(kManager, "team-summary").find("East"), std::string::npos);
    for (const auto& c : fake_->callbacks())
        EXPECT_EQ(c.status, 204);

    bot->terminate();
    EXPECT_EQ(bot->wait(10s), 0) << read_file(output_);
    const std::string log = read_file(output_);
    EXPECT_EQ(log.find(kToken), std::string::npos) << "the token leaked into the log:\n" << log;
    // A clean stop closes the session with 1000.
    const auto connections = fake_->gateway_connections();
    ASSERT_FALSE(connections.empty());
    EXPECT_EQ(connections.back().client_close_code, std::optional<int>(1000));

    // A restart with DISCORD_GUILD_ID registers in that guild (and only there).
    auto with_guild = env();
    with_guild["DISCORD_GUILD_ID"] = kGuild;
    auto again = run(with_guild);
    ASSERT_TRUE(ready(2)) << read_file(output_);
    ASSERT_TRUE(fake_->wait_until([&] { return fake_->command_registrations().size() == 2; }, 10s));
    EXPECT_EQ(fake_->command_registrations()[1].first,
              "/applications/900000000000000001/guilds/" + kGuild + "/commands");
    again->terminate();
    EXPECT_EQ(again->wait(10s), 0);
}

TEST_F(DiscordCliTest, AFatalCloseCodeEndsTheProcessWithOneClearLine) {
    auto bot = run(env());
    ASSERT_TRUE(ready()) << read_file(output_);
    fake_->close_with(4004);
    EXPECT_EQ(bot->wait(10s), 3) << read_file(output_);
    const std::string log = read_file(output_);
    EXPECT_NE(log.find("4004 (authentication failed: check DISCORD_BOT_TOKEN)"), std::string::npos)
        << log;
}

TEST_F(DiscordCliTest, SlackAndDiscordRunSideBySideInOneProcess) {
    FakeSlackOptions so;
    so.cert_file = pki_.server_cert;
    so.key_file = pki_.server_key;
    FakeSlack slack(so);
    slack.add_user({"U1", "T111", "ann", "Ann Admin", "ann", "ann@example.com"});
    auto both = env();
    both["SLACK_APP_TOKEN"] = "xapp-1-fake-app-token";
    both["SLACK_BOT_TOKEN"] = "xoxb-fake-bot-token";
    both["SLACK_API_URL"] = slack.api_url();
    auto bot = run(both);
    ASSERT_TRUE(ready()) << read_file(output_);
    ASSERT_TRUE(slack.wait_until([&] { return slack.open_websockets() == 1; }, 10s))
        << read_file(output_);
    // One command on each platform, each answered in its own workspace.
    const std::string id = slack.send_slash_command("T111", "U1", "/funnel-help", "");
    ASSERT_TRUE(slack.wait_until(
        [&] {
            for (const auto& a : slack.acks())
                if (a.envelope_id == id && a.payload) return true;
            return false;
        },
        10s));
    EXPECT_NE(reply(kRep, "funnel-help").find("embeds"), std::string::npos);
    bot->terminate();
    EXPECT_EQ(bot->wait(10s), 0) << read_file(output_);
    EXPECT_NE(read_file(output_).find("connecting to Slack and Discord"), std::string::npos);
}

TEST_F(DiscordCliTest, RemindSendsOneDmPerPersonAndWeekThroughDiscord) {
    {
        auto bot = run(env());
        ASSERT_TRUE(ready()) << read_file(output_);
        reply(
            kAdmin, "funnel-admin",
            json::array({group(
                "product", json::array({sub("add", json::array({option("name", "Widgets")}))}))}));
        reply(kAdmin, "funnel-admin",
              json::array({group(
                  "team",
                  json::array({sub("manager", json::array({option("team", "East"),
                                                           option("manager", kManager, 6)}))}))}));
        reply(kAdmin, "funnel-admin",
              json::array({group(
                  "team", json::array({sub("add", json::array({option("team", "East"),
                                                               option("rep", kRep, 6)}))}))}));
        reply(kRep, "opp",
              json::array({sub("add", json::array({option("customer", "Acme"),
                                                   option("product", "Widgets")}))}));
        bot->terminate();
        ASSERT_EQ(bot->wait(10s), 0);
    }
    // Discord has no per-user zone: the workspace's (UTC here), Friday 15:00.
    auto remind = [&](std::vector<std::string> extra) {
        std::vector<std::string> args{"remind", "--at", "2026-11-27T15:00:00Z"};
        args.insert(args.end(), extra.begin(), extra.end());
        ChildProcess p(FUNNELBOT_BINARY, args, env(), output_);
        EXPECT_EQ(p.wait(30s), 0);
        return read_file(output_);
    };
    const std::string preview = remind({"--dry-run"});
    EXPECT_NE(preview.find("(rep) ---"), std::string::npos) << preview;
    EXPECT_NE(preview.find("(manager) ---"), std::string::npos) << preview;
    EXPECT_TRUE(fake_->messages().empty());
    // The admin has no team: not due; the rep and the manager get one DM each, once.
    EXPECT_NE(remind({}).find("2 sent, 1 not due, 0 already sent"), std::string::npos)
        << read_file(output_);
    ASSERT_EQ(fake_->messages().size(), 2u);
    std::vector<std::string> to;
    for (const auto& m : fake_->messages())
        to.push_back(m.recipient_id);
    std::sort(to.begin(), to.end());
    EXPECT_EQ(to, (std::vector<std::string>{kRep, kManager}));
    EXPECT_NE(remind({}).find("0 sent, 1 not due, 2 already sent"), std::string::npos);
    EXPECT_EQ(fake_->messages().size(), 2u) << "exactly once per person and week";
}

TEST_F(DiscordCliTest, WithoutTheTestCaTheFakeIsNotTrusted) {
    auto e = env();
    e.erase("SSL_CERT_FILE");
    e["SSL_CERT_DIR"] = dir_.path().string();  // no hashed CA files here: nothing trusted
    auto bot = run(e);
    std::this_thread::sleep_for(1500ms);
    EXPECT_TRUE(fake_->requests().empty()) << "no request over an unverified connection";
    EXPECT_EQ(fake_->identify_count(), 0);
    bot->terminate();
    bot->wait(10s);
    EXPECT_NE(read_file(output_).find("certificate"), std::string::npos) << read_file(output_);
}

}  // namespace
}  // namespace funnelbot::testing

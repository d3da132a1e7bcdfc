// The real Discord client (gateway, command registration, REST, worker pool, SQLite) against the
// fake Discord over TLS on 127.0.0.1: registration, a whole session of commands, heartbeats on
// schedule, recovery from every injected fault (resume where it should, identify where it must,
// stop when fatal), and an answer to every interaction, even one whose command fails.
#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include <algorithm>
#include <atomic>
#include <future>
#include <map>
#include <mutex>
#include <sstream>
#include <thread>

#include "bot/discord/command_definitions.hpp"
#include "bot/discord/command_registration.hpp"
#include "bot/discord/embed_renderer.hpp"
#include "bot/discord/gateway_client.hpp"
#include "bot/net/https_client.hpp"
#include "bot/net/tls_context.hpp"
#include "bot/runtime/worker_pool.hpp"
#include "storage/database.hpp"
#include "storage/sql_support.hpp"
#include "tests/support/discord_options.hpp"
#include "tests/support/fake_discord.hpp"
#include "tests/support/temp_database.hpp"
#include "tests/support/test_certificates.hpp"

namespace funnelbot::bot::discord {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;
using namespace testing::discord_options;
using testing::FakeDiscord;

constexpr auto kWait = 10s;  // upper bound for anything to happen; most take milliseconds
const std::string kGuild = "800000000000000001";
const std::string kAdmin = "100000000000000001";
const std::string kRep = "100000000000000002";
const std::string kManager = "100000000000000003";
const std::string kToken = "fake.discord.bot-token";

class GatewayClientTest : public ::testing::Test {
protected:
    GatewayClientTest() : pki_(testing::make_test_pki(dir_.path().string())) {
        log_ = std::make_shared<std::ostringstream>();
        auto logger = std::make_shared<spdlog::logger>(
            "test", std::make_shared<spdlog::sinks::ostream_sink_mt>(*log_));
        logger->set_level(spdlog::level::debug);
        previous_logger_ = spdlog::default_logger();
        spdlog::set_default_logger(logger);
        { storage::Database migrate(db_path_); }
    }

    ~GatewayClientTest() override {
        stop_bot();
        spdlog::set_default_logger(previous_logger_);
    }

    FakeDiscord& fake(int heartbeat_ms = 41250) {
        if (!fake_) {
            testing::FakeDiscordOptions o;
            o.cert_file = pki_.server_cert;
            o.key_file = pki_.server_key;
            o.heartbeat_interval_ms = heartbeat_ms;
            fake_ = std::make_unique<FakeDiscord>(o);
            fake_->add_member({kAdmin, kGuild, "ann", "Ann Admin", "32"});
            fake_->add_member({kRep, kGuild, "alice", "Alice Rep"});
            fake_->add_member({kManager, kGuild, "maria", "Maria Manager"});
        }
        return *fake_;
    }

    void start_bot(std::chrono::milliseconds defer_after = 1500ms, std::string token = kToken) {
        fake();
        tls_ = std::make_unique<boost::asio::ssl::context>(make_client_tls_context());
        tls_->load_verify_file(pki_.ca_cert);
        HttpOptions http_options = http_options_for_tests();
        http_ = std::make_unique<HttpsClient>(io_.get_executor(), *tls_, http_options);
        callbacks_ = std::make_unique<HttpsClient>(io_.get_executor(), *tls_, http_options);
        rest_ =
            std::make_unique<RestApi>(io_.get_executor(), *http_, *callbacks_,
                                      RestApiOptions{*Url::parse(fake_->api_url() + "/"), token});
        workers_ = std::make_unique<WorkerPool>(db_path_, 2, max_queued_);
        GatewayConfig config;
        config.answering.defer_after = defer_after;
        config.protocol.token = token;
        config.protocol.backoff_base = 20ms;
        config.protocol.seed = 42;
        config.websocket.ping_interval = 200ms;
        config.websocket.stale_after = 3s;
        config.websocket.close_timeout = 300ms;
        config.websocket.connect_timeout = 3s;
        client_ = std::make_unique<GatewayClient>(io_, *tls_, *rest_, *workers_, config);
        registration_ =
            std::make_unique<CommandRegistration>(io_, *rest_, *workers_, RegistrationConfig{});
        {
            std::lock_guard lock(mutex_);
            stopped_ = false;
            stop_reason_.clear();
        }
        // As `funnelbot run` wires them: whichever stops first stops both.
        auto on_stopped = [this](std::string reason) {
            {
                std::lock_guard lock(mutex_);
                if (stopped_) return;
                stopped_ = true;
                stop_reason_ = std::move(reason);
            }
            registration_->stop();
            client_->stop();
        };
        registration_->start(on_stopped);
        client_->start(on_stopped);
        io_.restart();
        thread_ = std::thread([this] { io_.run(); });
    }

    static HttpOptions http_options_for_tests() {
        HttpOptions o = http_options("test");
        o.backoff_base = 20ms;
        o.request_timeout = 3s;
        return o;
    }

    void stop_bot() {
        if (!thread_.joinable()) return;
        boost::asio::post(io_, [this] {
            registration_->stop();
            client_->stop();
        });
        std::this_thread::sleep_for(100ms);
        io_.stop();
        thread_.join();
        registration_.reset();
        client_.reset();
        workers_.reset();
        rest_.reset();
        callbacks_.reset();
        http_.reset();
    }

    // A session is up once READY (or RESUMED) went out to a socket the client still holds.
    bool ready(int identifies = 1, int resumes = 0) {
        return fake().wait_until(
            [&] {
                return fake().identify_count() >= identifies && fake().resume_count() >= resumes &&
                       fake().open_gateway_sockets() >= 1;
            },
            kWait);
    }

    // The callbacks the fake took for an interaction (accepted or refused with a Discord error);
    // attempts answered by an injected 5xx or 429 are left out.
    std::vector<testing::RecordedCallback> callbacks_for(const std::string& id) {
        std::vector<testing::RecordedCallback> out;
        for (const auto& c : fake().callbacks())
            if (c.interaction_id == id && c.status != 429 && c.status < 500) out.push_back(c);
        return out;
    }

    // Invokes a command and waits for its (first) callback; returns the callback's data.
    json command(const std::string& user, const std::string& name, json options = json::array()) {
        testing::FakeInteraction i;
        i.guild_id = kGuild;
        i.user_id = user;
        i.command = name;
        i.options = std::move(options);
        const std::string id = fake().send_interaction(i);
        return wait_answer(id);
    }

    json wait_answer(const std::string& id) {
        if (!fake().wait_until([&] { return !callbacks_for(id).empty(); }, kWait)) {
            ADD_FAILURE() << "no callback for interaction " << id;
            return json();
        }
        const auto c = callbacks_for(id).front();
        EXPECT_EQ(c.status, 204) << c.error_code;
        EXPECT_EQ(c.type, 4);
        last_latency_ = c.since_dispatch;
        return c.data;
    }

    static std::string text(const json& data) { return data.dump(); }
    static int colour(const json& data) {
        return data.contains("embeds") ? data["embeds"][0].value("color", 0) : 0;
    }

    std::vector<testing::RecordedGatewayPayload> payloads(int op) {
        std::vector<testing::RecordedGatewayPayload> out;
        for (const auto& p : fake().gateway_payloads())
            if (p.op == op) out.push_back(p);
        return out;
    }

    // Interactions not yet answered to the end, read on the client's thread.
    std::size_t pending() {
        std::promise<std::size_t> count;
        auto answer = count.get_future();
        boost::asio::post(io_, [&] { count.set_value(client_->pending_interactions()); });
        return answer.get();
    }

    // Sends a /funnel-check while both workers are busy for 400 ms, so its reply cannot be ready
    // before a short defer point; returns the interaction id.
    std::string funnel_check_with_workers_busy() {
        for (int n = 0; n < 2; ++n)
            workers_->post([](commands::FrontDesk&) { std::this_thread::sleep_for(400ms); });
        testing::FakeInteraction i;
        i.guild_id = kGuild;
        i.user_id = kRep;
        i.command = "funnel-check";
        return fake().send_interaction(i);
    }

    // Makes every workspace lookup fail: the job throws before the command is dispatched.
    void break_workspace_lookup() {
        storage::Database db(db_path_);
        storage::detail::sql(db).exec("DROP TABLE workspaces");
    }

    static bool is_failure_reply(const json& message) {
        const std::string text = message.dump();
        return colour(message) == bot::discord::kDiscordRed &&
               text.find("funnelbot could not complete this command (") != std::string::npos &&
               text.find("Nothing was changed; please try again in a moment.") != std::string::npos;
    }

    std::string stop_reason() {
        std::lock_guard lock(mutex_);
        return stopped_ ? stop_reason_ : "(running)";
    }

    testing::TempDir dir_;
    testing::TestPki pki_;
    std::string db_path_ = dir_.file("discord.db");
    std::unique_ptr<FakeDiscord> fake_;
    boost::asio::io_context io_;
    std::unique_ptr<boost::asio::ssl::context> tls_;
    std::unique_ptr<HttpsClient> http_;
    std::unique_ptr<HttpsClient> callbacks_;
    std::unique_ptr<RestApi> rest_;
    std::size_t max_queued_ = WorkerPool::kDefaultMaxQueued;
    std::unique_ptr<WorkerPool> workers_;
    std::unique_ptr<GatewayClient> client_;
    std::unique_ptr<CommandRegistration> registration_;
    std::thread thread_;
    std::mutex mutex_;
    bool stopped_ = false;
    std::string stop_reason_;
    std::chrono::microseconds last_latency_{0};
    std::shared_ptr<std::ostringstream> log_;
    std::shared_ptr<spdlog::logger> previous_logger_;
};

TEST_F(GatewayClientTest, RegistersOnceAndServesAWholeSession) {
    start_bot();
    ASSERT_TRUE(ready());
    ASSERT_TRUE(
        fake().wait_until([&] { return fake().command_registrations().size() == 1; }, kWait));
    const auto registered = fake().command_registrations().front();
    EXPECT_EQ(registered.first, "/applications/900000000000000001/commands");
    EXPECT_EQ(registered.second, application_commands());
    // Every REST request carried the bot token and Discord's User-Agent form.
    for (const auto& r : fake().requests()) {
        if (r.target.find("/interactions/") != std::string::npos ||
            r.target.find("/webhooks/") != std::string::npos)
            continue;  // interaction routes: the token in the path is the credential
        EXPECT_EQ(r.header("Authorization"), "Bot " + kToken) << r.target;
        EXPECT_EQ(r.header("User-Agent").rfind("DiscordBot (", 0), 0u) << r.target;
    }
    // Identify: the raw token, intents 0.
    const auto identify = payloads(2);
    ASSERT_EQ(identify.size(), 1u);
    EXPECT_EQ(identify[0].payload["d"]["token"], kToken);
    EXPECT_EQ(identify[0].payload["d"]["intents"], 0);
    EXPECT_EQ(fake().gateway_connections().front().target, "/?v=10&encoding=json");

    for (const char* line : {"Widgets", "Gadgets", "Services"}) {
        const json r = command(
            kAdmin, "funnel-admin",
            json::array({group("product",
                               json::array({sub("add", json::array({option("name", line)}))}))}));
        EXPECT_NE(colour(r), bot::discord::kDiscordRed) << text(r);
        EXPECT_EQ(r.value("flags", 0), 64);
    }
    for (int i = 1; i <= 10; ++i) {
        const std::string product = i <= 8 ? "Widgets" : (i == 9 ? "Gadgets" : "Services");
        const json r = command(
            kRep, "opp",
            json::array(
                {sub("add", json::array({option("customer", "Customer " + std::to_string(i)),
                                         option("product", product), option("amount", "10k")}))}));
        ASSERT_NE(colour(r), bot::discord::kDiscordRed) << text(r);
    }
    const json check = command(kRep, "funnel-check");
    EXPECT_NE(text(check).find("Widgets is 80 %"), std::string::npos) << text(check);
    EXPECT_LT(last_latency_, 1500us * 1000) << "answered with type 4, inside the deadline";

    const json refused = command(kRep, "team-summary");
    EXPECT_EQ(colour(refused), bot::discord::kDiscordRed);
    EXPECT_NE(text(refused).find("is for managers and admins"), std::string::npos);
    command(kAdmin, "funnel-admin",
            json::array({group(
                "team",
                json::array({sub("manager", json::array({option("team", "East"),
                                                         option("manager", kManager, 6)}))}))}));
    command(kAdmin, "funnel-admin",
            json::array(
                {group("team", json::array({sub("add", json::array({option("team", "East"),
                                                                    option("rep", kRep, 6)}))}))}));
    const json summary = command(kManager, "team-summary");
    EXPECT_NE(colour(summary), bot::discord::kDiscordRed) << text(summary);
    EXPECT_NE(text(summary).find("East"), std::string::npos) << text(summary);
    // Nothing was answered twice, nothing refused.
    for (const auto& c : fake().callbacks())
        EXPECT_EQ(c.status, 204) << c.interaction_id;

    // A restart with the same definitions does not register again (hash kept in SQLite).
    stop_bot();
    start_bot();
    ASSERT_TRUE(ready(2));
    const json again = command(kRep, "funnel-check");
    EXPECT_NE(text(again).find("Widgets is 80 %"), std::string::npos);
    EXPECT_EQ(fake().command_registrations().size(), 1u);
    EXPECT_EQ(log_->str().find(kToken), std::string::npos) << "the token never reaches the log";
}

TEST_F(GatewayClientTest, HeartbeatsOnScheduleAndAnswersServerRequests) {
    fake(300);
    start_bot();
    ASSERT_TRUE(ready());
    ASSERT_TRUE(fake().wait_until([&] { return payloads(1).size() >= 6; }, kWait));
    const auto opened = fake().gateway_connections().front().opened;
    const auto beats = payloads(1);
    // The first beat within one interval (jittered), then one per interval.
    EXPECT_LE(beats[0].received - opened, 300ms + 100ms);
    for (std::size_t i = 1; i < 5; ++i) {
        const auto gap = beats[i].received - beats[i - 1].received;
        EXPECT_GE(gap, 250ms) << i;
        EXPECT_LE(gap, 400ms) << i;
        EXPECT_EQ(beats[i].payload["d"], 1) << "the last sequence: READY's";
    }
    // op 1 from the server: answered at once, not at the next interval.
    const auto before = payloads(1).size();
    const auto asked = std::chrono::steady_clock::now();
    fake().request_heartbeat();
    ASSERT_TRUE(fake().wait_until([&] { return payloads(1).size() > before; }, kWait));
    EXPECT_LT(payloads(1)[before].received - asked, 150ms);
    EXPECT_EQ(fake().identify_count(), 1);
    EXPECT_EQ(fake().resume_count(), 0) << "a requested beat is no zombie";
}

TEST_F(GatewayClientTest, ResumesAfterReconnectsAndDropsWithoutLosingInteractions) {
    fake(2000);
    start_bot();
    ASSERT_TRUE(ready());
    command(kAdmin, "funnel-admin",
            json::array({group(
                "product", json::array({sub("add", json::array({option("name", "Widgets")}))}))}));
    int resumes = 0;
    const std::vector<std::pair<std::string, std::function<void()>>> faults = {
        {"op 7", [&] { fake().send_reconnect(); }},
        {"op 9 true", [&] { fake().send_invalid_session(true); }},
        {"close 4000", [&] { fake().close_with(4000); }},
        {"close 1001", [&] { fake().close_with(1001); }},
        {"TCP drop", [&] { fake().drop_connections(); }},
    };
    for (const auto& [name, inject] : faults) {
        inject();
        // An interaction while the client is away: replayed on resume, answered once.
        testing::FakeInteraction i;
        i.guild_id = kGuild;
        i.user_id = kRep;
        i.command = "funnel-check";
        const std::string id = fake().send_interaction(i);
        ++resumes;
        ASSERT_TRUE(ready(1, resumes)) << name;
        wait_answer(id);
        EXPECT_EQ(callbacks_for(id).size(), 1u) << name;
        const auto resume = payloads(6).back();
        EXPECT_TRUE(resume.resume_listener) << name << ": resumed at resume_gateway_url";
        EXPECT_EQ(resume.payload["d"]["token"], kToken);
        // The one session from READY, resumed from the last sequence seen.
        EXPECT_EQ(resume.payload["d"]["session_id"],
                  payloads(6).front().payload["d"]["session_id"]);
        EXPECT_TRUE(resume.payload["d"]["session_id"].is_string());
        EXPECT_TRUE(resume.payload["d"]["seq"].is_number_integer()) << name;
    }
    EXPECT_EQ(fake().identify_count(), 1) << "every fault was resumed, no new session";
    // The resume host and port are the ones READY gave (127.0.0.1:resume_port).
    for (const auto& c : fake().gateway_connections()) {
        if (c.resume_listener) {
            EXPECT_EQ(c.host_header, "127.0.0.1:" + std::to_string(fake().resume_port()));
        }
    }
    // The client never ended the session with 1000 or 1001 itself; the one 1001 is its echo of
    // the fake's own close frame (RFC 6455 §5.5.1), which keeps the session.
    int echoed_1001 = 0;
    for (const auto& c : fake().gateway_connections()) {
        if (c.client_close_code) {
            EXPECT_NE(*c.client_close_code, 1000);
            echoed_1001 += *c.client_close_code == 1001 ? 1 : 0;
        }
    }
    EXPECT_LE(echoed_1001, 1);
}

TEST_F(GatewayClientTest, ZombieConnectionIsClosedAndResumed) {
    fake(300);
    start_bot();
    ASSERT_TRUE(ready());
    fake().withhold_acks(true);
    ASSERT_TRUE(fake().wait_until(
        [&] {
            for (const auto& c : fake().gateway_connections())
                if (c.client_close_code) return true;
            return false;
        },
        kWait));
    fake().withhold_acks(false);
    ASSERT_TRUE(ready(1, 1));
    const auto first = fake().gateway_connections().front();
    ASSERT_TRUE(first.client_close_code);
    EXPECT_NE(*first.client_close_code, 1000);
    EXPECT_NE(*first.client_close_code, 1001);
    EXPECT_EQ(fake().identify_count(), 1);
    // And the resumed session serves.
    const json r = command(kRep, "funnel-help");
    EXPECT_NE(colour(r), bot::discord::kDiscordRed) << text(r);
}

TEST_F(GatewayClientTest, IdentifiesAgainWhenTheSessionIsGone) {
    start_bot();
    ASSERT_TRUE(ready());
    fake().send_invalid_session(false);
    ASSERT_TRUE(ready(2));
    fake().close_with(4009);
    ASSERT_TRUE(ready(3));
    EXPECT_EQ(fake().resume_count(), 0);
    // New sessions go to the gateway of GET /gateway/bot, not the resume URL.
    for (const auto& p : payloads(2))
        EXPECT_FALSE(p.resume_listener);
    const json r = command(kRep, "funnel-help");
    EXPECT_NE(colour(r), bot::discord::kDiscordRed) << text(r);
}

TEST_F(GatewayClientTest, StopsOnAuthenticationFailure) {
    start_bot();
    ASSERT_TRUE(ready());
    fake().close_with(4004);
    ASSERT_TRUE(fake().wait_until([&] { return stop_reason() != "(running)"; }, kWait));
    EXPECT_NE(stop_reason().find("4004"), std::string::npos) << stop_reason();
    const auto connections = fake().gateway_connections().size();
    std::this_thread::sleep_for(500ms);
    EXPECT_EQ(fake().gateway_connections().size(), connections) << "no reconnect loop";
}

TEST_F(GatewayClientTest, AWrongTokenStopsWithoutHammering) {
    start_bot(1500ms, "wrong.token");
    ASSERT_TRUE(fake().wait_until([&] { return stop_reason() != "(running)"; }, kWait));
    EXPECT_NE(stop_reason().find("DISCORD_BOT_TOKEN"), std::string::npos) << stop_reason();
    std::this_thread::sleep_for(300ms);
    EXPECT_LE(fake().requests().size(), 3u);
    EXPECT_EQ(fake().identify_count(), 0);
    EXPECT_EQ(log_->str().find("wrong.token"), std::string::npos);
}

TEST_F(GatewayClientTest, RedeliveredInteractionIsAnsweredOnce) {
    start_bot();
    ASSERT_TRUE(ready());
    testing::FakeInteraction i;
    i.guild_id = kGuild;
    i.user_id = kAdmin;
    i.command = "funnel-admin";
    i.options = json::array(
        {group("product", json::array({sub("add", json::array({option("name", "Widgets")}))}))});
    const std::string id = fake().send_interaction(i);
    wait_answer(id);
    fake().resend_interaction(id);
    command(kRep, "funnel-help");  // dispatched after the redelivery, so that one was seen
    EXPECT_EQ(callbacks_for(id).size(), 1u);
    storage::Database db(db_path_);
    EXPECT_EQ(storage::detail::sql(db).execAndGet("SELECT COUNT(*) FROM product_lines").getInt(),
              1);
}

TEST_F(GatewayClientTest, SlowRepliesAreDeferredThenEdited) {
    start_bot(100ms);
    ASSERT_TRUE(ready());
    const std::string id = funnel_check_with_workers_busy();
    ASSERT_TRUE(fake().wait_until([&] { return !fake().webhook_messages().empty(); }, kWait));
    const auto cbs = callbacks_for(id);
    ASSERT_EQ(cbs.size(), 1u);
    EXPECT_EQ(cbs[0].type, 5);
    EXPECT_EQ(cbs[0].data.value("flags", 0), 64);
    EXPECT_EQ(cbs[0].status, 204);
    const auto edit = fake().webhook_messages().front();
    EXPECT_TRUE(edit.original);
    EXPECT_EQ(edit.interaction_id, id);
    EXPECT_EQ(edit.status, 200);
    EXPECT_TRUE(edit.body.contains("embeds"));
    EXPECT_FALSE(edit.body.contains("flags"));
}

// Every interaction ends in an answer: one whose job fails before dispatch is answered with an
// error reply in the callback, and nothing stays pending.
TEST_F(GatewayClientTest, ACommandThatFailsBeforeDispatchIsAnsweredInTheCallback) {
    start_bot();
    ASSERT_TRUE(ready());
    break_workspace_lookup();
    const json r = command(kRep, "funnel-check");
    EXPECT_TRUE(is_failure_reply(r)) << text(r);
    EXPECT_EQ(r.value("flags", 0), 64) << "only the asker sees it";
    EXPECT_TRUE(fake().wait_until([&] { return pending() == 0; }, kWait));
    EXPECT_TRUE(fake().webhook_messages().empty()) << "answered once, in the callback";
}

// The same failure past the defer point: a deferred callback, then the error reply as the edit.
TEST_F(GatewayClientTest, ALateCommandThatFailsBeforeDispatchIsAnsweredInTheEdit) {
    start_bot(100ms);
    ASSERT_TRUE(ready());
    break_workspace_lookup();
    const std::string id = funnel_check_with_workers_busy();
    ASSERT_TRUE(fake().wait_until([&] { return !fake().webhook_messages().empty(); }, kWait));
    const auto cbs = callbacks_for(id);
    ASSERT_EQ(cbs.size(), 1u);
    EXPECT_EQ(cbs[0].type, 5);
    const auto edit = fake().webhook_messages().front();
    EXPECT_EQ(edit.interaction_id, id);
    EXPECT_EQ(edit.status, 200);
    EXPECT_TRUE(is_failure_reply(edit.body)) << edit.body.dump();
    EXPECT_TRUE(fake().wait_until([&] { return pending() == 0; }, kWait));
}

// A flood is not queued without limit: with both workers busy and the queue full, an interaction
// is answered at once that funnelbot is busy, and nothing of it runs; what was accepted is
// answered as usual once the workers are free.
TEST_F(GatewayClientTest, AFloodIsAnsweredBusyAndTheRefusedCommandsChangeNothing) {
    max_queued_ = 1;
    start_bot();
    ASSERT_TRUE(ready());
    // The command registration's last job (storing the definitions' hash) must be done first, or
    // it could take the one queue slot meant for the product below or the first interaction.
    ASSERT_TRUE(fake().wait_until(
        [&] {
            storage::Database db(db_path_);
            return storage::detail::sql(db)
                           .execAndGet("SELECT COUNT(*) FROM app_settings")
                           .getInt() > 0 &&
                   workers_->queued() == 0;
        },
        kWait));
    const json product = command(
        kAdmin, "funnel-admin",
        json::array({group("product",
                           json::array({sub("add", json::array({option("name", "Widgets")}))}))}));
    ASSERT_EQ(text(product).find("funnelbot is busy right now"), std::string::npos)
        << text(product);
    ASSERT_TRUE(fake().wait_until([&] { return workers_->queued() == 0; }, kWait));
    std::promise<void> release;
    std::shared_future<void> gate = release.get_future().share();
    std::atomic<int> holding{0};
    for (int n = 0; n < 2; ++n) {
        workers_->post([&holding, gate](commands::FrontDesk&) {
            ++holding;
            gate.wait();
        });
    }
    ASSERT_TRUE(fake().wait_until([&] { return holding.load() == 2; }, kWait));
    std::vector<std::string> ids;
    for (int i = 1; i <= 3; ++i) {
        testing::FakeInteraction add;
        add.guild_id = kGuild;
        add.user_id = kRep;
        add.command = "opp";
        add.options =
            json::array({sub("add", json::array({option("customer", "Flood " + std::to_string(i)),
                                                 option("product", "Widgets")}))});
        ids.push_back(fake().send_interaction(add));
        // In order: the first takes the one queue slot before the next arrives.
        ASSERT_TRUE(fake().wait_until([&] { return workers_->queued() == 1; }, kWait));
    }
    for (int i = 1; i <= 2; ++i) {
        const json busy = wait_answer(ids[i]);
        EXPECT_NE(text(busy).find("funnelbot is busy right now"), std::string::npos) << text(busy);
        EXPECT_EQ(busy.value("flags", 0), 64);
    }
    EXPECT_EQ(workers_->refused_jobs(), 2U);
    release.set_value();
    const json added = wait_answer(ids[0]);
    EXPECT_NE(text(added).find("Flood 1"), std::string::npos) << text(added);
    const json list = command(kRep, "opp", json::array({sub("list", json::array())}));
    EXPECT_NE(text(list).find("Flood 1"), std::string::npos) << text(list);
    EXPECT_EQ(text(list).find("Flood 2"), std::string::npos) << text(list);
    EXPECT_EQ(text(list).find("Flood 3"), std::string::npos) << text(list);
    EXPECT_TRUE(fake().wait_until([&] { return pending() == 0; }, kWait));
}

// Draining (the first step of a shutdown): an interaction that arrives is answered at once that
// funnelbot is restarting, and nothing of it runs; connected() follows READY.
TEST_F(GatewayClientTest, WhileDrainingANewInteractionIsAnsweredRestartingAndNotRun) {
    start_bot();
    ASSERT_TRUE(ready());
    ASSERT_TRUE(fake().wait_until(
        [&] {
            std::promise<bool> up;
            auto answer = up.get_future();
            boost::asio::post(io_, [&] { up.set_value(client_->connected()); });
            return answer.get();
        },
        kWait));
    command(kAdmin, "funnel-admin",
            json::array({group(
                "product", json::array({sub("add", json::array({option("name", "Widgets")}))}))}));
    boost::asio::post(io_, [this] { client_->drain(); });
    const json r = command(
        kRep, "opp",
        json::array(
            {sub("add", json::array({option("customer", "Late"), option("product", "Widgets")}))}));
    EXPECT_NE(text(r).find("funnelbot is restarting and did not run this command"),
              std::string::npos)
        << text(r);
    EXPECT_EQ(r.value("flags", 0), 64);
    storage::Database db(db_path_);
    EXPECT_EQ(storage::detail::sql(db).execAndGet("SELECT COUNT(*) FROM opportunities").getInt(),
              0);
}

TEST_F(GatewayClientTest, RestFaultsAreRetriedWithinBounds) {
    fake().fail_next("PUT /applications/", 429, 1, 0.2);
    fake().fail_next("POST /interactions/", 500, 1);
    start_bot();
    ASSERT_TRUE(ready());
    ASSERT_TRUE(
        fake().wait_until([&] { return fake().command_registrations().size() == 1; }, kWait));
    const json r = command(kRep, "funnel-help");
    EXPECT_NE(colour(r), bot::discord::kDiscordRed) << text(r);
    // A global 429 on a callback is waited out too.
    fake().fail_next("POST /interactions/", 429, 1, 0.1, true);
    const json again = command(kRep, "funnel-help");
    EXPECT_NE(colour(again), bot::discord::kDiscordRed) << text(again);
}

}  // namespace
}  // namespace funnelbot::bot::discord

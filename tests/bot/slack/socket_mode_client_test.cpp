// The real Slack client (Socket Mode, Web API, worker pool, SQLite) against the fake Slack over
// TLS on 127.0.0.1: a whole session of commands, recovery from every injected fault, and a reply
// to every command, even one whose job fails.
#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include <atomic>
#include <future>
#include <sstream>
#include <thread>

#include "bot/net/https_client.hpp"
#include "bot/net/tls_context.hpp"
#include "bot/runtime/worker_pool.hpp"
#include "bot/slack/socket_mode_client.hpp"
#include "storage/database.hpp"
#include "storage/opportunity_repository.hpp"
#include "storage/sql_support.hpp"
#include "storage/workspace_repository.hpp"
#include "tests/support/fake_slack.hpp"
#include "tests/support/temp_database.hpp"
#include "tests/support/test_certificates.hpp"

namespace funnelbot::bot::slack {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;
using testing::FakeSlack;

constexpr auto kWait = 10s;  // upper bound for anything to happen; most take milliseconds

class SocketModeClientTest : public ::testing::Test {
protected:
    SocketModeClientTest() : pki_(testing::make_test_pki(dir_.path().string())) {
        log_ = std::make_shared<std::ostringstream>();
        auto logger = std::make_shared<spdlog::logger>(
            "test", std::make_shared<spdlog::sinks::ostream_sink_mt>(*log_));
        logger->set_level(spdlog::level::trace);
        previous_logger_ = spdlog::default_logger();
        spdlog::set_default_logger(logger);
        { storage::Database migrate(db_path_); }
    }

    ~SocketModeClientTest() override {
        stop_bot();
        spdlog::set_default_logger(previous_logger_);
    }

    FakeSlack& fake(const std::string& cert = {}, const std::string& key = {}) {
        if (!fake_) {
            testing::FakeSlackOptions o;
            o.cert_file = cert.empty() ? pki_.server_cert : cert;
            o.key_file = key.empty() ? pki_.server_key : key;
            fake_ = std::make_unique<FakeSlack>(o);
            testing::FakeSlackUser admin{"U1",        "T111", "ann",
                                         "Ann Admin", "ann",  "ann@example.com"};
            admin.is_admin = true;
            fake_->add_user(admin);
            fake_->add_user({"U2", "T111", "alice", "Alice Rep", "alice", "alice@example.com"});
            fake_->add_user({"U3", "T111", "maria", "Maria Manager", "maria", "maria@example.com"});
        }
        return *fake_;
    }

    void start_bot(ProtocolOptions protocol = {}, WebSocketOptions ws = fast_websocket()) {
        fake();
        tls_ = std::make_unique<boost::asio::ssl::context>(make_client_tls_context());
        tls_->load_verify_file(pki_.ca_cert);
        HttpOptions http_options;
        http_options.backoff_base = 20ms;
        http_options.request_timeout = 2s;
        http_ = std::make_unique<HttpsClient>(io_.get_executor(), *tls_, http_options);
        workers_ = std::make_unique<WorkerPool>(db_path_, 2, max_queued_);
        SocketModeConfig config;
        config.api_base = *Url::parse(fake_->api_url());
        config.app_token = "xapp-1-fake-app-token";
        config.bot_token = "xoxb-fake-bot-token";
        config.websocket = ws;
        protocol.backoff_base = std::min<std::chrono::milliseconds>(protocol.backoff_base, 50ms);
        config.protocol = protocol;
        client_ = std::make_unique<SocketModeClient>(io_, *tls_, *http_, *workers_, config);
        client_->start([this](std::string reason) {
            std::lock_guard lock(mutex_);
            stopped_ = true;
            stop_reason_ = std::move(reason);
        });
        thread_ = std::thread([this] { io_.run(); });
    }

    static WebSocketOptions fast_websocket() {
        WebSocketOptions ws;
        ws.ping_interval = 100ms;
        ws.stale_after = 800ms;
        ws.close_timeout = 300ms;
        ws.connect_timeout = 3s;
        return ws;
    }

    void stop_bot() {
        if (!thread_.joinable()) return;
        boost::asio::post(io_, [this] { client_->stop(); });
        std::this_thread::sleep_for(50ms);
        io_.stop();
        thread_.join();
        client_.reset();
        workers_.reset();
        http_.reset();
    }

    bool connected(int accepted = 1) {
        return fake().wait_until(
            [&] {
                return fake().websocket_connections_accepted() >= accepted &&
                       fake().open_websockets() >= 1;
            },
            kWait);
    }

    // Sends a slash command and waits for its ack; returns the ack's payload (null if none).
    json command(const std::string& user, const std::string& cmd, const std::string& text) {
        const std::string id = fake().send_slash_command("T111", user, cmd, text);
        std::optional<testing::RecordedAck> ack;
        fake().wait_until(
            [&] {
                for (const auto& a : fake().acks()) {
                    if (a.envelope_id == id) ack = a;
                }
                return ack.has_value();
            },
            kWait);
        if (!ack) {
            ADD_FAILURE() << "no ack for " << cmd << " " << text;
            return json();
        }
        last_ack_latency_ = ack->since_sent.value_or(std::chrono::microseconds{-1});
        return ack->payload.value_or(json());
    }

    // Commands handed out and not yet answered, read on the client's thread.
    std::size_t pending() {
        std::promise<std::size_t> count;
        auto answer = count.get_future();
        boost::asio::post(io_, [&] { count.set_value(client_->pending_commands()); });
        return answer.get();
    }

    // Makes every workspace lookup fail: the job throws before the command is dispatched.
    void break_workspace_lookup() {
        storage::Database db(db_path_);
        storage::detail::sql(db).exec("DROP TABLE workspaces");
    }

    static bool is_failure_reply(const json& reply) {
        const std::string text = reply.dump();
        return text.find("funnelbot could not complete this command (") != std::string::npos &&
               text.find("Nothing was changed; please try again in a moment.") != std::string::npos;
    }

    std::string stop_reason() {
        std::lock_guard lock(mutex_);
        return stopped_ ? stop_reason_ : "(running)";
    }

    std::size_t opportunities() {
        storage::Database db(db_path_);
        auto ws = storage::WorkspaceRepository(db).find(storage::Platform::slack, "T111");
        if (!ws) return 0;
        storage::OpportunityFilter all;
        all.status = storage::OpportunityFilter::Status::all;
        return storage::OpportunityRepository(db).list(ws->id, all).size();
    }

    testing::TempDir dir_;
    testing::TestPki pki_;
    std::string db_path_ = dir_.file("slack.db");
    std::unique_ptr<FakeSlack> fake_;
    boost::asio::io_context io_;
    std::unique_ptr<boost::asio::ssl::context> tls_;
    std::unique_ptr<HttpsClient> http_;
    std::size_t max_queued_ = WorkerPool::kDefaultMaxQueued;
    std::unique_ptr<WorkerPool> workers_;
    std::unique_ptr<SocketModeClient> client_;
    std::thread thread_;
    std::mutex mutex_;
    bool stopped_ = false;
    std::string stop_reason_;
    std::chrono::microseconds last_ack_latency_{0};
    std::shared_ptr<std::ostringstream> log_;
    std::shared_ptr<spdlog::logger> previous_logger_;
};

TEST_F(SocketModeClientTest, AWholeSessionOfCommandsRepliesInTheAck) {
    start_bot();
    ASSERT_TRUE(connected());
    for (const char* line :
         {"product add Widgets", "product add Gadgets", "product add Services"}) {
        const json r = command("U1", "/funnel-admin", line);
        ASSERT_TRUE(r.contains("blocks")) << r.dump();
        EXPECT_EQ(r["response_type"], "ephemeral");
    }
    for (int i = 1; i <= 8; ++i)
        command("U2", "/opp", "add Customer " + std::to_string(i) + " product:Widgets amount:10k");
    command("U2", "/opp", "add Customer 9 product:Gadgets");
    command("U2", "/opp", "add Customer 10 product:Services");
    const json check = command("U2", "/funnel-check", "");
    EXPECT_NE(check["text"].get<std::string>().find("Widgets is 80 %"), std::string::npos)
        << check.dump();
    EXPECT_LT(last_ack_latency_, 1500ms) << "the reply rides on the ack, well inside the deadline";
    EXPECT_EQ(opportunities(), 10u);

    // A rep is refused the team summary; a manager gets it.
    const json refused = command("U2", "/team-summary", "");
    EXPECT_NE(refused["text"].get<std::string>().find("is for managers and admins"),
              std::string::npos);
    command("U1", "/funnel-admin", "team East manager:<@U3|maria>");
    command("U1", "/funnel-admin", "team East add <@U2|alice>");
    const json summary = command("U3", "/team-summary", "");
    EXPECT_NE(summary["text"].get<std::string>().find("Team summary — East"), std::string::npos)
        << summary.dump();
    // Slack escapes the user's own & < >: "AT&T" arrives as "AT&amp;T" and is stored as AT&T.
    const json att = command("U2", "/opp", "add AT&amp;T product:Gadgets");
    EXPECT_NE(att["text"].get<std::string>().find("AT&amp;T"), std::string::npos) << att.dump();

    // users.info once per person for everyday commands, and afresh for every command that turns
    // on the sender's role (5 /funnel-admin by ann, /team-summary by alice and by maria); tokens
    // only where they belong; never in the log.
    int users_info = 0;
    for (const auto& r : fake().requests()) {
        if (r.target.rfind("/api/users.info", 0) == 0) ++users_info;
        if (r.target == "/api/apps.connections.open") {
            EXPECT_EQ(r.header("Authorization"), "Bearer xapp-1-fake-app-token");
        } else if (r.target.rfind("/api/", 0) == 0) {
            EXPECT_EQ(r.header("Authorization"), "Bearer xoxb-fake-bot-token");
        } else if (r.target.rfind("/link/", 0) == 0) {
            EXPECT_EQ(r.header("Authorization"), "") << "no token on the WebSocket upgrade";
        }
    }
    EXPECT_EQ(users_info, 8);
    stop_bot();
    EXPECT_EQ(log_->str().find("xoxb-"), std::string::npos) << log_->str();
    EXPECT_EQ(log_->str().find("xapp-"), std::string::npos) << log_->str();
}

// Admin rights come from Slack's word of the moment: an admin demoted a moment ago is refused on
// their very next admin command (users.info used to be asked once per run).
TEST_F(SocketModeClientTest, AnAdminDemotedAMomentAgoIsRefusedTheNextAdminCommand) {
    start_bot();
    ASSERT_TRUE(connected());
    const json added = command("U1", "/funnel-admin", "product add Widgets");
    EXPECT_NE(added["text"].get<std::string>().find("Added Widgets"), std::string::npos)
        << added.dump();
    testing::FakeSlackUser demoted{"U1", "T111", "ann", "Ann Admin", "ann", "ann@example.com"};
    fake().add_user(demoted);  // is_admin false now
    const json refused = command("U1", "/funnel-admin", "product add Gadgets");
    EXPECT_NE(refused["text"].get<std::string>().find("Ask an admin"), std::string::npos)
        << refused.dump();
    // An everyday command may use the answer just fetched: no further users.info for it.
    const auto asked = [&] {
        int n = 0;
        for (const auto& r : fake().requests())
            n += r.target.rfind("/api/users.info", 0) == 0 ? 1 : 0;
        return n;
    };
    const int before = asked();
    command("U1", "/funnel-check", "");
    EXPECT_EQ(asked(), before);
}

TEST_F(SocketModeClientTest, ARedeliveredEnvelopeChangesNothing) {
    start_bot();
    ASSERT_TRUE(connected());
    command("U1", "/funnel-admin", "product add Widgets");
    const std::string id =
        fake().send_slash_command("T111", "U2", "/opp", "add Acme product:Widgets");
    ASSERT_TRUE(fake().wait_until([&] { return fake().acks().size() >= 2; }, kWait));
    fake().resend_envelope(id);
    ASSERT_TRUE(fake().wait_until([&] { return fake().acks().size() >= 3; }, kWait));
    const auto second = fake().acks().back();
    EXPECT_EQ(second.envelope_id, id);
    EXPECT_FALSE(second.payload.has_value()) << "the duplicate gets a bare ack, not a second reply";
    EXPECT_EQ(opportunities(), 1u);
}

TEST_F(SocketModeClientTest, DisconnectWarningOpensTheNextConnectionBeforeClosingTheOld) {
    start_bot();
    ASSERT_TRUE(connected());
    fake().send_disconnect("warning");
    ASSERT_TRUE(
        fake().wait_until([&] { return fake().websocket_connections_accepted() == 2; }, kWait));
    // The old one is closed only after the new one said hello: never zero open in between.
    ASSERT_TRUE(fake().wait_until([&] { return fake().open_websockets() == 1; }, kWait));
    EXPECT_EQ(fake().apps_connections_open_calls(), 2) << "a fresh URL for the new connection";
    EXPECT_TRUE(command("U1", "/funnel-help", "").contains("blocks"));
    fake().send_disconnect("refresh_requested");
    ASSERT_TRUE(
        fake().wait_until([&] { return fake().websocket_connections_accepted() == 3; }, kWait));
    EXPECT_TRUE(command("U1", "/funnel-help", "").contains("blocks"));
}

TEST_F(SocketModeClientTest, RecoversFromDropsSilenceAndTooManyWebsockets) {
    start_bot();
    ASSERT_TRUE(connected());
    fake().drop_connections();
    ASSERT_TRUE(connected(2));
    EXPECT_TRUE(command("U1", "/funnel-help", "").contains("blocks"));

    fake().set_silent(true);  // half-open: no pongs, nothing at all
    ASSERT_TRUE(connected(3)) << "the stale socket is replaced\n" << log_->str();
    fake().set_silent(false);
    EXPECT_TRUE(command("U1", "/funnel-help", "").contains("blocks"));

    fake().send_disconnect("too_many_websockets");
    ASSERT_TRUE(connected(4));
    EXPECT_TRUE(command("U1", "/funnel-help", "").contains("blocks"));
    EXPECT_EQ(stop_reason(), "(running)");
}

TEST_F(SocketModeClientTest, RateLimitsAndServerErrorsAreWaitedOut) {
    fake().fail_next("apps.connections.open", 429, 1, 1);
    fake().fail_next("users.info", 500, 2);
    const auto started = std::chrono::steady_clock::now();
    start_bot();
    ASSERT_TRUE(connected());
    EXPECT_GE(std::chrono::steady_clock::now() - started, 900ms) << "Retry-After: 1 was honoured";
    // users.info failing twice is retried by the HTTPS client; the command is answered anyway.
    EXPECT_TRUE(command("U1", "/funnel-help", "").contains("blocks"));
}

// Answers of the wrong shape are failures to retry, not exceptions that leave the client neither
// reconnecting nor stopping; a users.info of the wrong shape grants nothing.
TEST_F(SocketModeClientTest, MalformedApiAnswersAreRetriedAndGrantNothing) {
    fake().answer_next("apps.connections.open", {{"ok", true}, {"url", 5}});
    fake().answer_next("apps.connections.open", {{"ok", "yes"}, {"error", 7}});
    fake().answer_next("apps.connections.open", json::array({1, 2}));
    fake().answer_next(
        "users.info",
        {{"ok", true}, {"user", {{"id", 2}, {"is_admin", "true"}, {"profile", "admin"}}}});
    start_bot();
    ASSERT_TRUE(connected()) << log_->str();
    EXPECT_EQ(fake().apps_connections_open_calls(), 4) << "three malformed answers, then a URL";
    // U1 is a Slack admin, but this answer says so only as a string.
    const json reply = command("U1", "/funnel-admin", "product add Widgets");
    EXPECT_NE(reply.dump().find("Only funnelbot admins"), std::string::npos) << reply.dump();
    EXPECT_EQ(log_->str().find("background task failed"), std::string::npos) << log_->str();
    EXPECT_EQ(stop_reason(), "(running)");
}

// A flood is not queued without limit: with both workers busy and the queue full, a command is
// acked at once with "busy", and nothing of it runs; what was accepted is answered as usual.
TEST_F(SocketModeClientTest, AFloodIsAnsweredBusyAndTheRefusedCommandsChangeNothing) {
    max_queued_ = 1;
    start_bot();
    ASSERT_TRUE(connected());
    command("U1", "/funnel-admin", "product add Widgets");
    command("U2", "/funnel-help", "");  // users.info answered: later commands go straight on
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
        ids.push_back(fake().send_slash_command(
            "T111", "U2", "/opp", "add Flood " + std::to_string(i) + " product:Widgets"));
        ASSERT_TRUE(fake().wait_until([&] { return workers_->queued() == 1; }, kWait));
    }
    const auto ack_of = [&](const std::string& id) -> std::optional<json> {
        for (const auto& a : fake().acks())
            if (a.envelope_id == id) return a.payload.value_or(json());
        return std::nullopt;
    };
    for (int i = 1; i <= 2; ++i) {
        ASSERT_TRUE(fake().wait_until([&] { return ack_of(ids[i]).has_value(); }, kWait));
        EXPECT_NE(ack_of(ids[i])->dump().find("funnelbot is busy right now"), std::string::npos)
            << ack_of(ids[i])->dump();
    }
    EXPECT_FALSE(ack_of(ids[0]).has_value()) << "the accepted command waits for its worker";
    EXPECT_EQ(workers_->refused_jobs(), 2U);
    release.set_value();
    ASSERT_TRUE(fake().wait_until([&] { return ack_of(ids[0]).has_value(); }, kWait));
    EXPECT_NE(ack_of(ids[0])->dump().find("Flood 1"), std::string::npos) << ack_of(ids[0])->dump();
    EXPECT_EQ(opportunities(), 1U) << "the two refused commands changed nothing";
    EXPECT_TRUE(fake().wait_until([&] { return pending() == 0; }, kWait));
}

// The worker pool outlives the client (as in `funnelbot run`): a job still queued when the client
// is gone runs without touching it (under ASan, a job that reached the client would be a
// heap-use-after-free), and its reply is dropped.
TEST_F(SocketModeClientTest, AJobQueuedWhenTheClientIsGoneDoesNotTouchIt) {
    start_bot();
    ASSERT_TRUE(connected());
    command("U1", "/funnel-admin", "product add Widgets");
    command("U2", "/funnel-help", "");
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
    fake().send_slash_command("T111", "U2", "/opp", "add Late product:Widgets");
    ASSERT_TRUE(fake().wait_until([&] { return workers_->queued() == 1; }, kWait));
    boost::asio::post(io_, [this] { client_->stop(); });
    std::this_thread::sleep_for(50ms);
    io_.stop();
    thread_.join();
    client_.reset();
    release.set_value();
    workers_.reset();  // runs the queued job, then joins
    EXPECT_EQ(opportunities(), 1U) << "the queued command ran without its client";
}

// Draining (the first step of a shutdown): a command that arrives is answered at once that
// funnelbot is restarting, and nothing of it runs.
TEST_F(SocketModeClientTest, WhileDrainingANewCommandIsAnsweredRestartingAndNotRun) {
    start_bot();
    ASSERT_TRUE(connected());
    command("U1", "/funnel-admin", "product add Widgets");
    boost::asio::post(io_, [this] { client_->drain(); });
    const json ack = command("U2", "/opp", "add Late product:Widgets");
    EXPECT_NE(ack.dump().find("funnelbot is restarting and did not run this command"),
              std::string::npos)
        << ack.dump();
    EXPECT_EQ(opportunities(), 0U);
    EXPECT_TRUE(fake().wait_until([&] { return pending() == 0; }, kWait));
}

TEST_F(SocketModeClientTest, SlowRepliesAreAckedEmptyAndPostedToResponseUrl) {
    ProtocolOptions protocol;
    protocol.ack_deadline = 0ms;  // every reply is "late"
    start_bot(protocol);
    ASSERT_TRUE(connected());
    const json ack = command("U1", "/funnel-help", "");
    EXPECT_TRUE(ack.is_null()) << "an empty ack at the deadline";
    ASSERT_TRUE(fake().wait_until([&] { return !fake().response_url_posts().empty(); }, kWait));
    EXPECT_TRUE(fake().response_url_posts().front().contains("blocks"));
    EXPECT_EQ(fake().response_url_posts().size(), 1u) << "one answer per command";
}

// Every command ends in a reply: one whose job fails before dispatch is answered with an error
// reply in the ack, and nothing stays pending.
TEST_F(SocketModeClientTest, ACommandThatFailsBeforeDispatchIsAnsweredInTheAck) {
    start_bot();
    ASSERT_TRUE(connected());
    break_workspace_lookup();
    const json ack = command("U2", "/funnel-check", "");
    EXPECT_TRUE(is_failure_reply(ack)) << ack.dump();
    EXPECT_TRUE(fake().wait_until([&] { return pending() == 0; }, kWait));
    EXPECT_TRUE(fake().response_url_posts().empty()) << "answered once, in the ack";
}

// The same failure past the ack deadline: an empty ack, then the error reply via response_url.
TEST_F(SocketModeClientTest, ALateCommandThatFailsBeforeDispatchIsAnsweredViaResponseUrl) {
    ProtocolOptions protocol;
    protocol.ack_deadline = 0ms;
    start_bot(protocol);
    ASSERT_TRUE(connected());
    break_workspace_lookup();
    const json ack = command("U2", "/funnel-check", "");
    EXPECT_TRUE(ack.is_null()) << "an empty ack at the deadline";
    ASSERT_TRUE(fake().wait_until([&] { return !fake().response_url_posts().empty(); }, kWait));
    EXPECT_TRUE(is_failure_reply(fake().response_url_posts().front()))
        << fake().response_url_posts().front().dump();
    EXPECT_TRUE(fake().wait_until([&] { return pending() == 0; }, kWait));
    EXPECT_EQ(fake().response_url_posts().size(), 1u) << "one answer per command";
}

TEST_F(SocketModeClientTest, FatalErrorsStopWithOneClearLine) {
    fake().set_api_error("apps.connections.open", "invalid_auth");
    start_bot();
    ASSERT_TRUE(fake().wait_until([&] { return stop_reason() != "(running)"; }, kWait));
    EXPECT_NE(stop_reason().find("invalid_auth"), std::string::npos);
    std::this_thread::sleep_for(200ms);
    EXPECT_EQ(fake().apps_connections_open_calls(), 1) << "no retry loop on a fatal error";
}

TEST_F(SocketModeClientTest, LinkDisabledStops) {
    start_bot();
    ASSERT_TRUE(connected());
    fake().send_disconnect("link_disabled");
    ASSERT_TRUE(fake().wait_until([&] { return stop_reason() != "(running)"; }, kWait));
    EXPECT_NE(stop_reason().find("link_disabled"), std::string::npos);
}

TEST_F(SocketModeClientTest, ACertificateForTheWrongHostIsRefused) {
    fake(pki_.wrong_host_cert, pki_.wrong_host_key);
    start_bot();
    std::this_thread::sleep_for(600ms);
    EXPECT_EQ(fake().websocket_connections_accepted(), 0);
    EXPECT_EQ(fake().apps_connections_open_calls(), 0)
        << "no request is sent over an unverified TLS session";
    stop_bot();
    EXPECT_NE(log_->str().find("certificate"), std::string::npos) << log_->str();
}

}  // namespace
}  // namespace funnelbot::bot::slack

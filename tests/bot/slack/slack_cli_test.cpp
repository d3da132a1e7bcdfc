// `funnelbot run` as the runtime contract describes it: the real binary, configured only through
// its environment (SLACK_APP_TOKEN, SLACK_BOT_TOKEN, SLACK_API_URL, SSL_CERT_FILE, FUNNELBOT_DB),
// against the fake Slack over TLS.
#include <gtest/gtest.h>

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>

#include <csignal>
#include <cstdio>
#include <filesystem>
#include <map>
#include <regex>
#include <set>
#include <sstream>
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
    const int written_before = fake_->envelopes_written();
    constexpr int kSent = 150;  // far more than two workers finish before the signal
    for (int i = 0; i < kSent; ++i)
        fake_->send_slash_command("T111", "U2", "/opp",
                                  "add Burst " + std::to_string(i) + " product:Widgets");
    // Every envelope is on the bot's socket before the signal: envelopes the fake had not yet
    // written when the bot closed would never reach it (a sanitizer build writes 150 slowly).
    ASSERT_TRUE(fake_->wait_until(
        [&] { return fake_->envelopes_written() == written_before + kSent; }, 10s));
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
    EXPECT_EQ(answered, kSent) << "every command got one answer; the bot's log:\n"
                               << read_file(output_);
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
    // Whether funnelbot's handler ("stopping at once") or, once it had closed everything, the
    // default action ended it, the status is the same and nothing waited.
}

// GET http://127.0.0.1:port/path: the status code and the body ("" and 0 when unreachable).
std::pair<int, std::string> http_get(int port, const std::string& path) {
    namespace asio = boost::asio;
    asio::io_context io;
    asio::ip::tcp::socket socket(io);
    boost::system::error_code ec;
    socket.connect({asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port)}, ec);
    if (ec) return {0, ""};
    timeval limit{2, 0};
    setsockopt(socket.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
    const std::string request = "GET " + path + " HTTP/1.1\r\nHost: localhost\r\n\r\n";
    asio::write(socket, asio::buffer(request), ec);
    std::string answer;
    asio::read(socket, asio::dynamic_buffer(answer), ec);
    const auto body = answer.find("\r\n\r\n");
    if (answer.size() < 12 || body == std::string::npos) return {0, ""};
    return {std::stoi(answer.substr(9, 3)), answer.substr(body + 4)};
}

// Prometheus text: every sample line names a family declared by a TYPE line before it, with
// well-formed labels and a number. Returns the samples by their full name with labels.
std::map<std::string, double> parse_prometheus(const std::string& text) {
    static const std::regex kSample(
        R"(^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([a-zA-Z_][a-zA-Z0-9_]*="(\\.|[^"\\])*"(,|(?=\})))*\})? ([-+0-9.eEInfNa]+)$)");
    static const std::regex kType(
        R"(^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram)$)");
    std::set<std::string> families;
    std::map<std::string, double> samples;
    std::istringstream lines(text);
    std::string line;
    while (std::getline(lines, line)) {
        std::smatch m;
        if (std::regex_match(line, m, kType)) {
            families.insert(m[1]);
            continue;
        }
        if (line.rfind("# HELP ", 0) == 0) continue;
        if (!std::regex_match(line, m, kSample)) {
            ADD_FAILURE() << "not Prometheus text: " << line;
            continue;
        }
        std::string family = m[1];
        for (const char* suffix : {"_bucket", "_sum", "_count"}) {
            const std::string s(suffix);
            if (!families.contains(family) && family.size() > s.size() &&
                family.compare(family.size() - s.size(), s.size(), s) == 0)
                family.resize(family.size() - s.size());
        }
        EXPECT_TRUE(families.contains(family)) << "no TYPE before " << line;
        samples[line.substr(0, line.rfind(' '))] = std::stod(line.substr(line.rfind(' ') + 1));
    }
    return samples;
}

// FUNNELBOT_METRICS_ADDR: /healthz says 200 while Slack is connected, 503 while it is not and
// 200 again after the reconnect; /metrics is Prometheus text counting what happened.
TEST_F(SlackCliTest, HealthFollowsTheConnectionAndMetricsCountTheCommands) {
    auto environment = env();
    environment["FUNNELBOT_METRICS_ADDR"] = "127.0.0.1:0";
    auto bot = run(environment);
    ASSERT_TRUE(fake_->wait_until([&] { return fake_->open_websockets() == 1; }, 10s))
        << read_file(output_);
    int port = 0;
    {
        const std::string log = read_file(output_);
        const auto at = log.find("(port ");
        ASSERT_NE(at, std::string::npos) << log;
        port = std::stoi(log.substr(at + 6));
    }
    const auto healthy = [&] { return http_get(port, "/healthz").first == 200; };
    ASSERT_TRUE(fake_->wait_until(healthy, 10s)) << http_get(port, "/healthz").second;
    EXPECT_EQ(json::parse(http_get(port, "/healthz").second),
              json::parse(R"({"slack":"connected","database":"ok","status":"ok"})"));

    reply_text("U1", "/funnel-admin", "product add Widgets");
    reply_text("U2", "/opp", "add Acme product:Widgets");
    reply_text("U2", "/opp", "add Globex product:Widgets");
    reply_text("U2", "/opp", "add Initech product:Nothing");  // refused: no such line
    auto samples = parse_prometheus(http_get(port, "/metrics").second);
    EXPECT_EQ(samples[R"(funnelbot_commands_total{platform="slack",command="opp",result="ok"})"],
              2);
    EXPECT_EQ(
        samples[R"(funnelbot_commands_total{platform="slack",command="opp",result="refused"})"], 1);
    EXPECT_EQ(
        samples[R"(funnelbot_commands_total{platform="slack",command="funnel-admin",result="ok"})"],
        1);
    EXPECT_EQ(samples[R"(funnelbot_command_reply_seconds_count{platform="slack"})"], 4);
    EXPECT_EQ(samples[R"(funnelbot_command_ack_seconds_count{platform="slack"})"], 4);
    EXPECT_EQ(samples[R"(funnelbot_command_ack_seconds_bucket{platform="slack",le="+Inf"})"], 4);
    EXPECT_EQ(samples[R"(funnelbot_connections_up{platform="slack"})"], 1);
    EXPECT_GT(samples["funnelbot_database_size_bytes"], 0);
    EXPECT_EQ(samples["funnelbot_worker_queue_depth"], 0);

    // Slack goes away: the socket drops and reconnecting fails for a while.
    fake_->fail_next("apps.connections.open", 500, 4);
    fake_->drop_connections();
    ASSERT_TRUE(fake_->wait_until([&] { return http_get(port, "/healthz").first == 503; }, 10s));
    EXPECT_EQ(json::parse(http_get(port, "/healthz").second)["slack"], "disconnected");
    ASSERT_TRUE(fake_->wait_until(healthy, 30s)) << read_file(output_);
    samples = parse_prometheus(http_get(port, "/metrics").second);
    EXPECT_EQ(samples[R"(funnelbot_reconnects_total{platform="slack",reason="dropped"})"], 1);
    EXPECT_EQ(samples[R"(funnelbot_connections_up{platform="slack"})"], 1);

    bot->terminate();
    EXPECT_EQ(bot->wait(10s), 0) << read_file(output_);
}

// Under systemd (Type=notify): READY=1 once Slack is connected, STOPPING=1 on SIGTERM, on the
// datagram socket NOTIFY_SOCKET names (sd_notify(3)).
TEST_F(SlackCliTest, SystemdHearsReadyWhenConnectedAndStoppingOnSigterm) {
    const std::string path = dir_.file("notify.sock");
    const int fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    ASSERT_GE(fd, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::snprintf(address.sun_path, sizeof address.sun_path, "%s", path.c_str());
    ASSERT_EQ(::bind(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address), 0);
    timeval limit{0, 100'000};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
    std::string heard;
    const auto listen_until = [&](const std::string& state) {
        for (int i = 0; i < 100 && heard.find(state) == std::string::npos; ++i) {  // 10 s at most
            char buffer[512];
            const auto n = ::recv(fd, buffer, sizeof buffer, 0);
            if (n > 0) heard.append(buffer, static_cast<std::size_t>(n)).push_back('\n');
        }
        return heard.find(state) != std::string::npos;
    };
    auto environment = env();
    environment["NOTIFY_SOCKET"] = path;
    auto bot = run(environment);
    EXPECT_TRUE(listen_until("READY=1")) << heard << read_file(output_);
    EXPECT_EQ(fake_->open_websockets(), 1) << "READY only once connected";
    bot->terminate();
    EXPECT_TRUE(listen_until("STOPPING=1")) << heard;
    EXPECT_EQ(bot->wait(10s), 0) << read_file(output_);
    ::close(fd);
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

// Status 3 (exit_status.hpp): replace the token; systemd does not restart into the same refusal.
TEST_F(SlackCliTest, ARejectedTokenStopsWithOneLineAndStatusThree) {
    fake_->set_api_error("apps.connections.open", "invalid_auth");
    auto bot = run(env());
    EXPECT_EQ(bot->wait(10s), 3) << read_file(output_);
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

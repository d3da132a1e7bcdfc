// The fake Slack server, proved with a raw Beast client that trusts only the test CA: what the
// bot's tests rely on (single-use tickets, hello, envelopes, acks, Web API answers, faults,
// silence, drops, close codes) must itself be right.
#include "tests/support/fake_slack.hpp"

#include "tests/support/beast_aliases.hpp"
#include "tests/support/temp_database.hpp"
#include "tests/support/test_certificates.hpp"
#include "tests/support/tls_test_client.hpp"

#include <gtest/gtest.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

#include <chrono>
#include <future>
#include <memory>
#include <string>
#include <utility>

namespace {

using namespace funnelbot::testing::beast_aliases;
using funnelbot::testing::FakeSlack;
using funnelbot::testing::FakeSlackOptions;
using funnelbot::testing::FakeSlackUser;
using funnelbot::testing::TlsTestClient;
using Json = nlohmann::json;
using namespace std::chrono_literals;

using TlsStream = TlsTestClient::TlsStream;
using WsStream = TlsTestClient::WsStream;
using Response = TlsTestClient::Response;

constexpr char kBot[] = "Bearer xoxb-fake-bot-token";
constexpr char kApp[] = "Bearer xapp-1-fake-app-token";

// The raw test client with Slack's request shapes, for one fake on `port`.
class Client : public TlsTestClient {
public:
    Client(const std::string& ca_file, int port) : TlsTestClient(ca_file), port_(port) {}

    std::unique_ptr<TlsStream> connect() { return TlsTestClient::connect("localhost", port_); }

    Response call(TlsStream& stream, http::verb verb, const std::string& target,
                  const std::string& authorization, const std::string& content_type = "",
                  const std::string& body = "") {
        http::request<http::string_body> request{verb, target, 11};
        request.set(http::field::host, "localhost:" + std::to_string(port_));
        if (!authorization.empty()) request.set(http::field::authorization, authorization);
        if (!content_type.empty()) request.set(http::field::content_type, content_type);
        request.body() = body;
        request.prepare_payload();
        return TlsTestClient::call(stream, std::move(request));
    }

    // A fresh TLS connection, then the upgrade; returns the handshake response and, if it
    // succeeded, the WebSocket.
    std::pair<websocket::response_type, std::unique_ptr<WsStream>> open_websocket(
        const std::string& wss_url) {
        return TlsTestClient::open_websocket("localhost", port_,
                                             wss_url.substr(wss_url.find("/link/")));
    }

private:
    int port_;
};

class FakeSlackTest : public ::testing::Test {
protected:
    FakeSlackTest()
        : pki_(funnelbot::testing::make_test_pki(dir_.path().string())),
          fake_(options(pki_.server_cert, pki_.server_key)),
          client_(pki_.ca_cert, fake_.port()) {}

    static FakeSlackOptions options(const std::string& cert, const std::string& key) {
        FakeSlackOptions o;
        o.cert_file = cert;
        o.key_file = key;
        return o;
    }

    std::string open_url(TlsStream& stream) {
        const Response r = client_.call(stream, http::verb::post, "/api/apps.connections.open",
                                        kApp, "application/x-www-form-urlencoded");
        const Json body = Json::parse(r.body());
        EXPECT_TRUE(body.value("ok", false)) << r.body();
        return body.value("url", "");
    }

    funnelbot::testing::TempDir dir_;
    funnelbot::testing::TestPki pki_;
    FakeSlack fake_;
    Client client_;
};

TEST_F(FakeSlackTest, ConnectionsOpenHandsOutSingleUseTicketsAndTheSocketSaysHello) {
    EXPECT_EQ(fake_.api_url(), "https://localhost:" + std::to_string(fake_.port()) + "/api/");
    auto conn = client_.connect();  // one keep-alive connection for every call below

    const std::string first = open_url(*conn);
    const std::string second = open_url(*conn);
    const std::string prefix = "wss://localhost:" + std::to_string(fake_.port()) + "/link/?ticket=";
    EXPECT_EQ(first.rfind(prefix, 0), 0U) << first;
    EXPECT_NE(first.find("&app_id=A111"), std::string::npos) << first;
    EXPECT_NE(first, second);

    // The app-level token is required, in the header.
    Response r = client_.call(*conn, http::verb::post, "/api/apps.connections.open", "");
    EXPECT_EQ(Json::parse(r.body()), Json::parse(R"({"ok":false,"error":"not_authed"})"));
    r = client_.call(*conn, http::verb::post, "/api/apps.connections.open", kBot);
    EXPECT_EQ(r.result(), http::status::ok);
    EXPECT_EQ(Json::parse(r.body())["error"], "invalid_auth");
    EXPECT_EQ(fake_.apps_connections_open_calls(), 4);

    auto [accepted, ws] = client_.open_websocket(first);
    ASSERT_TRUE(ws) << accepted;
    const Json hello = Json::parse(client_.read_text(*ws));
    EXPECT_EQ(hello["type"], "hello");
    EXPECT_EQ(hello["num_connections"], 1);
    EXPECT_EQ(hello["debug_info"]["host"], "applink-fake");
    EXPECT_EQ(hello["debug_info"]["approximate_connection_time"], 18060);
    EXPECT_EQ(hello["connection_info"]["app_id"], "A111");
    EXPECT_EQ(fake_.websocket_connections_accepted(), 1);
    EXPECT_EQ(fake_.open_websockets(), 1);

    // A used ticket, and a made-up one, are refused before the upgrade.
    auto [reused, no_ws] = client_.open_websocket(first);
    EXPECT_EQ(reused.result(), http::status::unauthorized);
    EXPECT_FALSE(no_ws);
    auto [made_up, no_ws2] = client_.open_websocket(prefix + "guess&app_id=A111");
    EXPECT_EQ(made_up.result(), http::status::unauthorized);
    // An injected handshake fault leaves the ticket usable.
    fake_.fail_next("/link/", 503);
    auto [failed, no_ws3] = client_.open_websocket(second);
    EXPECT_EQ(failed.result(), http::status::service_unavailable);
    auto [second_ok, ws2] = client_.open_websocket(second);
    ASSERT_TRUE(ws2) << second_ok;
    EXPECT_EQ(Json::parse(client_.read_text(*ws2))["num_connections"], 2);
    EXPECT_EQ(fake_.websocket_connections_accepted(), 2);

    // Client pings are answered; disconnect goes to every open socket, in order after hello.
    bool pong = false;
    ws->control_callback([&](websocket::frame_type kind, beast::string_view) {
        if (kind == websocket::frame_type::pong) pong = true;
    });
    client_.run(ws->async_ping({}, asio::use_awaitable));
    fake_.send_disconnect("refresh_requested");
    EXPECT_EQ(Json::parse(client_.read_text(*ws)),
              Json::parse(R"({"type":"disconnect","reason":"refresh_requested",
                              "debug_info":{"host":"applink-fake"}})"));
    EXPECT_TRUE(pong);
    EXPECT_EQ(Json::parse(client_.read_text(*ws2))["reason"], "refresh_requested");
    EXPECT_EQ(fake_.pings_received(), 1);

    // Every request is recorded with all its headers.
    const auto requests = fake_.requests();
    ASSERT_EQ(requests.size(), 9U);
    EXPECT_EQ(requests[0].method, "POST");
    EXPECT_EQ(requests[0].target, "/api/apps.connections.open");
    EXPECT_EQ(requests[0].header("authorization"), kApp);
    EXPECT_EQ(requests[4].header("Upgrade"), "websocket");
}

TEST_F(FakeSlackTest, SlashCommandEnvelopesAcksAndResponseUrlAreRecorded) {
    auto conn = client_.connect();
    EXPECT_THROW(fake_.send_slash_command("T111", "U111", "/funnel-check", ""), std::runtime_error);
    auto [accepted, ws] = client_.open_websocket(open_url(*conn));
    ASSERT_TRUE(ws);
    client_.read_text(*ws);  // hello

    FakeSlackUser dana;
    dana.id = "U111";
    dana.name = "dana";
    fake_.add_user(dana);
    const std::string id = fake_.send_slash_command("T111", "U111", "/funnel-check", "me now");
    const Json envelope = Json::parse(client_.read_text(*ws));
    EXPECT_EQ(envelope["envelope_id"], id);
    EXPECT_EQ(envelope["type"], "slash_commands");
    EXPECT_EQ(envelope["accepts_response_payload"], true);
    const Json& payload = envelope["payload"];
    EXPECT_EQ(payload["team_id"], "T111");
    EXPECT_EQ(payload["channel_id"], "C111");
    EXPECT_EQ(payload["user_id"], "U111");
    EXPECT_EQ(payload["user_name"], "dana");
    EXPECT_EQ(payload["command"], "/funnel-check");
    EXPECT_EQ(payload["text"], "me now");
    EXPECT_EQ(payload["api_app_id"], "A111");
    for (const char* field : {"token", "team_domain", "channel_name", "trigger_id"}) {
        EXPECT_TRUE(payload[field].is_string()) << field;
    }
    const std::string response_url = payload["response_url"];
    const std::string hooks =
        "https://localhost:" + std::to_string(fake_.port()) + "/hooks/commands/T111/";
    EXPECT_EQ(response_url.rfind(hooks, 0), 0U) << response_url;

    // The ack with a reply payload.
    const std::string ack = Json{{"envelope_id", id}, {"payload", {{"text", "Balanced"}}}}.dump();
    client_.run(ws->async_write(asio::buffer(ack), asio::use_awaitable));
    ASSERT_TRUE(fake_.wait_until([&] { return fake_.acks().size() == 1; }, 2s));
    const auto recorded = fake_.acks().front();
    EXPECT_EQ(recorded.envelope_id, id);
    ASSERT_TRUE(recorded.payload);
    EXPECT_EQ((*recorded.payload)["text"], "Balanced");
    ASSERT_TRUE(recorded.since_sent);
    EXPECT_LT(*recorded.since_sent, 2s);
    EXPECT_EQ(fake_.client_frames(), std::vector<std::string>{ack});

    // A duplicate delivery carries the same envelope; a plain ack has no payload.
    fake_.resend_envelope(id);
    EXPECT_EQ(Json::parse(client_.read_text(*ws)), envelope);
    const std::string plain = Json{{"envelope_id", id}}.dump();
    client_.run(ws->async_write(asio::buffer(plain), asio::use_awaitable));
    ASSERT_TRUE(fake_.wait_until([&] { return fake_.acks().size() == 2; }, 2s));
    EXPECT_FALSE(fake_.acks()[1].payload);

    // The later reply through response_url (no token: the URL is the credential).
    const std::string hook_target = response_url.substr(response_url.find("/hooks/"));
    const Json reply = {{"response_type", "ephemeral"}, {"text", "later"}};
    const Response r =
        client_.call(*conn, http::verb::post, hook_target, "", "application/json", reply.dump());
    EXPECT_EQ(r.result(), http::status::ok);
    EXPECT_EQ(r.body(), "ok");
    EXPECT_EQ(fake_.response_url_posts(), std::vector<Json>{reply});
}

TEST_F(FakeSlackTest, WebApiChecksTheBotTokenServesUsersAndInjectsFaults) {
    FakeSlackUser lee;
    lee.id = "U222";
    lee.name = "lee";
    lee.real_name = "Lee Park";
    lee.display_name = "lee.p";
    lee.email = "lee@example.com";
    lee.tz = "Europe/Berlin";
    lee.tz_label = "Central European Time";
    lee.tz_offset = 3600;
    lee.is_admin = true;
    fake_.add_user(lee);
    auto conn = client_.connect();

    Response r = client_.call(*conn, http::verb::get, "/api/users.info?user=U222", kBot);
    Json user = Json::parse(r.body());
    ASSERT_TRUE(user["ok"]) << r.body();
    EXPECT_EQ(user["user"]["id"], "U222");
    EXPECT_EQ(user["user"]["team_id"], "T111");
    EXPECT_EQ(user["user"]["real_name"], "Lee Park");
    EXPECT_EQ(user["user"]["tz_offset"], 3600);
    EXPECT_EQ(user["user"]["is_admin"], true);
    EXPECT_EQ(user["user"]["is_owner"], false);
    EXPECT_EQ(user["user"]["deleted"], false);
    EXPECT_EQ(user["user"]["profile"]["display_name"], "lee.p");
    EXPECT_EQ(user["user"]["profile"]["email"], "lee@example.com");
    r = client_.call(*conn, http::verb::post, "/api/users.info", kBot,
                     "application/x-www-form-urlencoded", "user=U999");
    EXPECT_EQ(Json::parse(r.body())["error"], "user_not_found");

    // Wrong or missing bot token: HTTP 200 with invalid_auth, as Slack answers.
    for (const char* token : {"Bearer xoxb-wrong", kApp, ""}) {
        r = client_.call(*conn, http::verb::get, "/api/users.info?user=U222", token);
        EXPECT_EQ(r.result(), http::status::ok);
        EXPECT_EQ(Json::parse(r.body()), Json::parse(R"({"ok":false,"error":"invalid_auth"})"));
    }
    r = client_.call(*conn, http::verb::post, "/api/no.such", kBot);
    EXPECT_EQ(Json::parse(r.body())["error"], "unknown_method");

    r = client_.call(*conn, http::verb::post, "/api/conversations.open", kBot,
                     "application/x-www-form-urlencoded", "users=U222");
    EXPECT_EQ(Json::parse(r.body())["channel"]["id"], "DU222");

    // 429 with Retry-After once, then the call goes through and is recorded.
    fake_.fail_next("chat.postMessage", 429, 1, 1);
    const Json message = {{"channel", "DU222"}, {"text", "Friday review"}};
    r = client_.call(*conn, http::verb::post, "/api/chat.postMessage", kBot,
                     "application/json; charset=utf-8", message.dump());
    EXPECT_EQ(r.result(), http::status::too_many_requests);
    EXPECT_EQ(r[http::field::retry_after], "1");
    EXPECT_EQ(Json::parse(r.body()), Json::parse(R"({"ok":false,"error":"ratelimited"})"));
    EXPECT_TRUE(fake_.posted_messages().empty());
    r = client_.call(*conn, http::verb::post, "/api/chat.postMessage", kBot,
                     "application/json; charset=utf-8", message.dump());
    const Json posted = Json::parse(r.body());
    EXPECT_TRUE(posted["ok"]);
    EXPECT_EQ(posted["channel"], "DU222");
    EXPECT_TRUE(posted["ts"].is_string());
    EXPECT_EQ(fake_.posted_messages(), std::vector<Json>{message});

    // Two 5xx, then normal service; set_api_error holds until cleared.
    fake_.fail_next("users.info", 500, 2);
    for (int i = 0; i < 2; ++i) {
        r = client_.call(*conn, http::verb::get, "/api/users.info?user=U222", kBot);
        EXPECT_EQ(r.result(), http::status::internal_server_error);
    }
    fake_.set_api_error("users.info", "fatal_error");
    r = client_.call(*conn, http::verb::get, "/api/users.info?user=U222", kBot);
    EXPECT_EQ(Json::parse(r.body())["error"], "fatal_error");
    fake_.set_api_error("users.info", "");
    r = client_.call(*conn, http::verb::get, "/api/users.info?user=U222", kBot);
    EXPECT_TRUE(Json::parse(r.body())["ok"]);
    r = client_.call(*conn, http::verb::post, "/api/auth.test", kBot);
    EXPECT_EQ(Json::parse(r.body())["team_id"], "T111");
}

TEST_F(FakeSlackTest, SilenceHoldsPongsBackAndDropAndCloseEndTheSockets) {
    auto conn = client_.connect();
    auto [accepted, ws] = client_.open_websocket(open_url(*conn));
    ASSERT_TRUE(ws);
    client_.read_text(*ws);  // hello

    // Half-open: the ping is not even read, so no pong, and no scripted frame goes out.
    bool pong = false;
    ws->control_callback([&](websocket::frame_type kind, beast::string_view) {
        if (kind == websocket::frame_type::pong) pong = true;
    });
    fake_.set_silent(true);
    client_.run(ws->async_ping({}, asio::use_awaitable));
    fake_.send_disconnect("warning");
    beast::flat_buffer buffer;
    auto pending =
        asio::co_spawn(client_.io(), ws->async_read(buffer, asio::use_awaitable), asio::use_future);
    EXPECT_FALSE(client_.run_until([&] { return pong; }, 300ms));
    EXPECT_EQ(pending.wait_for(0s), std::future_status::timeout);
    EXPECT_EQ(fake_.pings_received(), 0);

    // A socket opened while the other is silent behaves normally.
    auto [accepted2, ws2] = client_.open_websocket(open_url(*conn));
    ASSERT_TRUE(ws2);
    EXPECT_EQ(Json::parse(client_.read_text(*ws2))["type"], "hello");

    // Speaking again: the held-back ping is answered and the held-back frame arrives.
    fake_.set_silent(false);
    EXPECT_TRUE(client_.run_until(
        [&] { return pong && pending.wait_for(0s) == std::future_status::ready; }, 3s));
    pending.get();
    EXPECT_EQ(Json::parse(beast::buffers_to_string(buffer.data()))["reason"], "warning");
    EXPECT_EQ(fake_.pings_received(), 1);

    // A close code reaches every socket; the fake completes the handshake.
    fake_.close_with(4000);
    for (WsStream* socket : {ws.get(), ws2.get()}) {
        beast::flat_buffer ignored;
        const auto [ec, bytes] =
            client_.run(socket->async_read(ignored, asio::as_tuple(asio::use_awaitable)));
        EXPECT_EQ(ec, websocket::error::closed);
        EXPECT_EQ(socket->reason().code, 4000);
    }
    ASSERT_TRUE(fake_.wait_until([&] { return fake_.open_websockets() == 0; }, 3s));

    // An abrupt drop: no close frame, the read just fails.
    auto [accepted3, ws3] = client_.open_websocket(open_url(*conn));
    ASSERT_TRUE(ws3);
    client_.read_text(*ws3);
    fake_.drop_connections();
    beast::flat_buffer ignored;
    const auto [ec, bytes] =
        client_.run(ws3->async_read(ignored, asio::as_tuple(asio::use_awaitable)));
    EXPECT_TRUE(ec);
    EXPECT_NE(ec, websocket::error::closed);
    EXPECT_TRUE(fake_.wait_until([&] { return fake_.open_websockets() == 0; }, 3s));
    EXPECT_EQ(fake_.websocket_connections_accepted(), 3);
}

TEST(FakeSlackCertificate, ServesTheCertificateItIsGiven) {
    funnelbot::testing::TempDir dir;
    const auto pki = funnelbot::testing::make_test_pki(dir.path().string());
    FakeSlackOptions options;
    options.cert_file = pki.wrong_host_cert;
    options.key_file = pki.wrong_host_key;
    FakeSlack fake(options);
    Client client(pki.ca_cert, fake.port());
    try {
        client.connect();
        ADD_FAILURE() << "a certificate for wrong.example was accepted for localhost";
    } catch (const boost::system::system_error& e) {
        EXPECT_EQ(e.code().category(), asio::error::get_ssl_category()) << e.what();
    }
}

}  // namespace

// The fake Discord server, proved with raw Beast clients that trust only the test CA: what the
// Discord client's tests rely on (REST auth, command validation, interaction callbacks and their
// deadline, webhooks, DMs, rate-limit buckets, faults, the gateway's Hello/Identify/READY,
// heartbeats, dispatch log and resume, close codes) must itself be right.
#include "tests/support/fake_discord.hpp"

#include "tests/support/beast_aliases.hpp"
#include "tests/support/temp_database.hpp"
#include "tests/support/test_certificates.hpp"
#include "tests/support/tls_test_client.hpp"

#include <gtest/gtest.h>

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
#include <stdexcept>
#include <string>
#include <thread>

namespace {

using namespace funnelbot::testing::beast_aliases;
using funnelbot::testing::FakeDiscord;
using funnelbot::testing::FakeDiscordMember;
using funnelbot::testing::FakeDiscordOptions;
using funnelbot::testing::FakeInteraction;
using funnelbot::testing::TlsTestClient;
using Json = nlohmann::json;
using namespace std::chrono_literals;

using TlsStream = TlsTestClient::TlsStream;
using WsStream = TlsTestClient::WsStream;
using Request = TlsTestClient::Request;
using Response = TlsTestClient::Response;

constexpr char kToken[] = "fake.discord.bot-token";
constexpr char kBot[] = "Bot fake.discord.bot-token";
constexpr char kApp[] = "900000000000000001";
constexpr char kGuild[] = "800000000000000001";
constexpr char kDana[] = "100000000000000001";
constexpr char kLee[] = "100000000000000002";
constexpr char kClosed[] = "100000000000000003";
constexpr char kChannel[] = "700000000000000001";

// The raw test client with Discord's request shapes and JSON gateway payloads.
class Client : public TlsTestClient {
public:
    using TlsTestClient::call;
    using TlsTestClient::TlsTestClient;

    static Request make_request(http::verb verb, const std::string& target,
                                const std::string& authorization, const std::string& body = "",
                                const std::string& content_type = "application/json") {
        Request request{verb, target, 11};
        request.set(http::field::host, "localhost");
        request.set(http::field::user_agent, "DiscordBot (https://example.invalid/funnelbot, 0.1)");
        if (!authorization.empty()) request.set(http::field::authorization, authorization);
        if (!body.empty() && !content_type.empty()) {
            request.set(http::field::content_type, content_type);
        }
        request.body() = body;
        request.prepare_payload();
        return request;
    }
    Response call(TlsStream& stream, http::verb verb, const std::string& target,
                  const std::string& authorization, const Json& body = nullptr) {
        return call(stream,
                    make_request(verb, target, authorization, body.is_null() ? "" : body.dump()));
    }

    // A fresh TLS connection to "wss://host:port" and the upgrade to `target`, which must be
    // accepted.
    std::unique_ptr<WsStream> open_gateway(const std::string& url,
                                           const std::string& target = "/?v=10&encoding=json") {
        const std::string authority = url.substr(url.find("://") + 3);
        const std::string host = authority.substr(0, authority.rfind(':'));
        const int port = std::stoi(authority.substr(authority.rfind(':') + 1));
        auto [response, ws] = open_websocket(host, port, target);
        if (!ws) throw std::runtime_error("gateway upgrade refused: " + response.body());
        return std::move(ws);
    }
    Json read_json(WsStream& ws) { return Json::parse(read_text(ws)); }
    void send_json(WsStream& ws, const Json& payload) { send_text(ws, payload.dump()); }
};

Json identify_payload(const std::string& token = kToken) {
    return {
        {"op", 2},
        {"d",
         {{"token", token},
          {"intents", 0},
          {"properties", {{"os", "linux"}, {"browser", "funnelbot"}, {"device", "funnelbot"}}}}}};
}

Json resume_payload(const std::string& session_id, int seq) {
    return {{"op", 6}, {"d", {{"token", kToken}, {"session_id", session_id}, {"seq", seq}}}};
}

std::string callback_path(const std::string& id, const std::string& token) {
    return "/api/v10/interactions/" + id + "/" + token + "/callback";
}

Json body_of(const Response& response) {
    return Json::parse(response.body(), nullptr, false);
}

FakeDiscordMember member_of(const std::string& user, const std::string& guild,
                            const std::string& name, const std::string& permissions = "0") {
    FakeDiscordMember m;
    m.user_id = user;
    m.guild_id = guild;
    m.username = name;
    m.permissions = permissions;
    return m;
}

FakeDiscordOptions options_for(const funnelbot::testing::TestPki& pki) {
    FakeDiscordOptions o;
    o.cert_file = pki.server_cert;
    o.key_file = pki.server_key;
    return o;
}

class FakeDiscordTest : public ::testing::Test {
protected:
    FakeDiscordTest()
        : pki_(funnelbot::testing::make_test_pki(dir_.path().string())),
          fake_(options_for(pki_)),
          client_(pki_.ca_cert) {}

    std::unique_ptr<TlsStream> rest() { return client_.connect("localhost", fake_.port()); }

    // Hello, Identify, READY on a fresh main-gateway socket; returns READY.
    Json identify(WsStream& ws) {
        EXPECT_EQ(client_.read_json(ws)["op"], 10);
        client_.send_json(ws, identify_payload());
        return client_.read_json(ws);
    }

    funnelbot::testing::TempDir dir_;
    funnelbot::testing::TestPki pki_;
    FakeDiscord fake_;
    Client client_;
};

TEST_F(FakeDiscordTest, RestChecksTheBotTokenAndServesGatewayBotAndTheApplication) {
    const std::string port = std::to_string(fake_.port());
    EXPECT_EQ(fake_.api_url(), "https://localhost:" + port + "/api/v10");
    EXPECT_EQ(fake_.gateway_url(), "wss://localhost:" + port);
    EXPECT_EQ(fake_.resume_gateway_url(), "wss://127.0.0.1:" + std::to_string(fake_.resume_port()));
    EXPECT_NE(fake_.port(), fake_.resume_port());
    auto conn = rest();  // one keep-alive connection for every call below

    const Json unauthorized = {{"message", "401: Unauthorized"}, {"code", 0}};
    for (const char* auth : {"", "Bot wrong", "Bearer fake.discord.bot-token", kToken}) {
        const Response r = client_.call(*conn, http::verb::get, "/api/v10/gateway/bot", auth);
        EXPECT_EQ(r.result(), http::status::unauthorized) << auth;
        EXPECT_EQ(body_of(r), unauthorized) << auth;
    }

    Response r = client_.call(*conn, http::verb::get, "/api/v10/gateway/bot", kBot);
    ASSERT_EQ(r.result(), http::status::ok) << r.body();
    EXPECT_EQ(body_of(r), Json::parse(R"({"url":")" + fake_.gateway_url() + R"(","shards":1,
        "session_start_limit":{"total":1000,"remaining":999,"reset_after":14400000,
                               "max_concurrency":1}})"));
    EXPECT_EQ(r[http::field::content_type], "application/json");
    // Keep-alive without saying so; the bucket headers (the 401s above did not count).
    EXPECT_TRUE(r.keep_alive());
    EXPECT_EQ(r[http::field::connection], "");
    EXPECT_EQ(r["X-RateLimit-Limit"], "50");
    EXPECT_EQ(r["X-RateLimit-Remaining"], "49");
    const double reset_after = std::stod(std::string(r["X-RateLimit-Reset-After"]));
    EXPECT_GT(reset_after, 0.5);
    EXPECT_LE(reset_after, 1.0);
    EXPECT_NE(std::string(r["X-RateLimit-Reset-After"]).find('.'), std::string::npos);
    const double epoch =
        std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
    EXPECT_NEAR(std::stod(std::string(r["X-RateLimit-Reset"])), epoch + reset_after, 2.0);
    EXPECT_EQ(r["X-RateLimit-Bucket"].size(), 32U);

    r = client_.call(*conn, http::verb::get, "/api/v10/applications/@me", kBot);
    const Json app = body_of(r);
    EXPECT_EQ(app["id"], kApp);
    EXPECT_EQ(app["name"], "funnelbot");
    EXPECT_EQ(app["bot"]["id"], "900000000000000001");

    const Json not_found = {{"message", "404: Not Found"}, {"code", 0}};
    for (const char* target : {"/api/v10/nothing/here", "/api/v9/gateway/bot", "/gateway/bot"}) {
        r = client_.call(*conn, http::verb::get, target, kBot);
        EXPECT_EQ(r.result(), http::status::not_found) << target;
        EXPECT_EQ(body_of(r), not_found) << target;
        EXPECT_FALSE(r["X-RateLimit-Bucket"].empty()) << target;
    }
    r = client_.call(*conn, http::verb::delete_, "/api/v10/gateway/bot", kBot);
    EXPECT_EQ(r.result(), http::status::method_not_allowed);

    // Connection: close only when asked, and then the server closes.
    Request last = Client::make_request(http::verb::get, "/api/v10/gateway/bot", kBot);
    last.keep_alive(false);
    r = client_.call(*conn, std::move(last));
    EXPECT_EQ(r[http::field::connection], "close");

    const auto requests = fake_.requests();
    ASSERT_EQ(requests.size(), 11U);
    EXPECT_EQ(requests[0].method, "GET");
    EXPECT_EQ(requests[0].target, "/api/v10/gateway/bot");
    EXPECT_EQ(requests[0].header("authorization"), "");
    EXPECT_EQ(requests[4].header("Authorization"), kBot);
    EXPECT_EQ(requests[4].header("user-agent"),
              "DiscordBot (https://example.invalid/funnelbot, 0.1)");
}

TEST_F(FakeDiscordTest, BulkOverwriteValidatesCommandsAndAnswersWithIds) {
    fake_.add_member(member_of(kDana, kGuild, "dana"));
    auto conn = rest();
    const std::string global = std::string("/api/v10/applications/") + kApp + "/commands";
    const Json good = Json::parse(R"([
      {"name":"funnel-check","type":1,"description":"Show funnel status",
       "default_member_permissions":"32","contexts":[0],
       "options":[
         {"name":"days","description":"Window in days","type":4,"required":true,"min_value":1,
          "max_value":90},
         {"name":"who","description":"Member","type":6},
         {"name":"mode","description":"Output","type":3,
          "choices":[{"name":"Short","value":"short"},{"name":"Full","value":"full"}]}]},
      {"name":"opp","description":"Opportunities",
       "options":[{"type":1,"name":"add","description":"Add one",
                   "options":[{"type":3,"name":"customer","description":"Customer",
                               "required":true}]}]}])");
    Response r = client_.call(*conn, http::verb::put, global, kBot, good);
    ASSERT_EQ(r.result(), http::status::ok) << r.body();
    const Json accepted = body_of(r);
    ASSERT_EQ(accepted.size(), 2U);
    for (const Json& command : accepted) {
        EXPECT_TRUE(command["id"].is_string());
        EXPECT_EQ(command["id"].get<std::string>().find_first_not_of("0123456789"),
                  std::string::npos);
        EXPECT_EQ(command["application_id"], kApp);
        EXPECT_TRUE(command["version"].is_string());
        EXPECT_EQ(command["type"], 1);  // defaulted for "opp"
    }
    EXPECT_NE(accepted[0]["id"], accepted[1]["id"]);
    EXPECT_EQ(accepted[0]["name"], "funnel-check");
    EXPECT_EQ(accepted[0]["options"], good[0]["options"]);
    EXPECT_EQ(accepted[1]["options"], good[1]["options"]);

    r = client_.call(*conn, http::verb::get, global, kBot);
    EXPECT_EQ(body_of(r), accepted);
    // An overwrite keeps the ids of commands that stay.
    r = client_.call(*conn, http::verb::put, global, kBot, good);
    EXPECT_EQ(body_of(r)[0]["id"], accepted[0]["id"]);
    EXPECT_EQ(body_of(r)[1]["id"], accepted[1]["id"]);

    const auto refused = [&](const Json& body) {
        const Response answer = client_.call(*conn, http::verb::put, global, kBot, body);
        EXPECT_EQ(answer.result(), http::status::bad_request) << body;
        const Json error = body_of(answer);
        EXPECT_EQ(error["code"], 50035) << answer.body();
        EXPECT_EQ(error["message"], "Invalid Form Body");
        return error["errors"];
    };
    Json errors = refused(Json::parse(R"([{"name":"Funnel Check","description":"x"}])"));
    EXPECT_EQ(errors["0"]["name"]["_errors"][0]["code"], "APPLICATION_COMMAND_INVALID_NAME");
    errors = refused(Json::parse(R"([{"name":"/funnel-check","description":"x"}])"));
    EXPECT_TRUE(errors["0"].contains("name"));
    errors = refused(Json::parse(R"([{"name":"opp"}])"));
    EXPECT_EQ(errors["0"]["description"]["_errors"][0]["code"], "BASE_TYPE_REQUIRED");
    errors = refused(
        Json::parse(R"([{"name":"opp","description":")" + std::string(101, 'x') + R"("}])"));
    EXPECT_TRUE(errors["0"].contains("description"));
    errors = refused(Json::parse(R"([{"name":"opp","description":"x","options":[
        {"name":"a","description":"a","type":3},
        {"name":"b","description":"b","type":3,"required":true}]}])"));
    EXPECT_EQ(errors["0"]["options"]["1"]["required"]["_errors"][0]["code"],
              "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID");
    errors = refused(Json::parse(R"([{"name":"opp","description":"x","options":[
        {"type":1,"name":"add","description":"Add","options":[
          {"type":3,"name":"Customer Name","description":"c"}]}]}])"));
    EXPECT_TRUE(errors["0"]["options"]["0"]["options"]["0"].contains("name"));
    Json many = Json::array();
    for (int i = 0; i < 26; ++i) {
        many.push_back({{"name", "o" + std::to_string(i)}, {"description", "d"}, {"type", 3}});
    }
    errors = refused(Json::array({{{"name", "opp"}, {"description", "x"}, {"options", many}}}));
    EXPECT_TRUE(errors["0"].contains("options"));
    errors = refused(Json::parse(R"({"name":"opp","description":"x"})"));
    EXPECT_EQ(errors["_errors"][0]["code"], "LIST_TYPE_CONVERT");
    errors = refused(Json::parse(R"([{"name":"opp","description":"x",
                                      "default_member_permissions":32}])"));
    EXPECT_TRUE(errors["0"].contains("default_member_permissions"));
    r = client_.call(*conn, Client::make_request(http::verb::put, global, kBot, good.dump(), ""));
    EXPECT_EQ(body_of(r)["code"], 50035);  // no Content-Type

    r = client_.call(*conn, http::verb::put, "/api/v10/applications/123/commands", kBot, good);
    EXPECT_EQ(r.result(), http::status::forbidden);
    EXPECT_EQ(body_of(r), Json::parse(R"({"code":50001,"message":"Missing Access"})"));

    // Guild commands: only for a guild the bot is in.
    const std::string guild_path =
        std::string("/api/v10/applications/") + kApp + "/guilds/" + kGuild + "/commands";
    r = client_.call(*conn, http::verb::put, guild_path, kBot, Json::array({good[1]}));
    ASSERT_EQ(r.result(), http::status::ok) << r.body();
    EXPECT_EQ(body_of(r)[0]["guild_id"], kGuild);
    r = client_.call(*conn, http::verb::put,
                     std::string("/api/v10/applications/") + kApp + "/guilds/1/commands", kBot,
                     good);
    EXPECT_EQ(body_of(r)["code"], 50001);
    r = client_.call(*conn, http::verb::put, guild_path, kBot, Json::array());
    EXPECT_EQ(body_of(r), Json::array());

    const auto registrations = fake_.command_registrations();
    ASSERT_EQ(registrations.size(), 4U);
    EXPECT_EQ(registrations[0].first, std::string("/applications/") + kApp + "/commands");
    EXPECT_EQ(registrations[0].second, good);
    EXPECT_EQ(registrations[2].first,
              std::string("/applications/") + kApp + "/guilds/" + kGuild + "/commands");
    EXPECT_EQ(registrations[3].second, Json::array());
}

TEST_F(FakeDiscordTest, GatewayIdentifiesDispatchesInteractionsAndReplaysThemOnResume) {
    FakeDiscordMember dana = member_of(kDana, kGuild, "dana", "32");
    dana.global_name = "Dana Scully";
    fake_.add_member(dana);
    fake_.add_member(member_of(kLee, kGuild, "lee"));
    EXPECT_THROW(fake_.send_interaction({kGuild, kDana, "opp", Json::array(), kChannel}),
                 std::runtime_error);  // no session yet

    auto ws = client_.open_gateway(fake_.gateway_url());
    EXPECT_EQ(client_.read_json(*ws), Json::parse(R"({"op":10,"s":null,"t":null,
        "d":{"heartbeat_interval":41250,"_trace":["[\"gateway-fake\",{\"micros\":0.0}]"]}})"));
    client_.send_json(*ws, {{"op", 1}, {"d", nullptr}});
    EXPECT_EQ(client_.read_json(*ws), Json::parse(R"({"op":11,"d":null,"s":null,"t":null})"));

    client_.send_json(*ws, identify_payload());
    const Json ready = client_.read_json(*ws);
    EXPECT_EQ(ready["op"], 0);
    EXPECT_EQ(ready["s"], 1);
    EXPECT_EQ(ready["t"], "READY");
    const Json& d = ready["d"];
    EXPECT_EQ(d["v"], 10);
    EXPECT_EQ(d["user"], Json::parse(R"({"id":"900000000000000001","username":"funnelbot",
                                         "bot":true,"discriminator":"0"})"));
    EXPECT_EQ(d["guilds"], Json::parse(R"([{"id":"800000000000000001","unavailable":true}])"));
    EXPECT_EQ(d["resume_gateway_url"], "wss://127.0.0.1:" + std::to_string(fake_.resume_port()));
    EXPECT_EQ(d["application"], Json::parse(R"({"id":"900000000000000001","flags":0})"));
    const std::string session_id = d["session_id"];
    EXPECT_EQ(session_id.size(), 32U);
    EXPECT_EQ(fake_.identify_count(), 1);
    auto connections = fake_.gateway_connections();
    ASSERT_EQ(connections.size(), 1U);
    EXPECT_EQ(connections[0].connection, 1);
    EXPECT_FALSE(connections[0].resume_listener);
    EXPECT_EQ(connections[0].target, "/?v=10&encoding=json");
    EXPECT_EQ(connections[0].host_header, "localhost:" + std::to_string(fake_.port()));
    EXPECT_EQ(fake_.open_gateway_sockets(), 1);

    // A slash command with a subcommand and a USER option.
    const Json options = Json::parse(R"([{"type":1,"name":"add","options":[
        {"type":3,"name":"customer","value":"Acme"},
        {"type":6,"name":"owner","value":"100000000000000002"}]}])");
    const std::string first = fake_.send_interaction({kGuild, kDana, "opp", options, kChannel});
    const Json created = client_.read_json(*ws);
    EXPECT_EQ(created["op"], 0);
    EXPECT_EQ(created["s"], 2);
    EXPECT_EQ(created["t"], "INTERACTION_CREATE");
    const Json& i = created["d"];
    EXPECT_EQ(i["id"], first);
    EXPECT_EQ(i["type"], 2);
    EXPECT_EQ(i["version"], 1);
    EXPECT_EQ(i["application_id"], kApp);
    EXPECT_TRUE(i["token"].is_string());
    EXPECT_EQ(i["guild_id"], kGuild);
    EXPECT_EQ(i["channel_id"], kChannel);
    EXPECT_EQ(i["locale"], "en-US");
    EXPECT_FALSE(i.contains("user"));
    EXPECT_EQ(i["member"]["permissions"], "32");
    EXPECT_EQ(i["member"]["user"]["id"], kDana);
    EXPECT_EQ(i["member"]["user"]["username"], "dana");
    EXPECT_EQ(i["member"]["user"]["global_name"], "Dana Scully");
    EXPECT_EQ(i["data"]["name"], "opp");
    EXPECT_EQ(i["data"]["type"], 1);
    EXPECT_TRUE(i["data"]["id"].is_string());
    EXPECT_EQ(i["data"]["options"], options);
    EXPECT_EQ(i["data"]["resolved"]["users"][kLee]["username"], "lee");
    EXPECT_EQ(i["data"]["resolved"]["users"][kLee]["global_name"], nullptr);
    EXPECT_EQ(i["data"]["resolved"]["members"][kLee]["permissions"], "0");
    EXPECT_FALSE(i["data"]["resolved"]["members"][kLee].contains("user"));

    client_.send_json(*ws, {{"op", 1}, {"d", 2}});
    EXPECT_EQ(client_.read_json(*ws)["op"], 11);

    // A plain TCP drop keeps the session; what is dispatched meanwhile waits in the log.
    fake_.drop_connections();
    EXPECT_EQ(client_.read_close(*ws), -1);
    ASSERT_TRUE(fake_.wait_until([&] { return fake_.open_gateway_sockets() == 0; }, 3s));
    const std::string missed =
        fake_.send_interaction({"", kDana, "funnel-check", Json::array(), "700000000000000009"});

    auto resumed = client_.open_gateway(fake_.resume_gateway_url());
    EXPECT_EQ(client_.read_json(*resumed)["op"], 10);
    client_.send_json(*resumed, resume_payload(session_id, 2));
    const Json replayed = client_.read_json(*resumed);
    EXPECT_EQ(replayed["s"], 3);
    EXPECT_EQ(replayed["t"], "INTERACTION_CREATE");
    EXPECT_EQ(replayed["d"]["id"], missed);
    EXPECT_EQ(replayed["d"]["user"]["id"], kDana);  // a DM: user, no member or guild
    EXPECT_FALSE(replayed["d"].contains("member"));
    EXPECT_FALSE(replayed["d"].contains("guild_id"));
    EXPECT_FALSE(replayed["d"]["data"].contains("options"));
    EXPECT_EQ(client_.read_json(*resumed), Json::parse(R"({"op":0,"s":4,"t":"RESUMED","d":{}})"));
    EXPECT_EQ(fake_.resume_count(), 1);
    EXPECT_EQ(fake_.identify_count(), 1);

    // New dispatches go to the resumed socket.
    const std::string later = fake_.send_interaction({kGuild, kLee, "funnel-check"});
    const Json next = client_.read_json(*resumed);
    EXPECT_EQ(next["s"], 5);
    EXPECT_EQ(next["d"]["id"], later);
    EXPECT_EQ(next["d"]["member"]["permissions"], "0");

    connections = fake_.gateway_connections();
    ASSERT_EQ(connections.size(), 2U);
    EXPECT_TRUE(connections[0].closed);
    EXPECT_FALSE(connections[0].client_close_code);
    EXPECT_TRUE(connections[1].resume_listener);
    EXPECT_EQ(connections[1].host_header, "127.0.0.1:" + std::to_string(fake_.resume_port()));
    const auto payloads = fake_.gateway_payloads();
    ASSERT_EQ(payloads.size(), 4U);
    EXPECT_EQ(payloads[0].op, 1);
    EXPECT_EQ(payloads[0].payload["d"], nullptr);
    EXPECT_EQ(payloads[1].op, 2);
    EXPECT_EQ(payloads[2].payload["d"], 2);
    EXPECT_EQ(payloads[3].op, 6);
    EXPECT_EQ(payloads[3].connection, 2);
    EXPECT_TRUE(payloads[3].resume_listener);
}

TEST_F(FakeDiscordTest, CallbacksAreAnsweredOnceAndOpenTheInteractionWebhook) {
    fake_.add_member(member_of(kDana, kGuild, "dana"));
    auto ws = client_.open_gateway(fake_.gateway_url());
    ASSERT_EQ(identify(*ws)["t"], "READY");
    const std::string id = fake_.send_interaction({kGuild, kDana, "funnel-check"});
    const std::string token = client_.read_json(*ws)["d"]["token"];
    auto conn = rest();

    // Deferred, then a second answer is refused; no Authorization needed (the token is the key).
    Response r = client_.call(*conn, http::verb::post, callback_path(id, token), "",
                              Json::parse(R"({"type":5,"data":{"flags":64}})"));
    EXPECT_EQ(r.result(), http::status::no_content);
    EXPECT_EQ(r.body(), "");
    EXPECT_EQ(r["X-RateLimit-Limit"], "50");
    r = client_.call(*conn, http::verb::post, callback_path(id, token), "",
                     Json::parse(R"({"type":4,"data":{"content":"again"}})"));
    EXPECT_EQ(r.result(), http::status::bad_request);
    EXPECT_EQ(body_of(r), Json::parse(R"({"code":40060,
                                          "message":"Interaction has already been acknowledged."})"));
    r = client_.call(*conn, http::verb::post, callback_path(id, "not-the-token"), "",
                     Json::parse(R"({"type":5})"));
    EXPECT_EQ(r.result(), http::status::not_found);
    EXPECT_EQ(body_of(r), Json::parse(R"({"code":10062,"message":"Unknown interaction"})"));
    r = client_.call(*conn, http::verb::post, callback_path("123", token), "",
                     Json::parse(R"({"type":5})"));
    EXPECT_EQ(body_of(r)["code"], 10062);

    auto callbacks = fake_.callbacks();
    ASSERT_EQ(callbacks.size(), 4U);
    EXPECT_EQ(fake_.callback_count(), 4U);
    EXPECT_EQ(callbacks[0].interaction_id, id);
    EXPECT_EQ(callbacks[0].type, 5);
    EXPECT_EQ(callbacks[0].data, Json::parse(R"({"flags":64})"));
    EXPECT_EQ(callbacks[0].status, 204);
    EXPECT_EQ(callbacks[0].error_code, 0);
    EXPECT_GT(callbacks[0].since_dispatch.count(), 0);
    EXPECT_LT(callbacks[0].since_dispatch, 2s);
    EXPECT_EQ(callbacks[1].status, 400);
    EXPECT_EQ(callbacks[1].error_code, 40060);
    EXPECT_EQ(callbacks[1].data["content"], "again");
    EXPECT_EQ(callbacks[2].error_code, 10062);
    EXPECT_EQ(callbacks[3].interaction_id, "123");
    EXPECT_EQ(fake_.callbacks_from(3).size(), 1U);
    EXPECT_TRUE(fake_.callbacks_from(9).empty());

    // The deferred answer is edited into place, then a follow-up.
    const std::string hook = std::string("/api/v10/webhooks/") + kApp + "/" + token;
    r = client_.call(*conn, http::verb::patch, hook + "/messages/@original", "",
                     Json::parse(R"({"content":"Funnel: 3 open"})"));
    ASSERT_EQ(r.result(), http::status::ok) << r.body();
    const Json original = body_of(r);
    EXPECT_EQ(original["content"], "Funnel: 3 open");
    EXPECT_EQ(original["channel_id"], kChannel);
    EXPECT_EQ(original["author"]["bot"], true);
    EXPECT_TRUE(original["id"].is_string());
    r = client_.call(*conn, http::verb::post, hook, "",
                     Json::parse(R"({"content":"one more thing","flags":64})"));
    ASSERT_EQ(r.result(), http::status::ok) << r.body();
    EXPECT_NE(body_of(r)["id"], original["id"]);
    EXPECT_EQ(body_of(r)["flags"], 64);
    r = client_.call(*conn, http::verb::patch, hook + "/messages/@original", "",
                     Json::parse(R"({"content":")" + std::string(2001, 'x') + R"("})"));
    EXPECT_EQ(body_of(r)["code"], 50035);
    r = client_.call(*conn, http::verb::patch,
                     "/api/v10/webhooks/123/" + token + "/messages/@original", "",
                     Json::parse(R"({"content":"x"})"));
    EXPECT_EQ(r.result(), http::status::not_found);
    EXPECT_EQ(body_of(r), Json::parse(R"({"code":10015,"message":"Unknown Webhook"})"));
    const auto hooks = fake_.webhook_messages();
    ASSERT_EQ(hooks.size(), 4U);
    EXPECT_TRUE(hooks[0].original);
    EXPECT_EQ(hooks[0].interaction_id, id);
    EXPECT_EQ(hooks[0].body["content"], "Funnel: 3 open");
    EXPECT_EQ(hooks[0].status, 200);
    EXPECT_FALSE(hooks[1].original);
    EXPECT_EQ(hooks[2].status, 400);
    EXPECT_EQ(hooks[3].status, 404);

    // A second interaction: the webhook does not exist before an answer; bodies are checked.
    const std::string second = fake_.send_interaction({kGuild, kDana, "funnel-check"});
    const std::string second_token = client_.read_json(*ws)["d"]["token"];
    const std::string second_hook = std::string("/api/v10/webhooks/") + kApp + "/" + second_token;
    r = client_.call(*conn, http::verb::post, second_hook, "", Json::parse(R"({"content":"x"})"));
    EXPECT_EQ(body_of(r)["code"], 10015);
    const auto refused_with = [&](const Json& body) {
        return body_of(client_.call(*conn, http::verb::post, callback_path(second, second_token),
                                    "", body))["code"];
    };
    EXPECT_EQ(refused_with(Json::parse(R"({"type":4})")), 50006);
    EXPECT_EQ(refused_with(Json::parse(R"({"type":4,"data":{"content":"  "}})")), 50006);
    EXPECT_EQ(refused_with(Json::parse(R"({"type":7,"data":{"content":"x"}})")), 50035);
    EXPECT_EQ(refused_with(Json::parse(R"({"data":{"content":"x"}})")), 50035);
    EXPECT_EQ(refused_with({{"type", 4}, {"data", {{"content", std::string(2001, 'x')}}}}), 50035);
    Json eleven = Json::array();
    for (int n = 0; n < 11; ++n)
        eleven.push_back({{"title", "t"}});
    EXPECT_EQ(refused_with({{"type", 4}, {"data", {{"embeds", eleven}}}}), 50035);
    r = client_.call(*conn, http::verb::post, callback_path(second, second_token), "",
                     Json::parse(R"({"type":4,"data":{"content":"Now.","flags":64,
                                     "embeds":[{"title":"Funnel","description":"3 open"}]}})"));
    EXPECT_EQ(r.result(), http::status::no_content) << r.body();
    callbacks = fake_.callbacks_from(4);
    ASSERT_EQ(callbacks.size(), 7U);
    EXPECT_EQ(callbacks[0].error_code, 50006);
    EXPECT_EQ(callbacks[0].status, 400);
    EXPECT_EQ(callbacks[2].error_code, 50035);
    EXPECT_EQ(callbacks[6].status, 204);
    EXPECT_EQ(callbacks[6].type, 4);
    // After a type 4 answer the webhook edits that message.
    r = client_.call(*conn, http::verb::patch, second_hook + "/messages/@original", "",
                     Json::parse(R"({"embeds":[]})"));
    EXPECT_EQ(body_of(r)["content"], "Now.");
}

TEST(FakeDiscordDeadline, ALateCallbackIsAnUnknownInteractionUntilRedelivered) {
    funnelbot::testing::TempDir dir;
    const auto pki = funnelbot::testing::make_test_pki(dir.path().string());
    FakeDiscordOptions options = options_for(pki);
    options.callback_deadline = 250ms;
    FakeDiscord fake(options);
    fake.add_member(member_of(kDana, kGuild, "dana"));
    Client client(pki.ca_cert);
    auto ws = client.open_gateway(fake.gateway_url());
    client.read_json(*ws);  // Hello
    client.send_json(*ws, identify_payload());
    ASSERT_EQ(client.read_json(*ws)["t"], "READY");
    const std::string id = fake.send_interaction({kGuild, kDana, "funnel-check"});
    const Json created = client.read_json(*ws);
    const std::string token = created["d"]["token"];
    auto conn = client.connect("localhost", fake.port());

    std::this_thread::sleep_for(400ms);
    Response r = client.call(*conn, http::verb::post, callback_path(id, token), "",
                             Json::parse(R"({"type":5})"));
    EXPECT_EQ(r.result(), http::status::not_found);
    EXPECT_EQ(body_of(r), Json::parse(R"({"code":10062,"message":"Unknown interaction"})"));
    ASSERT_EQ(fake.callback_count(), 1U);
    EXPECT_EQ(fake.callbacks()[0].error_code, 10062);
    EXPECT_GE(fake.callbacks()[0].since_dispatch, 400ms);
    r = client.call(*conn, http::verb::patch,
                    std::string("/api/v10/webhooks/") + kApp + "/" + token + "/messages/@original",
                    "", Json::parse(R"({"content":"x"})"));
    EXPECT_EQ(body_of(r)["code"], 10015);

    // A redelivery is a new chance: the deadline counts from the latest write.
    fake.resend_interaction(id);
    const Json again = client.read_json(*ws);
    EXPECT_EQ(again["s"], 3);
    EXPECT_EQ(again["d"], created["d"]);
    r = client.call(*conn, http::verb::post, callback_path(id, token), "",
                    Json::parse(R"({"type":5})"));
    EXPECT_EQ(r.result(), http::status::no_content) << r.body();
    EXPECT_LT(fake.callbacks()[1].since_dispatch, 250ms);
    EXPECT_THROW(fake.resend_interaction("42"), std::runtime_error);
}

TEST_F(FakeDiscordTest, DmChannelsMessagesLimitsAndNonces) {
    fake_.add_member(member_of(kDana, kGuild, "dana"));
    FakeDiscordMember closed = member_of(kClosed, "", "hermit");
    closed.dms_closed = true;
    fake_.add_member(closed);
    auto conn = rest();

    Response r = client_.call(*conn, http::verb::post, "/api/v10/users/@me/channels", kBot,
                              {{"recipient_id", kDana}});
    ASSERT_EQ(r.result(), http::status::ok) << r.body();
    const Json dm = body_of(r);
    const std::string dm_id = dm["id"];
    EXPECT_EQ(dm["type"], 1);
    EXPECT_EQ(dm["recipients"][0]["id"], kDana);
    EXPECT_EQ(dm["recipients"][0]["username"], "dana");
    r = client_.call(*conn, http::verb::post, "/api/v10/users/@me/channels", kBot,
                     {{"recipient_id", kDana}});
    EXPECT_EQ(body_of(r)["id"], dm_id);  // one DM channel per user
    r = client_.call(*conn, http::verb::post, "/api/v10/users/@me/channels", kBot,
                     {{"recipient_id", "100000000000000099"}});
    EXPECT_EQ(r.result(), http::status::bad_request);
    EXPECT_EQ(body_of(r)["code"], 50035);
    EXPECT_TRUE(body_of(r)["errors"].contains("recipient_id"));

    const Json message = Json::parse(R"({"content":"Friday review","allowed_mentions":{"parse":[]},
        "embeds":[{"title":"Pipeline","fields":[{"name":"Open","value":"3","inline":true}]}]})");
    r = client_.call(*conn, http::verb::post, "/api/v10/channels/" + dm_id + "/messages", kBot,
                     message);
    ASSERT_EQ(r.result(), http::status::ok) << r.body();
    const Json sent = body_of(r);
    EXPECT_TRUE(sent["id"].is_string());
    EXPECT_EQ(sent["channel_id"], dm_id);
    EXPECT_EQ(sent["content"], "Friday review");
    EXPECT_EQ(sent["embeds"][0]["type"], "rich");
    EXPECT_EQ(sent["embeds"][0]["title"], "Pipeline");
    EXPECT_EQ(sent["author"]["id"], "900000000000000001");
    EXPECT_EQ(sent["author"]["bot"], true);
    auto messages = fake_.messages();
    ASSERT_EQ(messages.size(), 1U);
    EXPECT_EQ(messages[0].channel_id, dm_id);
    EXPECT_EQ(messages[0].recipient_id, kDana);
    EXPECT_EQ(messages[0].body, message);

    // A member who closed DMs: the channel opens, the message is refused.
    r = client_.call(*conn, http::verb::post, "/api/v10/users/@me/channels", kBot,
                     {{"recipient_id", kClosed}});
    const std::string closed_dm = body_of(r)["id"];
    r = client_.call(*conn, http::verb::post, "/api/v10/channels/" + closed_dm + "/messages", kBot,
                     {{"content", "hi"}});
    EXPECT_EQ(r.result(), http::status::forbidden);
    EXPECT_EQ(body_of(r),
              Json::parse(R"({"code":50007,"message":"Cannot send messages to this user"})"));

    r = client_.call(*conn, http::verb::post, "/api/v10/channels/123/messages", kBot,
                     {{"content", "hi"}});
    EXPECT_EQ(r.result(), http::status::not_found);
    EXPECT_EQ(body_of(r), Json::parse(R"({"code":10003,"message":"Unknown Channel"})"));
    fake_.add_channel("700000000000000005", kGuild);
    const std::string channel = "/api/v10/channels/700000000000000005/messages";
    r = client_.call(*conn, http::verb::post, channel, kBot, {{"content", "team summary"}});
    EXPECT_EQ(r.result(), http::status::ok);
    EXPECT_EQ(fake_.messages().back().recipient_id, "");

    // Limits count characters, not bytes.
    std::string two_thousand;
    for (int n = 0; n < 2000; ++n)
        two_thousand += "\xc3\xa9";  // é
    r = client_.call(*conn, http::verb::post, channel, kBot, {{"content", two_thousand}});
    EXPECT_EQ(r.result(), http::status::ok) << r.body();
    r = client_.call(*conn, http::verb::post, channel, kBot, {{"content", two_thousand + "x"}});
    EXPECT_EQ(r.result(), http::status::bad_request);
    EXPECT_EQ(body_of(r)["errors"]["content"]["_errors"][0]["code"], "BASE_TYPE_MAX_LENGTH");
    r = client_.call(*conn, http::verb::post, channel, kBot, {{"content", "   "}});
    EXPECT_EQ(body_of(r),
              Json::parse(R"({"code":50006,"message":"Cannot send an empty message"})"));
    r = client_.call(
        *conn, http::verb::post, channel, kBot,
        {{"embeds",
          {{{"description", std::string(3000, 'a')}}, {{"description", std::string(3000, 'b')}}}}});
    EXPECT_EQ(r.result(), http::status::ok) << r.body();  // exactly 6000
    r = client_.call(*conn, http::verb::post, channel, kBot,
                     {{"embeds",
                       {{{"description", std::string(3000, 'a')}},
                        {{"description", std::string(3000, 'b')}, {"title", "t"}}}}});
    EXPECT_EQ(body_of(r)["errors"]["embeds"]["_errors"][0]["code"], "MAX_EMBED_SIZE_EXCEEDED");
    r = client_.call(*conn, http::verb::post, channel, kBot,
                     {{"embeds", {{{"title", std::string(257, 't')}}}}});
    EXPECT_TRUE(body_of(r)["errors"]["embeds"]["0"].contains("title"));
    Json fields = Json::array();
    for (int n = 0; n < 26; ++n)
        fields.push_back({{"name", "n"}, {"value", "v"}});
    r = client_.call(*conn, http::verb::post, channel, kBot, {{"embeds", {{{"fields", fields}}}}});
    EXPECT_TRUE(body_of(r)["errors"]["embeds"]["0"].contains("fields"));
    r = client_.call(
        *conn, http::verb::post, channel, kBot,
        {{"embeds", {{{"fields", {{{"name", "n"}, {"value", std::string(1025, 'v')}}}}}}}});
    EXPECT_TRUE(body_of(r)["errors"]["embeds"]["0"]["fields"]["0"].contains("value"));
    const std::size_t accepted = fake_.messages().size();
    EXPECT_EQ(accepted, 4U);

    // enforce_nonce: the same nonce on the same channel returns the first message.
    const Json once = {{"content", "weekly"}, {"nonce", "remind-2024-w3"}, {"enforce_nonce", true}};
    r = client_.call(*conn, http::verb::post, channel, kBot, once);
    const Json first = body_of(r);
    EXPECT_EQ(first["nonce"], "remind-2024-w3");
    r = client_.call(*conn, http::verb::post, channel, kBot, once);
    EXPECT_EQ(body_of(r)["id"], first["id"]);
    EXPECT_EQ(fake_.messages().size(), accepted + 1);
    r = client_.call(*conn, http::verb::post, "/api/v10/channels/" + dm_id + "/messages", kBot,
                     once);
    EXPECT_NE(body_of(r)["id"], first["id"]);  // another channel, another message
    EXPECT_EQ(fake_.messages().size(), accepted + 2);
}

TEST_F(FakeDiscordTest, BucketsRunOutPerTopLevelResourceAndFaultsAreInjected) {
    fake_.add_channel("700000000000000011", kGuild);
    fake_.add_channel("700000000000000012", kGuild);
    fake_.set_bucket_limit("POST /channels/{id}/messages", 2, 1000ms);
    auto conn = rest();
    const std::string a = "/api/v10/channels/700000000000000011/messages";
    const std::string b = "/api/v10/channels/700000000000000012/messages";
    const Json hello = {{"content", "hello"}};

    Response r = client_.call(*conn, http::verb::post, a, kBot, hello);
    EXPECT_EQ(r.result(), http::status::ok);
    EXPECT_EQ(r["X-RateLimit-Limit"], "2");
    EXPECT_EQ(r["X-RateLimit-Remaining"], "1");
    const std::string bucket(r["X-RateLimit-Bucket"]);
    r = client_.call(*conn, http::verb::post, a, kBot, hello);
    EXPECT_EQ(r["X-RateLimit-Remaining"], "0");
    r = client_.call(*conn, http::verb::post, a, kBot, hello);
    ASSERT_EQ(r.result(), http::status::too_many_requests);
    const Json limited = body_of(r);
    EXPECT_EQ(limited["message"], "You are being rate limited.");
    EXPECT_EQ(limited["global"], false);
    const double retry_after = limited["retry_after"];
    EXPECT_GT(retry_after, 0.0);
    EXPECT_LE(retry_after, 1.0);
    EXPECT_EQ(r[http::field::retry_after], "1");
    EXPECT_EQ(r["X-RateLimit-Scope"], "user");
    EXPECT_EQ(r["X-RateLimit-Global"], "");
    EXPECT_EQ(r["X-RateLimit-Remaining"], "0");
    EXPECT_EQ(r["X-RateLimit-Bucket"], bucket);
    EXPECT_EQ(fake_.rate_limited_count(), 1);
    EXPECT_EQ(fake_.messages().size(), 2U);

    // Another channel: the same bucket id, its own count. Another route: the default.
    r = client_.call(*conn, http::verb::post, b, kBot, hello);
    EXPECT_EQ(r.result(), http::status::ok);
    EXPECT_EQ(r["X-RateLimit-Remaining"], "1");
    EXPECT_EQ(r["X-RateLimit-Bucket"], bucket);
    r = client_.call(*conn, http::verb::get, "/api/v10/gateway/bot", kBot);
    EXPECT_EQ(r["X-RateLimit-Limit"], "50");
    EXPECT_NE(r["X-RateLimit-Bucket"], bucket);

    // After retry_after the window has reset.
    std::this_thread::sleep_for(std::chrono::milliseconds(static_cast<int>(retry_after * 1000)) +
                                50ms);
    r = client_.call(*conn, http::verb::post, a, kBot, hello);
    EXPECT_EQ(r.result(), http::status::ok);
    EXPECT_EQ(r["X-RateLimit-Remaining"], "1");

    // Injected faults: after authentication, used up in order, not counted as bucket 429s.
    fake_.fail_next("POST /channels/", 500);
    fake_.fail_next("POST /channels/", 429, 1, 1.5, true);
    r = client_.call(*conn, http::verb::post, a, "", hello);
    EXPECT_EQ(r.result(), http::status::unauthorized);
    r = client_.call(*conn, http::verb::post, a, kBot, hello);
    EXPECT_EQ(r.result(), http::status::internal_server_error);
    EXPECT_EQ(r[http::field::content_type], "text/plain");
    EXPECT_FALSE(r["X-RateLimit-Bucket"].empty());
    r = client_.call(*conn, http::verb::post, a, kBot, hello);
    ASSERT_EQ(r.result(), http::status::too_many_requests);
    EXPECT_EQ(body_of(r), Json::parse(R"({"message":"You are being rate limited.",
                                          "retry_after":1.5,"global":true})"));
    EXPECT_EQ(r[http::field::retry_after], "2");
    EXPECT_EQ(r["X-RateLimit-Global"], "true");
    EXPECT_EQ(r["X-RateLimit-Scope"], "global");
    r = client_.call(*conn, http::verb::post, a, kBot, hello);
    EXPECT_EQ(r.result(), http::status::ok);
    fake_.fail_next("POST /interactions/", 502, 2);
    r = client_.call(*conn, http::verb::post, callback_path("1", "t"), "", {{"type", 5}});
    EXPECT_EQ(r.result(), http::status::bad_gateway);
    ASSERT_EQ(fake_.callback_count(), 1U);  // an attempt answered by a fault is still recorded
    EXPECT_EQ(fake_.callbacks()[0].status, 502);
    EXPECT_EQ(fake_.callbacks()[0].type, 5);
    EXPECT_EQ(fake_.rate_limited_count(), 1);
    EXPECT_EQ(fake_.messages().size(), 5U);
}

TEST_F(FakeDiscordTest, GatewayClosesMisbehavingClientsWithDiscordsCodes) {
    const auto closes_with = [&](const Json& payload) {
        auto ws = client_.open_gateway(fake_.gateway_url());
        EXPECT_EQ(client_.read_json(*ws)["op"], 10);
        client_.send_json(*ws, payload);
        return client_.read_close(*ws);
    };
    EXPECT_EQ(closes_with(identify_payload("wrong")), 4004);
    EXPECT_EQ(closes_with({{"op", 3}, {"d", {{"status", "online"}}}}), 4003);
    EXPECT_EQ(closes_with({{"op", 5}, {"d", nullptr}}), 4001);
    EXPECT_EQ(closes_with({{"d", nullptr}}), 4002);
    Json privileged = identify_payload();
    privileged["d"]["intents"] = 1 << 15;  // MESSAGE_CONTENT, not enabled for the fake app
    EXPECT_EQ(closes_with(privileged), 4014);
    Json huge = identify_payload();
    huge["d"]["properties"]["os"] = std::string(4100, 'x');
    EXPECT_EQ(closes_with(huge), 4002);
    EXPECT_EQ(fake_.identify_count(), 2);  // the huge one was never decoded

    {
        auto ws = client_.open_gateway(fake_.gateway_url());
        client_.read_json(*ws);
        client_.send_text(*ws, "not json");
        EXPECT_EQ(client_.read_close(*ws), 4002);
        EXPECT_EQ(ws->reason().reason, "Decode error.");
    }
    {
        auto ws = client_.open_gateway(fake_.gateway_url());
        EXPECT_EQ(identify(*ws)["t"], "READY");
        client_.send_json(*ws, identify_payload());
        EXPECT_EQ(client_.read_close(*ws), 4005);
    }
    {
        // 120 payloads per 60 s (heartbeats count too); the 121st closes the socket.
        auto ws = client_.open_gateway(fake_.gateway_url());
        client_.read_json(*ws);
        for (int n = 0; n < 121; ++n)
            client_.send_json(*ws, {{"op", 1}, {"d", nullptr}});
        EXPECT_EQ(client_.read_close(*ws), 4008);
    }
    // Version and encoding are checked before Hello.
    for (const char* target : {"/?v=9&encoding=json", "/?encoding=json", "/?v=10&encoding=etf"}) {
        auto ws = client_.open_gateway(fake_.gateway_url(), target);
        EXPECT_EQ(client_.read_close(*ws),
                  std::string(target).find("etf") != std::string::npos ? 4002 : 4012)
            << target;
    }

    // A fatal close code sticks to every new connection until cleared.
    auto ws = client_.open_gateway(fake_.gateway_url());
    EXPECT_EQ(identify(*ws)["t"], "READY");
    fake_.close_with(4014);
    EXPECT_EQ(client_.read_close(*ws), 4014);
    EXPECT_EQ(ws->reason().reason, "Disallowed intent(s).");
    auto again = client_.open_gateway(fake_.gateway_url());
    EXPECT_EQ(client_.read_json(*again)["op"], 10);
    EXPECT_EQ(client_.read_close(*again), 4014);
    fake_.clear_fatal_close();
    auto fine = client_.open_gateway(fake_.gateway_url());
    EXPECT_EQ(identify(*fine)["t"], "READY");
    ASSERT_TRUE(fake_.wait_until([&] { return fake_.open_gateway_sockets() == 1; }, 3s));
    const auto connections = fake_.gateway_connections();
    ASSERT_EQ(connections.size(), 15U);
    EXPECT_EQ(connections[0].client_close_code, 4004);  // the client's echo of the close
}

TEST_F(FakeDiscordTest, ScriptedHeartbeatsReconnectsInvalidSessionsAndClientCloses) {
    auto ws = client_.open_gateway(fake_.gateway_url());
    const std::string session = identify(*ws)["d"]["session_id"];

    // Withheld ACKs: the heartbeat is recorded, nothing comes back, until ACKs resume.
    fake_.withhold_acks(true);
    client_.send_json(*ws, {{"op", 1}, {"d", 1}});
    beast::flat_buffer buffer;
    auto pending =
        asio::co_spawn(client_.io(), ws->async_read(buffer, asio::use_awaitable), asio::use_future);
    EXPECT_FALSE(client_.run_until(
        [&] { return pending.wait_for(0s) == std::future_status::ready; }, 300ms));
    fake_.withhold_acks(false);
    client_.send_json(*ws, {{"op", 1}, {"d", 1}});
    ASSERT_TRUE(
        client_.run_until([&] { return pending.wait_for(0s) == std::future_status::ready; }, 3s));
    pending.get();
    EXPECT_EQ(Json::parse(beast::buffers_to_string(buffer.data()))["op"], 11);

    fake_.request_heartbeat();
    EXPECT_EQ(client_.read_json(*ws), Json::parse(R"({"op":1,"d":null,"s":null,"t":null})"));
    client_.send_json(*ws, {{"op", 1}, {"d", 1}});
    EXPECT_EQ(client_.read_json(*ws)["op"], 11);

    // op 7, and the fake closes with 4000 itself when the client lingers; resumable.
    const auto asked = std::chrono::steady_clock::now();
    fake_.send_reconnect();
    EXPECT_EQ(client_.read_json(*ws), Json::parse(R"({"op":7,"d":null,"s":null,"t":null})"));
    EXPECT_EQ(client_.read_close(*ws, 4s), 4000);
    EXPECT_GE(std::chrono::steady_clock::now() - asked, 1900ms);
    ws = client_.open_gateway(fake_.resume_gateway_url());
    client_.read_json(*ws);
    client_.send_json(*ws, resume_payload(session, 1));
    EXPECT_EQ(client_.read_json(*ws)["t"], "RESUMED");

    // op 9 true: Resume works on the same socket; op 9 false: it does not, Identify does.
    fake_.send_invalid_session(true);
    EXPECT_EQ(client_.read_json(*ws), Json::parse(R"({"op":9,"d":true,"s":null,"t":null})"));
    client_.send_json(*ws, resume_payload(session, 2));
    EXPECT_EQ(client_.read_json(*ws)["t"], "RESUMED");
    fake_.send_invalid_session(false);
    EXPECT_EQ(client_.read_json(*ws)["d"], false);
    client_.send_json(*ws, resume_payload(session, 3));
    EXPECT_EQ(client_.read_json(*ws), Json::parse(R"({"op":9,"d":false,"s":null,"t":null})"));
    client_.send_json(*ws, identify_payload());
    const Json ready = client_.read_json(*ws);
    EXPECT_EQ(ready["t"], "READY");
    const std::string second = ready["d"]["session_id"];
    EXPECT_NE(second, session);

    // A client close with 4900 keeps the session, with 1000 ends it.
    client_.run(ws->async_close(websocket::close_reason(4900), asio::use_awaitable));
    ws = client_.open_gateway(fake_.resume_gateway_url());
    client_.read_json(*ws);
    client_.send_json(*ws, resume_payload(second, 1));
    EXPECT_EQ(client_.read_json(*ws)["t"], "RESUMED");
    client_.run(ws->async_close(websocket::close_reason(websocket::close_code::normal),
                                asio::use_awaitable));
    ws = client_.open_gateway(fake_.resume_gateway_url());
    client_.read_json(*ws);
    client_.send_json(*ws, resume_payload(second, 2));
    EXPECT_EQ(client_.read_json(*ws)["d"], false);
    // A resume with a sequence the session never reached.
    client_.send_json(*ws, identify_payload());
    const std::string third = client_.read_json(*ws)["d"]["session_id"];
    auto other = client_.open_gateway(fake_.resume_gateway_url());
    client_.read_json(*other);
    client_.send_json(*other, resume_payload(third, 99));
    EXPECT_EQ(client_.read_close(*other), 4007);

    const auto connections = fake_.gateway_connections();
    ASSERT_EQ(connections.size(), 5U);
    EXPECT_EQ(connections[0].client_close_code, 4000);  // the echo of the fake's close
    EXPECT_EQ(connections[1].client_close_code, 4900);
    EXPECT_EQ(connections[2].client_close_code, 1000);
    EXPECT_EQ(fake_.identify_count(), 3);
    EXPECT_EQ(fake_.resume_count(), 6);
    const auto payloads = fake_.gateway_payloads();
    ASSERT_GE(payloads.size(), 4U);
    EXPECT_EQ(payloads[1].op, 1);
    EXPECT_EQ(payloads[2].op, 1);
    EXPECT_EQ(payloads[3].op, 1);  // the answer to the server's op 1
}

TEST(FakeDiscordCertificate, ServesTheCertificateItIsGiven) {
    funnelbot::testing::TempDir dir;
    const auto pki = funnelbot::testing::make_test_pki(dir.path().string());
    FakeDiscordOptions options;
    options.cert_file = pki.wrong_host_cert;
    options.key_file = pki.wrong_host_key;
    FakeDiscord fake(options);
    Client client(pki.ca_cert);
    try {
        client.connect("localhost", fake.port());
        ADD_FAILURE() << "a certificate for wrong.example was accepted for localhost";
    } catch (const boost::system::system_error& e) {
        EXPECT_EQ(e.code().category(), asio::error::get_ssl_category()) << e.what();
    }
}

}  // namespace

// The Discord Gateway, frame by frame: no sockets, only the state machine's actions.
#include <gtest/gtest.h>

#include "bot/discord/gateway_protocol.hpp"

namespace funnelbot::bot::discord {
namespace {

using nlohmann::json;
using std::chrono::milliseconds;
using std::chrono::seconds;

const std::string kToken = "MTE3.secret-token.XYZ";
const std::string kGatewayUrl = "wss://gateway.discord.gg/?v=10&encoding=json";
const std::string kResumeUrl = "wss://resume.example:8443/?v=10&encoding=json";
const TimePoint kT0 = TimePoint{} + std::chrono::hours{1};

ProtocolOptions options(std::uint64_t seed = 42) {
    ProtocolOptions o;
    o.token = kToken;
    o.seed = seed;
    return o;
}

std::string hello(int interval = 45000) {
    return json{
        {"op", 10}, {"d", {{"heartbeat_interval", interval}}}, {"s", nullptr}, {"t", nullptr}}
        .dump();
}

std::string dispatch(const std::string& t, std::int64_t s, const json& d) {
    return json{{"op", 0}, {"d", d}, {"s", s}, {"t", t}}.dump();
}

std::string ready(std::int64_t s = 1) {
    return dispatch("READY", s,
                    {{"v", 10},
                     {"session_id", "sess-1"},
                     {"resume_gateway_url", "wss://resume.example:8443"},
                     {"user", {{"id", "111"}, {"bot", true}}},
                     {"guilds", json::array()},
                     {"application", {{"id", "app-9"}, {"flags", 0}}}});
}

const std::string kAck = R"({"op":11})";

json identify_payload() {
    return {
        {"op", 2},
        {"d",
         {{"token", kToken},
          {"intents", 0},
          {"properties", {{"os", "linux"}, {"browser", "funnelbot"}, {"device", "funnelbot"}}}}}};
}

json resume_payload(std::int64_t seq) {
    return {{"op", 6}, {"d", {{"token", kToken}, {"session_id", "sess-1"}, {"seq", seq}}}};
}

// By value: the Actions are usually a temporary.
template <class T>
T only(const Actions& actions) {
    EXPECT_EQ(actions.size(), 1u);
    EXPECT_TRUE(!actions.empty() && std::holds_alternative<T>(actions[0]));
    return std::get<T>(actions.at(0));
}

template <class T>
T at(const Actions& actions, std::size_t i) {
    EXPECT_GT(actions.size(), i);
    EXPECT_TRUE(actions.size() > i && std::holds_alternative<T>(actions[i]));
    return std::get<T>(actions.at(i));
}

json sent(const Actions& actions, std::size_t i) {
    return json::parse(at<Send>(actions, i).text);
}

// Connected on generation 1, identified, READY with s=1.
GatewayProtocol ready_protocol() {
    GatewayProtocol p(options());
    p.start();
    EXPECT_TRUE(p.on_connected(1).empty());
    EXPECT_EQ(p.on_text(1, hello(), kT0).size(), 2u);
    const auto d = only<Dispatch>(p.on_text(1, ready(), kT0));
    EXPECT_EQ(d.event, "READY");
    return p;
}

// Expect a close of `generation` that keeps the session, then an OpenConnection to `url`.
OpenConnection expect_close_then_open(const Actions& got, Generation generation,
                                      const std::string& url) {
    EXPECT_EQ(got.size(), 2u);
    const auto close = at<CloseConnection>(got, 0);
    EXPECT_EQ(close.generation, generation);
    EXPECT_NE(close.code, 1000);
    EXPECT_NE(close.code, 1001);
    const auto open = at<OpenConnection>(got, 1);
    EXPECT_EQ(open.generation, generation + 1);
    EXPECT_EQ(open.url, url);
    return open;
}

// The new socket says Hello: heartbeat state is fresh and the right payload goes out.
json hello_on(GatewayProtocol& p, Generation generation, TimePoint now = kT0) {
    EXPECT_TRUE(p.on_connected(generation).empty());
    const Actions got = p.on_text(generation, hello(), now);
    EXPECT_EQ(got.size(), 2u);
    EXPECT_EQ(at<StartHeartbeatTimer>(got, 0).generation, generation);
    EXPECT_EQ(at<Send>(got, 1).generation, generation);
    return sent(got, 1);
}

// A heartbeat interval the client cannot follow (found by the fuzzer: 1e99 overflowed the
// duration) is not a Hello: the connection is closed and opened again, and no timer starts.
TEST(GatewayProtocol, AHelloWithAnIntervalOutOfRangeIsRefused) {
    for (const json& interval : {json(0.5), json(-1), json(0), json(1e99), json("41250"),
                                 json(3'600'001), json(nullptr)}) {
        SCOPED_TRACE(interval.dump());
        GatewayProtocol p(options());
        p.start();
        p.on_connected(1);
        const json frame = {
            {"op", 10}, {"d", {{"heartbeat_interval", interval}}}, {"s", nullptr}, {"t", nullptr}};
        const Actions got = p.on_text(1, frame.dump(), kT0);
        ASSERT_FALSE(got.empty());
        EXPECT_TRUE(std::holds_alternative<CloseConnection>(got.front()));
        for (const Action& a : got)
            EXPECT_FALSE(std::holds_alternative<StartHeartbeatTimer>(a));
    }
    // The bounds themselves are followed.
    for (const int interval : {10, 3'600'000}) {
        GatewayProtocol p(options());
        p.start();
        p.on_connected(1);
        const Actions got = p.on_text(1, hello(interval), kT0);
        ASSERT_FALSE(got.empty());
        EXPECT_TRUE(std::holds_alternative<StartHeartbeatTimer>(got.front())) << interval;
    }
}

TEST(GatewayProtocol, HelloJittersTheFirstBeatAndIdentifiesExactly) {
    GatewayProtocol p(options());
    const auto open = only<OpenConnection>(p.start());
    EXPECT_EQ(open.generation, 1u);
    EXPECT_EQ(open.url, kGatewayUrl);
    EXPECT_EQ(open.delay, milliseconds{0});
    EXPECT_TRUE(p.start().empty()) << "already connecting";
    EXPECT_TRUE(p.on_connected(1).empty());
    const Actions got = p.on_text(1, hello(45000), kT0);
    ASSERT_EQ(got.size(), 2u);
    const auto first = at<StartHeartbeatTimer>(got, 0);
    EXPECT_EQ(first.generation, 1u);
    EXPECT_GE(first.delay, milliseconds{0});
    EXPECT_LE(first.delay, milliseconds{45000});
    EXPECT_EQ(sent(got, 1), identify_payload());
    // A second Hello on the same socket must not identify again (Discord closes 4005).
    EXPECT_TRUE(p.on_text(1, hello(45000), kT0).empty());

    // Same seed, same jitter; another seed, another jitter.
    auto first_delay = [](std::uint64_t seed) {
        GatewayProtocol q(options(seed));
        q.start();
        q.on_connected(1);
        return at<StartHeartbeatTimer>(q.on_text(1, hello(45000), kT0), 0).delay;
    };
    EXPECT_EQ(first_delay(42), first.delay);
    EXPECT_NE(first_delay(7), first.delay);
}

TEST(GatewayProtocol, HeartbeatCarriesTheHighestSequence) {
    GatewayProtocol p(options());
    p.start();
    p.on_connected(1);
    p.on_text(1, hello(45000), kT0);
    Actions got = p.on_heartbeat_timer(1, kT0 + seconds{10});
    ASSERT_EQ(got.size(), 2u);
    EXPECT_EQ(sent(got, 0), json::parse(R"({"op":1,"d":null})"));
    EXPECT_EQ(at<StartHeartbeatTimer>(got, 1).delay, milliseconds{45000});
    EXPECT_TRUE(p.on_text(1, kAck, kT0 + seconds{10}).empty());

    p.on_text(1, ready(5), kT0);
    p.on_text(1, dispatch("GUILD_CREATE", 7, {{"id", "1"}}), kT0);
    p.on_text(1, dispatch("GUILD_CREATE", 6, {{"id", "2"}}), kT0);  // lower: not a step back
    EXPECT_EQ(p.last_sequence(), 7);
    EXPECT_EQ(p.session_id(), "sess-1");
    EXPECT_EQ(p.resume_gateway_url(), "wss://resume.example:8443");
    EXPECT_EQ(p.application_id(), "app-9");
    got = p.on_heartbeat_timer(1, kT0 + seconds{55});
    EXPECT_EQ(sent(got, 0), json::parse(R"({"op":1,"d":7})"));
}

TEST(GatewayProtocol, ServerRequestedHeartbeatIsAnsweredAtOnceWithoutTheZombieCheck) {
    auto p = ready_protocol();
    const auto beat = only<Send>(p.on_text(1, R"({"op":1,"d":null})", kT0));
    EXPECT_EQ(beat.generation, 1u);
    EXPECT_EQ(json::parse(beat.text), json::parse(R"({"op":1,"d":1})"));
    // Its ACK has not come, yet the timer beat is a normal beat, not a zombie close.
    const Actions got = p.on_heartbeat_timer(1, kT0 + seconds{45});
    ASSERT_EQ(got.size(), 2u);
    EXPECT_EQ(sent(got, 0), json::parse(R"({"op":1,"d":1})"));
}

TEST(GatewayProtocol, MissingAckIsAZombieClosedAndResumedOnTheResumeUrl) {
    auto p = ready_protocol();
    EXPECT_TRUE(p.ready());
    p.on_text(1, dispatch("GUILD_CREATE", 4, json::object()), kT0);
    ASSERT_EQ(p.on_heartbeat_timer(1, kT0 + seconds{1}).size(), 2u);  // beat, no ACK follows
    const auto open =
        expect_close_then_open(p.on_heartbeat_timer(1, kT0 + seconds{46}), 1, kResumeUrl);
    EXPECT_FALSE(p.ready()) << "no connection interactions arrive on";
    EXPECT_GE(open.delay, milliseconds{500});
    EXPECT_LE(open.delay, milliseconds{1000});
    // The old socket's close report, timers and frames change nothing.
    EXPECT_TRUE(p.on_closed(1, 4900).empty());
    EXPECT_TRUE(p.on_heartbeat_timer(1, kT0 + seconds{47}).empty());
    EXPECT_TRUE(p.on_text(1, dispatch("GUILD_CREATE", 99, json::object()), kT0).empty());
    EXPECT_EQ(p.last_sequence(), 4);

    EXPECT_EQ(hello_on(p, 2), resume_payload(4));
    // Heartbeat state is fresh on the new socket: its first timer beats, it does not zombie.
    const Actions beat = p.on_heartbeat_timer(2, kT0 + seconds{50});
    ASSERT_EQ(beat.size(), 2u);
    EXPECT_EQ(sent(beat, 0), json::parse(R"({"op":1,"d":4})"));
    EXPECT_FALSE(p.ready()) << "resuming, not yet RESUMED";
    EXPECT_EQ(only<Dispatch>(p.on_text(2, dispatch("RESUMED", 5, nullptr), kT0)).event, "RESUMED");
    EXPECT_TRUE(p.ready());
}

TEST(GatewayProtocol, ReconnectOpcodeResumes) {
    auto p = ready_protocol();
    expect_close_then_open(p.on_text(1, R"({"op":7,"d":null})", kT0), 1, kResumeUrl);
    EXPECT_EQ(hello_on(p, 2), resume_payload(1));
}

TEST(GatewayProtocol, InvalidSessionTrueResumesFalseIdentifiesAfterOneToFiveSeconds) {
    {
        auto p = ready_protocol();
        expect_close_then_open(p.on_text(1, R"({"op":9,"d":true})", kT0), 1, kResumeUrl);
        EXPECT_EQ(hello_on(p, 2), resume_payload(1));
    }
    {
        auto p = ready_protocol();
        const auto open =
            expect_close_then_open(p.on_text(1, R"({"op":9,"d":false})", kT0), 1, kGatewayUrl);
        EXPECT_GE(open.delay, milliseconds{1000});
        EXPECT_LE(open.delay, milliseconds{5000});
        EXPECT_EQ(p.session_id(), "");
        EXPECT_FALSE(p.last_sequence().has_value());
        EXPECT_EQ(hello_on(p, 2), identify_payload());
    }
}

TEST(GatewayProtocol, FatalCloseCodesStopWithAClearReasonAndNoToken) {
    {
        auto p = ready_protocol();
        const auto stop = only<Stop>(p.on_closed(1, 4004));
        EXPECT_NE(stop.reason.find("4004"), std::string::npos);
        EXPECT_NE(stop.reason.find("authentication failed: check DISCORD_BOT_TOKEN"),
                  std::string::npos);
        EXPECT_EQ(stop.reason.find(kToken), std::string::npos);
        EXPECT_EQ(stop.cause, StopCause::token_rejected);
        EXPECT_TRUE(p.stopped());
        EXPECT_TRUE(p.start().empty()) << "no reconnect after a fatal close";
        EXPECT_TRUE(p.on_closed(1, 0).empty());
    }
    for (int code : {4010, 4011, 4012, 4013, 4014}) {
        auto p = ready_protocol();
        const auto stop = only<Stop>(p.on_closed(1, code));
        EXPECT_NE(stop.reason.find(std::to_string(code)), std::string::npos) << code;
        EXPECT_EQ(stop.reason.find(kToken), std::string::npos) << code;
        EXPECT_EQ(stop.cause, code >= 4013 ? StopCause::configuration : StopCause::failure)
            << code << ": intents are the app's settings; sharding and versions are ours";
    }
}

TEST(GatewayProtocol, SessionTimeoutAndInvalidSeqStartANewSession) {
    for (int code : {4007, 4009}) {
        auto p = ready_protocol();
        const auto open = only<OpenConnection>(p.on_closed(1, code));
        EXPECT_EQ(open.url, kGatewayUrl) << code;
        EXPECT_EQ(hello_on(p, 2), identify_payload()) << code;
    }
}

TEST(GatewayProtocol, DropsAndOtherCodesResume) {
    for (int code : {1006, 0, 1001, 4000}) {
        auto p = ready_protocol();
        const auto open = only<OpenConnection>(p.on_closed(1, code));
        EXPECT_EQ(open.generation, 2u);
        EXPECT_EQ(open.url, kResumeUrl) << code;
        EXPECT_EQ(hello_on(p, 2), resume_payload(1)) << code;
    }
    // Without a session (dropped before READY) the next socket identifies on the gateway URL.
    GatewayProtocol p(options());
    p.start();
    p.on_connected(1);
    p.on_text(1, hello(), kT0);
    EXPECT_EQ(only<OpenConnection>(p.on_closed(1, 1006)).url, kGatewayUrl);
    EXPECT_EQ(hello_on(p, 2), identify_payload());
}

TEST(GatewayProtocol, BackoffGrowsWithJitterAndIsCappedAtThirtySeconds) {
    GatewayProtocol p(options());
    p.start();
    for (int n = 1; n <= 10; ++n) {
        const auto open = only<OpenConnection>(p.on_closed(static_cast<Generation>(n), 0));
        const long long full = std::min(30000LL, 1000LL << (n - 1));
        EXPECT_GE(open.delay.count(), full / 2) << n;
        EXPECT_LE(open.delay.count(), full) << n;
    }
    // READY resets the back-off.
    p.on_connected(11);
    p.on_text(11, hello(), kT0);
    p.on_text(11, ready(), kT0);
    EXPECT_LE(only<OpenConnection>(p.on_closed(11, 1006)).delay, milliseconds{1000});
}

TEST(GatewayProtocol, OneReconnectInFlightAndOldGenerationsIgnored) {
    auto p = ready_protocol();
    expect_close_then_open(p.on_text(1, R"({"op":7,"d":null})", kT0), 1, kResumeUrl);
    EXPECT_TRUE(p.on_text(1, R"({"op":7,"d":null})", kT0).empty());
    EXPECT_TRUE(p.on_closed(1, 1006).empty());
    // The retired socket's close code is history: no stop, no lost session.
    EXPECT_TRUE(p.on_closed(1, 4004).empty());
    EXPECT_FALSE(p.stopped());
    EXPECT_TRUE(p.on_closed(1, 4009).empty());
    EXPECT_EQ(p.session_id(), "sess-1");
    EXPECT_TRUE(p.start().empty());
    // A socket we never asked for (or no longer want) is closed, keeping the session.
    const auto stray = only<CloseConnection>(p.on_connected(5));
    EXPECT_EQ(stray.generation, 5u);
    EXPECT_NE(stray.code, 1000);
    // Generation 2 fails to open: exactly one next attempt.
    EXPECT_EQ(only<OpenConnection>(p.on_closed(2, 0)).generation, 3u);
    EXPECT_TRUE(p.on_closed(2, 0).empty());
}

TEST(GatewayProtocol, TwoFailedResumesFallBackToANewSession) {
    auto p = ready_protocol();
    expect_close_then_open(p.on_text(1, R"({"op":7,"d":null})", kT0), 1, kResumeUrl);
    EXPECT_EQ(hello_on(p, 2), resume_payload(1));
    EXPECT_EQ(only<OpenConnection>(p.on_closed(2, 4000)).url, kResumeUrl);
    EXPECT_EQ(hello_on(p, 3), resume_payload(1));
    EXPECT_EQ(only<OpenConnection>(p.on_closed(3, 4000)).url, kGatewayUrl);
    EXPECT_EQ(hello_on(p, 4), identify_payload());
}

TEST(GatewayProtocol, InteractionCreateIsDispatchedWithItsData) {
    auto p = ready_protocol();
    const json d{{"id", "786008729715212338"},
                 {"type", 2},
                 {"token", "A_UNIQUE_TOKEN"},
                 {"data", {{"name", "funnel-check"}, {"type", 1}}}};
    const auto got = only<Dispatch>(p.on_text(1, dispatch("INTERACTION_CREATE", 3, d), kT0));
    EXPECT_EQ(got.event, "INTERACTION_CREATE");
    EXPECT_EQ(got.data, d);
    EXPECT_EQ(p.last_sequence(), 3);
    EXPECT_TRUE(p.on_text(1, "not json", kT0).empty());
}

// An interaction carries what funnelbot reads of it (interaction_protocol, command_runner,
// interaction_command) and nothing else: the rest of Discord's 2 KB is never built.
TEST(GatewayProtocol, InteractionCreateCarriesTheFieldsFunnelbotReads) {
    auto p = ready_protocol();
    const json user{{"id", "80351110224678912"},
                    {"username", "ana"},
                    {"global_name", "Ana"},
                    {"avatar", nullptr},
                    {"public_flags", 0}};
    const json data{{"id", "771825006014889984"},
                    {"name", "opp"},
                    {"type", 1},
                    {"options", json::array({{{"type", 1}, {"name", "list"}}})},
                    {"resolved", {{"users", {{"1", {{"username", "bo"}}}}}}}};
    json d{{"id", "786008729715212338"},
           {"application_id", "775799577604522054"},
           {"type", 2},
           {"token", "A_UNIQUE_TOKEN"},
           {"guild_id", "290926798626357999"},
           {"member",
            {{"user", user},
             {"nick", "Ana P"},
             {"permissions", "32"},
             {"roles", json::array({"41771983423143936"})},
             {"joined_at", "2024-01-15T09:30:00.000000+00:00"}}},
           {"data", data},
           {"channel", {{"id", "645027906669510667"}, {"type", 0}}},
           {"guild", {{"id", "290926798626357999"}, {"features", json::array()}}},
           {"locale", "en-US"},
           {"entitlements", json::array()},
           {"app_permissions", "2248473465835073"}};
    const json kept_user{{"id", "80351110224678912"}, {"username", "ana"}, {"global_name", "Ana"}};
    const json expected{{"id", "786008729715212338"},
                        {"application_id", "775799577604522054"},
                        {"type", 2},
                        {"token", "A_UNIQUE_TOKEN"},
                        {"guild_id", "290926798626357999"},
                        {"member", {{"user", kept_user}, {"nick", "Ana P"}, {"permissions", "32"}}},
                        {"data", data}};
    auto got = only<Dispatch>(p.on_text(1, dispatch("INTERACTION_CREATE", 3, d), kT0));
    EXPECT_EQ(got.data, expected);
    EXPECT_EQ(p.last_sequence(), 3);

    // In a DM the user comes at the top level.
    json dm = d;
    dm.erase("member");
    dm.erase("guild_id");
    dm["user"] = user;
    json expected_dm = expected;
    expected_dm.erase("member");
    expected_dm.erase("guild_id");
    expected_dm["user"] = kept_user;
    got = only<Dispatch>(p.on_text(1, dispatch("INTERACTION_CREATE", 4, dm), kT0));
    EXPECT_EQ(got.data, expected_dm);

    // A frame simdjson does not read (an integer beyond 64 bits) is parsed whole by nlohmann, as
    // before: the interaction still arrives.
    d["attachment_size_limit"] = 1;
    std::string huge = dispatch("INTERACTION_CREATE", 5, d);
    huge.replace(huge.find("\"attachment_size_limit\":1"), 25,
                 "\"attachment_size_limit\":18446744073709551616");
    got = only<Dispatch>(p.on_text(1, huge, kT0));
    EXPECT_EQ(got.data["token"], "A_UNIQUE_TOKEN");
    EXPECT_TRUE(got.data["attachment_size_limit"].is_number_float());
    EXPECT_EQ(p.last_sequence(), 5);

    // Other dispatches are not pruned: READY keeps its session (ready_protocol() checks it).
    const auto other = only<Dispatch>(p.on_text(1, dispatch("GUILD_CREATE", 6, d), kT0));
    EXPECT_EQ(other.data["channel"]["id"], "645027906669510667");
}

TEST(GatewayProtocol, SendBudgetKeepsRoomForTimerHeartbeats) {
    auto p = ready_protocol();  // the Identify was send 1 of this window
    std::size_t answered = 0;
    for (int i = 0; i < 200; ++i)
        answered += p.on_text(1, R"({"op":1})", kT0 + seconds{1}).size();
    EXPECT_EQ(answered + 1, GatewayProtocol::kSendBudget - GatewayProtocol::kHeartbeatReserve);
    // The timer beat still fits in the reserve.
    const Actions got = p.on_heartbeat_timer(1, kT0 + seconds{2});
    ASSERT_EQ(got.size(), 2u);
    EXPECT_EQ(sent(got, 0), json::parse(R"({"op":1,"d":1})"));
    // A minute later the window has moved on.
    EXPECT_EQ(p.on_text(1, R"({"op":1})", kT0 + seconds{62}).size(), 1u);
}

TEST(GatewayProtocol, ShutdownClosesWith1000AndStops) {
    auto p = ready_protocol();
    const Actions got = p.shutdown();
    ASSERT_EQ(got.size(), 2u);
    EXPECT_EQ(at<CloseConnection>(got, 0).code, 1000);
    EXPECT_EQ(at<CloseConnection>(got, 0).generation, 1u);
    EXPECT_EQ(at<Stop>(got, 1).reason.find(kToken), std::string::npos);
    EXPECT_TRUE(p.on_closed(1, 1000).empty());
}

TEST(GatewayProtocol, GetGatewayUrlGetsTheQueryWithHostAndPortKept) {
    GatewayProtocol p(options());
    p.on_gateway_url("wss://gw.example:9443/");  // Get Gateway Bot sends a trailing slash
    EXPECT_EQ(only<OpenConnection>(p.start()).url, "wss://gw.example:9443/?v=10&encoding=json");
    p.on_gateway_url("wss://gw.example:9443/?v=9");  // a stale query is replaced, not doubled
    EXPECT_EQ(only<OpenConnection>(p.on_closed(1, 0)).url,
              "wss://gw.example:9443/?v=10&encoding=json");
}

}  // namespace
}  // namespace funnelbot::bot::discord

// Slack Socket Mode, frame by frame: no sockets, only the state machine's actions.
#include <gtest/gtest.h>

#include "bot/slack/socket_mode_protocol.hpp"

namespace funnelbot::bot::slack {
namespace {

using nlohmann::json;
using std::chrono::milliseconds;

const char* kHello =
    R"({"type":"hello","num_connections":1,"debug_info":{"host":"applink-1","approximate_connection_time":18060},"connection_info":{"app_id":"A111"}})";

std::string slash(const std::string& id, const std::string& text = "") {
    return json{{"envelope_id", id},
                {"type", "slash_commands"},
                {"accepts_response_payload", true},
                {"payload",
                 {{"token", "x"},
                  {"team_id", "T111"},
                  {"channel_id", "C111"},
                  {"user_id", "U111"},
                  {"user_name", "alice"},
                  {"command", "/funnel-check"},
                  {"text", text},
                  {"response_url", "https://hooks.example/commands/T111/1/x"},
                  {"trigger_id", "1.2"}}}}
        .dump();
}

// By value: the Actions are usually a temporary.
template <class T>
T only(const Actions& actions) {
    EXPECT_EQ(actions.size(), 1u);
    EXPECT_TRUE(!actions.empty() && std::holds_alternative<T>(actions[0]));
    return std::get<T>(actions.at(0));
}

// A protocol already connected on generation 1.
SocketModeProtocol connected() {
    SocketModeProtocol p;
    const auto& open = only<OpenConnection>(p.start());
    EXPECT_EQ(open.generation, 1u);
    EXPECT_EQ(open.delay, milliseconds{0});
    EXPECT_TRUE(p.on_connected(1).empty());
    EXPECT_TRUE(p.on_text(1, kHello).empty());
    EXPECT_EQ(p.current(), 1u);
    return p;
}

TEST(SocketModeProtocol, SlashCommandRunsOnceAndItsReplyIsTheAckPayload) {
    auto p = connected();
    const Actions got = p.on_text(1, slash("E1", "@bob"));
    ASSERT_EQ(got.size(), 2u);
    const auto& run = std::get<RunCommand>(got[0]).command;
    EXPECT_EQ(run.envelope_id, "E1");
    EXPECT_EQ(run.team_id, "T111");
    EXPECT_EQ(run.user_id, "U111");
    EXPECT_EQ(run.command, "/funnel-check");
    EXPECT_EQ(run.text, "@bob");
    EXPECT_EQ(run.response_url, "https://hooks.example/commands/T111/1/x");
    EXPECT_EQ(std::get<StartAckTimer>(got[1]).after, milliseconds{1500});

    // The same envelope again while the first is running: nothing runs twice.
    EXPECT_TRUE(p.on_text(1, slash("E1", "@bob")).empty());

    const json reply{{"text", "Your funnel check"}, {"blocks", json::array()}};
    const auto& ack = only<SendFrame>(p.on_reply("E1", reply.dump()));
    EXPECT_EQ(ack.generation, 1u);
    EXPECT_EQ(json::parse(ack.text), (json{{"envelope_id", "E1"}, {"payload", reply}}));
    // The timer firing afterwards does nothing; a later redelivery gets an empty ack only.
    EXPECT_TRUE(p.on_ack_deadline("E1").empty());
    EXPECT_EQ(json::parse(only<SendFrame>(p.on_text(1, slash("E1"))).text),
              (json{{"envelope_id", "E1"}}));
}

TEST(SocketModeProtocol, AReplyWithRoomToSpareBecomesTheAckFrameInPlace) {
    auto p = connected();
    p.on_text(1, slash("E1"));
    std::string reply = R"({"text":"Your funnel check","blocks":[]})";
    const std::string expected = R"({"envelope_id":"E1","payload":)" + reply + "}";
    reply.reserve(reply.size() + SocketModeProtocol::kAckRoom);
    const char* const buffer = reply.data();

    const Actions acked = p.on_reply("E1", std::move(reply));
    ASSERT_EQ(acked.size(), 1u);
    const auto& ack = std::get<SendFrame>(acked[0]);
    EXPECT_EQ(ack.text, expected) << "the payload spliced in byte for byte";
    EXPECT_EQ(ack.text.data(), buffer) << "wrapped in the payload's own buffer";
}

TEST(SocketModeProtocol, SlowReplyIsAckedEmptyAtTheDeadlineThenPostedToResponseUrl) {
    auto p = connected();
    p.on_text(1, slash("E2"));
    EXPECT_EQ(json::parse(only<SendFrame>(p.on_ack_deadline("E2")).text),
              (json{{"envelope_id", "E2"}}));
    const json reply{{"text", "late"}};
    const auto& post = only<PostResponseUrl>(p.on_reply("E2", reply.dump()));
    EXPECT_EQ(post.url, "https://hooks.example/commands/T111/1/x");
    EXPECT_EQ(json::parse(post.body), reply);
    // A duplicate reply (nothing to send) is dropped.
    p.on_text(1, slash("E3"));
    EXPECT_EQ(json::parse(only<SendFrame>(p.on_reply("E3", std::nullopt)).text),
              (json{{"envelope_id", "E3"}}));
}

TEST(SocketModeProtocol, WarningOpensTheNextConnectionBeforeClosingTheOld) {
    auto p = connected();
    p.on_text(1, slash("E4"));
    const auto& open =
        only<OpenConnection>(p.on_text(1, R"({"type":"disconnect","reason":"warning"})"));
    EXPECT_EQ(open.generation, 2u);
    EXPECT_EQ(open.delay, milliseconds{0});
    // refresh_requested while the next one is opening: still one reconnect in flight.
    EXPECT_TRUE(p.on_text(1, R"({"type":"disconnect","reason":"refresh_requested"})").empty());
    EXPECT_TRUE(p.on_connected(2).empty());
    EXPECT_EQ(p.current(), 1u);  // envelopes still come on 1 until 2 says hello
    EXPECT_EQ(only<CloseConnection>(p.on_text(2, kHello)).generation, 1u);
    EXPECT_EQ(p.current(), 2u);
    // The reply of an envelope that came on 1 cannot go out on 1 any more: the client is closing
    // it and would drop the frame (the command done, the reply lost). It goes to response_url.
    EXPECT_EQ(only<PostResponseUrl>(p.on_reply("E4", R"({"text":"x"})")).url,
              "https://hooks.example/commands/T111/1/x");
    // Once 1 is closed, nothing reconnects: 2 is current.
    EXPECT_TRUE(p.on_closed(1).empty());
    EXPECT_TRUE(p.on_text(1, slash("E5")).empty()) << "frames of a closed socket are ignored";
    EXPECT_EQ(p.on_text(2, slash("E5")).size(), 2u);
}

TEST(SocketModeProtocol, TooManyWebsocketsClosesFirstThenReconnectsWithBackoff) {
    auto p = connected();
    EXPECT_EQ(only<CloseConnection>(
                  p.on_text(1, R"({"type":"disconnect","reason":"too_many_websockets"})"))
                  .generation,
              1u);
    const auto& open = only<OpenConnection>(p.on_closed(1));
    EXPECT_EQ(open.generation, 2u);
    EXPECT_GE(open.delay, milliseconds{500});  // first step: base 1 s with jitter in [50 %, 100 %]
    EXPECT_LE(open.delay, milliseconds{1000});
}

TEST(SocketModeProtocol, FatalErrorsStopAndEverythingAfterIsIgnored) {
    {
        auto p = connected();
        const auto& stop =
            only<Stop>(p.on_text(1, R"({"type":"disconnect","reason":"link_disabled"})"));
        EXPECT_NE(stop.reason.find("link_disabled"), std::string::npos);
        EXPECT_EQ(stop.cause, StopCause::configuration) << "Socket Mode off: a setting to fix";
        EXPECT_TRUE(p.stopped());
        EXPECT_TRUE(p.on_closed(1).empty());
        EXPECT_TRUE(p.on_text(1, slash("E6")).empty());
    }
    {
        SocketModeProtocol p;
        p.start();
        const auto& stop =
            only<Stop>(p.on_connect_failed(1, ConnectFailure{"invalid_auth", std::nullopt}));
        EXPECT_NE(stop.reason.find("SLACK_APP_TOKEN"), std::string::npos);
        EXPECT_NE(stop.reason.find("invalid_auth"), std::string::npos);
        EXPECT_EQ(stop.cause, StopCause::token_rejected);
    }
    {
        SocketModeProtocol p;
        p.start();
        const auto& stop =
            only<Stop>(p.on_connect_failed(1, ConnectFailure{"missing_scope", std::nullopt}));
        EXPECT_EQ(stop.cause, StopCause::configuration) << "the token is fine; the app is not";
    }
}

TEST(SocketModeProtocol, FailedConnectsBackOffWithJitterCappedAtThirtySeconds) {
    SocketModeProtocol p;
    p.start();
    Generation g = 1;
    milliseconds last{0};
    for (int i = 1; i <= 8; ++i) {
        const auto& open =
            only<OpenConnection>(p.on_connect_failed(g, ConnectFailure{"connect refused", {}}));
        EXPECT_EQ(open.generation, g + 1);
        // Step i is min(30 s, 1 s · 2^(i-1)); the delay lies in [step/2, step].
        const milliseconds step =
            std::min<milliseconds>(milliseconds{30000}, milliseconds{1000} * (1LL << (i - 1)));
        EXPECT_GE(open.delay, step / 2) << i;
        EXPECT_LE(open.delay, step) << i;
        last = open.delay;
        g = open.generation;
    }
    EXPECT_GE(last, milliseconds{15000});
    // A rate limit waits at least its Retry-After.
    const auto& limited = only<OpenConnection>(
        p.on_connect_failed(g, ConnectFailure{"ratelimited", milliseconds{45000}}));
    EXPECT_GE(limited.delay, milliseconds{45000});
    // A failure report for a generation that is not being opened changes nothing.
    EXPECT_TRUE(p.on_connect_failed(1, ConnectFailure{"late", {}}).empty());
    // hello resets the back-off.
    p.on_connected(limited.generation);
    p.on_text(limited.generation, kHello);
    const auto& again = only<OpenConnection>(p.on_closed(limited.generation));
    EXPECT_LE(again.delay, milliseconds{1000});
}

TEST(SocketModeProtocol, DroppedSocketWithReplyPendingFallsBackToResponseUrl) {
    auto p = connected();
    p.on_text(1, slash("E7"));
    EXPECT_EQ(only<OpenConnection>(p.on_closed(1)).generation, 2u);
    // The deadline passes with no socket: no frame to send.
    EXPECT_TRUE(p.on_ack_deadline("E7").empty());
    EXPECT_EQ(only<PostResponseUrl>(p.on_reply("E7", R"({"text":"x"})")).url,
              "https://hooks.example/commands/T111/1/x");
}

TEST(SocketModeProtocol, OtherEnvelopesAreAckedAtOnceAndJunkIsIgnored) {
    auto p = connected();
    const auto& ack = only<SendFrame>(p.on_text(
        1,
        R"({"envelope_id":"EV","type":"events_api","accepts_response_payload":false,"payload":{"event":{}}})"));
    EXPECT_EQ(json::parse(ack.text), (json{{"envelope_id", "EV"}}));
    EXPECT_TRUE(p.on_text(1, "not json").empty());
    EXPECT_TRUE(p.on_text(1, "[1,2]").empty());
    EXPECT_TRUE(p.on_text(1, R"({"type":"something_new"})").empty());
    // A slash command without a user is acknowledged, not run.
    EXPECT_EQ(
        only<SendFrame>(
            p.on_text(
                1, R"({"envelope_id":"E8","type":"slash_commands","payload":{"command":"/opp"}})"))
            .generation,
        1u);
    // A connection the protocol did not ask for is closed.
    EXPECT_EQ(only<CloseConnection>(p.on_connected(9)).generation, 9u);
}

}  // namespace
}  // namespace funnelbot::bot::slack

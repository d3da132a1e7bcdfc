// GET /gateway/bot, answer by answer: bounded retries, 401/403 stop, the session-start wait. The
// core links nothing but itself.
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <variant>

#include "bot/discord/gateway_lookup.hpp"

namespace funnelbot::bot::discord {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

TEST(IdentifyBudgetTest, WaitsForTheResetOnlyWhenNoSessionStartsRemain) {
    using nlohmann::json;
    const json plenty =
        json::parse(R"({"url":"wss://g","session_start_limit":{"total":1000,"remaining":999,)"
                    R"("reset_after":14400000,"max_concurrency":1}})");
    EXPECT_EQ(identify_wait(plenty), 0ms);
    json none = plenty;
    none["session_start_limit"]["remaining"] = 0;
    EXPECT_EQ(identify_wait(none), 14400000ms);
    none["session_start_limit"]["reset_after"] = 1e12;  // capped at a day
    EXPECT_EQ(identify_wait(none), 86400000ms);
    EXPECT_EQ(identify_wait(json::parse(R"({"url":"wss://g"})")), 0ms);
    none["session_start_limit"]["remaining"] = "0";  // not a number: no wait
    EXPECT_EQ(identify_wait(none), 0ms);
}

TEST(GatewayLookupTest, AsksAtOnceThenConnectsToTheUrlItGets) {
    GatewayLookup lookup(8);
    const auto first = lookup.start();
    ASSERT_TRUE(std::holds_alternative<LookUpGateway>(first));
    EXPECT_EQ(std::get<LookUpGateway>(first).delay, 0ms);
    EXPECT_EQ(std::get<LookUpGateway>(first).attempt, 1);
    const auto found = lookup.on_answer(200, json::parse(R"({"url":"wss://gateway.test"})"), "");
    ASSERT_TRUE(std::holds_alternative<GatewayFound>(found));
    EXPECT_EQ(std::get<GatewayFound>(found).url, "wss://gateway.test");
    EXPECT_EQ(std::get<GatewayFound>(found).identify_wait, 0ms);
}

TEST(GatewayLookupTest, RetriesWithDoublingWaitsThenGivesUp) {
    GatewayLookup lookup(4);
    lookup.start();
    auto step = lookup.on_answer(502, json(nullptr), "GET /gateway/bot: HTTP 502");
    ASSERT_TRUE(std::holds_alternative<LookUpGateway>(step));
    EXPECT_EQ(std::get<LookUpGateway>(step).delay, 500ms);
    EXPECT_EQ(std::get<LookUpGateway>(step).attempt, 2);
    EXPECT_EQ(std::get<LookUpGateway>(step).warning,
              "looking up the gateway failed (GET /gateway/bot: HTTP 502); attempt 1 of 4");
    step = lookup.on_answer(200, json::parse(R"({"shards":1})"), "");  // no url
    ASSERT_TRUE(std::holds_alternative<LookUpGateway>(step));
    EXPECT_EQ(std::get<LookUpGateway>(step).delay, 1000ms);
    EXPECT_EQ(std::get<LookUpGateway>(step).warning,
              "looking up the gateway failed (no url in the answer); attempt 2 of 4");
    step = lookup.on_answer(0, json(nullptr), "connect refused");
    ASSERT_TRUE(std::holds_alternative<LookUpGateway>(step));
    EXPECT_EQ(std::get<LookUpGateway>(step).delay, 2000ms);
    step = lookup.on_answer(0, json(nullptr), "connect refused");
    ASSERT_TRUE(std::holds_alternative<GatewayLookupFailed>(step));
    EXPECT_EQ(std::get<GatewayLookupFailed>(step).reason,
              "could not look up the Discord gateway (GET /gateway/bot) after 4 attempts: check "
              "DISCORD_API_URL and the network");
}

TEST(GatewayLookupTest, WaitsAreCappedAtThirtySeconds) {
    GatewayLookup lookup(20);
    lookup.start();
    std::chrono::milliseconds last{0};
    for (int i = 0; i < 10; ++i)
        last = std::get<LookUpGateway>(lookup.on_answer(503, json(nullptr), "x")).delay;
    EXPECT_EQ(last, 30000ms);
}

TEST(GatewayLookupTest, ARefusedTokenStopsAtOnce) {
    for (int status : {401, 403}) {
        GatewayLookup lookup(8);
        lookup.start();
        const auto step =
            lookup.on_answer(status, json::parse(R"({"message":"401: Unauthorized"})"), "");
        ASSERT_TRUE(std::holds_alternative<GatewayLookupFailed>(step));
        EXPECT_EQ(std::get<GatewayLookupFailed>(step).reason,
                  "Discord refused the bot token (HTTP " + std::to_string(status) +
                      " on GET /gateway/bot): check DISCORD_BOT_TOKEN");
    }
}

TEST(GatewayLookupTest, NoSessionStartsLeftWaitsForTheReset) {
    GatewayLookup lookup(8);
    lookup.start();
    const auto step = lookup.on_answer(
        200,
        json::parse(
            R"({"url":"wss://g","session_start_limit":{"remaining":0,"reset_after":5000}})"),
        "");
    ASSERT_TRUE(std::holds_alternative<GatewayFound>(step));
    EXPECT_EQ(std::get<GatewayFound>(step).identify_wait, 5000ms);
}

}  // namespace
}  // namespace funnelbot::bot::discord

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "bot/discord/rest_rate_limits.hpp"

namespace funnelbot::bot::discord {
namespace {

using namespace std::chrono_literals;
using TimePoint = RestRateLimits::TimePoint;

HttpResponse answer(int status, std::vector<std::pair<std::string, std::string>> headers,
                    std::string body = "") {
    HttpResponse r;
    r.status = status;
    r.headers = std::move(headers);
    r.body = std::move(body);
    return r;
}

const std::string kMessages = "POST /channels/{id}/messages";

TEST(RestRateLimitsTest, BucketFromHeadersIsCountedPerChannelUntilItsReset) {
    RestRateLimits limits;
    const TimePoint t0{};
    // Nothing known: send.
    EXPECT_EQ(limits.acquire(kMessages, "111", t0), 0ms);
    // Discord: 5 per window, 1 left, resets in 2.5 s.
    limits.on_response(kMessages, "111",
                       answer(200, {{"X-RateLimit-Limit", "5"},
                                    {"X-RateLimit-Remaining", "1"},
                                    {"X-RateLimit-Reset-After", "2.5"},
                                    {"X-RateLimit-Bucket", "abcd"}}),
                       t0);
    EXPECT_EQ(limits.acquire(kMessages, "111", t0 + 100ms), 0ms);  // the last one
    EXPECT_EQ(limits.acquire(kMessages, "111", t0 + 200ms), 2300ms);
    EXPECT_EQ(limits.acquire(kMessages, "111", t0 + 2000ms), 500ms);
    // Another channel is another bucket instance: unaffected.
    EXPECT_EQ(limits.acquire(kMessages, "222", t0 + 200ms), 0ms);
    // After the reset one request probes the new window; the others poll until its answer.
    EXPECT_EQ(limits.acquire(kMessages, "111", t0 + 2500ms), 0ms);
    EXPECT_EQ(limits.acquire(kMessages, "111", t0 + 2501ms), 50ms);
    limits.on_response(kMessages, "111",
                       answer(200, {{"X-RateLimit-Remaining", "4"},
                                    {"X-RateLimit-Reset-After", "5"},
                                    {"X-RateLimit-Bucket", "abcd"}}),
                       t0 + 2520ms);
    for (int i = 0; i < 4; ++i)
        EXPECT_EQ(limits.acquire(kMessages, "111", t0 + 2530ms), 0ms);
    EXPECT_EQ(limits.acquire(kMessages, "111", t0 + 2530ms), 4990ms);
    // A probe whose answer never comes expires after two seconds.
    EXPECT_EQ(limits.acquire(kMessages, "111", t0 + 7520ms), 0ms);
    EXPECT_EQ(limits.acquire(kMessages, "111", t0 + 9000ms), 50ms);
    EXPECT_EQ(limits.acquire(kMessages, "111", t0 + 9520ms), 0ms);
}

TEST(RestRateLimitsTest, RoutesSharingABucketHashShareTheCount) {
    RestRateLimits limits;
    const TimePoint t0{};
    const std::string edit = "PATCH /channels/{id}/messages/{id}";
    for (const auto& route : {kMessages, edit}) {
        limits.on_response(route, "9",
                           answer(200, {{"X-RateLimit-Remaining", "0"},
                                        {"X-RateLimit-Reset-After", "1"},
                                        {"X-RateLimit-Bucket", "shared"}}),
                           t0);
    }
    EXPECT_EQ(limits.acquire(kMessages, "9", t0), 1000ms);
    EXPECT_EQ(limits.acquire(edit, "9", t0 + 400ms), 600ms);
}

TEST(RestRateLimitsTest, RouteAndGlobal429s) {
    RestRateLimits limits;
    const TimePoint t0{};
    // A route 429: the JSON's fractional retry_after wins over the rounded header.
    limits.on_response(kMessages, "1",
                       answer(429, {{"Retry-After", "1"}, {"X-RateLimit-Scope", "user"}},
                              R"({"message":"You are being rate limited.","retry_after":0.25,)"
                              R"("global":false})"),
                       t0);
    EXPECT_EQ(limits.acquire(kMessages, "1", t0), 250ms);
    EXPECT_EQ(limits.acquire("POST /users/@me/channels", "", t0), 0ms);  // other routes go on
    // A global 429 holds every route, through the header or the body.
    limits.on_response("POST /users/@me/channels", "",
                       answer(429, {{"X-RateLimit-Global", "true"}, {"Retry-After", "3"}}), t0);
    EXPECT_EQ(limits.acquire("GET /gateway/bot", "", t0 + 1s), 2000ms);
    EXPECT_EQ(limits.acquire(kMessages, "2", t0 + 2999ms), 1ms);
    EXPECT_EQ(limits.acquire(kMessages, "2", t0 + 3s), 0ms);
    RestRateLimits other;
    other.on_response(kMessages, "1", answer(429, {}, R"({"retry_after":1.5,"global":true})"), t0);
    EXPECT_EQ(other.acquire("GET /gateway/bot", "", t0), 1500ms);
    // Without any wait given: one second.
    EXPECT_EQ(RestRateLimits::retry_after(answer(429, {})), 1000ms);
}

TEST(RestRateLimitsTest, RefusedRequestsStopBelowDiscordsBanThreshold) {
    RestRateLimits limits;
    const TimePoint t0{};
    for (int i = 0; i < RestRateLimits::kInvalidRequestCeiling - 1; ++i)
        limits.on_response("GET /x", "", answer(i % 2 == 0 ? 403 : 401, {}), t0);
    EXPECT_FALSE(limits.too_many_invalid(t0));
    // Shared-scope 429s do not count
    // (https://discord.com/developers/docs/topics/rate-limits#header-format).
    limits.on_response("GET /x", "", answer(429, {{"X-RateLimit-Scope", "shared"}}), t0);
    EXPECT_FALSE(limits.too_many_invalid(t0));
    limits.on_response("GET /x", "", answer(404, {}), t0);
    EXPECT_FALSE(limits.too_many_invalid(t0));
    limits.on_response("GET /x", "", answer(403, {}), t0 + 1s);
    EXPECT_TRUE(limits.too_many_invalid(t0 + 1s));
    // Ten minutes after the first ones they have aged out.
    EXPECT_FALSE(limits.too_many_invalid(t0 + 10min));
}

TEST(RestRateLimitsTest, MalformedHeadersAreIgnored) {
    RestRateLimits limits;
    const TimePoint t0{};
    limits.on_response(
        kMessages, "1",
        answer(200, {{"X-RateLimit-Remaining", "zero"}, {"X-RateLimit-Reset-After", "-4"}}), t0);
    EXPECT_EQ(limits.acquire(kMessages, "1", t0), 0ms);
    // A huge reset is capped at an hour.
    limits.on_response(
        kMessages, "1",
        answer(200, {{"X-RateLimit-Remaining", "0"}, {"X-RateLimit-Reset-After", "1e12"}}), t0);
    EXPECT_EQ(limits.acquire(kMessages, "1", t0), 3600000ms);
}

}  // namespace
}  // namespace funnelbot::bot::discord

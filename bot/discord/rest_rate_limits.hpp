// Discord's REST rate limits as bookkeeping without I/O: what the X-RateLimit-* headers and 429s
// said, and how long the next request of a route must wait. Buckets are learnt from the headers
// (never hard-coded): a route template maps to Discord's X-RateLimit-Bucket hash, and a bucket
// is counted per top-level resource (channel, guild, webhook).
// https://discord.com/developers/docs/topics/rate-limits
#pragma once

#include <chrono>
#include <deque>
#include <map>
#include <string>

#include "bot/net/https_client.hpp"

namespace funnelbot::bot::discord {

class RestRateLimits {
public:
    using Clock = std::chrono::steady_clock;
    using TimePoint = Clock::time_point;

    // 401, 403 and 429 answers (not scope "shared") count as invalid requests; Discord bans an
    // IP for a while after 10,000 in 10 minutes. We stop far below that.
    static constexpr int kInvalidRequestCeiling = 1000;
    static constexpr std::chrono::minutes kInvalidRequestWindow{10};

    // How long a request of `route` ("POST /channels/{id}/messages") on `major` (the channel id)
    // must wait before it is sent: zero means send now, and one request of the bucket's
    // remaining count is taken. Call again after waiting.
    std::chrono::milliseconds acquire(const std::string& route, const std::string& major,
                                      TimePoint now);
    // Learns from an answer: the bucket's limit, remaining count and reset, and for a 429 the
    // wait it asks for (for every route when X-RateLimit-Global / "global": true).
    void on_response(const std::string& route, const std::string& major,
                     const HttpResponse& response, TimePoint now);
    // True once kInvalidRequestCeiling invalid requests were answered within the window.
    bool too_many_invalid(TimePoint now);

    // The wait a 429 asks for: the JSON retry_after (fractional seconds), else Retry-After, else 1
    // s.
    static std::chrono::milliseconds retry_after(const HttpResponse& response);

private:
    static constexpr std::chrono::milliseconds kProbeTimeout{2000};
    static constexpr std::chrono::milliseconds kProbePoll{50};
    static constexpr std::size_t kMaxBuckets = 1000;

    struct Bucket {
        int remaining = 0;
        TimePoint reset_at;
        bool probing = false;  // the first request of a new window is out; the rest wait for it
    };
    std::string bucket_key(const std::string& route, const std::string& major) const;

    std::map<std::string, std::string> route_bucket_;  // route template → X-RateLimit-Bucket
    std::map<std::string, Bucket> buckets_;            // bucket (or route) + major → state
    TimePoint global_until_{};
    std::deque<TimePoint> invalid_;
};

}  // namespace funnelbot::bot::discord

#include "bot/discord/rest_rate_limits.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <optional>

#include "bot/protocol/retry_after.hpp"

namespace funnelbot::bot::discord {

namespace {

using std::chrono::milliseconds;

std::optional<double> number_of(const std::optional<std::string>& text) {
    if (!text) return std::nullopt;
    double value = 0;
    const char* first = text->data();
    const char* last = first + text->size();
    while (first != last && *first == ' ')
        ++first;
    const auto [end, ec] = std::from_chars(first, last, value);
    if (ec != std::errc() || end == first || !std::isfinite(value) || value < 0)
        return std::nullopt;
    return value;
}

milliseconds from_seconds(double seconds) {
    // Capped at an hour: a nonsense header must not park a route for ever.
    return milliseconds(
        static_cast<milliseconds::rep>(std::ceil(std::min(seconds, 3600.0) * 1000)));
}

bool is_true(const std::optional<std::string>& text) {
    return text && (*text == "true" || *text == "True" || *text == "1");
}

}  // namespace

std::string RestRateLimits::bucket_key(const std::string& route, const std::string& major) const {
    const auto it = route_bucket_.find(route);
    return (it != route_bucket_.end() ? it->second : route) + "|" + major;
}

milliseconds RestRateLimits::acquire(const std::string& route, const std::string& major,
                                     TimePoint now) {
    if (now < global_until_) {
        return std::chrono::ceil<milliseconds>(global_until_ - now);
    }
    const auto it = buckets_.find(bucket_key(route, major));
    if (it == buckets_.end()) return milliseconds{0};  // nothing known yet: send
    Bucket& bucket = it->second;
    if (now >= bucket.reset_at) {
        // A new window: one request goes and its answer tells the new count; the others poll
        // shortly rather than all going at once. A probe that never answers expires.
        bucket.probing = true;
        bucket.remaining = 0;
        bucket.reset_at = now + kProbeTimeout;
        return milliseconds{0};
    }
    if (bucket.remaining > 0) {
        --bucket.remaining;
        return milliseconds{0};
    }
    const auto wait =
        std::max(milliseconds{1}, std::chrono::ceil<milliseconds>(bucket.reset_at - now));
    return bucket.probing ? std::min(wait, kProbePoll) : wait;
}

void RestRateLimits::on_response(const std::string& route, const std::string& major,
                                 const HttpResponse& response, TimePoint now) {
    const bool shared_scope =
        response.header("X-RateLimit-Scope") == std::optional<std::string>("shared");
    if ((response.status == 401 || response.status == 403 || response.status == 429) &&
        !shared_scope) {
        invalid_.push_back(now);
    }
    if (const auto bucket = response.header("X-RateLimit-Bucket"); bucket && !bucket->empty()) {
        route_bucket_[route] = *bucket;
    }
    const std::string key = bucket_key(route, major);
    if (response.status == 429) {
        const auto wait = retry_after(response);
        bool global = is_true(response.header("X-RateLimit-Global")) ||
                      response.header("X-RateLimit-Scope") == std::optional<std::string>("global");
        if (!global) {
            const auto body = nlohmann::json::parse(response.body, nullptr, false);
            if (body.is_object()) {
                const auto it = body.find("global");
                global = it != body.end() && it->is_boolean() && it->get<bool>();
            }
        }
        if (global) {
            global_until_ = std::max(global_until_, now + wait);
        } else {
            auto& b = buckets_[key];
            b.remaining = 0;
            b.probing = false;
            b.reset_at = std::max(b.reset_at, now + wait);
        }
        return;
    }
    // Per-token webhook buckets would pile up: forget windows that are over.
    if (buckets_.size() > kMaxBuckets) {
        std::erase_if(buckets_, [now](const auto& entry) { return entry.second.reset_at <= now; });
    }
    const auto remaining = number_of(response.header("X-RateLimit-Remaining"));
    const auto reset_after = number_of(response.header("X-RateLimit-Reset-After"));
    if (!remaining || !reset_after) return;
    const TimePoint reset_at = now + from_seconds(*reset_after);
    const int left = static_cast<int>(*remaining);
    auto [it, fresh] = buckets_.try_emplace(key, Bucket{left, reset_at});
    if (fresh) return;
    Bucket& b = it->second;
    if (b.probing || now >= b.reset_at || reset_at > b.reset_at + milliseconds(500)) {
        b = Bucket{left, reset_at};  // a later window than the one we counted in
    } else {
        // Same window: requests taken since this one was sent are already counted locally.
        b.remaining = std::min(b.remaining, left);
        b.reset_at = std::max(b.reset_at, reset_at);
    }
}

bool RestRateLimits::too_many_invalid(TimePoint now) {
    while (!invalid_.empty() && now - invalid_.front() >= kInvalidRequestWindow)
        invalid_.pop_front();
    return static_cast<int>(invalid_.size()) >= kInvalidRequestCeiling;
}

milliseconds RestRateLimits::retry_after(const HttpResponse& response) {
    // The body's retry_after is fractional; the header is rounded up to whole seconds. Capped at
    // an hour: a nonsense value must not park a route for ever.
    constexpr milliseconds kMaxWait = std::chrono::hours(1);
    if (const auto wait = retry_after_body(response.body)) return std::min(*wait, kMaxWait);
    if (const auto header = response.header("Retry-After")) {
        if (const auto wait = retry_after_header(*header)) return std::min(*wait, kMaxWait);
    }
    return milliseconds(1000);
}

}  // namespace funnelbot::bot::discord

#include "bot/protocol/backoff.hpp"

#include <algorithm>

namespace funnelbot::bot {

std::chrono::milliseconds jittered_backoff(int failures, const BackoffPolicy& policy,
                                           std::mt19937_64& rng) {
    std::chrono::milliseconds full = policy.base;
    // Doubling stops at the cap, so no shift can overflow.
    for (int i = 1; i < failures && full < policy.cap; ++i)
        full *= 2;
    full = std::min(full, policy.cap);
    std::uniform_int_distribution<std::chrono::milliseconds::rep> jitter(full.count() / 2,
                                                                         full.count());
    return std::chrono::milliseconds{jitter(rng)};
}

}  // namespace funnelbot::bot

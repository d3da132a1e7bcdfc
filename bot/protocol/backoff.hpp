// Exponential back-off with jitter, for reconnects and retries. Randomness is passed in (a
// seeded engine), so callers and tests get reproducible delays.
#pragma once

#include <chrono>
#include <random>

namespace funnelbot::bot {

struct BackoffPolicy {
    std::chrono::milliseconds base{1000};
    std::chrono::milliseconds cap{30000};
};

// The wait after the `failures`-th failure in a row (1 for the first): base doubled per failure,
// at most cap, then a random point in [50 %, 100 %] of that step, so many clients dropped
// together do not return together.
std::chrono::milliseconds jittered_backoff(int failures, const BackoffPolicy& policy,
                                           std::mt19937_64& rng);

}  // namespace funnelbot::bot

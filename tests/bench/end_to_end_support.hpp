// What the end-to-end benchmarks (Slack, Discord) share: the funnel they load and latency
// percentiles.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "storage/records.hpp"

namespace funnelbot::testing {

// One rep with 1,000 opportunities over five product lines and 300 customers, in a Slack or
// Discord workspace.
void seed_bench_funnel(const std::string& db_path, storage::Platform platform,
                       const std::string& workspace_id, const std::string& platform_user_id,
                       const std::string& name);

// The p-th percentile (0..1, nearest rank) of `samples`; zero when there are none.
std::chrono::microseconds percentile(std::vector<std::chrono::microseconds> samples, double p);

double to_ms(std::chrono::microseconds d);

}  // namespace funnelbot::testing

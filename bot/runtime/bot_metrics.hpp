// The metrics funnelbot exposes (README "Health and metrics"), declared in one place so that a
// name recorded anywhere is one of these.
#pragma once

#include "bot/runtime/metrics.hpp"

namespace funnelbot::bot::metric {

// Counters (labels in brackets).
inline constexpr const char* kCommands = "funnelbot_commands_total";  // platform, command, result
inline constexpr const char* kReconnects = "funnelbot_reconnects_total";     // platform, reason
inline constexpr const char* kReminders = "funnelbot_reminders_total";       // platform, outcome
inline constexpr const char* kRateLimited = "funnelbot_rate_limited_total";  // platform
// Histograms.
inline constexpr const char* kReplySeconds = "funnelbot_command_reply_seconds";  // platform
// Gauges, read when rendered.
inline constexpr const char* kConnectionsUp = "funnelbot_connections_up";  // platform
inline constexpr const char* kQueueDepth = "funnelbot_worker_queue_depth";
inline constexpr const char* kDatabaseBytes = "funnelbot_database_size_bytes";

// Declares every metric above in `metrics`.
void declare_all(Metrics& metrics);

}  // namespace funnelbot::bot::metric

// What /healthz and /metrics answer (README "Health and metrics"): healthy when every configured
// platform is connected and the database answers; the metrics in Prometheus's text format with
// the gauges read at that moment (connections up, worker queue depth, database size).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "bot/net/status_server.hpp"
#include "bot/runtime/metrics.hpp"
#include "storage/database.hpp"

namespace funnelbot::bot {

class ServiceStatus {
public:
    // `metrics` has the bot's metrics declared (metric::declare_all) and outlives this.
    ServiceStatus(Metrics& metrics, std::string db_path, std::function<std::size_t()> queue_depth);

    // A configured platform ("slack", "discord") and how to ask whether it is connected.
    void add_platform(std::string name, std::function<bool()> connected);

    // Routes a GET: /healthz, /metrics; anything else 404. On the status server's thread.
    StatusAnswer answer(const std::string& path);

private:
    StatusAnswer health();

    Metrics& metrics_;
    std::string db_path_;
    std::vector<std::pair<std::string, std::function<bool()>>> platforms_;
    std::optional<storage::Database> db_;  // opened by the constructor, reopened after a failure
};

}  // namespace funnelbot::bot

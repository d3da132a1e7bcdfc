#include "bot/app/service_status.hpp"

#include <filesystem>

#include <nlohmann/json.hpp>

#include "bot/runtime/bot_metrics.hpp"

namespace funnelbot::bot {

namespace {

double file_bytes(const std::string& path) {
    std::error_code ec;
    const auto size = std::filesystem::file_size(path, ec);
    return ec ? 0 : static_cast<double>(size);
}

}  // namespace

ServiceStatus::ServiceStatus(Metrics& metrics, std::string db_path,
                             std::function<std::size_t()> queue_depth)
    : metrics_(metrics), db_path_(std::move(db_path)) {
    // Opened here, before the network thread runs: opening may migrate or undo a dead import,
    // which must not happen on that thread; /healthz then only reads the schema version.
    try {
        db_.emplace(db_path_);
    } catch (const std::exception&) {
        db_.reset();  // /healthz reports it
    }
    metrics_.read_at_render(metric::kConnectionsUp, [this] {
        std::vector<std::pair<Metrics::Labels, double>> out;
        for (const auto& [name, connected] : platforms_)
            out.push_back({{{"platform", name}}, connected() ? 1.0 : 0.0});
        return out;
    });
    metrics_.read_at_render(metric::kQueueDepth, [depth = std::move(queue_depth)] {
        return std::vector<std::pair<Metrics::Labels, double>>{{{}, static_cast<double>(depth())}};
    });
    metrics_.read_at_render(metric::kDatabaseBytes, [this] {
        return std::vector<std::pair<Metrics::Labels, double>>{
            {{}, file_bytes(db_path_) + file_bytes(db_path_ + "-wal")}};
    });
}

void ServiceStatus::add_platform(std::string name, std::function<bool()> connected) {
    platforms_.emplace_back(std::move(name), std::move(connected));
}

StatusAnswer ServiceStatus::answer(const std::string& path) {
    if (path == "/healthz") return health();
    if (path == "/metrics") {
        // https://prometheus.io/docs/instrumenting/exposition_formats/#basic-info
        return {200, "text/plain; version=0.0.4; charset=utf-8", metrics_.render()};
    }
    return {404, "text/plain; charset=utf-8", "not found: try /healthz or /metrics\n"};
}

StatusAnswer ServiceStatus::health() {
    nlohmann::json body = nlohmann::json::object();
    bool healthy = true;
    for (const auto& [name, connected] : platforms_) {
        const bool up = connected();
        body[name] = up ? "connected" : "disconnected";
        healthy = healthy && up;
    }
    try {
        if (!db_) db_.emplace(db_path_);
        db_->schema_version();
        body["database"] = "ok";
    } catch (const std::exception& e) {
        db_.reset();
        body["database"] = std::string("error: ") + e.what();
        healthy = false;
    }
    body["status"] = healthy ? "ok" : "unavailable";
    return {healthy ? 200 : 503, "application/json", body.dump() + "\n"};
}

}  // namespace funnelbot::bot

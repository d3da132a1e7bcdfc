// What the end-to-end benchmarks (Slack, Discord) share: the funnel they load and latency
// percentiles.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "storage/records.hpp"

namespace funnelbot::testing {

// One rep with 1,000 opportunities over five product lines and 300 customers, in a Slack or
// Discord workspace.
void seed_bench_funnel(const std::string& db_path, storage::Platform platform,
                       const std::string& workspace_id, const std::string& platform_user_id,
                       const std::string& name);

// What a bench runs on: the one-rep funnel above, or with `reps` > 0 a whole workspace of `reps`
// reps × `opportunities` each (tests/bench/bench_workspace.hpp), the measured rep in no team.
struct BenchData {
    int reps = 0;
    int opportunities = 250;
    // The command every sender sends, without its slash. funnel-help reads nothing from the
    // database: what the platform, the transport and the reply cost on their own.
    std::string command = "funnel-check";
    // "1,000-opportunity funnel" or "250-opportunity funnel in 200 reps × 250 (50,000)".
    std::string describe() const;
};

// Reads `--reps N`, `--opps M` and `--command NAME` (funnel-check or funnel-help) from the
// arguments, removing them (so positional arguments keep their places); exits with a message on
// a malformed value.
BenchData bench_data_from_args(std::vector<std::string>& args);

// Writes the data to `db_path` for `platform_user_id` (named `name`) in the workspace.
void prepare_bench_data(const BenchData& data, const std::string& db_path,
                        storage::Platform platform, const std::string& workspace_id,
                        const std::string& platform_user_id, const std::string& name);

// CPU time (user + system) the process `pid` has used so far, from /proc/PID/stat.
double process_cpu_seconds(int pid);

// The p-th percentile (0..1, nearest rank) of `samples`; zero when there are none.
std::chrono::microseconds percentile(std::vector<std::chrono::microseconds> samples, double p);

double to_ms(std::chrono::microseconds d);

// Turns a fake's growing record list (acks, callbacks) into per-id completions that sender
// threads wait for: one thread polls `fetch(first)` every 200 µs for the records from index
// `first` on, and files each under `id_of(record)`.
template <class Record>
class CompletionCollector {
public:
    using Fetch = std::function<std::vector<Record>(std::size_t first)>;
    using IdOf = std::function<std::string(const Record&)>;

    CompletionCollector(Fetch fetch, IdOf id_of)
        : fetch_(std::move(fetch)), id_of_(std::move(id_of)), thread_([this] { poll(); }) {}
    ~CompletionCollector() {
        done_ = true;
        thread_.join();
    }
    CompletionCollector(const CompletionCollector&) = delete;
    CompletionCollector& operator=(const CompletionCollector&) = delete;

    // The record filed under `id`, once it arrived within `timeout`; nullopt otherwise.
    std::optional<Record> wait(const std::string& id, std::chrono::milliseconds timeout) {
        std::unique_lock lock(mutex_);
        if (!arrived_.wait_for(lock, timeout, [&] { return by_id_.count(id) != 0; }))
            return std::nullopt;
        return by_id_.at(id);
    }

private:
    void poll() {
        std::size_t seen = 0;
        while (!done_) {
            auto fresh = fetch_(seen);
            if (!fresh.empty()) {
                seen += fresh.size();
                std::lock_guard lock(mutex_);
                for (auto& r : fresh)
                    by_id_[id_of_(r)] = std::move(r);
                arrived_.notify_all();
            }
            std::this_thread::sleep_for(std::chrono::microseconds(200));
        }
    }

    Fetch fetch_;
    IdOf id_of_;
    std::mutex mutex_;
    std::condition_variable arrived_;
    std::map<std::string, Record> by_id_;
    std::atomic<bool> done_{false};
    std::thread thread_;  // last: starts once everything it uses exists
};

}  // namespace funnelbot::testing

// Handlers that touch SQLite run here, never on the network thread: a few threads, each with
// its own FrontDesk (its own connection to the database).
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "commands/front_desk/front_desk.hpp"

namespace funnelbot::bot {

class WorkerPool {
public:
    using Job = std::function<void(commands::FrontDesk&)>;

    // Starts `threads` workers, each opening `db_path` (already migrated by the caller).
    WorkerPool(std::string db_path, int threads);
    // Finishes the queued jobs, then joins the workers.
    ~WorkerPool();
    WorkerPool(const WorkerPool&) = delete;
    WorkerPool& operator=(const WorkerPool&) = delete;

    // Queues a job; never blocks on the job itself. A job that throws is contained (logged and
    // counted) so one bad command cannot take a worker down; jobs that owe someone an answer
    // catch their own exceptions and answer with an error.
    void post(Job job);

    // Jobs that ended in an exception since the pool started.
    std::uint64_t failed_jobs() const { return failed_jobs_.load(); }

private:
    void run();

    std::string db_path_;
    std::mutex mutex_;
    std::condition_variable ready_;
    std::deque<Job> jobs_;
    bool stopping_ = false;
    std::atomic<std::uint64_t> failed_jobs_{0};
    std::vector<std::thread> threads_;
};

}  // namespace funnelbot::bot

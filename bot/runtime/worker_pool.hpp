// Handlers that touch SQLite run here, never on the network thread: a few threads, each with
// its own FrontDesk (its own connection to the database), behind one bounded queue.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "commands/front_desk/front_desk.hpp"

namespace funnelbot::bot {

class WorkerPool {
public:
    using Job = std::function<void(commands::FrontDesk&)>;

    // Commands waiting beyond this would miss the platforms' 3-second answer deadline anyway
    // (at about 3 ms a command on two workers), so try_post refuses them instead.
    static constexpr std::size_t kDefaultMaxQueued = 256;

    // Opens `db_path` (already migrated by the caller) once per worker, here on the calling
    // thread, so a file that cannot be opened fails the constructor (a StorageError) instead of
    // a worker thread; then starts `threads` workers.
    WorkerPool(const std::string& db_path, int threads, std::size_t max_queued = kDefaultMaxQueued);
    // Finishes the queued jobs, then joins the workers.
    ~WorkerPool();
    WorkerPool(const WorkerPool&) = delete;
    WorkerPool& operator=(const WorkerPool&) = delete;

    // Queues a job unless max_queued jobs are already waiting (then false: the caller answers
    // "busy"). Never blocks on the job itself. A job that throws is contained (logged and
    // counted) so one bad command cannot take a worker down; jobs that owe someone an answer
    // catch their own exceptions and answer with an error.
    [[nodiscard]] bool try_post(Job job);

    // Queues a job whatever the queue holds: for the bot's own occasional work (a reminder pass,
    // a command registration), never for what users send.
    void post(Job job);

    // Jobs that ended in an exception since the pool started.
    std::uint64_t failed_jobs() const { return failed_jobs_.load(); }
    // Jobs try_post refused since the pool started.
    std::uint64_t refused_jobs() const { return refused_jobs_.load(); }
    // Jobs waiting for a worker now.
    std::size_t queued() const;

private:
    void run(commands::FrontDesk& desk);
    void stop_and_join();

    std::size_t max_queued_;
    mutable std::mutex mutex_;
    std::condition_variable ready_;
    std::deque<Job> jobs_;
    bool stopping_ = false;
    std::atomic<std::uint64_t> failed_jobs_{0};
    std::atomic<std::uint64_t> refused_jobs_{0};
    std::vector<std::unique_ptr<commands::FrontDesk>> desks_;
    std::vector<std::thread> threads_;
};

}  // namespace funnelbot::bot

// Handlers that touch SQLite run here, never on the network thread: a few threads, each with
// its own connection to the database.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "storage/database.hpp"

namespace funnelbot::bot {

class WorkerPool {
public:
    using Job = std::function<void(storage::Database&)>;

    // Starts `threads` workers, each opening `db_path` (already migrated by the caller).
    WorkerPool(std::string db_path, int threads);
    // Finishes the queued jobs, then joins the workers.
    ~WorkerPool();
    WorkerPool(const WorkerPool&) = delete;
    WorkerPool& operator=(const WorkerPool&) = delete;

    // Queues a job; never blocks on the job itself. A job that throws is contained (logged)
    // so one bad command cannot take a worker down.
    void post(Job job);

private:
    void run();

    std::string db_path_;
    std::mutex mutex_;
    std::condition_variable ready_;
    std::deque<Job> jobs_;
    bool stopping_ = false;
    std::vector<std::thread> threads_;
};

}  // namespace funnelbot::bot

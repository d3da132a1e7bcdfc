#include "bot/runtime/worker_pool.hpp"

#include <spdlog/spdlog.h>

#include <exception>

namespace funnelbot::bot {

WorkerPool::WorkerPool(const std::string& db_path, int threads, std::size_t max_queued)
    : max_queued_(max_queued) {
    for (int i = 0; i < threads; ++i)
        desks_.push_back(std::make_unique<commands::FrontDesk>(db_path));
    // A connection is used by one thread at a time: the one it is handed to here.
    try {
        for (auto& desk : desks_)
            threads_.emplace_back([this, &desk = *desk] { run(desk); });
    } catch (...) {
        stop_and_join();
        throw;
    }
}

WorkerPool::~WorkerPool() {
    stop_and_join();
}

void WorkerPool::stop_and_join() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    ready_.notify_all();
    for (auto& t : threads_)
        t.join();
}

bool WorkerPool::try_post(Job job) {
    {
        std::lock_guard lock(mutex_);
        if (jobs_.size() >= max_queued_) {
            ++refused_jobs_;
            return false;
        }
        jobs_.push_back(std::move(job));
    }
    ready_.notify_one();
    return true;
}

void WorkerPool::post(Job job) {
    {
        std::lock_guard lock(mutex_);
        jobs_.push_back(std::move(job));
    }
    ready_.notify_one();
}

std::size_t WorkerPool::queued() const {
    std::lock_guard lock(mutex_);
    return jobs_.size();
}

void WorkerPool::run(commands::FrontDesk& desk) {
    while (true) {
        Job job;
        {
            std::unique_lock lock(mutex_);
            ready_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
            if (jobs_.empty()) return;  // stopping, and everything queued is done
            job = std::move(jobs_.front());
            jobs_.pop_front();
        }
        try {
            job(desk);
        } catch (const std::exception& e) {
            ++failed_jobs_;
            spdlog::error("a worker job failed: {}", e.what());
        } catch (...) {
            ++failed_jobs_;
            spdlog::error("a worker job failed with an exception that is not a std::exception");
        }
    }
}

}  // namespace funnelbot::bot

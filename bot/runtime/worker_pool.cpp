#include "bot/runtime/worker_pool.hpp"

#include <spdlog/spdlog.h>

#include <exception>

namespace funnelbot::bot {

WorkerPool::WorkerPool(std::string db_path, int threads) : db_path_(std::move(db_path)) {
    for (int i = 0; i < threads; ++i)
        threads_.emplace_back([this] { run(); });
}

WorkerPool::~WorkerPool() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    ready_.notify_all();
    for (auto& t : threads_)
        t.join();
}

void WorkerPool::post(Job job) {
    {
        std::lock_guard lock(mutex_);
        jobs_.push_back(std::move(job));
    }
    ready_.notify_one();
}

void WorkerPool::run() {
    commands::FrontDesk desk(db_path_);
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

// The worker pool: a bounded queue (try_post refuses, post never does), every accepted job run
// before the pool goes, a failing job contained, and a database that cannot be opened reported
// by the constructor rather than by a worker thread (which would end the process).
#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <stdexcept>

#include "bot/runtime/worker_pool.hpp"
#include "storage/database.hpp"
#include "tests/support/temp_database.hpp"

namespace funnelbot::bot {
namespace {

class WorkerPoolTest : public ::testing::Test {
protected:
    WorkerPoolTest() { storage::Database migrate(path_); }

    testing::TempDir dir_;
    std::string path_ = dir_.file("pool.db");
};

TEST_F(WorkerPoolTest, RefusesJobsBeyondItsQueueAndRunsEveryAcceptedOne) {
    std::atomic<int> ran{0};
    const auto count = [&](commands::FrontDesk&) { ++ran; };
    std::promise<void> release;
    std::shared_future<void> gate = release.get_future().share();
    {
        WorkerPool pool(path_, 1, 3);
        std::promise<void> started;
        ASSERT_TRUE(pool.try_post([&](commands::FrontDesk&) {
            started.set_value();
            gate.wait();
            ++ran;
        }));
        started.get_future().wait();  // the one worker holds that job; the queue is empty
        for (int i = 0; i < 3; ++i)
            ASSERT_TRUE(pool.try_post(count)) << i;
        EXPECT_EQ(pool.queued(), 3U);
        EXPECT_FALSE(pool.try_post(count));
        EXPECT_FALSE(pool.try_post(count));
        EXPECT_EQ(pool.refused_jobs(), 2U);
        pool.post(count);  // the bot's own work is never refused
        EXPECT_EQ(pool.queued(), 4U);
        release.set_value();
    }  // the destructor runs what was accepted, then joins
    EXPECT_EQ(ran.load(), 5) << "1 running + 3 accepted + 1 posted; the 2 refused never ran";
}

TEST_F(WorkerPoolTest, AJobThatThrowsIsCountedAndTheWorkerGoesOn) {
    WorkerPool pool(path_, 1);
    pool.post([](commands::FrontDesk&) { throw std::runtime_error("a bug"); });
    pool.post([](commands::FrontDesk&) { throw 42; });
    std::promise<void> ran;
    pool.post([&](commands::FrontDesk&) { ran.set_value(); });
    ran.get_future().wait();
    EXPECT_EQ(pool.failed_jobs(), 2U);
}

TEST_F(WorkerPoolTest, ADatabaseThatCannotBeOpenedFailsTheConstructor) {
    EXPECT_THROW(WorkerPool(dir_.file("no-such-directory/pool.db"), 2), storage::StorageError);
}

}  // namespace
}  // namespace funnelbot::bot

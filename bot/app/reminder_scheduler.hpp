// Friday reminders for one platform: a pass runs on its own thread and SQLite connection at start
// (catching up a pass missed while the bot was down) and then every tick; each message is handed
// to the platform's sender, which delivers it from the network thread and paces the fan-out.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "bot/runtime/metrics.hpp"
#include "bot/runtime/reminder_sender.hpp"
#include "bot/runtime/worker_pool.hpp"
#include "commands/reminders/reminder_pass.hpp"
#include "storage/records.hpp"

namespace funnelbot::bot {

struct ReminderSchedulerOptions {
    std::chrono::milliseconds tick{std::chrono::seconds(60)};
    std::chrono::seconds lease{std::chrono::minutes(10)};
    std::function<analysis::Instant()> clock;  // defaults to the system clock
    Metrics* metrics = nullptr;                // reminders counted by outcome; none: not counted
};

class ReminderScheduler {
public:
    // `passes` is a dedicated worker (one thread) so the fan-out never holds up commands. Its
    // jobs use this scheduler: join it (destroy it) before the scheduler.
    ReminderScheduler(boost::asio::io_context& io, WorkerPool& passes, storage::Platform platform,
                      ReminderSender sender, ReminderSchedulerOptions options = {});
    ~ReminderScheduler();
    ReminderScheduler(const ReminderScheduler&) = delete;
    ReminderScheduler& operator=(const ReminderScheduler&) = delete;

    void start();
    void stop();

private:
    void tick();

    boost::asio::io_context& io_;
    WorkerPool& passes_;
    storage::Platform platform_;
    ReminderSender sender_;
    ReminderSchedulerOptions options_;
    boost::asio::steady_timer timer_;
    bool running_pass_ = false;
    std::atomic<bool> stopped_{false};  // read by the pass thread
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace funnelbot::bot

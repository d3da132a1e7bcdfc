// Friday reminders for one platform: a pass runs on its own thread and SQLite connection at start
// (catching up a pass missed while the bot was down) and then every tick; each message is handed
// to the platform's sender, which delivers it from the network thread and paces the fan-out.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <atomic>
#include <chrono>
#include <functional>
#include <future>
#include <memory>
#include <optional>
#include <string>

#include "bot/worker_pool.hpp"
#include "commands/reminder_pass.hpp"
#include "storage/records.hpp"

namespace funnelbot::bot {

struct ReminderSchedulerOptions {
    std::chrono::milliseconds tick{std::chrono::seconds(60)};
    std::chrono::seconds lease{std::chrono::minutes(10)};
    std::function<analysis::Instant()> clock;  // defaults to the system clock
};

// Delivers one reminder and returns the outcome; runs on the pass thread and may block (never
// on the network thread). `stop` turns true when the scheduler stops: return soon after.
using ReminderSender = std::function<commands::Delivery(
    const commands::ReminderMessage& message, std::string& reason, const std::atomic<bool>& stop)>;

// Runs the coroutine `make()` returns on `io`'s thread and waits for its result on the calling
// thread (a pass; never `io`'s own thread): nullopt when `stop` turned true or `timeout` passed
// first. The HTTPS client's own deadlines end every call; these only make a shutdown prompt.
template <class T>
std::optional<T> await_on_io(boost::asio::io_context& io,
                             std::function<boost::asio::awaitable<T>()> make,
                             const std::atomic<bool>* stop, std::chrono::milliseconds timeout) {
    auto done = std::make_shared<std::promise<T>>();
    auto result = done->get_future();
    boost::asio::co_spawn(
        io,
        [make = std::move(make), done]() -> boost::asio::awaitable<void> {
            done->set_value(co_await make());
        },
        boost::asio::detached);
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (result.wait_for(std::chrono::milliseconds(50)) != std::future_status::ready) {
        if ((stop != nullptr && stop->load()) || std::chrono::steady_clock::now() > deadline)
            return std::nullopt;
    }
    return result.get();
}

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

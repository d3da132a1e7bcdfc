// Friday reminders over Slack: a pass runs on its own thread and SQLite connection every
// minute; each message goes out as a DM (conversations.open + chat.postMessage with Block Kit)
// from the network thread, paced for Slack's per-workspace limits.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "bot/slack/slack_web_api.hpp"
#include "bot/worker_pool.hpp"
#include "commands/reminder_pass.hpp"

namespace funnelbot::bot::slack {

struct ReminderSchedulerOptions {
    std::chrono::milliseconds tick{std::chrono::seconds(60)};
    // Slack allows about one message a second per channel and a few hundred a minute per
    // workspace; every DM is its own channel, so the workspace budget sets the pace.
    std::chrono::milliseconds pace{250};
    std::chrono::seconds lease{std::chrono::minutes(10)};
    std::function<analysis::Instant()> clock;  // defaults to the system clock
};

// What Slack's answer means for a reminder: a person who cannot be messaged is recorded and not
// retried this week; anything else is retried by a later pass.
commands::Delivery classify_delivery_error(const std::string& slack_error);

// Sends one reminder as a DM (conversations.open + chat.postMessage with Block Kit) on `io`'s
// thread and waits for the outcome; call it from another thread (a pass), never from `io`'s.
// `stop` (optional) ends the wait early.
commands::Delivery send_reminder_dm(boost::asio::io_context& io, SlackWebApi& api,
                                    const commands::ReminderMessage& message, std::string& reason,
                                    const std::atomic<bool>* stop = nullptr);

class SlackReminderScheduler {
public:
    // `api` must not retry POSTs (a retried chat.postMessage could arrive twice); `passes` is a
    // dedicated worker (one thread) so the fan-out never holds up commands.
    SlackReminderScheduler(boost::asio::io_context& io, SlackWebApi& api, WorkerPool& passes,
                           ReminderSchedulerOptions options);
    ~SlackReminderScheduler();
    SlackReminderScheduler(const SlackReminderScheduler&) = delete;
    SlackReminderScheduler& operator=(const SlackReminderScheduler&) = delete;

    // Runs a pass now (a pass missed while the bot was down catches up) and then every tick.
    void start();
    void stop();

private:
    void tick();
    commands::Delivery deliver(const commands::ReminderMessage& message, std::string& reason);

    boost::asio::io_context& io_;
    SlackWebApi& api_;
    WorkerPool& passes_;
    ReminderSchedulerOptions options_;
    boost::asio::steady_timer timer_;
    bool running_pass_ = false;
    std::atomic<bool> stopped_{false};  // read by the pass thread
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace funnelbot::bot::slack

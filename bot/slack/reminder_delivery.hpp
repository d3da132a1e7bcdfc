// Friday reminders over Slack: each message goes out as a DM (conversations.open +
// chat.postMessage with Block Kit) from the network thread, paced for Slack's per-workspace
// limits. bot/reminder_scheduler runs the passes.
#pragma once

#include <boost/asio/io_context.hpp>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "bot/runtime/reminder_sender.hpp"
#include "bot/slack/web_api.hpp"
#include "commands/reminders/reminder_pass.hpp"

namespace funnelbot::bot::slack {

// What Slack's answer means for a reminder: a person who cannot be messaged is recorded and not
// retried this week; anything else is retried by a later pass.
commands::Delivery classify_delivery_error(const std::string& slack_error);

// Sends one reminder as a DM (conversations.open + chat.postMessage with Block Kit) on `io`'s
// thread and waits for the outcome; call it from another thread (a pass), never from `io`'s.
// `stop` (optional) ends the wait early.
commands::Delivery send_reminder_dm(boost::asio::io_context& io, WebApi& api,
                                    const commands::ReminderMessage& message, std::string& reason,
                                    const std::atomic<bool>* stop = nullptr);

// The Slack sender for ReminderScheduler: send_reminder_dm, then `pace`. Slack allows about one
// message a second per channel and a few hundred a minute per workspace; every DM is its own
// channel, so the workspace budget sets the pace. `api` must not retry POSTs (a retried
// chat.postMessage could arrive twice).
ReminderSender slack_reminder_sender(
    boost::asio::io_context& io, WebApi& api,
    std::chrono::milliseconds pace = std::chrono::milliseconds(250));

}  // namespace funnelbot::bot::slack

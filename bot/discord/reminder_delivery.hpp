// Friday reminders over Discord: POST /users/@me/channels for the DM channel, then a message
// with the reply as an embed. The REST client's buckets pace the fan-out; a nonce with
// enforce_nonce makes a retried send return the first message instead of posting a second.
#pragma once

#include <boost/asio/io_context.hpp>

#include <atomic>
#include <string>

#include "bot/discord/rest_api.hpp"
#include "bot/runtime/reminder_sender.hpp"
#include "commands/reminders/reminder_pass.hpp"

namespace funnelbot::bot::discord {

// What Discord's answer means for a reminder: a person who cannot be messaged (50007: DMs
// closed or no shared server; 10013: unknown user; 50033: invalid recipient) is recorded and not
// retried this week; anything else is retried by a later pass.
commands::Delivery classify_delivery_error(const DiscordCall& call);

// The Create Message body for a reminder: one embed, no mentions, the nonce (at most 25
// characters) unique per person and ISO week.
nlohmann::json reminder_message_body(const commands::ReminderMessage& message);

// Sends one reminder as a DM on `io`'s thread and waits for the outcome; call it from a pass
// thread, never from `io`'s. `stop` (optional) ends the wait early.
commands::Delivery send_reminder_dm(boost::asio::io_context& io, RestApi& rest,
                                    const commands::ReminderMessage& message, std::string& reason,
                                    const std::atomic<bool>* stop = nullptr);

// The Discord sender for ReminderScheduler.
ReminderSender discord_reminder_sender(boost::asio::io_context& io, RestApi& rest);

}  // namespace funnelbot::bot::discord

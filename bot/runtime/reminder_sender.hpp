// How a platform delivers one Friday reminder: the seam between the reminder scheduler (bot/app)
// and each platform's delivery (bot/slack, bot/discord).
#pragma once

#include <atomic>
#include <functional>
#include <string>

#include "commands/reminders/reminder_pass.hpp"

namespace funnelbot::bot {

// Delivers one reminder and returns the outcome; runs on the pass thread and may block (never
// on the network thread). `stop` turns true when the scheduler stops: return soon after.
using ReminderSender = std::function<commands::Delivery(
    const commands::ReminderMessage& message, std::string& reason, const std::atomic<bool>& stop)>;

}  // namespace funnelbot::bot

#include "bot/discord/reminder_delivery.hpp"

#include <spdlog/spdlog.h>

#include "bot/discord/embed_renderer.hpp"
#include "bot/net/await_on_io.hpp"

namespace funnelbot::bot::discord {

namespace asio = boost::asio;

commands::Delivery classify_delivery_error(const DiscordCall& call) {
    if (call.code == kCannotMessageUser || call.code == 10013 || call.code == 50033) {
        return commands::Delivery::undeliverable;
    }
    return commands::Delivery::failed;
}

nlohmann::json reminder_message_body(const commands::ReminderMessage& message) {
    nlohmann::json body = nlohmann::json::parse(render_discord_message(message.reply, false));
    body.erase("flags");
    // "r" + "2026-W48" + "-" + the user's row id: 25 characters hold ids below 10^15.
    body["nonce"] = "r" + message.iso_week + "-" + std::to_string(message.user.id);
    body["enforce_nonce"] = true;
    return body;
}

commands::Delivery send_reminder_dm(asio::io_context& io, RestApi& rest,
                                    const commands::ReminderMessage& message, std::string& reason,
                                    const std::atomic<bool>* stop) {
    using Outcome = std::pair<commands::Delivery, std::string>;
    const auto outcome = await_on_io<Outcome>(
        io,
        [&rest, user = message.user.platform_user_id,
         body = reminder_message_body(message)]() -> asio::awaitable<Outcome> {
            const DiscordCall dm = co_await rest.create_dm(user);
            if (!dm.ok()) co_return Outcome{classify_delivery_error(dm), dm.error};
            std::string channel;
            if (dm.body.is_object() && dm.body.contains("id") && dm.body["id"].is_string())
                channel = dm.body["id"].get<std::string>();
            if (channel.empty())
                co_return Outcome{commands::Delivery::failed, "Create DM returned no channel id"};
            const DiscordCall posted = co_await rest.create_message(channel, body);
            co_return Outcome{
                posted.ok() ? commands::Delivery::delivered : classify_delivery_error(posted),
                posted.error};
        },
        stop, std::chrono::minutes(2));
    if (!outcome) {
        reason = stop != nullptr && stop->load() ? "stopping" : "timed out";
        return commands::Delivery::failed;
    }
    reason = outcome->second;
    if (outcome->first != commands::Delivery::delivered) {
        spdlog::warn("Discord reminder to a user not delivered: {}", reason);
    }
    return outcome->first;
}

ReminderSender discord_reminder_sender(asio::io_context& io, RestApi& rest) {
    return [&io, &rest](const commands::ReminderMessage& message, std::string& reason,
                        const std::atomic<bool>& stop) {
        return send_reminder_dm(io, rest, message, reason, &stop);
    };
}

}  // namespace funnelbot::bot::discord

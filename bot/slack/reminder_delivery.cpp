#include "bot/slack/reminder_delivery.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <thread>

#include "bot/net/await_on_io.hpp"
#include "bot/protocol/json_fields.hpp"
#include "bot/slack/block_kit_renderer.hpp"

namespace funnelbot::bot::slack {

namespace asio = boost::asio;

commands::Delivery classify_delivery_error(const std::string& slack_error) {
    static constexpr std::array<std::string_view, 8> kUnreachable{
        "user_not_found",   "user_disabled",     "user_not_visible", "cannot_dm_bot",
        "account_inactive", "channel_not_found", "is_archived",      "not_in_channel"};
    return std::find(kUnreachable.begin(), kUnreachable.end(), slack_error) != kUnreachable.end()
               ? commands::Delivery::undeliverable
               : commands::Delivery::failed;
}

commands::Delivery send_reminder_dm(asio::io_context& io, WebApi& api,
                                    const commands::ReminderMessage& message, std::string& reason,
                                    const std::atomic<bool>* stop) {
    // chat.postMessage takes the message without response_type, with the DM's channel.
    nlohmann::json body = nlohmann::json::parse(render_block_kit(message.reply));
    body.erase("response_type");
    using Outcome = std::pair<commands::Delivery, std::string>;
    const auto outcome = await_on_io<Outcome>(
        io,
        [&api, user = message.user.platform_user_id,
         body = std::move(body)]() mutable -> asio::awaitable<Outcome> {
            const SlackCall dm = co_await api.conversations_open(user);
            if (!dm.ok) co_return Outcome{classify_delivery_error(dm.error), dm.error};
            body["channel"] = text_of(object_of(dm.body, "channel"), "id");
            const SlackCall posted = co_await api.post_message(body);
            co_return Outcome{
                posted.ok ? commands::Delivery::delivered : classify_delivery_error(posted.error),
                posted.error};
        },
        stop, std::chrono::minutes(1));
    if (!outcome) {
        reason = stop != nullptr && stop->load() ? "stopping" : "timed out";
        return commands::Delivery::failed;
    }
    reason = outcome->second;
    if (outcome->first != commands::Delivery::delivered) {
        spdlog::warn("Slack reminder to a user not delivered: {}", reason);
    }
    return outcome->first;
}

ReminderSender slack_reminder_sender(asio::io_context& io, WebApi& api,
                                     std::chrono::milliseconds pace) {
    return [&io, &api, pace](const commands::ReminderMessage& message, std::string& reason,
                             const std::atomic<bool>& stop) {
        const auto delivery = send_reminder_dm(io, api, message, reason, &stop);
        std::this_thread::sleep_for(pace);
        return delivery;
    };
}

}  // namespace funnelbot::bot::slack

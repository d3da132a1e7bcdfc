#include "bot/slack/reminder_delivery.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>

#include <algorithm>
#include <array>
#include <future>
#include <thread>

#include "commands/block_kit_renderer.hpp"

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

SlackReminderScheduler::SlackReminderScheduler(asio::io_context& io, SlackWebApi& api,
                                               WorkerPool& passes, ReminderSchedulerOptions options)
    : io_(io), api_(api), passes_(passes), options_(std::move(options)), timer_(io) {
    if (!options_.clock) {
        options_.clock = [] {
            return std::chrono::time_point_cast<std::chrono::seconds>(
                std::chrono::system_clock::now());
        };
    }
}

SlackReminderScheduler::~SlackReminderScheduler() {
    *alive_ = false;
}

void SlackReminderScheduler::start() {
    tick();
}

void SlackReminderScheduler::stop() {
    stopped_ = true;
    timer_.cancel();
}

void SlackReminderScheduler::tick() {
    if (stopped_) return;
    if (!running_pass_) {
        running_pass_ = true;
        passes_.post([this, alive = std::weak_ptr<bool>(alive_)](storage::Database& db) {
            commands::ReminderPassOptions options;
            options.platform = storage::Platform::slack;
            options.lease = options_.lease;
            const auto counts = commands::run_reminder_pass(
                db, options_.clock(), options,
                [&](const commands::ReminderMessage& m, std::string& reason) {
                    return deliver(m, reason);
                });
            asio::post(io_, [this, alive, counts] {
                if (alive.expired()) return;
                running_pass_ = false;
                if (counts.sent + counts.undeliverable + counts.failed > 0) {
                    spdlog::info("Slack reminders: {}", commands::describe_counts(counts));
                }
            });
        });
    }
    timer_.expires_after(options_.tick);
    timer_.async_wait([this, alive = std::weak_ptr<bool>(alive_)](boost::system::error_code ec) {
        if (!ec && !alive.expired()) tick();
    });
}

commands::Delivery send_reminder_dm(asio::io_context& io, SlackWebApi& api,
                                    const commands::ReminderMessage& message, std::string& reason,
                                    const std::atomic<bool>* stop) {
    nlohmann::json body = commands::render_block_kit(message.reply);
    body.erase("response_type");
    std::promise<std::pair<commands::Delivery, std::string>> done;
    auto result = done.get_future();
    asio::co_spawn(
        io,
        [&api, user = message.user.platform_user_id, body = std::move(body),
         done = std::move(done)]() mutable -> asio::awaitable<void> {
            const SlackCall dm = co_await api.conversations_open(user);
            if (!dm.ok) {
                done.set_value({classify_delivery_error(dm.error), dm.error});
                co_return;
            }
            body["channel"] = dm.body["channel"].value("id", std::string());
            const SlackCall posted = co_await api.post_message(body);
            done.set_value(
                {posted.ok ? commands::Delivery::delivered : classify_delivery_error(posted.error),
                 posted.error});
        },
        asio::detached);
    // The HTTPS client's deadlines end every call; a shutdown ends the wait sooner.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(1);
    while (result.wait_for(std::chrono::milliseconds(100)) != std::future_status::ready) {
        const bool stopping = stop != nullptr && stop->load();
        if (stopping || std::chrono::steady_clock::now() > deadline) {
            reason = stopping ? "stopping" : "timed out";
            return commands::Delivery::failed;
        }
    }
    auto [delivery, error] = result.get();
    reason = error;
    if (delivery != commands::Delivery::delivered) {
        spdlog::warn("Slack reminder to a user not delivered: {}", error);
    }
    return delivery;
}

commands::Delivery SlackReminderScheduler::deliver(const commands::ReminderMessage& message,
                                                   std::string& reason) {
    if (stopped_) return commands::Delivery::failed;
    const auto delivery = send_reminder_dm(io_, api_, message, reason, &stopped_);
    std::this_thread::sleep_for(options_.pace);
    return delivery;
}

}  // namespace funnelbot::bot::slack

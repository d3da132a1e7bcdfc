#include "bot/app/reminder_scheduler.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio/post.hpp>

#include "bot/runtime/bot_metrics.hpp"

namespace funnelbot::bot {

namespace asio = boost::asio;

namespace {

const char* platform_name(storage::Platform platform) {
    switch (platform) {
        case storage::Platform::slack:
            return "Slack";
        case storage::Platform::discord:
            return "Discord";
        default:
            return "Console";
    }
}

}  // namespace

ReminderScheduler::ReminderScheduler(asio::io_context& io, WorkerPool& passes,
                                     storage::Platform platform, ReminderSender sender,
                                     ReminderSchedulerOptions options)
    : io_(io),
      passes_(passes),
      platform_(platform),
      sender_(std::move(sender)),
      options_(std::move(options)),
      timer_(io) {
    if (!options_.clock) {
        options_.clock = [] {
            return std::chrono::time_point_cast<std::chrono::seconds>(
                std::chrono::system_clock::now());
        };
    }
}

ReminderScheduler::~ReminderScheduler() {
    *alive_ = false;
}

void ReminderScheduler::start() {
    tick();
}

void ReminderScheduler::stop() {
    stopped_ = true;
    timer_.cancel();
}

void ReminderScheduler::tick() {
    if (stopped_) return;
    if (!running_pass_) {
        running_pass_ = true;
        passes_.post([this, alive = std::weak_ptr<bool>(alive_)](commands::FrontDesk& desk) {
            commands::ReminderPassOptions options;
            options.platform = platform_;
            options.lease = options_.lease;
            // After stop() nothing more is claimed or built: the rest waits for the next run.
            options.stop_requested = [this] { return stopped_.load(); };
            commands::ReminderCounts counts;
            try {
                counts = desk.run_reminder_pass(
                    options_.clock(), options,
                    [&](const commands::ReminderMessage& m, std::string& reason) {
                        if (stopped_) return commands::Delivery::failed;
                        return sender_(m, reason, stopped_);
                    });
            } catch (const std::exception& e) {
                // Claims already taken lapse after the lease; the next tick runs a new pass.
                spdlog::error("{} reminders: the pass failed: {}", platform_name(platform_),
                              e.what());
            }
            asio::post(io_, [this, alive, counts] {
                if (alive.expired()) return;
                running_pass_ = false;
                if (options_.metrics != nullptr) {
                    const char* platform = platform_ == storage::Platform::slack     ? "slack"
                                           : platform_ == storage::Platform::discord ? "discord"
                                                                                     : "console";
                    for (const auto& [outcome, n] : {std::pair{"sent", counts.sent},
                                                     std::pair{"skipped", counts.undeliverable},
                                                     std::pair{"failed", counts.failed}}) {
                        if (n > 0) {
                            options_.metrics->add(metric::kReminders,
                                                  {{"platform", platform}, {"outcome", outcome}},
                                                  n);
                        }
                    }
                }
                if (counts.sent + counts.undeliverable + counts.failed > 0) {
                    spdlog::info("{} reminders: {}", platform_name(platform_),
                                 commands::describe_counts(counts));
                }
            });
        });
    }
    timer_.expires_after(options_.tick);
    timer_.async_wait([this, alive = std::weak_ptr<bool>(alive_)](boost::system::error_code ec) {
        if (!ec && !alive.expired()) tick();
    });
}

}  // namespace funnelbot::bot

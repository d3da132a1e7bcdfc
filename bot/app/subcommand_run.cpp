// `funnelbot run`: serves Slack and/or Discord from one process until SIGINT/SIGTERM or a
// fatal error.
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <functional>
#include <optional>
#include <random>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

#include "bot/app/exit_status.hpp"
#include "bot/app/reminder_scheduler.hpp"
#include "bot/app/service_notifier.hpp"
#include "bot/app/service_status.hpp"
#include "bot/app/subcommands.hpp"
#include "bot/discord/command_registration.hpp"
#include "bot/discord/gateway_client.hpp"
#include "bot/discord/reminder_delivery.hpp"
#include "bot/net/https_client.hpp"
#include "bot/net/status_server.hpp"
#include "bot/net/tls_context.hpp"
#include "bot/protocol/stop_cause.hpp"
#include "bot/runtime/bot_metrics.hpp"
#include "bot/runtime/worker_pool.hpp"
#include "bot/slack/reminder_delivery.hpp"
#include "bot/slack/socket_mode_client.hpp"
#include "storage/database.hpp"

#ifndef FUNNELBOT_VERSION
#define FUNNELBOT_VERSION "0.0.0"
#endif

namespace funnelbot::bot {

// Serves the configured platforms until SIGINT/SIGTERM or a fatal error (exit 1).
int run_platforms(const RuntimeConfig& config, const std::string& db_path) {
    namespace asio = boost::asio;
    const auto slack_base = Url::parse(config.slack_api_url);
    if (config.slack_enabled() && !slack_base) {
        spdlog::error("SLACK_API_URL must be an https:// URL, such as https://slack.com/api/");
        return exit_code(ExitStatus::configuration);
    }
    const auto discord_base = Url::parse(config.discord_api_url);
    if (config.discord_enabled() && !discord_base) {
        spdlog::error(
            "DISCORD_API_URL must be an https:// URL, such as https://discord.com/api/v10");
        return exit_code(ExitStatus::configuration);
    }
    { storage::Database migrate(db_path); }  // workers open a migrated file

    // Declaration order is teardown order in reverse: the workers (which post to io) go before io,
    // the metrics (which their jobs record to) after them.
    Metrics metrics;
    metric::declare_all(metrics);
    const auto count_429 = [&metrics](const char* platform) {
        return [&metrics, platform] {
            metrics.add(metric::kRateLimited, {{"platform", platform}});
        };
    };
    asio::io_context io;
    auto tls = make_client_tls_context();
    HttpOptions slack_options;
    slack_options.on_rate_limited = count_429("slack");
    HttpsClient http(io.get_executor(), tls, slack_options);
    WorkerPool workers(db_path, 2);
    // Slack reminders are sent without retried POSTs (chat.postMessage has no idempotency key).
    HttpOptions once = slack_options;
    once.max_attempts = 1;
    HttpsClient delivery_http(io.get_executor(), tls, once);
    // Discord: callbacks get their own connections so they never queue behind other requests.
    HttpOptions discord_options = discord::http_options(FUNNELBOT_VERSION);
    discord_options.on_rate_limited = count_429("discord");
    HttpsClient discord_http(io.get_executor(), tls, discord_options);
    HttpOptions callback_options = discord::callback_http_options(FUNNELBOT_VERSION);
    callback_options.on_rate_limited = count_429("discord");
    HttpsClient discord_callbacks(io.get_executor(), tls, callback_options);

    std::optional<slack::SocketModeClient> slack;
    std::optional<slack::WebApi> slack_delivery;
    std::optional<ReminderScheduler> slack_reminders;
    std::optional<discord::RestApi> discord_rest;
    std::optional<discord::GatewayClient> discord;
    std::optional<discord::CommandRegistration> discord_registration;
    std::optional<ReminderScheduler> discord_reminders;
    // Reminders: their own thread and connection, so a fan-out never holds up commands. Declared
    // after the schedulers, so these threads are joined before the schedulers they run go.
    WorkerPool reminder_thread(db_path, 1);
    WorkerPool discord_reminder_thread(db_path, 1);
    ReminderSchedulerOptions counted_reminders;
    counted_reminders.metrics = &metrics;
    if (config.slack_enabled()) {
        slack::SocketModeConfig slack_config;
        slack_config.api_base = *slack_base;
        slack_config.app_token = *config.slack_app_token;
        slack_config.bot_token = *config.slack_bot_token;
        slack_config.default_tz = config.default_tz;
        slack_config.admins = config.admins;
        slack_config.metrics = &metrics;
        slack.emplace(io, tls, http, workers, slack_config);
        slack_delivery.emplace(delivery_http, *slack_base, *config.slack_app_token,
                               *config.slack_bot_token);
        slack_reminders.emplace(io, reminder_thread, storage::Platform::slack,
                                slack::slack_reminder_sender(io, *slack_delivery),
                                counted_reminders);
    }
    if (config.discord_enabled()) {
        discord_rest.emplace(io.get_executor(), discord_http, discord_callbacks,
                             discord::RestApiOptions{*discord_base, *config.discord_bot_token});
        discord::GatewayConfig discord_config;
        discord_config.application_id = config.discord_application_id.value_or("");
        discord_config.interactions.default_tz = config.default_tz;
        discord_config.interactions.admins = config.admins;
        discord_config.metrics = &metrics;
        discord_config.protocol.token = *config.discord_bot_token;
        discord_config.protocol.seed = std::random_device{}();
        discord_config.websocket.user_agent = discord_options.user_agent;
        discord.emplace(io, tls, *discord_rest, workers, discord_config);
        discord_registration.emplace(
            io, *discord_rest, workers,
            discord::RegistrationConfig{config.discord_application_id.value_or(""),
                                        config.discord_guild_id.value_or("")});
        discord_reminders.emplace(io, discord_reminder_thread, storage::Platform::discord,
                                  discord::discord_reminder_sender(io, *discord_rest),
                                  counted_reminders);
    }

    // /healthz and /metrics, only when asked for (FUNNELBOT_METRICS_ADDR).
    ServiceStatus status(metrics, db_path, [&workers] { return workers.queued(); });
    if (slack) status.add_platform("slack", [&slack] { return slack->connected(); });
    if (discord) status.add_platform("discord", [&discord] { return discord->connected(); });
    std::optional<StatusServer> status_server;
    if (config.metrics_addr) {
        try {
            status_server.emplace(
                io.get_executor(), *config.metrics_addr,
                [&status](const std::string& path) { return status.answer(path); });
        } catch (const std::exception& e) {
            spdlog::error("FUNNELBOT_METRICS_ADDR: {}", e.what());
            return exit_code(ExitStatus::configuration);
        }
        spdlog::info("health and metrics on http://{}/healthz and /metrics (port {})",
                     *config.metrics_addr, status_server->port());
    }
    // Stopping, in order: on the first SIGTERM/SIGINT, stop taking work (reminders stop, new
    // commands are answered "restarting") while the commands in flight finish and are answered
    // (up to kDrainTime); then close every WebSocket with 1000 (handshakes bounded by
    // kCloseTime); then fold the WAL into the file and exit 0. A second signal exits at once.
    // The close also waits until no command has arrived for kQuietTime: commands already on the
    // socket when the signal came are read and answered, where a close would leave them unacked
    // (no frame may follow a close frame).
    constexpr auto kDrainTime = std::chrono::seconds(10);
    constexpr auto kQuietTime = std::chrono::milliseconds(200);
    constexpr auto kCloseTime = std::chrono::seconds(3);
    using Clock = std::chrono::steady_clock;
    ExitStatus status_on_exit = ExitStatus::ok;
    // systemd (Type=notify) hears READY once every configured platform is connected.
    const auto notifier =
        ServiceNotifier::from_environment([](const char* name) { return std::getenv(name); });
    bool ready_told = false;
    std::optional<Clock::time_point> drain_until;
    std::optional<Clock::time_point> close_until;
    asio::signal_set signals(io, SIGINT, SIGTERM);
    const auto in_flight = [&] {
        return (slack ? slack->pending_commands() : 0) +
               (discord ? discord->pending_interactions() : 0);
    };
    const auto last_arrival = [&] {
        return std::max(slack ? slack->last_arrival() : Clock::time_point{},
                        discord ? discord->last_arrival() : Clock::time_point{});
    };
    auto close_all = [&] {
        if (close_until) return;
        if (slack_reminders) slack_reminders->stop();
        if (discord_reminders) discord_reminders->stop();
        if (slack) slack->stop();
        if (discord_registration) discord_registration->stop();
        if (discord) discord->stop();
        http.close_idle();
        delivery_http.close_idle();
        discord_http.close_idle();
        discord_callbacks.close_idle();
        if (status_server) status_server->close();
        // Back to the default action: a signal now ends the process at once.
        boost::system::error_code ignored;
        signals.clear(ignored);
        signals.cancel(ignored);
        // Close handshakes are bounded; whatever is still running after this is cut.
        close_until = Clock::now() + kCloseTime;
    };
    auto drain = [&] {
        if (drain_until || close_until) return;
        notifier.stopping();
        if (slack_reminders) slack_reminders->stop();
        if (discord_reminders) discord_reminders->stop();
        if (slack) slack->drain();
        if (discord) discord->drain();
        drain_until = Clock::now() + kDrainTime;
    };
    std::function<void()> await_signal = [&] {
        signals.async_wait([&](boost::system::error_code ec, int signal) {
            if (ec) return;
            if (drain_until || close_until) {
                spdlog::warn("stopping at once (a second signal)");
                std::_Exit(128 + signal);
            }
            spdlog::info(
                "stopping: finishing {} command(s) in flight (up to {} s); a second "
                "signal stops at once",
                in_flight(), kDrainTime.count());
            drain();
            await_signal();
        });
    };
    await_signal();
    // A fatal error on one platform stops the process: a half-working bot would hide it. The exit
    // status says whether a restart can help (exit_status.hpp).
    auto on_fatal = [&](std::string reason) {
        if (reason.empty()) return;  // a requested stop
        const auto cause_of = [](StopCause cause) {
            switch (cause) {
                case StopCause::token_rejected:
                    return ExitStatus::token_rejected;
                case StopCause::configuration:
                    return ExitStatus::configuration;
                case StopCause::failure:
                    break;
            }
            return ExitStatus::failure;
        };
        status_on_exit = ExitStatus::failure;
        if (slack && slack->stop_cause() != StopCause::failure) {
            status_on_exit = cause_of(slack->stop_cause());
        } else if (discord && discord->stop_cause() != StopCause::failure) {
            status_on_exit = cause_of(discord->stop_cause());
        }
        notifier.status(reason);
        close_all();
    };
    notifier.status(slack && discord ? "connecting to Slack and Discord"
                    : slack          ? "connecting to Slack"
                                     : "connecting to Discord");
    spdlog::info("funnelbot {}: connecting to {} (database {})", FUNNELBOT_VERSION,
                 slack && discord ? "Slack and Discord"
                 : slack          ? "Slack"
                                  : "Discord",
                 db_path);
    if (slack) {
        slack->start(on_fatal);
        slack_reminders->start();
    }
    if (discord) {
        discord_registration->start(on_fatal);
        discord->start(on_fatal);
        discord_reminders->start();
    }
    // Runs until there is no work left (a clean stop) or the shutdown deadline passes.
    while (!io.stopped()) {
        io.run_for(std::chrono::milliseconds(100));
        const auto now = Clock::now();
        if (!ready_told && !drain_until && !close_until && (!slack || slack->connected()) &&
            (!discord || discord->connected())) {
            ready_told = true;
            notifier.ready();
            notifier.status("serving");
        }
        const bool settled = in_flight() == 0 && now - last_arrival() >= kQuietTime;
        if (drain_until && !close_until && (settled || now > *drain_until)) {
            if (in_flight() != 0) {
                spdlog::warn("stopping: {} command(s) still unanswered after {} s", in_flight(),
                             kDrainTime.count());
            }
            close_all();
        }
        if (close_until && now > *close_until) io.stop();
    }
    // The file alone holds everything from here (a copy or an upgrade needs no -wal beside it).
    try {
        storage::Database(db_path).checkpoint();
    } catch (const std::exception& e) {
        spdlog::warn("stopping: could not fold the write-ahead log into the file: {}", e.what());
    }
    spdlog::info("stopped");
    return exit_code(status_on_exit);
}

}  // namespace funnelbot::bot

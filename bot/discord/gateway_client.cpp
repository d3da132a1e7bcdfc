#include "bot/discord/gateway_client.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>

#include "bot/discord/embed_renderer.hpp"
#include "bot/discord/gateway_lookup.hpp"
#include "bot/protocol/json_fields.hpp"
#include "bot/runtime/bot_metrics.hpp"
#include "commands/failure_reply.hpp"

namespace funnelbot::bot::discord {

namespace asio = boost::asio;
using nlohmann::json;

namespace {

// The command's name, as the metrics label it.
std::string command_name(const json& interaction) {
    return text_of(object_of(interaction, "data"), "name");
}

// Counts one answered interaction (any thread: Metrics locks).
void count_command(Metrics* metrics, const std::string& command, const std::string& result,
                   std::chrono::steady_clock::time_point arrived) {
    if (metrics == nullptr) return;
    metrics->add(metric::kCommands,
                 {{"platform", "discord"}, {"command", command}, {"result", result}});
    metrics->observe(
        metric::kReplySeconds, {{"platform", "discord"}},
        std::chrono::duration<double>(std::chrono::steady_clock::now() - arrived).count());
}

// Why a connection ended, in a few words a metric label can hold.
const char* end_reason(const CloseInfo& info) {
    if (info.stale) return "stale";
    if (info.by_us) return "closed_by_us";
    return info.code != 0 ? "closed_by_discord" : "dropped";
}

analysis::Instant now_seconds() {
    return std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
}

std::string already_handled() {
    commands::Reply reply;
    reply.title = "Already handled";
    reply.summary = "This command was already handled; nothing was done twice.";
    return render_discord_message(reply, true);
}

CallOutcome outcome_of(const DiscordCall& call) {
    CallOutcome outcome;
    outcome.ok = call.ok();
    outcome.code = call.code;
    outcome.error = call.error;
    return outcome;
}

}  // namespace

GatewayClient::GatewayClient(asio::io_context& io, asio::ssl::context& tls, RestApi& rest,
                             WorkerPool& workers, GatewayConfig config)
    : io_(io),
      tls_(tls),
      rest_(rest),
      workers_(workers),
      config_(std::move(config)),
      protocol_(config_.protocol),
      interactions_(config_.answering, already_handled()) {
    interactions_.set_application_id(config_.application_id);
}

GatewayClient::~GatewayClient() {
    *alive_ = false;
}

void GatewayClient::start(std::function<void(std::string)> on_stopped) {
    on_stopped_ = std::move(on_stopped);
    asio::co_spawn(
        io_,
        [this, alive = std::weak_ptr<bool>(alive_)]() -> asio::awaitable<void> {
            // GatewayLookup decides; this only waits, asks and reports.
            GatewayLookup lookup(config_.max_gateway_lookups);
            for (GatewayLookupStep step = lookup.start();;) {
                if (auto* found = std::get_if<GatewayFound>(&step)) {
                    protocol_.on_gateway_url(found->url);
                    if (found->identify_wait.count() > 0) {
                        spdlog::warn(
                            "Discord: no session starts left today; waiting {} s for the reset",
                            std::chrono::duration_cast<std::chrono::seconds>(found->identify_wait)
                                .count());
                        asio::steady_timer timer(io_, found->identify_wait);
                        co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
                        if (alive.expired() || stopping_) co_return;
                    }
                    apply(protocol_.start());
                    co_return;
                }
                if (auto* failed = std::get_if<GatewayLookupFailed>(&step)) {
                    spdlog::error("Discord: {}", failed->reason);
                    finish(failed->reason);
                    co_return;
                }
                const auto& ask = std::get<LookUpGateway>(step);
                if (!ask.warning.empty()) spdlog::warn("Discord: {}", ask.warning);
                if (ask.delay.count() > 0) {
                    asio::steady_timer timer(io_, ask.delay);
                    co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
                    if (alive.expired() || stopping_) co_return;
                }
                const DiscordCall got = co_await rest_.get_gateway_bot();
                if (alive.expired() || stopping_) co_return;
                step = lookup.on_answer(got.status, got.body, got.error);
            }
        },
        failures_.handler());
}

void GatewayClient::drain() {
    draining_ = true;
}

void GatewayClient::stop() {
    if (stopping_) return;
    stopping_ = true;
    finish("");  // first: the shutdown's own Stop action is no failure to report
    apply(protocol_.shutdown());
    // Nothing left to wait for, so the io_context can finish as soon as the sockets are closed.
    if (heartbeat_) heartbeat_->cancel();
}

void GatewayClient::finish(std::string reason) {
    if (!on_stopped_) return;
    auto done = std::move(on_stopped_);
    on_stopped_ = nullptr;
    done(std::move(reason));
}

void GatewayClient::apply(Actions actions) {
    for (auto& action : actions) {
        std::visit(
            [&](auto& a) {
                using T = std::decay_t<decltype(a)>;
                if constexpr (std::is_same_v<T, OpenConnection>) {
                    open(a.generation, std::move(a.url), a.delay);
                } else if constexpr (std::is_same_v<T, Send>) {
                    if (auto it = sessions_.find(a.generation); it != sessions_.end())
                        it->second->send(std::move(a.text));
                } else if constexpr (std::is_same_v<T, StartHeartbeatTimer>) {
                    // One beat pending at a time: a new socket's timer replaces the old one.
                    if (heartbeat_) heartbeat_->cancel();
                    heartbeat_ = std::make_shared<asio::steady_timer>(io_, a.delay);
                    heartbeat_->async_wait(
                        [this, alive = std::weak_ptr<bool>(alive_), timer = heartbeat_,
                         generation = a.generation](boost::system::error_code ec) {
                            if (ec || alive.expired()) return;
                            apply(protocol_.on_heartbeat_timer(generation, Clock::now()));
                        });
                } else if constexpr (std::is_same_v<T, CloseConnection>) {
                    if (auto it = sessions_.find(a.generation); it != sessions_.end())
                        it->second->close(a.code);
                } else if constexpr (std::is_same_v<T, Dispatch>) {
                    if (a.event == "READY") {
                        spdlog::info("Discord: session ready (application {})",
                                     protocol_.application_id());
                        if (config_.application_id.empty())
                            interactions_.set_application_id(protocol_.application_id());
                    } else if (a.event == "RESUMED") {
                        spdlog::info("Discord: session resumed");
                    } else if (a.event == "INTERACTION_CREATE" && !stopping_) {
                        // A malformed event must not take the connection (or the process) down.
                        try {
                            apply(interactions_.on_interaction(std::move(a.data)));
                        } catch (const std::exception& e) {
                            spdlog::error("Discord: handling {} failed: {}", a.event, e.what());
                        }
                    }
                } else if constexpr (std::is_same_v<T, Stop>) {
                    stopping_ = true;
                    stop_cause_ = a.cause;
                    if (heartbeat_) heartbeat_->cancel();
                    for (auto& [generation, session] : sessions_)
                        session->close(1000);
                    if (on_stopped_) {
                        spdlog::error("Discord: {}", a.reason);
                        finish(a.reason);
                    }
                }
            },
            action);
    }
}

void GatewayClient::apply(InteractionActions actions) {
    for (auto& action : actions) {
        std::visit(
            [&](auto& a) {
                using T = std::decay_t<decltype(a)>;
                if constexpr (std::is_same_v<T, RunInteraction>) {
                    last_arrival_ = std::chrono::steady_clock::now();
                    arrivals_.emplace(a.id, last_arrival_);
                    if (draining_) {
                        count_command(config_.metrics, command_name(a.interaction), "restarting",
                                      std::chrono::steady_clock::now());
                        apply(interactions_.on_reply(
                            a.id, render_discord_message(commands::restarting_reply(), true)));
                    } else {
                        run_interaction(std::move(a.id), std::move(a.interaction));
                    }
                } else if constexpr (std::is_same_v<T, ArmInteractionTimer>) {
                    auto& timer = interaction_timers_[a.id];
                    if (timer) timer->cancel();
                    timer = std::make_shared<asio::steady_timer>(io_, a.after);
                    timer->async_wait([this, alive = std::weak_ptr<bool>(alive_), timer,
                                       id = a.id](boost::system::error_code ec) {
                        if (ec || alive.expired()) return;
                        // A timer replaced or cancelled after it fired is not this one.
                        const auto it = interaction_timers_.find(id);
                        if (it == interaction_timers_.end() || it->second != timer) return;
                        interaction_timers_.erase(it);
                        apply(interactions_.on_timer(id));
                    });
                } else if constexpr (std::is_same_v<T, CancelInteractionTimer>) {
                    if (auto it = interaction_timers_.find(a.id); it != interaction_timers_.end()) {
                        it->second->cancel();
                        interaction_timers_.erase(it);
                    }
                } else if constexpr (std::is_same_v<T, SendCallback>) {
                    const std::string id = a.id;
                    // The callback is the acknowledgement (the reply, or a deferral).
                    if (const auto arrived = arrivals_.find(id); arrived != arrivals_.end()) {
                        if (config_.metrics != nullptr) {
                            config_.metrics->observe(
                                metric::kAckSeconds, {{"platform", "discord"}},
                                std::chrono::duration<double>(std::chrono::steady_clock::now() -
                                                              arrived->second)
                                    .count());
                        }
                        arrivals_.erase(arrived);
                    }
                    asio::co_spawn(
                        io_,
                        // Mutable: the body (the whole reply) is moved on, not copied.
                        [this, alive = std::weak_ptr<bool>(alive_),
                         a = std::move(a)]() mutable -> asio::awaitable<void> {
                            const DiscordCall sent = co_await rest_.interaction_callback(
                                a.id, a.token, std::move(a.body));
                            if (!alive.expired())
                                apply(interactions_.on_callback_done(a.id, outcome_of(sent)));
                        },
                        // A callback that failed unexpectedly still ends the interaction, so
                        // none stays pending.
                        [this, alive = std::weak_ptr<bool>(alive_), id,
                         log = failures_.handler()](std::exception_ptr failure) {
                            if (!failure) return;
                            log(failure);
                            CallOutcome failed;
                            failed.error = "an internal error";
                            if (!alive.expired()) apply(interactions_.on_callback_done(id, failed));
                        });
                } else if constexpr (std::is_same_v<T, SendEdit>) {
                    asio::co_spawn(
                        io_,
                        [this, alive = std::weak_ptr<bool>(alive_),
                         a = std::move(a)]() -> asio::awaitable<void> {
                            const DiscordCall edited =
                                co_await rest_.edit_original(a.application_id, a.token, a.message);
                            if (!alive.expired())
                                apply(interactions_.on_edit_done(a.id, outcome_of(edited)));
                        },
                        failures_.handler());
                } else if constexpr (std::is_same_v<T, LogLine>) {
                    switch (a.level) {
                        case LogLine::Level::debug:
                            spdlog::debug("Discord: {}", a.text);
                            break;
                        case LogLine::Level::warn:
                            spdlog::warn("Discord: {}", a.text);
                            break;
                        case LogLine::Level::error:
                            spdlog::error("Discord: {}", a.text);
                            break;
                    }
                }
            },
            action);
    }
}

void GatewayClient::run_interaction(std::string id, json interaction) {
    // The io_context outlives the workers; this client may not, so the job reaches it only
    // through `alive`, on the io thread.
    const auto arrived = std::chrono::steady_clock::now();
    const std::string command = command_name(interaction);
    const bool accepted =
        workers_.try_post([&io = io_, this, alive = std::weak_ptr<bool>(alive_), id, command,
                           interaction = std::move(interaction), settings = config_.interactions,
                           arrived, metrics = config_.metrics](commands::FrontDesk& desk) mutable {
            std::optional<std::string> message;
            std::string result = "failed";
            // Whatever fails in the job, the interaction is still answered.
            try {
                message = run_command(desk, interaction, settings, now_seconds(), &result);
            } catch (...) {
                message = failure_reply("an internal error");
                result = "failed";
            }
            count_command(metrics, command, result, arrived);
            // Room for the callback's wrapping, made here: the network thread then allocates
            // nothing for it.
            if (message) message->reserve(message->size() + InteractionProtocol::kCallbackRoom);
            // The interaction goes back too, to be freed on the thread that parsed it once the
            // callback is on its way: its memory then serves the next frame's parse. (Freed here,
            // it piled up in the network thread's arena, which consolidated it on every callback.)
            asio::post(io, [this, alive, id, message = std::move(message),
                            parsed = std::move(interaction)]() mutable {
                if (!alive.expired()) apply(interactions_.on_reply(id, std::move(message)));
            });
        });
    if (!accepted) {
        spdlog::warn("Discord: an interaction refused: {} already wait for a worker",
                     workers_.queued());
        count_command(config_.metrics, command, "busy", arrived);
        apply(interactions_.on_reply(
            id, render_discord_message(commands::busy_reply(), /*ephemeral=*/true)));
    }
}

void GatewayClient::open(Generation generation, std::string url, std::chrono::milliseconds delay) {
    if (stopping_) return;
    asio::co_spawn(
        io_,
        [this, alive = std::weak_ptr<bool>(alive_), generation, url = std::move(url),
         delay]() -> asio::awaitable<void> {
            if (delay.count() > 0) {
                asio::steady_timer timer(io_, delay);
                co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
            }
            if (alive.expired() || stopping_) co_return;
            const auto parsed = Url::parse(url);
            if (!parsed) {
                spdlog::warn("Discord: the gateway URL is not a wss:// URL");
                apply(protocol_.on_closed(generation, 0));
                co_return;
            }
            std::string error;
            auto session = co_await WebSocketSession::connect(io_.get_executor(), tls_, *parsed,
                                                              config_.websocket, error);
            if (alive.expired()) co_return;
            if (!session) {
                spdlog::warn("Discord: gateway connection failed: {}", error);
                apply(protocol_.on_closed(generation, 0));
                co_return;
            }
            if (stopping_) {
                session->close(1000);
                co_return;
            }
            sessions_[generation] = session;
            spdlog::info("Discord: gateway connection {} open ({})", generation,
                         parsed->host_header());
            session->start(
                [this, alive, generation](std::string_view text) {
                    if (!alive.expired()) apply(protocol_.on_text(generation, text, Clock::now()));
                },
                [this, alive, generation](CloseInfo info) {
                    if (alive.expired()) return;
                    sessions_.erase(generation);
                    if (config_.metrics != nullptr && !stopping_) {
                        config_.metrics->add(metric::kReconnects, {{"platform", "discord"},
                                                                   {"reason", end_reason(info)}});
                    }
                    spdlog::info("Discord: gateway connection {} closed{}{}{}", generation,
                                 info.code != 0 ? " with " + std::to_string(info.code) : "",
                                 info.stale ? " (stale)" : "",
                                 info.reason.empty() ? "" : ": " + info.reason);
                    apply(protocol_.on_closed(generation, info.code));
                });
            apply(protocol_.on_connected(generation));
        },
        failures_.handler());
}

}  // namespace funnelbot::bot::discord

#include "bot/discord/gateway_client.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>

#include "bot/discord/gateway_lookup.hpp"

namespace funnelbot::bot::discord {

namespace asio = boost::asio;

GatewayClient::GatewayClient(asio::io_context& io, asio::ssl::context& tls, RestApi& rest,
                             GatewayConfig config)
    : io_(io), tls_(tls), rest_(rest), config_(std::move(config)), protocol_(config_.protocol) {}

GatewayClient::~GatewayClient() {
    *alive_ = false;
}

void GatewayClient::start(std::function<void(const Dispatch&)> on_dispatch,
                          std::function<void(std::string)> on_stopped) {
    on_dispatch_ = std::move(on_dispatch);
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
                    } else if (a.event == "RESUMED") {
                        spdlog::info("Discord: session resumed");
                    }
                    // A malformed event must not take the connection (or the process) down.
                    try {
                        if (on_dispatch_) on_dispatch_(a);
                    } catch (const std::exception& e) {
                        spdlog::error("Discord: handling {} failed: {}", a.event, e.what());
                    }
                } else if constexpr (std::is_same_v<T, Stop>) {
                    stopping_ = true;
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
                [this, alive, generation](std::string text) {
                    if (!alive.expired()) apply(protocol_.on_text(generation, text, Clock::now()));
                },
                [this, alive, generation](CloseInfo info) {
                    if (alive.expired()) return;
                    sessions_.erase(generation);
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

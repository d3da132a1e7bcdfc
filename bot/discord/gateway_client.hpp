// The Discord Gateway front end: fetches the gateway URL, feeds GatewayProtocol from real
// WebSockets and heartbeat timers, and carries its actions out. Runs on the network thread;
// dispatches go to the caller, who must not block.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <functional>
#include <map>
#include <memory>
#include <string>

#include "bot/discord/gateway_lookup.hpp"
#include "bot/discord/gateway_protocol.hpp"
#include "bot/discord/rest_api.hpp"
#include "bot/net/coroutine_failures.hpp"
#include "bot/net/websocket_session.hpp"

namespace funnelbot::bot::discord {

struct GatewayConfig {
    ProtocolOptions protocol;  // token, intents, seed, back-off
    WebSocketOptions websocket;
    int max_gateway_lookups = 8;  // GET /gateway/bot attempts at start before giving up
};

class GatewayClient {
public:
    GatewayClient(boost::asio::io_context& io, boost::asio::ssl::context& tls, RestApi& rest,
                  GatewayConfig config);
    ~GatewayClient();
    GatewayClient(const GatewayClient&) = delete;
    GatewayClient& operator=(const GatewayClient&) = delete;

    // Connects and serves until stop() or a fatal error. `on_dispatch` gets every dispatch
    // (READY, RESUMED, INTERACTION_CREATE, …) in order; `on_stopped(reason)` is called once, with
    // an empty reason for a requested stop and the log line for a fatal one.
    void start(std::function<void(const Dispatch&)> on_dispatch,
               std::function<void(std::string)> on_stopped);
    // Closes with 1000 (ends the session: the bot goes offline at once).
    void stop();

    const GatewayProtocol& protocol() const { return protocol_; }
    // Exceptions that escaped the client's background coroutines (each also logged).
    std::uint64_t coroutine_failures() const { return failures_.count(); }

private:
    void apply(Actions actions);
    void open(Generation generation, std::string url, std::chrono::milliseconds delay);
    void finish(std::string reason);

    boost::asio::io_context& io_;
    boost::asio::ssl::context& tls_;
    RestApi& rest_;
    GatewayConfig config_;
    GatewayProtocol protocol_;
    std::map<Generation, std::shared_ptr<WebSocketSession>> sessions_;
    std::shared_ptr<boost::asio::steady_timer> heartbeat_;
    std::function<void(const Dispatch&)> on_dispatch_;
    std::function<void(std::string)> on_stopped_;
    CoroutineFailures failures_{"Discord gateway"};
    bool stopping_ = false;
    // Coroutines and timers hold this, not the client: they see it expire when it is gone.
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace funnelbot::bot::discord

// The Discord front end, as socket_mode_client is Slack's: fetches the gateway URL, feeds
// GatewayProtocol from real WebSockets and heartbeat timers and InteractionProtocol from
// INTERACTION_CREATE dispatches, replies and timers, and carries their actions out. It runs on the
// network thread and never waits on SQLite: commands go to the worker pool and their replies come
// back as posted completions.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <functional>
#include <map>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "bot/discord/command_runner.hpp"
#include "bot/discord/gateway_lookup.hpp"
#include "bot/discord/gateway_protocol.hpp"
#include "bot/discord/interaction_protocol.hpp"
#include "bot/discord/rest_api.hpp"
#include "bot/net/coroutine_failures.hpp"
#include "bot/net/websocket_session.hpp"
#include "bot/runtime/metrics.hpp"
#include "bot/runtime/worker_pool.hpp"

namespace funnelbot::bot::discord {

struct GatewayConfig {
    ProtocolOptions protocol;  // token, intents, seed, back-off
    WebSocketOptions websocket;
    int max_gateway_lookups = 8;  // GET /gateway/bot attempts at start before giving up
    std::string application_id;   // DISCORD_APPLICATION_ID; empty: READY's, for edits
    InteractionSettings interactions;
    InteractionOptions answering;  // defer point, reply window, redelivery window
    // Where commands, reply times and reconnects are counted (bot_metrics.hpp); none: not counted.
    // Outlives the client and its worker jobs.
    Metrics* metrics = nullptr;
};

class GatewayClient {
public:
    GatewayClient(boost::asio::io_context& io, boost::asio::ssl::context& tls, RestApi& rest,
                  WorkerPool& workers, GatewayConfig config);
    ~GatewayClient();
    GatewayClient(const GatewayClient&) = delete;
    GatewayClient& operator=(const GatewayClient&) = delete;

    // Connects and serves until stop() or a fatal error; `on_stopped(reason)` is called once,
    // with an empty reason for a requested stop and the log line for a fatal one.
    void start(std::function<void(std::string)> on_stopped);
    // Shutting down, first step: interactions that arrive from now on are answered at once that
    // funnelbot is restarting, without being run; those in flight go on and are answered
    // (pending_interactions() counts them).
    void drain();
    // Closes with 1000 (ends the session: the bot goes offline at once); replies already being
    // computed are still sent.
    void stop();
    // Why it stopped for good, once on_stopped reported a fatal reason.
    StopCause stop_cause() const { return stop_cause_; }
    // READY or RESUMED on the current connection: interactions arrive.
    bool connected() const { return protocol_.ready() && !stopping_; }

    const GatewayProtocol& protocol() const { return protocol_; }
    // Interactions not yet answered to the end (callback, or deferral and edit).
    std::size_t pending_interactions() const { return interactions_.pending(); }
    // When the last interaction arrived (the clock's epoch before the first).
    std::chrono::steady_clock::time_point last_arrival() const { return last_arrival_; }
    // Exceptions that escaped the client's background coroutines (each also logged).
    std::uint64_t coroutine_failures() const { return failures_.count(); }

private:
    void apply(Actions actions);
    void apply(InteractionActions actions);
    void run_interaction(std::string id, nlohmann::json interaction);
    void open(Generation generation, std::string url, std::chrono::milliseconds delay);
    void finish(std::string reason);

    boost::asio::io_context& io_;
    boost::asio::ssl::context& tls_;
    RestApi& rest_;
    WorkerPool& workers_;
    GatewayConfig config_;
    GatewayProtocol protocol_;
    InteractionProtocol interactions_;
    std::map<Generation, std::shared_ptr<WebSocketSession>> sessions_;
    std::shared_ptr<boost::asio::steady_timer> heartbeat_;
    // One timer per interaction being answered (the defer point, then the reply window).
    std::map<std::string, std::shared_ptr<boost::asio::steady_timer>> interaction_timers_;
    std::function<void(std::string)> on_stopped_;
    CoroutineFailures failures_{"Discord gateway"};
    bool stopping_ = false;
    bool draining_ = false;
    StopCause stop_cause_ = StopCause::failure;
    // Interactions not yet called back, and when they arrived (for the ack-time metric).
    std::map<std::string, std::chrono::steady_clock::time_point> arrivals_;
    std::chrono::steady_clock::time_point last_arrival_;
    // Coroutines and timers hold this, not the client: they see it expire when it is gone.
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace funnelbot::bot::discord

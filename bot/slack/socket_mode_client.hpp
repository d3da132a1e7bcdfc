// The Slack front end: feeds SocketModeProtocol from real WebSockets and carries its actions
// out. It runs on the network thread and never waits on SQLite: commands go to the worker pool
// and their replies come back as posted completions.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "bot/net/coroutine_failures.hpp"
#include "bot/net/https_client.hpp"
#include "bot/net/websocket_session.hpp"
#include "bot/runtime/metrics.hpp"
#include "bot/runtime/worker_pool.hpp"
#include "bot/slack/socket_mode_protocol.hpp"
#include "bot/slack/web_api.hpp"
#include "commands/command_context.hpp"

namespace funnelbot::bot::slack {

struct SocketModeConfig {
    Url api_base;           // SLACK_API_URL
    std::string app_token;  // xapp-…
    std::string bot_token;  // xoxb-…
    std::string default_tz = "UTC";
    std::vector<std::string> admins;  // FUNNELBOT_ADMINS
    // How old a users.info answer may be for a command that does not turn on the sender's role.
    std::chrono::steady_clock::duration identity_max_age = std::chrono::minutes(5);
    WebSocketOptions websocket;
    ProtocolOptions protocol;
    // Where commands, reply times and reconnects are counted (bot_metrics.hpp); none: not counted.
    // Outlives the client and its worker jobs.
    Metrics* metrics = nullptr;
};

class SocketModeClient {
public:
    SocketModeClient(boost::asio::io_context& io, boost::asio::ssl::context& tls, HttpsClient& http,
                     WorkerPool& workers, SocketModeConfig config);
    ~SocketModeClient();
    SocketModeClient(const SocketModeClient&) = delete;
    SocketModeClient& operator=(const SocketModeClient&) = delete;

    // Connects and serves until stop() or a fatal error; `on_stopped(reason)` is called once,
    // with an empty reason for a requested stop and the log line for a fatal one.
    void start(std::function<void(std::string)> on_stopped);
    // Shutting down, first step: commands that arrive from now on are answered at once that
    // funnelbot is restarting, without being run; commands in flight go on and are answered
    // (pending_commands() counts them); the sockets stay open for their acks.
    void drain();
    // Closes every socket (1000); in-flight commands still get their replies through response_url.
    void stop();
    // Why it stopped for good, once on_stopped reported a fatal reason.
    StopCause stop_cause() const { return stop_cause_; }
    // Slack said hello on the socket commands arrive on.
    bool connected() const { return protocol_.current() != 0 && !stopping_; }

    // Exceptions that escaped the client's background coroutines (each also logged).
    std::uint64_t coroutine_failures() const { return failures_.count(); }
    // Commands handed out and not yet answered (in the ack or via response_url).
    std::size_t pending_commands() const { return protocol_.pending(); }
    // When the last command arrived (the clock's epoch before the first).
    std::chrono::steady_clock::time_point last_arrival() const { return last_arrival_; }

private:
    void apply(Actions actions);
    // Applies what the protocol answered for an envelope, timing its ack.
    void answer(const std::string& envelope_id, Actions actions);
    void open(Generation generation, std::chrono::milliseconds delay);
    void run_command(SlashCommand command);
    void finish(std::string reason);

    boost::asio::io_context& io_;
    boost::asio::ssl::context& tls_;
    WorkerPool& workers_;
    SocketModeConfig config_;
    WebApi api_;
    SocketModeProtocol protocol_;
    std::map<Generation, std::shared_ptr<WebSocketSession>> sessions_;
    // "team:user" → users.info's answer and when it was asked. Roles change: a command that
    // turns on the sender's role asks again; others use an answer up to `identity_max_age` old.
    struct KnownIdentity {
        commands::Identity who;
        std::chrono::steady_clock::time_point asked;
    };
    std::map<std::string, KnownIdentity> identities_;
    // users.info calls in flight, by "team:user"; cancelled (as an event) when the answer is in.
    std::map<std::string, std::shared_ptr<boost::asio::steady_timer>> lookups_;
    std::function<void(std::string)> on_stopped_;
    CoroutineFailures failures_{"Slack"};
    bool stopping_ = false;
    bool draining_ = false;
    StopCause stop_cause_ = StopCause::failure;
    // Envelopes not yet acked, and when they arrived (for the ack-time metric).
    std::map<std::string, std::chrono::steady_clock::time_point> arrivals_;
    std::chrono::steady_clock::time_point last_arrival_;
    // Coroutines and timers hold this, not the client: they see it expire when it is gone.
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace funnelbot::bot::slack

// The Discord front end: registers the application commands (only when their definitions
// changed), runs the gateway, and answers every INTERACTION_CREATE: the command runs on the
// worker pool; its reply goes out as the interaction callback (type 4) when it is ready within
// `defer_after`, otherwise a deferred callback (type 5) goes out at that moment and the reply
// follows as an edit of the original response. Nothing here waits on SQLite.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "bot/discord/command_runner.hpp"
#include "bot/discord/gateway_client.hpp"
#include "bot/discord/rest_api.hpp"
#include "bot/protocol/seen_ids.hpp"
#include "bot/runtime/worker_pool.hpp"

namespace funnelbot::bot::discord {

struct DiscordConfig {
    std::string application_id;  // DISCORD_APPLICATION_ID; empty: GET /applications/@me
    std::string guild_id;        // DISCORD_GUILD_ID: register in this guild only
    InteractionSettings interactions;
    GatewayConfig gateway;
    // Discord invalidates an interaction not acknowledged within 3 s; past this, defer.
    std::chrono::milliseconds defer_after{1500};
    std::size_t remembered_interactions = 10000;  // ids kept to drop redeliveries in memory
};

class DiscordClient {
public:
    DiscordClient(boost::asio::io_context& io, boost::asio::ssl::context& tls, RestApi& rest,
                  WorkerPool& workers, DiscordConfig config);
    ~DiscordClient();
    DiscordClient(const DiscordClient&) = delete;
    DiscordClient& operator=(const DiscordClient&) = delete;

    // Registers the commands and serves until stop() or a fatal error; `on_stopped(reason)` is
    // called once, with an empty reason for a requested stop and the log line for a fatal one.
    void start(std::function<void(std::string)> on_stopped);
    // Closes the gateway (code 1000); replies already being computed are still sent.
    void stop();

    // Exceptions that escaped the client's background coroutines (each also logged).
    std::uint64_t coroutine_failures() const {
        return failures_.count() + gateway_.coroutine_failures();
    }

    // The key under which the hash of the registered definitions is kept (app_settings).
    static std::string registration_key(const std::string& application_id,
                                        const std::string& guild_id);

private:
    struct Pending;
    void register_commands();
    void on_dispatch(const Dispatch& dispatch);
    void answer(nlohmann::json interaction);
    void fail(std::string reason);
    void finish(std::string reason);

    boost::asio::io_context& io_;
    RestApi& rest_;
    WorkerPool& workers_;
    DiscordConfig config_;
    GatewayClient gateway_;
    std::string application_id_;
    SeenIds seen_{config_.remembered_interactions};
    std::function<void(std::string)> on_stopped_;
    CoroutineFailures failures_{"Discord"};
    bool stopping_ = false;
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace funnelbot::bot::discord

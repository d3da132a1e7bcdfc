// Registers funnelbot's application commands with Discord, only when their definitions changed
// since the last registration (their hash is kept in app_settings): GET /applications/@me when
// the application id is not configured, then a bulk overwrite, globally or in one guild
// (https://discord.com/developers/docs/interactions/application-commands#registering-a-command).
// Slack has no twin: its commands are declared in the app manifest (deploy/slack-manifest.yml).
#pragma once

#include <boost/asio/io_context.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "bot/discord/rest_api.hpp"
#include "bot/net/coroutine_failures.hpp"
#include "bot/runtime/worker_pool.hpp"

namespace funnelbot::bot::discord {

struct RegistrationConfig {
    std::string application_id;  // DISCORD_APPLICATION_ID; empty: GET /applications/@me
    std::string guild_id;        // DISCORD_GUILD_ID: register in this guild only
};

class CommandRegistration {
public:
    CommandRegistration(boost::asio::io_context& io, RestApi& rest, WorkerPool& workers,
                        RegistrationConfig config);
    ~CommandRegistration();
    CommandRegistration(const CommandRegistration&) = delete;
    CommandRegistration& operator=(const CommandRegistration&) = delete;

    // Registers in the background. `on_fatal(reason)` is called at most once, when Discord
    // refused the bot token (401); any other failure is logged and the bot serves on.
    void start(std::function<void(std::string)> on_fatal);
    // Nothing more is sent once stopped.
    void stop() { stopping_ = true; }

    // Exceptions that escaped the registration coroutine (each also logged).
    std::uint64_t coroutine_failures() const { return failures_.count(); }

    // The key under which the hash of the registered definitions is kept (app_settings).
    static std::string registration_key(const std::string& application_id,
                                        const std::string& guild_id);

private:
    void fail(std::string reason);

    boost::asio::io_context& io_;
    RestApi& rest_;
    WorkerPool& workers_;
    RegistrationConfig config_;
    std::string application_id_;
    std::function<void(std::string)> on_fatal_;
    CoroutineFailures failures_{"Discord registration"};
    bool stopping_ = false;
    // The coroutine holds this, not the object: it sees it expire when the object is gone.
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace funnelbot::bot::discord

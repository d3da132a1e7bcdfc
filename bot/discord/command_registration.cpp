#include "bot/discord/command_registration.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <optional>

#include "bot/discord/command_definitions.hpp"
#include "bot/protocol/json_fields.hpp"

namespace funnelbot::bot::discord {

namespace asio = boost::asio;
using nlohmann::json;

namespace {

// Runs `job` on a worker and resumes on `io` with its result. The event timer is only touched
// on the io thread.
template <class T>
asio::awaitable<T> on_worker(asio::io_context& io, WorkerPool& workers,
                             std::function<T(commands::FrontDesk&)> job) {
    struct Slot {
        explicit Slot(asio::io_context& io) : event(io, asio::steady_timer::time_point::max()) {}
        asio::steady_timer event;
        std::optional<T> value;
    };
    auto slot = std::make_shared<Slot>(io);
    workers.post([&io, slot, job = std::move(job)](commands::FrontDesk& desk) {
        // A failure still resumes the waiting coroutine, with an empty result.
        T value{};
        try {
            value = job(desk);
        } catch (const std::exception& e) {
            spdlog::error("Discord: a storage job failed: {}", e.what());
        }
        asio::post(io, [slot, value = std::move(value)]() mutable {
            slot->value = std::move(value);
            slot->event.cancel();
        });
    });
    while (!slot->value)
        co_await slot->event.async_wait(asio::as_tuple(asio::use_awaitable));
    co_return std::move(*slot->value);
}

}  // namespace

CommandRegistration::CommandRegistration(asio::io_context& io, RestApi& rest, WorkerPool& workers,
                                         RegistrationConfig config)
    : io_(io),
      rest_(rest),
      workers_(workers),
      config_(std::move(config)),
      application_id_(config_.application_id) {}

CommandRegistration::~CommandRegistration() {
    *alive_ = false;
}

std::string CommandRegistration::registration_key(const std::string& application_id,
                                                  const std::string& guild_id) {
    return "discord.commands." + application_id + "." + (guild_id.empty() ? "global" : guild_id);
}

void CommandRegistration::fail(std::string reason) {
    stopping_ = true;
    if (!on_fatal_) return;
    auto done = std::move(on_fatal_);
    on_fatal_ = nullptr;
    done(std::move(reason));
}

void CommandRegistration::start(std::function<void(std::string)> on_fatal) {
    on_fatal_ = std::move(on_fatal);
    asio::co_spawn(
        io_,
        [this, alive = std::weak_ptr<bool>(alive_)]() -> asio::awaitable<void> {
            if (application_id_.empty()) {
                const DiscordCall me = co_await rest_.get_current_application();
                if (alive.expired() || stopping_) co_return;
                const std::string id = me.ok() ? text_of(me.body, "id") : std::string();
                if (!id.empty()) application_id_ = id;
                if (application_id_.empty()) {
                    if (me.status == 401) {
                        fail(
                            "Discord refused the bot token (HTTP 401 on GET /applications/@me): "
                            "check DISCORD_BOT_TOKEN");
                        co_return;
                    }
                    spdlog::error(
                        "Discord: cannot tell the application id ({}); commands not registered. "
                        "Set DISCORD_APPLICATION_ID.",
                        me.error.empty() ? "no id in the answer" : me.error);
                    co_return;
                }
            }
            const json definitions = application_commands();
            const std::string hash = definitions_hash(definitions);
            const std::string key = registration_key(application_id_, config_.guild_id);
            // Jobs are named locals: GCC 12 destroyed a lambda converted to std::function inside
            // the co_await expression twice (double free).
            std::function<std::optional<std::string>(commands::FrontDesk&)> read =
                [key](commands::FrontDesk& desk) { return desk.setting(key); };
            const auto stored =
                co_await on_worker<std::optional<std::string>>(io_, workers_, std::move(read));
            if (alive.expired() || stopping_) co_return;
            const std::string where =
                config_.guild_id.empty() ? "globally" : "in guild " + config_.guild_id;
            if (stored == hash) {
                spdlog::info("Discord: commands registered {} are up to date", where);
                co_return;
            }
            const DiscordCall put =
                co_await rest_.put_commands(application_id_, config_.guild_id, definitions);
            if (alive.expired() || stopping_) co_return;
            if (!put.ok()) {
                if (put.status == 401) {
                    fail(
                        "Discord refused the bot token (HTTP 401 when registering commands): "
                        "check DISCORD_BOT_TOKEN");
                    co_return;
                }
                spdlog::error("Discord: registering the commands {} failed: {}", where, put.error);
                co_return;
            }
            spdlog::info("Discord: registered {} commands {}", definitions.size(), where);
            std::function<bool(commands::FrontDesk&)> store = [key,
                                                               hash](commands::FrontDesk& desk) {
                desk.set_setting(key, hash);
                return true;
            };
            co_await on_worker<bool>(io_, workers_, std::move(store));
        },
        failures_.handler());
}

}  // namespace funnelbot::bot::discord

#include "bot/discord/discord_client.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <optional>

#include "bot/discord/command_definitions.hpp"
#include "bot/discord/command_runner.hpp"
#include "bot/discord/embed_renderer.hpp"
#include "bot/protocol/json_fields.hpp"

namespace funnelbot::bot::discord {

namespace asio = boost::asio;
using nlohmann::json;

namespace {

analysis::Instant now_seconds() {
    return std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
}

// Built outside the coroutine lambdas: GCC 12 rejects nested braced JSON initialisers there
// ("array used as initializer").
json callback_body(int type, json data) {
    json body = json::object();
    body["type"] = type;
    body["data"] = std::move(data);
    return body;
}

json ephemeral_flags() {
    json data = json::object();
    data["flags"] = 64;
    return data;
}

json already_handled() {
    commands::Reply reply;
    reply.title = "Already handled";
    reply.summary = "This command was already handled; nothing was done twice.";
    return render_discord_message(reply, true);
}

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

// One interaction being answered; lives on the io thread.
struct DiscordClient::Pending {
    explicit Pending(asio::io_context& io) : event(io) {}
    asio::steady_timer event;  // expires at the defer point; cancelled when the reply is ready
    bool ready = false;
    std::optional<json> message;  // nullopt when ready: the interaction was handled before
};

DiscordClient::DiscordClient(asio::io_context& io, asio::ssl::context& tls, RestApi& rest,
                             WorkerPool& workers, DiscordConfig config)
    : io_(io),
      rest_(rest),
      workers_(workers),
      config_(std::move(config)),
      gateway_(io, tls, rest, config_.gateway),
      application_id_(config_.application_id) {}

DiscordClient::~DiscordClient() {
    *alive_ = false;
}

std::string DiscordClient::registration_key(const std::string& application_id,
                                            const std::string& guild_id) {
    return "discord.commands." + application_id + "." + (guild_id.empty() ? "global" : guild_id);
}

void DiscordClient::start(std::function<void(std::string)> on_stopped) {
    on_stopped_ = std::move(on_stopped);
    register_commands();
    gateway_.start([this](const Dispatch& d) { on_dispatch(d); },
                   [this](std::string reason) {
                       if (!reason.empty()) fail(std::move(reason));
                   });
}

void DiscordClient::stop() {
    if (stopping_) return;
    stopping_ = true;
    gateway_.stop();
    finish("");
}

void DiscordClient::fail(std::string reason) {
    if (stopping_) return;
    stopping_ = true;
    gateway_.stop();
    finish(std::move(reason));
}

void DiscordClient::finish(std::string reason) {
    if (!on_stopped_) return;
    auto done = std::move(on_stopped_);
    on_stopped_ = nullptr;
    done(std::move(reason));
}

void DiscordClient::register_commands() {
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

void DiscordClient::on_dispatch(const Dispatch& dispatch) {
    if (dispatch.event == "READY" && application_id_.empty()) {
        if (const auto app = dispatch.data.find("application");
            app != dispatch.data.end() && app->is_object()) {
            application_id_ = text_of(*app, "id");
        }
    }
    if (dispatch.event != "INTERACTION_CREATE" || stopping_ || !dispatch.data.is_object()) return;
    const auto type = dispatch.data.find("type");
    // Application commands only: funnelbot has no components, autocomplete or modals.
    if (type == dispatch.data.end() || !type->is_number_integer() || type->get<int>() != 2) return;
    const std::string id = text_of(dispatch.data, "id");
    if (id.empty() || text_of(dispatch.data, "token").empty()) return;
    if (!seen_.remember(id)) {
        spdlog::debug("Discord: interaction {} delivered again; answered once already", id);
        return;
    }
    answer(dispatch.data);
}

void DiscordClient::answer(json interaction) {
    auto pending = std::make_shared<Pending>(io_);
    pending->event.expires_after(config_.defer_after);
    // The io_context outlives the workers; this client may not, so the job does not capture it.
    workers_.post([&io = io_, pending, interaction,
                   settings = config_.interactions](commands::FrontDesk& desk) {
        std::optional<json> message = run_command(desk, interaction, settings, now_seconds());
        asio::post(io, [pending, message = std::move(message)]() mutable {
            pending->message = std::move(message);
            pending->ready = true;
            pending->event.cancel();
        });
    });
    asio::co_spawn(
        io_,
        [this, alive = std::weak_ptr<bool>(alive_), pending,
         interaction = std::move(interaction)]() -> asio::awaitable<void> {
            const std::string id = text_of(interaction, "id");
            const std::string token = text_of(interaction, "token");
            if (!pending->ready)
                co_await pending->event.async_wait(asio::as_tuple(asio::use_awaitable));
            if (alive.expired()) co_return;
            if (pending->ready) {
                if (!pending->message) co_return;  // handled before: it has its answer
                const json reply = callback_body(4, *pending->message);
                const DiscordCall sent = co_await rest_.interaction_callback(id, token, reply);
                if (!sent.ok())
                    spdlog::warn("Discord: answering interaction {} failed: {}", id, sent.error);
                co_return;
            }
            // Slow: acknowledge now (the user sees "thinking…"), edit the answer in later.
            const json defer = callback_body(5, ephemeral_flags());
            const DiscordCall deferred = co_await rest_.interaction_callback(id, token, defer);
            if (alive.expired()) co_return;
            if (!deferred.ok()) {
                spdlog::warn("Discord: deferring interaction {} failed: {}", id, deferred.error);
                if (deferred.code != kAlreadyAcknowledged) co_return;
            }
            // The token stays valid for 15 minutes; a reply later than that cannot be shown.
            if (!pending->ready) {
                pending->event.expires_after(std::chrono::minutes(14));
                co_await pending->event.async_wait(asio::as_tuple(asio::use_awaitable));
            }
            if (alive.expired()) co_return;
            if (!pending->ready) {
                spdlog::error("Discord: interaction {} got no reply within 14 minutes", id);
                co_return;
            }
            json message = pending->message ? *pending->message : already_handled();
            message.erase("flags");  // fixed by the deferred response
            std::string app = text_of(interaction, "application_id");
            if (app.empty()) app = application_id_;
            const DiscordCall edited = co_await rest_.edit_original(app, token, message);
            if (!edited.ok())
                spdlog::warn("Discord: editing the reply to interaction {} failed: {}", id,
                             edited.error);
        },
        failures_.handler());
}

}  // namespace funnelbot::bot::discord

#include "bot/slack/socket_mode_client.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>

#include "bot/protocol/json_fields.hpp"
#include "bot/runtime/bot_metrics.hpp"
#include "bot/slack/block_kit_renderer.hpp"
#include "bot/slack/command_runner.hpp"
#include "commands/command_table.hpp"
#include "commands/failure_reply.hpp"

namespace funnelbot::bot::slack {

namespace asio = boost::asio;

namespace {

// Counts one answered command (any thread: Metrics locks).
void count_command(Metrics* metrics, const std::string& command, const std::string& result,
                   std::chrono::steady_clock::time_point arrived) {
    if (metrics == nullptr) return;
    const std::string name =
        !command.empty() && command.front() == '/' ? command.substr(1) : command;
    metrics->add(metric::kCommands, {{"platform", "slack"}, {"command", name}, {"result", result}});
    metrics->observe(
        metric::kReplySeconds, {{"platform", "slack"}},
        std::chrono::duration<double>(std::chrono::steady_clock::now() - arrived).count());
}

// Why a connection ended, in a few words a metric label can hold.
const char* end_reason(const CloseInfo& info) {
    if (info.stale) return "stale";
    if (info.by_us) return "replaced";
    return info.code != 0 ? "closed_by_slack" : "dropped";
}

analysis::Instant now_seconds() {
    return std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
}

// users.info → the identity funnelbot stores (missing fields may be absent, null or "").
commands::Identity identity_from(const SlashCommand& cmd, const SlackCall& info,
                                 const std::vector<std::string>& admins) {
    commands::Identity who;
    who.platform_user_id = cmd.user_id;
    who.name = cmd.user_name;
    if (info.ok && info.body.contains("user") && info.body["user"].is_object()) {
        const auto& user = info.body["user"];
        if (auto n = text_of(user, "name"); !n.empty()) who.name = n;
        who.real_name = text_of(user, "real_name");
        who.tz = text_of(user, "tz");
        const auto profile = user.find("profile");
        if (profile != user.end() && profile->is_object()) {
            who.display_name = text_of(*profile, "display_name");
            who.email = text_of(*profile, "email");
            if (who.real_name.empty()) who.real_name = text_of(*profile, "real_name");
        }
        who.platform_admin = flag_of(user, "is_admin") || flag_of(user, "is_owner");
    }
    if (who.name.empty()) who.name = cmd.user_id;
    if (std::find(admins.begin(), admins.end(), cmd.user_id) != admins.end())
        who.platform_admin = true;
    return who;
}

}  // namespace

SocketModeClient::SocketModeClient(asio::io_context& io, asio::ssl::context& tls, HttpsClient& http,
                                   WorkerPool& workers, SocketModeConfig config)
    : io_(io),
      tls_(tls),
      workers_(workers),
      config_(std::move(config)),
      api_(http, config_.api_base, config_.app_token, config_.bot_token),
      protocol_(config_.protocol) {}

SocketModeClient::~SocketModeClient() {
    *alive_ = false;
}

void SocketModeClient::start(std::function<void(std::string)> on_stopped) {
    on_stopped_ = std::move(on_stopped);
    apply(protocol_.start());
}

void SocketModeClient::answer(const std::string& envelope_id, Actions actions) {
    // The first frame that goes out for an envelope is its ack (with the reply, or empty at the
    // deadline): that is when Slack stops waiting.
    const auto arrived = arrivals_.find(envelope_id);
    if (arrived != arrivals_.end() &&
        std::any_of(actions.begin(), actions.end(),
                    [](const Action& a) { return std::holds_alternative<SendFrame>(a); })) {
        if (config_.metrics != nullptr) {
            config_.metrics->observe(
                metric::kAckSeconds, {{"platform", "slack"}},
                std::chrono::duration<double>(std::chrono::steady_clock::now() - arrived->second)
                    .count());
        }
        arrivals_.erase(arrived);
    }
    apply(std::move(actions));
}

void SocketModeClient::drain() {
    draining_ = true;
}

void SocketModeClient::stop() {
    if (stopping_) return;
    stopping_ = true;
    for (auto& [generation, session] : sessions_)
        session->close();
    finish("");
}

void SocketModeClient::finish(std::string reason) {
    if (!on_stopped_) return;
    auto done = std::move(on_stopped_);
    on_stopped_ = nullptr;
    done(std::move(reason));
}

void SocketModeClient::apply(Actions actions) {
    for (auto& action : actions) {
        std::visit(
            [&](auto& a) {
                using T = std::decay_t<decltype(a)>;
                if constexpr (std::is_same_v<T, OpenConnection>) {
                    open(a.generation, a.delay);
                } else if constexpr (std::is_same_v<T, CloseConnection>) {
                    if (auto it = sessions_.find(a.generation); it != sessions_.end())
                        it->second->close();
                } else if constexpr (std::is_same_v<T, SendFrame>) {
                    if (auto it = sessions_.find(a.generation); it != sessions_.end()) {
                        spdlog::debug("Slack: ack of {} bytes on connection {}", a.text.size(),
                                      a.generation);
                        it->second->send(std::move(a.text));
                    }
                } else if constexpr (std::is_same_v<T, RunCommand>) {
                    last_arrival_ = std::chrono::steady_clock::now();
                    arrivals_.emplace(a.command.envelope_id, last_arrival_);
                    if (draining_) {
                        count_command(config_.metrics, a.command.command, "restarting",
                                      std::chrono::steady_clock::now());
                        answer(a.command.envelope_id,
                               protocol_.on_reply(a.command.envelope_id,
                                                  render_block_kit(commands::restarting_reply())));
                    } else {
                        run_command(std::move(a.command));
                    }
                } else if constexpr (std::is_same_v<T, StartAckTimer>) {
                    auto timer = std::make_shared<asio::steady_timer>(io_, a.after);
                    timer->async_wait([this, alive = std::weak_ptr<bool>(alive_), timer,
                                       id = a.envelope_id](boost::system::error_code ec) {
                        if (ec || alive.expired()) return;
                        answer(id, protocol_.on_ack_deadline(id));
                    });
                } else if constexpr (std::is_same_v<T, PostResponseUrl>) {
                    asio::co_spawn(
                        io_,
                        [this, alive = std::weak_ptr<bool>(alive_), url = a.url,
                         body = a.body]() -> asio::awaitable<void> {
                            const SlackCall r = co_await api_.post_response_url(url, body);
                            if (!alive.expired() && !r.ok) {
                                spdlog::warn("Slack: a late reply to response_url failed: {}",
                                             r.error);
                            }
                        },
                        failures_.handler());
                } else if constexpr (std::is_same_v<T, Stop>) {
                    spdlog::error("Slack: {}", a.reason);
                    stopping_ = true;
                    stop_cause_ = a.cause;
                    for (auto& [generation, session] : sessions_)
                        session->close();
                    finish(a.reason);
                }
            },
            action);
    }
}

void SocketModeClient::open(Generation generation, std::chrono::milliseconds delay) {
    if (stopping_) return;
    asio::co_spawn(
        io_,
        [this, alive = std::weak_ptr<bool>(alive_), generation, delay]() -> asio::awaitable<void> {
            if (delay.count() > 0) {
                asio::steady_timer timer(io_, delay);
                co_await timer.async_wait(asio::use_awaitable);
            }
            if (alive.expired() || stopping_) co_return;
            // A fresh URL for every connection: an old ticket is never reused.
            const SlackCall opened = co_await api_.open_connection();
            if (alive.expired() || stopping_) co_return;
            std::optional<Url> url;
            if (opened.ok) url = Url::parse(text_of(opened.body, "url"));
            if (!opened.ok || !url) {
                const std::string error =
                    opened.ok ? "apps.connections.open returned no wss URL" : opened.error;
                spdlog::warn("Slack: opening a connection failed: {}", error);
                apply(protocol_.on_connect_failed(generation,
                                                  ConnectFailure{error, opened.retry_after}));
                co_return;
            }
            std::string error;
            auto session = co_await WebSocketSession::connect(io_.get_executor(), tls_, *url,
                                                              config_.websocket, error);
            if (alive.expired()) co_return;
            if (!session) {
                spdlog::warn("Slack: WebSocket connection failed: {}", error);
                apply(protocol_.on_connect_failed(generation, ConnectFailure{error, std::nullopt}));
                co_return;
            }
            if (stopping_) {
                session->close();
                co_return;
            }
            sessions_[generation] = session;
            spdlog::info("Slack: connection {} open", generation);
            session->start(
                [this, alive, generation](std::string_view text) {
                    spdlog::debug("Slack: {} bytes on connection {}", text.size(), generation);
                    if (!alive.expired()) apply(protocol_.on_text(generation, text));
                },
                [this, alive, generation](CloseInfo info) {
                    if (alive.expired()) return;
                    sessions_.erase(generation);
                    if (config_.metrics != nullptr && !stopping_) {
                        config_.metrics->add(metric::kReconnects,
                                             {{"platform", "slack"}, {"reason", end_reason(info)}});
                    }
                    spdlog::info("Slack: connection {} closed{}{}", generation,
                                 info.stale ? " (stale)" : "",
                                 info.reason.empty() ? "" : ": " + info.reason);
                    apply(protocol_.on_closed(generation));
                });
            apply(protocol_.on_connected(generation));
        },
        failures_.handler());
}

void SocketModeClient::run_command(SlashCommand command) {
    const std::string envelope_id = command.envelope_id;
    asio::co_spawn(
        io_,
        [this, alive = std::weak_ptr<bool>(alive_),
         command = std::move(command)]() -> asio::awaitable<void> {
            const std::string key = command.team_id + ":" + command.user_id;
            const auto arrived = std::chrono::steady_clock::now();
            // An admin demoted a moment ago must not pass their next admin command.
            const bool role_matters = commands::decided_by_role(command.command, command.text);
            // One users.info per person: commands that arrive while it runs wait for it.
            if (auto waiting = lookups_.find(key); waiting != lookups_.end()) {
                auto event = waiting->second;
                co_await event->async_wait(asio::as_tuple(asio::use_awaitable));
                if (alive.expired()) co_return;
            }
            commands::Identity who;
            const auto known = identities_.find(key);
            const bool current_enough =
                known != identities_.end() &&
                (role_matters ? known->second.asked >= arrived
                              : arrived - known->second.asked <= config_.identity_max_age);
            if (current_enough) {
                who = known->second.who;
            } else {
                // First sight of this person in this run: ask Slack who they are.
                auto event = std::make_shared<asio::steady_timer>(
                    io_, asio::steady_timer::time_point::max());
                lookups_[key] = event;
                SlackCall info;
                const auto asked = std::chrono::steady_clock::now();
                // Whatever happens, the people waiting on this lookup are released.
                try {
                    info = co_await api_.users_info(command.user_id);
                } catch (const std::exception& e) {
                    info.error = e.what();
                }
                if (alive.expired()) co_return;
                lookups_.erase(key);
                event->cancel();
                who = identity_from(command, info, config_.admins);
                if (info.ok) {
                    identities_[key] = KnownIdentity{who, asked};
                } else {
                    spdlog::warn("Slack: users.info failed ({}); using the name from the command",
                                 info.error);
                }
            }
            const auto queued = std::chrono::steady_clock::now();
            // The pool may outlive this client: the job reaches it only through `alive`, on the
            // io thread (the io_context outlives both).
            const bool accepted = workers_.try_post([&io = io_, this, alive, command, who,
                                                     tz = config_.default_tz, queued, arrived,
                                                     metrics = config_.metrics](
                                                        commands::FrontDesk& desk) {
                const auto started = std::chrono::steady_clock::now();
                std::string result;
                std::optional<std::string> payload =
                    slack::run_command(desk, command, who, tz, now_seconds(), &result);
                count_command(metrics, command.command, result, arrived);
                // Room for the ack's wrapping, made here: the network thread then allocates
                // nothing of the reply's size for it.
                if (payload) payload->reserve(payload->size() + SocketModeProtocol::kAckRoom);
                spdlog::debug(
                    "Slack: {} waited {} ms for a worker, ran {} ms", command.command,
                    std::chrono::duration_cast<std::chrono::milliseconds>(started - queued).count(),
                    std::chrono::duration_cast<std::chrono::milliseconds>(
                        std::chrono::steady_clock::now() - started)
                        .count());
                asio::post(io, [this, alive, id = command.envelope_id,
                                payload = std::move(payload)]() mutable {
                    if (!alive.expired()) answer(id, protocol_.on_reply(id, std::move(payload)));
                });
            });
            if (!accepted) {
                spdlog::warn("Slack: {} refused: {} commands already wait for a worker",
                             command.command, workers_.queued());
                count_command(config_.metrics, command.command, "busy", arrived);
                answer(command.envelope_id,
                       protocol_.on_reply(command.envelope_id,
                                          render_block_kit(commands::busy_reply())));
            }
        },
        // A failure before the job was queued still answers, so no envelope stays pending.
        [this, alive = std::weak_ptr<bool>(alive_), envelope_id,
         log = failures_.handler()](std::exception_ptr failure) {
            if (!failure) return;
            log(failure);
            if (!alive.expired())
                answer(envelope_id,
                       protocol_.on_reply(envelope_id, failure_reply("an internal error")));
        });
}

}  // namespace funnelbot::bot::slack

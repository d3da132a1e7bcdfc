#include "tests/support/fake_slack.hpp"

#include <boost/asio/compose.hpp>
#include <boost/asio/post.hpp>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <stdexcept>

#include "tests/support/fake_server.hpp"

namespace funnelbot::testing {

namespace {

using namespace fake_server;
using Json = nlohmann::json;

// ---- the TCP layer with a read gate (how set_silent works) ---------------------------------

// The TCP layer under TLS. Reads first wait until the socket is readable and only then take
// bytes, so while the gate is paused nothing leaves the kernel buffer: the peer's pings are
// neither seen nor answered, exactly like a half-open link.
class GatedSocket {
public:
    using executor_type = tcp::socket::executor_type;
    using lowest_layer_type = tcp::socket::lowest_layer_type;  // asio::ssl::stream needs it

    explicit GatedSocket(tcp::socket socket)
        : socket_(std::move(socket)), gate_(socket_.get_executor()) {
        gate_.expires_at(asio::steady_timer::time_point::max());
        error_code ignored;
        socket_.non_blocking(true, ignored);  // read_some after a readiness wait never blocks
    }

    executor_type get_executor() noexcept { return socket_.get_executor(); }
    tcp::socket& next_layer() noexcept { return socket_; }
    lowest_layer_type& lowest_layer() noexcept { return socket_.lowest_layer(); }

    void pause() { paused_ = true; }
    void resume() {
        paused_ = false;
        gate_.cancel();
    }
    // Abrupt close: no TLS close_notify, no WebSocket close frame.
    void close() {
        closed_ = true;
        gate_.cancel();
        error_code ignored;
        socket_.close(ignored);
    }

    template <class MutableBuffers, class Token>
    auto async_read_some(const MutableBuffers& buffers, Token&& token) {
        return asio::async_compose<Token, void(error_code, std::size_t)>(
            ReadOp<MutableBuffers>{*this, buffers}, token, socket_);
    }
    template <class ConstBuffers, class Token>
    auto async_write_some(const ConstBuffers& buffers, Token&& token) {
        return socket_.async_write_some(buffers, std::forward<Token>(token));
    }

private:
    // Each step waits for one event (gate opened, socket readable) and re-checks. The first
    // step always waits, so the operation never completes inside the initiating call.
    template <class MutableBuffers>
    struct ReadOp {
        GatedSocket& stream;
        MutableBuffers buffers;

        template <class Self>
        void operator()(Self& self) {
            // Asio's epoll reactor is edge-triggered: bytes that arrived before this wait was
            // registered raise no new edge, so try a (non-blocking) read first. The result is
            // delivered through post, never inside the initiating call.
            if (!stream.paused_ && !stream.closed_) {
                error_code ec;
                const std::size_t n = stream.socket_.read_some(buffers, ec);
                if (ec != asio::error::would_block) {
                    return asio::post(
                        stream.socket_.get_executor(),
                        [self = std::move(self), ec, n]() mutable { self.complete(ec, n); });
                }
            }
            wait(self);
        }
        template <class Self>
        void operator()(Self& self, error_code ec) {
            if (stream.closed_) return self.complete(error_code(asio::error::operation_aborted), 0);
            // operation_aborted here only means "the gate opened"; re-check below.
            if (ec && ec != asio::error::operation_aborted) return self.complete(ec, 0);
            if (stream.paused_) return wait(self);
            const std::size_t n = stream.socket_.read_some(buffers, ec);
            if (ec == asio::error::would_block) return wait(self);
            self.complete(ec, n);
        }
        template <class Self>
        void wait(Self& self) {
            if (stream.paused_) return stream.gate_.async_wait(std::move(self));
            stream.socket_.async_wait(tcp::socket::wait_read, std::move(self));
        }
    };

    tcp::socket socket_;
    asio::steady_timer gate_;
    bool paused_ = false;
    bool closed_ = false;
};

// Found by argument-dependent lookup when Beast closes a WebSocket over TLS over GatedSocket.
[[maybe_unused]] void teardown(beast::role_type role, GatedSocket& stream, error_code& ec) {
    beast::websocket::teardown(role, stream.next_layer(), ec);
}
template <class TeardownHandler>
void async_teardown(beast::role_type role, GatedSocket& stream, TeardownHandler&& handler) {
    beast::websocket::async_teardown(role, stream.next_layer(),
                                     std::forward<TeardownHandler>(handler));
}

// ---- one accepted TCP connection: HTTP first, maybe a WebSocket after the upgrade ---------

struct Outgoing {
    std::string text;                         // a text frame …
    std::optional<std::uint16_t> close_code;  // … or a close frame
    std::string envelope_id;                  // set for envelopes (to time their acks)
};

// TLS over the gated TCP layer, so that set_silent can hold a socket's reads back.
class Connection : public ServerConnection<GatedSocket, Outgoing> {
public:
    using ServerConnection::ServerConnection;

    GatedSocket& gated() { return ws.next_layer().next_layer(); }

    // Also opens the read gate, so that a read waiting on a silenced socket ends.
    void close() override {
        gated().close();
        ServerConnection::close();
    }

    bool silent = false;
};

// ---- small helpers --------------------------------------------------------------------------

Json api_error(const std::string& error) {
    return {{"ok", false}, {"error", error}};
}

Response make_response(const Request& request, http::status status, std::string_view content_type,
                       std::string body) {
    return http_response(request, "fake-slack", status, content_type, std::move(body));
}

Response json_response(const Request& request, const Json& body) {
    return make_response(request, http::status::ok, "application/json; charset=utf-8", body.dump());
}

}  // namespace

// ---- the server ---------------------------------------------------------------------------

class FakeSlack::Impl {
public:
    explicit Impl(FakeSlackOptions options);
    Impl(const Impl&) = delete;
    Impl& operator=(const Impl&) = delete;

    // Scripting, on the fake's thread.
    void deliver(const std::string& envelope_id, const std::string& text);
    void set_silent(bool silent);

    Json slash_command_envelope(const std::string& team_id, const std::string& user_id,
                                const std::string& command, const std::string& text,
                                const std::string& channel_id, const std::string& user_name);

    const FakeSlackOptions options_;
    mutable std::mutex mutex_;  // guards the State below
    struct Fault {
        std::string key;
        int status;
        int remaining;
        std::optional<int> retry_after;
    };
    struct State {
        std::map<std::string, FakeSlackUser> users;
        std::vector<Fault> faults;
        std::map<std::string, std::string> api_errors;
        std::vector<std::pair<std::string, Json>> scripted_answers;  // method → body, in order
        std::vector<int> client_close_codes;
        std::set<std::string> unused_tickets;
        std::map<std::string, std::string> envelopes;            // id → text, for resends
        std::map<std::string, Clock::time_point> envelope_sent;  // id → last write
        std::vector<RecordedRequest> requests;
        std::vector<RecordedAck> acks;
        std::vector<Json> response_url_posts;
        std::vector<Json> posted_messages;
        std::vector<std::string> client_frames;
        int websockets_accepted = 0;
        int websockets_open = 0;
        int envelopes_written = 0;
        int pings = 0;
        int connections_open_calls = 0;
        bool socket_mode_enabled = true;
        int serial = 0;
        std::mt19937_64 random{std::random_device{}()};
    } state_;

    int port_ = 0;
    std::string scopes_header_;  // options_.bot_scopes, comma-separated
    // Scripting calls go through server_.run_on_io. Declared last: its thread and handlers stop
    // before anything above is destroyed.
    Server<Connection> server_;

private:
    using HttpMethod = Json (Impl::*)(const Json& args);
    struct ApiMethod {
        std::string_view name;
        bool accepts_json;  // users.info does not (https://api.slack.com/methods/users.info)
        HttpMethod handler;
    };
    static const ApiMethod* find_api_method(std::string_view name);

    asio::awaitable<void> serve(std::shared_ptr<Connection> connection);
    asio::awaitable<void> upgrade(std::shared_ptr<Connection> connection, const Request& request);
    asio::awaitable<void> run_websocket(std::shared_ptr<Connection> connection,
                                        const Request& request);
    asio::awaitable<void> read_loop(std::shared_ptr<Connection> connection);
    asio::awaitable<void> write_loop(std::shared_ptr<Connection> connection);

    // HTTP, on the fake's thread.
    void record_request(const Request& request, Clock::time_point received);
    Response handle_http(const Request& request);
    std::optional<Fault> take_fault(const std::string& path);
    Response fault_response(const Request& request, const Fault& fault);
    Json call_api(const Request& request, const std::string& method, const std::string& query);
    Json connections_open(const Request& request);
    // Under the lock: the first scripted answer for `method`, removed; nullopt if none.
    std::optional<Json> take_scripted_answer(const std::string& method);
    Response response_url_post(const Request& request);
    Json auth_test(const Json& args);
    Json users_info(const Json& args);
    Json conversations_open(const Json& args);
    Json chat_post_message(const Json& args);

    // WebSocket, on the fake's thread.
    bool take_ticket(const std::string& target);
    int websocket_opened();
    void websocket_closed(Connection& connection);
    void record_client_frame(std::string text);
    Json hello_message(int num_connections) const;
};

FakeSlack::Impl::Impl(FakeSlackOptions options)
    : options_(std::move(options)),
      server_("fake Slack", options_.cert_file, options_.key_file, options_.script_timeout) {
    for (const auto& scope : options_.bot_scopes)
        scopes_header_ += (scopes_header_.empty() ? "" : ",") + scope;
    port_ = server_.listen(
        [](tcp::socket socket, ssl::context& tls) {
            return std::make_shared<Connection>(std::move(socket), tls);
        },
        [this](std::shared_ptr<Connection> connection) { return serve(std::move(connection)); });
    server_.start();
}

// ---- serving HTTP ---------------------------------------------------------------------------

// Every request is recorded, upgrades too; an upgrade then leaves HTTP for upgrade().
asio::awaitable<void> FakeSlack::Impl::serve(std::shared_ptr<Connection> connection) {
    auto answer = [this](const Request& request,
                         Clock::time_point received) -> std::optional<Response> {
        record_request(request, received);
        if (websocket::is_upgrade(request)) return std::nullopt;
        return handle_http(request);
    };
    std::optional<Request> upgrade_request = co_await serve_http(connection, answer);
    if (upgrade_request) co_await upgrade(connection, *upgrade_request);
}

void FakeSlack::Impl::record_request(const Request& request, Clock::time_point received) {
    RecordedRequest record = record_of(request, received);
    std::lock_guard lock(mutex_);
    if (split_target(record.target).first == "/api/apps.connections.open") {
        ++state_.connections_open_calls;
    }
    state_.requests.push_back(std::move(record));
}

Response FakeSlack::Impl::handle_http(const Request& request) {
    const auto [path, query] = split_target(request.target());
    if (auto fault = take_fault(path)) return fault_response(request, *fault);
    if (path.starts_with("/api/")) {
        Response response = json_response(request, call_api(request, path.substr(5), query));
        if (request[http::field::authorization] == "Bearer " + options_.bot_token)
            response.set("X-OAuth-Scopes", scopes_header_);
        return response;
    }
    if (path.starts_with("/hooks/")) return response_url_post(request);
    return make_response(request, http::status::not_found, "text/plain", "not found");
}

std::optional<FakeSlack::Impl::Fault> FakeSlack::Impl::take_fault(const std::string& path) {
    const std::string method = path.starts_with("/api/") ? path.substr(5) : "";
    std::lock_guard lock(mutex_);
    for (auto it = state_.faults.begin(); it != state_.faults.end(); ++it) {
        const bool match = it->key.starts_with('/') ? path.starts_with(it->key) : it->key == method;
        if (!match) continue;
        Fault fault = *it;
        if (--it->remaining <= 0) state_.faults.erase(it);
        return fault;
    }
    return std::nullopt;
}

Response FakeSlack::Impl::fault_response(const Request& request, const Fault& fault) {
    const auto status = static_cast<http::status>(fault.status);
    Response response = fault.status == 429
                            ? make_response(request, status, "application/json; charset=utf-8",
                                            api_error("ratelimited").dump())
                            : make_response(request, status, "text/plain",
                                            "fake injected HTTP " + std::to_string(fault.status));
    if (fault.retry_after)
        response.set(http::field::retry_after, std::to_string(*fault.retry_after));
    return response;
}

const FakeSlack::Impl::ApiMethod* FakeSlack::Impl::find_api_method(std::string_view name) {
    // apps.connections.open is served separately: it takes the app-level token.
    static constexpr ApiMethod kMethods[] = {
        {"auth.test", true, &Impl::auth_test},
        {"users.info", false, &Impl::users_info},
        {"conversations.open", true, &Impl::conversations_open},
        {"chat.postMessage", true, &Impl::chat_post_message},
    };
    for (const auto& method : kMethods) {
        if (method.name == name) return &method;
    }
    return nullptr;
}

Json FakeSlack::Impl::call_api(const Request& request, const std::string& method,
                               const std::string& query) {
    if (method == "apps.connections.open") return connections_open(request);
    const ApiMethod* api = find_api_method(method);
    if (api == nullptr) return api_error("unknown_method");
    if (request[http::field::authorization] != "Bearer " + options_.bot_token) {
        return api_error("invalid_auth");
    }
    {
        std::lock_guard lock(mutex_);
        if (auto scripted = take_scripted_answer(method)) return *scripted;
        if (auto it = state_.api_errors.find(method); it != state_.api_errors.end()) {
            return api_error(it->second);
        }
    }
    // Arguments: the query string, then a form body, or a JSON body where Slack accepts one.
    Json args = parse_form(query);
    const auto content_type = request[http::field::content_type];
    if (starts_with_ci(content_type, "application/x-www-form-urlencoded")) {
        args.update(parse_form(request.body()));
    } else if (starts_with_ci(content_type, "application/json") && api->accepts_json) {
        Json body = Json::parse(request.body(), nullptr, false);
        if (!body.is_object()) return api_error("invalid_json");
        args.update(body);
    }
    return (this->*(api->handler))(args);
}

std::optional<Json> FakeSlack::Impl::take_scripted_answer(const std::string& method) {
    auto& answers = state_.scripted_answers;
    const auto it = std::find_if(answers.begin(), answers.end(),
                                 [&](const auto& answer) { return answer.first == method; });
    if (it == answers.end()) return std::nullopt;
    Json body = std::move(it->second);
    answers.erase(it);
    return body;
}

Json FakeSlack::Impl::connections_open(const Request& request) {
    const auto authorization = request[http::field::authorization];
    if (authorization.empty()) return api_error("not_authed");
    if (authorization != "Bearer " + options_.app_token) return api_error("invalid_auth");
    std::lock_guard lock(mutex_);
    if (auto scripted = take_scripted_answer("apps.connections.open")) return *scripted;
    if (auto it = state_.api_errors.find("apps.connections.open"); it != state_.api_errors.end()) {
        return api_error(it->second);
    }
    if (!state_.socket_mode_enabled) return api_error("socket_mode_not_enabled");
    const std::string ticket =
        "fake-" + std::to_string(++state_.serial) + "-" + random_hex(state_.random, 8);
    state_.unused_tickets.insert(ticket);
    return {{"ok", true},
            {"url", "wss://localhost:" + std::to_string(port_) + "/link/?ticket=" + ticket +
                        "&app_id=" + options_.app_id}};
}

Json FakeSlack::Impl::auth_test(const Json&) {
    return {{"ok", true},
            {"url", "https://fake-workspace.slack.com/"},
            {"team", "Fake Team"},
            {"user", "funnelbot"},
            {"team_id", options_.team_id},
            {"user_id", "U0BOT"},
            {"bot_id", "B0BOT"},
            {"is_enterprise_install", false}};
}

Json FakeSlack::Impl::users_info(const Json& args) {
    const std::string id = args.value("user", "");
    if (id.empty()) return api_error("invalid_arguments");
    std::lock_guard lock(mutex_);
    const auto it = state_.users.find(id);
    if (it == state_.users.end()) return api_error("user_not_found");
    const FakeSlackUser& u = it->second;
    return {
        {"ok", true},
        {"user",
         {{"id", u.id},
          {"team_id", u.team_id},
          {"name", u.name},
          {"deleted", u.deleted},
          {"real_name", u.real_name},
          {"tz", u.tz},
          {"tz_label", u.tz_label},
          {"tz_offset", u.tz_offset},
          {"is_admin", u.is_admin},
          {"is_owner", u.is_owner},
          {"is_bot", false},
          {"profile",
           {{"real_name", u.real_name}, {"display_name", u.display_name}, {"email", u.email}}}}}};
}

Json FakeSlack::Impl::conversations_open(const Json& args) {
    std::string users = args.value("users", "");
    std::erase(users, ',');
    if (users.empty()) return api_error("users_list_not_supplied");
    {
        // A deactivated member cannot be messaged, as on Slack.
        std::lock_guard lock(mutex_);
        const auto it = state_.users.find(users);
        if (it != state_.users.end() && it->second.deleted) return api_error("user_disabled");
    }
    return {{"ok", true}, {"channel", {{"id", "D" + users}}}};
}

Json FakeSlack::Impl::chat_post_message(const Json& args) {
    const auto channel = args.find("channel");
    if (channel == args.end() || !channel->is_string() || channel->get<std::string>().empty()) {
        return api_error("channel_not_found");
    }
    if (!args.contains("text") && !args.contains("blocks") && !args.contains("attachments")) {
        return api_error("no_text");
    }
    const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(
                             std::chrono::system_clock::now().time_since_epoch())
                             .count();
    std::lock_guard lock(mutex_);
    std::string serial = std::to_string(++state_.serial);
    serial.insert(0, serial.size() < 6 ? 6 - serial.size() : 0, '0');
    state_.posted_messages.push_back(args);
    return {{"ok", true}, {"channel", *channel}, {"ts", std::to_string(seconds) + "." + serial}};
}

Response FakeSlack::Impl::response_url_post(const Request& request) {
    if (request.method() != http::verb::post) {
        return make_response(request, http::status::method_not_allowed, "text/plain",
                             "method_not_allowed");
    }
    Json body = Json::parse(request.body(), nullptr, false);
    if (!body.is_object()) {
        return make_response(request, http::status::bad_request, "text/plain", "invalid_payload");
    }
    {
        std::lock_guard lock(mutex_);
        state_.response_url_posts.push_back(std::move(body));
    }
    return make_response(request, http::status::ok, "text/html", "ok");
}

// ---- WebSocket ----------------------------------------------------------------------------

bool FakeSlack::Impl::take_ticket(const std::string& target) {
    const auto [path, query] = split_target(target);
    if (path != "/link/" && path != "/link") return false;
    const std::string ticket = parse_form(query).value("ticket", "");
    std::lock_guard lock(mutex_);
    return state_.unused_tickets.erase(ticket) == 1;
}

// Faults first (they leave the ticket unused), then the single-use ticket.
asio::awaitable<void> FakeSlack::Impl::upgrade(std::shared_ptr<Connection> connection,
                                               const Request& request) {
    const std::string target(request.target());
    if (auto fault = take_fault(split_target(target).first)) {
        co_await refuse(connection, fault_response(request, *fault));
    } else if (!take_ticket(target)) {
        co_await refuse(connection, make_response(request, http::status::unauthorized, "text/plain",
                                                  "invalid_ticket"));
    } else {
        co_await run_websocket(connection, request);
    }
}

asio::awaitable<void> FakeSlack::Impl::run_websocket(std::shared_ptr<Connection> connection,
                                                     const Request& request) {
    connection->ws.control_callback([this](websocket::frame_type kind, beast::string_view) {
        if (kind != websocket::frame_type::ping) return;
        std::lock_guard lock(mutex_);
        ++state_.pings;
    });
    if (!co_await accept_websocket(connection, request, "fake-slack")) co_return;
    connection->counted_open = true;
    connection->send({hello_message(websocket_opened()).dump(), std::nullopt, ""});
    server_.spawn(write_loop(connection));
    co_await read_loop(connection);
    connection->close();
    websocket_closed(*connection);
}

int FakeSlack::Impl::websocket_opened() {
    std::lock_guard lock(mutex_);
    ++state_.websockets_accepted;
    return ++state_.websockets_open;
}

void FakeSlack::Impl::websocket_closed(Connection& connection) {
    if (!connection.counted_open) return;
    connection.counted_open = false;
    std::lock_guard lock(mutex_);
    --state_.websockets_open;
}

Json FakeSlack::Impl::hello_message(int num_connections) const {
    return {{"type", "hello"},
            {"num_connections", num_connections},
            {"debug_info", {{"host", "applink-fake"}, {"approximate_connection_time", 18060}}},
            {"connection_info", {{"app_id", options_.app_id}}}};
}

asio::awaitable<void> FakeSlack::Impl::read_loop(std::shared_ptr<Connection> connection) {
    beast::flat_buffer buffer;
    for (int i = 0; i < kMaxFramesPerSocket; ++i) {
        auto [ec, bytes] = co_await connection->ws.async_read(buffer, kAwait);
        if (ec == websocket::error::closed) {
            std::lock_guard lock(mutex_);
            state_.client_close_codes.push_back(connection->ws.reason().code);
        }
        if (ec) co_return;
        if (connection->ws.got_text()) record_client_frame(beast::buffers_to_string(buffer.data()));
        buffer.consume(buffer.size());
    }
}

// The only writer on the socket (Beast allows one outstanding write): frames go out in order.
asio::awaitable<void> FakeSlack::Impl::write_loop(std::shared_ptr<Connection> connection) {
    auto& c = *connection;
    for (int i = 0; i < kMaxFramesPerSocket && c.open; ++i) {
        if (c.outbox.empty() || c.silent) {
            c.wake.expires_at(asio::steady_timer::time_point::max());
            co_await c.wake.async_wait(kAwait);  // cancelled by send(), set_silent(false), close()
            continue;
        }
        Outgoing out = std::move(c.outbox.front());
        c.outbox.pop_front();
        if (out.close_code) {
            c.closing = true;
            co_await c.ws.async_close(websocket::close_reason(*out.close_code), kAwait);
            co_return;
        }
        if (!out.envelope_id.empty()) {
            std::lock_guard lock(mutex_);
            state_.envelope_sent[out.envelope_id] = Clock::now();
        }
        c.ws.text(true);
        auto [ec, bytes] = co_await c.ws.async_write(asio::buffer(out.text), kAwait);
        if (ec) co_return;
        if (!out.envelope_id.empty()) {
            std::lock_guard lock(mutex_);
            ++state_.envelopes_written;
        }
    }
}

void FakeSlack::Impl::record_client_frame(std::string text) {
    const auto now = Clock::now();
    const Json frame = Json::parse(text, nullptr, false);
    std::lock_guard lock(mutex_);
    state_.client_frames.push_back(std::move(text));
    if (!frame.is_object() || !frame.contains("envelope_id") || !frame["envelope_id"].is_string()) {
        return;
    }
    RecordedAck ack;
    ack.envelope_id = frame["envelope_id"].get<std::string>();
    if (frame.contains("payload")) ack.payload = frame["payload"];
    ack.received = now;
    if (auto sent = state_.envelope_sent.find(ack.envelope_id);
        sent != state_.envelope_sent.end()) {
        ack.since_sent = std::chrono::duration_cast<std::chrono::microseconds>(now - sent->second);
    }
    state_.acks.push_back(std::move(ack));
}

// ---- scripting (fake's thread) ------------------------------------------------------------

void FakeSlack::Impl::deliver(const std::string& envelope_id, const std::string& text) {
    auto open = server_.websockets(true);
    if (open.empty()) throw std::runtime_error("fake Slack: no open WebSocket for " + envelope_id);
    open.back()->send({text, std::nullopt, envelope_id});
}

void FakeSlack::Impl::set_silent(bool silent) {
    for (auto& connection : server_.websockets(false)) {
        if (silent) {
            connection->silent = true;
            connection->gated().pause();
        } else if (connection->silent) {
            connection->silent = false;
            connection->gated().resume();
            connection->wake.cancel();
        }
    }
}

Json FakeSlack::Impl::slash_command_envelope(const std::string& team_id, const std::string& user_id,
                                             const std::string& command, const std::string& text,
                                             const std::string& channel_id,
                                             const std::string& user_name) {
    std::lock_guard lock(mutex_);
    std::string name = user_name;
    if (name.empty()) {
        const auto user = state_.users.find(user_id);
        if (user != state_.users.end()) {
            name = user->second.name;
        } else {
            name = user_id;
            std::transform(name.begin(), name.end(), name.begin(),
                           [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        }
    }
    // A version-4 UUID, as Slack's envelope ids look.
    std::string id = random_hex(state_.random, 16);
    id[12] = '4';
    id[16] = "89ab"[state_.random() % 4];
    id = id.substr(0, 8) + "-" + id.substr(8, 4) + "-" + id.substr(12, 4) + "-" + id.substr(16, 4) +
         "-" + id.substr(20);
    const std::string serial = std::to_string(++state_.serial);
    const std::string response_url = "https://localhost:" + std::to_string(port_) +
                                     "/hooks/commands/" + team_id + "/" + serial + "/" +
                                     random_hex(state_.random, 12);
    Json payload = {{"token", "verification-token"},
                    {"team_id", team_id},
                    {"team_domain", "fake-workspace"},
                    {"channel_id", channel_id},
                    {"channel_name", channel_id.starts_with('D') ? "directmessage" : "random"},
                    {"user_id", user_id},
                    {"user_name", name},
                    {"command", command},
                    {"text", text},
                    {"api_app_id", options_.app_id},
                    {"response_url", response_url},
                    {"trigger_id", serial + "." + serial + "." + random_hex(state_.random, 8)}};
    return {{"envelope_id", id},
            {"payload", std::move(payload)},
            {"type", "slash_commands"},
            {"accepts_response_payload", true}};
}

// ---- the public face ----------------------------------------------------------------------

FakeSlack::FakeSlack(FakeSlackOptions options)
    : impl_(std::make_unique<Impl>(std::move(options))) {}

FakeSlack::~FakeSlack() = default;

int FakeSlack::port() const {
    return impl_->port_;
}

std::string FakeSlack::api_url() const {
    return "https://localhost:" + std::to_string(impl_->port_) + "/api/";
}

void FakeSlack::add_user(FakeSlackUser user) {
    std::lock_guard lock(impl_->mutex_);
    auto id = user.id;
    impl_->state_.users.insert_or_assign(std::move(id), std::move(user));
}

std::string FakeSlack::send_slash_command(const std::string& team_id, const std::string& user_id,
                                          const std::string& command, const std::string& text,
                                          const std::string& channel_id,
                                          const std::string& user_name) {
    const Json envelope =
        impl_->slash_command_envelope(team_id, user_id, command, text, channel_id, user_name);
    std::string id = envelope["envelope_id"].get<std::string>();
    std::string frame = envelope.dump();
    {
        std::lock_guard lock(impl_->mutex_);
        impl_->state_.envelopes[id] = frame;
    }
    impl_->server_.run_on_io([impl = impl_.get(), id, frame] { impl->deliver(id, frame); });
    return id;
}

void FakeSlack::resend_envelope(const std::string& envelope_id) {
    std::string frame;
    {
        std::lock_guard lock(impl_->mutex_);
        const auto it = impl_->state_.envelopes.find(envelope_id);
        if (it == impl_->state_.envelopes.end()) {
            throw std::runtime_error("fake Slack: unknown envelope " + envelope_id);
        }
        frame = it->second;
    }
    impl_->server_.run_on_io(
        [impl = impl_.get(), envelope_id, frame] { impl->deliver(envelope_id, frame); });
}

void FakeSlack::send_disconnect(const std::string& reason) {
    const std::string frame =
        Json{{"type", "disconnect"}, {"reason", reason}, {"debug_info", {{"host", "applink-fake"}}}}
            .dump();
    impl_->server_.run_on_io([impl = impl_.get(), frame] {
        for (auto& connection : impl->server_.websockets(true)) {
            connection->send({frame, std::nullopt, ""});
        }
    });
}

void FakeSlack::drop_connections() {
    impl_->server_.run_on_io([impl = impl_.get()] {
        for (auto& connection : impl->server_.websockets(false))
            connection->close();
    });
}

void FakeSlack::set_silent(bool silent) {
    impl_->server_.run_on_io([impl = impl_.get(), silent] { impl->set_silent(silent); });
}

void FakeSlack::close_with(int code) {
    const auto close_code = static_cast<std::uint16_t>(code);
    impl_->server_.run_on_io([impl = impl_.get(), close_code] {
        for (auto& connection : impl->server_.websockets(true)) {
            connection->closing = true;
            connection->send({"", close_code, ""});
        }
    });
}

void FakeSlack::fail_next(std::string method_or_path, int status, int count,
                          std::optional<int> retry_after_seconds) {
    std::lock_guard lock(impl_->mutex_);
    impl_->state_.faults.push_back({std::move(method_or_path), status, count, retry_after_seconds});
}

void FakeSlack::set_api_error(std::string method, std::string error) {
    std::lock_guard lock(impl_->mutex_);
    if (error.empty()) {
        impl_->state_.api_errors.erase(method);
    } else {
        impl_->state_.api_errors.insert_or_assign(std::move(method), std::move(error));
    }
}

std::vector<int> FakeSlack::client_close_codes() const {
    std::lock_guard lock(impl_->mutex_);
    return impl_->state_.client_close_codes;
}

void FakeSlack::set_socket_mode_enabled(bool enabled) {
    std::lock_guard lock(impl_->mutex_);
    impl_->state_.socket_mode_enabled = enabled;
}

void FakeSlack::answer_next(std::string method, nlohmann::json body, int count) {
    std::lock_guard lock(impl_->mutex_);
    for (int i = 0; i < count; ++i)
        impl_->state_.scripted_answers.emplace_back(method, body);
}

std::vector<RecordedRequest> FakeSlack::requests() const {
    std::lock_guard lock(impl_->mutex_);
    return impl_->state_.requests;
}

std::vector<RecordedAck> FakeSlack::acks() const {
    std::lock_guard lock(impl_->mutex_);
    return impl_->state_.acks;
}

std::size_t FakeSlack::ack_count() const {
    std::lock_guard lock(impl_->mutex_);
    return impl_->state_.acks.size();
}

std::vector<RecordedAck> FakeSlack::acks_from(std::size_t first) const {
    std::lock_guard lock(impl_->mutex_);
    const auto& all = impl_->state_.acks;
    if (first >= all.size()) return {};
    return {all.begin() + static_cast<std::ptrdiff_t>(first), all.end()};
}

std::vector<nlohmann::json> FakeSlack::response_url_posts() const {
    std::lock_guard lock(impl_->mutex_);
    return impl_->state_.response_url_posts;
}

std::vector<nlohmann::json> FakeSlack::posted_messages() const {
    std::lock_guard lock(impl_->mutex_);
    return impl_->state_.posted_messages;
}

std::vector<std::string> FakeSlack::client_frames() const {
    std::lock_guard lock(impl_->mutex_);
    return impl_->state_.client_frames;
}

int FakeSlack::websocket_connections_accepted() const {
    std::lock_guard lock(impl_->mutex_);
    return impl_->state_.websockets_accepted;
}

int FakeSlack::envelopes_written() const {
    std::lock_guard lock(impl_->mutex_);
    return impl_->state_.envelopes_written;
}

int FakeSlack::open_websockets() const {
    std::lock_guard lock(impl_->mutex_);
    return impl_->state_.websockets_open;
}

int FakeSlack::pings_received() const {
    std::lock_guard lock(impl_->mutex_);
    return impl_->state_.pings;
}

int FakeSlack::apps_connections_open_calls() const {
    std::lock_guard lock(impl_->mutex_);
    return impl_->state_.connections_open_calls;
}

bool FakeSlack::wait_until(const std::function<bool()>& predicate,
                           std::chrono::milliseconds timeout) const {
    return fake_server::wait_until(predicate, timeout);
}

}  // namespace funnelbot::testing

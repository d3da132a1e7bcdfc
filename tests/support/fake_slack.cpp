#include "tests/support/fake_slack.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/compose.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdio>
#include <deque>
#include <future>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <stdexcept>
#include <thread>
#include <type_traits>

namespace funnelbot::testing {

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;
using boost::system::error_code;
using Clock = std::chrono::steady_clock;
using Json = nlohmann::json;
using Request = http::request<http::string_body>;
using Response = http::response<http::string_body>;

constexpr auto kAwait = asio::as_tuple(asio::use_awaitable);

// Bounds for every loop and wait on the fake's side.
constexpr int kMaxConnections = 10000;
constexpr int kMaxRequestsPerConnection = 10000;
constexpr int kMaxFramesPerSocket = 100000;
constexpr std::size_t kMaxBodyBytes = 16 * 1024 * 1024;
constexpr auto kTlsHandshakeTimeout = std::chrono::seconds(10);
constexpr auto kHttpIdleTimeout = std::chrono::seconds(30);
constexpr auto kCloseTimeout = std::chrono::seconds(5);
constexpr auto kPollInterval = std::chrono::milliseconds(5);

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

// Touched only on the fake's thread.
class Connection : public std::enable_shared_from_this<Connection> {
public:
    Connection(tcp::socket socket, ssl::context& tls)
        : ws(std::move(socket), tls), wake(ws.get_executor()), deadline_(ws.get_executor()) {}

    beast::ssl_stream<GatedSocket>& tls() { return ws.next_layer(); }
    GatedSocket& gated() { return ws.next_layer().next_layer(); }

    // Closes the socket when `timeout` passes before the next arm/disarm.
    void arm_deadline(Clock::duration timeout) {
        deadline_.expires_after(timeout);
        deadline_.async_wait([weak = weak_from_this()](error_code ec) {
            if (ec) return;
            if (auto self = weak.lock()) self->close();
        });
    }
    void disarm_deadline() { deadline_.cancel(); }

    void send(Outgoing out) {
        outbox.push_back(std::move(out));
        wake.cancel();
    }
    void close() {
        open = false;
        wake.cancel();
        deadline_.cancel();
        gated().close();
    }
    bool usable_websocket() const { return websocket && open && !closing; }

    websocket::stream<beast::ssl_stream<GatedSocket>> ws;
    asio::steady_timer wake;  // the writer sleeps on it; cancel() wakes it
    std::deque<Outgoing> outbox;
    bool websocket = false;  // upgraded
    bool open = true;
    bool closing = false;  // a close frame was queued or sent
    bool silent = false;
    bool counted_open = false;

private:
    asio::steady_timer deadline_;
};

// ---- small helpers --------------------------------------------------------------------------

void log_exception(std::exception_ptr error) {
    if (!error) return;
    try {
        std::rethrow_exception(error);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "fake Slack: %s\n", e.what());
    } catch (...) {
        std::fprintf(stderr, "fake Slack: unknown exception\n");
    }
}

std::pair<std::string, std::string> split_target(std::string_view target) {
    const auto q = target.find('?');
    if (q == std::string_view::npos) return {std::string(target), ""};
    return {std::string(target.substr(0, q)), std::string(target.substr(q + 1))};
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

std::string url_decode(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '+') {
            out += ' ';
        } else if (text[i] == '%' && i + 2 < text.size() && hex_value(text[i + 1]) >= 0 &&
                   hex_value(text[i + 2]) >= 0) {
            out += static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2]));
            i += 2;
        } else {
            out += text[i];
        }
    }
    return out;
}

// application/x-www-form-urlencoded (also query strings) → a JSON object of strings.
Json parse_form(std::string_view text) {
    Json out = Json::object();
    while (!text.empty()) {
        const auto amp = text.find('&');
        const auto pair = text.substr(0, amp);
        text = amp == std::string_view::npos ? std::string_view{} : text.substr(amp + 1);
        if (pair.empty()) continue;
        const auto eq = pair.find('=');
        const auto key = url_decode(pair.substr(0, eq));
        out[key] = eq == std::string_view::npos ? "" : url_decode(pair.substr(eq + 1));
    }
    return out;
}

bool starts_with_ci(std::string_view text, std::string_view prefix) {
    if (text.size() < prefix.size()) return false;
    return std::equal(prefix.begin(), prefix.end(), text.begin(), [](char a, char b) {
        return std::tolower(static_cast<unsigned char>(a)) ==
               std::tolower(static_cast<unsigned char>(b));
    });
}

Json api_error(const std::string& error) {
    return {{"ok", false}, {"error", error}};
}

Response make_response(const Request& request, http::status status, std::string content_type,
                       std::string body) {
    Response response{status, request.version()};
    response.set(http::field::server, "fake-slack");
    response.set(http::field::content_type, content_type);
    response.keep_alive(request.keep_alive());
    response.body() = std::move(body);
    response.prepare_payload();
    return response;
}

Response json_response(const Request& request, const Json& body) {
    return make_response(request, http::status::ok, "application/json; charset=utf-8", body.dump());
}

ssl::context make_server_tls(const FakeSlackOptions& options) {
    ssl::context tls(ssl::context::tls_server);
    tls.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                    ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
    error_code ec;
    tls.use_certificate_chain_file(options.cert_file, ec);
    if (ec) throw std::runtime_error("fake Slack: cannot load " + options.cert_file);
    tls.use_private_key_file(options.key_file, ssl::context::pem, ec);
    if (ec) throw std::runtime_error("fake Slack: cannot load " + options.key_file);
    return tls;
}

}  // namespace

std::string RecordedRequest::header(std::string_view name) const {
    for (const auto& [key, value] : headers) {
        if (key.size() == name.size() && starts_with_ci(key, name)) return value;
    }
    return "";
}

// ---- the server ---------------------------------------------------------------------------

class FakeSlack::Impl {
public:
    explicit Impl(FakeSlackOptions options);
    ~Impl();
    Impl(const Impl&) = delete;
    Impl& operator=(const Impl&) = delete;

    // Runs `f` on the fake's thread and returns its result (or rethrows), waiting at most
    // options_.script_timeout. `f` must own what it uses: after a timeout it may still run.
    template <class F>
    std::invoke_result_t<F&> run_on_io(F f);

    // Scripting, on the fake's thread.
    void deliver(const std::string& envelope_id, const std::string& text);
    std::vector<std::shared_ptr<Connection>> websockets(bool usable_only);
    void set_silent(bool silent);
    void close_all();

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
        int pings = 0;
        int connections_open_calls = 0;
        int serial = 0;
        std::mt19937_64 random{std::random_device{}()};
    } state_;

    int port_ = 0;

private:
    using HttpMethod = Json (Impl::*)(const Json& args);
    struct ApiMethod {
        std::string_view name;
        bool accepts_json;  // users.info does not (slack.md §4.1)
        HttpMethod handler;
    };
    static const ApiMethod* find_api_method(std::string_view name);

    asio::awaitable<void> accept_loop();
    asio::awaitable<void> serve(std::shared_ptr<Connection> connection);
    asio::awaitable<void> upgrade(std::shared_ptr<Connection> connection, const Request& request);
    asio::awaitable<void> refuse_upgrade(std::shared_ptr<Connection> connection, Response response);
    asio::awaitable<void> run_websocket(std::shared_ptr<Connection> connection,
                                        const Request& request);
    asio::awaitable<void> read_loop(std::shared_ptr<Connection> connection);
    asio::awaitable<void> write_loop(std::shared_ptr<Connection> connection);
    asio::awaitable<void> close_tls(std::shared_ptr<Connection> connection);

    // HTTP, on the fake's thread.
    void record_request(const Request& request);
    Response handle_http(const Request& request);
    std::optional<Fault> take_fault(const std::string& path);
    Response fault_response(const Request& request, const Fault& fault);
    Json call_api(const Request& request, const std::string& method, const std::string& query);
    Json connections_open(const Request& request);
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

    std::string random_hex(int bytes);  // caller holds mutex_

    ssl::context tls_;
    asio::io_context io_;  // after everything its handlers use: destroyed first
    tcp::acceptor acceptor_;
    std::vector<std::weak_ptr<Connection>> connections_;  // fake's thread only
    std::thread thread_;
};

FakeSlack::Impl::Impl(FakeSlackOptions options)
    : options_(std::move(options)), tls_(make_server_tls(options_)), acceptor_(io_) {
    const tcp::endpoint loopback(asio::ip::make_address("127.0.0.1"), 0);
    acceptor_.open(loopback.protocol());
    acceptor_.set_option(tcp::acceptor::reuse_address(true));
    acceptor_.bind(loopback);
    acceptor_.listen();
    port_ = acceptor_.local_endpoint().port();
    asio::co_spawn(io_, accept_loop(), log_exception);
    thread_ = std::thread([this] { io_.run(); });
}

FakeSlack::Impl::~Impl() {
    try {
        run_on_io([this] { close_all(); });
    } catch (const std::exception&) {
        log_exception(std::current_exception());
    }
    // Whatever is still pending (coroutine frames, sockets) is destroyed with io_.
    io_.stop();
    if (thread_.joinable()) thread_.join();
}

template <class F>
std::invoke_result_t<F&> FakeSlack::Impl::run_on_io(F f) {
    using Result = std::invoke_result_t<F&>;
    if (io_.get_executor().running_in_this_thread()) return f();
    auto task = std::make_shared<std::packaged_task<Result()>>(std::move(f));
    auto done = task->get_future();
    asio::post(io_, [task] { (*task)(); });
    if (done.wait_for(options_.script_timeout) != std::future_status::ready) {
        throw std::runtime_error("fake Slack: scripting call timed out");
    }
    return done.get();
}

std::string FakeSlack::Impl::random_hex(int bytes) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string out;
    for (int i = 0; i < bytes; ++i) {
        const auto byte = static_cast<unsigned>(state_.random() & 0xffU);
        out += kDigits[byte >> 4];
        out += kDigits[byte & 0xfU];
    }
    return out;
}

// ---- accepting and serving HTTP -------------------------------------------------------------

asio::awaitable<void> FakeSlack::Impl::accept_loop() {
    for (int i = 0; i < kMaxConnections; ++i) {
        auto [ec, socket] = co_await acceptor_.async_accept(kAwait);
        if (ec == asio::error::operation_aborted || !acceptor_.is_open()) co_return;
        if (ec) continue;
        // Envelopes go out back to back; Nagle would hold them behind delayed ACKs.
        error_code nodelay_ec;
        socket.set_option(tcp::no_delay(true), nodelay_ec);
        auto connection = std::make_shared<Connection>(std::move(socket), tls_);
        std::erase_if(connections_, [](const auto& weak) { return weak.expired(); });
        connections_.push_back(connection);
        asio::co_spawn(io_, serve(std::move(connection)), log_exception);
    }
}

asio::awaitable<void> FakeSlack::Impl::serve(std::shared_ptr<Connection> connection) {
    connection->arm_deadline(kTlsHandshakeTimeout);
    auto [handshake_error] =
        co_await connection->tls().async_handshake(ssl::stream_base::server, kAwait);
    if (handshake_error) {
        connection->close();
        co_return;
    }
    beast::flat_buffer buffer;
    for (int i = 0; i < kMaxRequestsPerConnection; ++i) {
        http::request_parser<http::string_body> parser;
        parser.body_limit(kMaxBodyBytes);
        connection->arm_deadline(kHttpIdleTimeout);
        auto [read_error, read_bytes] =
            co_await http::async_read(connection->tls(), buffer, parser, kAwait);
        if (read_error) break;
        Request request = parser.release();
        record_request(request);
        if (websocket::is_upgrade(request)) {
            co_await upgrade(connection, request);
            co_return;
        }
        Response response = handle_http(request);
        auto [write_error, written] =
            co_await http::async_write(connection->tls(), response, kAwait);
        if (write_error || !response.keep_alive()) break;
    }
    co_await close_tls(connection);
}

asio::awaitable<void> FakeSlack::Impl::close_tls(std::shared_ptr<Connection> connection) {
    connection->arm_deadline(kCloseTimeout);
    co_await connection->tls().async_shutdown(kAwait);
    connection->close();
}

void FakeSlack::Impl::record_request(const Request& request) {
    RecordedRequest record;
    record.method = std::string(request.method_string());
    record.target = std::string(request.target());
    for (const auto& field : request) {
        record.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
    }
    record.body = request.body();
    record.time = Clock::now();
    std::lock_guard lock(mutex_);
    if (split_target(record.target).first == "/api/apps.connections.open") {
        ++state_.connections_open_calls;
    }
    state_.requests.push_back(std::move(record));
}

Response FakeSlack::Impl::handle_http(const Request& request) {
    const auto [path, query] = split_target(request.target());
    if (auto fault = take_fault(path)) return fault_response(request, *fault);
    if (path.starts_with("/api/"))
        return json_response(request, call_api(request, path.substr(5), query));
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

Json FakeSlack::Impl::connections_open(const Request& request) {
    const auto authorization = request[http::field::authorization];
    if (authorization.empty()) return api_error("not_authed");
    if (authorization != "Bearer " + options_.app_token) return api_error("invalid_auth");
    std::lock_guard lock(mutex_);
    if (auto it = state_.api_errors.find("apps.connections.open"); it != state_.api_errors.end()) {
        return api_error(it->second);
    }
    const std::string ticket = "fake-" + std::to_string(++state_.serial) + "-" + random_hex(8);
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
        co_await refuse_upgrade(connection, fault_response(request, *fault));
    } else if (!take_ticket(target)) {
        co_await refuse_upgrade(connection, make_response(request, http::status::unauthorized,
                                                          "text/plain", "invalid_ticket"));
    } else {
        co_await run_websocket(connection, request);
    }
}

asio::awaitable<void> FakeSlack::Impl::refuse_upgrade(std::shared_ptr<Connection> connection,
                                                      Response response) {
    response.keep_alive(false);
    co_await http::async_write(connection->tls(), response, kAwait);
    co_await close_tls(connection);
}

asio::awaitable<void> FakeSlack::Impl::run_websocket(std::shared_ptr<Connection> connection,
                                                     const Request& request) {
    connection->disarm_deadline();
    auto& ws = connection->ws;
    // Slack does not time out idle sockets within a test's life; the close handshake is bounded.
    ws.set_option(
        websocket::stream_base::timeout{kCloseTimeout, websocket::stream_base::none(), false});
    ws.set_option(websocket::stream_base::decorator([](websocket::response_type& response) {
        response.set(http::field::server, "fake-slack");
    }));
    ws.control_callback([this](websocket::frame_type kind, beast::string_view) {
        if (kind != websocket::frame_type::ping) return;
        std::lock_guard lock(mutex_);
        ++state_.pings;
    });
    auto [accept_error] = co_await ws.async_accept(request, kAwait);
    if (accept_error) {
        connection->close();
        co_return;
    }
    connection->websocket = true;
    connection->counted_open = true;
    connection->send({hello_message(websocket_opened()).dump(), std::nullopt, ""});
    asio::co_spawn(io_, write_loop(connection), log_exception);
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

std::vector<std::shared_ptr<Connection>> FakeSlack::Impl::websockets(bool usable_only) {
    std::vector<std::shared_ptr<Connection>> out;
    for (const auto& weak : connections_) {
        auto connection = weak.lock();
        if (!connection || !connection->websocket || !connection->open) continue;
        if (usable_only && !connection->usable_websocket()) continue;
        out.push_back(std::move(connection));
    }
    return out;
}

void FakeSlack::Impl::deliver(const std::string& envelope_id, const std::string& text) {
    auto open = websockets(true);
    if (open.empty()) throw std::runtime_error("fake Slack: no open WebSocket for " + envelope_id);
    open.back()->send({text, std::nullopt, envelope_id});
}

void FakeSlack::Impl::set_silent(bool silent) {
    for (auto& connection : websockets(false)) {
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

void FakeSlack::Impl::close_all() {
    error_code ignored;
    acceptor_.close(ignored);
    for (const auto& weak : connections_) {
        if (auto connection = weak.lock()) connection->close();
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
    std::string id = random_hex(16);
    id[12] = '4';
    id[16] = "89ab"[state_.random() % 4];
    id = id.substr(0, 8) + "-" + id.substr(8, 4) + "-" + id.substr(12, 4) + "-" + id.substr(16, 4) +
         "-" + id.substr(20);
    const std::string serial = std::to_string(++state_.serial);
    const std::string response_url = "https://localhost:" + std::to_string(port_) +
                                     "/hooks/commands/" + team_id + "/" + serial + "/" +
                                     random_hex(12);
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
                    {"trigger_id", serial + "." + serial + "." + random_hex(8)}};
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
    impl_->run_on_io([impl = impl_.get(), id, frame] { impl->deliver(id, frame); });
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
    impl_->run_on_io(
        [impl = impl_.get(), envelope_id, frame] { impl->deliver(envelope_id, frame); });
}

void FakeSlack::send_disconnect(const std::string& reason) {
    const std::string frame =
        Json{{"type", "disconnect"}, {"reason", reason}, {"debug_info", {{"host", "applink-fake"}}}}
            .dump();
    impl_->run_on_io([impl = impl_.get(), frame] {
        for (auto& connection : impl->websockets(true)) {
            connection->send({frame, std::nullopt, ""});
        }
    });
}

void FakeSlack::drop_connections() {
    impl_->run_on_io([impl = impl_.get()] {
        for (auto& connection : impl->websockets(false))
            connection->close();
    });
}

void FakeSlack::set_silent(bool silent) {
    impl_->run_on_io([impl = impl_.get(), silent] { impl->set_silent(silent); });
}

void FakeSlack::close_with(int code) {
    const auto close_code = static_cast<std::uint16_t>(code);
    impl_->run_on_io([impl = impl_.get(), close_code] {
        for (auto& connection : impl->websockets(true)) {
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
    const auto deadline = Clock::now() + timeout;
    for (;;) {
        if (predicate()) return true;
        if (Clock::now() >= deadline) return false;
        std::this_thread::sleep_for(kPollInterval);
    }
}

}  // namespace funnelbot::testing

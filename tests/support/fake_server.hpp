// What the fake Slack and fake Discord servers are built from, so that each fake holds only its
// protocol: TLS on a free 127.0.0.1 port, the fake's own io_context thread with post-and-wait
// scripting bounded by a timeout, one accepted connection (HTTP over TLS, maybe a WebSocket after
// the upgrade) with its deadlines, the bounded HTTP serving loop that hands upgrades back to the
// fake, the HTTP request and answer helpers, and the bounds that every loop and wait on a fake's
// side obeys. Connections, the coroutines that serve them and Server's list of them are touched
// only on the fake's thread.
#pragma once

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
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
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstddef>
#include <deque>
#include <exception>
#include <functional>
#include <future>
#include <memory>
#include <optional>
#include <random>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

#include "tests/support/beast_aliases.hpp"
#include "tests/support/recorded_request.hpp"

namespace funnelbot::testing::fake_server {

// The short Boost names, for this header and for the fakes, which use this whole namespace.
using namespace beast_aliases;
using Clock = std::chrono::steady_clock;
using Request = http::request<http::string_body>;
using Response = http::response<http::string_body>;

// Asynchronous steps report errors as values: a peer that misbehaves is what a fake is there
// for, not an exception.
inline constexpr auto kAwait = asio::as_tuple(asio::use_awaitable);

// Bounds for every loop and wait on a fake's side.
inline constexpr int kMaxConnections = 10000;
inline constexpr int kMaxRequestsPerConnection = 10000;
inline constexpr int kMaxFramesPerSocket = 100000;
inline constexpr std::size_t kMaxBodyBytes = 16 * 1024 * 1024;
inline constexpr auto kTlsHandshakeTimeout = std::chrono::seconds(10);
inline constexpr auto kHttpIdleTimeout = std::chrono::seconds(30);
inline constexpr auto kCloseTimeout = std::chrono::seconds(5);
inline constexpr auto kPollInterval = std::chrono::milliseconds(5);

// ---- TLS and listening --------------------------------------------------------------------

// A server context (TLS 1.2 and later) with the certificate chain and its private key, both
// PEM files. Throws std::runtime_error naming `who` ("fake Slack") and the file it cannot load.
ssl::context load_server_tls(const std::string& cert_file, const std::string& key_file,
                             std::string_view who);

// Opens `acceptor` on 127.0.0.1 at a free port and listens; returns the port. Loopback only: a
// test server must never be reachable from another host. Throws boost::system::system_error.
int bind_loopback(tcp::acceptor& acceptor);

// Prints an exception that escaped a fake's coroutine to stderr, prefixed with `who`: it must
// not take the fake's thread down, and the test's own checks then report what went missing.
void log_exception(std::string_view who, std::exception_ptr error);

// ---- one accepted connection --------------------------------------------------------------

// One accepted TCP connection, touched only on the fake's thread: HTTP over TLS first, maybe a
// WebSocket after the upgrade. TLS runs over `NextLayer` (a tcp::socket, or a wrapper that owns
// one); `Frame` is what the fake's single writer takes from `outbox`. A fake derives its own
// connection from this one for its protocol state.
template <class NextLayer, class Frame>
class ServerConnection : public std::enable_shared_from_this<ServerConnection<NextLayer, Frame>> {
public:
    ServerConnection(tcp::socket socket, ssl::context& tls)
        : ws(std::move(socket), tls), wake(ws.get_executor()), deadline_(ws.get_executor()) {}
    virtual ~ServerConnection() = default;
    ServerConnection(const ServerConnection&) = delete;
    ServerConnection& operator=(const ServerConnection&) = delete;

    beast::ssl_stream<NextLayer>& tls() { return ws.next_layer(); }

    // Closes the connection when `timeout` passes before the next arm/disarm.
    void arm_deadline(Clock::duration timeout) {
        deadline_.expires_after(timeout);
        deadline_.async_wait([weak = this->weak_from_this()](error_code ec) {
            if (ec) return;
            if (auto self = weak.lock()) self->close();
        });
    }
    void disarm_deadline() { deadline_.cancel(); }

    // Queues a frame for the writer and wakes it.
    void send(Frame out) {
        outbox.push_back(std::move(out));
        wake.cancel();
    }
    // Abrupt close: no TLS close_notify, no WebSocket close frame. A fake with more to stop (its
    // own timers, a read gate) overrides it and calls this one too.
    virtual void close() {
        open = false;
        wake.cancel();
        deadline_.cancel();
        error_code ignored;
        beast::get_lowest_layer(ws).close(ignored);
    }
    bool usable() const { return websocket && open && !closing; }

    websocket::stream<beast::ssl_stream<NextLayer>> ws;
    asio::steady_timer wake;  // the writer sleeps on it; cancel() wakes it
    std::deque<Frame> outbox;
    bool websocket = false;  // upgraded
    bool open = true;
    bool closing = false;       // a close frame was queued or sent
    bool counted_open = false;  // counted in the fake's figure of open sockets

private:
    asio::steady_timer deadline_;
};

// Sends TLS close_notify (bounded by kCloseTimeout), then closes the connection.
template <class C>
asio::awaitable<void> close_tls(std::shared_ptr<C> connection) {
    connection->arm_deadline(kCloseTimeout);
    co_await connection->tls().async_shutdown(kAwait);
    connection->close();
}

// Writes `response` with Connection: close, then closes the connection: for a request that the
// fake will not serve on it (a refused upgrade).
template <class C>
asio::awaitable<void> refuse(std::shared_ptr<C> connection, Response response) {
    response.keep_alive(false);
    co_await http::async_write(connection->tls(), response, kAwait);
    co_await close_tls(connection);
}

// Serves HTTP/1.1 on a freshly accepted connection: the TLS handshake within
// kTlsHandshakeTimeout, then up to kMaxRequestsPerConnection requests, each of them to arrive
// within kHttpIdleTimeout and at most kMaxBodyBytes long. `answer(request, received)` returns the
// response to write, or nullopt to take the request over (a WebSocket upgrade): serve_http then
// returns that request, with the connection open and its idle deadline still armed. Otherwise it
// returns nullopt once the connection is closed (by either side, or after a response without
// keep-alive).
template <class C, class Answer>
asio::awaitable<std::optional<Request>> serve_http(std::shared_ptr<C> connection, Answer answer) {
    connection->arm_deadline(kTlsHandshakeTimeout);
    auto [handshake_error] =
        co_await connection->tls().async_handshake(ssl::stream_base::server, kAwait);
    if (handshake_error) {
        connection->close();
        co_return std::nullopt;
    }
    beast::flat_buffer buffer;
    for (int i = 0; i < kMaxRequestsPerConnection; ++i) {
        http::request_parser<http::string_body> parser;
        parser.body_limit(kMaxBodyBytes);
        connection->arm_deadline(kHttpIdleTimeout);
        auto [read_error, read_bytes] =
            co_await http::async_read(connection->tls(), buffer, parser, kAwait);
        if (read_error) break;
        const auto received = Clock::now();
        Request request = parser.release();
        std::optional<Response> response = answer(request, received);
        if (!response) co_return std::optional<Request>(std::move(request));
        auto [write_error, written] =
            co_await http::async_write(connection->tls(), *response, kAwait);
        if (write_error || !response->keep_alive()) break;
    }
    co_await close_tls(connection);
    co_return std::nullopt;
}

// Accepts the WebSocket upgrade `request`, with `server` as the Server header of the 101. The
// fakes' peers do not time out idle sockets within a test's life, so only the close handshake is
// bounded (kCloseTimeout). Marks the connection upgraded; if the upgrade fails, closes it and
// returns false.
template <class C>
asio::awaitable<bool> accept_websocket(std::shared_ptr<C> connection, const Request& request,
                                       std::string_view server) {
    connection->disarm_deadline();
    auto& ws = connection->ws;
    ws.set_option(
        websocket::stream_base::timeout{kCloseTimeout, websocket::stream_base::none(), false});
    ws.set_option(websocket::stream_base::decorator(
        [name = std::string(server)](websocket::response_type& response) {
            response.set(http::field::server, name);
        }));
    auto [accept_error] = co_await ws.async_accept(request, kAwait);
    if (accept_error) {
        connection->close();
        co_return false;
    }
    connection->websocket = true;
    co_return true;
}

// ---- the fake's listeners, thread and connections -----------------------------------------

// A fake's listeners, the thread that runs its io_context, and the connections (of type C,
// derived from ServerConnection) it accepted. The fake's constructor makes it, listen()s and
// start()s it. Its destructor closes every listener and socket on the fake's thread (no close
// handshakes), then stops and joins the thread; a fake declares it after everything its
// handlers use, so that it goes first.
template <class C>
class Server {
public:
    // Loads the certificate (see load_server_tls). `who` names the fake in errors and logs;
    // `script_timeout` bounds run_on_io.
    Server(std::string who, const std::string& cert_file, const std::string& key_file,
           std::chrono::milliseconds script_timeout)
        : who_(std::move(who)),
          script_timeout_(script_timeout),
          tls_(load_server_tls(cert_file, key_file, who_)) {}
    ~Server();
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    // Accepts on a new listener at 127.0.0.1 on a free port, at most kMaxConnections times:
    // `make(socket, tls)` makes the std::shared_ptr<C> of each connection, `serve(connection)`
    // the coroutine that serves it. Before start() only. Returns the port; throws
    // std::runtime_error if it cannot listen.
    template <class Make, class Serve>
    int listen(Make make, Serve serve);
    // Starts the fake's thread; after every listen().
    void start() {
        thread_ = std::thread([this] { io_.run(); });
    }

    // Runs `op` on the fake's thread; an exception that escapes it is logged.
    template <class T>
    void spawn(asio::awaitable<T> op) {
        asio::co_spawn(io_, std::move(op), [this](std::exception_ptr error) { log(error); });
    }
    // Runs `f` on the fake's thread and returns its result (or rethrows), waiting at most the
    // script timeout; on the fake's thread it runs `f` at once. Thread-safe. `f` must own what it
    // uses: after a timeout it may still run.
    template <class F>
    std::invoke_result_t<F&> run_on_io(F f);

    // The upgraded connections still open (usable_only: and not closing), in accept order.
    // Fake's thread only.
    std::vector<std::shared_ptr<C>> websockets(bool usable_only) const;

private:
    void log(std::exception_ptr error) const { log_exception(who_, error); }
    template <class Make, class Serve>
    asio::awaitable<void> accept_loop(tcp::acceptor& acceptor, Make make, Serve serve);
    void close_all();

    const std::string who_;
    const std::chrono::milliseconds script_timeout_;
    ssl::context tls_;
    asio::io_context io_;                  // after everything its handlers use: destroyed first
    std::deque<tcp::acceptor> acceptors_;  // a deque: a new one leaves the others in place
    std::vector<std::weak_ptr<C>> connections_;  // fake's thread only
    std::thread thread_;
};

template <class C>
Server<C>::~Server() {
    if (thread_.joinable()) {
        try {
            run_on_io([this] { close_all(); });
        } catch (const std::exception&) {
            log(std::current_exception());
        }
    }
    // Whatever is still pending (coroutine frames, sockets) is destroyed with io_.
    io_.stop();
    if (thread_.joinable()) thread_.join();
}

template <class C>
template <class Make, class Serve>
int Server<C>::listen(Make make, Serve serve) {
    tcp::acceptor& acceptor = acceptors_.emplace_back(io_);
    int port = 0;
    try {
        port = bind_loopback(acceptor);
    } catch (const boost::system::system_error& e) {
        throw std::runtime_error(who_ + ": cannot listen: " + e.what());
    }
    spawn(accept_loop(acceptor, std::move(make), std::move(serve)));
    return port;
}

template <class C>
template <class F>
std::invoke_result_t<F&> Server<C>::run_on_io(F f) {
    using Result = std::invoke_result_t<F&>;
    if (io_.get_executor().running_in_this_thread()) return f();
    auto task = std::make_shared<std::packaged_task<Result()>>(std::move(f));
    auto done = task->get_future();
    asio::post(io_, [task] { (*task)(); });
    if (done.wait_for(script_timeout_) != std::future_status::ready) {
        throw std::runtime_error(who_ + ": scripting call timed out");
    }
    return done.get();
}

template <class C>
std::vector<std::shared_ptr<C>> Server<C>::websockets(bool usable_only) const {
    std::vector<std::shared_ptr<C>> out;
    for (const auto& weak : connections_) {
        auto connection = weak.lock();
        if (!connection || !connection->websocket || !connection->open) continue;
        if (usable_only && !connection->usable()) continue;
        out.push_back(std::move(connection));
    }
    return out;
}

template <class C>
template <class Make, class Serve>
asio::awaitable<void> Server<C>::accept_loop(tcp::acceptor& acceptor, Make make, Serve serve) {
    for (int i = 0; i < kMaxConnections; ++i) {
        auto [ec, socket] = co_await acceptor.async_accept(kAwait);
        if (ec == asio::error::operation_aborted || !acceptor.is_open()) co_return;
        if (ec) continue;
        // Frames go out back to back; Nagle would hold them behind delayed ACKs.
        error_code nodelay_ec;
        socket.set_option(tcp::no_delay(true), nodelay_ec);
        std::shared_ptr<C> connection = make(std::move(socket), tls_);
        std::erase_if(connections_, [](const auto& weak) { return weak.expired(); });
        connections_.push_back(connection);
        spawn(serve(std::move(connection)));
    }
}

template <class C>
void Server<C>::close_all() {
    error_code ignored;
    for (auto& acceptor : acceptors_)
        acceptor.close(ignored);
    for (const auto& weak : connections_) {
        if (auto connection = weak.lock()) connection->close();
    }
}

// ---- HTTP ---------------------------------------------------------------------------------

// "/path?query" → {"/path", "query"}; the query is "" when there is none.
std::pair<std::string, std::string> split_target(std::string_view target);

// application/x-www-form-urlencoded (also a query string) → a JSON object of strings.
nlohmann::json parse_form(std::string_view text);

bool starts_with_ci(std::string_view text, std::string_view prefix);

// An answer to `request` from `server` (the Server header), with a Content-Type unless it is
// empty, and Connection: close only when the client asked for it.
Response http_response(const Request& request, std::string_view server, http::status status,
                       std::string_view content_type, std::string body);

// What a fake records of `request`, which was read completely at `received`.
RecordedRequest record_of(const Request& request, Clock::time_point received);

// ---- small shared pieces ------------------------------------------------------------------

// `bytes` random bytes as lower-case hex, for tickets, ids and secrets.
std::string random_hex(std::mt19937_64& random, int bytes);

// Calls `predicate` every kPollInterval until it returns true (→ true) or `timeout` has passed
// (→ false). Runs on the caller's thread.
bool wait_until(const std::function<bool()>& predicate, std::chrono::milliseconds timeout);

}  // namespace funnelbot::testing::fake_server

// A raw HTTPS and WebSocket client for the tests that prove a TLS server from outside (the fake
// Slack and Discord servers): plain Beast, none of the bot's own transport, no retries. It runs
// its own io_context step by step on the test thread, every step bounded, so that a step that
// hangs fails the test instead of hanging it. It trusts only the CA it is given and always
// connects to 127.0.0.1; the host name it is told is what SNI and the certificate check use.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <boost/beast/websocket/stream.hpp>

#include <chrono>
#include <functional>
#include <future>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>

namespace funnelbot::testing {

// A client context that trusts `ca_file` and nothing else, and verifies the peer.
boost::asio::ssl::context client_tls_trusting(const std::string& ca_file);

class TlsTestClient {
public:
    using TlsStream = boost::beast::ssl_stream<boost::beast::tcp_stream>;
    using WsStream = boost::beast::websocket::stream<TlsStream>;
    using Request = boost::beast::http::request<boost::beast::http::string_body>;
    using Response = boost::beast::http::response<boost::beast::http::string_body>;

    explicit TlsTestClient(const std::string& ca_file);

    // Runs `op` to completion (or throws std::runtime_error after `timeout`).
    template <class T>
    T run(boost::asio::awaitable<T> op,
          std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
        auto result = boost::asio::co_spawn(io_, std::move(op), boost::asio::use_future);
        const auto ready = [&] {
            return result.wait_for(std::chrono::seconds(0)) == std::future_status::ready;
        };
        if (!run_until(ready, timeout)) throw std::runtime_error("timed out");
        return result.get();
    }
    // Runs the io_context until `done` or `timeout`; returns done().
    bool run_until(const std::function<bool()>& done, std::chrono::milliseconds timeout);

    // A TLS connection to 127.0.0.1:port, verified for `host` (also the SNI name, unless it is an
    // IP address). Throws boost::system::system_error if the handshake fails.
    std::unique_ptr<TlsStream> connect(const std::string& host, int port);
    // Writes `request` on `stream` and reads the response.
    Response call(TlsStream& stream, Request request);
    // A fresh connection, then the upgrade to `target` with Host "host:port": the handshake's
    // response and, if the server switched protocols, the WebSocket (else null).
    std::pair<boost::beast::websocket::response_type, std::unique_ptr<WsStream>> open_websocket(
        const std::string& host, int port, const std::string& target);
    // The next message (text or binary) as a string.
    std::string read_text(WsStream& ws);
    void send_text(WsStream& ws, const std::string& text);
    // Reads (skipping frames) until the server's close frame; its code, or -1 for a socket that
    // ended without one.
    int read_close(WsStream& ws, std::chrono::milliseconds timeout = std::chrono::seconds(5));

    boost::asio::io_context& io() { return io_; }

private:
    boost::asio::io_context io_;
    boost::asio::ssl::context tls_;
};

}  // namespace funnelbot::testing

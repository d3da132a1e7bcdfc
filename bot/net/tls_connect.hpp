// Resolve, TCP connect and TLS handshake with a deadline on each step, shared by the HTTPS client
// and the WebSocket session.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/beast/core/tcp_stream.hpp>

#include <chrono>
#include <string>

namespace funnelbot::bot {

using TlsStream = boost::asio::ssl::stream<boost::beast::tcp_stream>;

struct TlsConnectTimeouts {
    std::chrono::milliseconds resolve;
    std::chrono::milliseconds connect;
    std::chrono::milliseconds handshake;
};

struct TlsConnectResult {
    boost::system::error_code ec;  // empty on success
    std::string error;             // "TLS handshake with localhost:8443: certificate verify failed"
    bool retriable = false;        // false for refusals that a retry cannot fix (certificates)

    bool ok() const { return !ec; }
};

// Connects `stream` (fresh, on the caller's executor) to host:port with SNI and peer plus
// host-name verification. On return the tcp_stream has no deadline set.
boost::asio::awaitable<TlsConnectResult> connect_tls(TlsStream& stream, const std::string& host,
                                                     const std::string& port,
                                                     TlsConnectTimeouts timeouts);

// "timed out" for Beast's timeout error, else ec.message().
std::string describe_network_error(const boost::system::error_code& ec);

}  // namespace funnelbot::bot

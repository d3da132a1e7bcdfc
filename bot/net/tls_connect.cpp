#include "bot/net/tls_connect.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/error.hpp>

#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <memory>
#include <utility>

#include "bot/net/tls_context.hpp"

namespace funnelbot::bot {

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;

struct Resolution {
    boost::system::error_code ec;
    tcp::resolver::results_type results;
};

// The resolver cannot be interrupted once getaddrinfo runs on its helper thread, so the caller
// stops waiting at the deadline and the lookup finishes (and is dropped) in the background.
asio::awaitable<Resolution> resolve_with_timeout(asio::any_io_executor executor,
                                                 const std::string& host, const std::string& port,
                                                 std::chrono::milliseconds timeout) {
    struct State {
        explicit State(asio::any_io_executor ex) : resolver(ex), timer(ex) {}
        tcp::resolver resolver;
        asio::steady_timer timer;
        bool done = false;
        Resolution resolution;
    };
    auto state = std::make_shared<State>(executor);
    asio::co_spawn(
        executor,
        [state, host, port]() -> asio::awaitable<void> {
            auto [ec, results] = co_await state->resolver.async_resolve(
                host, port, asio::as_tuple(asio::use_awaitable));
            if (state->done) co_return;
            state->done = true;
            state->resolution = {ec, std::move(results)};
            state->timer.cancel();
        },
        asio::detached);
    state->timer.expires_after(timeout);
    co_await state->timer.async_wait(asio::as_tuple(asio::use_awaitable));
    if (!state->done) {
        state->done = true;
        state->resolver.cancel();
        co_return Resolution{beast::error::timeout, {}};
    }
    co_return std::move(state->resolution);
}

}  // namespace

std::string describe_network_error(const boost::system::error_code& ec) {
    if (ec == beast::error::timeout) return "timed out";
    return ec.message();
}

asio::awaitable<TlsConnectResult> connect_tls(TlsStream& stream, const std::string& host,
                                              const std::string& port,
                                              TlsConnectTimeouts timeouts) {
    const std::string where = host + ":" + port;
    TlsConnectResult result;
    auto resolution =
        co_await resolve_with_timeout(stream.get_executor(), host, port, timeouts.resolve);
    if (resolution.ec) {
        result.ec = resolution.ec;
        result.error = "resolve " + host + ": " + describe_network_error(resolution.ec);
        result.retriable = true;
        co_return result;
    }

    auto& tcp_layer = beast::get_lowest_layer(stream);
    tcp_layer.expires_after(timeouts.connect);
    auto [connect_ec, endpoint] =
        co_await tcp_layer.async_connect(resolution.results, asio::as_tuple(asio::use_awaitable));
    if (connect_ec) {
        tcp_layer.expires_never();
        result.ec = connect_ec;
        result.error = "connect to " + where + ": " + describe_network_error(connect_ec);
        result.retriable = true;
        co_return result;
    }
    // Acks and pings are small frames written back to back: without TCP_NODELAY, Nagle's
    // algorithm holds each one behind the peer's delayed ACK (40 ms on Linux).
    boost::system::error_code nodelay_ec;
    tcp_layer.socket().set_option(asio::ip::tcp::no_delay(true), nodelay_ec);

    std::string tls_error;
    if (!prepare_tls_stream(stream, host, tls_error)) {
        tcp_layer.expires_never();
        result.ec = asio::error::invalid_argument;
        result.error = tls_error;
        co_return result;
    }
    tcp_layer.expires_after(timeouts.handshake);
    auto [handshake_ec] = co_await stream.async_handshake(asio::ssl::stream_base::client,
                                                          asio::as_tuple(asio::use_awaitable));
    tcp_layer.expires_never();
    if (handshake_ec) {
        result.ec = handshake_ec;
        result.error = "TLS handshake with " + where + ": ";
        // OpenSSL's first queued error can be a low-level one ("EVP lib") when the chain check
        // failed; the verify result says what was wrong with the certificate.
        const long verify = SSL_get_verify_result(stream.native_handle());
        if (verify != X509_V_OK) {
            result.error +=
                std::string("certificate verify failed: ") + X509_verify_cert_error_string(verify);
        } else {
            result.error += describe_network_error(handshake_ec);
        }
        // A refused certificate or protocol will be refused again; time-outs and drops may not.
        result.retriable = handshake_ec.category() != asio::error::get_ssl_category();
        co_return result;
    }
    co_return result;
}

}  // namespace funnelbot::bot

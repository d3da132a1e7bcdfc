#include "tests/support/tls_test_client.hpp"

#include <openssl/ssl.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

#include "tests/support/beast_aliases.hpp"

namespace funnelbot::testing {

namespace {

using namespace beast_aliases;
using TlsStream = TlsTestClient::TlsStream;
using WsStream = TlsTestClient::WsStream;
using Request = TlsTestClient::Request;
using Response = TlsTestClient::Response;
using namespace std::chrono_literals;

asio::awaitable<std::unique_ptr<TlsStream>> connect_async(asio::io_context& io, ssl::context& tls,
                                                          std::string host, int port) {
    auto stream = std::make_unique<TlsStream>(io, tls);
    error_code not_an_address;
    asio::ip::make_address(host, not_an_address);
    if (not_an_address) SSL_set_tlsext_host_name(stream->native_handle(), host.c_str());
    stream->set_verify_callback(ssl::host_name_verification(host));
    co_await beast::get_lowest_layer(*stream).async_connect(
        tcp::endpoint(asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port)),
        asio::use_awaitable);
    co_await stream->async_handshake(ssl::stream_base::client, asio::use_awaitable);
    co_return stream;
}

asio::awaitable<Response> exchange(TlsStream& stream, Request request) {
    co_await http::async_write(stream, request, asio::use_awaitable);
    beast::flat_buffer buffer;
    Response response;
    co_await http::async_read(stream, buffer, response, asio::use_awaitable);
    co_return response;
}

asio::awaitable<websocket::response_type> handshake(WsStream& ws, std::string host,
                                                    std::string target) {
    websocket::response_type response;
    co_await ws.async_handshake(response, host, target, asio::as_tuple(asio::use_awaitable));
    co_return response;
}

asio::awaitable<std::string> read_async(WsStream& ws) {
    beast::flat_buffer buffer;
    co_await ws.async_read(buffer, asio::use_awaitable);
    co_return beast::buffers_to_string(buffer.data());
}

asio::awaitable<int> read_until_close(WsStream& ws) {
    for (int i = 0; i < 1000; ++i) {
        beast::flat_buffer buffer;
        auto [ec, bytes] = co_await ws.async_read(buffer, asio::as_tuple(asio::use_awaitable));
        if (ec == websocket::error::closed) co_return static_cast<int>(ws.reason().code);
        if (ec) co_return -1;
    }
    co_return -2;
}

}  // namespace

ssl::context client_tls_trusting(const std::string& ca_file) {
    ssl::context tls(ssl::context::tls_client);
    tls.load_verify_file(ca_file);
    tls.set_verify_mode(ssl::verify_peer);
    return tls;
}

TlsTestClient::TlsTestClient(const std::string& ca_file) : tls_(client_tls_trusting(ca_file)) {}

bool TlsTestClient::run_until(const std::function<bool()>& done,
                              std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    io_.restart();
    while (!done() && std::chrono::steady_clock::now() < deadline)
        io_.run_for(5ms);
    return done();
}

std::unique_ptr<TlsStream> TlsTestClient::connect(const std::string& host, int port) {
    return run(connect_async(io_, tls_, host, port));
}

Response TlsTestClient::call(TlsStream& stream, Request request) {
    return run(exchange(stream, std::move(request)));
}

std::pair<websocket::response_type, std::unique_ptr<WsStream>> TlsTestClient::open_websocket(
    const std::string& host, int port, const std::string& target) {
    auto ws = std::make_unique<WsStream>(std::move(*connect(host, port)));
    auto response = run(handshake(*ws, host + ":" + std::to_string(port), target));
    if (response.result() != http::status::switching_protocols) ws.reset();
    return {std::move(response), std::move(ws)};
}

std::string TlsTestClient::read_text(WsStream& ws) {
    return run(read_async(ws));
}

void TlsTestClient::send_text(WsStream& ws, const std::string& text) {
    run(ws.async_write(asio::buffer(text), asio::use_awaitable));
}

int TlsTestClient::read_close(WsStream& ws, std::chrono::milliseconds timeout) {
    return run(read_until_close(ws), timeout);
}

}  // namespace funnelbot::testing

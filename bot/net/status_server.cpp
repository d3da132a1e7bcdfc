#include "bot/net/status_server.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include <charconv>
#include <stdexcept>

namespace funnelbot::bot {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

struct StatusServer::State {
    State(asio::any_io_executor ex, Handler h, StatusServerOptions o)
        : acceptor(ex), handler(std::move(h)), options(o) {}
    tcp::acceptor acceptor;
    Handler handler;
    StatusServerOptions options;
    int connections = 0;
};

namespace {

using Awaitable = decltype(asio::as_tuple(asio::use_awaitable));
constexpr Awaitable kAwait = asio::as_tuple(asio::use_awaitable);

asio::awaitable<void> answer(std::shared_ptr<StatusServer::State> state, tcp::socket socket) {
    beast::tcp_stream stream(std::move(socket));
    // One deadline for the whole exchange: a client that sends nothing is cut off.
    stream.expires_after(state->options.request_timeout);
    beast::flat_buffer buffer;
    http::request_parser<http::string_body> parser;
    parser.header_limit(8 * 1024);
    parser.body_limit(0);
    auto [read_ec, read_bytes] = co_await http::async_read(stream, buffer, parser, kAwait);
    http::response<http::string_body> response;
    response.version(11);
    response.keep_alive(false);
    response.set(http::field::server, "funnelbot");
    if (read_ec) {
        if (read_ec == http::error::end_of_stream || read_ec == beast::error::timeout) co_return;
        response.result(http::status::bad_request);
        response.body() = "bad request\n";
    } else if (parser.get().method() != http::verb::get &&
               parser.get().method() != http::verb::head) {
        response.result(http::status::method_not_allowed);
        response.set(http::field::allow, "GET, HEAD");
        response.body() = "only GET\n";
    } else {
        std::string path(parser.get().target());
        path = path.substr(0, path.find('?'));
        StatusAnswer a;
        try {
            a = state->handler(path);
        } catch (const std::exception& e) {
            spdlog::error("status server: answering {} failed: {}", path, e.what());
            a = StatusAnswer{500, "text/plain; charset=utf-8", "internal error\n"};
        }
        response.result(static_cast<http::status>(a.status));
        response.set(http::field::content_type, a.content_type);
        response.set(http::field::cache_control, "no-store");
        if (parser.get().method() != http::verb::head) response.body() = std::move(a.body);
    }
    response.prepare_payload();
    co_await http::async_write(stream, response, kAwait);
    beast::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
}

asio::awaitable<void> accept_loop(std::shared_ptr<StatusServer::State> state) {
    for (;;) {
        auto [ec, socket] = co_await state->acceptor.async_accept(kAwait);
        if (ec == asio::error::operation_aborted || !state->acceptor.is_open()) co_return;
        if (ec) continue;
        if (state->connections >= state->options.max_connections) continue;  // closed on scope
        ++state->connections;
        asio::co_spawn(state->acceptor.get_executor(), answer(state, std::move(socket)),
                       [state](std::exception_ptr failure) {
                           --state->connections;
                           if (!failure) return;
                           try {
                               std::rethrow_exception(failure);
                           } catch (const std::exception& e) {
                               spdlog::error("status server: a connection failed: {}", e.what());
                           }
                       });
    }
}

}  // namespace

std::optional<HostPort> parse_host_port(const std::string& address) {
    std::string host;
    std::string port;
    if (!address.empty() && address.front() == '[') {
        const auto close = address.find("]:");
        if (close == std::string::npos) return std::nullopt;
        host = address.substr(1, close - 1);
        port = address.substr(close + 2);
    } else {
        const auto colon = address.rfind(':');
        if (colon == std::string::npos) return std::nullopt;
        host = address.substr(0, colon);
        port = address.substr(colon + 1);
    }
    unsigned value = 0;
    const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (host.empty() || port.empty() || ec != std::errc() || end != port.data() + port.size() ||
        value > 65535) {
        return std::nullopt;
    }
    return HostPort{host, static_cast<unsigned short>(value)};
}

StatusServer::StatusServer(asio::any_io_executor executor, const std::string& address,
                           Handler handler, StatusServerOptions options)
    : state_(std::make_shared<State>(executor, std::move(handler), options)) {
    const auto where = parse_host_port(address);
    if (!where) {
        throw std::runtime_error("\"" + address + "\" is not HOST:PORT, such as 127.0.0.1:9464");
    }
    boost::system::error_code ec;
    const auto ip = asio::ip::make_address(where->host, ec);
    if (ec) {
        throw std::runtime_error("\"" + where->host + "\" is not an IP address (" + address + ")");
    }
    const tcp::endpoint endpoint(ip, where->port);
    state_->acceptor.open(endpoint.protocol(), ec);
    if (!ec) state_->acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
    if (!ec) state_->acceptor.bind(endpoint, ec);
    if (!ec) state_->acceptor.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) throw std::runtime_error("cannot listen on " + address + ": " + ec.message());
    asio::co_spawn(executor, accept_loop(state_), [](std::exception_ptr failure) {
        if (!failure) return;
        try {
            std::rethrow_exception(failure);
        } catch (const std::exception& e) {
            spdlog::error("status server: stopped accepting: {}", e.what());
        }
    });
}

StatusServer::~StatusServer() {
    close();
}

unsigned short StatusServer::port() const {
    boost::system::error_code ec;
    return state_->acceptor.local_endpoint(ec).port();
}

void StatusServer::close() {
    boost::system::error_code ignored;
    state_->acceptor.close(ignored);
}

}  // namespace funnelbot::bot

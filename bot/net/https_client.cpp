#include "bot/net/https_client.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include <algorithm>
#include <deque>
#include <map>
#include <random>

#include "bot/net/tls_connect.hpp"
#include "bot/protocol/backoff.hpp"
#include "bot/protocol/retry_after.hpp"

namespace funnelbot::bot {

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

struct Connection {
    Connection(asio::any_io_executor executor, asio::ssl::context& tls) : stream(executor, tls) {}
    TlsStream stream;
    beast::flat_buffer buffer;
};

std::string path_of(const std::string& target) {
    return target.substr(0, target.find('?'));
}

// Errors that mean the peer had already closed a kept-alive connection before our request.
bool is_peer_close(const beast::error_code& ec) {
    return ec == http::error::end_of_stream || ec == asio::error::eof ||
           ec == asio::error::connection_reset || ec == asio::error::connection_aborted ||
           ec == asio::error::broken_pipe || ec == asio::ssl::error::stream_truncated;
}

// Retry-After header (seconds), else Discord's JSON `retry_after` (fractional seconds), else 1 s.
milliseconds retry_after_of(const HttpResponse& response) {
    if (auto header = response.header("Retry-After")) {
        if (auto wait = retry_after_header(*header)) return *wait;
    }
    if (auto wait = retry_after_body(response.body)) return *wait;
    return std::chrono::seconds(1);
}

}  // namespace

std::optional<std::string> HttpResponse::header(std::string_view name) const {
    for (const auto& [key, value] : headers) {
        if (beast::iequals(key, name)) return value;
    }
    return std::nullopt;
}

struct HttpsClient::Impl {
    Impl(asio::any_io_executor ex, asio::ssl::context& context, HttpOptions opts)
        : executor(std::move(ex)),
          tls(context),
          options(std::move(opts)),
          rng(options.jitter_seed) {}

    asio::any_io_executor executor;
    asio::ssl::context& tls;
    HttpOptions options;
    std::mt19937_64 rng;
    // host:port → idle kept-alive connections, most recently used last.
    std::map<std::string, std::deque<std::unique_ptr<Connection>>> idle;
    std::map<std::string, Clock::time_point> rate_limited_until;

    std::unique_ptr<Connection> take_idle(const std::string& pool_key) {
        auto it = idle.find(pool_key);
        if (it == idle.end() || it->second.empty()) return nullptr;
        auto connection = std::move(it->second.back());
        it->second.pop_back();
        return connection;
    }

    void keep_idle(const std::string& pool_key, std::unique_ptr<Connection> connection) {
        if (options.max_idle_per_host == 0) return;
        auto& pool = idle[pool_key];
        if (pool.size() >= options.max_idle_per_host) pool.pop_front();
        pool.push_back(std::move(connection));
    }

    milliseconds backoff(int failures) {
        return jittered_backoff(failures, {options.backoff_base, options.backoff_cap}, rng);
    }

    asio::awaitable<void> sleep(milliseconds delay) {
        asio::steady_timer timer(executor, delay);
        co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
    }

    // Also makes requests that start during another request's 429 back-off wait for its end.
    asio::awaitable<void> wait_rate_limit(const std::string& key) {
        for (;;) {
            const auto it = rate_limited_until.find(key);
            if (it == rate_limited_until.end()) co_return;
            if (it->second <= Clock::now()) {
                rate_limited_until.erase(it);
                co_return;
            }
            asio::steady_timer timer(executor, it->second);
            co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
        }
    }

    struct Exchange {
        beast::error_code ec;
        std::optional<http::response<http::string_body>> response;
    };

    asio::awaitable<Exchange> exchange(Connection& connection,
                                       const http::request<http::string_body>& request) {
        auto& tcp_layer = beast::get_lowest_layer(connection.stream);
        // One deadline for the write and the read together.
        tcp_layer.expires_after(options.request_timeout);
        auto [write_ec, written] = co_await http::async_write(connection.stream, request,
                                                              asio::as_tuple(asio::use_awaitable));
        if (write_ec) co_return Exchange{write_ec, std::nullopt};
        http::response_parser<http::string_body> parser;
        parser.skip(request.method() == http::verb::head);
        auto [read_ec, read] = co_await http::async_read(
            connection.stream, connection.buffer, parser, asio::as_tuple(asio::use_awaitable));
        if (read_ec) co_return Exchange{read_ec, std::nullopt};
        tcp_layer.expires_never();
        co_return Exchange{{}, parser.release()};
    }

    // Takes the body: the request is sent as built, retries included.
    http::request<http::string_body> build(HttpRequest& request) const {
        http::request<http::string_body> req{request.method, request.url.target, 11};
        req.set(http::field::host, request.url.host_header());
        req.set(http::field::user_agent, options.user_agent);
        req.set(http::field::connection, "keep-alive");
        for (const auto& [name, value] : request.headers)
            req.set(name, value);
        if (!request.content_type.empty()) {
            req.set(http::field::content_type, request.content_type);
            req.body() = std::move(request.body);
        }
        // Sets Content-Length (0 for a POST without a body, which some servers require).
        req.prepare_payload();
        return req;
    }

    asio::awaitable<HttpResult> send(HttpRequest request) {
        const std::string key =
            request.rate_limit_key.empty() ? path_of(request.url.target) : request.rate_limit_key;
        const std::string pool_key = request.url.host + ":" + request.url.port;
        // Never the query string: it may carry a token; nor a path the caller says is secret.
        const std::string what = !request.describe_as.empty()
                                     ? request.describe_as
                                     : std::string(http::to_string(request.method)) + " " +
                                           request.url.host_header() + path_of(request.url.target);
        const auto req = build(request);
        const TlsConnectTimeouts timeouts{options.resolve_timeout, options.connect_timeout,
                                          options.handshake_timeout};

        HttpResult result;
        int failures = 0;
        int rate_limit_waits = 0;
        bool fresh_connection = false;
        // Bounded: every pass adds a failure or a rate-limit wait, except the one free retry on a
        // fresh connection after a stale kept-alive one, which cannot repeat back to back.
        for (;;) {
            co_await wait_rate_limit(key);
            std::unique_ptr<Connection> connection;
            if (!fresh_connection) connection = take_idle(pool_key);
            const bool reused = connection != nullptr;
            fresh_connection = false;
            if (!connection) {
                connection = std::make_unique<Connection>(executor, tls);
                const auto connected = co_await connect_tls(connection->stream, request.url.host,
                                                            request.url.port, timeouts);
                if (!connected.ok()) {
                    ++result.attempts;
                    ++failures;
                    result.response.reset();
                    result.error = connected.error;
                    if (!connected.retriable || failures >= options.max_attempts) co_return result;
                    co_await sleep(backoff(failures));
                    continue;
                }
            }

            auto exchanged = co_await exchange(*connection, req);
            if (exchanged.ec && reused && is_peer_close(exchanged.ec)) {
                fresh_connection = true;
                continue;
            }
            ++result.attempts;
            if (exchanged.ec) {
                ++failures;
                result.response.reset();
                result.error = what + ": " + describe_network_error(exchanged.ec);
                if (failures >= options.max_attempts) co_return result;
                co_await sleep(backoff(failures));
                continue;
            }

            auto& raw = *exchanged.response;
            HttpResponse response;
            response.status = static_cast<int>(raw.result_int());
            for (const auto& field : raw) {
                response.headers.emplace_back(std::string(field.name_string()),
                                              std::string(field.value()));
            }
            response.body = std::move(raw.body());
            if (raw.keep_alive()) keep_idle(pool_key, std::move(connection));
            result.error.clear();

            if (response.status == 429) {
                if (options.on_rate_limited) options.on_rate_limited();
                const auto wait = retry_after_of(response);
                if (wait > options.max_retry_after ||
                    rate_limit_waits >= options.max_rate_limit_waits) {
                    result.response = std::move(response);
                    co_return result;
                }
                ++rate_limit_waits;
                auto& until = rate_limited_until[key];
                until = std::max(until, Clock::now() + wait);
                continue;
            }
            if (response.status >= 500 && response.status <= 599) {
                ++failures;
                result.response = std::move(response);
                if (failures >= options.max_attempts) co_return result;
                co_await sleep(backoff(failures));
                continue;
            }
            result.response = std::move(response);
            co_return result;
        }
    }
};

HttpsClient::HttpsClient(asio::any_io_executor executor, asio::ssl::context& tls,
                         HttpOptions options)
    : impl_(std::make_shared<Impl>(std::move(executor), tls, std::move(options))) {}

HttpsClient::~HttpsClient() {
    impl_->idle.clear();
}

asio::awaitable<HttpResult> HttpsClient::send(HttpRequest request) {
    // Copied before the first suspension so the send does not depend on `this`.
    auto impl = impl_;
    co_return co_await impl->send(std::move(request));
}

void HttpsClient::close_idle() {
    impl_->idle.clear();
}

}  // namespace funnelbot::bot

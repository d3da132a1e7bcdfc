// HTTPS client on Beast + OpenSSL: keep-alive per host, a deadline on every step, bounded
// retries with back-off and jitter, 429 Retry-After honoured per rate-limit key.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/beast/http/verb.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "bot/net/url.hpp"

namespace funnelbot::bot {

struct HttpRequest {
    boost::beast::http::verb method = boost::beast::http::verb::post;
    Url url;
    // Extra headers, e.g. {"Authorization", "Bearer xoxb-…"}. Values are never logged.
    std::vector<std::pair<std::string, std::string>> headers;
    std::string content_type;  // empty: no body
    std::string body;
    // Requests with the same key share a 429 back-off (Slack: the method; Discord: the route).
    // Empty: the URL's path.
    std::string rate_limit_key;
    // How error texts name this request. Empty: "METHOD host/path" (never the query string). Set
    // it when the path itself is a secret (Slack's response_url, Discord's interaction tokens).
    std::string describe_as;
};

struct HttpResponse {
    int status = 0;
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;  // as received

    // Case-insensitive header lookup.
    std::optional<std::string> header(std::string_view name) const;
};

struct HttpOptions {
    std::chrono::milliseconds resolve_timeout{5000};
    std::chrono::milliseconds connect_timeout{5000};
    std::chrono::milliseconds handshake_timeout{5000};
    std::chrono::milliseconds request_timeout{10000};  // write + read of one exchange
    int max_attempts = 4;  // the first try and the retries on 5xx, time-outs and drops
    std::chrono::milliseconds backoff_base{250};
    std::chrono::milliseconds backoff_cap{5000};
    // A 429 asking for a longer wait is returned to the caller as it is.
    std::chrono::milliseconds max_retry_after{std::chrono::seconds(60)};
    int max_rate_limit_waits = 3;  // 429s honoured per request before returning the 429
    std::size_t max_idle_per_host = 4;
    std::uint64_t jitter_seed = 0x5eed;  // randomness is passed in, never global
    std::string user_agent = "funnelbot";
    // Called on the client's executor for every 429 answer (to count rate limits); may be empty.
    std::function<void()> on_rate_limited;
};

// Either a response (any status, after retries) or the transport failure that ended it.
struct HttpResult {
    std::optional<HttpResponse> response;
    std::string error;  // what failed: "connect to localhost:8443: Connection refused"
    // Requests tried (connection failures included); the free retry of a kept-alive connection
    // that the peer had closed is not counted.
    int attempts = 0;

    bool ok() const { return response.has_value(); }
};

class HttpsClient {
public:
    HttpsClient(boost::asio::any_io_executor executor, boost::asio::ssl::context& tls,
                HttpOptions options = {});
    ~HttpsClient();
    HttpsClient(const HttpsClient&) = delete;
    HttpsClient& operator=(const HttpsClient&) = delete;

    // Sends the request, reusing an idle kept-alive connection to the same host and port when
    // there is one. Retries 5xx answers, time-outs and dropped connections with exponential
    // back-off and jitter up to max_attempts; on 429 waits Retry-After (header, or a JSON
    // `retry_after` in seconds) for that rate-limit key only, then retries. Certificates are
    // always verified (peer and host name). Never throws for network failures.
    // Await it on the client's executor. 429 waits do not use up max_attempts (they are bounded
    // by max_rate_limit_waits); a refused certificate is not retried. The client may be
    // destroyed while a send is in flight: the send keeps the shared state alive.
    boost::asio::awaitable<HttpResult> send(HttpRequest request);

    // Closes idle connections (e.g. before shutting down).
    void close_idle();

private:
    struct Impl;
    std::shared_ptr<Impl> impl_;
};

}  // namespace funnelbot::bot

// The HTTPS client and the WebSocket session against scripted TLS servers on 127.0.0.1, with a
// test CA trusted and nothing else. Every server runs on its own thread and io_context; every
// client run is bounded in time.
#include <gtest/gtest.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <boost/beast/websocket/stream.hpp>

#include <atomic>
#include <cctype>
#include <chrono>
#include <cstdlib>
#include <exception>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "bot/net/https_client.hpp"
#include "bot/net/tls_connect.hpp"
#include "bot/net/tls_context.hpp"
#include "bot/net/websocket_session.hpp"
#include "tests/support/beast_aliases.hpp"
#include "tests/support/fake_server.hpp"
#include "tests/support/temp_database.hpp"
#include "tests/support/test_certificates.hpp"
#include "tests/support/tls_test_client.hpp"

namespace funnelbot::bot {
namespace {

using namespace testing::beast_aliases;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;
using WsStream = websocket::stream<TlsStream>;
constexpr auto tuple_awaitable = asio::as_tuple(asio::use_awaitable);

milliseconds since(Clock::time_point start) {
    return std::chrono::duration_cast<milliseconds>(Clock::now() - start);
}

asio::awaitable<void> sleep_for(milliseconds delay) {
    asio::steady_timer timer(co_await asio::this_coro::executor, delay);
    co_await timer.async_wait(tuple_awaitable);
}

// A TLS server on 127.0.0.1:<ephemeral> that hands each handshaken connection to `script`.
class TlsServer {
public:
    using Script = std::function<asio::awaitable<void>(TlsStream stream, int connection)>;

    TlsServer(const std::string& cert, const std::string& key, Script script)
        : script_(std::move(script)),
          tls_(testing::fake_server::load_server_tls(cert, key, "test TLS server")),
          acceptor_(io_) {
        port_ = static_cast<unsigned short>(testing::fake_server::bind_loopback(acceptor_));
        asio::co_spawn(io_, accept_loop(), asio::detached);
        thread_ = std::thread([this] { io_.run(); });
    }
    ~TlsServer() {
        io_.stop();
        thread_.join();
    }
    TlsServer(const TlsServer&) = delete;
    TlsServer& operator=(const TlsServer&) = delete;

    unsigned short port() const { return port_; }
    int accepts() const { return accepts_; }

private:
    asio::awaitable<void> accept_loop() {
        for (int connection = 0;; ++connection) {
            auto [ec, socket] = co_await acceptor_.async_accept(tuple_awaitable);
            if (ec) co_return;
            ++accepts_;
            asio::co_spawn(io_,
                           serve(TlsStream(beast::tcp_stream(std::move(socket)), tls_), connection),
                           asio::detached);
        }
    }

    asio::awaitable<void> serve(TlsStream stream, int connection) {
        beast::get_lowest_layer(stream).expires_after(5s);
        auto [ec] = co_await stream.async_handshake(ssl::stream_base::server, tuple_awaitable);
        beast::get_lowest_layer(stream).expires_never();
        if (ec) co_return;  // the client refused our certificate
        co_await script_(std::move(stream), connection);
    }

    // Declared so that the io_context (and the coroutine frames it still holds) goes first,
    // before the TLS context and the script they refer to.
    Script script_;
    ssl::context tls_;
    asio::io_context io_;
    asio::ip::tcp::acceptor acceptor_;
    unsigned short port_ = 0;
    std::atomic<int> accepts_{0};
    std::thread thread_;
};

// What the HTTP server received, header names lower-cased.
struct Received {
    std::string method;
    std::string target;
    std::map<std::string, std::string> headers;
    std::string body;
    int connection = 0;
};

struct Reply {
    int status = 200;
    std::string body = R"({"ok":true})";
    std::vector<std::pair<std::string, std::string>> headers;
    bool silent = false;       // read the request, never answer
    bool close_after = false;  // answer (keep-alive), then drop the TCP connection
    milliseconds delay{0};     // answer this late (other connections are served meanwhile)
};

class HttpServer {
public:
    // `respond` runs on the server thread; `index` counts requests to the same target from 0.
    using Responder = std::function<Reply(const Received&, int index)>;

    HttpServer(const std::string& cert, const std::string& key, Responder respond)
        : respond_(std::move(respond)),
          server_(cert, key, [this](TlsStream stream, int connection) {
              return serve(std::move(stream), connection);
          }) {}

    unsigned short port() const { return server_.port(); }
    int accepts() const { return server_.accepts(); }
    std::vector<Received> received() const {
        std::lock_guard lock(mutex_);
        return received_;
    }
    int count(const std::string& target) const {
        std::lock_guard lock(mutex_);
        int n = 0;
        for (const auto& r : received_)
            n += r.target == target ? 1 : 0;
        return n;
    }

private:
    asio::awaitable<void> serve(TlsStream stream, int connection) {
        beast::flat_buffer buffer;
        for (;;) {
            http::request<http::string_body> request;
            auto [ec, bytes] = co_await http::async_read(stream, buffer, request, tuple_awaitable);
            if (ec) co_return;
            Received got;
            got.method = std::string(request.method_string());
            got.target = std::string(request.target());
            for (const auto& field : request) {
                std::string name(field.name_string());
                for (auto& c : name)
                    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
                got.headers[name] = std::string(field.value());
            }
            got.body = request.body();
            got.connection = connection;
            const int index = count(got.target);
            {
                std::lock_guard lock(mutex_);
                received_.push_back(got);
            }
            const Reply reply = respond_(got, index);
            if (reply.silent) {
                co_await sleep_for(10s);  // ended early by the server's shutdown
                co_return;
            }
            if (reply.delay > 0ms) co_await sleep_for(reply.delay);
            http::response<http::string_body> response{static_cast<http::status>(reply.status), 11};
            for (const auto& [name, value] : reply.headers)
                response.set(name, value);
            response.body() = reply.body;
            response.keep_alive(request.keep_alive());
            response.prepare_payload();
            auto [write_ec, written] =
                co_await http::async_write(stream, response, tuple_awaitable);
            if (write_ec) co_return;
            if (reply.close_after) {
                beast::get_lowest_layer(stream).close();
                co_return;
            }
        }
    }

    Responder respond_;
    mutable std::mutex mutex_;
    std::vector<Received> received_;
    TlsServer server_;  // last: stopped before the state its thread touches
};

// Runs `body` on a fresh io_context until it and everything it started has finished, at most
// `limit`; returns how long that took. Work left running at the limit fails the test.
template <class Body>
milliseconds run_client(Body body, milliseconds limit = 5s) {
    asio::io_context io;
    bool done = false;
    std::exception_ptr failure;
    asio::co_spawn(io, body(io.get_executor()), [&](std::exception_ptr e) {
        failure = e;
        done = true;
    });
    const auto start = Clock::now();
    io.run_for(limit);
    const auto took = since(start);
    EXPECT_TRUE(done) << "the client coroutine did not finish";
    EXPECT_LT(took, limit) << "work was still pending on the client's io_context";
    if (failure) std::rethrow_exception(failure);
    return took;
}

Url url_of(const std::string& scheme, unsigned short port, const std::string& target) {
    auto url = Url::parse(scheme + "://localhost:" + std::to_string(port) + target);
    if (!url) throw std::runtime_error("bad test URL");
    return *url;
}

HttpOptions quick_http_options() {
    HttpOptions options;
    options.resolve_timeout = 1s;
    options.connect_timeout = 1s;
    options.handshake_timeout = 1s;
    options.request_timeout = 1s;
    options.max_attempts = 3;
    options.backoff_base = 20ms;
    options.backoff_cap = 100ms;
    options.user_agent = "funnelbot-test";
    return options;
}

HttpRequest get(const Url& url, std::string key = {}) {
    HttpRequest request;
    request.method = http::verb::get;
    request.url = url;
    request.rate_limit_key = std::move(key);
    return request;
}

class TransportTest : public ::testing::Test {
protected:
    testing::TempDir dir_;
    testing::TestPki pki_ = testing::make_test_pki(dir_.path().string());
    ssl::context tls_ = testing::client_tls_trusting(pki_.ca_cert);
};

// ---------------------------------------------------------------------------------------------
// HTTPS

TEST_F(TransportTest, HttpsPostRoundTripSendsHeadersAndReusesTheConnection) {
    HttpServer server(pki_.server_cert, pki_.server_key, [](const Received& r, int) {
        Reply reply;
        reply.body = R"({"ok":true,"target":")" + r.target + "\"}";
        reply.headers = {{"X-Echo", "yes"}};
        return reply;
    });
    HttpResult post;
    HttpResult second;
    run_client([&](asio::any_io_executor ex) -> asio::awaitable<void> {
        HttpsClient client(ex, tls_, quick_http_options());
        HttpRequest request;
        request.url = url_of("https", server.port(), "/api/chat.postMessage");
        request.headers = {{"Authorization", "Bearer xoxb-test"}};
        request.content_type = "application/json; charset=utf-8";
        request.body = R"({"channel":"C1","text":"hi"})";
        post = co_await client.send(request);
        second =
            co_await client.send(get(url_of("https", server.port(), "/api/users.info?user=U1")));
    });

    ASSERT_TRUE(post.ok()) << post.error;
    EXPECT_EQ(post.response->status, 200);
    EXPECT_EQ(post.response->body, R"({"ok":true,"target":"/api/chat.postMessage"})");
    EXPECT_EQ(post.response->header("x-echo"), "yes");  // case-insensitive lookup
    EXPECT_EQ(post.response->header("X-Missing"), std::nullopt);
    EXPECT_EQ(post.attempts, 1);
    ASSERT_TRUE(second.ok()) << second.error;
    EXPECT_EQ(second.response->status, 200);

    const auto got = server.received();
    ASSERT_EQ(got.size(), 2U);
    EXPECT_EQ(got[0].method, "POST");
    EXPECT_EQ(got[0].target, "/api/chat.postMessage");
    EXPECT_EQ(got[0].headers.at("host"), "localhost:" + std::to_string(server.port()));
    EXPECT_EQ(got[0].headers.at("user-agent"), "funnelbot-test");
    EXPECT_EQ(got[0].headers.at("content-type"), "application/json; charset=utf-8");
    EXPECT_EQ(got[0].headers.at("content-length"), "28");
    EXPECT_EQ(got[0].headers.at("authorization"), "Bearer xoxb-test");
    EXPECT_EQ(got[0].headers.at("connection"), "keep-alive");
    EXPECT_EQ(got[0].body, R"({"channel":"C1","text":"hi"})");
    EXPECT_EQ(got[1].method, "GET");
    EXPECT_EQ(got[1].target, "/api/users.info?user=U1");
    EXPECT_EQ(got[1].headers.count("content-type"), 0U);
    EXPECT_EQ(got[1].body, "");
    // Keep-alive: both requests over one TCP connection.
    EXPECT_EQ(got[1].connection, got[0].connection);
    EXPECT_EQ(server.accepts(), 1);
}

TEST_F(TransportTest, HttpsRetries5xxWithBackoffUpToMaxAttempts) {
    HttpServer server(pki_.server_cert, pki_.server_key, [](const Received& r, int index) {
        Reply reply;
        if (r.target == "/flaky" && index == 0) reply.status = 500;
        if (r.target == "/down") {
            reply.status = 503;
            reply.body = "down " + std::to_string(index);
        }
        return reply;
    });
    HttpResult flaky;
    HttpResult down;
    milliseconds down_took{};
    run_client([&](asio::any_io_executor ex) -> asio::awaitable<void> {
        HttpsClient client(ex, tls_, quick_http_options());
        flaky = co_await client.send(get(url_of("https", server.port(), "/flaky")));
        const auto start = Clock::now();
        down = co_await client.send(get(url_of("https", server.port(), "/down")));
        down_took = since(start);
    });

    ASSERT_TRUE(flaky.ok()) << flaky.error;
    EXPECT_EQ(flaky.response->status, 200);
    EXPECT_EQ(flaky.attempts, 2);
    EXPECT_EQ(server.count("/flaky"), 2);

    // The last 503 comes back as a response, not as a transport error.
    ASSERT_TRUE(down.ok()) << down.error;
    EXPECT_EQ(down.response->status, 503);
    EXPECT_EQ(down.response->body, "down 2");
    EXPECT_EQ(down.attempts, 3);
    EXPECT_EQ(server.count("/down"), 3);
    // Two back-offs of at least half of 20 ms and 40 ms.
    EXPECT_GE(down_took, 30ms);
    EXPECT_LT(down_took, 1s);
}

TEST_F(TransportTest, Https429WaitsRetryAfterForThatKeyOnly) {
    using namespace asio::experimental::awaitable_operators;
    HttpServer server(pki_.server_cert, pki_.server_key, [](const Received& r, int index) {
        Reply reply;
        if (r.target == "/limited" && index == 0) {
            reply.status = 429;
            reply.headers = {{"Retry-After", "1"}};
            reply.body = R"({"ok":false,"error":"ratelimited"})";
        } else if (r.target == "/discord" && index == 0) {
            reply.status = 429;  // no header: Discord's JSON body, fractional seconds
            reply.body =
                R"({"message":"You are being rate limited.","retry_after":0.3,"global":false})";
        } else if (r.target == "/too-long") {
            reply.status = 429;
            reply.headers = {{"Retry-After", "120"}};
        } else if (r.target == "/always") {
            reply.status = 429;
            reply.headers = {{"Retry-After", "0"}};
        }
        return reply;
    });
    HttpResult limited, other, same_key, discord, too_long, always;
    milliseconds limited_took{}, other_took{}, same_key_done{}, discord_took{}, too_long_took{};
    run_client([&](asio::any_io_executor ex) -> asio::awaitable<void> {
        auto options = quick_http_options();
        options.max_retry_after = 10s;
        options.max_rate_limit_waits = 2;
        HttpsClient client(ex, tls_, options);
        const auto start = Clock::now();
        auto first = [&]() -> asio::awaitable<void> {
            limited = co_await client.send(get(url_of("https", server.port(), "/limited"), "a"));
            limited_took = since(start);
        };
        // Starts once the 429 for key "a" is in: key "b" goes at once, key "a" waits.
        auto others = [&]() -> asio::awaitable<void> {
            co_await sleep_for(250ms);
            const auto other_start = Clock::now();
            other = co_await client.send(get(url_of("https", server.port(), "/other"), "b"));
            other_took = since(other_start);
            same_key = co_await client.send(get(url_of("https", server.port(), "/other"), "a"));
            same_key_done = since(start);
        };
        co_await (first() && others());

        auto timed = [&](const std::string& target,
                         milliseconds& took) -> asio::awaitable<HttpResult> {
            const auto t0 = Clock::now();
            auto result = co_await client.send(get(url_of("https", server.port(), target)));
            took = since(t0);
            co_return result;
        };
        discord = co_await timed("/discord", discord_took);
        too_long = co_await timed("/too-long", too_long_took);
        milliseconds ignored{};
        always = co_await timed("/always", ignored);
    });

    ASSERT_TRUE(limited.ok()) << limited.error;
    EXPECT_EQ(limited.response->status, 200);
    EXPECT_EQ(limited.attempts, 2);
    EXPECT_GE(limited_took, 1000ms);
    EXPECT_LT(limited_took, 2000ms);
    ASSERT_TRUE(other.ok()) << other.error;
    EXPECT_LT(other_took, 500ms) << "another key must not wait for key a's back-off";
    ASSERT_TRUE(same_key.ok()) << same_key.error;
    EXPECT_GE(same_key_done, 1000ms) << "a request with key a must wait for the back-off";
    EXPECT_EQ(same_key.attempts, 1);

    ASSERT_TRUE(discord.ok()) << discord.error;
    EXPECT_EQ(discord.response->status, 200);
    EXPECT_GE(discord_took, 300ms);
    EXPECT_LT(discord_took, 950ms) << "retry_after 0.3 s, not the 1 s default";

    // Longer than max_retry_after: returned as is, at once.
    ASSERT_TRUE(too_long.ok()) << too_long.error;
    EXPECT_EQ(too_long.response->status, 429);
    EXPECT_EQ(too_long.attempts, 1);
    EXPECT_LT(too_long_took, 500ms);

    // max_rate_limit_waits = 2: three tries, then the 429.
    ASSERT_TRUE(always.ok()) << always.error;
    EXPECT_EQ(always.response->status, 429);
    EXPECT_EQ(always.attempts, 3);
    EXPECT_EQ(server.count("/always"), 3);
}

TEST_F(TransportTest, HttpsSilentServerTimesOutAndIsRetried) {
    HttpServer server(pki_.server_cert, pki_.server_key, [](const Received&, int) {
        Reply reply;
        reply.silent = true;
        return reply;
    });
    HttpResult result;
    milliseconds took{};
    run_client([&](asio::any_io_executor ex) -> asio::awaitable<void> {
        auto options = quick_http_options();
        options.request_timeout = 300ms;
        options.max_attempts = 2;
        options.backoff_base = 10ms;
        HttpsClient client(ex, tls_, options);
        const auto start = Clock::now();
        result = co_await client.send(get(url_of("https", server.port(), "/slow?token=secret")));
        took = since(start);
    });

    EXPECT_FALSE(result.ok());
    EXPECT_NE(result.error.find("timed out"), std::string::npos) << result.error;
    EXPECT_EQ(result.error.find("secret"), std::string::npos) << "no query string in errors";
    EXPECT_EQ(result.attempts, 2);
    EXPECT_GE(took, 600ms);
    EXPECT_LT(took, 2000ms);
    // A timed-out connection is never reused.
    EXPECT_EQ(server.accepts(), 2);

    // A path that is itself a secret (Slack's response_url) never reaches an error text.
    run_client([&](asio::any_io_executor ex) -> asio::awaitable<void> {
        auto options = quick_http_options();
        options.request_timeout = 200ms;
        options.max_attempts = 1;
        HttpsClient client(ex, tls_, options);
        auto request = get(url_of("https", server.port(), "/hooks/commands/T1/2/s3cr3t"));
        request.describe_as = "POST response_url";
        result = co_await client.send(std::move(request));
    });
    EXPECT_FALSE(result.ok());
    EXPECT_NE(result.error.find("POST response_url"), std::string::npos) << result.error;
    EXPECT_EQ(result.error.find("s3cr3t"), std::string::npos) << result.error;
}

TEST_F(TransportTest, HttpsRecoversWhenTheServerClosedAKeptAliveConnection) {
    HttpServer server(pki_.server_cert, pki_.server_key, [](const Received& r, int) {
        Reply reply;
        reply.close_after = r.target == "/first";
        return reply;
    });
    HttpResult first;
    HttpResult second;
    run_client([&](asio::any_io_executor ex) -> asio::awaitable<void> {
        HttpsClient client(ex, tls_, quick_http_options());
        first = co_await client.send(get(url_of("https", server.port(), "/first")));
        co_await sleep_for(100ms);  // the close has reached the client's idle connection
        second = co_await client.send(get(url_of("https", server.port(), "/second")));
    });

    ASSERT_TRUE(first.ok()) << first.error;
    ASSERT_TRUE(second.ok()) << second.error;
    EXPECT_EQ(second.response->status, 200);
    EXPECT_EQ(second.attempts, 1) << "a stale kept-alive connection is not a failed attempt";
    EXPECT_EQ(server.accepts(), 2);
    EXPECT_EQ(server.count("/second"), 1);
}

// A burst of requests in flight together opens a connection each; the next burst reuses the
// ones kept alive, up to max_idle_per_host. (Discord's callbacks keep 16: with 4, busy times
// opened and TLS-handshook a connection for most callbacks.)
TEST_F(TransportTest, HttpsKeepsUpToMaxIdlePerHostConnectionsForTheNextBurst) {
    HttpServer server(pki_.server_cert, pki_.server_key, [](const Received&, int) {
        Reply reply;
        reply.delay = 100ms;  // so that a burst's requests are all in flight at once
        return reply;
    });
    constexpr int kBurst = 12;
    // Two bursts through one client keeping `idle` connections; returns the connections opened.
    const auto connections_for_two_bursts = [&](std::size_t idle) {
        const int before = server.accepts();
        int ok = 0;
        run_client(
            [&](asio::any_io_executor ex) -> asio::awaitable<void> {
                HttpOptions options = quick_http_options();
                // Generous: a time-out would retry on a new connection and skew the count
                // (sanitizer builds handshake twelve times on a loaded machine).
                options.handshake_timeout = 10s;
                options.request_timeout = 10s;
                options.max_idle_per_host = idle;
                HttpsClient client(ex, tls_, options);
                for (int burst = 0; burst < 2; ++burst) {
                    int done = 0;
                    for (int i = 0; i < kBurst; ++i) {
                        asio::co_spawn(
                            ex,
                            [&]() -> asio::awaitable<void> {
                                const auto got = co_await client.send(
                                    get(url_of("https", server.port(), "/burst")));
                                ok += got.ok() ? 1 : 0;
                                ++done;
                            },
                            asio::detached);
                    }
                    for (int wait = 0; wait < 2500 && done < kBurst; ++wait)
                        co_await sleep_for(10ms);
                }
            },
            60s);
        EXPECT_EQ(ok, 2 * kBurst) << "idle " << idle;
        return server.accepts() - before;
    };
    EXPECT_EQ(connections_for_two_bursts(16), kBurst);  // the second burst opened none
    EXPECT_EQ(connections_for_two_bursts(4), kBurst + (kBurst - 4));
}

TEST_F(TransportTest, RefusesWrongHostAndUntrustedCertificates) {
    auto ok = [](const Received&, int) { return Reply{}; };
    HttpServer wrong_host(pki_.wrong_host_cert, pki_.wrong_host_key, ok);
    HttpServer right_host(pki_.server_cert, pki_.server_key, ok);
    testing::TempDir other_dir;
    const auto other_pki = testing::make_test_pki(other_dir.path().string());
    ssl::context other_ca = testing::client_tls_trusting(other_pki.ca_cert);

    HttpResult wrong, untrusted;
    std::shared_ptr<WebSocketSession> ws_wrong;
    std::string ws_error;
    run_client([&](asio::any_io_executor ex) -> asio::awaitable<void> {
        HttpsClient client(ex, tls_, quick_http_options());
        wrong = co_await client.send(get(url_of("https", wrong_host.port(), "/")));
        HttpsClient distrusting(ex, other_ca, quick_http_options());
        untrusted = co_await distrusting.send(get(url_of("https", right_host.port(), "/")));
        WebSocketOptions options;
        options.connect_timeout = 1s;
        ws_wrong = co_await WebSocketSession::connect(
            ex, tls_, url_of("wss", wrong_host.port(), "/"), options, ws_error);
    });

    EXPECT_FALSE(wrong.ok());
    EXPECT_NE(wrong.error.find("certificate verify failed"), std::string::npos) << wrong.error;
    EXPECT_EQ(wrong.attempts, 1) << "a refused certificate is not retried";
    EXPECT_FALSE(untrusted.ok());
    EXPECT_NE(untrusted.error.find("certificate verify failed"), std::string::npos)
        << untrusted.error;
    EXPECT_EQ(untrusted.attempts, 1);
    EXPECT_EQ(ws_wrong, nullptr);
    EXPECT_NE(ws_error.find("certificate verify failed"), std::string::npos) << ws_error;
    EXPECT_TRUE(wrong_host.received().empty());
    EXPECT_TRUE(right_host.received().empty());
}

// A connection keeps OpenSSL's record buffers between records (Asio's engine asks for them to be
// freed whenever they empty, an allocation and a free of 16 KiB per record read), and reads
// record after record through them.
TEST_F(TransportTest, ATlsConnectionKeepsItsRecordBuffersAndReadsRecordAfterRecord) {
    TlsServer server(pki_.server_cert, pki_.server_key,
                     [](TlsStream stream, int) -> asio::awaitable<void> {
                         for (const char* record : {"one", "two", "three"}) {
                             co_await asio::async_write(stream, asio::buffer(std::string(record)),
                                                        tuple_awaitable);
                             co_await sleep_for(20ms);  // one TLS record each
                         }
                     });
    const std::string sent = "onetwothree";
    long mode_before = 0;
    long mode_after = 0;
    std::string received;
    run_client([&](asio::any_io_executor ex) -> asio::awaitable<void> {
        TlsStream stream(beast::tcp_stream(ex), tls_);
        mode_before = SSL_get_mode(stream.native_handle());
        const TlsConnectResult connected =
            co_await connect_tls(stream, "127.0.0.1", std::to_string(server.port()), {1s, 1s, 1s});
        EXPECT_TRUE(connected.ok()) << connected.error;
        if (!connected.ok()) co_return;
        mode_after = SSL_get_mode(stream.native_handle());
        char buf[16];
        while (received.size() < sent.size()) {
            auto [ec, n] = co_await stream.async_read_some(asio::buffer(buf), tuple_awaitable);
            if (ec) break;
            received.append(buf, n);
        }
    });
    EXPECT_NE(mode_before & SSL_MODE_RELEASE_BUFFERS, 0) << "Asio's default, taken back";
    EXPECT_EQ(mode_after & SSL_MODE_RELEASE_BUFFERS, 0);
    EXPECT_EQ(received, sent);
}

// Restores an environment variable when the test ends, however it ends.
class EnvGuard {
public:
    explicit EnvGuard(const char* name) : name_(name) {
        if (const char* value = std::getenv(name)) old_ = value;
    }
    ~EnvGuard() {
        if (old_) {
            setenv(name_, old_->c_str(), 1);
        } else {
            unsetenv(name_);
        }
    }
    EnvGuard(const EnvGuard&) = delete;
    EnvGuard& operator=(const EnvGuard&) = delete;

private:
    const char* name_;
    std::optional<std::string> old_;
};

TEST_F(TransportTest, ClientContextTrustsSslCertFile) {
    HttpServer server(pki_.server_cert, pki_.server_key,
                      [](const Received&, int) { return Reply{}; });
    std::optional<ssl::context> tls;
    {
        EnvGuard guard("SSL_CERT_FILE");
        setenv("SSL_CERT_FILE", pki_.ca_cert.c_str(), 1);
        tls.emplace(make_client_tls_context());
    }
    HttpResult result;
    run_client([&](asio::any_io_executor ex) -> asio::awaitable<void> {
        HttpsClient client(ex, *tls, quick_http_options());
        result = co_await client.send(get(url_of("https", server.port(), "/")));
    });
    ASSERT_TRUE(result.ok()) << result.error;
    EXPECT_EQ(result.response->status, 200);
}

// ---------------------------------------------------------------------------------------------
// WebSocket

// Reads the upgrade request (to check its headers) and accepts it.
asio::awaitable<bool> accept_upgrade(WsStream& ws, std::string* user_agent = nullptr) {
    beast::flat_buffer buffer;
    http::request<http::string_body> request;
    auto [ec, bytes] = co_await http::async_read(ws.next_layer(), buffer, request, tuple_awaitable);
    if (ec) co_return false;
    if (user_agent) *user_agent = std::string(request[http::field::user_agent]);
    auto [accept_ec] = co_await ws.async_accept(request, tuple_awaitable);
    co_return !accept_ec;
}

// Holds the connection open, reading nothing and answering nothing.
asio::awaitable<void> go_silent(WsStream&) {
    co_await sleep_for(10s);
}

WebSocketOptions quick_ws_options() {
    WebSocketOptions options;
    options.connect_timeout = 1s;
    options.ping_interval = 100ms;
    options.stale_after = 2s;
    options.close_timeout = 500ms;
    options.user_agent = "funnelbot-test";
    return options;
}

// What a client-side session saw, touched only on the client's thread.
struct Observed {
    std::vector<std::string> texts;
    std::vector<CloseInfo> closes;
    milliseconds closed_at{};
};

TEST_F(TransportTest, WebSocketEchoesInOrderAndPingsOnInterval) {
    std::mutex mutex;
    std::string user_agent;
    std::vector<Clock::time_point> pings;
    int server_close_code = -1;
    TlsServer server(pki_.server_cert, pki_.server_key,
                     [&](TlsStream stream, int) -> asio::awaitable<void> {
                         WsStream ws(std::move(stream));
                         std::string agent;
                         if (!co_await accept_upgrade(ws, &agent)) co_return;
                         {
                             std::lock_guard lock(mutex);
                             user_agent = agent;
                         }
                         ws.control_callback([&](websocket::frame_type kind, beast::string_view) {
                             std::lock_guard lock(mutex);
                             if (kind == websocket::frame_type::ping) pings.push_back(Clock::now());
                         });
                         ws.text(true);
                         std::string hello = "hello";
                         co_await ws.async_write(asio::buffer(hello), tuple_awaitable);
                         beast::flat_buffer buffer;
                         for (;;) {
                             auto [ec, n] = co_await ws.async_read(buffer, tuple_awaitable);
                             if (ec) {
                                 std::lock_guard lock(mutex);
                                 server_close_code = ws.reason().code;
                                 co_return;
                             }
                             std::string echo = "echo:" + beast::buffers_to_string(buffer.data());
                             buffer.clear();
                             co_await ws.async_write(asio::buffer(echo), tuple_awaitable);
                         }
                     });

    Observed seen;
    std::weak_ptr<WebSocketSession> weak;
    bool open_after_close = true;
    const auto start = Clock::now();
    run_client([&](asio::any_io_executor ex) -> asio::awaitable<void> {
        std::string error;
        // Only pongs arrive after the first echoes: they alone must keep the session from
        // going stale.
        auto options = quick_ws_options();
        options.stale_after = 300ms;
        auto session = co_await WebSocketSession::connect(
            ex, tls_, url_of("wss", server.port(), "/link/?ticket=t1"), options, error);
        EXPECT_NE(session, nullptr) << error;
        if (!session) co_return;
        weak = session;
        EXPECT_TRUE(session->is_open());
        session->start([&](std::string_view text) { seen.texts.emplace_back(text); },
                       [&](CloseInfo info) {
                           seen.closes.push_back(std::move(info));
                           seen.closed_at = since(start);
                       });
        // A burst: all queued before the writer runs once.
        for (int i = 0; i < 50; ++i)
            session->send("m" + std::to_string(i));
        co_await sleep_for(650ms);
        session->close();
        open_after_close = session->is_open();
        session->send("after close");  // ignored
    });

    std::vector<std::string> expected{"hello"};
    for (int i = 0; i < 50; ++i)
        expected.push_back("echo:m" + std::to_string(i));
    EXPECT_EQ(seen.texts, expected);
    ASSERT_EQ(seen.closes.size(), 1U);
    EXPECT_TRUE(seen.closes[0].by_us);
    EXPECT_FALSE(seen.closes[0].stale);
    EXPECT_EQ(seen.closes[0].code, 1000);  // the server's answer to our close frame
    EXPECT_FALSE(open_after_close);
    EXPECT_TRUE(weak.expired()) << "the session's coroutines must all have ended";

    // The server thread may still be finishing its side of the close handshake.
    std::unique_lock lock(mutex);
    for (int i = 0; i < 100 && server_close_code == -1; ++i) {
        lock.unlock();
        std::this_thread::sleep_for(10ms);
        lock.lock();
    }
    EXPECT_EQ(user_agent, "funnelbot-test");
    EXPECT_EQ(server_close_code, 1000);
    // 650 ms at a 100 ms interval: six pings, fewer if the machine is slow.
    EXPECT_GE(pings.size(), 4U);
    EXPECT_LE(pings.size(), 7U);
    // On the interval, not in a burst (the average spacing, robust to a late read).
    if (pings.size() >= 2) {
        EXPECT_GE((pings.back() - pings.front()) / static_cast<long>(pings.size() - 1), 80ms);
    }
}

TEST_F(TransportTest, WebSocketSilentServerIsDetectedAsStale) {
    TlsServer server(pki_.server_cert, pki_.server_key,
                     [](TlsStream stream, int) -> asio::awaitable<void> {
                         WsStream ws(std::move(stream));
                         if (!co_await accept_upgrade(ws)) co_return;
                         co_await go_silent(ws);
                     });
    Observed seen;
    std::weak_ptr<WebSocketSession> weak;
    milliseconds started_at{};
    const auto start = Clock::now();
    run_client([&](asio::any_io_executor ex) -> asio::awaitable<void> {
        auto options = quick_ws_options();
        options.stale_after = 400ms;
        std::string error;
        auto session = co_await WebSocketSession::connect(
            ex, tls_, url_of("wss", server.port(), "/"), options, error);
        EXPECT_NE(session, nullptr) << error;
        if (!session) co_return;
        weak = session;
        started_at = since(start);
        session->start([&](std::string_view text) { seen.texts.emplace_back(text); },
                       [&](CloseInfo info) {
                           seen.closes.push_back(std::move(info));
                           seen.closed_at = since(start);
                       });
    });

    ASSERT_EQ(seen.closes.size(), 1U);
    EXPECT_TRUE(seen.closes[0].stale);
    EXPECT_FALSE(seen.closes[0].by_us);
    EXPECT_EQ(seen.closes[0].code, 0);
    const auto after = seen.closed_at - started_at;
    EXPECT_GE(after, 390ms);
    EXPECT_LT(after, 1200ms);
    EXPECT_TRUE(weak.expired());
}

TEST_F(TransportTest, WebSocketReportsTheServersCloseCode) {
    TlsServer server(
        pki_.server_cert, pki_.server_key, [](TlsStream stream, int) -> asio::awaitable<void> {
            WsStream ws(std::move(stream));
            if (!co_await accept_upgrade(ws)) co_return;
            co_await sleep_for(50ms);
            co_await ws.async_close(
                websocket::close_reason(static_cast<websocket::close_code>(4000), "reconnect"),
                tuple_awaitable);
        });
    Observed seen;
    std::weak_ptr<WebSocketSession> weak;
    run_client([&](asio::any_io_executor ex) -> asio::awaitable<void> {
        std::string error;
        auto session = co_await WebSocketSession::connect(
            ex, tls_, url_of("wss", server.port(), "/"), quick_ws_options(), error);
        EXPECT_NE(session, nullptr) << error;
        if (!session) co_return;
        weak = session;
        session->start([&](std::string_view text) { seen.texts.emplace_back(text); },
                       [&](CloseInfo info) { seen.closes.push_back(std::move(info)); });
    });

    ASSERT_EQ(seen.closes.size(), 1U);
    EXPECT_EQ(seen.closes[0].code, 4000);
    EXPECT_EQ(seen.closes[0].reason, "reconnect");
    EXPECT_FALSE(seen.closes[0].by_us);
    EXPECT_FALSE(seen.closes[0].stale);
    EXPECT_TRUE(weak.expired());
}

TEST_F(TransportTest, WebSocketCloseIsBoundedWhenThePeerNeverAnswers) {
    TlsServer server(pki_.server_cert, pki_.server_key,
                     [](TlsStream stream, int) -> asio::awaitable<void> {
                         WsStream ws(std::move(stream));
                         if (!co_await accept_upgrade(ws)) co_return;
                         co_await go_silent(ws);
                     });
    Observed seen;
    std::weak_ptr<WebSocketSession> weak;
    const auto start = Clock::now();
    milliseconds close_called{};
    run_client([&](asio::any_io_executor ex) -> asio::awaitable<void> {
        auto options = quick_ws_options();
        options.close_timeout = 300ms;
        options.stale_after = 10s;
        std::string error;
        auto session = co_await WebSocketSession::connect(
            ex, tls_, url_of("wss", server.port(), "/"), options, error);
        EXPECT_NE(session, nullptr) << error;
        if (!session) co_return;
        weak = session;
        session->start([&](std::string_view text) { seen.texts.emplace_back(text); },
                       [&](CloseInfo info) {
                           seen.closes.push_back(std::move(info));
                           seen.closed_at = since(start);
                       });
        co_await sleep_for(50ms);
        close_called = since(start);
        session->close(1001);
        session->close();  // idempotent
    });

    ASSERT_EQ(seen.closes.size(), 1U);
    EXPECT_TRUE(seen.closes[0].by_us);
    EXPECT_FALSE(seen.closes[0].stale);
    EXPECT_EQ(seen.closes[0].code, 0) << "the peer never answered";
    const auto after = seen.closed_at - close_called;
    EXPECT_GE(after, 290ms);
    EXPECT_LT(after, 1200ms);
    EXPECT_TRUE(weak.expired());
}

// Sends a frame every 50 ms (so the client never sees it as silent) and reads nothing.
asio::awaitable<void> talk_without_reading(WsStream& ws) {
    ws.text(true);
    for (int i = 0; i < 100; ++i) {
        std::string tick = "tick";
        auto [ec, n] = co_await ws.async_write(asio::buffer(tick), tuple_awaitable);
        if (ec) co_return;
        co_await sleep_for(50ms);
    }
}

// A peer that keeps talking but stopped reading is found out two ways: a write that waits past
// write_timeout, or more than max_queued_bytes waiting for the writer. Either ends the session
// as stale, once, instead of queueing without limit.
TEST_F(TransportTest, WebSocketPeerThatStopsReadingIsDetected) {
    TlsServer server(pki_.server_cert, pki_.server_key,
                     [](TlsStream stream, int) -> asio::awaitable<void> {
                         WsStream ws(std::move(stream));
                         if (!co_await accept_upgrade(ws)) co_return;
                         co_await talk_without_reading(ws);
                     });
    const std::string chunk(256 * 1024, 'x');
    for (const bool by_deadline : {true, false}) {
        SCOPED_TRACE(by_deadline ? "write deadline" : "queue bound");
        Observed seen;
        std::weak_ptr<WebSocketSession> weak;
        run_client([&](asio::any_io_executor ex) -> asio::awaitable<void> {
            auto options = quick_ws_options();
            options.stale_after = 10s;
            options.write_timeout = by_deadline ? 300ms : 10s;
            options.max_queued_bytes = by_deadline ? 1024 * 1024 * 1024 : 2 * 1024 * 1024;
            std::string error;
            auto session = co_await WebSocketSession::connect(
                ex, tls_, url_of("wss", server.port(), "/"), options, error);
            EXPECT_NE(session, nullptr) << error;
            if (!session) co_return;
            weak = session;
            session->start([&](std::string_view text) { seen.texts.emplace_back(text); },
                           [&](CloseInfo info) { seen.closes.push_back(std::move(info)); });
            // 64 MiB in all: far more than loopback's socket buffers hold.
            for (int i = 0; i < 256 && seen.closes.empty(); ++i) {
                session->send(chunk);
                co_await sleep_for(1ms);
            }
        });
        ASSERT_EQ(seen.closes.size(), 1U);
        EXPECT_TRUE(seen.closes[0].stale);
        EXPECT_FALSE(seen.closes[0].by_us);
        EXPECT_NE(seen.closes[0].reason.find("the peer is not reading"), std::string::npos)
            << seen.closes[0].reason;
        EXPECT_NE(seen.closes[0].reason.find(by_deadline ? "a write waited" : "bytes waiting"),
                  std::string::npos)
            << seen.closes[0].reason;
        EXPECT_FALSE(seen.texts.empty()) << "the peer was talking all along";
        EXPECT_TRUE(weak.expired());
    }
}

// An exception thrown by on_text ends that session with a reason saying so; it does not escape
// into io_context::run (which would end the whole process).
TEST_F(TransportTest, WebSocketCallbackThatThrowsEndsOnlyItsSession) {
    TlsServer server(pki_.server_cert, pki_.server_key,
                     [](TlsStream stream, int) -> asio::awaitable<void> {
                         WsStream ws(std::move(stream));
                         if (!co_await accept_upgrade(ws)) co_return;
                         co_await talk_without_reading(ws);
                     });
    Observed seen;
    std::weak_ptr<WebSocketSession> weak;
    run_client([&](asio::any_io_executor ex) -> asio::awaitable<void> {
        std::string error;
        auto session = co_await WebSocketSession::connect(
            ex, tls_, url_of("wss", server.port(), "/"), quick_ws_options(), error);
        EXPECT_NE(session, nullptr) << error;
        if (!session) co_return;
        weak = session;
        session->start(
            [&](std::string_view text) {
                seen.texts.emplace_back(text);
                throw std::runtime_error("a handler bug");
            },
            [&](CloseInfo info) { seen.closes.push_back(std::move(info)); });
    });
    EXPECT_EQ(seen.texts.size(), 1U) << "nothing is delivered after the failure";
    ASSERT_EQ(seen.closes.size(), 1U);
    EXPECT_NE(seen.closes[0].reason.find("handling a frame failed: a handler bug"),
              std::string::npos)
        << seen.closes[0].reason;
    EXPECT_TRUE(weak.expired());
}

TEST_F(TransportTest, WebSocketAbruptDropEndsTheSessionOnce) {
    TlsServer server(pki_.server_cert, pki_.server_key,
                     [](TlsStream stream, int) -> asio::awaitable<void> {
                         WsStream ws(std::move(stream));
                         if (!co_await accept_upgrade(ws)) co_return;
                         ws.text(true);
                         std::string bye = "bye";
                         co_await ws.async_write(asio::buffer(bye), tuple_awaitable);
                         co_await sleep_for(50ms);
                         beast::get_lowest_layer(ws).close();  // no close frame, no TLS close
                     });
    Observed seen;
    std::weak_ptr<WebSocketSession> weak;
    run_client([&](asio::any_io_executor ex) -> asio::awaitable<void> {
        std::string error;
        auto session = co_await WebSocketSession::connect(
            ex, tls_, url_of("wss", server.port(), "/"), quick_ws_options(), error);
        EXPECT_NE(session, nullptr) << error;
        if (!session) co_return;
        weak = session;
        session->start([&](std::string_view text) { seen.texts.emplace_back(text); },
                       [&, w = std::weak_ptr(session)](CloseInfo info) {
                           seen.closes.push_back(std::move(info));
                           // Late calls after the end must neither throw nor report again.
                           if (auto s = w.lock()) {
                               s->send("late");
                               s->close();
                           }
                       });
    });

    EXPECT_EQ(seen.texts, std::vector<std::string>{"bye"});
    ASSERT_EQ(seen.closes.size(), 1U);
    EXPECT_EQ(seen.closes[0].code, 0);
    EXPECT_FALSE(seen.closes[0].by_us);
    EXPECT_FALSE(seen.closes[0].stale);
    EXPECT_NE(seen.closes[0].reason.find("read"), std::string::npos) << seen.closes[0].reason;
    EXPECT_TRUE(weak.expired());
}

}  // namespace
}  // namespace funnelbot::bot

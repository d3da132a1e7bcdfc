// The status server over real loopback sockets: what the handler answers, GET only, malformed
// and silent clients cut off within the request timeout.
#include "bot/net/status_server.hpp"

#include <gtest/gtest.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>

#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>

namespace funnelbot::bot {
namespace {

using namespace std::chrono_literals;
namespace asio = boost::asio;
using tcp = asio::ip::tcp;

class StatusServerTest : public ::testing::Test {
protected:
    StatusServerTest() {
        StatusServerOptions options;
        options.request_timeout = 300ms;
        server_ = std::make_unique<StatusServer>(
            io_.get_executor(), "127.0.0.1:0",
            [](const std::string& path) {
                if (path == "/metrics")
                    return StatusAnswer{200, "text/plain; version=0.0.4", "m 1\n"};
                if (path == "/healthz") return StatusAnswer{503, "application/json", "{}"};
                if (path == "/boom") throw std::runtime_error("handler bug");
                return StatusAnswer{404, "text/plain", "not found\n"};
            },
            options);
        thread_ = std::thread([this] { io_.run(); });
    }
    ~StatusServerTest() override {
        asio::post(io_, [this] { server_->close(); });
        io_.stop();
        thread_.join();
    }

    // Sends `request` as it is and reads until the server closes (bounded by a socket timeout).
    std::string exchange(const std::string& request) {
        asio::io_context client;
        tcp::socket socket(client);
        socket.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), server_->port()));
        timeval limit{2, 0};
        setsockopt(socket.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
        if (!request.empty()) asio::write(socket, asio::buffer(request));
        std::string out;
        boost::system::error_code ec;
        asio::read(socket, asio::dynamic_buffer(out), ec);
        return out;
    }

    asio::io_context io_;
    std::unique_ptr<StatusServer> server_;
    std::thread thread_;
};

TEST_F(StatusServerTest, AnswersWhatTheHandlerSaysForEachPath) {
    const std::string metrics = exchange("GET /metrics?x=1 HTTP/1.1\r\nHost: localhost\r\n\r\n");
    EXPECT_EQ(metrics.rfind("HTTP/1.1 200 OK\r\n", 0), 0U) << metrics;
    EXPECT_NE(metrics.find("Content-Type: text/plain; version=0.0.4\r\n"), std::string::npos);
    EXPECT_NE(metrics.find("Connection: close\r\n"), std::string::npos);
    EXPECT_EQ(metrics.substr(metrics.size() - 4), "m 1\n");
    const std::string health = exchange("GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n");
    EXPECT_EQ(health.rfind("HTTP/1.1 503 Service Unavailable\r\n", 0), 0U) << health;
    EXPECT_EQ(exchange("GET /nope HTTP/1.1\r\nHost: localhost\r\n\r\n").rfind("HTTP/1.1 404", 0),
              0U);
    EXPECT_EQ(exchange("GET /boom HTTP/1.1\r\nHost: localhost\r\n\r\n").rfind("HTTP/1.1 500", 0),
              0U);
}

TEST_F(StatusServerTest, RefusesOtherMethodsAndMalformedOrSilentClients) {
    const std::string post =
        exchange("POST /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n");
    EXPECT_EQ(post.rfind("HTTP/1.1 405 Method Not Allowed\r\n", 0), 0U) << post;
    EXPECT_EQ(exchange("NONSENSE\r\n\r\n").rfind("HTTP/1.1 400 Bad Request\r\n", 0), 0U);
    const auto started = std::chrono::steady_clock::now();
    EXPECT_EQ(exchange(""), "") << "a client that sends nothing gets nothing";
    EXPECT_LT(std::chrono::steady_clock::now() - started, 1500ms)
        << "and is cut off after the request timeout, not the client's own";
}

TEST(StatusServerAddress, HostPortIsCheckedBeforeListening) {
    EXPECT_EQ(parse_host_port("127.0.0.1:9464")->port, 9464);
    EXPECT_EQ(parse_host_port("[::1]:9464")->host, "::1");
    for (const char* bad : {"127.0.0.1", ":9464", "127.0.0.1:", "127.0.0.1:70000", "host:9x"})
        EXPECT_FALSE(parse_host_port(bad).has_value()) << bad;
    asio::io_context io;
    EXPECT_THROW(StatusServer(io.get_executor(), "localhost:9464",
                              [](const std::string&) { return StatusAnswer{}; }),
                 std::runtime_error)
        << "an IP address, not a name";
}

}  // namespace
}  // namespace funnelbot::bot

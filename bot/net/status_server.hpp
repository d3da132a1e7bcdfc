// A small plain-HTTP server for the bot's own status (/healthz, /metrics), meant for a loopback
// address: GET only, one request per connection, a few connections at a time, every read and
// write bounded in time. What each path answers is the caller's.
#pragma once

#include <boost/asio/any_io_executor.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace funnelbot::bot {

struct StatusAnswer {
    int status = 200;
    std::string content_type = "text/plain; charset=utf-8";
    std::string body;
};

struct StatusServerOptions {
    std::chrono::milliseconds request_timeout{5000};  // to read the request and write the answer
    int max_connections = 8;                          // beyond that, new ones are closed at once
};

class StatusServer {
public:
    // Answers GET `target` (path only, query dropped); called on the executor.
    using Handler = std::function<StatusAnswer(const std::string& path)>;

    // Listens on host:port ("127.0.0.1:9464"; port 0 picks a free one). Throws
    // std::runtime_error naming the address when it cannot listen.
    StatusServer(boost::asio::any_io_executor executor, const std::string& address, Handler handler,
                 StatusServerOptions options = {});
    ~StatusServer();
    StatusServer(const StatusServer&) = delete;
    StatusServer& operator=(const StatusServer&) = delete;

    // The port it listens on.
    unsigned short port() const;
    // Stops accepting; connections being answered finish. On the executor's thread, or when it
    // is not running (the destructor calls it).
    void close();

    struct State;  // defined in status_server.cpp

private:
    std::shared_ptr<State> state_;
};

// "host:port" split, the port checked; nullopt when malformed. IPv6 hosts go in brackets.
struct HostPort {
    std::string host;
    unsigned short port = 0;
};
std::optional<HostPort> parse_host_port(const std::string& address);

}  // namespace funnelbot::bot

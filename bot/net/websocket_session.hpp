// A WebSocket client over TLS (Beast websocket on ssl_stream): one serialised writer with a
// bounded queue and a deadline on every write, client pings, stale detection, and a close
// handshake bounded in time followed by TCP teardown.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ssl/context.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "bot/net/url.hpp"

namespace funnelbot::bot {

struct WebSocketOptions {
    std::chrono::milliseconds connect_timeout{10000};  // each of resolve, connect, TLS, upgrade
    std::chrono::milliseconds ping_interval{7000};     // client pings, through the writer queue
    std::chrono::milliseconds stale_after{30000};      // nothing received (frame or pong) → stale
    std::chrono::milliseconds close_timeout{2000};     // close handshake, then TCP teardown
    // A write (frame or ping) not done by then means the peer stopped reading: the session ends.
    std::chrono::milliseconds write_timeout{10000};
    // Frames waiting for the writer beyond this many bytes: the peer is not keeping up; the
    // session ends rather than queueing without limit.
    std::size_t max_queued_bytes = 8 * 1024 * 1024;
    std::size_t max_message_bytes = 4 * 1024 * 1024;
    std::string user_agent = "funnelbot";  // sent with the upgrade request
};

struct CloseInfo {
    int code = 0;        // the peer's close code; 0 when there was none (drop, stale, error)
    std::string reason;  // the peer's close reason, or what failed
    bool stale = false;  // closed by us: nothing arrived for stale_after, or the peer stopped
                         // reading (a write past write_timeout, a queue past max_queued_bytes)
    bool by_us = false;  // close() was called
};

// Lifetime: while started and not yet closed, the session's own coroutines hold it, so callers
// may drop their shared_ptr; it lives until on_closed. send() and close() may be called from any
// thread (they are dispatched to the executor); callbacks run on the executor.
class WebSocketSession : public std::enable_shared_from_this<WebSocketSession> {
    struct Token {
        explicit Token() = default;
    };
    struct Impl;

public:
    // Resolves, connects, handshakes TLS (SNI, peer and host-name verification) and upgrades
    // to `url` (wss). On failure returns nullptr and sets `error`.
    static boost::asio::awaitable<std::shared_ptr<WebSocketSession>> connect(
        boost::asio::any_io_executor executor, boost::asio::ssl::context& tls, Url url,
        WebSocketOptions options, std::string& error);

    ~WebSocketSession();
    WebSocketSession(const WebSocketSession&) = delete;
    WebSocketSession& operator=(const WebSocketSession&) = delete;

    // Starts reading, writing and pinging. Text frames go to `on_text` in order; `on_closed`
    // is called exactly once when the session ends for any reason. Both run on the session's
    // executor. Binary frames are ignored. Call it once; text frames that arrive while our close
    // handshake runs are still delivered. An exception from `on_text` is logged and ends the
    // session (its reason says so); it never escapes into the executor's run(). The text lies
    // in the session's read buffer: valid until `on_text` returns (copy what must outlive it).
    void start(std::function<void(std::string_view)> on_text,
               std::function<void(CloseInfo)> on_closed);

    // Queues a text frame; frames are written one at a time in order. Ignored once closing.
    void send(std::string text);

    // Starts the close handshake (code 1000 unless given), bounded by close_timeout, then
    // tears the TCP connection down. Frames queued before it are written first. Idempotent.
    // Before start(), on_closed runs only if start() is called later.
    void close(int code = 1000);

    // False once close() was called or the session ended.
    bool is_open() const;

    // For connect() only (Token is private); public so that std::make_shared can call it.
    WebSocketSession(Token, std::unique_ptr<Impl> impl);

private:
    std::unique_ptr<Impl> impl_;
};

}  // namespace funnelbot::bot

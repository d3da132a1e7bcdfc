#include "bot/net/websocket_session.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/field.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <boost/beast/websocket/stream.hpp>

#include <atomic>
#include <deque>
#include <exception>
#include <optional>
#include <utility>

#include "bot/net/tls_connect.hpp"

namespace funnelbot::bot {

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using Clock = std::chrono::steady_clock;

std::string describe(std::exception_ptr failure) {
    try {
        std::rethrow_exception(failure);
    } catch (const std::exception& e) {
        return e.what();
    } catch (...) {
        return "an exception that is not a std::exception";
    }
}

std::string reason_text(const websocket::close_reason& reason) {
    return std::string(reason.reason.data(), reason.reason.size());
}

}  // namespace

// Everything here runs on `executor` (one network thread), so no member needs a lock except
// `open_flag`, which is_open() reads from any thread.
struct WebSocketSession::Impl {
    enum class State { open, closing, closed };
    // Each loop takes one, unnamed: the coroutine frame holds the session while the loop runs.
    using KeepAlive = std::shared_ptr<WebSocketSession>;
    struct Outgoing {
        enum class Kind { text, ping, close } kind;
        std::string text;
    };

    Impl(asio::any_io_executor ex, asio::ssl::context& tls, WebSocketOptions opts)
        : executor(ex),
          ws(ex, tls),
          options(std::move(opts)),
          writer_wakeup(ex),
          ping_timer(ex),
          stale_timer(ex),
          close_timer(ex),
          write_timer(ex) {}

    asio::any_io_executor executor;
    websocket::stream<TlsStream> ws;
    WebSocketOptions options;
    beast::flat_buffer read_buffer;
    std::deque<Outgoing> queue;  // drained by the one writer
    std::size_t queued_bytes = 0;
    bool ping_queued = false;
    asio::steady_timer writer_wakeup;  // waits "forever"; cancelled when the queue gets an item
    asio::steady_timer ping_timer;
    asio::steady_timer stale_timer;
    asio::steady_timer close_timer;
    asio::steady_timer write_timer;  // the deadline of the write in progress
    std::uint64_t writes_started = 0;
    std::weak_ptr<WebSocketSession> self;  // for handlers that must not keep the session
    Clock::time_point last_received = Clock::now();
    State state = State::open;
    std::atomic<bool> open_flag{true};
    bool loops_started = false;
    bool started = false;
    int close_code = 1000;
    std::function<void(std::string_view)> on_text;
    std::function<void(CloseInfo)> on_closed;
    std::optional<CloseInfo> final_info;  // kept for a start() that comes after the end

    void wake_writer() { writer_wakeup.cancel(); }

    void launch(const std::shared_ptr<WebSocketSession>& owner) {
        if (loops_started) return;
        loops_started = true;
        self = owner;
        last_received = Clock::now();
        asio::co_spawn(executor, read_loop(owner), on_loop_end());
        asio::co_spawn(executor, write_loop(owner), on_loop_end());
        asio::co_spawn(executor, stale_loop(owner), on_loop_end());
        if (state == State::open) asio::co_spawn(executor, ping_loop(owner), on_loop_end());
    }

    // A loop that throws (an on_text callback did) is logged and ends the session, which reports
    // it to on_closed; nothing is rethrown out of the executor's run().
    std::function<void(std::exception_ptr)> on_loop_end() {
        return [weak = self](std::exception_ptr failure) {
            if (!failure) return;
            const std::string what = describe(failure);
            spdlog::error("WebSocket session: handling a frame failed: {}", what);
            if (auto session = weak.lock()) {
                CloseInfo info;
                info.reason = "handling a frame failed: " + what;
                session->impl_->finish(std::move(info));
            }
        };
    }

    // Queues a frame unless the queue already holds max_queued_bytes: then the peer is not
    // keeping up and the session ends instead.
    void enqueue(Outgoing item) {
        queued_bytes += item.text.size();
        queue.push_back(std::move(item));
        wake_writer();
        if (queued_bytes > options.max_queued_bytes) {
            CloseInfo info;
            info.stale = true;
            info.reason = "the peer is not reading: " + std::to_string(queued_bytes) +
                          " bytes waiting to be written";
            finish(std::move(info));
        }
    }

    // Arms the deadline of the write about to start; a write still running when it fires means
    // the peer stopped reading (its TCP window is full), and the session ends.
    void arm_write_deadline() {
        const std::uint64_t serial = ++writes_started;
        write_timer.expires_after(options.write_timeout);
        write_timer.async_wait([weak = self, serial](boost::system::error_code ec) {
            if (ec) return;
            auto session = weak.lock();
            if (!session) return;
            auto& d = *session->impl_;
            if (d.writes_started != serial || d.state == State::closed) return;
            CloseInfo info;
            info.stale = true;
            info.reason = "the peer is not reading: a write waited " +
                          std::to_string(d.options.write_timeout.count()) + " ms";
            d.finish(std::move(info));
        });
    }

    // The one way a session ends: stops every timer, drops the TCP connection (whatever the
    // peer does) and reports once.
    void finish(CloseInfo info) {
        if (state == State::closed) return;
        state = State::closed;
        open_flag = false;
        queue.clear();
        queued_bytes = 0;
        writer_wakeup.cancel();
        write_timer.cancel();
        ping_timer.cancel();
        stale_timer.cancel();
        close_timer.cancel();
        auto& tcp_layer = beast::get_lowest_layer(ws);
        beast::error_code ignored;
        tcp_layer.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
        tcp_layer.close();
        on_text = nullptr;  // may hold references to the owner; the reader calls a copy
        if (on_closed) {
            asio::post(executor, [callback = std::move(on_closed), info = std::move(info)] {
                callback(info);
            });
            on_closed = nullptr;
        } else {
            final_info = std::move(info);
        }
    }

    asio::awaitable<void> read_loop(KeepAlive) {
        for (;;) {
            read_buffer.clear();
            auto [ec, bytes] =
                co_await ws.async_read(read_buffer, asio::as_tuple(asio::use_awaitable));
            if (state == State::closed) co_return;
            if (ec) {
                CloseInfo info;
                info.by_us = state == State::closing;
                if (ec == websocket::error::closed) {
                    info.code = ws.reason().code;
                    info.reason = reason_text(ws.reason());
                } else {
                    info.reason = "read: " + describe_network_error(ec);
                }
                finish(std::move(info));
                co_return;
            }
            last_received = Clock::now();
            if (ws.got_text() && on_text) {
                auto callback = on_text;
                // Read in place: a flat buffer holds the frame in one piece, and the next read
                // starts only after the callback returns.
                callback(std::string_view(static_cast<const char*>(read_buffer.data().data()),
                                          read_buffer.size()));
            }
        }
    }

    // Beast allows one write-type operation at a time (write, ping, close), so all go here.
    asio::awaitable<void> write_loop(KeepAlive) {
        for (;;) {
            while (queue.empty() && state != State::closed) {
                writer_wakeup.expires_at(Clock::time_point::max());
                co_await writer_wakeup.async_wait(asio::as_tuple(asio::use_awaitable));
            }
            if (state == State::closed) co_return;
            Outgoing item = std::move(queue.front());
            queue.pop_front();
            queued_bytes -= item.text.size();
            beast::error_code ec;
            switch (item.kind) {
                case Outgoing::Kind::text: {
                    ws.text(true);
                    arm_write_deadline();
                    auto [write_ec, bytes] = co_await ws.async_write(
                        asio::buffer(item.text), asio::as_tuple(asio::use_awaitable));
                    write_timer.cancel();
                    ec = write_ec;
                    break;
                }
                case Outgoing::Kind::ping: {
                    ping_queued = false;
                    arm_write_deadline();
                    auto [ping_ec] = co_await ws.async_ping(websocket::ping_data{},
                                                            asio::as_tuple(asio::use_awaitable));
                    write_timer.cancel();
                    ec = ping_ec;
                    break;
                }
                case Outgoing::Kind::close: {
                    auto [close_ec] = co_await ws.async_close(
                        websocket::close_reason(static_cast<std::uint16_t>(close_code)),
                        asio::as_tuple(asio::use_awaitable));
                    ec = close_ec;
                    break;
                }
            }
            if (state == State::closed) co_return;
            if (item.kind == Outgoing::Kind::close) {
                CloseInfo info;
                info.by_us = true;
                if (ec) {
                    info.reason = "close: " + describe_network_error(ec);
                } else {
                    info.code = ws.reason().code;
                    info.reason = reason_text(ws.reason());
                }
                finish(std::move(info));
                co_return;
            }
            if (ec) {
                CloseInfo info;
                info.by_us = state == State::closing;
                info.reason = "write: " + describe_network_error(ec);
                finish(std::move(info));
                co_return;
            }
        }
    }

    asio::awaitable<void> ping_loop(KeepAlive) {
        while (state == State::open) {
            ping_timer.expires_after(options.ping_interval);
            co_await ping_timer.async_wait(asio::as_tuple(asio::use_awaitable));
            if (state != State::open) co_return;
            // A ping still waiting behind a slow write is enough; pings must not pile up.
            if (!ping_queued) {
                ping_queued = true;
                enqueue({Outgoing::Kind::ping, {}});
            }
        }
    }

    // Any frame, ping or pong counts as life (control_callback updates last_received too).
    asio::awaitable<void> stale_loop(KeepAlive) {
        while (state == State::open) {
            stale_timer.expires_at(last_received + options.stale_after);
            co_await stale_timer.async_wait(asio::as_tuple(asio::use_awaitable));
            if (state != State::open) co_return;
            if (Clock::now() - last_received >= options.stale_after) {
                CloseInfo info;
                info.stale = true;
                info.reason =
                    "nothing received for " + std::to_string(options.stale_after.count()) + " ms";
                finish(std::move(info));
                co_return;
            }
        }
    }

    // The peer may never answer our close frame (Slack sometimes doesn't).
    asio::awaitable<void> close_guard(KeepAlive) {
        close_timer.expires_after(options.close_timeout);
        co_await close_timer.async_wait(asio::as_tuple(asio::use_awaitable));
        if (state == State::closed) co_return;
        CloseInfo info;
        info.by_us = true;
        info.reason = "close handshake timed out";
        finish(std::move(info));
    }
};

asio::awaitable<std::shared_ptr<WebSocketSession>> WebSocketSession::connect(
    asio::any_io_executor executor, asio::ssl::context& tls, Url url, WebSocketOptions options,
    std::string& error) {
    auto impl = std::make_unique<Impl>(executor, tls, options);
    const auto limit = options.connect_timeout;
    const auto connected =
        co_await connect_tls(impl->ws.next_layer(), url.host, url.port, {limit, limit, limit});
    if (!connected.ok()) {
        error = connected.error;
        co_return nullptr;
    }

    impl->ws.set_option(websocket::stream_base::decorator(
        [agent = options.user_agent](websocket::request_type& request) {
            request.set(beast::http::field::user_agent, agent);
        }));
    auto& tcp_layer = beast::get_lowest_layer(impl->ws);
    tcp_layer.expires_after(limit);
    websocket::response_type response;
    // The target is not repeated in errors: Slack's carries a ticket.
    auto [ec] = co_await impl->ws.async_handshake(response, url.host_header(), url.target,
                                                  asio::as_tuple(asio::use_awaitable));
    tcp_layer.expires_never();
    if (ec) {
        error =
            "WebSocket upgrade at " + url.host + ":" + url.port + ": " + describe_network_error(ec);
        if (response.result_int() != 0 && response.result_int() != 101) {
            error += " (HTTP " + std::to_string(response.result_int()) + ")";
        }
        co_return nullptr;
    }

    // From here our own timers bound everything; Beast's handshake timeout also bounds the
    // close handshake (and its TLS teardown) when the peer starts it.
    impl->ws.set_option(websocket::stream_base::timeout{options.close_timeout,
                                                        websocket::stream_base::none(), false});
    impl->ws.read_message_max(options.max_message_bytes);
    impl->ws.control_callback([state = impl.get()](websocket::frame_type, beast::string_view) {
        state->last_received = Clock::now();
    });
    impl->last_received = Clock::now();
    co_return std::make_shared<WebSocketSession>(Token{}, std::move(impl));
}

WebSocketSession::WebSocketSession(Token, std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

WebSocketSession::~WebSocketSession() = default;

void WebSocketSession::start(std::function<void(std::string_view)> on_text,
                             std::function<void(CloseInfo)> on_closed) {
    asio::dispatch(impl_->executor, [self = shared_from_this(), on_text = std::move(on_text),
                                     on_closed = std::move(on_closed)]() mutable {
        auto& d = *self->impl_;
        if (d.started) return;
        d.started = true;
        if (d.state == Impl::State::closed) {
            if (on_closed && d.final_info) {
                asio::post(d.executor, [callback = std::move(on_closed), info = *d.final_info] {
                    callback(info);
                });
            }
            return;
        }
        d.on_text = std::move(on_text);
        d.on_closed = std::move(on_closed);
        d.launch(self);
    });
}

void WebSocketSession::send(std::string text) {
    asio::dispatch(impl_->executor, [self = shared_from_this(), text = std::move(text)]() mutable {
        auto& d = *self->impl_;
        if (d.state != Impl::State::open) return;
        d.enqueue({Impl::Outgoing::Kind::text, std::move(text)});
    });
}

void WebSocketSession::close(int code) {
    asio::dispatch(impl_->executor, [self = shared_from_this(), code] {
        auto& d = *self->impl_;
        if (d.state != Impl::State::open) return;
        // The handshake needs the reader and the writer even if start() has not been called.
        d.launch(self);
        d.state = Impl::State::closing;
        d.open_flag = false;
        d.close_code = code;
        d.ping_timer.cancel();
        d.stale_timer.cancel();
        d.queue.push_back({Impl::Outgoing::Kind::close, {}});
        d.wake_writer();
        asio::co_spawn(d.executor, d.close_guard(self), d.on_loop_end());
    });
}

bool WebSocketSession::is_open() const {
    return impl_->open_flag;
}

}  // namespace funnelbot::bot

// Waiting on another thread for a coroutine that runs on the network thread.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <future>
#include <memory>
#include <optional>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

namespace funnelbot::bot {

// Runs the coroutine `make()` returns on `io`'s thread and waits for its result on the calling
// thread (a pass; never `io`'s own thread): nullopt when `stop` turned true or `timeout` passed
// first. The HTTPS client's own deadlines end every call; these only make a shutdown prompt. An
// exception thrown by the coroutine is rethrown here, on the calling thread.
template <class T>
std::optional<T> await_on_io(boost::asio::io_context& io,
                             std::function<boost::asio::awaitable<T>()> make,
                             const std::atomic<bool>* stop, std::chrono::milliseconds timeout) {
    auto done = std::make_shared<std::promise<T>>();
    auto result = done->get_future();
    boost::asio::co_spawn(
        io,
        [make = std::move(make), done]() -> boost::asio::awaitable<void> {
            done->set_value(co_await make());
        },
        // An exception reaches the waiting thread instead of vanishing on `io`'s.
        [done](std::exception_ptr failure) {
            if (failure) done->set_exception(failure);
        });
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (result.wait_for(std::chrono::milliseconds(50)) != std::future_status::ready) {
        if ((stop != nullptr && stop->load()) || std::chrono::steady_clock::now() > deadline)
            return std::nullopt;
    }
    return result.get();
}

}  // namespace funnelbot::bot

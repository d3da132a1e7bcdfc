// What happens to an exception that escapes a coroutine nobody awaits (co_spawn'd detached): it
// is logged and counted, never lost. Pass handler() as co_spawn's completion token instead of
// boost::asio::detached.
#pragma once

#include <atomic>
#include <cstdint>
#include <exception>
#include <memory>
#include <string>

namespace funnelbot::bot {

class CoroutineFailures {
public:
    // `owner` names the component in the log ("Slack", "Discord gateway").
    explicit CoroutineFailures(std::string owner);

    // A co_spawn completion handler; it stays valid after this object is gone.
    auto handler() const {
        return [count = count_, owner = owner_](std::exception_ptr failure) {
            if (failure) record(*count, *owner, failure);
        };
    }

    // Exceptions that escaped so far.
    std::uint64_t count() const { return count_->load(); }

private:
    static void record(std::atomic<std::uint64_t>& count, const std::string& owner,
                       std::exception_ptr failure);

    std::shared_ptr<std::atomic<std::uint64_t>> count_ =
        std::make_shared<std::atomic<std::uint64_t>>(0);
    std::shared_ptr<const std::string> owner_;
};

}  // namespace funnelbot::bot

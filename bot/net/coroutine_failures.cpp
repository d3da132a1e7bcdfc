#include "bot/net/coroutine_failures.hpp"

#include <spdlog/spdlog.h>

namespace funnelbot::bot {

CoroutineFailures::CoroutineFailures(std::string owner)
    : owner_(std::make_shared<const std::string>(std::move(owner))) {}

void CoroutineFailures::record(std::atomic<std::uint64_t>& count, const std::string& owner,
                               std::exception_ptr failure) {
    ++count;
    try {
        std::rethrow_exception(failure);
    } catch (const std::exception& e) {
        spdlog::error("{}: a background task failed: {}", owner, e.what());
    } catch (...) {
        spdlog::error("{}: a background task failed with an unknown exception", owner);
    }
}

}  // namespace funnelbot::bot

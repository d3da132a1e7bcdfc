// The ids of the last N events seen, to drop a platform's redeliveries (Slack retries an
// envelope it thinks was not acknowledged; a resumed Discord session may replay an interaction)
// before they cost a database round trip.
#pragma once

#include <cstddef>
#include <deque>
#include <string>
#include <unordered_set>

namespace funnelbot::bot {

class SeenIds {
public:
    explicit SeenIds(std::size_t capacity) : capacity_(capacity) {}

    // Records `id`; false when it is already among the last `capacity` ids recorded.
    bool remember(const std::string& id);

private:
    std::size_t capacity_;
    std::unordered_set<std::string> ids_;
    std::deque<std::string> order_;  // oldest first, for eviction
};

}  // namespace funnelbot::bot

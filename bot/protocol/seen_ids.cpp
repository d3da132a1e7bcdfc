#include "bot/protocol/seen_ids.hpp"

namespace funnelbot::bot {

bool SeenIds::remember(const std::string& id) {
    if (!ids_.insert(id).second) return false;
    order_.push_back(id);
    if (order_.size() > capacity_) {
        ids_.erase(order_.front());
        order_.pop_front();
    }
    return true;
}

}  // namespace funnelbot::bot

#pragma once

#include <string>

#include "storage/database.hpp"
#include "storage/records.hpp"

namespace funnelbot::storage {

// Platform event ids already handled, so a redelivered envelope or interaction changes nothing.
class ProcessedEventRepository {
public:
    explicit ProcessedEventRepository(Database& db) : db_(db) {}

    // Records the id; returns false if it was already recorded (the caller skips the event).
    bool record(Id workspace_id, const std::string& event_id);
    bool seen(Id workspace_id, const std::string& event_id);

private:
    Database& db_;
};

}  // namespace funnelbot::storage

// Settings of the installation as a whole, not of one workspace: key → text value.
#pragma once

#include <optional>
#include <string>

#include "storage/database.hpp"

namespace funnelbot::storage {

class AppSettingRepository {
public:
    explicit AppSettingRepository(Database& db) : db_(db) {}

    std::optional<std::string> get(const std::string& key);
    // Inserts or replaces the value.
    void set(const std::string& key, const std::string& value);

private:
    Database& db_;
};

}  // namespace funnelbot::storage

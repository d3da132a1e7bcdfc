// The schema's history: one SQL step per version. Internal to storage/ (Database runs them).
#pragma once

#include <span>
#include <string_view>

namespace funnelbot::storage::detail {

// schema_migrations()[i] takes a database from user_version i to i + 1.
std::span<const std::string_view> schema_migrations();

}  // namespace funnelbot::storage::detail

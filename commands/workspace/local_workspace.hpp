// Which workspace a local sub-command (console, import, export) acts on.
#pragma once

#include <optional>
#include <string>

#include "storage/database.hpp"
#include "storage/records.hpp"

namespace funnelbot::commands {

// The console workspace (created on first use, in `default_tz`) when `id` is empty, else the
// Slack or Discord workspace with that team or guild id; nullopt when the database has none.
std::optional<storage::Workspace> local_workspace(storage::Database& db, const std::string& id,
                                                  const std::string& default_tz);

}  // namespace funnelbot::commands

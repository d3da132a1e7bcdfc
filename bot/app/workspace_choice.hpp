// Which workspace a local sub-command (console, import, export) acts on.
#pragma once

#include <optional>
#include <string>

#include "bot/app/runtime_config.hpp"
#include "storage/database.hpp"
#include "storage/records.hpp"

namespace funnelbot::bot {

// The console workspace (created on first use) when `id` is empty, else the Slack or Discord
// workspace with that team or guild id; nullopt when the database has no such workspace.
std::optional<storage::Workspace> choose_workspace(storage::Database& db, const std::string& id,
                                                   const RuntimeConfig& config);

}  // namespace funnelbot::bot

#include "commands/front_desk/front_desk.hpp"

#include "storage/app_setting_repository.hpp"
#include "storage/workspace_repository.hpp"

namespace funnelbot::commands {

FrontDesk::FrontDesk(const std::string& db_path)
    : owned_(std::make_unique<storage::Database>(db_path)), db_(*owned_) {}

FrontDesk::FrontDesk(storage::Database& db) : db_(db) {}

FrontDesk::~FrontDesk() = default;

storage::Workspace FrontDesk::workspace_of(storage::Platform platform,
                                           const std::string& external_id,
                                           const std::string& default_tz) {
    auto key = std::make_pair(platform, external_id);
    if (const auto known = workspaces_.find(key); known != workspaces_.end()) return known->second;
    auto ws = storage::WorkspaceRepository(db_).find_or_create(platform, external_id, default_tz);
    workspaces_.emplace(std::move(key), ws);
    return ws;
}

DirectMessagePlacement FrontDesk::place_direct_message(storage::Platform platform, Identity& who) {
    return commands::place_direct_message(db_, platform, who);
}

Outcome FrontDesk::run_text(const storage::Workspace& ws, const Identity& who,
                            std::string_view name, std::string_view text, analysis::Instant now,
                            std::string_view event_id) {
    return execute_text(db_, ws, who, name, text, now, event_id);
}

Outcome FrontDesk::run_parsed(const storage::Workspace& ws, const Identity& who,
                              const Result<Command>& parsed, analysis::Instant now,
                              std::string_view event_id) {
    return execute_parsed(db_, ws, who, parsed, now, event_id);
}

std::optional<std::string> FrontDesk::setting(const std::string& key) {
    return storage::AppSettingRepository(db_).get(key);
}

void FrontDesk::set_setting(const std::string& key, const std::string& value) {
    storage::AppSettingRepository(db_).set(key, value);
}

ReminderCounts FrontDesk::run_reminder_pass(analysis::Instant now,
                                            const ReminderPassOptions& options,
                                            const DeliverFn& deliver) {
    return commands::run_reminder_pass(db_, now, options, deliver);
}

}  // namespace funnelbot::commands

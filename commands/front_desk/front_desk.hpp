// What a chat platform (bot/slack, bot/discord) and the reminder scheduler may ask of funnelbot's
// data, in one place: the workspace of a Slack team or Discord guild, where a direct message
// belongs, running a command, app settings and the reminder pass. The platforms reach storage
// only through this; each worker thread has its own.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "analysis/funnel_types.hpp"
#include "commands/command_context.hpp"
#include "commands/command_dispatch.hpp"
#include "commands/failure_reply.hpp"
#include "commands/front_desk/direct_message_placement.hpp"
#include "commands/reminders/reminder_pass.hpp"
#include "storage/database.hpp"
#include "storage/records.hpp"

namespace funnelbot::commands {

class FrontDesk {
public:
    // Opens its own connection to `db_path` (already migrated by the caller).
    explicit FrontDesk(const std::string& db_path);
    // Works on `db`, which must outlive it.
    explicit FrontDesk(storage::Database& db);
    ~FrontDesk();
    FrontDesk(const FrontDesk&) = delete;
    FrontDesk& operator=(const FrontDesk&) = delete;

    // The workspace of a Slack team or Discord guild, created in `default_tz` on first sight.
    // Read once per desk (a team's workspace is never deleted or moved): its settings may be older
    // than the database's, so it is for run_text/run_parsed, which read the row again inside
    // their transaction.
    storage::Workspace workspace_of(storage::Platform platform, const std::string& external_id,
                                    const std::string& default_tz);

    // Where a direct message (which names no team or guild) belongs; see
    // direct_message_placement.hpp. May raise who.platform_admin.
    DirectMessagePlacement place_direct_message(storage::Platform platform, Identity& who);

    // commands::execute_text / execute_parsed on this connection.
    Outcome run_text(const storage::Workspace& ws, const Identity& who, std::string_view name,
                     std::string_view text, analysis::Instant now, std::string_view event_id);
    Outcome run_parsed(const storage::Workspace& ws, const Identity& who,
                       const Result<Command>& parsed, analysis::Instant now,
                       std::string_view event_id);

    // Process-wide settings (app_settings), e.g. the hash of the registered Discord commands.
    std::optional<std::string> setting(const std::string& key);
    void set_setting(const std::string& key, const std::string& value);

    // commands::run_reminder_pass on this connection.
    ReminderCounts run_reminder_pass(analysis::Instant now, const ReminderPassOptions& options,
                                     const DeliverFn& deliver);

private:
    std::unique_ptr<storage::Database> owned_;  // null when borrowing
    storage::Database& db_;
    // workspace_of's answers: looking the row up cost every command a read transaction of its own.
    std::map<std::pair<storage::Platform, std::string>, storage::Workspace> workspaces_;
};

}  // namespace funnelbot::commands

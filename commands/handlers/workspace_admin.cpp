#include <array>

#include "commands/handlers/command_handlers.hpp"
#include "commands/workspace/lookups.hpp"
#include "commands/workspace/workspace_time.hpp"
#include "storage/workspace_repository.hpp"

namespace funnelbot::commands {

namespace {

constexpr std::array<std::string_view, 7> kWeekdays{"Sunday",   "Monday", "Tuesday", "Wednesday",
                                                    "Thursday", "Friday", "Saturday"};

std::string hhmm(int minute) {
    std::string h = std::to_string(minute / 60), m = std::to_string(minute % 60);
    return (h.size() < 2 ? "0" + h : h) + ":" + (m.size() < 2 ? "0" + m : m);
}

UserError unknown_zone(const std::string& tz) {
    return UserError{"Unknown time zone \"" + tz +
                     "\". Use an IANA name such as America/Chicago, Europe/Berlin or UTC."};
}

}  // namespace

Result<Reply> handle(CommandContext& ctx, const RemindersSet& cmd) {
    if (auto refused = require_admin(ctx, "change reminder settings")) return *refused;
    if (cmd.tz && !is_valid_time_zone(*cmd.tz)) return unknown_zone(*cmd.tz);
    storage::Workspace ws = ctx.workspace;
    if (cmd.on) ws.reminders_on = *cmd.on;
    if (cmd.weekday) ws.reminder_weekday = *cmd.weekday;
    if (cmd.minute) ws.reminder_minute = *cmd.minute;
    if (cmd.tz) ws.tz = *cmd.tz;
    storage::WorkspaceRepository(ctx.db).update(ws);
    ctx.workspace = ws;
    Reply reply;
    reply.title = "Friday reminders";
    reply.verdict = Verdict::good;
    reply.summary =
        ws.reminders_on
            ? "Reminders are on: every " +
                  std::string(kWeekdays[static_cast<std::size_t>(ws.reminder_weekday)]) + " at " +
                  hhmm(ws.reminder_minute) + " in each person's time zone (default " + ws.tz + ")."
            : "Reminders are off for the whole workspace.";
    return reply;
}

Result<Reply> handle(CommandContext& ctx, const WorkspaceSet& cmd) {
    if (auto refused = require_admin(ctx, "change workspace settings")) return *refused;
    if (cmd.tz && !is_valid_time_zone(*cmd.tz)) return unknown_zone(*cmd.tz);
    storage::Workspace ws = ctx.workspace;
    if (cmd.currency) ws.currency = *cmd.currency;
    if (cmd.tz) ws.tz = *cmd.tz;
    storage::WorkspaceRepository(ctx.db).update(ws);
    ctx.workspace = ws;
    Reply reply;
    reply.title = "Workspace settings";
    reply.verdict = cmd.currency || cmd.tz ? Verdict::good : Verdict::info;
    reply.summary = "Currency " + ws.currency + ", time zone " + ws.tz + ".";
    return reply;
}

}  // namespace funnelbot::commands

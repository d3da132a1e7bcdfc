#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>

#include "commands/grammar/arguments.hpp"
#include "commands/grammar/text_matching.hpp"
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

namespace {

std::optional<int> weekday_of(std::string_view d) {
    static constexpr std::array<std::string_view, 7> kDays{"sun", "mon", "tue", "wed",
                                                           "thu", "fri", "sat"};
    const auto lower = to_lower(d);
    for (int i = 0; i < 7; ++i) {
        const auto day = kDays[static_cast<std::size_t>(i)];
        if (lower.size() >= 3 && std::string_view(lower).substr(0, 3) == day) return i;
    }
    return std::nullopt;
}

}  // namespace

Result<Command> parse_reminders(std::span<const Arg> args, std::string_view usage) {
    RemindersSet cmd;
    for (const auto& a : args) {
        if (is_word(a, "on") || is_word(a, "off")) {
            if (cmd.on) return wrong("Say on or off once.", usage);
            cmd.on = is_word(a, "on");
        } else if (a.kind == Arg::Kind::option && a.key == "day" && !cmd.weekday) {
            auto d = weekday_of(a.text);
            if (!d)
                return wrong("day must be a weekday such as fri, not \"" + a.text + "\".", usage);
            cmd.weekday = *d;
        } else if (a.kind == Arg::Kind::option && a.key == "time" && !cmd.minute) {
            int h = -1, m = -1;
            const std::string& t = a.text;
            const auto colon = t.find(':');
            bool ok =
                colon != std::string::npos && colon > 0 && colon <= 2 && t.size() - colon == 3;
            if (ok) {
                auto r1 = std::from_chars(t.data(), t.data() + colon, h);
                auto r2 = std::from_chars(t.data() + colon + 1, t.data() + t.size(), m);
                ok = r1.ec == std::errc() && r2.ec == std::errc() && r1.ptr == t.data() + colon &&
                     r2.ptr == t.data() + t.size() && h >= 0 && h < 24 && m >= 0 && m < 60;
            }
            if (!ok)
                return wrong(
                    "time must be HH:MM on a 24-hour clock, such as 15:00, not \"" + t + "\".",
                    usage);
            cmd.minute = h * 60 + m;
        } else if (a.kind == Arg::Kind::option && a.key == "tz" && !cmd.tz) {
            cmd.tz = a.text;
        } else if (a.kind == Arg::Kind::option) {
            return a.key == "day" || a.key == "time" || a.key == "tz" ? duplicate_option(a, usage)
                                                                      : unknown_option(a, usage);
        } else {
            return wrong("Unexpected " + describe(a) + ".", usage);
        }
    }
    return Command{cmd};
}

Result<Command> parse_workspace(std::span<const Arg> args, std::string_view usage) {
    WorkspaceSet cmd;
    for (const auto& a : args) {
        if (a.kind == Arg::Kind::option && a.key == "currency" && !cmd.currency) {
            std::string c = a.text;
            const bool ok = c.size() == 3 && std::all_of(c.begin(), c.end(), [](unsigned char ch) {
                                return std::isalpha(ch) != 0;
                            });
            if (!ok)
                return wrong(
                    "currency must be a three-letter code such as USD or EUR, not \"" + c + "\".",
                    usage);
            std::transform(c.begin(), c.end(), c.begin(),
                           [](unsigned char ch) { return std::toupper(ch); });
            cmd.currency = c;
        } else if (a.kind == Arg::Kind::option && a.key == "tz" && !cmd.tz) {
            cmd.tz = a.text;
        } else if (a.kind == Arg::Kind::option) {
            return a.key == "currency" || a.key == "tz" ? duplicate_option(a, usage)
                                                        : unknown_option(a, usage);
        } else {
            return wrong("Unexpected " + describe(a) + ".", usage);
        }
    }
    return Command{cmd};
}

}  // namespace funnelbot::commands

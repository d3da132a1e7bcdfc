#include "storage/workspace_repository.hpp"

#include <SQLiteCpp/Statement.h>

#include "storage/sql_support.hpp"

namespace funnelbot::storage {
namespace {

constexpr const char* kColumns =
    "id, platform, external_id, name, currency, tz, reminders_on, reminder_weekday, "
    "reminder_minute";

Workspace read_workspace(const SQLite::Statement& st) {
    Workspace ws;
    ws.id = st.getColumn(0).getInt64();
    ws.platform = detail::platform_from_text(st.getColumn(1).getString());
    ws.external_id = st.getColumn(2).getString();
    ws.name = st.getColumn(3).getString();
    ws.currency = st.getColumn(4).getString();
    ws.tz = st.getColumn(5).getString();
    ws.reminders_on = st.getColumn(6).getInt() != 0;
    ws.reminder_weekday = st.getColumn(7).getInt();
    ws.reminder_minute = st.getColumn(8).getInt();
    return ws;
}

}  // namespace

Workspace WorkspaceRepository::find_or_create(Platform platform, const std::string& external_id,
                                              const std::string& default_tz) {
    return detail::guarded("workspace find_or_create", [&] {
        // Every command looks its workspace up: a plain read first, so commands do not take the
        // write lock (and queue on each other) just to find a row that is there.
        if (auto existing = find(platform, external_id)) return *existing;
        // Insert-or-ignore then read: two processes seeing a new workspace at once agree on it.
        auto insert_cached =
            detail::cached(db_,
                           "INSERT INTO workspaces (platform, external_id, tz) VALUES (?, ?, "
                           "?) ON CONFLICT (platform, external_id) DO NOTHING");
        SQLite::Statement& insert = *insert_cached;
        insert.bind(1, detail::to_text(platform));
        insert.bind(2, external_id);
        insert.bind(3, default_tz.empty() ? std::string("UTC") : default_tz);
        insert.exec();
        auto ws = find(platform, external_id);
        if (!ws) {
            throw StorageError("workspace find_or_create: workspace vanished after insert");
        }
        return *ws;
    });
}

std::optional<Workspace> WorkspaceRepository::find(Platform platform,
                                                   const std::string& external_id) {
    return detail::guarded("workspace find", [&]() -> std::optional<Workspace> {
        auto st_cached = detail::cached(db_, std::string("SELECT ") + kColumns +
                                                 " FROM workspaces WHERE platform = ? AND "
                                                 "external_id = ?");
        SQLite::Statement& st = *st_cached;
        st.bind(1, detail::to_text(platform));
        st.bind(2, external_id);
        if (!st.executeStep()) {
            return std::nullopt;
        }
        return read_workspace(st);
    });
}

std::optional<Workspace> WorkspaceRepository::get(Id id) {
    return detail::guarded("workspace get", [&]() -> std::optional<Workspace> {
        auto st_cached = detail::cached(
            db_, std::string("SELECT ") + kColumns + " FROM workspaces WHERE id = ?");
        SQLite::Statement& st = *st_cached;
        st.bind(1, static_cast<std::int64_t>(id));
        if (!st.executeStep()) {
            return std::nullopt;
        }
        return read_workspace(st);
    });
}

std::vector<Workspace> WorkspaceRepository::list_all() {
    return detail::guarded("workspace list_all", [&] {
        auto st_cached =
            detail::cached(db_, std::string("SELECT ") + kColumns + " FROM workspaces ORDER BY id");
        SQLite::Statement& st = *st_cached;
        std::vector<Workspace> out;
        while (st.executeStep()) {
            out.push_back(read_workspace(st));
        }
        return out;
    });
}

std::vector<Workspace> WorkspaceRepository::with_member(Platform platform,
                                                        const std::string& platform_user_id) {
    return detail::guarded("workspace with_member", [&] {
        std::vector<Workspace> out;
        if (platform_user_id.empty()) return out;  // placeholders have no platform id
        auto st_cached = detail::cached(
            db_,
            "SELECT w.id, w.platform, w.external_id, w.name, w.currency, w.tz, w.reminders_on,"
            " w.reminder_weekday, w.reminder_minute FROM workspaces w"
            " WHERE w.platform = ? AND EXISTS (SELECT 1 FROM users u WHERE u.workspace_id = w.id"
            " AND u.platform_user_id = ? AND u.active = 1) ORDER BY w.id");
        SQLite::Statement& st = *st_cached;
        st.bind(1, detail::to_text(platform));
        st.bind(2, platform_user_id);
        while (st.executeStep()) {
            out.push_back(read_workspace(st));
        }
        return out;
    });
}

void WorkspaceRepository::update(const Workspace& ws) {
    detail::guarded("workspace update", [&] {
        auto st_cached =
            detail::cached(db_,
                           "UPDATE workspaces SET name = ?, currency = ?, tz = ?, reminders_on = "
                           "?, reminder_weekday = ?, reminder_minute = ? WHERE id = ?");
        SQLite::Statement& st = *st_cached;
        st.bind(1, ws.name);
        st.bind(2, ws.currency);
        st.bind(3, ws.tz);
        detail::bind_bool(st, 4, ws.reminders_on);
        st.bind(5, static_cast<std::int32_t>(ws.reminder_weekday));
        st.bind(6, static_cast<std::int32_t>(ws.reminder_minute));
        st.bind(7, static_cast<std::int64_t>(ws.id));
        st.exec();
    });
}

}  // namespace funnelbot::storage

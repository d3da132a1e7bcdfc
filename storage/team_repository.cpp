#include "storage/team_repository.hpp"

#include <SQLiteCpp/Statement.h>

#include <algorithm>

#include "storage/sql_support.hpp"

namespace funnelbot::storage {
namespace {

constexpr const char* kSelect = "SELECT id, workspace_id, name, manager_id FROM teams ";

Team read_team(const SQLite::Statement& st) {
    Team t;
    t.id = st.getColumn(0).getInt64();
    t.workspace_id = st.getColumn(1).getInt64();
    t.name = st.getColumn(2).getString();
    t.manager_id = detail::optional_id(st.getColumn(3));
    return t;
}

std::optional<Team> first_team(SQLite::Statement& st) {
    if (!st.executeStep()) {
        return std::nullopt;
    }
    return read_team(st);
}

std::vector<Team> all_teams(SQLite::Statement& st) {
    std::vector<Team> out;
    while (st.executeStep()) {
        out.push_back(read_team(st));
    }
    return out;
}

}  // namespace

Team TeamRepository::create(Id workspace_id, const std::string& name,
                            std::optional<Id> manager_id) {
    return detail::guarded("team create", [&] {
        auto st_cached = detail::cached(
            db_, "INSERT INTO teams (workspace_id, name, manager_id) VALUES (?, ?, ?)");
        SQLite::Statement& st = *st_cached;
        st.bind(1, workspace_id);
        st.bind(2, name);
        detail::bind_optional(st, 3, manager_id);
        st.exec();
        return Team{detail::sql(db_).getLastInsertRowid(), workspace_id, name, manager_id};
    });
}

std::optional<Team> TeamRepository::get(Id workspace_id, Id team_id) {
    return detail::guarded("team get", [&] {
        auto st_cached =
            detail::cached(db_, std::string(kSelect) + "WHERE workspace_id = ? AND id = ?");
        SQLite::Statement& st = *st_cached;
        st.bind(1, workspace_id);
        st.bind(2, team_id);
        return first_team(st);
    });
}

std::optional<Team> TeamRepository::find_by_name(Id workspace_id, const std::string& name) {
    return detail::guarded("team find_by_name", [&] {
        auto st_cached = detail::cached(
            db_, std::string(kSelect) + "WHERE workspace_id = ? AND name = ? COLLATE NOCASE");
        SQLite::Statement& st = *st_cached;
        st.bind(1, workspace_id);
        st.bind(2, name);
        return first_team(st);
    });
}

void TeamRepository::set_manager(Id workspace_id, Id team_id, std::optional<Id> manager_id) {
    detail::guarded("team set_manager", [&] {
        auto st_cached = detail::cached(
            db_, "UPDATE teams SET manager_id = ? WHERE workspace_id = ? AND id = ?");
        SQLite::Statement& st = *st_cached;
        detail::bind_optional(st, 1, manager_id);
        st.bind(2, workspace_id);
        st.bind(3, team_id);
        st.exec();
    });
}

std::vector<Team> TeamRepository::list(Id workspace_id) {
    return detail::guarded("team list", [&] {
        auto st_cached = detail::cached(
            db_, std::string(kSelect) + "WHERE workspace_id = ? ORDER BY name COLLATE NOCASE");
        SQLite::Statement& st = *st_cached;
        st.bind(1, workspace_id);
        return all_teams(st);
    });
}

std::vector<Team> TeamRepository::managed_by(Id workspace_id, Id manager_id) {
    return detail::guarded("team managed_by", [&] {
        // Sorted here: with an ORDER BY on the name SQLite prefers the name index and walks
        // every team of the workspace (once per person in a Friday pass) instead of the
        // manager index. Names are unique regardless of case, so the order is the same.
        auto st_cached =
            detail::cached(db_, std::string(kSelect) + "WHERE workspace_id = ? AND manager_id = ?");
        SQLite::Statement& st = *st_cached;
        st.bind(1, workspace_id);
        st.bind(2, manager_id);
        auto teams = all_teams(st);
        std::sort(teams.begin(), teams.end(), [](const Team& a, const Team& b) {
            return detail::compare_nocase(a.name, b.name) < 0;
        });
        return teams;
    });
}

}  // namespace funnelbot::storage

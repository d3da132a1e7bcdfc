#include "storage/user_repository.hpp"

#include <SQLiteCpp/Statement.h>

#include "storage/sql_support.hpp"

namespace funnelbot::storage {
namespace {

constexpr const char* kSelect =
    "SELECT id, workspace_id, platform_user_id, name, display_name, real_name, email, tz, role, "
    "platform_admin, active, reminders_on, team_id, imported_as FROM users ";

User read_user(const SQLite::Statement& st) {
    User u;
    u.id = st.getColumn(0).getInt64();
    u.workspace_id = st.getColumn(1).getInt64();
    u.platform_user_id = detail::text_or_empty(st.getColumn(2));
    u.name = st.getColumn(3).getString();
    u.display_name = st.getColumn(4).getString();
    u.real_name = st.getColumn(5).getString();
    u.email = st.getColumn(6).getString();
    u.tz = st.getColumn(7).getString();
    u.role = detail::role_from_text(st.getColumn(8).getString());
    u.platform_admin = st.getColumn(9).getInt() != 0;
    u.active = st.getColumn(10).getInt() != 0;
    u.reminders_on = st.getColumn(11).getInt() != 0;
    u.team_id = detail::optional_id(st.getColumn(12));
    u.imported_as = st.getColumn(13).getString();
    return u;
}

std::optional<User> first_user(SQLite::Statement& st) {
    if (!st.executeStep()) {
        return std::nullopt;
    }
    return read_user(st);
}

std::vector<User> all_users(SQLite::Statement& st) {
    std::vector<User> out;
    while (st.executeStep()) {
        out.push_back(read_user(st));
    }
    return out;
}

// Binds the writable fields at 1..13, in the column order of the INSERT and UPDATE below.
void bind_fields(SQLite::Statement& st, const User& u) {
    detail::bind_text_or_null(st, 1, u.platform_user_id);  // NULL: placeholders don't collide
    st.bind(2, u.name);
    st.bind(3, u.display_name);
    st.bind(4, u.real_name);
    st.bind(5, u.email);
    st.bind(6, u.tz);
    st.bind(7, detail::to_text(u.role));
    detail::bind_bool(st, 8, u.platform_admin);
    detail::bind_bool(st, 9, u.active);
    detail::bind_bool(st, 10, u.reminders_on);
    detail::bind_optional(st, 11, u.team_id);
    st.bind(12, u.imported_as);
    st.bind(13, u.workspace_id);
}

}  // namespace

User UserRepository::create(const User& user) {
    return detail::guarded("user create", [&] {
        auto st_cached =
            detail::cached(db_,
                           "INSERT INTO users (platform_user_id, name, display_name, real_name, "
                           "email, tz, role, platform_admin, active, reminders_on, team_id, "
                           "imported_as, workspace_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                           "?, ?)");
        SQLite::Statement& st = *st_cached;
        bind_fields(st, user);
        st.exec();
        User created = user;
        created.id = detail::sql(db_).getLastInsertRowid();
        return created;
    });
}

std::optional<User> UserRepository::get(Id workspace_id, Id user_id) {
    return detail::guarded("user get", [&] {
        auto st_cached =
            detail::cached(db_, std::string(kSelect) + "WHERE workspace_id = ? AND id = ?");
        SQLite::Statement& st = *st_cached;
        st.bind(1, workspace_id);
        st.bind(2, user_id);
        return first_user(st);
    });
}

std::optional<User> UserRepository::find_by_platform_id(Id workspace_id,
                                                        const std::string& platform_user_id) {
    return detail::guarded("user find_by_platform_id", [&]() -> std::optional<User> {
        if (platform_user_id.empty()) {
            return std::nullopt;  // placeholders have no platform id to find them by
        }
        auto st_cached = detail::cached(
            db_, std::string(kSelect) + "WHERE workspace_id = ? AND platform_user_id = ?");
        SQLite::Statement& st = *st_cached;
        st.bind(1, workspace_id);
        st.bind(2, platform_user_id);
        return first_user(st);
    });
}

std::optional<User> UserRepository::find_by_name(Id workspace_id,
                                                 const std::string& name_or_email) {
    return detail::guarded("user find_by_name", [&]() -> std::optional<User> {
        if (name_or_email.empty()) {
            return std::nullopt;  // would match every user without an e-mail
        }
        auto st_cached = detail::cached(
            db_, std::string(kSelect) +
                     "WHERE workspace_id = ?1 AND (name = ?2 COLLATE NOCASE OR display_name "
                     "= ?2 COLLATE NOCASE OR real_name = ?2 COLLATE NOCASE OR email = ?2 "
                     "COLLATE NOCASE) ORDER BY active DESC, id LIMIT 1");
        SQLite::Statement& st = *st_cached;
        st.bind(1, workspace_id);
        st.bind(2, name_or_email);
        return first_user(st);
    });
}

std::optional<User> UserRepository::find_by_email(Id workspace_id, const std::string& email) {
    return detail::guarded("user find_by_email", [&]() -> std::optional<User> {
        if (email.empty()) {
            return std::nullopt;
        }
        auto st_cached =
            detail::cached(db_, std::string(kSelect) +
                                    "WHERE workspace_id = ? AND email = ? COLLATE NOCASE "
                                    "ORDER BY platform_user_id IS NULL, active DESC, id LIMIT 1");
        SQLite::Statement& st = *st_cached;
        st.bind(1, workspace_id);
        st.bind(2, email);
        return first_user(st);
    });
}

std::optional<User> UserRepository::find_by_imported_name(Id workspace_id,
                                                          const std::string& owner) {
    return detail::guarded("user find_by_imported_name", [&]() -> std::optional<User> {
        if (owner.empty()) {
            return std::nullopt;
        }
        auto st_cached =
            detail::cached(db_, std::string(kSelect) +
                                    "WHERE workspace_id = ? AND imported_as = ? COLLATE NOCASE "
                                    "ORDER BY active DESC, id LIMIT 1");
        SQLite::Statement& st = *st_cached;
        st.bind(1, workspace_id);
        st.bind(2, owner);
        return first_user(st);
    });
}

void UserRepository::update(const User& user) {
    detail::guarded("user update", [&] {
        auto st_cached =
            detail::cached(db_,
                           "UPDATE users SET platform_user_id = ?1, name = ?2, display_name = "
                           "?3, real_name = ?4, email = ?5, tz = ?6, role = ?7, platform_admin "
                           "= ?8, active = ?9, reminders_on = ?10, team_id = ?11, imported_as "
                           "= ?12 WHERE workspace_id = ?13 AND id = ?14");
        SQLite::Statement& st = *st_cached;
        bind_fields(st, user);
        st.bind(14, user.id);
        st.exec();
    });
}

std::vector<User> UserRepository::list(Id workspace_id, bool active_only) {
    return detail::guarded("user list", [&] {
        auto st_cached = detail::cached(db_, std::string(kSelect) +
                                                 "WHERE workspace_id = ? AND (active = 1 OR ? = 0) "
                                                 "ORDER BY name COLLATE NOCASE, id");
        SQLite::Statement& st = *st_cached;
        st.bind(1, workspace_id);
        detail::bind_bool(st, 2, active_only);
        return all_users(st);
    });
}

std::vector<User> UserRepository::list_team(Id workspace_id, Id team_id) {
    return detail::guarded("user list_team", [&] {
        auto st_cached =
            detail::cached(db_, std::string(kSelect) +
                                    "WHERE workspace_id = ? AND team_id = ? AND active "
                                    "= 1 ORDER BY name COLLATE NOCASE, id");
        SQLite::Statement& st = *st_cached;
        st.bind(1, workspace_id);
        st.bind(2, team_id);
        return all_users(st);
    });
}

}  // namespace funnelbot::storage

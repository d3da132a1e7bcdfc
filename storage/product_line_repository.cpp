#include "storage/product_line_repository.hpp"

#include <SQLiteCpp/Statement.h>

#include <algorithm>
#include <utility>

#include "storage/check_queries.hpp"
#include "storage/sql_support.hpp"

namespace funnelbot::storage {
namespace {

using analysis::ProductLine;

constexpr const char* kSelect =
    "SELECT p.id, p.name, p.category, p.introduced_on, p.origin, p.active FROM product_lines p ";

ProductLine read_line(const SQLite::Statement& st) {
    ProductLine l;
    l.id = st.getColumn(0).getInt64();
    l.name = st.getColumn(1).getString();
    l.category = st.getColumn(2).getString();
    l.introduced_on = detail::optional_date(st.getColumn(3));
    l.acquired = detail::text_or_empty(st.getColumn(4)) == "acquired";
    l.active = st.getColumn(5).getInt() != 0;
    return l;
}

std::vector<ProductLine> all_lines(SQLite::Statement& st) {
    std::vector<ProductLine> out;
    while (st.executeStep()) {
        out.push_back(read_line(st));
    }
    return out;
}

void bind_line_fields(SQLite::Statement& st, const ProductLine& line) {
    st.bind(1, line.name);
    st.bind(2, line.category);
    if (line.introduced_on) {
        st.bind(3, detail::format_date(*line.introduced_on));
    } else {
        st.bind(3);
    }
    if (line.acquired) {
        st.bind(4, "acquired");
    } else {
        st.bind(4);
    }
    detail::bind_bool(st, 5, line.active);
}

// Replaces the stored list of one owner; `owner_column` is one of our two column names.
void replace_responsible(Database& database, const char* owner_column, Id workspace_id, Id owner_id,
                         const std::vector<Id>& line_ids) {
    detail::Savepoint sp(database);
    SQLite::Database& db = detail::sql(database);
    {
        SQLite::Statement del(db, std::string("DELETE FROM responsible_lines WHERE workspace_id = "
                                              "? AND ") +
                                      owner_column + " = ?");
        del.bind(1, workspace_id);
        del.bind(2, owner_id);
        del.exec();
        SQLite::Statement ins(db, std::string("INSERT INTO responsible_lines (workspace_id, ") +
                                      owner_column +
                                      ", product_line_id) VALUES (?, ?, ?) ON CONFLICT DO NOTHING");
        for (const Id line_id : line_ids) {
            ins.reset();
            ins.bind(1, workspace_id);
            ins.bind(2, owner_id);
            ins.bind(3, line_id);
            ins.exec();
        }
    }
    sp.release();
}

}  // namespace

ProductLine ProductLineRepository::create(Id workspace_id, const ProductLine& line) {
    return detail::guarded("product line create", [&] {
        auto st_cached =
            detail::cached(db_,
                           "INSERT INTO product_lines (name, category, introduced_on, origin, "
                           "active, workspace_id) VALUES (?, ?, ?, ?, ?, ?)");
        SQLite::Statement& st = *st_cached;
        bind_line_fields(st, line);
        st.bind(6, workspace_id);
        st.exec();
        ProductLine created = line;
        created.id = detail::sql(db_).getLastInsertRowid();
        return created;
    });
}

std::optional<ProductLine> ProductLineRepository::get(Id workspace_id, Id line_id) {
    return detail::guarded("product line get", [&]() -> std::optional<ProductLine> {
        auto st_cached =
            detail::cached(db_, std::string(kSelect) + "WHERE p.workspace_id = ? AND p.id = ?");
        SQLite::Statement& st = *st_cached;
        st.bind(1, workspace_id);
        st.bind(2, line_id);
        if (!st.executeStep()) {
            return std::nullopt;
        }
        return read_line(st);
    });
}

std::optional<ProductLine> ProductLineRepository::find_by_name(Id workspace_id,
                                                               const std::string& name) {
    return detail::guarded("product line find_by_name", [&]() -> std::optional<ProductLine> {
        auto st_cached = detail::cached(db_, std::string(kSelect) +
                                                 "WHERE p.workspace_id = ? AND p.name = ? COLLATE "
                                                 "NOCASE");
        SQLite::Statement& st = *st_cached;
        st.bind(1, workspace_id);
        st.bind(2, name);
        if (!st.executeStep()) {
            return std::nullopt;
        }
        return read_line(st);
    });
}

std::vector<ProductLine> ProductLineRepository::list(Id workspace_id, bool include_retired) {
    return detail::guarded("product line list", [&] {
        auto st_cached =
            detail::cached(db_, std::string(kSelect) +
                                    "WHERE p.workspace_id = ? AND (p.active = 1 OR ? = "
                                    "1) ORDER BY p.name COLLATE NOCASE, p.id");
        SQLite::Statement& st = *st_cached;
        st.bind(1, workspace_id);
        detail::bind_bool(st, 2, include_retired);
        return all_lines(st);
    });
}

void ProductLineRepository::update(Id workspace_id, const ProductLine& line) {
    detail::guarded("product line update", [&] {
        auto st_cached =
            detail::cached(db_,
                           "UPDATE product_lines SET name = ?, category = ?, introduced_on = ?, "
                           "origin = ?, active = ? WHERE workspace_id = ? AND id = ?");
        SQLite::Statement& st = *st_cached;
        bind_line_fields(st, line);
        st.bind(6, workspace_id);
        st.bind(7, line.id);
        st.exec();
    });
}

void ProductLineRepository::set_responsible_for_user(Id workspace_id, Id user_id,
                                                     const std::vector<Id>& line_ids) {
    detail::guarded("set responsible lines of user",
                    [&] { replace_responsible(db_, "user_id", workspace_id, user_id, line_ids); });
}

void ProductLineRepository::set_responsible_for_team(Id workspace_id, Id team_id,
                                                     const std::vector<Id>& line_ids) {
    detail::guarded("set responsible lines of team",
                    [&] { replace_responsible(db_, "team_id", workspace_id, team_id, line_ids); });
}

void ProductLineRepository::clear_responsible_for_user(Id workspace_id, Id user_id) {
    set_responsible_for_user(workspace_id, user_id, {});
}

void ProductLineRepository::clear_responsible_for_team(Id workspace_id, Id team_id) {
    set_responsible_for_team(workspace_id, team_id, {});
}

std::vector<Id> ProductLineRepository::users_with_own_lines(Id workspace_id) {
    return detail::guarded("product line users_with_own_lines", [&] {
        auto st_cached =
            detail::cached(db_,
                           "SELECT DISTINCT user_id FROM responsible_lines"
                           " WHERE workspace_id = ? AND user_id IS NOT NULL ORDER BY user_id");
        SQLite::Statement& st = *st_cached;
        st.bind(1, workspace_id);
        std::vector<Id> out;
        while (st.executeStep()) {
            out.push_back(st.getColumn(0).getInt64());
        }
        return out;
    });
}

std::vector<ProductLine> ProductLineRepository::responsible_lines(Id workspace_id, Id user_id) {
    return rep_lines(workspace_id, user_id).responsible;
}

RepLines ProductLineRepository::rep_lines(Id workspace_id, Id user_id) {
    return detail::guarded("product line rep_lines", [&] {
        RepLines out;
        {
            auto st = detail::raw(db_, detail::kWorkspaceLines);
            st.bind(1, workspace_id);
            while (st.step()) {
                ProductLine& l = out.all.emplace_back();
                l.id = st.int64(0);
                l.name = st.text(1);
                l.category = st.text(2);
                if (!st.is_null(3)) l.introduced_on = detail::stored_date(st.text(3));
                l.acquired = st.text(4) == "acquired";
                l.active = st.int64(5) != 0;
            }
        }
        std::vector<Id> own, team;
        {
            auto st = detail::raw(db_, detail::kRepListedLines);
            st.bind(1, workspace_id);
            st.bind(2, user_id);
            while (st.step()) {
                (st.int64(1) != 0 ? own : team).push_back(st.int64(0));
            }
        }
        // A level whose stored lines are all retired falls through to the next one, so a rep
        // is never left responsible for nothing: the rep's own list, else the team's, else
        // every active line.
        const auto active_of = [&](const std::vector<Id>* listed) {
            std::vector<ProductLine> lines;
            for (const ProductLine& l : out.all) {
                if (l.active && (listed == nullptr ||
                                 std::find(listed->begin(), listed->end(), l.id) != listed->end()))
                    lines.push_back(l);
            }
            return lines;
        };
        out.responsible = active_of(&own);
        if (out.responsible.empty()) out.responsible = active_of(&team);
        if (out.responsible.empty()) out.responsible = active_of(nullptr);
        // By name as SQLite's NOCASE orders it, as list() gives them (names are unique that way).
        std::sort(out.responsible.begin(), out.responsible.end(),
                  [](const ProductLine& a, const ProductLine& b) {
                      const int order = detail::compare_nocase(a.name, b.name);
                      return order != 0 ? order < 0 : a.id < b.id;
                  });
        return out;
    });
}

}  // namespace funnelbot::storage

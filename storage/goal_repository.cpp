#include "storage/goal_repository.hpp"

#include <SQLiteCpp/Statement.h>

#include "storage/sql_support.hpp"

namespace funnelbot::storage {
namespace {

void bind_int(SQLite::Statement& st, int index, const std::optional<int>& v) {
    if (v) {
        st.bind(index, static_cast<std::int32_t>(*v));
    } else {
        st.bind(index);
    }
}

std::optional<int> column_int(const SQLite::Column& c) {
    return c.isNull() ? std::nullopt : std::optional<int>(c.getInt());
}

// The workspace scope has one row per workspace whatever id the caller passed.
Id effective_scope_id(GoalScope scope, Id scope_id) {
    return scope == GoalScope::workspace ? 0 : scope_id;
}

// Where `higher` is set it wins, field by field.
void overlay(GoalSettings& base, const GoalSettings& higher) {
    auto pick = [](auto& field, const auto& value) {
        if (value) {
            field = value;
        }
    };
    pick(base.max_line_pct, higher.max_line_pct);
    pick(base.new_share_pct, higher.new_share_pct);
    pick(base.tolerance_pct, higher.tolerance_pct);
    pick(base.territory, higher.territory);
    pick(base.new_opps_per_month, higher.new_opps_per_month);
    pick(base.quota_per_quarter, higher.quota_per_quarter);
    pick(base.languishing_days, higher.languishing_days);
    pick(base.languishing_share_pct, higher.languishing_share_pct);
}

}  // namespace

void GoalRepository::merge(Id workspace_id, GoalScope scope, Id scope_id,
                           const GoalSettings& settings) {
    detail::guarded("goals merge", [&] {
        // One upsert: an unset field (NULL) leaves the stored value alone.
        auto st_cached = detail::cached(
            db_,
            "INSERT INTO goals (workspace_id, scope, scope_id, max_line_pct, new_share_pct,"
            " tolerance_pct, territory, new_opps_per_month, quota_per_quarter, languishing_days,"
            " languishing_share_pct) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (workspace_id, scope, scope_id) DO UPDATE SET"
            " max_line_pct = coalesce(excluded.max_line_pct, max_line_pct),"
            " new_share_pct = coalesce(excluded.new_share_pct, new_share_pct),"
            " tolerance_pct = coalesce(excluded.tolerance_pct, tolerance_pct),"
            " territory = coalesce(excluded.territory, territory),"
            " new_opps_per_month = coalesce(excluded.new_opps_per_month, new_opps_per_month),"
            " quota_per_quarter = coalesce(excluded.quota_per_quarter, quota_per_quarter),"
            " languishing_days = coalesce(excluded.languishing_days, languishing_days),"
            " languishing_share_pct = coalesce(excluded.languishing_share_pct,"
            " languishing_share_pct)");
        SQLite::Statement& st = *st_cached;
        st.bind(1, workspace_id);
        st.bind(2, detail::to_text(scope));
        st.bind(3, effective_scope_id(scope, scope_id));
        bind_int(st, 4, settings.max_line_pct);
        bind_int(st, 5, settings.new_share_pct);
        bind_int(st, 6, settings.tolerance_pct);
        if (settings.territory) {
            st.bind(7, detail::to_text(*settings.territory));
        } else {
            st.bind(7);
        }
        bind_int(st, 8, settings.new_opps_per_month);
        if (settings.quota_per_quarter) {
            st.bind(9, *settings.quota_per_quarter);
        } else {
            st.bind(9);
        }
        bind_int(st, 10, settings.languishing_days);
        bind_int(st, 11, settings.languishing_share_pct);
        st.exec();
    });
}

std::vector<Id> GoalRepository::users_with_goals(Id workspace_id) {
    return detail::guarded("goals users_with_goals", [&] {
        auto st_cached =
            detail::cached(db_,
                           "SELECT scope_id FROM goals WHERE workspace_id = ? AND scope = ?"
                           " ORDER BY scope_id");
        SQLite::Statement& st = *st_cached;
        st.bind(1, workspace_id);
        st.bind(2, detail::to_text(GoalScope::rep));
        std::vector<Id> out;
        while (st.executeStep()) {
            out.push_back(st.getColumn(0).getInt64());
        }
        return out;
    });
}

GoalSettings GoalRepository::get(Id workspace_id, GoalScope scope, Id scope_id) {
    return detail::guarded("goals get", [&] {
        auto st_cached = detail::cached(
            db_,
            "SELECT max_line_pct, new_share_pct, tolerance_pct, territory, new_opps_per_month,"
            " quota_per_quarter, languishing_days, languishing_share_pct FROM goals"
            " WHERE workspace_id = ? AND scope = ? AND scope_id = ?");
        SQLite::Statement& st = *st_cached;
        st.bind(1, workspace_id);
        st.bind(2, detail::to_text(scope));
        st.bind(3, effective_scope_id(scope, scope_id));
        GoalSettings g;
        if (!st.executeStep()) {
            return g;
        }
        g.max_line_pct = column_int(st.getColumn(0));
        g.new_share_pct = column_int(st.getColumn(1));
        g.tolerance_pct = column_int(st.getColumn(2));
        if (!st.getColumn(3).isNull()) {
            g.territory = detail::territory_from_text(st.getColumn(3).getString());
        }
        g.new_opps_per_month = column_int(st.getColumn(4));
        if (!st.getColumn(5).isNull()) {
            g.quota_per_quarter = st.getColumn(5).getInt64();
        }
        g.languishing_days = column_int(st.getColumn(6));
        g.languishing_share_pct = column_int(st.getColumn(7));
        return g;
    });
}

analysis::Goals GoalRepository::resolve(Id workspace_id, std::optional<Id> team_id,
                                        std::optional<Id> user_id) {
    GoalSettings merged = get(workspace_id, GoalScope::workspace, 0);
    if (team_id) {
        overlay(merged, get(workspace_id, GoalScope::team, *team_id));
    }
    if (user_id) {
        overlay(merged, get(workspace_id, GoalScope::rep, *user_id));
    }
    analysis::Goals goals;  // the defaults fill whatever no scope set
    goals.max_line_pct = merged.max_line_pct.value_or(goals.max_line_pct);
    goals.new_share_pct = merged.new_share_pct.value_or(goals.new_share_pct);
    goals.tolerance_pct = merged.tolerance_pct.value_or(goals.tolerance_pct);
    goals.territory = merged.territory.value_or(goals.territory);
    if (merged.new_opps_per_month) {
        goals.new_opps_per_month = merged.new_opps_per_month;
    }
    if (merged.quota_per_quarter) {
        goals.quota_per_quarter = merged.quota_per_quarter;
    }
    goals.languishing_days = merged.languishing_days.value_or(goals.languishing_days);
    goals.languishing_share_pct =
        merged.languishing_share_pct.value_or(goals.languishing_share_pct);
    return goals;
}

}  // namespace funnelbot::storage

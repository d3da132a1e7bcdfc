#include "storage/opportunity_repository.hpp"

#include <SQLiteCpp/Statement.h>

#include <algorithm>

#include "storage/check_queries.hpp"
#include "storage/sql_support.hpp"

namespace funnelbot::storage {
namespace {

using analysis::Opportunity;
using analysis::Stage;

Opportunity read_opportunity(const SQLite::Statement& st) {
    Opportunity o;
    o.id = st.getColumn(0).getInt64();
    o.owner_id = st.getColumn(1).getInt64();
    o.customer_id = st.getColumn(2).getInt64();
    o.customer_name = st.getColumn(3).getString();
    o.product_line_id = st.getColumn(4).getInt64();
    o.product_line_name = st.getColumn(5).getString();
    o.name = st.getColumn(6).getString();
    o.amount = st.getColumn(7).getInt64();
    o.stage = detail::stage_from_text(st.getColumn(8).getString());
    o.customer_type = detail::customer_type_from_text(st.getColumn(9).getString());
    o.close_date = detail::optional_date(st.getColumn(10));
    o.created_at = detail::from_unix(st.getColumn(11).getInt64());
    o.updated_at = detail::from_unix(st.getColumn(12).getInt64());
    if (!st.getColumn(13).isNull()) {
        o.closed_at = detail::from_unix(st.getColumn(13).getInt64());
    }
    o.external_id = detail::text_or_empty(st.getColumn(14));
    return o;
}

std::optional<Opportunity> first_opportunity(SQLite::Statement& st) {
    if (!st.executeStep()) {
        return std::nullopt;
    }
    return read_opportunity(st);
}

void bind_close_date(SQLite::Statement& st, int index, const std::optional<analysis::Date>& d) {
    if (d) {
        st.bind(index, detail::format_date(*d));
    } else {
        st.bind(index);
    }
}

// As detail::bind_text_or_null, without SQLite's copy: `value` must outlive the binding.
void bind_text_no_copy_or_null(SQLite::Statement& st, int index, const std::string& value) {
    if (value.empty()) {
        st.bind(index);
    } else {
        st.bindNoCopy(index, value);
    }
}

void bind_closed_at(SQLite::Statement& st, int index, const std::optional<Instant>& t) {
    if (t) {
        st.bind(index, detail::to_unix(*t));
    } else {
        st.bind(index);
    }
}

// A won opportunity makes its customer current (never the other way round).
void mark_customer_current(Database& db, Id workspace_id, Id customer_id) {
    auto st = detail::cached(
        db, "UPDATE customers SET status = 'current' WHERE workspace_id = ? AND id = ?");
    st->bind(1, workspace_id);
    st->bind(2, customer_id);
    st->exec();
}

std::optional<Opportunity> get_opportunity(Database& db, Id workspace_id, Id opp_id) {
    auto st =
        detail::cached(db, detail::opportunity_select() + "WHERE o.workspace_id = ? AND o.id = ?");
    st->bind(1, workspace_id);
    st->bind(2, opp_id);
    return first_opportunity(*st);
}

}  // namespace

Id OpportunityRepository::insert(Id workspace_id, const Opportunity& opp,
                                 const std::string& source_event_id) {
    return detail::guarded("opportunity insert", [&] {
        // One statement: the schema's triggers mark a won deal's customer current and keep the
        // summaries up to date within it, so it needs no savepoint of its own. Texts are bound
        // without a copy (imports insert rows by the hundred thousand): each outlives `st`,
        // whose handle unbinds them when it goes.
        const std::string close = opp.close_date ? detail::format_date(*opp.close_date) : "";
        auto st = detail::cached(
            db_,
            "INSERT INTO opportunities (workspace_id, owner_id, customer_id, product_line_id, "
            "name, amount, stage, customer_type, close_date, created_at, updated_at, "
            "closed_at, external_id, source_event_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
            "?, ?, ?, ?)");
        st->bind(1, workspace_id);
        st->bind(2, opp.owner_id);
        st->bind(3, opp.customer_id);
        st->bind(4, opp.product_line_id);
        st->bindNoCopy(5, opp.name);
        st->bind(6, opp.amount);
        st->bindNoCopy(7, detail::to_text(opp.stage));
        st->bindNoCopy(8, detail::to_text(opp.customer_type));
        bind_text_no_copy_or_null(*st, 9, close);
        st->bind(10, detail::to_unix(opp.created_at));
        st->bind(11, detail::to_unix(opp.updated_at));
        bind_closed_at(*st, 12, opp.closed_at);
        bind_text_no_copy_or_null(*st, 13, opp.external_id);
        bind_text_no_copy_or_null(*st, 14, source_event_id);
        st->exec();
        return detail::sql(db_).getLastInsertRowid();
    });
}

Opportunity OpportunityRepository::create(Id workspace_id, const Opportunity& opp,
                                          const std::string& source_event_id) {
    return detail::guarded("opportunity create", [&] {
        const Id id = insert(workspace_id, opp, source_event_id);
        auto created = get_opportunity(db_, workspace_id, id);
        if (!created) {
            throw StorageError("opportunity create: row vanished after insert");
        }
        return *created;
    });
}

std::optional<Opportunity> OpportunityRepository::get(Id workspace_id, Id opp_id) {
    return detail::guarded("opportunity get",
                           [&] { return get_opportunity(db_, workspace_id, opp_id); });
}

void OpportunityRepository::update(Id workspace_id, const Opportunity& opp) {
    detail::guarded("opportunity update", [&] {
        detail::Savepoint sp(db_);
        {
            auto st_cached =
                detail::cached(db_,
                               "UPDATE opportunities SET owner_id = ?, customer_id = ?, "
                               "product_line_id = ?, name = ?, amount = ?, stage = ?, "
                               "close_date = ?, updated_at = ?, closed_at = ?, external_id = ?, "
                               "created_at = ? WHERE workspace_id = ? AND id = ?");
            SQLite::Statement& st = *st_cached;
            st.bind(1, opp.owner_id);
            st.bind(2, opp.customer_id);
            st.bind(3, opp.product_line_id);
            st.bind(4, opp.name);
            st.bind(5, opp.amount);
            st.bind(6, detail::to_text(opp.stage));
            bind_close_date(st, 7, opp.close_date);
            st.bind(8, detail::to_unix(opp.updated_at));
            bind_closed_at(st, 9, opp.closed_at);
            detail::bind_text_or_null(st, 10, opp.external_id);
            st.bind(11, detail::to_unix(opp.created_at));
            st.bind(12, workspace_id);
            st.bind(13, opp.id);
            // Another workspace's id matches no row: nothing changes, customer included.
            if (st.exec() == 1 && opp.stage == Stage::won) {
                mark_customer_current(db_, workspace_id, opp.customer_id);
            }
        }
        sp.release();
    });
}

void OpportunityRepository::remove(Id workspace_id, Id opp_id) {
    detail::guarded("opportunity remove", [&] {
        auto st_cached =
            detail::cached(db_, "DELETE FROM opportunities WHERE workspace_id = ? AND id = ?");
        SQLite::Statement& st = *st_cached;
        st.bind(1, workspace_id);
        st.bind(2, opp_id);
        st.exec();
    });
}

std::vector<Opportunity> OpportunityRepository::list(Id workspace_id,
                                                     const OpportunityFilter& filter) {
    return detail::guarded("opportunity list", [&] {
        // Fixed SQL fragments chosen by the filter; every value is bound.
        std::string sql = detail::opportunity_select() + "WHERE o.workspace_id = ?";
        switch (filter.status) {
            case OpportunityFilter::Status::open:
                sql += " AND o.stage NOT IN ('won', 'lost')";
                break;
            case OpportunityFilter::Status::won:
                sql += " AND o.stage = 'won'";
                break;
            case OpportunityFilter::Status::lost:
                sql += " AND o.stage = 'lost'";
                break;
            case OpportunityFilter::Status::all:
                break;
        }
        if (filter.owner_id) {
            sql += " AND o.owner_id = ?";
        }
        if (filter.product_line_id) {
            sql += " AND o.product_line_id = ?";
        }
        if (filter.customer_id) {
            sql += " AND o.customer_id = ?";
        }
        // Unlimited lists are sorted here: moving 250 structs beats SQLite copying 250 rows into
        // a temporary b-tree and back.
        if (filter.limit > 0) {
            sql += " ORDER BY o.id LIMIT ?";
        }
        auto st_cached = detail::cached(db_, sql);
        SQLite::Statement& st = *st_cached;
        int index = 1;
        st.bind(index++, workspace_id);
        for (const auto& id : {filter.owner_id, filter.product_line_id, filter.customer_id}) {
            if (id) {
                st.bind(index++, *id);
            }
        }
        if (filter.limit > 0) {
            st.bind(index++, static_cast<std::int32_t>(filter.limit));
        }
        std::vector<Opportunity> out;
        while (st.executeStep()) {
            out.push_back(read_opportunity(st));
        }
        if (filter.limit == 0) {
            std::sort(out.begin(), out.end(),
                      [](const Opportunity& a, const Opportunity& b) { return a.id < b.id; });
        }
        return out;
    });
}

void OpportunityRepository::for_each(Id workspace_id,
                                     const std::function<void(const Opportunity&)>& fn) {
    detail::guarded("opportunity for_each", [&] {
        // One row in memory at a time: exports of any size stream straight through.
        auto st_cached = detail::cached(
            db_, detail::opportunity_select() + "WHERE o.workspace_id = ? ORDER BY o.id");
        SQLite::Statement& st = *st_cached;
        st.bind(1, workspace_id);
        while (st.executeStep()) {
            fn(read_opportunity(st));
        }
    });
}

void OpportunityRepository::for_each_in_team(Id workspace_id, Id team_id,
                                             const std::function<void(const Opportunity&)>& fn) {
    detail::guarded("opportunity for_each_in_team", [&] {
        auto st_cached = detail::cached(db_, detail::team_opportunities_sql());
        SQLite::Statement& st = *st_cached;
        st.bind(1, workspace_id);
        st.bind(2, team_id);
        while (st.executeStep()) {
            fn(read_opportunity(st));
        }
    });
}

std::optional<Opportunity> OpportunityRepository::find_by_external_id(
    Id workspace_id, const std::string& external_id) {
    return detail::guarded("opportunity find_by_external_id", [&]() -> std::optional<Opportunity> {
        if (external_id.empty()) {
            return std::nullopt;  // stored as NULL; "no CRM id" matches nothing
        }
        auto st = detail::cached(
            db_, detail::opportunity_select() +
                     "WHERE o.workspace_id = ? AND o.external_id = ? ORDER BY o.id LIMIT 1");
        st->bind(1, workspace_id);
        st->bind(2, external_id);
        return first_opportunity(*st);
    });
}

std::optional<Opportunity> OpportunityRepository::find_by_natural_key(Id workspace_id, Id owner_id,
                                                                      Id customer_id, Id line_id,
                                                                      const std::string& name) {
    return detail::guarded("opportunity find_by_natural_key", [&] {
        auto st_cached = detail::cached(db_, detail::opportunity_select() +
                                                 "WHERE o.workspace_id = ? AND o.owner_id = ? AND "
                                                 "o.customer_id = ? AND o.product_line_id = ? AND "
                                                 "o.name = ? COLLATE NOCASE ORDER BY o.id LIMIT 1");
        SQLite::Statement& st = *st_cached;
        st.bind(1, workspace_id);
        st.bind(2, owner_id);
        st.bind(3, customer_id);
        st.bind(4, line_id);
        st.bind(5, name);
        return first_opportunity(st);
    });
}

int OpportunityRepository::reassign(Id workspace_id, Id from_user, Id to_user) {
    return detail::guarded("opportunity reassign", [&] {
        auto st_cached =
            detail::cached(db_,
                           "UPDATE opportunities SET owner_id = ? WHERE workspace_id = ? AND "
                           "owner_id = ?");
        SQLite::Statement& st = *st_cached;
        st.bind(1, to_user);
        st.bind(2, workspace_id);
        st.bind(3, from_user);
        return st.exec();
    });
}

}  // namespace funnelbot::storage

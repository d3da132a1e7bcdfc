#include "storage/customer_repository.hpp"

#include <SQLiteCpp/Statement.h>

#include <algorithm>

#include "storage/check_queries.hpp"
#include "storage/customer_key.hpp"
#include "storage/sql_support.hpp"

namespace funnelbot::storage {
namespace {

constexpr const char* kSelect = "SELECT id, workspace_id, name, key, status FROM customers ";

// The peer group of the whole workspace in peer_line_popularity (team ids start at 1).
constexpr Id kWholeWorkspace = 0;

std::optional<Customer> first_customer(SQLite::Statement& st) {
    if (!st.executeStep()) {
        return std::nullopt;
    }
    Customer c;
    c.id = st.getColumn(0).getInt64();
    c.workspace_id = st.getColumn(1).getInt64();
    c.name = st.getColumn(2).getString();
    c.key = st.getColumn(3).getString();
    c.status = detail::customer_status_from_text(st.getColumn(4).getString());
    return c;
}

std::optional<Customer> find_by_key(Database& db, Id workspace_id, const std::string& key) {
    auto st = detail::cached(db, std::string(kSelect) + "WHERE workspace_id = ? AND key = ?");
    st->bind(1, workspace_id);
    st->bind(2, key);
    return first_customer(*st);
}

}  // namespace

Customer CustomerRepository::find_or_create(Id workspace_id, const std::string& name) {
    return detail::guarded("customer find_or_create", [&] {
        const std::string key = customer_key(name);
        if (key.empty()) {
            // Only punctuation and spaces: it would match every other such name.
            throw StorageError("customer find_or_create: \"" + name +
                               "\" has no letters or digits to match on");
        }
        // The first writer's spelling wins; later spellings only find it.
        auto insert =
            detail::cached(db_,
                           "INSERT INTO customers (workspace_id, name, key) VALUES (?, ?, ?) "
                           "ON CONFLICT (workspace_id, key) DO NOTHING");
        insert->bind(1, workspace_id);
        insert->bind(2, name);
        insert->bind(3, key);
        insert->exec();
        auto c = find_by_key(db_, workspace_id, key);
        if (!c) {
            throw StorageError("customer find_or_create: customer vanished after insert");
        }
        return *c;
    });
}

std::optional<Customer> CustomerRepository::find(Id workspace_id, const std::string& name) {
    return detail::guarded("customer find", [&]() -> std::optional<Customer> {
        const std::string key = customer_key(name);
        if (key.empty()) {
            return std::nullopt;
        }
        return find_by_key(db_, workspace_id, key);
    });
}

std::optional<Customer> CustomerRepository::get(Id workspace_id, Id customer_id) {
    return detail::guarded("customer get", [&] {
        auto st_cached =
            detail::cached(db_, std::string(kSelect) + "WHERE workspace_id = ? AND id = ?");
        SQLite::Statement& st = *st_cached;
        st.bind(1, workspace_id);
        st.bind(2, customer_id);
        return first_customer(st);
    });
}

void CustomerRepository::set_status(Id workspace_id, Id customer_id, CustomerStatus status) {
    detail::guarded("customer set_status", [&] {
        auto st_cached = detail::cached(
            db_, "UPDATE customers SET status = ? WHERE workspace_id = ? AND id = ?");
        SQLite::Statement& st = *st_cached;
        st.bind(1, detail::to_text(status));
        st.bind(2, workspace_id);
        st.bind(3, customer_id);
        st.exec();
    });
}

std::vector<analysis::CrossSellAccount> CustomerRepository::current_accounts_of(Id workspace_id,
                                                                                Id user_id) {
    return detail::guarded("customer current_accounts_of", [&] {
        // One row per account, ordered here by name (as NOCASE does) then id.
        auto st_cached = detail::cached(db_, detail::kCurrentAccounts);
        SQLite::Statement& st = *st_cached;
        st.bind(1, workspace_id);
        st.bind(2, user_id);
        std::vector<analysis::CrossSellAccount> out;
        while (st.executeStep()) {
            const Id customer_id = st.getColumn(0).getInt64();
            out.push_back({customer_id, st.getColumn(1).getString(),
                           detail::line_ids_from_text(st.getColumn(2).getText(), customer_id)});
        }
        std::sort(out.begin(), out.end(),
                  [](const analysis::CrossSellAccount& a, const analysis::CrossSellAccount& b) {
                      const int order = detail::compare_nocase(a.name, b.name);
                      return order != 0 ? order < 0 : a.customer_id < b.customer_id;
                  });
        return out;
    });
}

std::map<Id, std::int64_t> CustomerRepository::peer_line_popularity(Id workspace_id,
                                                                    std::optional<Id> team_id) {
    return detail::guarded("customer peer_line_popularity", [&] {
        // Kept up to date by the schema's triggers: a handful of rows, whatever the workspace.
        auto st = detail::cached(db_, detail::kPeerLinePopularity);
        st->bind(1, workspace_id);
        st->bind(2, team_id.value_or(kWholeWorkspace));
        std::map<Id, std::int64_t> out;
        while (st->executeStep()) {
            out.emplace(st->getColumn(0).getInt64(), st->getColumn(1).getInt64());
        }
        return out;
    });
}

std::map<Id, std::int64_t> CustomerRepository::line_popularity(Id workspace_id,
                                                               const std::vector<Id>& owner_ids) {
    return detail::guarded("customer line_popularity", [&] {
        std::string sql =
            "SELECT o.product_line_id, COUNT(DISTINCT o.customer_id) FROM opportunities o"
            " JOIN customers c ON c.workspace_id = o.workspace_id AND c.id = o.customer_id"
            " WHERE o.workspace_id = ? AND o.stage = 'won' AND c.status = 'current'";
        if (!owner_ids.empty()) {
            // Placeholders only; the ids themselves are bound below.
            sql += " AND o.owner_id IN (?";
            for (std::size_t i = 1; i < owner_ids.size(); ++i) {
                sql += ", ?";
            }
            sql += ")";
        }
        sql += " GROUP BY o.product_line_id";
        auto st_cached = detail::cached(db_, sql);
        SQLite::Statement& st = *st_cached;
        st.bind(1, workspace_id);
        for (std::size_t i = 0; i < owner_ids.size(); ++i) {
            st.bind(static_cast<int>(i) + 2, owner_ids[i]);
        }
        std::map<Id, std::int64_t> out;
        while (st.executeStep()) {
            out[st.getColumn(0).getInt64()] = st.getColumn(1).getInt64();
        }
        return out;
    });
}

}  // namespace funnelbot::storage

// Internal to storage/: helpers shared by the repository implementations. Other folders use
// the repository headers, never this one.
#pragma once

#include <SQLiteCpp/Column.h>
#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Exception.h>
#include <SQLiteCpp/Statement.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "analysis/funnel_types.hpp"
#include "storage/connection.hpp"
#include "storage/database.hpp"
#include "storage/records.hpp"

namespace funnelbot::storage::detail {

using CachedStatement = Database::Connection::CachedStatement;

// The raw connection, for what a cached statement cannot do (last insert rowid, ad-hoc SQL).
inline SQLite::Database& sql(Database& db) {
    return db.connection().sql();
}

// A prepared statement for `text` from the connection's cache (see Connection::cached).
inline CachedStatement cached(Database& db, const std::string& text) {
    return db.connection().cached(text);
}

// A prepared statement for one of storage's constant texts, read through SQLite's C interface
// (see detail::RawStatement): for the hot reads of a check only.
inline RawStatement raw(Database& db, const char* text) {
    return db.connection().raw(text);
}

// Page cache sizes (README "Performance"): what a connection keeps for reading, and what it gets
// from a write transaction on until its next read transaction. An import's dirty index pages
// outgrow 2 MiB: SQLite then writes them to the WAL mid-transaction, again each time they change,
// and a 100,000-row import cost a fifth more.
inline constexpr int kReadCacheKiB = 2048;
inline constexpr int kWriteCacheKiB = 4096;

// PRAGMA takes no bound parameters; the value is one of the constants above.
inline void set_page_cache(SQLite::Database& db, int kib) {
    db.exec("PRAGMA cache_size = -" + std::to_string(kib));
}

// Runs `fn`, turning a SQLite::Exception into a StorageError that names the operation, so
// callers deal with one exception type that says what was being done.
template <class Fn>
auto guarded(std::string_view operation, Fn&& fn) -> decltype(fn()) {
    try {
        return std::forward<Fn>(fn)();
    } catch (const SQLite::Exception& e) {
        throw StorageError(std::string(operation) + ": " + e.what(), e.getExtendedErrorCode());
    }
}

// A nestable unit of work: works on its own and inside a caller's storage::Transaction (where
// BEGIN would fail). Rolled back unless released.
class Savepoint {
public:
    explicit Savepoint(Database& db) : db_(db) { run("SAVEPOINT funnelbot_op"); }
    Savepoint(const Savepoint&) = delete;
    Savepoint& operator=(const Savepoint&) = delete;
    ~Savepoint() {
        if (released_) {
            return;
        }
        // ROLLBACK TO keeps the savepoint open; RELEASE closes it (and an outermost one ends
        // the implicit transaction). A destructor must not throw.
        try {
            run("ROLLBACK TO funnelbot_op");
            run("RELEASE funnelbot_op");
        } catch (const SQLite::Exception&) {
        }
    }
    void release() {
        run("RELEASE funnelbot_op");
        released_ = true;
    }

private:
    void run(const char* sql) {
        auto st = cached(db_, sql);
        st->exec();
    }

    Database& db_;
    bool released_ = false;
};

// ---- value conversions (stored as text so the file is readable with the sqlite3 shell) ----

inline std::string format_date(analysis::Date d) {
    const std::chrono::year_month_day ymd{d};
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
    return buf;
}

// Strict "YYYY-MM-DD"; nullopt for anything else.
inline std::optional<analysis::Date> parse_date(std::string_view text) {
    if (text.size() != 10 || text[4] != '-' || text[7] != '-') {
        return std::nullopt;
    }
    int parts[3] = {0, 0, 0};
    const std::size_t starts[3] = {0, 5, 8};
    const std::size_t lengths[3] = {4, 2, 2};
    for (int i = 0; i < 3; ++i) {
        for (std::size_t k = 0; k < lengths[i]; ++k) {
            const char c = text[starts[i] + k];
            if (c < '0' || c > '9') {
                return std::nullopt;
            }
            parts[i] = parts[i] * 10 + (c - '0');
        }
    }
    const std::chrono::year_month_day ymd{std::chrono::year{parts[0]},
                                          std::chrono::month{static_cast<unsigned>(parts[1])},
                                          std::chrono::day{static_cast<unsigned>(parts[2])}};
    if (!ymd.ok()) {
        return std::nullopt;
    }
    return analysis::Date{ymd};
}

// customers.covered_lines ("12,3,7": ids kept by the schema's triggers, in any order) as ids,
// ascending.
// One pass, each id put in its place as it is read (a handful): a check reads this for each of
// the rep's current accounts, and std::from_chars with a sort afterwards cost a sixth more.
inline std::vector<Id> line_ids_from_text(std::string_view text, Id customer_id) {
    std::vector<Id> ids;
    if (text.empty()) return ids;
    const auto damaged = [&] {
        return StorageError("customer " + std::to_string(customer_id) +
                            ": its stored lines are not a list of ids (" + std::string(text) +
                            "); run funnelbot check, then restore from a backup");
    };
    ids.reserve(text.size() / 2 + 1);  // at least "d," per id
    const auto place = [&ids](Id id) {
        ids.push_back(id);
        for (auto i = ids.size() - 1; i > 0 && ids[i - 1] > id; --i)
            std::swap(ids[i - 1], ids[i]);
    };
    constexpr Id kLargest = std::numeric_limits<Id>::max();
    Id id = 0;
    bool digits = false;
    for (const char c : text) {
        if (c >= '0' && c <= '9') {
            const Id digit = c - '0';
            if (id > (kLargest - digit) / 10) throw damaged();
            id = id * 10 + digit;
            digits = true;
        } else if (c == ',' && digits) {
            place(id);
            id = 0;
            digits = false;
        } else {
            throw damaged();
        }
    }
    if (!digits) throw damaged();
    place(id);
    return ids;
}

inline std::int64_t to_unix(Instant t) {
    return t.time_since_epoch().count();
}
inline Instant from_unix(std::int64_t s) {
    return Instant{std::chrono::seconds{s}};
}

inline const char* to_text(analysis::Stage s) {
    switch (s) {
        case analysis::Stage::prospecting:
            return "prospecting";
        case analysis::Stage::qualification:
            return "qualification";
        case analysis::Stage::proposal:
            return "proposal";
        case analysis::Stage::negotiation:
            return "negotiation";
        case analysis::Stage::won:
            return "won";
        case analysis::Stage::lost:
            return "lost";
    }
    return "prospecting";
}

// Read for every row of every check: compared as string_views of known length (comparing
// against to_text's C strings measured every candidate's length on every row).
inline analysis::Stage stage_from_text(std::string_view s) {
    using analysis::Stage;
    using namespace std::string_view_literals;
    static constexpr std::array<std::pair<std::string_view, Stage>, 6> kStages{{
        {"prospecting"sv, Stage::prospecting},
        {"qualification"sv, Stage::qualification},
        {"proposal"sv, Stage::proposal},
        {"negotiation"sv, Stage::negotiation},
        {"won"sv, Stage::won},
        {"lost"sv, Stage::lost},
    }};
    for (const auto& [text, stage] : kStages) {
        if (s == text) {
            return stage;
        }
    }
    throw StorageError("unknown stage \"" + std::string(s) + "\" in the database");
}

inline const char* to_text(analysis::CustomerType t) {
    return t == analysis::CustomerType::existing ? "existing" : "new";
}

inline analysis::CustomerType customer_type_from_text(std::string_view s) {
    return s == "existing" ? analysis::CustomerType::existing
                           : analysis::CustomerType::new_customer;
}

inline const char* to_text(CustomerStatus s) {
    return s == CustomerStatus::current ? "current" : "prospect";
}

inline CustomerStatus customer_status_from_text(std::string_view s) {
    return s == "current" ? CustomerStatus::current : CustomerStatus::prospect;
}

inline const char* to_text(Role r) {
    switch (r) {
        case Role::rep:
            return "rep";
        case Role::manager:
            return "manager";
        case Role::admin:
            return "admin";
    }
    return "rep";
}

inline Role role_from_text(std::string_view s) {
    if (s == "admin") {
        return Role::admin;
    }
    if (s == "manager") {
        return Role::manager;
    }
    return Role::rep;
}

inline const char* to_text(Platform p) {
    switch (p) {
        case Platform::console:
            return "console";
        case Platform::slack:
            return "slack";
        case Platform::discord:
            return "discord";
    }
    return "console";
}

inline Platform platform_from_text(std::string_view s) {
    if (s == "slack") {
        return Platform::slack;
    }
    if (s == "discord") {
        return Platform::discord;
    }
    return Platform::console;
}

inline const char* to_text(analysis::Territory t) {
    switch (t) {
        case analysis::Territory::balanced:
            return "balanced";
        case analysis::Territory::new_customers:
            return "new";
        case analysis::Territory::existing_customers:
            return "existing";
    }
    return "balanced";
}

inline analysis::Territory territory_from_text(std::string_view s) {
    if (s == "new") {
        return analysis::Territory::new_customers;
    }
    if (s == "existing") {
        return analysis::Territory::existing_customers;
    }
    return analysis::Territory::balanced;
}

inline const char* to_text(GoalScope s) {
    switch (s) {
        case GoalScope::workspace:
            return "workspace";
        case GoalScope::team:
            return "team";
        case GoalScope::rep:
            return "rep";
    }
    return "workspace";
}

// SQLite's NOCASE collation, for ordering in C++ what a query would order with it: bytes compared
// unsigned with only ASCII A-Z folded, then the shorter first. <0, 0 or >0.
// https://www.sqlite.org/datatype3.html#collating_sequences
inline int compare_nocase(std::string_view a, std::string_view b) {
    const auto fold = [](char c) {
        const auto u = static_cast<unsigned char>(c);
        return u >= 'A' && u <= 'Z' ? u + ('a' - 'A') : u;
    };
    const std::size_t n = std::min(a.size(), b.size());
    for (std::size_t i = 0; i < n; ++i) {
        const int d = static_cast<int>(fold(a[i])) - static_cast<int>(fold(b[i]));
        if (d != 0) {
            return d;
        }
    }
    return a.size() < b.size() ? -1 : (a.size() > b.size() ? 1 : 0);
}

// ---- binding helpers: empty strings and unset optionals are stored as NULL ----

inline void bind_text_or_null(SQLite::Statement& st, int index, const std::string& value) {
    if (value.empty()) {
        st.bind(index);
    } else {
        st.bind(index, value);
    }
}

inline void bind_optional(SQLite::Statement& st, int index, const std::optional<Id>& value) {
    if (value) {
        st.bind(index, static_cast<std::int64_t>(*value));
    } else {
        st.bind(index);
    }
}

inline void bind_bool(SQLite::Statement& st, int index, bool value) {
    st.bind(index, static_cast<std::int32_t>(value ? 1 : 0));
}

inline std::string text_or_empty(const SQLite::Column& c) {
    return c.isNull() ? std::string() : c.getString();
}

inline std::optional<Id> optional_id(const SQLite::Column& c) {
    return c.isNull() ? std::nullopt : std::optional<Id>(c.getInt64());
}

// A date as stored; throws on anything else.
inline analysis::Date stored_date(std::string_view text) {
    auto d = parse_date(text);
    if (!d) {
        throw StorageError("malformed date \"" + std::string(text) + "\" in the database");
    }
    return *d;
}

inline std::optional<analysis::Date> optional_date(const SQLite::Column& c) {
    if (c.isNull()) {
        return std::nullopt;
    }
    return stored_date(c.getString());
}

}  // namespace funnelbot::storage::detail

// Internal to storage/: a prepared statement used through SQLite's C interface, for the few
// reads every check runs row by row. SQLiteCpp hands out a Column object per value read, each
// copying a shared_ptr (two atomic operations in a threaded process): on a check's thousand
// values that was a seventh of the bot's CPU. Everything else uses SQLiteCpp.
#pragma once

#include <SQLiteCpp/Exception.h>
#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <string_view>

namespace funnelbot::storage::detail {

struct FinalizeStatement {
    void operator()(sqlite3_stmt* st) const { sqlite3_finalize(st); }
};
using StatementHandle = std::unique_ptr<sqlite3_stmt, FinalizeStatement>;

// Prepares `sql` on `db`; throws SQLite::Exception when it does not compile.
inline StatementHandle prepare_raw(sqlite3* db, std::string_view sql) {
    sqlite3_stmt* st = nullptr;
    const int rc = sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()),
                                      SQLITE_PREPARE_PERSISTENT, &st, nullptr);
    StatementHandle handle(st);
    if (rc != SQLITE_OK) throw SQLite::Exception(db, rc);
    return handle;
}

// A prepared statement on loan: reset and unbound when the loan ends, so no read stays open
// between calls. Column reads are only valid after step() returned true.
class RawStatement {
public:
    RawStatement(sqlite3* db, sqlite3_stmt* st, bool* in_use, StatementHandle own)
        : db_(db),
          st_(own ? own.get() : st),
          in_use_(own ? nullptr : in_use),
          own_(std::move(own)) {
        if (in_use_ != nullptr) *in_use_ = true;
    }
    RawStatement(const RawStatement&) = delete;
    RawStatement& operator=(const RawStatement&) = delete;
    ~RawStatement() {
        sqlite3_reset(st_);
        sqlite3_clear_bindings(st_);
        if (in_use_ != nullptr) *in_use_ = false;
    }

    void bind(int index, std::int64_t value) { check(sqlite3_bind_int64(st_, index, value)); }

    // True with a row to read, false when done; throws SQLite::Exception on an error.
    bool step() {
        const int rc = sqlite3_step(st_);
        if (rc == SQLITE_ROW) return true;
        if (rc == SQLITE_DONE) return false;
        throw SQLite::Exception(db_, rc);
    }

    bool is_null(int column) const { return sqlite3_column_type(st_, column) == SQLITE_NULL; }
    std::int64_t int64(int column) const { return sqlite3_column_int64(st_, column); }
    // Short text without NUL bytes (a stage, a type), read with one call into SQLite rather
    // than two: valid until the next step() or the end of the loan.
    std::string_view short_text(int column) const {
        const auto* p = sqlite3_column_text(st_, column);
        if (p == nullptr) return {};
        return std::string_view(reinterpret_cast<const char*>(p));
    }
    // Valid until the next step() or the end of the loan.
    std::string_view text(int column) const {
        const auto* p = sqlite3_column_text(st_, column);
        if (p == nullptr) return {};
        return {reinterpret_cast<const char*>(p),
                static_cast<std::size_t>(sqlite3_column_bytes(st_, column))};
    }

private:
    void check(int rc) const {
        if (rc != SQLITE_OK) throw SQLite::Exception(db_, rc);
    }

    sqlite3* db_;
    sqlite3_stmt* st_;
    bool* in_use_;  // null for a one-off statement
    StatementHandle own_;
};

}  // namespace funnelbot::storage::detail

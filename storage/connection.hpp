// Internal to storage/: the SQLite connection behind a Database, with its cache of prepared
// statements. Repositories reach it through storage/sql_support.hpp; nothing above storage/
// includes this file.
#pragma once

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "storage/database.hpp"
#include "storage/raw_statement.hpp"

namespace funnelbot::storage {

class Database::Connection {
public:
    // A prepared statement from the cache, reset and unbound when the handle goes away. Hot
    // paths (imports, team reports) prepare each SQL text once instead of on every call. A
    // text already in use (a nested call) gets a fresh one-off statement instead.
    class CachedStatement {
    public:
        CachedStatement(SQLite::Statement* cached, bool* in_use,
                        std::unique_ptr<SQLite::Statement> own);
        CachedStatement(CachedStatement&& other) noexcept;
        CachedStatement(const CachedStatement&) = delete;
        CachedStatement& operator=(const CachedStatement&) = delete;
        CachedStatement& operator=(CachedStatement&&) = delete;
        ~CachedStatement();

        SQLite::Statement& operator*() { return *st_; }
        SQLite::Statement* operator->() { return st_; }

    private:
        SQLite::Statement* st_;
        bool* in_use_;  // null for a one-off statement
        std::unique_ptr<SQLite::Statement> own_;
    };

    explicit Connection(SQLite::Database db) : db_(std::move(db)) {}

    SQLite::Database& sql() { return db_; }

    // Throws SQLite::Exception when the SQL does not compile.
    CachedStatement cached(const std::string& sql);
    // Sets the page cache to `kib` KiB unless it is that already (shrinking frees the pages
    // above the new size).
    void use_page_cache(int kib);
    // The same cache's idea for detail::RawStatement (the hot reads of a check). `sql` is one of
    // storage's constant texts.
    detail::RawStatement raw(const char* sql);

private:
    static constexpr std::size_t kMaxCachedStatements = 256;
    struct CacheEntry {
        std::unique_ptr<SQLite::Statement> statement;
        bool in_use = false;
    };

    struct RawEntry {
        detail::StatementHandle statement;
        bool in_use = false;
    };

    SQLite::Database db_;
    int page_cache_kib_ = 0;  // as last set through use_page_cache
    // Declared after db_: statements are finalized before the connection closes.
    std::unordered_map<std::string, CacheEntry> cache_;
    std::unordered_map<std::string_view, RawEntry> raw_cache_;  // keys: storage's constants
};

}  // namespace funnelbot::storage

// The SQLite database: opening, pragmas and versioned migrations.
#pragma once

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <memory>
#include <stdexcept>
#include <string>
#include <unordered_map>

namespace funnelbot::storage {

// Every storage failure: names the operation and SQLite's message.
class StorageError : public std::runtime_error {
public:
    explicit StorageError(const std::string& what, int sqlite_code = 0)
        : std::runtime_error(what), sqlite_code_(sqlite_code) {}

    // SQLite's extended result code, 0 when the failure was not SQLite's.
    int sqlite_code() const { return sqlite_code_; }
    // Another connection holds the lock, or committed since this transaction's snapshot: the
    // whole unit of work may be retried.
    bool is_busy() const { return (sqlite_code_ & 0xff) == 5 /* SQLITE_BUSY */; }

private:
    int sqlite_code_;
};

class Database {
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

    // The schema version this binary writes (PRAGMA user_version).
    static constexpr int kSchemaVersion = 2;

    // Opens (creating if needed) the file, sets WAL, foreign keys and a busy timeout, and
    // migrates an older schema in one transaction. A file whose user_version is newer than
    // kSchemaVersion is refused with a StorageError saying so. ":memory:" works for tests
    // that do not need a file.
    explicit Database(const std::string& path);

    SQLite::Database& sql() { return db_; }
    int schema_version();

    // Throws StorageError (via SQLite::Exception) when the SQL does not compile.
    CachedStatement cached(const std::string& sql);

private:
    static constexpr std::size_t kMaxCachedStatements = 256;
    struct CacheEntry {
        std::unique_ptr<SQLite::Statement> statement;
        bool in_use = false;
    };

    SQLite::Database db_;
    // Declared after db_: statements are finalized before the connection closes.
    std::unordered_map<std::string, CacheEntry> cache_;
};

}  // namespace funnelbot::storage

// The SQLite database: opening, pragmas and versioned migrations. SQLite itself stays inside
// storage/: callers hold a Database and pass it to repositories and storage::Transaction.
#pragma once

#include <memory>
#include <stdexcept>
#include <string>

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
    // The connection and its prepared-statement cache; defined in storage/connection.hpp, which
    // only storage/ (and its tests) include.
    class Connection;

    // The schema version this binary writes (PRAGMA user_version).
    static constexpr int kSchemaVersion = 7;

    // Opens (creating if needed) the file, sets WAL, foreign keys and a busy timeout, and
    // migrates an older schema in one transaction, then undoes an import that died halfway
    // (import_journal.hpp). A file whose user_version is newer than
    // kSchemaVersion is refused with a StorageError saying so. ":memory:" works for tests
    // that do not need a file.
    explicit Database(const std::string& path);
    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    int schema_version();

    // Folds the write-ahead log into the file and empties it (PRAGMA wal_checkpoint(TRUNCATE)),
    // so the file alone holds everything: for a clean shutdown and before a copy.
    void checkpoint();

    // The path it was opened with.
    const std::string& path() const { return path_; }

    Connection& connection() { return *connection_; }

private:
    std::string path_;
    std::unique_ptr<Connection> connection_;
};

}  // namespace funnelbot::storage

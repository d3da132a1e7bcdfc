// The SQLite database: opening, pragmas and versioned migrations.
#pragma once

#include <SQLiteCpp/Database.h>

#include <stdexcept>
#include <string>

namespace funnelbot::storage {

// Every storage failure: names the operation and SQLite's message.
class StorageError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class Database {
public:
    // The schema version this binary writes (PRAGMA user_version).
    static constexpr int kSchemaVersion = 1;

    // Opens (creating if needed) the file, sets WAL, foreign keys and a busy timeout, and
    // migrates an older schema in one transaction. A file whose user_version is newer than
    // kSchemaVersion is refused with a StorageError saying so. ":memory:" works for tests
    // that do not need a file.
    explicit Database(const std::string& path);

    SQLite::Database& sql() { return db_; }
    int schema_version();

private:
    SQLite::Database db_;
};

}  // namespace funnelbot::storage

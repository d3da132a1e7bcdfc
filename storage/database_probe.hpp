// A look at a database file that changes nothing, for `funnelbot doctor`: does it open, which
// schema version does it carry, and may this process write to it? Unlike Database it never
// creates, migrates or repairs: the write it tries is rolled back.
#pragma once

#include <chrono>
#include <string>

namespace funnelbot::storage {

struct DatabaseProbe {
    bool exists = false;     // a file at the path
    std::string open_error;  // not empty: it could not be opened or read as a SQLite database
    // PRAGMA user_version (compare with Database::kSchemaVersion); 0 when it could not be read.
    int schema_version = 0;
    // Not empty: writing was refused (a read-only file or directory, a full disk). For a missing
    // file: a new file cannot be created where it should be.
    std::string write_error;
    bool busy = false;  // another connection held the write lock for all of `busy_wait`
};

// Opens `path` read-write without creating it, reads the schema version, and takes the write
// lock for a write that is rolled back. For a missing file, creates and removes a scratch file
// beside it instead. Never throws for what it finds.
DatabaseProbe probe_database(const std::string& path,
                             std::chrono::milliseconds busy_wait = std::chrono::seconds(2));

}  // namespace funnelbot::storage

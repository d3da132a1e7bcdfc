// `funnelbot check`: is a database file sound, and can this funnelbot run on it? Reads only;
// safe beside a running bot.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace funnelbot::storage {

struct TableRows {
    std::string table;
    std::int64_t rows = 0;
};

struct IntegrityReport {
    bool exists = false;        // a file at the path
    std::string open_error;     // not empty when the file could not be read as a database
    int schema_version = 0;     // PRAGMA user_version
    int supported_version = 0;  // the version this funnelbot writes (Database::kSchemaVersion)
    std::uintmax_t file_bytes = 0;
    std::uintmax_t wal_bytes = 0;  // the write-ahead log beside it, not yet checkpointed
    std::vector<std::string> integrity_problems;    // PRAGMA integrity_check; none when "ok"
    std::vector<std::string> foreign_key_problems;  // PRAGMA foreign_key_check, one per row
    std::vector<TableRows> row_counts;              // every table, by name

    // A version this funnelbot cannot open (it would refuse to start on it).
    bool schema_too_new() const { return schema_version > supported_version; }
    // The file is sound and this funnelbot can run on it (an older version is migrated at start).
    bool ok() const {
        return exists && open_error.empty() && integrity_problems.empty() &&
               foreign_key_problems.empty() && !schema_too_new();
    }
};

// Checks the database at `path` without changing it: integrity_check and foreign_key_check
// (at most `max_problems` lines of each), the schema version, the sizes and each table's row
// count. Never throws for what it finds in the file: a file that cannot be read says so in
// open_error or integrity_problems.
IntegrityReport check_integrity(const std::string& path, int max_problems = 20);

}  // namespace funnelbot::storage

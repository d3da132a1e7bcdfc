// `funnelbot backup`: a consistent copy of a database that may be in use, made with SQLite's
// online backup API (https://www.sqlite.org/backup.html), checked before it takes the target's
// name. The bot can go on reading and writing meanwhile.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

namespace funnelbot::storage {

struct BackupOptions {
    bool overwrite = false;    // replace an existing target (--force)
    int pages_per_step = 256;  // pages copied per step; the source is unlocked between steps
    // A write by another connection makes SQLite restart the copy. After this many restarts the
    // rest is copied in one step: in WAL mode that holds only a read snapshot, which writers do
    // not wait for, so a busy bot cannot keep the backup from ever finishing.
    int max_restarts = 3;
    // A step that finds the source locked is retried after `busy_wait`, this many times at most.
    int max_busy_retries = 100;
    std::chrono::milliseconds busy_wait{50};
    // Called after each step that copied pages, with the pages still to copy and the total: for
    // a progress display, and for tests that write in the middle of a copy.
    std::function<void(int remaining, int total)> after_step;
};

enum class BackupProblem {
    none,
    source_missing,      // no file at the source path
    target_exists,       // the target exists and overwrite is off: nothing was written
    target_is_source,    // the target is the source file itself: nothing was written
    target_dir_missing,  // the target's directory does not exist: nothing was written
};

struct BackupResult {
    BackupProblem problem = BackupProblem::none;
    int pages = 0;             // pages in the copy
    std::uintmax_t bytes = 0;  // size of the copy
    int steps = 0;             // backup steps taken
    int restarts = 0;          // times a concurrent write made SQLite start over
    int busy_retries = 0;      // steps retried because the source was locked
    int schema_version = 0;    // PRAGMA user_version of the copy
};

// Copies the database at `source` to `target`. The copy is written next to the target as
// "<target>.partial", converted to a single self-contained file (rollback journal mode), must
// pass PRAGMA integrity_check, and only then is renamed to `target`; on any failure the partial
// file is removed and `target` is untouched. Throws StorageError when the copy fails, the source
// stays locked past the retries, or the copy fails its integrity check.
BackupResult online_backup(const std::string& source, const std::string& target,
                           const BackupOptions& options = {});

}  // namespace funnelbot::storage

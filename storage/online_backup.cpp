#include "storage/online_backup.hpp"

#include <SQLiteCpp/Backup.h>
#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Exception.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <thread>

#include "storage/database.hpp"
#include "storage/sql_support.hpp"

namespace funnelbot::storage {

namespace {

namespace fs = std::filesystem;

constexpr int kBusyTimeoutMs = 5000;

// The files SQLite keeps beside a database: a leftover one would be taken for the new file's.
constexpr std::array<const char*, 3> kSideFiles{"-journal", "-wal", "-shm"};

void remove_with_side_files(const std::string& path) {
    std::error_code ec;  // best effort: whatever is left is named by the next failure
    fs::remove(path, ec);
    for (const char* suffix : kSideFiles)
        fs::remove(path + suffix, ec);
}

// Removes the partial copy unless it became the target.
class PartialCopy {
public:
    explicit PartialCopy(std::string path) : path_(std::move(path)) {
        remove_with_side_files(path_);
    }
    ~PartialCopy() {
        if (!kept_) remove_with_side_files(path_);
    }
    PartialCopy(const PartialCopy&) = delete;
    PartialCopy& operator=(const PartialCopy&) = delete;
    const std::string& path() const { return path_; }
    void keep() { kept_ = true; }

private:
    std::string path_;
    bool kept_ = false;
};

// Flushes a directory entry (the rename) to disk; a failure only weakens durability.
void sync_directory(const fs::path& dir) {
    const int fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return;
    ::fsync(fd);
    ::close(fd);
}

struct CopyStats {
    int steps = 0;
    int restarts = 0;
    int busy_retries = 0;
};

CopyStats copy_pages(SQLite::Database& source, SQLite::Database& target,
                     const BackupOptions& options, const std::string& source_path) {
    CopyStats stats;
    SQLite::Backup backup(target, source);
    int last_remaining = -1;
    for (;;) {
        const int pages = stats.restarts >= options.max_restarts ? -1 : options.pages_per_step;
        const int rc = backup.executeStep(pages);
        ++stats.steps;
        if (rc == SQLITE_DONE) return stats;
        if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) {
            if (++stats.busy_retries > options.max_busy_retries) {
                throw StorageError("back up " + source_path + ": the database stayed locked for " +
                                       std::to_string(options.max_busy_retries) +
                                       " retries; try again",
                                   rc);
            }
            std::this_thread::sleep_for(options.busy_wait);
            continue;
        }
        const int remaining = backup.getRemainingPageCount();
        if (last_remaining >= 0 && remaining >= last_remaining) ++stats.restarts;
        last_remaining = remaining;
        if (options.after_step) options.after_step(remaining, backup.getTotalPageCount());
    }
}

}  // namespace

BackupResult online_backup(const std::string& source, const std::string& target,
                           const BackupOptions& options) {
    BackupResult result;
    std::error_code ec;
    if (!fs::is_regular_file(source, ec)) {
        result.problem = BackupProblem::source_missing;
        return result;
    }
    if (fs::exists(target, ec)) {
        if (fs::equivalent(source, target, ec)) {
            result.problem = BackupProblem::target_is_source;
            return result;
        }
        if (!options.overwrite) {
            result.problem = BackupProblem::target_exists;
            return result;
        }
    }
    const fs::path target_dir = fs::path(target).parent_path();
    if (!target_dir.empty() && !fs::is_directory(target_dir, ec)) {
        result.problem = BackupProblem::target_dir_missing;
        return result;
    }
    PartialCopy partial(target + ".partial");
    detail::guarded("back up " + source + " to " + target, [&] {
        {
            // Read-only, without creating: a wrong path must not leave an empty database behind.
            SQLite::Database from(source, SQLite::OPEN_READONLY | SQLite::OPEN_NOMUTEX,
                                  kBusyTimeoutMs);
            SQLite::Database to(partial.path(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
            const CopyStats stats = copy_pages(from, to, options, source);
            result.steps = stats.steps;
            result.restarts = stats.restarts;
            result.busy_retries = stats.busy_retries;
        }
        // The copy carries the source's WAL mode; a backup is one file that can be moved alone.
        SQLite::Database copy(partial.path(), SQLite::OPEN_READWRITE);
        copy.exec("PRAGMA journal_mode = DELETE");
        const std::string integrity = copy.execAndGet("PRAGMA integrity_check").getString();
        if (integrity != "ok") {
            throw StorageError("back up " + source + ": the copy failed its integrity check (" +
                               integrity + "); " + target + " was not written");
        }
        result.schema_version = copy.execAndGet("PRAGMA user_version").getInt();
        result.pages = copy.execAndGet("PRAGMA page_count").getInt();
    });

    // Side files of an earlier database at the target would be read as the new file's.
    const auto remove_target_side_files = [&] {
        for (const char* suffix : kSideFiles)
            fs::remove(target + suffix, ec);
    };
    if (options.overwrite) {
        remove_target_side_files();
        fs::rename(partial.path(), target, ec);
        if (ec) {
            throw StorageError("back up " + source + ": cannot rename the copy to " + target +
                               ": " + ec.message());
        }
        partial.keep();
    } else {
        if (fs::exists(target, ec)) {
            result.problem = BackupProblem::target_exists;
            return result;
        }
        remove_target_side_files();
        // link() fails if the target appeared meanwhile, where a rename would replace it; the
        // partial name goes away with `partial`.
        if (::link(partial.path().c_str(), target.c_str()) != 0) {
            if (errno == EEXIST) {
                result.problem = BackupProblem::target_exists;
                return result;
            }
            throw StorageError("back up " + source + ": cannot create " + target + ": " +
                               std::strerror(errno));
        }
    }
    sync_directory(target_dir);
    result.bytes = fs::file_size(target, ec);
    return result;
}

}  // namespace funnelbot::storage

#include "storage/database.hpp"

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include <sqlite3.h>

#include <chrono>
#include <string>
#include <thread>

#include "storage/connection.hpp"
#include "storage/import_journal.hpp"
#include "storage/schema_migrations.hpp"
#include "storage/sql_support.hpp"

namespace funnelbot::storage {
namespace {

constexpr int kBusyTimeoutMs = 5000;

int read_user_version(SQLite::Database& db) {
    return db.execAndGet("PRAGMA user_version").getInt();
}

// Waiting for another connection's write lock: try again every millisecond, up to
// kBusyTimeoutMs. SQLite's own busy_timeout backs off to a try every 100 ms, which can keep
// missing the short gaps a CSV import leaves between its steps (commands/csv/import_steps.hpp).
int retry_every_millisecond(void*, int tries_so_far) {
    if (tries_so_far >= kBusyTimeoutMs) return 0;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
    return 1;
}

// SQLite's memory statistics take a process-wide mutex on every allocation and free (turning
// them off took 8 % off a CSV import's CPU); nothing here reads them. The setting only takes
// before SQLite's first use, so once per process; if something else used SQLite first they stay
// on, which costs only time.
// https://www.sqlite.org/c3ref/c_config_covering_index_scan.html#sqliteconfigmemstatus
void turn_off_memory_statistics() {
    static const int once = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    static_cast<void>(once);
}

SQLite::Database open_file(const std::string& path) {
    turn_off_memory_statistics();
    return detail::guarded("open database " + path, [&] {
        // One connection per thread (the console, each worker): SQLite's per-call mutex is
        // pure overhead, so the connection is opened in multi-thread mode.
        SQLite::Database db(path,
                            SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE | SQLite::OPEN_NOMUTEX);
        sqlite3_busy_handler(db.getHandle(), retry_every_millisecond, nullptr);
        return db;
    });
}

std::string newer_schema_message(const std::string& path, int version) {
    return "database " + path + " has schema version " + std::to_string(version) +
           ", newer than this funnelbot (" + std::to_string(Database::kSchemaVersion) +
           "): upgrade funnelbot";
}

}  // namespace

Database::Database(const std::string& path)
    : path_(path), connection_(std::make_unique<Connection>(open_file(path))) {
    SQLite::Database& db = connection_->sql();
    detail::guarded("open database " + path, [&] {
        // Refuse a newer file before touching it (not even its journal mode).
        if (const int v = read_user_version(db); v > kSchemaVersion) {
            throw StorageError(newer_schema_message(path, v));
        }
        // Both pragmas only take effect outside a transaction.
        db.exec("PRAGMA journal_mode = WAL");
        db.exec("PRAGMA foreign_keys = ON");
        // In WAL mode NORMAL is durable across application crashes and skips an fsync per
        // commit; only a power loss can drop the last commits (SQLite's recommended setting).
        db.exec("PRAGMA synchronous = NORMAL");
        // Page cache: 2 MiB per connection, set rather than left to the build's default. A check
        // reads a few hundred pages (about 1 MiB) and a Friday review less; 4 or 8 MiB bought
        // no measurable CPU, and the bot holds four connections. Write transactions get 4 MiB
        // while they last (storage::Transaction). Memory-mapped I/O stays off: mapped pages
        // count in the process's RSS (a Friday pass over a million-opportunity file reached
        // 165 MiB) for about 5 % less CPU; without it a page not in the cache costs one pread
        // from the OS's cache. README "Performance" has the figures.
        // https://www.sqlite.org/pragma.html#pragma_cache_size
        // https://www.sqlite.org/mmap.html
        connection_->use_page_cache(detail::kReadCacheKiB);
        db.exec("PRAGMA mmap_size = 0");
        // Temporary files in memory: every write that fires the schema's triggers keeps a
        // statement journal (to undo just that statement), and an import writes a hundred
        // thousand of them; on disk each was a temporary file's write. A check's sorts are small.
        // https://www.sqlite.org/pragma.html#pragma_temp_store
        db.exec("PRAGMA temp_store = MEMORY");

        if (read_user_version(db) == kSchemaVersion) {
            return;
        }
        // IMMEDIATE takes the write lock first, so two processes opening an old file at once
        // migrate it once: the second re-reads the version after the first committed.
        SQLite::Transaction tx(db, SQLite::TransactionBehavior::IMMEDIATE);
        const int from = read_user_version(db);
        if (from > kSchemaVersion) {
            throw StorageError(newer_schema_message(path, from));
        }
        for (int v = from; v < kSchemaVersion; ++v) {
            db.exec(std::string(detail::schema_migrations()[static_cast<std::size_t>(v)]));
        }
        // PRAGMA takes no bound parameters; the value is our own constant.
        db.exec("PRAGMA user_version = " + std::to_string(kSchemaVersion));
        tx.commit();
    });
    // An import killed halfway is taken back before anyone reads its half.
    recover_imports(*this, path);
}

Database::~Database() = default;

void Database::checkpoint() {
    detail::guarded("checkpoint " + path_,
                    [&] { connection_->sql().execAndGet("PRAGMA wal_checkpoint(TRUNCATE)"); });
}

int Database::schema_version() {
    return detail::guarded("read schema version",
                           [&] { return read_user_version(connection_->sql()); });
}

Database::Connection::CachedStatement::CachedStatement(SQLite::Statement* cached, bool* in_use,
                                                       std::unique_ptr<SQLite::Statement> own)
    : st_(own ? own.get() : cached), in_use_(own ? nullptr : in_use), own_(std::move(own)) {
    if (in_use_ != nullptr) *in_use_ = true;
}

Database::Connection::CachedStatement::CachedStatement(CachedStatement&& other) noexcept
    : st_(other.st_), in_use_(other.in_use_), own_(std::move(other.own_)) {
    other.st_ = nullptr;
    other.in_use_ = nullptr;
}

Database::Connection::CachedStatement::~CachedStatement() {
    if (st_ == nullptr || own_) return;
    // Reset so no read stays open between calls; a destructor must not throw.
    try {
        st_->reset();
        st_->clearBindings();
    } catch (const SQLite::Exception&) {
    }
    *in_use_ = false;
}

Database::Connection::CachedStatement Database::Connection::cached(const std::string& sql) {
    auto it = cache_.find(sql);
    if (it == cache_.end()) {
        // SQL built with a variable number of placeholders could grow the cache without end.
        if (cache_.size() >= kMaxCachedStatements) {
            std::erase_if(cache_, [](const auto& entry) { return !entry.second.in_use; });
        }
        it = cache_.emplace(sql, CacheEntry{std::make_unique<SQLite::Statement>(db_, sql), false})
                 .first;
    }
    if (it->second.in_use) {
        return CachedStatement(nullptr, nullptr, std::make_unique<SQLite::Statement>(db_, sql));
    }
    return CachedStatement(it->second.statement.get(), &it->second.in_use, nullptr);
}

void Database::Connection::use_page_cache(int kib) {
    if (kib == page_cache_kib_) return;
    detail::set_page_cache(db_, kib);
    page_cache_kib_ = kib;
}

detail::RawStatement Database::Connection::raw(const char* sql) {
    auto it = raw_cache_.find(sql);
    if (it == raw_cache_.end()) {
        it = raw_cache_.emplace(sql, RawEntry{detail::prepare_raw(db_.getHandle(), sql), false})
                 .first;
    }
    if (it->second.in_use) {
        return detail::RawStatement(db_.getHandle(), nullptr, nullptr,
                                    detail::prepare_raw(db_.getHandle(), sql));
    }
    return detail::RawStatement(db_.getHandle(), it->second.statement.get(), &it->second.in_use,
                                nullptr);
}

}  // namespace funnelbot::storage

#include "storage/transaction.hpp"

#include "storage/sql_support.hpp"

namespace funnelbot::storage {

Transaction::Transaction(Database& db, Lock lock) : db_(db) {
    detail::guarded("begin transaction", [&] {
        const bool writer = lock == Lock::immediate;
        // A writer's dirty pages stay in memory up to the larger cache; the next reader gives
        // the memory back (sql_support.hpp). Switching at the start rather than the end keeps
        // the larger cache across the back-to-back steps of an import.
        db_.connection().use_page_cache(writer ? detail::kWriteCacheKiB : detail::kReadCacheKiB);
        run(writer ? "BEGIN IMMEDIATE" : "BEGIN DEFERRED");
    });
}

Transaction::~Transaction() {
    if (!open_) return;
    try {
        run("ROLLBACK");
    } catch (const SQLite::Exception&) {
        // Nothing to undo: SQLite already rolled back (a failed COMMIT, a full disk).
    }
}

void Transaction::commit() {
    detail::guarded("commit transaction", [&] { run("COMMIT"); });
    open_ = false;
}

void Transaction::run(const char* sql) {
    // Prepared once per connection: compiling BEGIN and COMMIT on every command was 4 % of the
    // bot's CPU per check.
    detail::raw(db_, sql).step();
}

}  // namespace funnelbot::storage

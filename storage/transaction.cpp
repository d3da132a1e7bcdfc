#include "storage/transaction.hpp"

#include "storage/sql_support.hpp"

namespace funnelbot::storage {

Transaction::Transaction(Database& db, Lock lock) : db_(db), writer_(lock == Lock::immediate) {
    detail::guarded("begin transaction", [&] {
        detail::sql(db_).exec(writer_ ? "BEGIN IMMEDIATE" : "BEGIN DEFERRED");
        // A writer's dirty pages stay in memory up to the larger cache (sql_support.hpp).
        if (writer_) detail::set_page_cache(detail::sql(db_), detail::kWriteCacheKiB);
    });
}

Transaction::~Transaction() {
    if (open_) {
        try {
            detail::sql(db_).exec("ROLLBACK");
        } catch (const SQLite::Exception&) {
            // Nothing to undo: SQLite already rolled back (a failed COMMIT, a full disk).
        }
    }
    restore_page_cache();
}

void Transaction::commit() {
    detail::guarded("commit transaction", [&] { detail::sql(db_).exec("COMMIT"); });
    open_ = false;
    restore_page_cache();
}

void Transaction::restore_page_cache() noexcept {
    if (!writer_) return;
    writer_ = false;
    try {
        // Shrinking the cache frees the pages above the smaller size.
        detail::set_page_cache(detail::sql(db_), detail::kReadCacheKiB);
    } catch (const SQLite::Exception&) {
        // The cache stays larger until the next writer ends: harmless.
    }
}

}  // namespace funnelbot::storage

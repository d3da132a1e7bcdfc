#include "storage/transaction.hpp"

#include "storage/sql_support.hpp"

namespace funnelbot::storage {

Transaction::Transaction(Database& db, Lock lock) : db_(db) {
    detail::guarded("begin transaction", [&] {
        detail::sql(db_).exec(lock == Lock::immediate ? "BEGIN IMMEDIATE" : "BEGIN DEFERRED");
    });
}

Transaction::~Transaction() {
    if (!open_) return;
    try {
        detail::sql(db_).exec("ROLLBACK");
    } catch (const SQLite::Exception&) {
        // Nothing to undo: SQLite already rolled back (a failed COMMIT, a full disk).
    }
}

void Transaction::commit() {
    detail::guarded("commit transaction", [&] { detail::sql(db_).exec("COMMIT"); });
    open_ = false;
}

}  // namespace funnelbot::storage

// A unit of work on the database: everything between construction and commit() lands at once or
// not at all. The only way code above storage/ groups writes; it never sees SQLite itself.
#pragma once

#include "storage/database.hpp"

namespace funnelbot::storage {

class Transaction {
public:
    enum class Lock {
        // Takes no lock until the first read or write: readers run side by side (WAL).
        deferred,
        // Takes the write lock at once (waiting for it up to the busy timeout), so the unit of
        // work never fails halfway because another connection wrote first.
        immediate,
    };

    // BEGIN. Throws StorageError (is_busy() when another connection holds the write lock).
    explicit Transaction(Database& db, Lock lock = Lock::deferred);
    // Rolls back unless committed; never throws.
    ~Transaction();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;

    // COMMIT. Throws StorageError (is_busy() when readers keep the commit from completing or a
    // deferred transaction's snapshot went stale); the transaction is then rolled back.
    void commit();

private:
    void run(const char* sql);

    Database& db_;
    bool open_ = true;
};

}  // namespace funnelbot::storage

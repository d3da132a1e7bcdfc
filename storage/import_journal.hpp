// What an import wrote, kept so that it can be taken back. A CSV import writes in short steps
// (each its own transaction, so the bot's commands get the write lock between them); to stay all
// or nothing, every step journals, in the same transaction, the rows it created (as id ranges),
// the opportunities as they were before it changed them and the customers' status before it
// marked them current. A finished run's journal is thrown away; a run that failed is undone from
// it; a run whose process died (SIGKILL, power loss) is undone the next time funnelbot opens the
// file (storage::Database runs recover_imports) or the next import starts.
#pragma once

#include <optional>
#include <string>

#include "analysis/funnel_types.hpp"
#include "storage/database.hpp"
#include "storage/records.hpp"

namespace funnelbot::storage {

// Held by the process that imports, for the whole import: a second import is refused meanwhile,
// and recovery undoes only the runs of a holder that is gone. An exclusive flock(2) on a file
// beside the database ("<database>-import.lock"); the kernel releases it when the process ends,
// however it ends.
class ImportLock {
public:
    // The lock, or nullopt when another process holds it. Throws StorageError when the lock file
    // cannot be created. A database without a file (":memory:") needs no lock: an empty lock.
    static std::optional<ImportLock> try_acquire(const std::string& database_path);
    ~ImportLock();
    ImportLock(ImportLock&& other) noexcept;
    ImportLock& operator=(ImportLock&&) = delete;
    ImportLock(const ImportLock&) = delete;
    ImportLock& operator=(const ImportLock&) = delete;

private:
    explicit ImportLock(int fd) : fd_(fd) {}
    int fd_ = -1;
};

class ImportJournal {
public:
    explicit ImportJournal(Database& db) : db_(db) {}

    // Starts a run for `workspace_id` (call inside the first step's transaction).
    Id begin(Id workspace_id, analysis::Instant now);

    // Call right after a step's BEGIN IMMEDIATE and right before its COMMIT: every row created
    // in between (the step holds the write lock) is the run's, and is journaled as a range.
    void step_started();
    void step_ending(Id run);

    // Before the run changes an opportunity or a customer's status: keeps the row as it is now
    // (the first time only; later changes by the same run keep the original).
    void keep_opportunity(Id run, Id opportunity_id);
    void keep_customer_status(Id run, Id customer_id);

    // The run succeeded: marks it done (call inside its last step's transaction).
    void finish(Id run);

    // Takes back everything `run` wrote, then removes its journal, in steps of at most `step`
    // rows, each its own transaction. Rows the run created that something else now uses (a rep
    // added an opportunity for an imported customer meanwhile) are kept.
    void undo(Id run, int step = 2000);

    // Removes the journal of a finished run, in steps (each its own transaction).
    void discard(Id run, int step = 5000);

private:
    Database& db_;
    struct MaxIds {
        Id opportunities = 0, customers = 0, product_lines = 0, users = 0;
    };
    MaxIds max_ids();
    MaxIds at_step_start_;
};

// Undoes runs left unfinished by an import process that is gone and discards the journals of
// finished runs. Does nothing while another process imports. Returns how many runs it undid.
int recover_imports(Database& db, const std::string& database_path);

}  // namespace funnelbot::storage

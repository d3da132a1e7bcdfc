// The write pass of a CSV import, in steps: each step is a short transaction of its own (a few
// thousand rows or 50 ms, whichever comes first), with a pause after it, so the bot's commands
// get the write lock between steps instead of waiting for the whole file. The import stays all
// or nothing: every step journals what it wrote (storage/import_journal.hpp), the last step marks
// the run done, and a run that does not get there is undone — here when it fails, or the next
// time funnelbot opens the file when its process died.
#pragma once

#include <chrono>
#include <optional>

#include "analysis/funnel_types.hpp"
#include "storage/database.hpp"
#include "storage/import_journal.hpp"
#include "storage/transaction.hpp"

namespace funnelbot::commands {

struct ImportPacing {
    int step_rows = 2000;                     // rows a step writes at most
    std::chrono::milliseconds step_time{50};  // how long a step holds the write lock at most
    std::chrono::milliseconds pause{5};       // the lock is free this long between steps
};

class ImportSteps {
public:
    // Starts the run and its first step, holding `lock` until the run is finished or undone.
    ImportSteps(storage::Database& db, storage::ImportLock lock, analysis::Id workspace_id,
                analysis::Instant now, ImportPacing pacing);
    // A run not finished is undone (if that fails too, the next open of the file does it).
    ~ImportSteps();
    ImportSteps(const ImportSteps&) = delete;
    ImportSteps& operator=(const ImportSteps&) = delete;

    analysis::Id run() const { return run_; }
    storage::ImportJournal& journal() { return journal_; }

    // After each row: ends the step when it is full, pauses, starts the next.
    void row_done();

    // Ends the last step with the run marked done, then throws its journal away.
    void finish();

private:
    void begin_step();
    void end_step();

    storage::Database& db_;
    storage::ImportLock lock_;
    storage::ImportJournal journal_;
    ImportPacing pacing_;
    std::optional<storage::Transaction> step_;
    analysis::Id run_ = 0;
    int rows_in_step_ = 0;
    std::chrono::steady_clock::time_point step_started_;
    bool finished_ = false;
};

}  // namespace funnelbot::commands

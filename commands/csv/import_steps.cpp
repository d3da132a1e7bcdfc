#include "commands/csv/import_steps.hpp"

#include <exception>
#include <thread>
#include <utility>

namespace funnelbot::commands {

ImportSteps::ImportSteps(storage::Database& db, storage::ImportLock lock, analysis::Id workspace_id,
                         analysis::Instant now, ImportPacing pacing)
    : db_(db), lock_(std::move(lock)), journal_(db), pacing_(pacing) {
    begin_step();
    run_ = journal_.begin(workspace_id, now);
}

ImportSteps::~ImportSteps() {
    if (finished_) return;
    // A destructor must not throw; a run left behind is undone when the file is next opened.
    try {
        step_.reset();  // rolls back the open step
        if (run_ != 0) journal_.undo(run_);
    } catch (const std::exception&) {
    }
}

void ImportSteps::begin_step() {
    // The bot's commands come first: an import waits for its turn as long as they keep the lock
    // busy (each wait is the busy timeout; the bound only keeps a stuck database from hanging it).
    constexpr int kTurns = 60;
    for (int turn = 1;; ++turn) {
        try {
            step_.emplace(db_, storage::Transaction::Lock::immediate);
            break;
        } catch (const storage::StorageError& e) {
            if (!e.is_busy() || turn == kTurns) throw;
        }
    }
    journal_.step_started();
    rows_in_step_ = 0;
    step_started_ = std::chrono::steady_clock::now();
}

void ImportSteps::end_step() {
    journal_.step_ending(run_);
    step_->commit();
    step_.reset();
}

void ImportSteps::row_done() {
    ++rows_in_step_;
    if (rows_in_step_ < pacing_.step_rows &&
        std::chrono::steady_clock::now() - step_started_ < pacing_.step_time) {
        return;
    }
    end_step();
    std::this_thread::sleep_for(pacing_.pause);
    begin_step();
}

void ImportSteps::finish() {
    journal_.finish(run_);
    end_step();
    finished_ = true;
    journal_.discard(run_);
}

}  // namespace funnelbot::commands

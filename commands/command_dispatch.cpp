#include "commands/command_dispatch.hpp"

#include <exception>

#include "commands/command_table.hpp"
#include "commands/failure_reply.hpp"
#include "commands/grammar/command_parser.hpp"
#include "commands/handlers/command_handlers.hpp"
#include "commands/workspace/user_directory.hpp"
#include "commands/workspace/workspace_time.hpp"
#include "storage/processed_event_repository.hpp"
#include "storage/transaction.hpp"
#include "storage/workspace_repository.hpp"

namespace funnelbot::commands {

namespace {

// Readers run in a deferred transaction (many at once under WAL); the table says which read.
bool reads_only(const Command& command) {
    return command_for(command).reads_only(command);
}

Outcome run_once(storage::Database& db, const storage::Workspace& ws, const Identity& who,
                 const Result<Command>& parsed, analysis::Instant now, std::string_view event_id,
                 bool write_lock) {
    // A writing command takes the write lock up front (waiting for it, never failing halfway);
    // a reading one does not lock at all unless it has to write after all (a new user).
    storage::Transaction tx(db, write_lock ? storage::Transaction::Lock::immediate
                                           : storage::Transaction::Lock::deferred);
    storage::ProcessedEventRepository events(db);
    if (!event_id.empty()) {
        // Writers record the id (a redelivery then finds it); readers only look, since running
        // a read twice changes nothing.
        const bool fresh = write_lock ? events.record(ws.id, std::string(event_id))
                                      : !events.seen(ws.id, std::string(event_id));
        if (!fresh) {
            Outcome dup;
            dup.duplicate = true;
            dup.reply.title = "Already handled";
            dup.reply.summary = "This command was already handled; nothing was done twice.";
            return dup;
        }
    }
    // The workspace row may have changed since the caller read it (another process).
    const storage::Workspace fresh = storage::WorkspaceRepository(db).get(ws.id).value_or(ws);
    CommandContext ctx{db, fresh, identify(db, fresh, who), clock_in_zone(fresh.tz, now)};
    if (!ctx.actor.active) {
        return Outcome{Reply::error(
            "An admin marked you as having left this workspace, so funnelbot no longer takes your "
            "commands here. If that is a mistake, ask an admin to give you your role back with "
            "/funnel-admin role @you rep.")};
    }
    if (!parsed) return Outcome{Reply::error(parsed.error().message)};
    Result<Reply> result = std::visit([&](const auto& cmd) { return handle(ctx, cmd); }, *parsed);
    if (!result) return Outcome{Reply::error(result.error().message)};
    tx.commit();
    return Outcome{std::move(result.value())};
}

// The person hears what to do and a reference; the details are for the log, under it.
Outcome failed(std::string detail) {
    Outcome out;
    out.reference = failure_reference();
    out.reply = unexpected_failure_reply(out.reference);
    out.failure = std::move(detail);
    return out;
}

Outcome run(storage::Database& db, const storage::Workspace& ws, const Identity& who,
            const Result<Command>& parsed, analysis::Instant now, std::string_view event_id) {
    bool write_lock = parsed.ok() && !reads_only(*parsed);
    constexpr int kAttempts = 3;
    for (int attempt = 1;; ++attempt) {
        try {
            return run_once(db, ws, who, parsed, now, event_id, write_lock);
        } catch (const storage::StorageError& e) {
            // A reader that had to write found the database changed under it: run again, this
            // time holding the write lock from the start.
            if (e.is_busy() && attempt < kAttempts) {
                write_lock = true;
                continue;
            }
            return failed(e.what());
        } catch (const std::exception& e) {
            // Storage failures are unexpected; the user still gets an answer and nothing changed.
            return failed(e.what());
        }
    }
}

}  // namespace

Outcome execute(storage::Database& db, const storage::Workspace& ws, const Identity& who,
                const Command& command, analysis::Instant now, std::string_view event_id) {
    return run(db, ws, who, Result<Command>(command), now, event_id);
}

Outcome execute_text(storage::Database& db, const storage::Workspace& ws, const Identity& who,
                     std::string_view name, std::string_view text, analysis::Instant now,
                     std::string_view event_id) {
    return run(db, ws, who, parse_command(name, text), now, event_id);
}

Outcome execute_parsed(storage::Database& db, const storage::Workspace& ws, const Identity& who,
                       const Result<Command>& parsed, analysis::Instant now,
                       std::string_view event_id) {
    return run(db, ws, who, parsed, now, event_id);
}

}  // namespace funnelbot::commands

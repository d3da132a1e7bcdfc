#include "commands/command_dispatch.hpp"

#include <SQLiteCpp/Transaction.h>

#include <exception>

#include "commands/command_handlers.hpp"
#include "commands/command_parser.hpp"
#include "commands/user_directory.hpp"
#include "commands/workspace_time.hpp"
#include "storage/processed_event_repository.hpp"
#include "storage/workspace_repository.hpp"

namespace funnelbot::commands {

namespace {

Outcome run(storage::Database& db, const storage::Workspace& ws, const Identity& who,
            const Result<Command>& parsed, analysis::Instant now, std::string_view event_id) {
    try {
        SQLite::Transaction tx(db.sql());
        if (!event_id.empty() &&
            !storage::ProcessedEventRepository(db).record(ws.id, std::string(event_id))) {
            Outcome dup;
            dup.duplicate = true;
            dup.reply.title = "Already handled";
            dup.reply.summary = "This command was already handled; nothing was done twice.";
            return dup;
        }
        // The workspace row may have changed since the caller read it (another process).
        const storage::Workspace fresh = storage::WorkspaceRepository(db).get(ws.id).value_or(ws);
        CommandContext ctx{db, fresh, identify(db, fresh, who), clock_in_zone(fresh.tz, now)};
        if (!parsed) return Outcome{Reply::error(parsed.error().message)};
        Result<Reply> result =
            std::visit([&](const auto& cmd) { return handle(ctx, cmd); }, *parsed);
        if (!result) return Outcome{Reply::error(result.error().message)};
        tx.commit();
        return Outcome{std::move(result.value())};
    } catch (const std::exception& e) {
        // Storage failures are unexpected; the user still gets an answer and nothing changed.
        return Outcome{Reply::error(std::string("funnelbot could not complete this command (") +
                                    e.what() + "). Nothing was changed; please try again.")};
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

}  // namespace funnelbot::commands

// The single entry point every front end (console, Slack, Discord) calls: one command, one
// transaction, one Reply.
#pragma once

#include <string>
#include <string_view>

#include "analysis/funnel_types.hpp"
#include "commands/command.hpp"
#include "commands/command_context.hpp"
#include "commands/reply.hpp"
#include "commands/user_error.hpp"

namespace funnelbot::commands {

struct Outcome {
    Reply reply;
    bool duplicate = false;  // the event id was handled before: nothing was done again
    // An unexpected failure (the reply then says only "reference …"): what failed, for the log
    // line the caller writes under that reference. Empty otherwise.
    std::string failure{};
    std::string reference{};
};

// Identifies the sender, runs the command inside one transaction and commits only when it
// succeeded: a user error or a failure leaves the database as it was. A non-empty `event_id`
// already recorded for the workspace makes this a no-op (a platform's redelivery).
// Never throws for a user's input; storage failures become an error Reply.
Outcome execute(storage::Database& db, const storage::Workspace& ws, const Identity& who,
                const Command& command, analysis::Instant now, std::string_view event_id = {});

// The same from text: `name` without the slash, `text` the arguments.
Outcome execute_text(storage::Database& db, const storage::Workspace& ws, const Identity& who,
                     std::string_view name, std::string_view text, analysis::Instant now,
                     std::string_view event_id = {});

// The same for a command parsed elsewhere (Discord's typed options): a parse error is answered
// like any other user error.
Outcome execute_parsed(storage::Database& db, const storage::Workspace& ws, const Identity& who,
                       const Result<Command>& parsed, analysis::Instant now,
                       std::string_view event_id = {});

}  // namespace funnelbot::commands

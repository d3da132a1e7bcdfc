// The answer to a command that failed unexpectedly (a storage failure, a bug): the person gets a
// reply that says what they can do, with a short reference; the log gets the details under the
// same reference. Raw error texts (SQLite messages, file paths) never reach a chat.
#pragma once

#include <string>
#include <string_view>

#include "commands/reply.hpp"

namespace funnelbot::commands {

// Six random hex digits: enough to find one log line among a day's.
std::string failure_reference();

// "funnelbot could not complete this command (reference 3fa9c2). Nothing was changed; …".
Reply unexpected_failure_reply(std::string_view reference);

// The answer to a command refused because too many are already waiting for a worker: nothing ran,
// so trying again later is safe.
Reply busy_reply();

// The answer to a command that arrives while funnelbot is shutting down (a restart, an upgrade):
// nothing ran.
Reply restarting_reply();

}  // namespace funnelbot::commands

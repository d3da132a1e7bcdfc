// The last line of defence of main(): whatever a sub-command throws ends in one log line and an
// exit status, never in std::terminate (which would leave no word of what happened).
#pragma once

#include <functional>

namespace funnelbot::bot {

// Runs `subcommand` and returns its exit status; a storage failure or any other exception is
// logged (one error line saying what failed) and becomes exit status 1.
int guarded_main(const std::function<int()>& subcommand);

}  // namespace funnelbot::bot

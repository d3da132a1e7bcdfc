// Why a platform connection stopped for good, so the process can exit with the status that says
// what to do (bot/app/exit_status.hpp): fix a setting, replace a token, or just restart.
#pragma once

namespace funnelbot::bot {

enum class StopCause {
    failure,         // anything else (the requested stop, an unexpected end): a restart may help
    configuration,   // the platform's app settings (Socket Mode off, intents, a missing scope)
    token_rejected,  // the platform refused the token
};

}  // namespace funnelbot::bot

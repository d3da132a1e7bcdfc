// funnelbot's exit statuses: the one list that bot/main.cpp, the sub-commands and the systemd
// unit (deploy/funnelbot.service, RestartPreventExitStatus=) agree on. systemd restarts the bot
// after 1 (Restart=on-failure) but not after 2 or 3: a wrong setting or a rejected token fails
// the same way every time, and a restart loop would only hide the message that says why.
#pragma once

namespace funnelbot::bot {

enum class ExitStatus : int {
    ok = 0,              // done, or stopped on SIGTERM/SIGINT
    failure = 1,         // an unexpected failure (storage, network, a bug): worth a restart
    configuration = 2,   // wrong arguments, environment or file: fix the setting, then start
    token_rejected = 3,  // Slack or Discord refused a token: replace it, then start
};

// The value main() returns.
constexpr int exit_code(ExitStatus status) {
    return static_cast<int>(status);
}

}  // namespace funnelbot::bot

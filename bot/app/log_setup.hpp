// funnelbot's log: spdlog on stderr (systemd hands it to the journal), as human lines or, with
// FUNNELBOT_LOG_FORMAT=json, one JSON object a line. Either way every message passes through
// redact_secrets() (bot/app/secret_redaction.hpp) before it is written.
#pragma once

#include <spdlog/common.h>
#include <spdlog/formatter.h>

#include <memory>

#include "bot/app/runtime_config.hpp"

namespace funnelbot::bot {

// Where the lines go.
struct LogDestination {
    LogFormat format = LogFormat::text;
    // stderr is systemd's journal stream: each line starts with its syslog priority ("<3>" for
    // an error), which journald takes off and keeps as the entry's priority, so
    // `journalctl -p warning` finds the warnings.
    // https://www.freedesktop.org/software/systemd/man/latest/sd-daemon.html
    bool journal_priority = false;
};

// Makes a logger named "funnelbot" on stderr the default logger (the one spdlog::info() and the
// others write to), at `level`: text is spdlog's default line, coloured on a terminal, as before;
// json is {"time": RFC 3339 UTC with milliseconds, "level", "logger", "message"} and a newline.
void set_up_logging(const LogDestination& destination, spdlog::level::level_enum level);

// The formatter behind it, for any sink: redacts the message, then formats the line.
std::unique_ptr<spdlog::formatter> make_log_formatter(const LogDestination& destination);

// Whether stderr is the journal stream systemd named in $JOURNAL_STREAM ("<device>:<inode>"),
// as systemd.exec(5) says to check:
// https://www.freedesktop.org/software/systemd/man/latest/systemd.exec.html#%24JOURNAL_STREAM
bool stderr_is_journal(const GetEnv& getenv_fn);

}  // namespace funnelbot::bot

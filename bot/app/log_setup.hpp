// funnelbot's log: spdlog on stderr (systemd hands it to the journal), as human lines or, with
// FUNNELBOT_LOG_FORMAT=json, one JSON object a line. Either way every message passes through
// redact_secrets() (bot/app/secret_redaction.hpp) before it is written.
#pragma once

#include <spdlog/common.h>
#include <spdlog/formatter.h>

#include <memory>

#include "bot/app/runtime_config.hpp"

namespace funnelbot::bot {

// Makes a logger named "funnelbot" on stderr the default logger (the one spdlog::info() and the
// others write to), at `level`, in `format`: text is spdlog's default line, coloured on a
// terminal, as before; json is {"time": RFC 3339 UTC with milliseconds, "level", "logger",
// "message"} and a newline.
void set_up_logging(LogFormat format, spdlog::level::level_enum level);

// The formatter behind it, for any sink: redacts the message, then formats the line.
std::unique_ptr<spdlog::formatter> make_log_formatter(LogFormat format);

}  // namespace funnelbot::bot

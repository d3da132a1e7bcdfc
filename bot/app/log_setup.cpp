#include "bot/app/log_setup.hpp"

#include <spdlog/details/log_msg.h>
#include <spdlog/logger.h>
#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <ctime>
#include <nlohmann/json.hpp>
#include <string>

#include "bot/app/secret_redaction.hpp"

namespace funnelbot::bot {

namespace {

// "2026-03-01T14:05:09.042Z": RFC 3339 in UTC, https://www.rfc-editor.org/rfc/rfc3339#section-5.6
std::string rfc3339_utc(spdlog::log_clock::time_point time) {
    const auto since_epoch = time.time_since_epoch();
    const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(since_epoch);
    const auto millis =
        std::chrono::duration_cast<std::chrono::milliseconds>(since_epoch - seconds).count();
    const std::time_t t = static_cast<std::time_t>(seconds.count());
    std::tm utc{};
    gmtime_r(&t, &utc);
    char buf[40];
    const std::size_t n = std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &utc);
    return std::string(buf, n) + fmt::format(".{:03}Z", millis);
}

// The syslog priority journald reads from a "<N>" line prefix (sd-daemon(3)).
char syslog_priority(spdlog::level::level_enum level) {
    switch (level) {
        case spdlog::level::critical:
            return '2';
        case spdlog::level::err:
            return '3';
        case spdlog::level::warn:
            return '4';
        case spdlog::level::info:
            return '6';
        default:
            return '7';
    }
}

class RedactingFormatter final : public spdlog::formatter {
public:
    explicit RedactingFormatter(LogDestination destination) : destination_(destination) {}

    void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
        const std::string message =
            redact_secrets(std::string_view(msg.payload.data(), msg.payload.size()));
        if (destination_.journal_priority) {
            const char prefix[] = {'<', syslog_priority(msg.level), '>'};
            dest.append(prefix, prefix + sizeof prefix);
        }
        if (destination_.format == LogFormat::json) {
            append_json(msg, message, dest);
        } else {
            append_text(msg, message, dest);
        }
    }

    std::unique_ptr<spdlog::formatter> clone() const override {
        return std::make_unique<RedactingFormatter>(destination_);
    }

private:
    static void append_json(const spdlog::details::log_msg& msg, const std::string& message,
                            spdlog::memory_buf_t& dest) {
        const auto level = spdlog::level::to_string_view(msg.level);
        nlohmann::ordered_json line;
        line["time"] = rfc3339_utc(msg.time);
        line["level"] = std::string(level.data(), level.size());
        line["logger"] = std::string(msg.logger_name.data(), msg.logger_name.size());
        line["message"] = message;
        // A message that is not UTF-8 (a platform's raw bytes) still makes valid JSON.
        const std::string text =
            line.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
        dest.append(text.data(), text.data() + text.size());
        dest.push_back('\n');
    }

    void append_text(const spdlog::details::log_msg& msg, const std::string& message,
                     spdlog::memory_buf_t& dest) {
        spdlog::details::log_msg redacted = msg;
        redacted.payload = spdlog::string_view_t(message.data(), message.size());
        spdlog::memory_buf_t line;
        text_.format(redacted, line);
        // The colour sink reads the level's position from the message it passed in.
        msg.color_range_start = dest.size() + redacted.color_range_start;
        msg.color_range_end = dest.size() + redacted.color_range_end;
        dest.append(line.data(), line.data() + line.size());
    }

    LogDestination destination_;
    spdlog::pattern_formatter text_;  // spdlog's default pattern, as funnelbot always logged
};

}  // namespace

std::unique_ptr<spdlog::formatter> make_log_formatter(const LogDestination& destination) {
    return std::make_unique<RedactingFormatter>(destination);
}

bool stderr_is_journal(const GetEnv& getenv_fn) {
    const char* stream = getenv_fn("JOURNAL_STREAM");
    struct stat st {};
    if (stream == nullptr || ::fstat(STDERR_FILENO, &st) != 0) return false;
    return std::string(stream) == std::to_string(st.st_dev) + ":" + std::to_string(st.st_ino);
}

void set_up_logging(const LogDestination& destination, spdlog::level::level_enum level) {
    spdlog::sink_ptr sink;
    if (destination.format == LogFormat::json || destination.journal_priority) {
        sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
    } else {
        sink = std::make_shared<spdlog::sinks::stderr_color_sink_mt>();
    }
    auto logger = std::make_shared<spdlog::logger>("funnelbot", std::move(sink));
    logger->set_formatter(make_log_formatter(destination));
    logger->set_level(level);
    spdlog::set_default_logger(std::move(logger));
}

}  // namespace funnelbot::bot

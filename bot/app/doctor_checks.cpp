#include "bot/app/doctor_checks.hpp"

#include <date/tz.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/this_coro.hpp>

#include <algorithm>
#include <chrono>
#include <exception>
#include <stdexcept>

#include "bot/discord/rest_api.hpp"
#include "bot/discord/setup_check.hpp"
#include "bot/net/https_client.hpp"
#include "bot/net/url.hpp"
#include "bot/slack/setup_check.hpp"
#include "bot/slack/web_api.hpp"
#include "commands/workspace/workspace_time.hpp"
#include "storage/database.hpp"
#include "storage/database_probe.hpp"

#ifndef FUNNELBOT_VERSION
#define FUNNELBOT_VERSION "0.0.0"
#endif

namespace funnelbot::bot {

namespace {

namespace asio = boost::asio;
using std::chrono::milliseconds;

// A doctor answers within seconds: fewer retries and shorter waits than the bot's own. A 429
// asking for longer than max_retry_after is reported rather than waited out.
HttpOptions doctor_http_options(HttpOptions options) {
    options.request_timeout = milliseconds(10000);
    options.max_attempts = 2;
    options.max_retry_after = milliseconds(5000);
    options.max_rate_limit_waits = std::min(options.max_rate_limit_waits, 1);
    return options;
}

// The caller checked the URLs (run_doctor answers a bad one with status 2, as `run` does).
Url base_url(const std::string& url, const char* variable) {
    auto parsed = Url::parse(url);
    if (!parsed) throw std::invalid_argument(std::string(variable) + " is not an https:// URL");
    return *parsed;
}

std::vector<SetupFinding> not_configured(const char* platform, const char* why) {
    return {SetupFinding{SetupStatus::skip, platform, why}};
}

asio::awaitable<std::vector<SetupFinding>> check_slack(const RuntimeConfig& config,
                                                       HttpsClient& http) {
    if (!config.slack_enabled()) {
        co_return not_configured("Slack", "SLACK_APP_TOKEN and SLACK_BOT_TOKEN not set");
    }
    slack::WebApi api(http, base_url(config.slack_api_url, "SLACK_API_URL"),
                      *config.slack_app_token, *config.slack_bot_token);
    std::vector<SetupFinding> findings = co_await slack::check_setup(api);
    co_return findings;
}

asio::awaitable<std::vector<SetupFinding>> check_discord(const RuntimeConfig& config,
                                                         const DoctorArgs& args,
                                                         HttpsClient& http) {
    if (!config.discord_enabled()) {
        co_return not_configured("Discord", "DISCORD_BOT_TOKEN not set");
    }
    const auto executor = co_await asio::this_coro::executor;
    discord::RestApiOptions options{base_url(config.discord_api_url, "DISCORD_API_URL"),
                                    *config.discord_bot_token};
    options.max_rate_limit_waits = 1;
    discord::RestApi rest(executor, http, http, std::move(options));
    discord::SetupCheckConfig checked{config.discord_application_id.value_or(""),
                                      config.discord_guild_id.value_or(""), args.dm_user};
    std::vector<SetupFinding> findings = co_await discord::check_setup(rest, std::move(checked));
    co_return findings;
}

// Slack's checks, then Discord's, on a network thread of their own (this one).
void check_platforms(const RuntimeConfig& config, const DoctorArgs& args, asio::ssl::context& tls,
                     const std::function<void(const SetupFinding&)>& report) {
    asio::io_context io;
    HttpsClient slack_http(io.get_executor(), tls, doctor_http_options({}));
    HttpsClient discord_http(io.get_executor(), tls,
                             doctor_http_options(discord::http_options(FUNNELBOT_VERSION)));
    std::exception_ptr failure;
    asio::co_spawn(
        io,
        [&]() -> asio::awaitable<void> {
            const auto slack = co_await check_slack(config, slack_http);
            for (const auto& finding : slack)
                report(finding);
            const auto discord = co_await check_discord(config, args, discord_http);
            for (const auto& finding : discord)
                report(finding);
            slack_http.close_idle();
            discord_http.close_idle();
        },
        [&](std::exception_ptr error) { failure = error; });
    io.run();
    if (failure) std::rethrow_exception(failure);
}

}  // namespace

std::vector<SetupFinding> run_doctor_checks(
    const RuntimeConfig& config, const std::string& db_path, const DoctorArgs& args,
    asio::ssl::context& tls, const std::function<void(const SetupFinding&)>& report) {
    std::vector<SetupFinding> findings;
    const auto keep = [&](const SetupFinding& finding) {
        findings.push_back(finding);
        report(finding);
    };
    check_platforms(config, args, tls, keep);
    keep(check_database(db_path));
    keep(check_time_zones(config.default_tz));
    return findings;
}

SetupFinding check_database(const std::string& path) {
    constexpr const char* kSubject = "Database";
    const storage::DatabaseProbe probe = storage::probe_database(path);
    constexpr int kCurrent = storage::Database::kSchemaVersion;
    const std::string version = std::to_string(probe.schema_version);
    if (!probe.exists) {
        if (!probe.write_error.empty()) {
            return {SetupStatus::fail, kSubject,
                    path + " does not exist and cannot be created: " + probe.write_error +
                        " — create the directory, writable for the user funnelbot runs as, or "
                        "point FUNNELBOT_DB (or --db) elsewhere"};
        }
        return {SetupStatus::ok, kSubject,
                path +
                    " does not exist yet; funnelbot creates it at start (its directory is "
                    "writable)"};
    }
    if (!probe.open_error.empty()) {
        return {SetupStatus::fail, kSubject,
                "cannot open " + path + " (" + probe.open_error +
                    ") — it must be a funnelbot database, readable and writable, in a directory "
                    "writable for the user funnelbot runs as (SQLite keeps its -wal and -shm "
                    "files beside it)"};
    }
    if (probe.schema_version > kCurrent) {
        return {SetupStatus::fail, kSubject,
                path + " has schema version " + version + ", newer than this funnelbot's (" +
                    std::to_string(kCurrent) +
                    ") — run the funnelbot that wrote it (upgrade this one), or restore a backup "
                    "taken before the upgrade"};
    }
    if (!probe.write_error.empty()) {
        return {SetupStatus::fail, kSubject,
                path + " is not writable (" + probe.write_error +
                    ") — give the user funnelbot runs as write access to the file and its "
                    "directory"};
    }
    std::string state = probe.busy ? "opens; its write lock was busy (a running funnelbot?), so "
                                     "writing was not tried"
                                   : "opens and is writable";
    if (probe.schema_version == 0) {
        return {probe.busy ? SetupStatus::warn : SetupStatus::ok, kSubject,
                path + " " + state + "; it is empty, funnelbot sets it up at start"};
    }
    if (probe.schema_version < kCurrent) {
        return {SetupStatus::warn, kSubject,
                path + " " + state + "; schema version " + version +
                    " will be migrated at start to " + std::to_string(kCurrent) +
                    " — back it up first with funnelbot backup"};
    }
    return {probe.busy ? SetupStatus::warn : SetupStatus::ok, kSubject,
            path + " " + state + ", schema version " + version + " (current)"};
}

SetupFinding check_time_zones(const std::string& default_tz) {
    constexpr const char* kSubject = "Time zones";
    // A zone with daylight saving time: its rules come from the installed data, not a fallback.
    constexpr const char* kSample = "America/New_York";
    if (!commands::is_valid_time_zone(kSample)) {
        return {SetupStatus::fail, kSubject,
                std::string("the time zone data is missing (") + kSample +
                    " does not load) — install the tzdata package"};
    }
    if (!commands::is_valid_time_zone(default_tz)) {
        return {SetupStatus::fail, kSubject,
                "FUNNELBOT_TZ \"" + default_tz +
                    "\" is not a known time zone — use an IANA name such as Europe/Berlin or "
                    "America/Chicago (default UTC)"};
    }
    std::string data;
    try {
        const std::string version = date::get_tzdb().version;
        if (!version.empty() && version != "unknown") data = " (tzdata " + version + ")";
    } catch (const std::exception&) {
        data.clear();  // the zones loaded; only the version could not be read
    }
    return {SetupStatus::ok, kSubject,
            "FUNNELBOT_TZ " + default_tz + " and " + kSample + " load" + data};
}

std::string format_finding(const SetupFinding& finding) {
    const char* tag = "ok   ";
    switch (finding.status) {
        case SetupStatus::ok:
            break;
        case SetupStatus::warn:
            tag = "warn ";
            break;
        case SetupStatus::fail:
            tag = "FAIL ";
            break;
        case SetupStatus::skip:
            tag = "skip ";
            break;
    }
    return tag + finding.subject + ": " + finding.detail;
}

int doctor_exit_status(const std::vector<SetupFinding>& findings) {
    for (const auto& finding : findings) {
        if (finding.status == SetupStatus::fail) return 1;
    }
    return 0;
}

}  // namespace funnelbot::bot

// `funnelbot doctor`: the configuration `funnelbot run` would use, checked against the real
// endpoints and files, one finding per line: Slack (bot/slack/setup_check.hpp), Discord
// (bot/discord/setup_check.hpp), the database and the time zone data.
#pragma once

#include <boost/asio/ssl/context.hpp>

#include <functional>
#include <string>
#include <vector>

#include "bot/app/runtime_config.hpp"
#include "bot/app/subcommands.hpp"
#include "bot/runtime/setup_finding.hpp"

namespace funnelbot::bot {

// Runs every check and calls `report` with each finding as soon as it is known, in the order
// Slack, Discord, database, time zones; returns them all. Platforms whose tokens are not set are
// one `skip` finding each. Requests go out over `tls` (certificates verified); the base URLs
// of the configured platforms must be https:// URLs (std::invalid_argument otherwise). Sends no
// message and opens no WebSocket.
std::vector<SetupFinding> run_doctor_checks(const RuntimeConfig& config, const std::string& db_path,
                                            const DoctorArgs& args, boost::asio::ssl::context& tls,
                                            const std::function<void(const SetupFinding&)>& report);

// The database at `path`: it opens, may be written (a rolled-back write) and carries the schema
// version this funnelbot writes. An older one is a warning (migrated at start), a newer one a
// failure. Changes nothing.
SetupFinding check_database(const std::string& path);

// The time zone data: `default_tz` (FUNNELBOT_TZ) and a zone with daylight saving time load.
SetupFinding check_time_zones(const std::string& default_tz);

// "ok   Slack bot token: workspace …", "FAIL …", "warn …", "skip …".
std::string format_finding(const SetupFinding& finding);

// 0 when nothing failed, else 1.
int doctor_exit_status(const std::vector<SetupFinding>& findings);

}  // namespace funnelbot::bot

// `funnelbot doctor [--dm-user ID]`: what works and what to fix, one line each
// (bot/app/doctor_checks.hpp), before reps find out.
#include <spdlog/spdlog.h>

#include <iostream>

#include "bot/app/doctor_checks.hpp"
#include "bot/app/exit_status.hpp"
#include "bot/app/subcommands.hpp"
#include "bot/net/tls_context.hpp"
#include "bot/net/url.hpp"

namespace funnelbot::bot {

int run_doctor(const RuntimeConfig& config, const std::string& db_path, const DoctorArgs& args) {
    // As `funnelbot run`: base URLs it could not use at all are a configuration error (2).
    if (config.slack_enabled() && !Url::parse(config.slack_api_url)) {
        spdlog::error("SLACK_API_URL must be an https:// URL, such as https://slack.com/api/");
        return exit_code(ExitStatus::configuration);
    }
    if (config.discord_enabled() && !Url::parse(config.discord_api_url)) {
        spdlog::error(
            "DISCORD_API_URL must be an https:// URL, such as https://discord.com/api/v10");
        return exit_code(ExitStatus::configuration);
    }
    auto tls = make_client_tls_context();
    const auto findings =
        run_doctor_checks(config, db_path, args, tls, [](const SetupFinding& finding) {
            std::cout << format_finding(finding) << std::endl;  // each line as soon as known
        });
    return doctor_exit_status(findings);
}

}  // namespace funnelbot::bot

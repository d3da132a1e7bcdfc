// funnelbot's entry point: the environment, logging, the command line, then one sub-command
// (bot/app/subcommands.hpp). The exit statuses are bot/app/exit_status.hpp's.
#include <malloc.h>
#include <spdlog/spdlog.h>

#include <cstdlib>

#include "bot/app/command_line.hpp"
#include "bot/app/exit_status.hpp"
#include "bot/app/guarded_main.hpp"
#include "bot/app/log_setup.hpp"
#include "bot/app/runtime_config.hpp"
#include "bot/app/subcommands.hpp"

int main(int argc, char** argv) {
    using namespace funnelbot;
    using bot::ExitStatus;
    // glibc gives an arena's free top back to the kernel once it passes 128 KiB, and a check
    // allocates and frees more than that: each one paid for madvise, the TLB shootdown on the
    // other core and fresh page faults. Up to 4 MiB per arena stays; setting a threshold turns
    // glibc's own adjustment off, so the mmap threshold is set to match.
    mallopt(M_TRIM_THRESHOLD, 4 << 20);
    mallopt(M_MMAP_THRESHOLD, 4 << 20);
    const auto getenv_fn = [](const char* name) -> const char* { return std::getenv(name); };
    const auto cfg = bot::read_runtime_config(getenv_fn);
    // A configuration error is logged at the default level, so a bad level cannot silence it.
    const auto level =
        cfg.error.empty() ? spdlog::level::from_str(cfg.config.log_level) : spdlog::level::info;
    bot::set_up_logging({cfg.config.log_format, bot::stderr_is_journal(getenv_fn)}, level);

    int exit_code = 0;
    const auto inv = bot::parse_command_line(argc, argv, cfg.config.db_path, exit_code);
    // --help and --version end here with 0; CLI11's own statuses for a wrong command line (100
    // and up) become the one status for a usage or configuration error.
    if (!inv) return exit_code == 0 ? 0 : bot::exit_code(ExitStatus::configuration);
    if (!cfg.error.empty()) {
        spdlog::error("{}", cfg.error);
        return bot::exit_code(ExitStatus::configuration);
    }
    const auto& config = cfg.config;
    return bot::guarded_main([&] {
        switch (inv->subcommand) {
            case bot::Subcommand::console:
                return bot::run_console(config, inv->db_path, inv->console);
            case bot::Subcommand::doctor:
                return bot::run_doctor(config, inv->db_path, inv->doctor);
            case bot::Subcommand::remind:
                return bot::run_remind(config, inv->db_path, inv->remind);
            case bot::Subcommand::import:
                return bot::run_import(config, inv->db_path, inv->import);
            case bot::Subcommand::export_csv:
                return bot::run_export(config, inv->db_path, inv->export_csv);
            case bot::Subcommand::backup:
                return bot::run_backup(inv->db_path, inv->backup);
            case bot::Subcommand::check:
                return bot::run_check(inv->db_path);
            case bot::Subcommand::serve:
                break;
        }
        if (config.slack_enabled() || config.discord_enabled())
            return bot::run_platforms(config, inv->db_path);
        if (getenv_fn("NOTIFY_SOCKET") != nullptr) {
            // A service (systemd): nobody would type into a console, so say what is missing.
            spdlog::error(
                "no platform token is set: set SLACK_APP_TOKEN and SLACK_BOT_TOKEN, or "
                "DISCORD_BOT_TOKEN (for the service: in /etc/funnelbot/funnelbot.env)");
            return bot::exit_code(ExitStatus::configuration);
        }
        bot::ConsoleArgs console;
        console.explain_platforms = true;
        return bot::run_console(config, inv->db_path, console);
    });
}

// funnelbot's entry point: logging, the environment, the command line, then one sub-command
// (bot/app/subcommands.hpp).
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <cstdlib>

#include "bot/app/command_line.hpp"
#include "bot/app/guarded_main.hpp"
#include "bot/app/runtime_config.hpp"
#include "bot/app/subcommands.hpp"

int main(int argc, char** argv) {
    using namespace funnelbot;
    auto logger = spdlog::stderr_color_mt("funnelbot");
    spdlog::set_default_logger(logger);
    const auto cfg = bot::read_runtime_config([](const char* name) { return std::getenv(name); });
    spdlog::set_level(spdlog::level::from_str(cfg.config.log_level));

    int exit_code = 0;
    const auto inv = bot::parse_command_line(argc, argv, cfg.config.db_path, exit_code);
    if (!inv) return exit_code;
    if (!cfg.error.empty()) {
        spdlog::error("{}", cfg.error);
        return 2;
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
            case bot::Subcommand::serve:
                break;
        }
        if (config.slack_enabled() || config.discord_enabled())
            return bot::run_platforms(config, inv->db_path);
        bot::ConsoleArgs console;
        console.explain_platforms = true;
        return bot::run_console(config, inv->db_path, console);
    });
}

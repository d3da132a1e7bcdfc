// `funnelbot console`: commands typed or piped in on the local database.
#include <unistd.h>

#include <chrono>
#include <iostream>

#include "bot/app/console_session.hpp"
#include "bot/app/subcommands.hpp"
#include "commands/demo_funnel.hpp"
#include "commands/workspace/local_workspace.hpp"

namespace funnelbot::bot {

int run_console(const RuntimeConfig& config, const std::string& db_path, const ConsoleArgs& args) {
    storage::Database db(db_path);
    auto ws = commands::local_workspace(db, args.workspace_id, config.default_tz);
    if (!ws) {
        std::cerr << "No workspace \"" << args.workspace_id << "\" in " << db_path
                  << ": give a Slack team id or Discord guild id the bot has served.\n";
        return 2;
    }
    const bool interactive = isatty(STDIN_FILENO) != 0;
    if (args.demo) {
        const auto now =
            std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
        auto filled = commands::fill_demo(db, *ws, now);
        if (!filled) {
            std::cerr << filled.error().message << '\n';
            return 2;
        }
        std::cout << "Demo data: team Sales East (manager maria; reps alice, bob, carol, dave), "
                  << filled->lines << " product lines, " << filled->opportunities
                  << " opportunities. Try /team-summary, or /as bob then /funnel-check.\n";
    }
    if (args.explain_platforms && interactive) {
        std::cout << "No SLACK_APP_TOKEN/SLACK_BOT_TOKEN or DISCORD_BOT_TOKEN set: starting the "
                     "console on "
                  << db_path << ". See README \"Connect to Slack\" to serve a workspace.\n";
    }
    ConsoleOptions options;
    options.as = args.as;
    options.admins = config.admins;
    options.interactive = interactive;
    ConsoleSession session(db, *ws, options);
    session.run(std::cin, std::cout);
    return 0;
}

}  // namespace funnelbot::bot

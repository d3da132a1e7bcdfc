// funnelbot's command line: run (Slack/Discord, or the console without tokens), console,
// import, export.
#include <date/date.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <unistd.h>
#include <CLI/CLI.hpp>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <random>
#include <sstream>
#include <thread>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

#include "bot/console_session.hpp"
#include "bot/discord/discord_client.hpp"
#include "bot/discord/reminder_delivery.hpp"
#include "bot/https_client.hpp"
#include "bot/reminder_scheduler.hpp"
#include "bot/runtime_config.hpp"
#include "bot/slack/reminder_delivery.hpp"
#include "bot/slack/socket_mode_client.hpp"
#include "bot/tls_context.hpp"
#include "bot/worker_pool.hpp"
#include "commands/command_context.hpp"
#include "commands/csv_import.hpp"
#include "commands/demo_funnel.hpp"
#include "commands/reminder_pass.hpp"
#include "commands/text_renderer.hpp"
#include "commands/user_directory.hpp"
#include "storage/database.hpp"
#include "storage/workspace_repository.hpp"

#ifndef FUNNELBOT_VERSION
#define FUNNELBOT_VERSION "0.0.0"
#endif

namespace {

using namespace funnelbot;

analysis::Instant now_seconds() {
    return std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
}

// The console workspace, or the Slack/Discord workspace named by --workspace.
std::optional<storage::Workspace> open_workspace(storage::Database& db, const std::string& id,
                                                 const bot::RuntimeConfig& config) {
    storage::WorkspaceRepository workspaces(db);
    if (id.empty())
        return workspaces.find_or_create(storage::Platform::console, "console", config.default_tz);
    for (auto p :
         {storage::Platform::slack, storage::Platform::discord, storage::Platform::console}) {
        if (auto ws = workspaces.find(p, id)) return ws;
    }
    return std::nullopt;
}

int console_main(const bot::RuntimeConfig& config, const std::string& db_path,
                 const std::string& as, const std::string& workspace_id, bool demo,
                 bool explain_platforms) {
    storage::Database db(db_path);
    auto ws = open_workspace(db, workspace_id, config);
    if (!ws) {
        std::cerr << "No workspace \"" << workspace_id << "\" in " << db_path
                  << ": give a Slack team id or Discord guild id the bot has served.\n";
        return 2;
    }
    const bool interactive = isatty(STDIN_FILENO) != 0;
    if (demo) {
        auto filled = commands::fill_demo(db, *ws, now_seconds());
        if (!filled) {
            std::cerr << filled.error().message << '\n';
            return 2;
        }
        std::cout << "Demo data: team Sales East (manager maria; reps alice, bob, carol, dave), "
                  << filled->lines << " product lines, " << filled->opportunities
                  << " opportunities. Try /team-summary, or /as bob then /funnel-check.\n";
    }
    if (explain_platforms && interactive) {
        std::cout << "No SLACK_APP_TOKEN/SLACK_BOT_TOKEN or DISCORD_BOT_TOKEN set: starting the "
                     "console on "
                  << db_path << ". See README \"Connect to Slack\" to serve a workspace.\n";
    }
    bot::ConsoleOptions options;
    options.as = as;
    options.admins = config.admins;
    options.interactive = interactive;
    bot::ConsoleSession session(db, *ws, options);
    session.run(std::cin, std::cout);
    return 0;
}

// "2026-11-27T15:00:00-06:00" or "2026-11-27T21:00:00Z".
std::optional<analysis::Instant> parse_instant(const std::string& text) {
    for (const char* format : {"%FT%T%Ez", "%FT%TZ"}) {
        std::istringstream in(text);
        date::sys_seconds t;
        in >> date::parse(format, t);
        if (!in.fail() && in.peek() == std::char_traits<char>::eof()) return t;
    }
    return std::nullopt;
}

// The reminder pass as if it were `at`: console users' messages are printed; with --dry-run
// everyone's are, and nothing is recorded.
int remind_main(const bot::RuntimeConfig& config, const std::string& db_path, const std::string& at,
                bool dry_run) {
    namespace asio = boost::asio;
    const auto now = parse_instant(at);
    if (!now) {
        std::cerr << "--at needs an ISO 8601 instant with its offset, such as "
                     "2026-11-27T15:00:00-06:00 or "
                     "2026-11-27T21:00:00Z; got \""
                  << at << "\".\n";
        return 2;
    }
    storage::Database db(db_path);
    // Slack delivery runs on a network thread of its own while the pass runs here.
    asio::io_context io;
    auto work = asio::make_work_guard(io);
    std::thread network([&] { io.run(); });
    // Joins the network thread on every way out, exceptions included.
    struct JoinNetwork {
        asio::io_context& io;
        asio::executor_work_guard<asio::io_context::executor_type>& work;
        std::thread& thread;
        ~JoinNetwork() {
            work.reset();
            io.stop();
            if (thread.joinable()) thread.join();
        }
    } join_network{io, work, network};
    auto tls = bot::make_client_tls_context();
    bot::HttpOptions once;
    once.max_attempts = 1;
    bot::HttpsClient http(io.get_executor(), tls, once);
    std::optional<bot::slack::SlackWebApi> slack;
    const auto api_base = bot::Url::parse(config.slack_api_url);
    if (config.slack_enabled() && api_base) {
        slack.emplace(http, *api_base, *config.slack_app_token, *config.slack_bot_token);
    }
    const bot::HttpOptions discord_options = bot::discord::http_options(FUNNELBOT_VERSION);
    bot::HttpsClient discord_http(io.get_executor(), tls, discord_options);
    std::optional<bot::discord::DiscordRest> discord;
    const auto discord_base = bot::Url::parse(config.discord_api_url);
    if (config.discord_enabled() && discord_base) {
        discord.emplace(io.get_executor(), discord_http, discord_http,
                        bot::discord::DiscordRestOptions{*discord_base, *config.discord_bot_token});
    }
    int unsendable = 0;
    commands::ReminderPassOptions options;
    options.dry_run = dry_run;
    const auto counts = commands::run_reminder_pass(
        db, *now, options, [&](const commands::ReminderMessage& m, std::string& reason) {
            if (!dry_run && m.workspace.platform == storage::Platform::slack && slack) {
                const auto delivery = bot::slack::send_reminder_dm(io, *slack, m, reason);
                std::this_thread::sleep_for(std::chrono::milliseconds(250));  // Slack's pace
                return delivery;
            }
            if (!dry_run && m.workspace.platform == storage::Platform::discord && discord) {
                return bot::discord::send_reminder_dm(io, *discord, m, reason);
            }
            if (!dry_run && m.workspace.platform != storage::Platform::console) {
                ++unsendable;
                reason = "no platform configured for this workspace";
                return commands::Delivery::failed;
            }
            std::cout << "--- to " << commands::display_name(m.user) << " ("
                      << (m.manager ? "manager" : "rep") << ") ---\n"
                      << commands::render_text(m.reply) << '\n';
            return commands::Delivery::delivered;
        });
    asio::post(io, [&] {
        http.close_idle();
        discord_http.close_idle();
    });
    work.reset();
    network.join();  // after the idle connections are closed
    if (unsendable > 0) {
        std::cerr << unsendable
                  << " messages were not sent: set SLACK_APP_TOKEN and SLACK_BOT_TOKEN to deliver "
                     "to Slack workspaces, DISCORD_BOT_TOKEN to deliver to Discord servers.\n";
    }
    std::cout << commands::describe_counts(counts)
              << (dry_run ? " (dry run: nothing recorded)" : "") << '\n';
    return 0;
}

// Serves the configured platforms until SIGINT/SIGTERM or a fatal error (exit 1).
int serve_platforms(const bot::RuntimeConfig& config, const std::string& db_path) {
    namespace asio = boost::asio;
    const auto slack_base = bot::Url::parse(config.slack_api_url);
    if (config.slack_enabled() && !slack_base) {
        spdlog::error("SLACK_API_URL must be an https:// URL, such as https://slack.com/api/");
        return 2;
    }
    const auto discord_base = bot::Url::parse(config.discord_api_url);
    if (config.discord_enabled() && !discord_base) {
        spdlog::error(
            "DISCORD_API_URL must be an https:// URL, such as https://discord.com/api/v10");
        return 2;
    }
    { storage::Database migrate(db_path); }  // workers open a migrated file

    // Declaration order is teardown order in reverse: the workers (which post to io) go before io.
    asio::io_context io;
    auto tls = bot::make_client_tls_context();
    bot::HttpsClient http(io.get_executor(), tls);
    bot::WorkerPool workers(db_path, 2);
    // Slack reminders are sent without retried POSTs (chat.postMessage has no idempotency key).
    bot::HttpOptions once;
    once.max_attempts = 1;
    bot::HttpsClient delivery_http(io.get_executor(), tls, once);
    // Discord: callbacks get their own connections so they never queue behind other requests.
    const bot::HttpOptions discord_options = bot::discord::http_options(FUNNELBOT_VERSION);
    bot::HttpsClient discord_http(io.get_executor(), tls, discord_options);
    // A callback is worth retrying only within Discord's 3 s deadline.
    bot::HttpOptions callback_options = discord_options;
    callback_options.max_attempts = 2;
    callback_options.request_timeout = std::chrono::milliseconds(1200);
    bot::HttpsClient discord_callbacks(io.get_executor(), tls, callback_options);

    std::optional<bot::slack::SocketModeClient> slack;
    std::optional<bot::slack::SlackWebApi> slack_delivery;
    std::optional<bot::ReminderScheduler> slack_reminders;
    std::optional<bot::discord::DiscordRest> discord_rest;
    std::optional<bot::discord::DiscordClient> discord;
    std::optional<bot::ReminderScheduler> discord_reminders;
    // Reminders: their own thread and connection, so a fan-out never holds up commands. Declared
    // after the schedulers, so these threads are joined before the schedulers they run go.
    bot::WorkerPool reminder_thread(db_path, 1);
    bot::WorkerPool discord_reminder_thread(db_path, 1);
    if (config.slack_enabled()) {
        bot::slack::SocketModeConfig slack_config;
        slack_config.api_base = *slack_base;
        slack_config.app_token = *config.slack_app_token;
        slack_config.bot_token = *config.slack_bot_token;
        slack_config.default_tz = config.default_tz;
        slack_config.admins = config.admins;
        slack.emplace(io, tls, http, workers, slack_config);
        slack_delivery.emplace(delivery_http, *slack_base, *config.slack_app_token,
                               *config.slack_bot_token);
        slack_reminders.emplace(io, reminder_thread, storage::Platform::slack,
                                bot::slack::slack_reminder_sender(io, *slack_delivery));
    }
    if (config.discord_enabled()) {
        discord_rest.emplace(
            io.get_executor(), discord_http, discord_callbacks,
            bot::discord::DiscordRestOptions{*discord_base, *config.discord_bot_token});
        bot::discord::DiscordConfig discord_config;
        discord_config.application_id = config.discord_application_id.value_or("");
        discord_config.guild_id = config.discord_guild_id.value_or("");
        discord_config.interactions.default_tz = config.default_tz;
        discord_config.interactions.admins = config.admins;
        discord_config.gateway.protocol.token = *config.discord_bot_token;
        discord_config.gateway.protocol.seed = std::random_device{}();
        discord_config.gateway.websocket.user_agent = discord_options.user_agent;
        discord.emplace(io, tls, *discord_rest, workers, discord_config);
        discord_reminders.emplace(io, discord_reminder_thread, storage::Platform::discord,
                                  bot::discord::discord_reminder_sender(io, *discord_rest));
    }

    int exit_code = 0;
    std::optional<std::chrono::steady_clock::time_point> deadline;
    asio::signal_set signals(io, SIGINT, SIGTERM);
    auto shut_down = [&] {
        if (deadline) return;
        if (slack_reminders) slack_reminders->stop();
        if (discord_reminders) discord_reminders->stop();
        if (slack) slack->stop();
        if (discord) discord->stop();
        http.close_idle();
        delivery_http.close_idle();
        discord_http.close_idle();
        discord_callbacks.close_idle();
        signals.cancel();
        // Close handshakes are bounded; whatever is still running after this is cut.
        deadline = std::chrono::steady_clock::now() + std::chrono::seconds(3);
    };
    signals.async_wait([&](boost::system::error_code ec, int) {
        if (ec) return;
        spdlog::info("stopping");
        shut_down();
    });
    // A fatal error on one platform stops the process (exit 1): a half-working bot would hide it.
    auto on_fatal = [&](std::string reason) {
        if (reason.empty()) return;  // a requested stop
        exit_code = 1;
        shut_down();
    };
    spdlog::info("funnelbot {}: connecting to {} (database {})", FUNNELBOT_VERSION,
                 slack && discord ? "Slack and Discord"
                 : slack          ? "Slack"
                                  : "Discord",
                 db_path);
    if (slack) {
        slack->start(on_fatal);
        slack_reminders->start();
    }
    if (discord) {
        discord->start(on_fatal);
        discord_reminders->start();
    }
    // Runs until there is no work left (a clean stop) or the shutdown deadline passes.
    while (!io.stopped()) {
        io.run_for(std::chrono::milliseconds(100));
        if (deadline && std::chrono::steady_clock::now() > *deadline) io.stop();
    }
    return exit_code;
}

}  // namespace

int main(int argc, char** argv) {
    auto logger = spdlog::stderr_color_mt("funnelbot");
    spdlog::set_default_logger(logger);
    const auto cfg = bot::read_runtime_config([](const char* name) { return std::getenv(name); });
    spdlog::set_level(spdlog::level::from_str(cfg.config.log_level));

    CLI::App app{"funnelbot — is your sales funnel balanced? Slack/Discord bot and console."};
    app.set_version_flag("--version", std::string("funnelbot ") + FUNNELBOT_VERSION);
    std::string db_path = cfg.config.db_path;
    app.add_option("--db", db_path, "SQLite file (overrides FUNNELBOT_DB)");
    app.require_subcommand(0, 1);

    auto* run =
        app.add_subcommand("run", "Serve Slack and/or Discord (console when no tokens are set)");
    run->add_option("--db", db_path, "SQLite file (overrides FUNNELBOT_DB)");

    std::string as, workspace_id;
    bool demo = false;
    auto* console = app.add_subcommand("console", "Type commands on the local database");
    console->add_option("--db", db_path, "SQLite file (overrides FUNNELBOT_DB)");
    console->add_option("--as", as, "act as this user (created as a rep on first use)");
    console->add_flag("--demo", demo, "fill an empty database with a demo team first");
    console->add_option("--workspace", workspace_id,
                        "a Slack team id or Discord guild id instead of the console's");

    std::string import_file, owner, product;
    auto* import = app.add_subcommand("import", "Import opportunities from a CRM's CSV export");
    import->add_option("file", import_file, "CSV file")->required();
    import->add_option("--db", db_path, "SQLite file (overrides FUNNELBOT_DB)");
    import->add_option("--owner", owner, "every row belongs to this user");
    import->add_option("--product", product, "product line for rows without a product column");
    import->add_option("--workspace", workspace_id, "a Slack team id or Discord guild id");

    std::string remind_at;
    bool dry_run = false;
    auto* remind = app.add_subcommand("remind", "Run the Friday reminder pass as if it were --at");
    remind->add_option("--at", remind_at, "ISO 8601 instant, e.g. 2026-11-27T15:00:00-06:00")
        ->required();
    remind->add_flag("--dry-run", dry_run, "print who would get what; record nothing");
    remind->add_option("--db", db_path, "SQLite file (overrides FUNNELBOT_DB)");

    std::string export_file;
    auto* exp = app.add_subcommand("export", "Export opportunities as CSV");
    exp->add_option("file", export_file, "CSV file to write")->required();
    exp->add_option("--db", db_path, "SQLite file (overrides FUNNELBOT_DB)");
    exp->add_option("--workspace", workspace_id, "a Slack team id or Discord guild id");

    CLI11_PARSE(app, argc, argv);

    if (!cfg.error.empty()) {
        spdlog::error("{}", cfg.error);
        return 2;
    }
    const auto& config = cfg.config;
    try {
        if (*console) return console_main(config, db_path, as, workspace_id, demo, false);
        if (*remind) return remind_main(config, db_path, remind_at, dry_run);
        if (*import) {
            storage::Database db(db_path);
            auto ws = open_workspace(db, workspace_id, config);
            if (!ws) {
                std::cerr << "No workspace \"" << workspace_id << "\" in " << db_path << ".\n";
                return 2;
            }
            commands::Identity operator_id;
            operator_id.platform_user_id = "console";
            operator_id.name = "console";
            operator_id.platform_admin = true;
            commands::ImportOptions options;
            if (!owner.empty()) options.owner = owner;
            if (!product.empty()) options.product = product;
            options.default_owner_id = commands::identify(db, *ws, operator_id).id;
            std::ifstream in(import_file, std::ios::binary);
            if (!in) {
                std::cerr << "Cannot read " << import_file << ".\n";
                return 2;
            }
            auto result = commands::import_csv(db, ws->id, in, options, now_seconds());
            if (!result) {
                std::cerr << "Import failed, nothing was written. " << result.error().message
                          << '\n';
                return 1;
            }
            std::cout << "Imported " << result->rows << " rows: " << result->created << " new, "
                      << result->updated << " updated.\n";
            if (!result->new_lines.empty()) {
                std::cout << "New product lines:";
                for (const auto& l : result->new_lines)
                    std::cout << ' ' << l << ';';
                std::cout << '\n';
            }
            if (!result->placeholder_owners.empty()) {
                std::cout << "New owners (linked when they first use funnelbot):";
                for (const auto& o : result->placeholder_owners)
                    std::cout << ' ' << o << ';';
                std::cout << '\n';
            }
            return 0;
        }
        if (*exp) {
            storage::Database db(db_path);
            auto ws = open_workspace(db, workspace_id, config);
            if (!ws) {
                std::cerr << "No workspace \"" << workspace_id << "\" in " << db_path << ".\n";
                return 2;
            }
            std::ofstream out(export_file, std::ios::binary | std::ios::trunc);
            if (!out) {
                std::cerr << "Cannot write " << export_file << ".\n";
                return 2;
            }
            const int rows = commands::export_csv(db, ws->id, out);
            out.close();
            if (!out) {
                std::cerr << "Writing " << export_file << " failed.\n";
                return 1;
            }
            std::cout << "Exported " << rows << " opportunities to " << export_file << ".\n";
            return 0;
        }
        // `run` or no sub-command.
        if (config.slack_enabled() || config.discord_enabled())
            return serve_platforms(config, db_path);
        return console_main(config, db_path, "", "", false, true);
    } catch (const storage::StorageError& e) {
        spdlog::error("{}", e.what());
        return 1;
    }
}

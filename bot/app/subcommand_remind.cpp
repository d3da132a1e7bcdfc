// `funnelbot remind --at ISO8601 [--dry-run]`: the reminder pass as if it were that instant.
#include <date/date.h>

#include <chrono>
#include <iostream>
#include <optional>
#include <sstream>
#include <thread>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include "bot/app/subcommands.hpp"
#include "bot/discord/reminder_delivery.hpp"
#include "bot/net/https_client.hpp"
#include "bot/net/tls_context.hpp"
#include "bot/slack/reminder_delivery.hpp"
#include "commands/reminders/reminder_pass.hpp"
#include "commands/render/text_renderer.hpp"
#include "commands/workspace/user_directory.hpp"
#include "storage/database.hpp"

#ifndef FUNNELBOT_VERSION
#define FUNNELBOT_VERSION "0.0.0"
#endif

namespace funnelbot::bot {

namespace {

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

}  // namespace

// The reminder pass as if it were `at`: console users' messages are printed; with --dry-run
// everyone's are, and nothing is recorded.
int run_remind(const RuntimeConfig& config, const std::string& db_path, const RemindArgs& args) {
    const std::string& at = args.at;
    const bool dry_run = args.dry_run;
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
    auto tls = make_client_tls_context();
    HttpOptions once;
    once.max_attempts = 1;
    HttpsClient http(io.get_executor(), tls, once);
    std::optional<slack::WebApi> slack;
    const auto api_base = Url::parse(config.slack_api_url);
    if (config.slack_enabled() && api_base) {
        slack.emplace(http, *api_base, *config.slack_app_token, *config.slack_bot_token);
    }
    const HttpOptions discord_options = discord::http_options(FUNNELBOT_VERSION);
    HttpsClient discord_http(io.get_executor(), tls, discord_options);
    std::optional<discord::RestApi> discord;
    const auto discord_base = Url::parse(config.discord_api_url);
    if (config.discord_enabled() && discord_base) {
        discord.emplace(io.get_executor(), discord_http, discord_http,
                        discord::RestApiOptions{*discord_base, *config.discord_bot_token});
    }
    int unsendable = 0;
    commands::ReminderPassOptions options;
    options.dry_run = dry_run;
    const auto counts = commands::run_reminder_pass(
        db, *now, options, [&](const commands::ReminderMessage& m, std::string& reason) {
            if (!dry_run && m.workspace.platform == storage::Platform::slack && slack) {
                const auto delivery = slack::send_reminder_dm(io, *slack, m, reason);
                std::this_thread::sleep_for(std::chrono::milliseconds(250));  // Slack's pace
                return delivery;
            }
            if (!dry_run && m.workspace.platform == storage::Platform::discord && discord) {
                return discord::send_reminder_dm(io, *discord, m, reason);
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

}  // namespace funnelbot::bot

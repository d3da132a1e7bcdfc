#include "bot/app/command_line.hpp"

#include <CLI/CLI.hpp>

#ifndef FUNNELBOT_VERSION
#define FUNNELBOT_VERSION "0.0.0"
#endif

namespace funnelbot::bot {

std::optional<Invocation> parse_command_line(int argc, char** argv, const std::string& default_db,
                                             int& exit_code) {
    Invocation inv;
    inv.db_path = default_db;
    CLI::App app{"funnelbot — is your sales funnel balanced? Slack/Discord bot and console."};
    app.set_version_flag("--version", std::string("funnelbot ") + FUNNELBOT_VERSION);
    app.add_option("--db", inv.db_path, "SQLite file (overrides FUNNELBOT_DB)");
    app.require_subcommand(0, 1);

    auto* run =
        app.add_subcommand("run", "Serve Slack and/or Discord (console when no tokens are set)");
    run->add_option("--db", inv.db_path, "SQLite file (overrides FUNNELBOT_DB)");

    auto* console = app.add_subcommand("console", "Type commands on the local database");
    console->add_option("--db", inv.db_path, "SQLite file (overrides FUNNELBOT_DB)");
    console->add_option("--as", inv.console.as, "act as this user (created as a rep on first use)");
    console->add_flag("--demo", inv.console.demo, "fill an empty database with a demo team first");
    console->add_option("--workspace", inv.console.workspace_id,
                        "a Slack team id or Discord guild id instead of the console's");

    auto* import = app.add_subcommand("import", "Import opportunities from a CRM's CSV export");
    import->add_option("file", inv.import.file, "CSV file")->required();
    import->add_option("--db", inv.db_path, "SQLite file (overrides FUNNELBOT_DB)");
    import->add_option("--owner", inv.import.owner, "every row belongs to this user");
    import->add_option("--product", inv.import.product,
                       "product line for rows without a product column");
    import->add_option("--workspace", inv.import.workspace_id,
                       "a Slack team id or Discord guild id");

    auto* remind = app.add_subcommand("remind", "Run the Friday reminder pass as if it were --at");
    remind->add_option("--at", inv.remind.at, "ISO 8601 instant, e.g. 2026-11-27T15:00:00-06:00")
        ->required();
    remind->add_flag("--dry-run", inv.remind.dry_run, "print who would get what; record nothing");
    remind->add_option("--db", inv.db_path, "SQLite file (overrides FUNNELBOT_DB)");

    auto* exp = app.add_subcommand("export", "Export opportunities as CSV");
    exp->add_option("file", inv.export_csv.file, "CSV file to write")->required();
    exp->add_option("--db", inv.db_path, "SQLite file (overrides FUNNELBOT_DB)");
    exp->add_option("--workspace", inv.export_csv.workspace_id,
                    "a Slack team id or Discord guild id");

    auto* backup = app.add_subcommand(
        "backup", "Copy the database to FILE while the bot runs; the copy is checked");
    backup->add_option("file", inv.backup.file, "the copy to write")->required();
    backup->add_flag("--force", inv.backup.force, "replace FILE if it exists");
    backup->add_option("--db", inv.db_path, "SQLite file (overrides FUNNELBOT_DB)");

    auto* check = app.add_subcommand(
        "check", "Check the database: integrity, schema version, size and row counts");
    check->add_option("--db", inv.db_path, "SQLite file (overrides FUNNELBOT_DB)");

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        exit_code = app.exit(e);
        return std::nullopt;
    }
    if (*console) inv.subcommand = Subcommand::console;
    if (*import) inv.subcommand = Subcommand::import;
    if (*exp) inv.subcommand = Subcommand::export_csv;
    if (*remind) inv.subcommand = Subcommand::remind;
    if (*backup) inv.subcommand = Subcommand::backup;
    if (*check) inv.subcommand = Subcommand::check;
    return inv;
}

}  // namespace funnelbot::bot

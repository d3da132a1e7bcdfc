// funnelbot's sub-commands, one file each; bot/main.cpp picks one from the command line
// (bot/app/command_line.hpp). Each returns the process's exit status (bot/app/exit_status.hpp):
// 0 done, 1 failed, 2 wrong arguments or configuration.
#pragma once

#include <string>

#include "bot/app/runtime_config.hpp"

namespace funnelbot::bot {

struct ConsoleArgs {
    std::string as;                  // --as: act as this user
    std::string workspace_id;        // --workspace: a Slack team id or Discord guild id
    bool demo = false;               // --demo: fill an empty database with the demo team first
    bool explain_platforms = false;  // started because no platform token is set: say so
};

struct ImportArgs {
    std::string file;
    std::string owner;    // --owner: every row belongs to this user
    std::string product;  // --product: the line of rows without a product column
    std::string workspace_id;
};

struct ExportArgs {
    std::string file;
    std::string workspace_id;
};

struct RemindArgs {
    std::string at;  // ISO 8601 instant with its offset
    bool dry_run = false;
};

struct BackupArgs {
    std::string file;    // where the copy goes
    bool force = false;  // --force: replace an existing file
};

int run_console(const RuntimeConfig& config, const std::string& db_path, const ConsoleArgs& args);
int run_import(const RuntimeConfig& config, const std::string& db_path, const ImportArgs& args);
int run_export(const RuntimeConfig& config, const std::string& db_path, const ExportArgs& args);
int run_remind(const RuntimeConfig& config, const std::string& db_path, const RemindArgs& args);
// A checked copy of the database, taken while the bot may be running.
int run_backup(const std::string& db_path, const BackupArgs& args);
// Integrity, schema version, sizes and row counts; 0 only when the file is sound and usable.
int run_check(const std::string& db_path);
// Serves the configured platforms until SIGINT/SIGTERM or a fatal error (exit 1).
int run_platforms(const RuntimeConfig& config, const std::string& db_path);

}  // namespace funnelbot::bot

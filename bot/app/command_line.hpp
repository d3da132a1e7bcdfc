// The command line (CLI11): which sub-command, with which arguments. Parsing only; bot/main.cpp
// runs what it names.
#pragma once

#include <optional>
#include <string>

#include "bot/app/subcommands.hpp"

namespace funnelbot::bot {

enum class Subcommand { serve, console, import, export_csv, remind, backup, check };

struct Invocation {
    Subcommand subcommand = Subcommand::serve;  // `run`, or no sub-command
    std::string db_path;
    ConsoleArgs console;
    ImportArgs import;
    ExportArgs export_csv;
    RemindArgs remind;
    BackupArgs backup;
};

// Parses argv. Returns the invocation, or sets `exit_code` (0 after --help or --version, else
// CLI11's error status, its message already printed) and returns nullopt.
std::optional<Invocation> parse_command_line(int argc, char** argv, const std::string& default_db,
                                             int& exit_code);

}  // namespace funnelbot::bot

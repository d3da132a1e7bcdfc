// `funnelbot backup FILE`: a checked copy of the database, while the bot may be running.
#include <iostream>

#include "bot/app/exit_status.hpp"
#include "bot/app/subcommands.hpp"
#include "storage/online_backup.hpp"

namespace funnelbot::bot {

int run_backup(const std::string& db_path, const BackupArgs& args) {
    storage::BackupOptions options;
    options.overwrite = args.force;
    const auto result = storage::online_backup(db_path, args.file, options);
    switch (result.problem) {
        case storage::BackupProblem::source_missing:
            std::cerr << "No database at " << db_path
                      << ": name it with --db or FUNNELBOT_DB. Nothing was written.\n";
            return exit_code(ExitStatus::configuration);
        case storage::BackupProblem::target_exists:
            std::cerr << args.file
                      << " already exists: choose another name, or add --force to replace it. "
                         "Nothing was written.\n";
            return exit_code(ExitStatus::configuration);
        case storage::BackupProblem::target_is_source:
            std::cerr << args.file
                      << " is the database itself: choose another file. Nothing was "
                         "written.\n";
            return exit_code(ExitStatus::configuration);
        case storage::BackupProblem::target_dir_missing:
            std::cerr << "The directory of " << args.file
                      << " does not exist: create it or choose another. Nothing was written.\n";
            return exit_code(ExitStatus::configuration);
        case storage::BackupProblem::none:
            break;
    }
    std::cout << "Backed up " << db_path << " to " << args.file << ": " << result.pages
              << " pages, " << result.bytes << " bytes, schema version " << result.schema_version
              << ". The copy passed its integrity check.\n";
    return exit_code(ExitStatus::ok);
}

}  // namespace funnelbot::bot

// `funnelbot export FILE.csv`: one workspace's opportunities in our own columns.
#include <fstream>
#include <iostream>

#include "bot/app/subcommands.hpp"
#include "commands/csv/csv_export.hpp"
#include "commands/workspace/local_workspace.hpp"

namespace funnelbot::bot {

int run_export(const RuntimeConfig& config, const std::string& db_path, const ExportArgs& args) {
    storage::Database db(db_path);
    auto ws = commands::local_workspace(db, args.workspace_id, config.default_tz);
    if (!ws) {
        std::cerr << "No workspace \"" << args.workspace_id << "\" in " << db_path << ".\n";
        return 2;
    }
    std::ofstream out(args.file, std::ios::binary | std::ios::trunc);
    if (!out) {
        std::cerr << "Cannot write " << args.file << ".\n";
        return 2;
    }
    const int rows = commands::export_csv(db, ws->id, out);
    out.close();
    if (!out) {
        std::cerr << "Writing " << args.file << " failed.\n";
        return 1;
    }
    std::cout << "Exported " << rows << " opportunities to " << args.file << ".\n";
    return 0;
}

}  // namespace funnelbot::bot

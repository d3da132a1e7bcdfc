// `funnelbot import FILE.csv`: a CRM export into one workspace, all or nothing.
#include <chrono>
#include <fstream>
#include <iostream>

#include "bot/app/subcommands.hpp"
#include "commands/csv/csv_import.hpp"
#include "commands/workspace/local_workspace.hpp"
#include "commands/workspace/user_directory.hpp"

namespace funnelbot::bot {

int run_import(const RuntimeConfig& config, const std::string& db_path, const ImportArgs& args) {
    storage::Database db(db_path);
    auto ws = commands::local_workspace(db, args.workspace_id, config.default_tz);
    if (!ws) {
        std::cerr << "No workspace \"" << args.workspace_id << "\" in " << db_path << ".\n";
        return 2;
    }
    commands::Identity operator_id;
    operator_id.platform_user_id = "console";
    operator_id.name = "console";
    operator_id.platform_admin = true;
    commands::ImportOptions options;
    if (!args.owner.empty()) options.owner = args.owner;
    if (!args.product.empty()) options.product = args.product;
    options.default_owner_id = commands::identify(db, *ws, operator_id).id;
    std::ifstream in(args.file, std::ios::binary);
    if (!in) {
        std::cerr << "Cannot read " << args.file << ".\n";
        return 2;
    }
    const auto now =
        std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
    auto result = commands::import_csv(db, ws->id, in, options, now);
    if (!result) {
        std::cerr << "Import failed, nothing was written. " << result.error().message << '\n';
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
    if (!result->unlinked_owners.empty()) {
        std::cout << "Owners not linked to a person yet:";
        for (const auto& o : result->unlinked_owners)
            std::cout << ' ' << o << ';';
        std::cout << "\nTheir rows wait under those names. An admin links each with /funnel-admin "
                     "user link \"<owner>\" @person; an owner with an e-mail address (the owner "
                     "column or an Owner Email column) is linked when someone with that address "
                     "on Slack first uses funnelbot.\n";
    }
    return 0;
}

}  // namespace funnelbot::bot

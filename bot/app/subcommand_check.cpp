// `funnelbot check`: is the database sound, and can this funnelbot run on it? Reads only.
#include <iostream>

#include "bot/app/exit_status.hpp"
#include "bot/app/subcommands.hpp"
#include "storage/integrity_report.hpp"

namespace funnelbot::bot {

namespace {

void print_problems(const char* title, const std::vector<std::string>& problems) {
    if (problems.empty()) {
        std::cout << title << ": ok\n";
        return;
    }
    std::cout << title << ": " << problems.size() << " problem(s)\n";
    for (const auto& p : problems)
        std::cout << "  " << p << '\n';
}

}  // namespace

int run_check(const std::string& db_path) {
    const auto report = storage::check_integrity(db_path);
    if (!report.exists) {
        std::cerr << "No database at " << db_path << ": name it with --db or FUNNELBOT_DB.\n";
        return exit_code(ExitStatus::configuration);
    }
    std::cout << "Database " << db_path << ": " << report.file_bytes << " bytes";
    if (report.wal_bytes > 0) std::cout << " (+ " << report.wal_bytes << " in its write-ahead log)";
    std::cout << '\n';
    if (!report.open_error.empty()) {
        std::cout << "Cannot read it as a database: " << report.open_error
                  << "\nNOT OK: restore the latest backup (funnelbot backup makes one).\n";
        return exit_code(ExitStatus::failure);
    }
    std::cout << "Schema version " << report.schema_version;
    if (report.schema_too_new()) {
        std::cout << ": newer than this funnelbot (" << report.supported_version
                  << "), which will not start on it. Upgrade funnelbot.\n";
    } else if (report.schema_version < report.supported_version) {
        std::cout << ": funnelbot migrates it to " << report.supported_version
                  << " when it next starts (back it up first).\n";
    } else {
        std::cout << " (current)\n";
    }
    print_problems("Integrity", report.integrity_problems);
    print_problems("Foreign keys", report.foreign_key_problems);
    std::cout << "Rows:";
    const char* separator = " ";
    for (const auto& t : report.row_counts) {
        std::cout << separator << t.table << ' ' << t.rows;
        separator = ", ";
    }
    std::cout << '\n';
    if (!report.ok()) {
        std::cout << "NOT OK\n";
        return exit_code(ExitStatus::failure);
    }
    std::cout << "OK\n";
    return exit_code(ExitStatus::ok);
}

}  // namespace funnelbot::bot

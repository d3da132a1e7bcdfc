// A real SQLite file in a fresh temporary directory, removed when the test ends.
#pragma once

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <atomic>
#include <filesystem>
#include <random>
#include <string>

#include "storage/sql_support.hpp"

namespace funnelbot::testing {

class TempDir {
public:
    TempDir() {
        std::random_device rd;
        path_ = std::filesystem::temp_directory_path() /
                ("funnelbot-test-" + std::to_string(rd()) + "-" + std::to_string(rd()));
        std::filesystem::create_directories(path_);
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    std::filesystem::path path() const { return path_; }
    std::string file(const std::string& name) const { return (path_ / name).string(); }

private:
    std::filesystem::path path_;
};

// Every row of every table, in a stable order: two equal snapshots mean nothing changed.
inline std::string snapshot(SQLite::Database& db) {
    std::string out;
    SQLite::Statement tables(
        db,
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE "
        "'sqlite_%' ORDER BY name");
    while (tables.executeStep()) {
        const std::string table = tables.getColumn(0).getString();
        out += "[" + table + "]\n";
        // Table names come from sqlite_master, not from users.
        SQLite::Statement rows(db, "SELECT * FROM \"" + table + "\" ORDER BY 1, 2");
        while (rows.executeStep()) {
            for (int i = 0; i < rows.getColumnCount(); ++i) {
                out += rows.getColumn(i).isNull() ? std::string("NULL")
                                                  : rows.getColumn(i).getString();
                out += '|';
            }
            out += '\n';
        }
    }
    return out;
}

inline std::string snapshot(storage::Database& db) {
    return snapshot(storage::detail::sql(db));
}

}  // namespace funnelbot::testing

#include "storage/integrity_report.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Exception.h>
#include <SQLiteCpp/Statement.h>

#include <filesystem>

#include "storage/database.hpp"

namespace funnelbot::storage {

namespace {

namespace fs = std::filesystem;

constexpr int kBusyTimeoutMs = 5000;

// A table name from the file itself, quoted as an SQL identifier (names cannot be bound).
std::string quoted_identifier(const std::string& name) {
    std::string out = "\"";
    for (char c : name) {
        out += c;
        if (c == '"') out += '"';
    }
    return out + "\"";
}

std::vector<std::string> integrity_problems(SQLite::Database& db, int max_problems) {
    std::vector<std::string> problems;
    // https://www.sqlite.org/pragma.html#pragma_integrity_check: one "ok" row when sound.
    SQLite::Statement st(db, "PRAGMA integrity_check(" + std::to_string(max_problems) + ")");
    while (st.executeStep()) {
        std::string line = st.getColumn(0).getString();
        if (line != "ok") problems.push_back(std::move(line));
    }
    return problems;
}

std::vector<std::string> foreign_key_problems(SQLite::Database& db, int max_problems) {
    std::vector<std::string> problems;
    // https://www.sqlite.org/pragma.html#pragma_foreign_key_check: table, rowid, parent, fkid.
    SQLite::Statement st(db, "PRAGMA foreign_key_check");
    while (st.executeStep()) {
        if (static_cast<int>(problems.size()) >= max_problems) {
            problems.push_back("… and more");
            break;
        }
        const auto row = st.getColumn(1);
        problems.push_back(st.getColumn(0).getString() + " row " +
                           (row.isNull() ? std::string("?") : row.getString()) +
                           " refers to a missing row of " + st.getColumn(2).getString());
    }
    return problems;
}

std::vector<TableRows> row_counts(SQLite::Database& db, std::vector<std::string>& problems) {
    std::vector<std::string> tables;
    SQLite::Statement list(db,
                           "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE "
                           "'sqlite\\_%' ESCAPE '\\' ORDER BY name");
    while (list.executeStep())
        tables.push_back(list.getColumn(0).getString());
    std::vector<TableRows> counts;
    for (const auto& table : tables) {
        try {
            counts.push_back(TableRows{
                table,
                db.execAndGet("SELECT count(*) FROM " + quoted_identifier(table)).getInt64()});
        } catch (const SQLite::Exception& e) {
            problems.push_back("table " + table + " cannot be read: " + e.what());
        }
    }
    return counts;
}

}  // namespace

IntegrityReport check_integrity(const std::string& path, int max_problems) {
    IntegrityReport report;
    report.supported_version = Database::kSchemaVersion;
    std::error_code ec;
    report.exists = fs::is_regular_file(path, ec);
    if (!report.exists) return report;
    report.file_bytes = fs::file_size(path, ec);
    if (fs::exists(path + "-wal", ec)) report.wal_bytes = fs::file_size(path + "-wal", ec);
    try {
        // Read-only and without creating: a check never changes the file it checks.
        SQLite::Database db(path, SQLite::OPEN_READONLY | SQLite::OPEN_NOMUTEX, kBusyTimeoutMs);
        report.schema_version = db.execAndGet("PRAGMA user_version").getInt();
    } catch (const SQLite::Exception& e) {
        report.open_error = e.what();
        return report;
    }
    // Each check on its own connection and its own failure: a corrupt page that stops one
    // check should not hide what the others find.
    const auto run = [&](const char* what, const auto& check) {
        try {
            SQLite::Database db(path, SQLite::OPEN_READONLY | SQLite::OPEN_NOMUTEX, kBusyTimeoutMs);
            check(db);
        } catch (const SQLite::Exception& e) {
            report.integrity_problems.push_back(std::string(what) + " stopped: " + e.what());
        }
    };
    run("integrity_check", [&](SQLite::Database& db) {
        auto found = integrity_problems(db, max_problems);
        report.integrity_problems.insert(report.integrity_problems.end(), found.begin(),
                                         found.end());
    });
    run("foreign_key_check", [&](SQLite::Database& db) {
        report.foreign_key_problems = foreign_key_problems(db, max_problems);
    });
    run("counting rows", [&](SQLite::Database& db) {
        report.row_counts = row_counts(db, report.integrity_problems);
    });
    return report;
}

}  // namespace funnelbot::storage

// `check` on real files: a sound file, a file with flipped bytes, a file of a future schema
// version; nothing is ever written to the file checked.
#include "storage/integrity_report.hpp"

#include <SQLiteCpp/Transaction.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>

#include "storage_test_support.hpp"

namespace funnelbot::storage {
namespace {

using testing::TempDir;

// A migrated database with one workspace and `settings` rows of about 500 bytes.
void make_database(const std::string& path, int settings) {
    Database db(path);
    auto& sql = detail::sql(db);
    sql.exec("INSERT INTO workspaces (platform, external_id) VALUES ('console', 'console')");
    SQLite::Transaction tx(sql);
    SQLite::Statement insert(sql, "INSERT INTO app_settings (key, value) VALUES (?, ?)");
    for (int i = 0; i < settings; ++i) {
        insert.bind(1, "k" + std::to_string(i));
        insert.bind(2, std::string(500, 'v'));
        insert.exec();
        insert.reset();
    }
    tx.commit();
}

std::string bytes_of(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

// Overwrites `count` bytes at `offset` with a pattern no valid page holds there.
void flip_bytes(const std::string& path, std::streamoff offset, int count) {
    std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(offset);
    for (int i = 0; i < count; ++i)
        f.put(static_cast<char>(0xA5 ^ i));
}

std::int64_t rows_of(const IntegrityReport& report, const std::string& table) {
    const auto it = std::find_if(report.row_counts.begin(), report.row_counts.end(),
                                 [&](const TableRows& t) { return t.table == table; });
    return it == report.row_counts.end() ? -1 : it->rows;
}

TEST(IntegrityReport, ASoundFileIsOkWithItsVersionSizeAndRows) {
    TempDir dir;
    const std::string path = dir.file("funnelbot.db");
    make_database(path, 40);
    const std::string before = bytes_of(path);
    const IntegrityReport report = check_integrity(path);
    EXPECT_TRUE(report.ok());
    EXPECT_TRUE(report.open_error.empty()) << report.open_error;
    EXPECT_TRUE(report.integrity_problems.empty());
    EXPECT_TRUE(report.foreign_key_problems.empty());
    EXPECT_EQ(report.schema_version, Database::kSchemaVersion);
    EXPECT_EQ(report.supported_version, Database::kSchemaVersion);
    EXPECT_EQ(report.file_bytes, std::filesystem::file_size(path));
    EXPECT_EQ(rows_of(report, "app_settings"), 40);
    EXPECT_EQ(rows_of(report, "workspaces"), 1);
    EXPECT_EQ(rows_of(report, "opportunities"), 0);
    EXPECT_TRUE(
        std::is_sorted(report.row_counts.begin(), report.row_counts.end(),
                       [](const TableRows& a, const TableRows& b) { return a.table < b.table; }));
    EXPECT_EQ(bytes_of(path), before) << "a check never writes";
}

TEST(IntegrityReport, FlippedBytesInATableAreFound) {
    TempDir dir;
    const std::string path = dir.file("funnelbot.db");
    make_database(path, 200);
    int page_size = 0;
    int root = 0;
    {
        SQLite::Database db(path, SQLite::OPEN_READONLY);
        page_size = db.execAndGet("PRAGMA page_size").getInt();
        root = db.execAndGet("SELECT rootpage FROM sqlite_schema WHERE name = 'app_settings'")
                   .getInt();
    }
    // The table's root page: its b-tree header and cell pointers.
    flip_bytes(path, static_cast<std::streamoff>(root - 1) * page_size, 24);
    const IntegrityReport report = check_integrity(path);
    EXPECT_FALSE(report.ok());
    EXPECT_TRUE(report.exists);
    EXPECT_FALSE(report.integrity_problems.empty());
}

TEST(IntegrityReport, AFileThatIsNoDatabaseSaysSo) {
    TempDir dir;
    const std::string path = dir.file("funnelbot.db");
    make_database(path, 5);
    flip_bytes(path, 0, 16);  // the "SQLite format 3" header
    const IntegrityReport report = check_integrity(path);
    EXPECT_FALSE(report.ok());
    EXPECT_NE(report.open_error.find("not a database"), std::string::npos) << report.open_error;
}

TEST(IntegrityReport, AFutureSchemaVersionIsNotOk) {
    TempDir dir;
    const std::string path = dir.file("funnelbot.db");
    make_database(path, 5);
    {
        SQLite::Database db(path, SQLite::OPEN_READWRITE);
        db.exec("PRAGMA user_version = " + std::to_string(Database::kSchemaVersion + 1));
    }
    const IntegrityReport report = check_integrity(path);
    EXPECT_TRUE(report.integrity_problems.empty());
    EXPECT_TRUE(report.schema_too_new());
    EXPECT_EQ(report.schema_version, Database::kSchemaVersion + 1);
    EXPECT_FALSE(report.ok());
}

TEST(IntegrityReport, AnOrphanedRowIsAForeignKeyProblem) {
    TempDir dir;
    const std::string path = dir.file("funnelbot.db");
    make_database(path, 1);
    {
        SQLite::Database db(path, SQLite::OPEN_READWRITE);
        db.exec("PRAGMA foreign_keys = OFF");
        db.exec("INSERT INTO settings (workspace_id, key, value) VALUES (99, 'k', 'v')");
    }
    const IntegrityReport report = check_integrity(path);
    EXPECT_FALSE(report.ok());
    ASSERT_EQ(report.foreign_key_problems.size(), 1u);
    EXPECT_EQ(report.foreign_key_problems[0],
              "settings row 1 refers to a missing row of workspaces");
}

TEST(IntegrityReport, AMissingFileIsNotCreated) {
    TempDir dir;
    const IntegrityReport report = check_integrity(dir.file("nope.db"));
    EXPECT_FALSE(report.exists);
    EXPECT_FALSE(report.ok());
    EXPECT_FALSE(std::filesystem::exists(dir.file("nope.db")));
}

}  // namespace
}  // namespace funnelbot::storage

// The online backup on real files: a copy taken while another connection keeps writing opens,
// passes integrity_check and holds every row committed before it started (and a consistent
// prefix of the rows committed while it ran); an existing target is never replaced without
// being told to.
#include "storage/online_backup.hpp"

#include <SQLiteCpp/Transaction.h>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include "storage_test_support.hpp"

namespace funnelbot::storage {
namespace {

using namespace std::chrono_literals;
using testing::TempDir;

// A migrated database with `rows` settings rows of about 1 KB each (hundreds of pages).
void fill(const std::string& path, int rows) {
    Database db(path);
    auto& sql = detail::sql(db);
    SQLite::Transaction tx(sql);
    SQLite::Statement insert(sql, "INSERT INTO app_settings (key, value) VALUES (?, ?)");
    for (int i = 0; i < rows; ++i) {
        insert.bind(1, "seed-" + std::to_string(i));
        insert.bind(2, std::string(1000, static_cast<char>('a' + i % 26)));
        insert.exec();
        insert.reset();
    }
    tx.commit();
}

std::string integrity_of(const std::string& path) {
    SQLite::Database db(path, SQLite::OPEN_READONLY);
    return db.execAndGet("PRAGMA integrity_check").getString();
}

std::int64_t count_of(const std::string& path, const std::string& where) {
    SQLite::Database db(path, SQLite::OPEN_READONLY);
    return db.execAndGet("SELECT count(*) FROM app_settings WHERE " + where).getInt64();
}

TEST(OnlineBackup, ACopyTakenWhileAnotherConnectionWritesIsSoundAndComplete) {
    TempDir dir;
    const std::string source = dir.file("live.db");
    const std::string copy = dir.file("copy.db");
    fill(source, 2000);

    // The writer commits one row at a time, numbered; `committed` is the count so far.
    std::atomic<int> committed{0};
    std::atomic<bool> stop{false};
    std::thread writer([&] {
        Database db(source);
        auto& sql = detail::sql(db);
        SQLite::Statement insert(sql, "INSERT INTO app_settings (key, value) VALUES (?, 'x')");
        const auto deadline = std::chrono::steady_clock::now() + 60s;
        for (int i = 0; i < 200'000 && !stop && std::chrono::steady_clock::now() < deadline; ++i) {
            char key[32];
            std::snprintf(key, sizeof key, "live-%08d", i);
            insert.bind(1, key);
            insert.exec();
            insert.reset();
            committed = i + 1;
        }
    });
    while (committed < 50)
        std::this_thread::yield();

    BackupOptions options;
    options.pages_per_step = 8;  // many steps
    // After the first step, let the writer commit 20 more rows: writes land in the middle of the
    // copy for certain, and SQLite must start the copy over.
    const int before = committed;
    bool waited = false;
    options.after_step = [&](int, int) {
        if (waited) return;
        waited = true;
        const auto deadline = std::chrono::steady_clock::now() + 10s;
        while (committed < before + 20 && std::chrono::steady_clock::now() < deadline)
            std::this_thread::sleep_for(1ms);
    };
    const BackupResult result = online_backup(source, copy, options);
    const int after = committed;
    stop = true;
    writer.join();

    ASSERT_EQ(result.problem, BackupProblem::none);
    ASSERT_GE(after, before + 20) << "the writer did not write during the copy";
    EXPECT_GE(result.restarts, 1) << "a write by another connection restarts the copy";
    EXPECT_LE(result.restarts, options.max_restarts) << "then the rest is copied in one step";
    EXPECT_GT(result.steps, 2);
    EXPECT_GT(result.pages, 250);
    EXPECT_EQ(result.schema_version, Database::kSchemaVersion);
    EXPECT_EQ(result.bytes, std::filesystem::file_size(copy));
    EXPECT_EQ(integrity_of(copy), "ok");
    EXPECT_EQ(count_of(copy, "key LIKE 'seed-%'"), 2000);
    // Every row committed before the copy started over is there; of the rows committed while it
    // ran, a prefix (the copy is one snapshot: never a row without the rows before it).
    const std::int64_t live = count_of(copy, "key LIKE 'live-%'");
    EXPECT_GE(live, before + 20);
    EXPECT_LE(live, after);
    char last[32];
    std::snprintf(last, sizeof last, "live-%08lld", static_cast<long long>(live - 1));
    EXPECT_EQ(count_of(copy, "key <= '" + std::string(last) + "' AND key LIKE 'live-%'"), live);
    // One self-contained file: no WAL beside it, and funnelbot opens it.
    EXPECT_FALSE(std::filesystem::exists(copy + "-wal"));
    EXPECT_FALSE(std::filesystem::exists(copy + ".partial"));
    Database reopened(copy);
    EXPECT_EQ(reopened.schema_version(), Database::kSchemaVersion);
}

TEST(OnlineBackup, ACopyOfAQuietDatabaseHoldsEveryRow) {
    TempDir dir;
    const std::string source = dir.file("quiet.db");
    fill(source, 300);
    const BackupResult result = online_backup(source, dir.file("copy.db"));
    ASSERT_EQ(result.problem, BackupProblem::none);
    EXPECT_EQ(result.restarts, 0);
    EXPECT_EQ(count_of(dir.file("copy.db"), "1"), 300);
}

TEST(OnlineBackup, AnExistingTargetIsKeptUnlessOverwriteIsAsked) {
    TempDir dir;
    const std::string source = dir.file("funnelbot.db");
    const std::string target = dir.file("backup.db");
    fill(source, 10);
    {
        std::ofstream out(target);
        out << "precious";
    }
    EXPECT_EQ(online_backup(source, target).problem, BackupProblem::target_exists);
    std::ifstream in(target);
    std::string kept;
    std::getline(in, kept);
    EXPECT_EQ(kept, "precious");
    EXPECT_FALSE(std::filesystem::exists(target + ".partial"));

    BackupOptions force;
    force.overwrite = true;
    ASSERT_EQ(online_backup(source, target, force).problem, BackupProblem::none);
    EXPECT_EQ(integrity_of(target), "ok");
    EXPECT_EQ(count_of(target, "1"), 10);
}

TEST(OnlineBackup, AMissingSourceOrTheSourceAsTargetWritesNothing) {
    TempDir dir;
    EXPECT_EQ(online_backup(dir.file("nope.db"), dir.file("copy.db")).problem,
              BackupProblem::source_missing);
    EXPECT_FALSE(std::filesystem::exists(dir.file("nope.db"))) << "no empty database created";
    EXPECT_FALSE(std::filesystem::exists(dir.file("copy.db")));

    const std::string source = dir.file("funnelbot.db");
    fill(source, 5);
    BackupOptions force;
    force.overwrite = true;
    EXPECT_EQ(online_backup(source, source, force).problem, BackupProblem::target_is_source);
    EXPECT_EQ(count_of(source, "1"), 5);
}

TEST(OnlineBackup, ATargetInAMissingDirectoryWritesNothing) {
    TempDir dir;
    const std::string source = dir.file("funnelbot.db");
    fill(source, 5);
    const std::string target = dir.file("no-such-dir/copy.db");
    EXPECT_EQ(online_backup(source, target).problem, BackupProblem::target_dir_missing);
    EXPECT_FALSE(std::filesystem::exists(dir.file("no-such-dir")));
}

TEST(OnlineBackup, ACopyThatCannotBeWrittenThrowsAndLeavesNoPartialFile) {
    TempDir dir;
    const std::string source = dir.file("funnelbot.db");
    fill(source, 5);
    // A directory (not empty, so not taken for a stale copy) where the partial copy would go:
    // SQLite cannot open it as a file.
    const std::string target = dir.file("copy.db");
    std::filesystem::create_directory(target + ".partial");
    std::ofstream(target + ".partial/keep") << "x";
    EXPECT_THROW(online_backup(source, target), StorageError);
    EXPECT_FALSE(std::filesystem::exists(target));
}

}  // namespace
}  // namespace funnelbot::storage

// The operator's commands on the real binary: `backup` and `check` (their messages and exit
// statuses, bot/app/exit_status.hpp) and FUNNELBOT_LOG_FORMAT (a JSON line per log line, no
// secret in it, a clear error for a wrong value).
#include <SQLiteCpp/Database.h>
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "storage/database.hpp"
#include "tests/support/child_process.hpp"
#include "tests/support/temp_database.hpp"

namespace funnelbot::testing {
namespace {

using namespace std::chrono_literals;

struct CliRun {
    int status = -1;
    std::string output;  // stdout and stderr
};

class OperationsCliTest : public ::testing::Test {
protected:
    CliRun run(const std::vector<std::string>& args,
               const std::map<std::string, std::string>& env = {}) {
        const std::string log = dir_.file("out-" + std::to_string(++runs_) + ".log");
        ChildProcess child(FUNNELBOT_BINARY, args, env, log);
        const auto status = child.wait(60s);
        return CliRun{status.value_or(-1), read_file(log)};
    }

    // A database with the demo team (the console fills it), as a user would have one.
    std::string demo_database() {
        const std::string db = dir_.file("funnelbot.db");
        const CliRun demo = run({"console", "--demo", "--db", db});
        EXPECT_EQ(demo.status, 0) << demo.output;
        return db;
    }

    TempDir dir_;
    int runs_ = 0;
};

TEST_F(OperationsCliTest, BackupWritesACheckedCopyAndNeverReplacesAFileUnasked) {
    const std::string db = demo_database();
    const std::string copy = dir_.file("backup.db");
    const CliRun first = run({"backup", copy, "--db", db});
    ASSERT_EQ(first.status, 0) << first.output;
    EXPECT_NE(first.output.find("Backed up " + db + " to " + copy), std::string::npos)
        << first.output;
    EXPECT_NE(first.output.find("The copy passed its integrity check."), std::string::npos)
        << first.output;
    {
        SQLite::Database a(db, SQLite::OPEN_READONLY);
        SQLite::Database b(copy, SQLite::OPEN_READONLY);
        const char* count = "SELECT count(*) FROM opportunities";
        EXPECT_GT(a.execAndGet(count).getInt64(), 0);
        EXPECT_EQ(a.execAndGet(count).getInt64(), b.execAndGet(count).getInt64());
    }

    const auto size = std::filesystem::file_size(copy);
    const CliRun again = run({"backup", copy, "--db", db});
    EXPECT_EQ(again.status, 2) << again.output;
    EXPECT_NE(
        again.output.find(copy + " already exists: choose another name, or add --force to replace "
                                 "it. Nothing was written."),
        std::string::npos)
        << again.output;
    EXPECT_EQ(std::filesystem::file_size(copy), size);

    const CliRun forced = run({"backup", copy, "--force", "--db", db});
    EXPECT_EQ(forced.status, 0) << forced.output;

    const CliRun missing = run({"backup", dir_.file("x.db"), "--db", dir_.file("nope.db")});
    EXPECT_EQ(missing.status, 2) << missing.output;
    EXPECT_NE(missing.output.find("No database at " + dir_.file("nope.db")), std::string::npos)
        << missing.output;
    EXPECT_FALSE(std::filesystem::exists(dir_.file("nope.db")));

    const CliRun no_dir = run({"backup", dir_.file("no-dir/b.db"), "--db", db});
    EXPECT_EQ(no_dir.status, 2) << no_dir.output;
    EXPECT_NE(no_dir.output.find("The directory of " + dir_.file("no-dir/b.db") +
                                 " does not exist: create it or choose another. Nothing was "
                                 "written."),
              std::string::npos)
        << no_dir.output;
}

TEST_F(OperationsCliTest, CheckSaysOkForASoundFile) {
    const std::string db = demo_database();
    const CliRun check = run({"check"}, {{"FUNNELBOT_DB", db}});
    EXPECT_EQ(check.status, 0) << check.output;
    EXPECT_NE(check.output.find("Schema version " +
                                std::to_string(storage::Database::kSchemaVersion) + " (current)"),
              std::string::npos)
        << check.output;
    EXPECT_NE(check.output.find("Integrity: ok"), std::string::npos) << check.output;
    EXPECT_NE(check.output.find("Foreign keys: ok"), std::string::npos) << check.output;
    EXPECT_NE(check.output.find(" opportunities "), std::string::npos) << check.output;
    EXPECT_NE(check.output.find("\nOK\n"), std::string::npos) << check.output;
}

TEST_F(OperationsCliTest, CheckFailsOnACorruptedCopy) {
    const std::string db = demo_database();
    const std::string broken = dir_.file("broken.db");
    std::filesystem::copy_file(db, broken);
    int page_size = 0;
    int root = 0;
    {
        SQLite::Database file(broken, SQLite::OPEN_READONLY);
        page_size = file.execAndGet("PRAGMA page_size").getInt();
        root = file.execAndGet("SELECT rootpage FROM sqlite_schema WHERE name = 'opportunities'")
                   .getInt();
    }
    {
        std::fstream f(broken, std::ios::in | std::ios::out | std::ios::binary);
        f.seekp(static_cast<std::streamoff>(root - 1) * page_size);
        for (int i = 0; i < 24; ++i)
            f.put(static_cast<char>(0x5A ^ i));
    }
    const CliRun check = run({"check", "--db", broken});
    EXPECT_EQ(check.status, 1) << check.output;
    EXPECT_NE(check.output.find("NOT OK"), std::string::npos) << check.output;
    EXPECT_EQ(check.output.find("Integrity: ok"), std::string::npos) << check.output;
}

TEST_F(OperationsCliTest, CheckFailsOnAFutureSchemaVersionAndSaysToUpgrade) {
    const std::string db = demo_database();
    const int future = storage::Database::kSchemaVersion + 7;
    {
        SQLite::Database file(db, SQLite::OPEN_READWRITE);
        file.exec("PRAGMA user_version = " + std::to_string(future));
    }
    const CliRun check = run({"check", "--db", db});
    EXPECT_EQ(check.status, 1) << check.output;
    EXPECT_NE(check.output.find("Schema version " + std::to_string(future) +
                                ": newer than this funnelbot (" +
                                std::to_string(storage::Database::kSchemaVersion) +
                                "), which will not start on it. Upgrade funnelbot."),
              std::string::npos)
        << check.output;
    EXPECT_NE(check.output.find("Integrity: ok"), std::string::npos) << check.output;
}

TEST_F(OperationsCliTest, AWrongLogFormatStopsAtStartWithStatusTwo) {
    const CliRun r = run({"check", "--db", dir_.file("x.db")}, {{"FUNNELBOT_LOG_FORMAT", "xml"}});
    EXPECT_EQ(r.status, 2) << r.output;
    EXPECT_NE(r.output.find("FUNNELBOT_LOG_FORMAT must be text (human lines, the default) or json "
                            "(one JSON object a line); not \"xml\"."),
              std::string::npos)
        << r.output;
}

// As a service (NOTIFY_SOCKET set) without a token there is nobody for the console: status 2 and
// what to set, instead of a console that ends at once on /dev/null.
TEST_F(OperationsCliTest, AServiceWithoutATokenSaysWhatToSet) {
    const CliRun r =
        run({"run", "--db", dir_.file("x.db")}, {{"NOTIFY_SOCKET", dir_.file("no-such.sock")}});
    EXPECT_EQ(r.status, 2) << r.output;
    EXPECT_NE(r.output.find("no platform token is set"), std::string::npos) << r.output;
}

TEST_F(OperationsCliTest, JsonLogLinesAreValidAndCarryNoSecret) {
    // A database path that carries a token: the error line names the path, never the token.
    const std::string secret = "xoxb-2222222222-3333333333-SeCrEtSeCrEtSeCrEt";
    const std::string db = dir_.file("no-such-dir/" + secret + "/funnelbot.db");
    const CliRun r =
        run({"export", dir_.file("out.csv"), "--db", db}, {{"FUNNELBOT_LOG_FORMAT", "json"}});
    EXPECT_EQ(r.status, 1) << r.output;
    EXPECT_EQ(r.output.find(secret), std::string::npos) << r.output;
    std::istringstream lines(r.output);
    int parsed = 0;
    for (std::string line; std::getline(lines, line);) {
        const auto j = nlohmann::json::parse(line, nullptr, false);
        ASSERT_TRUE(j.is_object()) << "not one JSON object: " << line;
        EXPECT_EQ(j.at("level"), "error") << line;
        EXPECT_NE(j.at("message").get<std::string>().find("open database"), std::string::npos)
            << line;
        EXPECT_NE(j.at("message").get<std::string>().find("xoxb-[redacted]"), std::string::npos)
            << line;
        ++parsed;
    }
    EXPECT_EQ(parsed, 1) << r.output;
}

TEST_F(OperationsCliTest, AWrongCommandLineIsAConfigurationError) {
    const CliRun r = run({"backup"});
    EXPECT_EQ(r.status, 2) << r.output;
    EXPECT_NE(r.output.find("file is required"), std::string::npos) << r.output;
}

}  // namespace
}  // namespace funnelbot::testing

// SIGKILL at the worst moments, on the real binary and a real SQLite file: the file stays sound,
// an import is all or nothing, every acknowledged command is kept, and a platform's redelivery
// after the restart doubles nothing.
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <thread>

#include <SQLiteCpp/Database.h>

#include "storage/database.hpp"
#include "storage/sql_support.hpp"
#include "tests/support/child_process.hpp"
#include "tests/support/fake_slack.hpp"
#include "tests/support/temp_database.hpp"
#include "tests/support/test_certificates.hpp"

namespace funnelbot::testing {
namespace {

using namespace std::chrono_literals;

struct FileState {
    std::string integrity;
    long long opportunities = 0;
};

// Opens the file as the next start of funnelbot would (recovering the WAL) and looks at it.
FileState inspect(const std::string& path) {
    storage::Database db(path);
    auto& sql = storage::detail::sql(db);
    return {sql.execAndGet("PRAGMA integrity_check").getString(),
            sql.execAndGet("SELECT COUNT(*) FROM opportunities").getInt64()};
}

// What another connection sees committed now, without recovering anything (a plain reader).
long long committed_opportunities(const std::string& path) {
    if (!std::filesystem::exists(path)) return 0;
    try {
        SQLite::Database raw(path, SQLite::OPEN_READONLY);
        if (!raw.tableExists("opportunities")) return 0;
        return raw.execAndGet("SELECT COUNT(*) FROM opportunities").getInt64();
    } catch (const SQLite::Exception&) {
        return 0;  // the file is being created
    }
}

TEST(CrashSafety, AnImportKilledHalfwayLeavesNothingAndTheNextOneEverything) {
    TempDir dir;
    const std::string csv = dir.file("export.csv");
    {
        std::ofstream out(csv);
        out << "Opportunity ID,Account Name,Product,Amount,Stage,Opportunity Owner\n";
        for (int i = 0; i < 200'000; ++i) {
            out << "006" << i << ",Customer " << i % 5000 << ",Line " << i % 12 << ","
                << 1000 + i % 9000 << ",Prospecting,Rep " << i % 200 << '\n';
        }
    }
    const std::string db = dir.file("funnelbot.db");
    const std::string log = dir.file("import.log");
    {
        ChildProcess import(FUNNELBOT_BINARY, {"import", csv, "--db", db}, {}, log);
        // The import commits step after step: kill it once a good part of the file is in.
        const auto deadline = std::chrono::steady_clock::now() + 60s;
        while (committed_opportunities(db) < 20'000 &&
               std::chrono::steady_clock::now() < deadline && !import.wait(0ms)) {
            std::this_thread::sleep_for(5ms);
        }
        ASSERT_EQ(::kill(import.pid(), SIGKILL), 0) << read_file(log);
        EXPECT_EQ(import.wait(10s), 128 + SIGKILL) << "the import ended before it was killed";
    }
    const FileState killed = inspect(db);
    EXPECT_EQ(killed.integrity, "ok");
    EXPECT_EQ(killed.opportunities, 0)
        << "a killed import must leave nothing behind once the file is opened again";

    ChildProcess again(FUNNELBOT_BINARY, {"import", csv, "--db", db}, {}, log);
    ASSERT_EQ(again.wait(120s), 0) << read_file(log);
    const FileState done = inspect(db);
    EXPECT_EQ(done.integrity, "ok");
    EXPECT_EQ(done.opportunities, 200'000);
}

class SlackCrashSafety : public ::testing::Test {
protected:
    SlackCrashSafety() : pki_(make_test_pki(dir_.path().string())) {
        FakeSlackOptions o;
        o.cert_file = pki_.server_cert;
        o.key_file = pki_.server_key;
        fake_ = std::make_unique<FakeSlack>(o);
        FakeSlackUser admin{"U1", "T111", "ann", "Ann Admin", "ann", "ann@example.com"};
        admin.is_owner = true;
        fake_->add_user(admin);
        fake_->add_user({"U2", "T111", "alice", "Alice Rep", "alice", "alice@example.com"});
    }

    std::unique_ptr<ChildProcess> start() {
        auto bot = std::make_unique<ChildProcess>(
            FUNNELBOT_BINARY, std::vector<std::string>{"run"},
            std::map<std::string, std::string>{{"SLACK_APP_TOKEN", "xapp-1-fake-app-token"},
                                               {"SLACK_BOT_TOKEN", "xoxb-fake-bot-token"},
                                               {"SLACK_API_URL", fake_->api_url()},
                                               {"SSL_CERT_FILE", pki_.ca_cert},
                                               {"FUNNELBOT_DB", db_}},
            log_);
        EXPECT_TRUE(fake_->wait_until([&] { return fake_->open_websockets() == 1; }, 10s))
            << read_file(log_);
        return bot;
    }

    // Envelope ids acknowledged with a reply that says the opportunity was logged.
    std::set<std::string> logged_acks() const {
        std::set<std::string> out;
        for (const auto& a : fake_->acks()) {
            if (a.payload && a.payload->dump().find("Logged #") != std::string::npos)
                out.insert(a.envelope_id);
        }
        return out;
    }

    TempDir dir_;
    TestPki pki_;
    std::unique_ptr<FakeSlack> fake_;
    std::string db_ = dir_.file("bot.db");
    std::string log_ = dir_.file("funnelbot.log");
};

TEST_F(SlackCrashSafety, ABurstOfOppAddKilledMidwayKeepsEveryAckAndDoublesNothingOnRedelivery) {
    constexpr int kCommands = 60;
    std::vector<std::string> envelopes;
    {
        auto bot = start();
        fake_->send_slash_command("T111", "U1", "/funnel-admin", "product add Widgets");
        ASSERT_TRUE(fake_->wait_until([&] { return fake_->ack_count() >= 1; }, 10s));
        for (int i = 0; i < kCommands; ++i) {
            envelopes.push_back(fake_->send_slash_command(
                "T111", "U2", "/opp", "add Customer " + std::to_string(i) + " product:Widgets"));
        }
        fake_->wait_until([&] { return logged_acks().size() >= kCommands / 4; }, 10s);
        ASSERT_EQ(::kill(bot->pid(), SIGKILL), 0);
        bot->wait(10s);
    }
    const std::set<std::string> acked = logged_acks();
    ASSERT_FALSE(acked.empty());
    const FileState after_kill = inspect(db_);
    EXPECT_EQ(after_kill.integrity, "ok");
    // Every command Slack saw acknowledged is in the file (it may hold a few more: committed,
    // then killed before the ack went out).
    EXPECT_GE(after_kill.opportunities, static_cast<long long>(acked.size()));
    EXPECT_LE(after_kill.opportunities, kCommands);

    // Slack redelivers what was not acknowledged; we redeliver everything, acked or not.
    auto bot = start();
    const std::size_t acks_before = fake_->ack_count();
    for (const auto& id : envelopes)
        fake_->resend_envelope(id);
    ASSERT_TRUE(fake_->wait_until(
        [&] { return fake_->ack_count() >= acks_before + envelopes.size(); }, 20s))
        << read_file(log_);
    const FileState final_state = inspect(db_);
    EXPECT_EQ(final_state.integrity, "ok");
    EXPECT_EQ(final_state.opportunities, kCommands) << "each command ran exactly once";
    bot->terminate();
    EXPECT_EQ(bot->wait(10s), 0);
}

}  // namespace
}  // namespace funnelbot::testing

// An import written in steps: commands get the write lock between steps, and the import stays all
// or nothing — a run that fails is taken back, one whose process died is taken back the next
// time the file is opened, and a second import waits its turn.
#include "commands/csv/import_steps.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "commands/command_dispatch.hpp"
#include "commands/csv/csv_import.hpp"
#include "storage/customer_repository.hpp"
#include "storage/import_journal.hpp"
#include "storage/opportunity_repository.hpp"
#include "storage/product_line_repository.hpp"
#include "storage/user_repository.hpp"
#include "storage/workspace_repository.hpp"
#include "tests/support/temp_database.hpp"

namespace funnelbot::commands {
namespace {

using namespace std::chrono_literals;
using analysis::Id;

const analysis::Instant kNow{std::chrono::seconds{1'780'000'000}};

class ImportStepsTest : public ::testing::Test {
protected:
    ImportStepsTest() {
        // What was there before the import: a rep with an opportunity, a prospect customer.
        run("funnel-admin", "product add Widgets");
        run("opp", "add Acme product:Widgets amount:10k");
        run("opp", "add Globex product:Widgets amount:5k");
    }

    std::string run(std::string_view name, std::string_view text, storage::Database* db = nullptr) {
        Identity who;
        who.platform_user_id = "console";
        who.name = "console";
        who.platform_admin = true;
        const auto out = execute_text(db != nullptr ? *db : db_, ws_, who, name, text, kNow);
        EXPECT_FALSE(out.reply.is_error()) << name << " " << text << ": " << out.reply.summary;
        return out.reply.summary;
    }

    std::size_t opportunities(storage::Database& db) {
        storage::OpportunityFilter all;
        all.status = storage::OpportunityFilter::Status::all;
        return storage::OpportunityRepository(db).list(ws_.id, all).size();
    }

    storage::ImportLock lock() { return std::move(*storage::ImportLock::try_acquire(path_)); }

    Id owner() { return storage::UserRepository(db_).find_by_name(ws_.id, "console")->id; }

    // Writes what an import writes — new rows of every kind, a changed opportunity, a customer
    // marked current — one row a step, each step committed.
    void write_like_an_import(ImportSteps& steps) {
        storage::OpportunityRepository opps(db_);
        storage::CustomerRepository customers(db_);
        analysis::ProductLine gadgets;
        gadgets.name = "Gadgets";
        gadgets.active = true;
        const Id line = storage::ProductLineRepository(db_).create(ws_.id, gadgets).id;
        steps.row_done();
        storage::User placeholder;
        placeholder.workspace_id = ws_.id;
        placeholder.name = "Carol Jones";
        placeholder.imported_as = "Carol Jones";
        const Id carol = storage::UserRepository(db_).create(placeholder).id;
        steps.row_done();
        analysis::Opportunity fresh;
        fresh.owner_id = carol;
        fresh.customer_id = customers.find_or_create(ws_.id, "Initech").id;
        fresh.product_line_id = line;
        fresh.stage = analysis::Stage::prospecting;
        fresh.created_at = fresh.updated_at = kNow;
        opps.insert(ws_.id, fresh);
        steps.row_done();
        storage::OpportunityFilter all;
        all.status = storage::OpportunityFilter::Status::all;
        auto acme = opps.list(ws_.id, all).front();
        steps.journal().keep_opportunity(steps.run(), acme.id);
        steps.journal().keep_customer_status(steps.run(), acme.customer_id);  // won: current
        acme.amount = 99'000'00;
        acme.stage = analysis::Stage::won;
        opps.update(ws_.id, acme);
        const auto globex = customers.find(ws_.id, "Globex");
        steps.journal().keep_customer_status(steps.run(), globex->id);
        customers.set_status(ws_.id, globex->id, storage::CustomerStatus::current);
        steps.row_done();
    }

    testing::TempDir dir_;
    std::string path_ = dir_.file("steps.db");
    storage::Database db_{path_};
    storage::Workspace ws_ = storage::WorkspaceRepository(db_).find_or_create(
        storage::Platform::console, "console", "UTC");
};

TEST_F(ImportStepsTest, AFailedRunIsTakenBackEntirely) {
    const std::string before = testing::snapshot(db_);
    {
        ImportSteps steps(db_, lock(), ws_.id, kNow, ImportPacing{1, 50ms, 0ms});
        write_like_an_import(steps);
        // Each step was committed: another connection sees them.
        storage::Database other(path_);
        EXPECT_EQ(opportunities(other), 3U);
    }  // not finished: undone
    EXPECT_EQ(testing::snapshot(db_), before);
}

TEST_F(ImportStepsTest, AFinishedRunKeepsItsRowsAndLeavesNoJournal) {
    {
        ImportSteps steps(db_, lock(), ws_.id, kNow, ImportPacing{1, 50ms, 0ms});
        write_like_an_import(steps);
        steps.finish();
    }
    EXPECT_EQ(opportunities(db_), 3U);
    auto& sql = storage::detail::sql(db_);
    for (const char* table :
         {"import_runs", "import_created", "import_kept_opportunities", "import_kept_customers"}) {
        EXPECT_EQ(sql.execAndGet(std::string("SELECT COUNT(*) FROM ") + table).getInt(), 0)
            << table;
    }
}

// What a SIGKILL leaves (committed steps, a run still "running", no process holding the import
// lock) is undone by the next open of the file; while an importer holds the lock, it is its run.
TEST_F(ImportStepsTest, ARunWhoseProcessDiedIsUndoneWhenTheFileIsOpened) {
    const std::string before = testing::snapshot(db_);
    {
        storage::ImportJournal journal(db_);
        storage::Transaction step(db_, storage::Transaction::Lock::immediate);
        journal.step_started();
        const Id run = journal.begin(ws_.id, kNow);
        storage::CustomerRepository(db_).find_or_create(ws_.id, "Initech");
        const auto globex = storage::CustomerRepository(db_).find(ws_.id, "Globex");
        journal.keep_customer_status(run, globex->id);
        storage::CustomerRepository(db_).set_status(ws_.id, globex->id,
                                                    storage::CustomerStatus::current);
        journal.step_ending(run);
        step.commit();
    }  // "killed": never finished, never undone
    {
        const auto importer = storage::ImportLock::try_acquire(path_);
        ASSERT_TRUE(importer.has_value());
        storage::Database opened(path_);
        EXPECT_NE(testing::snapshot(opened), before) << "a live importer's run is left alone";
        EXPECT_FALSE(storage::ImportLock::try_acquire(path_).has_value()) << "one at a time";
    }
    storage::Database reopened(path_);
    EXPECT_EQ(testing::snapshot(reopened), before);
}

TEST_F(ImportStepsTest, ASecondImportIsRefusedWhileOneRuns) {
    const auto importer = storage::ImportLock::try_acquire(path_);
    ASSERT_TRUE(importer.has_value());
    std::istringstream csv("customer,product\nInitech,Widgets\n");
    ImportOptions options;
    options.default_owner_id = owner();
    const auto result = import_csv(db_, ws_.id, csv, options, kNow);
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().message,
              "Another import into this database is running. Nothing was written; run this one "
              "again when it has finished.");
    EXPECT_EQ(opportunities(db_), 2U);
}

// A large import beside the bot: commands on another connection are answered while it runs
// (each within a second; before steps, every writing command waited for the whole file), and
// nothing of either is lost.
TEST_F(ImportStepsTest, CommandsRunBetweenTheStepsOfALargeImport) {
    std::ostringstream csv;
    csv << "Opportunity ID,Account Name,Product,Amount,Stage\n";
    constexpr int kRows = 60'000;
    for (int i = 0; i < kRows; ++i)
        csv << "006" << i << ",Customer " << i % 3000 << ",Line " << i % 7 << "," << 1000 + i
            << ",Prospecting\n";
    std::atomic<bool> importing{true};
    Result<ImportSummary> imported = UserError{"not run"};
    std::thread import([&] {
        storage::Database db(path_);
        std::istringstream in(csv.str());
        ImportOptions options;
        options.default_owner_id = owner();
        imported = import_csv(db, ws_.id, in, options, kNow);
        importing = false;
    });
    storage::Database bot(path_);
    int ran = 0;
    int during = 0;
    std::chrono::steady_clock::duration slowest{};
    // Bounded: at most 2,000 commands (20 s), however long the import takes.
    for (; ran < 2000 && importing; ++ran) {
        const auto started = std::chrono::steady_clock::now();
        run("opp", "add Beside" + std::to_string(ran) + " product:Widgets", &bot);
        slowest = std::max(slowest, std::chrono::steady_clock::now() - started);
        if (importing) ++during;
        std::this_thread::sleep_for(10ms);  // a busy team: about a hundred changes a second
    }
    import.join();
    ASSERT_TRUE(imported.ok()) << imported.error().message;
    EXPECT_EQ(imported->created, kRows);
    EXPECT_GE(during, 5) << "commands ran while the import did";
    EXPECT_LT(slowest, 1s) << "no command waited for the whole import";
    EXPECT_EQ(opportunities(db_), 2U + kRows + static_cast<std::size_t>(ran));
}

}  // namespace
}  // namespace funnelbot::commands

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Transaction.h>
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include <string>

#include "storage/app_setting_repository.hpp"
#include "storage/database.hpp"
#include "storage/sql_support.hpp"
#include "storage/transaction.hpp"
#include "storage_test_support.hpp"

namespace funnelbot::storage::testing {
namespace {

std::string pragma_text(Database& db, const char* pragma) {
    return storage::detail::sql(db).execAndGet(std::string("PRAGMA ") + pragma).getString();
}

// What files older than schema version 4 lack.
void drop_import_journal(Database& db) {
    for (const char* table :
         {"import_kept_customers", "import_kept_opportunities", "import_created", "import_runs"}) {
        storage::detail::sql(db).exec(std::string("DROP TABLE ") + table);
    }
}

TEST(DatabaseTest, FreshFileGetsCurrentSchemaWalAndForeignKeys) {
    TempDir dir;
    Database db(dir.file("fresh.db"));
    EXPECT_EQ(db.schema_version(), Database::kSchemaVersion);
    EXPECT_EQ(db.schema_version(), 7);
    EXPECT_EQ(pragma_text(db, "journal_mode"), "wal");
    EXPECT_EQ(storage::detail::sql(db).execAndGet("PRAGMA foreign_keys").getInt(), 1);
    // Sized on purpose (README "Performance"): 2 MiB of page cache, no memory map.
    EXPECT_EQ(storage::detail::sql(db).execAndGet("PRAGMA cache_size").getInt(), -2048);
    EXPECT_EQ(storage::detail::sql(db).execAndGet("PRAGMA mmap_size").getInt(), 0);
    EXPECT_EQ(storage::detail::sql(db).execAndGet("PRAGMA temp_store").getInt(), 2);  // memory
    for (const char* table :
         {"workspaces", "users", "teams", "product_lines", "responsible_lines", "customers",
          "opportunities", "goals", "reminder_log", "processed_events", "settings", "app_settings",
          "import_runs", "import_created", "import_kept_opportunities", "import_kept_customers",
          "customer_line_stats", "peer_won_lines", "peer_line_popularity"}) {
        EXPECT_TRUE(storage::detail::sql(db).tableExists(table)) << table;
    }
}

// A writer waits for another connection's write lock (up to 5 s) instead of failing at once.
TEST(DatabaseTest, AWriterWaitsForTheLockInsteadOfFailing) {
    TempDir dir;
    const std::string path = dir.file("busy.db");
    Database first(path);
    Database second(path);
    auto& holder = storage::detail::sql(first);
    holder.exec("BEGIN IMMEDIATE");
    holder.exec("INSERT INTO app_settings (key, value) VALUES ('held', '1')");
    std::thread release([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
        holder.exec("COMMIT");
    });
    const auto started = std::chrono::steady_clock::now();
    storage::detail::sql(second).exec("INSERT INTO app_settings (key, value) VALUES ('next', '2')");
    const auto waited = std::chrono::steady_clock::now() - started;
    release.join();
    EXPECT_GE(waited, std::chrono::milliseconds(250)) << "it waited for the lock";
    EXPECT_EQ(storage::detail::sql(second).execAndGet("SELECT COUNT(*) FROM app_settings").getInt(),
              2);
}

TEST(DatabaseTest, ReopeningKeepsDataAndVersion) {
    TempDir dir;
    const std::string path = dir.file("reopen.db");
    Id ws_id = 0;
    {
        Database db(path);
        ws_id = WorkspaceRepository(db).find_or_create(Platform::discord, "G1", "UTC").id;
    }
    Database again(path);  // must not try to create the tables a second time
    EXPECT_EQ(again.schema_version(), 7);
    auto ws = WorkspaceRepository(again).get(ws_id);
    ASSERT_TRUE(ws.has_value());
    EXPECT_EQ(ws->external_id, "G1");
    Database third(path);
    EXPECT_EQ(third.schema_version(), 7);
}

TEST(DatabaseTest, NewerSchemaIsRefusedWithUpgradeMessage) {
    TempDir dir;
    const std::string path = dir.file("future.db");
    {
        SQLite::Database raw(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
        raw.exec("PRAGMA user_version = 99");
    }
    try {
        Database db(path);
        FAIL() << "a version 99 database was opened";
    } catch (const StorageError& e) {
        EXPECT_EQ(std::string(e.what()),
                  "database " + path +
                      " has schema version 99, newer than this funnelbot (7): upgrade funnelbot");
    }
    // Refused without being touched.
    SQLite::Database raw(path, SQLite::OPEN_READONLY);
    EXPECT_EQ(raw.execAndGet("PRAGMA user_version").getInt(), 99);
    EXPECT_FALSE(raw.tableExists("workspaces"));
}

TEST(DatabaseTest, VersionZeroFileIsMigrated) {
    TempDir dir;
    const std::string path = dir.file("v0.db");
    {
        SQLite::Database raw(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
        raw.exec("CREATE TABLE unrelated (x INTEGER)");  // a v0 file may hold anything else
        raw.exec("INSERT INTO unrelated VALUES (7)");
    }
    Database db(path);
    EXPECT_EQ(db.schema_version(), 7);
    EXPECT_TRUE(storage::detail::sql(db).tableExists("opportunities"));
    EXPECT_EQ(storage::detail::sql(db).execAndGet("SELECT x FROM unrelated").getInt(), 7);
}

TEST(DatabaseTest, VersionOneFileGetsAppSettingsAndKeepsItsData) {
    TempDir dir;
    const std::string path = dir.file("v1.db");
    Id ws_id = 0;
    {
        Database db(path);
        ws_id = WorkspaceRepository(db).find_or_create(Platform::slack, "T1", "UTC").id;
        // Back to what a v1 funnelbot left: no app_settings, no imported_as, no import journal,
        // no maintained figures, user_version 1.
        undo_v5(storage::detail::sql(db));
        drop_import_journal(db);
        storage::detail::sql(db).exec("DROP TABLE app_settings");
        storage::detail::sql(db).exec("DROP INDEX users_imported_as");
        storage::detail::sql(db).exec("ALTER TABLE users DROP COLUMN imported_as");
        storage::detail::sql(db).exec("PRAGMA user_version = 1");
    }
    Database db(path);
    EXPECT_EQ(db.schema_version(), 7);
    AppSettingRepository settings(db);
    EXPECT_FALSE(settings.get("discord.commands").has_value());
    settings.set("discord.commands", "abc");
    settings.set("discord.commands", "def");  // replaces
    EXPECT_EQ(settings.get("discord.commands"), std::optional<std::string>("def"));
    ASSERT_TRUE(WorkspaceRepository(db).get(ws_id).has_value());
    EXPECT_EQ(WorkspaceRepository(db).get(ws_id)->external_id, "T1");
}

// v3: placeholders (no platform id) are known to imports by their name; real people are not.
TEST(DatabaseTest, VersionTwoFileLearnsWhoImportsKnowByName) {
    TempDir dir;
    const std::string path = dir.file("v2.db");
    Id ws_id = 0;
    {
        Database db(path);
        ws_id = WorkspaceRepository(db).find_or_create(Platform::slack, "T1", "UTC").id;
        drop_import_journal(db);
        auto& sql = storage::detail::sql(db);
        undo_v5(sql);
        sql.exec("DROP INDEX users_imported_as");
        sql.exec("ALTER TABLE users DROP COLUMN imported_as");
        sql.exec("INSERT INTO users (workspace_id, platform_user_id, name) VALUES (" +
                 std::to_string(ws_id) + ", NULL, 'Carol Jones'), (" + std::to_string(ws_id) +
                 ", 'U9', 'Carol Jones')");
        sql.exec("PRAGMA user_version = 2");
    }
    Database db(path);
    EXPECT_EQ(db.schema_version(), 7);
    UserRepository users(db);
    const auto known = users.find_by_imported_name(ws_id, "carol jones");
    ASSERT_TRUE(known.has_value());
    EXPECT_TRUE(known->platform_user_id.empty());
    EXPECT_EQ(known->imported_as, "Carol Jones");
    EXPECT_EQ(users.find_by_platform_id(ws_id, "U9")->imported_as, "");
}

// An opportunity written straight through SQL (no repository), its stage as given.
constexpr const char* kInsertOpportunity =
    "INSERT INTO opportunities (workspace_id, owner_id, customer_id, product_line_id, stage,"
    " customer_type, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'new', 0, 0)";

void insert_opportunity(SQLite::Database& sql, Id ws, Id owner, Id customer, Id line,
                        const char* stage) {
    SQLite::Statement st(sql, kInsertOpportunity);
    st.bind(1, ws);
    st.bind(2, owner);
    st.bind(3, customer);
    st.bind(4, line);
    st.bind(5, stage);
    st.exec();
}

// How many temporary b-trees the main program of that INSERT opens (its triggers' programs,
// listed after it, are not counted).
int temporary_trees_per_insert(SQLite::Database& sql) {
    SQLite::Statement explain(sql, std::string("EXPLAIN ") + kInsertOpportunity);
    int trees = 0;
    int last_addr = -1;
    while (explain.executeStep()) {
        const int addr = explain.getColumn(0).getInt();
        if (addr < last_addr) break;  // a trigger's program begins
        last_addr = addr;
        if (explain.getColumn(1).getString() == "OpenEphemeral") ++trees;
    }
    return trees;
}

// v7: a stage is checked with comparisons, not an IN list SQLite checked through a temporary
// b-tree built for every row written. A v6 file keeps its rows and the rule; nothing else in the
// table's definition changes, and it ends up as a fresh file's.
TEST(DatabaseTest, VersionSixFileChecksStagesWithoutATemporaryTreePerRow) {
    TempDir dir;
    const std::string path = dir.file("v6.db");
    Id ws = 0, rep = 0, acme = 0, widgets = 0;
    std::string v6_table;
    {
        Database db(path);
        ws = WorkspaceRepository(db).find_or_create(Platform::slack, "T1", "UTC").id;
        User u;
        u.workspace_id = ws;
        u.platform_user_id = "U1";
        u.name = "ann";
        rep = UserRepository(db).create(u).id;
        acme = CustomerRepository(db).find_or_create(ws, "Acme").id;
        analysis::ProductLine line;
        line.name = "Widgets";
        widgets = ProductLineRepository(db).create(ws, line).id;
        auto& sql = storage::detail::sql(db);
        undo_v7(sql);
        v6_table = opportunities_table_sql(sql);
        insert_opportunity(sql, ws, rep, acme, widgets, "won");
    }
    ASSERT_NE(v6_table.find(kStageCheckV1), std::string::npos) << v6_table;
    // A connection open across the upgrade (read-only ones code no CHECK at all).
    SQLite::Database open_before(path, SQLite::OPEN_READWRITE);
    EXPECT_EQ(temporary_trees_per_insert(open_before), 1) << "the IN list's tree, as v6 had it";

    Database db(path);
    EXPECT_EQ(db.schema_version(), 7);
    auto& sql = storage::detail::sql(db);
    std::string expected = v6_table;
    expected.replace(expected.find(kStageCheckV1), std::string(kStageCheckV1).size(),
                     kStageCheckV7);
    EXPECT_EQ(opportunities_table_sql(sql), expected);
    EXPECT_EQ(temporary_trees_per_insert(sql), 0) << "the upgrading connection reloaded";
    // Its next statement finds the schema version moved on and reloads (an EXPLAIN alone does
    // not look).
    EXPECT_EQ(open_before.execAndGet("SELECT count(*) FROM opportunities").getInt(), 1);
    EXPECT_EQ(temporary_trees_per_insert(open_before), 0) << "the schema version moved on";
    {
        Database fresh(dir.file("fresh.db"));
        EXPECT_EQ(opportunities_table_sql(storage::detail::sql(fresh)), expected);
    }
    EXPECT_EQ(sql.execAndGet("PRAGMA integrity_check").getString(), "ok");
    EXPECT_EQ(sql.execAndGet("SELECT count(*) FROM opportunities WHERE stage = 'won'").getInt(), 1);
    EXPECT_EQ(CustomerRepository(db).find(ws, "Acme")->status, CustomerStatus::current);

    // Every stage is still taken, anything else refused.
    const auto insert = [&](const char* stage) {
        insert_opportunity(sql, ws, rep, acme, widgets, stage);
    };
    for (const char* stage :
         {"prospecting", "qualification", "proposal", "negotiation", "won", "lost"}) {
        EXPECT_NO_THROW(insert(stage)) << stage;
    }
    for (const char* stage : {"closed", "Won", "", "won "}) {
        EXPECT_THROW(insert(stage), SQLite::Exception) << "'" << stage << "'";
    }
    EXPECT_EQ(sql.execAndGet("SELECT count(*) FROM opportunities").getInt(), 7);
}

TEST(DatabaseTest, FailedMigrationLeavesTheFileAsItWas) {
    TempDir dir;
    const std::string path = dir.file("clash.db");
    {
        // A v0 file with a conflicting "customers" table: the migration's CREATE fails midway.
        SQLite::Database raw(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
        raw.exec("CREATE TABLE customers (x INTEGER)");
    }
    EXPECT_THROW(Database db(path), StorageError);
    SQLite::Database raw(path, SQLite::OPEN_READONLY);
    EXPECT_EQ(raw.execAndGet("PRAGMA user_version").getInt(), 0);
    // Tables created before the failing statement were rolled back with it.
    EXPECT_FALSE(raw.tableExists("workspaces"));
    EXPECT_FALSE(raw.tableExists("users"));
}

TEST(DatabaseTest, ErrorsNameTheOperation) {
    TempDir dir;
    try {
        Database db(dir.file("missing-dir/sub/x.db"));
        FAIL() << "opened a file in a missing directory";
    } catch (const StorageError& e) {
        EXPECT_NE(std::string(e.what()).find("open database"), std::string::npos) << e.what();
    }
}

// The stored text of enumerations and of customers.covered_lines reads back exactly, and a
// damaged value is refused with what to do, never read as something else.
TEST(DatabaseTest, StoredTextReadsBackOrIsRefused) {
    using analysis::Stage;
    for (const Stage s : {Stage::prospecting, Stage::qualification, Stage::proposal,
                          Stage::negotiation, Stage::won, Stage::lost}) {
        EXPECT_EQ(detail::stage_from_text(detail::to_text(s)), s);
    }
    EXPECT_THROW((void)detail::stage_from_text("Won"), StorageError);
    EXPECT_THROW((void)detail::stage_from_text("wonder"), StorageError);
    EXPECT_THROW((void)detail::stage_from_text(""), StorageError);

    EXPECT_EQ(detail::line_ids_from_text("", 1), std::vector<Id>{});
    EXPECT_EQ(detail::line_ids_from_text("5", 1), std::vector<Id>{5});
    EXPECT_EQ(detail::line_ids_from_text("12,3,7", 1), (std::vector<Id>{3, 7, 12}));
    EXPECT_EQ(detail::line_ids_from_text("100,20000000000", 1),
              (std::vector<Id>{100, 20000000000}));
    EXPECT_EQ(detail::line_ids_from_text("2,1,3,6,4,5,8,7", 1),
              (std::vector<Id>{1, 2, 3, 4, 5, 6, 7, 8}));
    EXPECT_EQ(detail::line_ids_from_text("9,9,1", 1), (std::vector<Id>{1, 9, 9}));
    EXPECT_EQ(detail::line_ids_from_text("9223372036854775807", 1),
              std::vector<Id>{9223372036854775807});
    for (const char* damaged : {"3,", ",3", "3,,7", "x", "3;7", "-", "3 ,7", "99999999999999999999",
                                "-5", "3,-7", "9223372036854775808", ","}) {
        try {
            (void)detail::line_ids_from_text(damaged, 42);
            ADD_FAILURE() << "read \"" << damaged << "\"";
        } catch (const StorageError& e) {
            EXPECT_NE(std::string(e.what()).find("customer 42: its stored lines are not a list"),
                      std::string::npos)
                << e.what();
        }
    }
}

TEST(DatabaseTest, InMemoryDatabaseWorks) {
    Database db(":memory:");
    EXPECT_EQ(db.schema_version(), 7);
    EXPECT_EQ(storage::detail::sql(db).execAndGet("PRAGMA foreign_keys").getInt(), 1);
    WorkspaceRepository repo(db);
    EXPECT_EQ(repo.find_or_create(Platform::console, "console", "UTC").external_id, "console");
}

using TransactionTest = StorageTest;

// A writer gets the larger page cache (an import's index pages would otherwise spill
// mid-transaction) and keeps it across back-to-back writes (an import's steps); the next reader
// gives it back.
TEST_F(TransactionTest, WritersHaveTheLargerPageCacheUntilTheNextReader) {
    const auto cache = [&] {
        return storage::detail::sql(db_).execAndGet("PRAGMA cache_size").getInt();
    };
    EXPECT_EQ(cache(), -2048);
    {
        Transaction reader(db_);
        EXPECT_EQ(cache(), -2048);
    }
    {
        Transaction writer(db_, Transaction::Lock::immediate);
        EXPECT_EQ(cache(), -4096);
        writer.commit();
    }
    {
        Transaction next_step(db_, Transaction::Lock::immediate);
        EXPECT_EQ(cache(), -4096);
    }
    EXPECT_EQ(cache(), -4096);
    {
        Transaction reader(db_);
        EXPECT_EQ(cache(), -2048);
    }
}

TEST_F(TransactionTest, RolledBackTransactionLeavesNothing) {
    const Id rep = make_user(ws_, "ann").id;
    const Id line = make_line(ws_, "Widgets").id;
    {
        Transaction tx(db_);
        const auto acme = customers_.find_or_create(ws_, "Acme");
        make_opp(ws_, rep, acme.id, line, analysis::Stage::won);  // nested savepoint inside
        make_line(ws_, "Gadgets");
        EXPECT_EQ(opps_.list(ws_, filter(OpportunityFilter::Status::all)).size(), 1u);
        // no commit: destroyed, rolled back
    }
    EXPECT_FALSE(customers_.find(ws_, "Acme").has_value());
    EXPECT_TRUE(opps_.list(ws_, filter(OpportunityFilter::Status::all)).empty());
    EXPECT_FALSE(lines_.find_by_name(ws_, "Gadgets").has_value());
    EXPECT_EQ(storage::detail::sql(db_).execAndGet("SELECT count(*) FROM customers").getInt(), 0);
}

TEST_F(TransactionTest, CommittedTransactionKeepsRepositoryWrites) {
    const Id rep = make_user(ws_, "ann").id;
    const Id line = make_line(ws_, "Widgets").id;
    {
        Transaction tx(db_);
        const auto acme = customers_.find_or_create(ws_, "Acme");
        make_opp(ws_, rep, acme.id, line, analysis::Stage::won);
        tx.commit();
    }
    ASSERT_TRUE(customers_.find(ws_, "Acme").has_value());
    EXPECT_EQ(customers_.find(ws_, "Acme")->status, CustomerStatus::current);
}

TEST_F(TransactionTest, FailedRepositoryCallInsideTransactionLeavesEarlierWritesUsable) {
    const Id rep = make_user(ws_, "ann").id;
    const Id line = make_line(ws_, "Widgets").id;
    Transaction tx(db_);
    const auto acme = customers_.find_or_create(ws_, "Acme");
    // Unknown owner: the insert fails on its foreign key; the caller's transaction survives.
    EXPECT_THROW(make_opp(ws_, 9999, acme.id, line), StorageError);
    make_opp(ws_, rep, acme.id, line);
    tx.commit();
    EXPECT_EQ(opps_.list(ws_, {}).size(), 1u);
}

// A BEGIN or COMMIT that cannot get its lock throws the one storage exception, marked busy, so
// callers that retry busy work (commands' dispatch) see it; SQLite's own exception never leaks.
TEST_F(TransactionTest, ABusyBeginIsAStorageErrorThatSaysBusy) {
    Database other(db_path_);
    Transaction writer(other, Transaction::Lock::immediate);
    try {
        Transaction blocked(db_, Transaction::Lock::immediate);  // waits out the busy timeout
        FAIL() << "BEGIN IMMEDIATE succeeded while another connection held the write lock";
    } catch (const StorageError& e) {
        EXPECT_TRUE(e.is_busy()) << e.what();
        EXPECT_NE(std::string(e.what()).find("begin transaction"), std::string::npos) << e.what();
    }
    writer.commit();
    Transaction after(db_, Transaction::Lock::immediate);
    after.commit();
}

TEST_F(TransactionTest, ADeferredTransactionThatCannotCommitIsBusyAndRolledBack) {
    make_line(ws_, "Widgets");
    Database other(db_path_);
    Transaction reader(db_);
    EXPECT_TRUE(lines_.find_by_name(ws_, "Widgets").has_value());  // takes a read snapshot
    {
        // Another connection commits after the snapshot: this one can no longer write.
        Transaction writer(other, Transaction::Lock::immediate);
        analysis::ProductLine sensors;
        sensors.name = "Sensors";
        ProductLineRepository(other).create(ws_, sensors);
        writer.commit();
    }
    EXPECT_THROW(
        {
            try {
                make_line(ws_, "Gadgets");
            } catch (const StorageError& e) {
                EXPECT_TRUE(e.is_busy()) << e.what();
                throw;
            }
        },
        StorageError);
}

}  // namespace
}  // namespace funnelbot::storage::testing

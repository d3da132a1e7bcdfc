// A fresh SQLite file per test, in its own temporary directory that is removed afterwards.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "storage/customer_repository.hpp"
#include "storage/database.hpp"
#include "storage/goal_repository.hpp"
#include "storage/opportunity_repository.hpp"
#include "storage/processed_event_repository.hpp"
#include "storage/product_line_repository.hpp"
#include "storage/sql_support.hpp"
#include "storage/team_repository.hpp"
#include "storage/transaction.hpp"
#include "storage/user_repository.hpp"
#include "storage/workspace_repository.hpp"

namespace funnelbot::storage::testing {

class TempDir {
public:
    TempDir() {
        const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
        std::random_device rd;
        const std::string name = std::string("funnelbot-storage-") +
                                 (info != nullptr ? info->name() : "test") + "-" +
                                 std::to_string(rd()) + std::to_string(rd());
        path_ = std::filesystem::temp_directory_path() / name;
        std::filesystem::create_directories(path_);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    ~TempDir() {
        std::error_code ec;  // best effort: a leftover temp dir must not fail the test
        std::filesystem::remove_all(path_, ec);
    }
    const std::filesystem::path& path() const { return path_; }
    std::string file(const std::string& name) const { return (path_ / name).string(); }

private:
    std::filesystem::path path_;
};

inline analysis::Date date(int y, unsigned m, unsigned d) {
    return analysis::Date{std::chrono::year{y} / std::chrono::month{m} / std::chrono::day{d}};
}

// GCC warns about designated initializers that leave members out, so filters are built here.
inline OpportunityFilter filter(OpportunityFilter::Status status,
                                std::optional<Id> owner_id = std::nullopt,
                                std::optional<Id> product_line_id = std::nullopt,
                                std::optional<Id> customer_id = std::nullopt, int limit = 0) {
    OpportunityFilter f;
    f.status = status;
    f.owner_id = owner_id;
    f.product_line_id = product_line_id;
    f.customer_id = customer_id;
    f.limit = limit;
    return f;
}

inline Instant at(std::int64_t unix_seconds) {
    return Instant{std::chrono::seconds{unix_seconds}};
}

// The CHECK on opportunities.stage as version 1 wrote it, and as version 7 rewrote it.
inline constexpr const char* kStageCheckV1 =
    "CHECK (stage IN ('prospecting', 'qualification', 'proposal',\n"
    "                                                      'negotiation', 'won', 'lost'))";
inline constexpr const char* kStageCheckV7 =
    "CHECK (stage = 'prospecting' OR stage = 'qualification' OR stage = 'proposal'\n"
    "                                    OR stage = 'negotiation' OR stage = 'won' OR stage = "
    "'lost')";

inline std::string opportunities_table_sql(SQLite::Database& sql) {
    return sql
        .execAndGet(
            "SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = "
            "'opportunities'")
        .getString();
}

// Takes a fresh file back to what a v6 funnelbot created: the stage CHECK as an IN list.
inline void undo_v7(SQLite::Database& sql) {
    sql.exec("PRAGMA writable_schema = ON");
    SQLite::Statement back(sql,
                           "UPDATE sqlite_schema SET sql = replace(sql, ?, ?)"
                           " WHERE type = 'table' AND name = 'opportunities'");
    back.bind(1, kStageCheckV7);
    back.bind(2, kStageCheckV1);
    back.exec();
    sql.exec("PRAGMA writable_schema = RESET");
    sql.exec("PRAGMA user_version = 6");
}

// Takes a fresh file back to what a v5 funnelbot created: no covered_lines, v5's owner index.
inline void undo_v6(SQLite::Database& sql) {
    undo_v7(sql);
    sql.exec("DROP TRIGGER customer_line_stats_insert");
    sql.exec("DROP TRIGGER customer_line_stats_delete");
    sql.exec("ALTER TABLE customers DROP COLUMN covered_lines");
    sql.exec("DROP INDEX opportunities_owner");
    sql.exec(
        "CREATE INDEX opportunities_owner ON opportunities"
        " (workspace_id, owner_id, customer_id, stage)");
    sql.exec("PRAGMA user_version = 5");
}

// Back to what a v4 funnelbot left: no maintained figures, no triggers, the old owner index.
inline void undo_v5(SQLite::Database& sql) {
    undo_v6(sql);
    std::vector<std::string> triggers;
    SQLite::Statement list(sql, "SELECT name FROM sqlite_master WHERE type = 'trigger'");
    while (list.executeStep())
        triggers.push_back(list.getColumn(0).getString());
    for (const auto& t : triggers)
        sql.exec("DROP TRIGGER \"" + t + "\"");  // names from sqlite_master
    sql.exec("DROP TABLE customer_line_stats");
    sql.exec("DROP TABLE peer_won_lines");
    sql.exec("DROP TABLE peer_line_popularity");
    sql.exec("DROP INDEX opportunities_owner");
    sql.exec(
        "CREATE INDEX opportunities_owner_stage ON opportunities (workspace_id, owner_id, stage)");
    sql.exec("PRAGMA user_version = 4");
}

// A database with two workspaces and the repositories over it.
class StorageTest : public ::testing::Test {
protected:
    TempDir dir_;
    std::string db_path_ = dir_.file("funnelbot.db");
    Database db_{db_path_};
    WorkspaceRepository workspaces_{db_};
    UserRepository users_{db_};
    TeamRepository teams_{db_};
    ProductLineRepository lines_{db_};
    CustomerRepository customers_{db_};
    OpportunityRepository opps_{db_};
    GoalRepository goals_{db_};
    ProcessedEventRepository events_{db_};
    Id ws_ = workspaces_.find_or_create(Platform::slack, "T1", "UTC").id;
    Id other_ws_ = workspaces_.find_or_create(Platform::slack, "T2", "UTC").id;

    User make_user(Id ws, const std::string& name, std::optional<Id> team = std::nullopt,
                   const std::string& platform_id = {}) {
        User u;
        u.workspace_id = ws;
        u.name = name;
        u.platform_user_id = platform_id.empty() ? "U-" + name : platform_id;
        u.team_id = team;
        return users_.create(u);
    }
    analysis::ProductLine make_line(Id ws, const std::string& name, bool active = true) {
        analysis::ProductLine l;
        l.name = name;
        l.active = active;
        return lines_.create(ws, l);
    }
    analysis::Opportunity make_opp(Id ws, Id owner, Id customer, Id line,
                                   analysis::Stage stage = analysis::Stage::prospecting,
                                   const std::string& name = {}) {
        analysis::Opportunity o;
        o.owner_id = owner;
        o.customer_id = customer;
        o.product_line_id = line;
        o.stage = stage;
        o.name = name;
        o.amount = 1000;
        o.created_at = at(1'700'000'000);
        o.updated_at = at(1'700'000'000);
        return opps_.create(ws, o);
    }
};

}  // namespace funnelbot::storage::testing

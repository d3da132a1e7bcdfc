#include "storage/database.hpp"

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include <sqlite3.h>

#include <array>
#include <chrono>
#include <string>
#include <string_view>
#include <thread>

#include "storage/connection.hpp"
#include "storage/import_journal.hpp"
#include "storage/sql_support.hpp"

namespace funnelbot::storage {
namespace {

constexpr int kBusyTimeoutMs = 5000;

// kMigrations[i] takes a database from user_version i to i + 1. Append, never edit: a
// released step has already run on someone's file. Steps run inside one transaction with
// foreign_keys ON (it cannot change inside a transaction): a step that rebuilds a table
// should use PRAGMA defer_foreign_keys and the create-copy-drop-rename pattern.
//
// Every table carries workspace_id, and references between workspace-owned rows are composite
// (workspace_id, id) foreign keys, so a row can never point into another workspace.
constexpr std::string_view kMigrationV1 = R"sql(
CREATE TABLE workspaces (
    id               INTEGER PRIMARY KEY,
    platform         TEXT    NOT NULL CHECK (platform IN ('console', 'slack', 'discord')),
    external_id      TEXT    NOT NULL,
    name             TEXT    NOT NULL DEFAULT '',
    currency         TEXT    NOT NULL DEFAULT 'USD',
    tz               TEXT    NOT NULL DEFAULT 'UTC',
    reminders_on     INTEGER NOT NULL DEFAULT 1,
    reminder_weekday INTEGER NOT NULL DEFAULT 5 CHECK (reminder_weekday BETWEEN 0 AND 6),
    reminder_minute  INTEGER NOT NULL DEFAULT 900 CHECK (reminder_minute BETWEEN 0 AND 1439),
    created_at       INTEGER NOT NULL DEFAULT (CAST(strftime('%s', 'now') AS INTEGER)),
    UNIQUE (platform, external_id)
);

CREATE TABLE users (
    id               INTEGER PRIMARY KEY,
    workspace_id     INTEGER NOT NULL REFERENCES workspaces (id),
    platform_user_id TEXT,
    name             TEXT    NOT NULL DEFAULT '',
    display_name     TEXT    NOT NULL DEFAULT '',
    real_name        TEXT    NOT NULL DEFAULT '',
    email            TEXT    NOT NULL DEFAULT '',
    tz               TEXT    NOT NULL DEFAULT '',
    role             TEXT    NOT NULL DEFAULT 'rep' CHECK (role IN ('rep', 'manager', 'admin')),
    platform_admin   INTEGER NOT NULL DEFAULT 0,
    active           INTEGER NOT NULL DEFAULT 1,
    reminders_on     INTEGER NOT NULL DEFAULT 1,
    team_id          INTEGER,
    UNIQUE (workspace_id, id),
    FOREIGN KEY (workspace_id, team_id) REFERENCES teams (workspace_id, id)
);
-- Placeholder owners from a CSV import have no platform id; real users have one each.
CREATE UNIQUE INDEX users_platform_id ON users (workspace_id, platform_user_id)
    WHERE platform_user_id IS NOT NULL;
CREATE INDEX users_team ON users (workspace_id, team_id);

CREATE TABLE teams (
    id           INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL REFERENCES workspaces (id),
    name         TEXT    NOT NULL,
    manager_id   INTEGER,
    UNIQUE (workspace_id, id),
    UNIQUE (workspace_id, name COLLATE NOCASE),
    FOREIGN KEY (workspace_id, manager_id) REFERENCES users (workspace_id, id)
);
CREATE INDEX teams_manager ON teams (workspace_id, manager_id);

CREATE TABLE product_lines (
    id            INTEGER PRIMARY KEY,
    workspace_id  INTEGER NOT NULL REFERENCES workspaces (id),
    name          TEXT    NOT NULL,
    category      TEXT    NOT NULL DEFAULT '',
    introduced_on TEXT,
    origin        TEXT CHECK (origin IS NULL OR origin = 'acquired'),
    active        INTEGER NOT NULL DEFAULT 1,
    UNIQUE (workspace_id, id),
    UNIQUE (workspace_id, name COLLATE NOCASE)
);

-- Exactly one of team_id / user_id per row; no rows for an owner means "every active line".
CREATE TABLE responsible_lines (
    workspace_id    INTEGER NOT NULL REFERENCES workspaces (id),
    team_id         INTEGER,
    user_id         INTEGER,
    product_line_id INTEGER NOT NULL,
    CHECK ((team_id IS NULL) <> (user_id IS NULL)),
    FOREIGN KEY (workspace_id, team_id) REFERENCES teams (workspace_id, id),
    FOREIGN KEY (workspace_id, user_id) REFERENCES users (workspace_id, id),
    FOREIGN KEY (workspace_id, product_line_id) REFERENCES product_lines (workspace_id, id)
);
CREATE UNIQUE INDEX responsible_lines_user ON responsible_lines (workspace_id, user_id, product_line_id)
    WHERE user_id IS NOT NULL;
CREATE UNIQUE INDEX responsible_lines_team ON responsible_lines (workspace_id, team_id, product_line_id)
    WHERE team_id IS NOT NULL;

CREATE TABLE customers (
    id           INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL REFERENCES workspaces (id),
    name         TEXT    NOT NULL,
    key          TEXT    NOT NULL,
    status       TEXT    NOT NULL DEFAULT 'prospect' CHECK (status IN ('prospect', 'current')),
    UNIQUE (workspace_id, id),
    UNIQUE (workspace_id, key)
);

CREATE TABLE opportunities (
    id              INTEGER PRIMARY KEY,
    workspace_id    INTEGER NOT NULL REFERENCES workspaces (id),
    owner_id        INTEGER NOT NULL,
    customer_id     INTEGER NOT NULL,
    product_line_id INTEGER NOT NULL,
    name            TEXT    NOT NULL DEFAULT '',
    amount          INTEGER NOT NULL DEFAULT 0,
    stage           TEXT    NOT NULL CHECK (stage IN ('prospecting', 'qualification', 'proposal',
                                                      'negotiation', 'won', 'lost')),
    customer_type   TEXT    NOT NULL CHECK (customer_type IN ('new', 'existing')),
    close_date      TEXT,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    closed_at       INTEGER,
    external_id     TEXT,
    source_event_id TEXT,
    FOREIGN KEY (workspace_id, owner_id) REFERENCES users (workspace_id, id),
    FOREIGN KEY (workspace_id, customer_id) REFERENCES customers (workspace_id, id),
    FOREIGN KEY (workspace_id, product_line_id) REFERENCES product_lines (workspace_id, id)
);
CREATE INDEX opportunities_owner_stage ON opportunities (workspace_id, owner_id, stage);
CREATE INDEX opportunities_external_id ON opportunities (workspace_id, external_id);
CREATE INDEX opportunities_customer ON opportunities (workspace_id, customer_id);
CREATE INDEX opportunities_line ON opportunities (workspace_id, product_line_id);

-- NULL = unset at this scope. scope_id is 0 for the workspace scope.
CREATE TABLE goals (
    workspace_id          INTEGER NOT NULL REFERENCES workspaces (id),
    scope                 TEXT    NOT NULL CHECK (scope IN ('workspace', 'team', 'rep')),
    scope_id              INTEGER NOT NULL DEFAULT 0,
    max_line_pct          INTEGER,
    new_share_pct         INTEGER,
    tolerance_pct         INTEGER,
    territory             TEXT CHECK (territory IS NULL OR territory IN ('balanced', 'new', 'existing')),
    new_opps_per_month    INTEGER,
    quota_per_quarter     INTEGER,
    languishing_days      INTEGER,
    languishing_share_pct INTEGER,
    PRIMARY KEY (workspace_id, scope, scope_id)
);

CREATE TABLE reminder_log (
    workspace_id INTEGER NOT NULL REFERENCES workspaces (id),
    user_id      INTEGER NOT NULL,
    iso_week     TEXT    NOT NULL,
    claimed_at   INTEGER NOT NULL,
    sent_at      INTEGER,
    status       TEXT    NOT NULL DEFAULT 'claimed',
    UNIQUE (user_id, iso_week),
    FOREIGN KEY (workspace_id, user_id) REFERENCES users (workspace_id, id)
);

CREATE TABLE processed_events (
    workspace_id INTEGER NOT NULL REFERENCES workspaces (id),
    event_id     TEXT    NOT NULL,
    recorded_at  INTEGER NOT NULL,
    PRIMARY KEY (workspace_id, event_id)
);
CREATE INDEX processed_events_recorded_at ON processed_events (recorded_at);

CREATE TABLE settings (
    workspace_id INTEGER NOT NULL REFERENCES workspaces (id),
    key          TEXT    NOT NULL,
    value        TEXT    NOT NULL,
    PRIMARY KEY (workspace_id, key)
);
)sql";

// v2: settings that belong to the installation rather than a workspace (e.g. the hash of the
// Discord command definitions last registered for an application).
constexpr std::string_view kMigrationV2 = R"sql(
CREATE TABLE app_settings (
    key   TEXT NOT NULL PRIMARY KEY,
    value TEXT NOT NULL
);
)sql";

// v3: the owner name a CSV import knows a person by. Names anyone can change (display and real
// names) never link an imported owner to a person; this column, set by the import for its
// placeholders and by an admin's link, does.
constexpr std::string_view kMigrationV3 = R"sql(
ALTER TABLE users ADD COLUMN imported_as TEXT NOT NULL DEFAULT '';
UPDATE users SET imported_as = name WHERE platform_user_id IS NULL;
CREATE INDEX users_imported_as ON users (workspace_id, imported_as COLLATE NOCASE)
    WHERE imported_as <> '';
)sql";

// v4: the journal of a CSV import that writes in steps (storage/import_journal.hpp): the runs,
// the id ranges each created, and the rows as they were before it changed them.
constexpr std::string_view kMigrationV4 = R"sql(
CREATE TABLE import_runs (
    id           INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL REFERENCES workspaces (id),
    state        TEXT    NOT NULL CHECK (state IN ('running', 'done')),
    started_at   INTEGER NOT NULL
);
CREATE TABLE import_created (
    run_id     INTEGER NOT NULL REFERENCES import_runs (id),
    table_name TEXT    NOT NULL,
    first_id   INTEGER NOT NULL,
    last_id    INTEGER NOT NULL
);
CREATE INDEX import_created_run ON import_created (run_id);
CREATE TABLE import_kept_opportunities (
    run_id          INTEGER NOT NULL REFERENCES import_runs (id),
    id              INTEGER NOT NULL,
    workspace_id    INTEGER NOT NULL,
    owner_id        INTEGER NOT NULL,
    customer_id     INTEGER NOT NULL,
    product_line_id INTEGER NOT NULL,
    name            TEXT    NOT NULL,
    amount          INTEGER NOT NULL,
    stage           TEXT    NOT NULL,
    customer_type   TEXT    NOT NULL,
    close_date      TEXT,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    closed_at       INTEGER,
    external_id     TEXT,
    source_event_id TEXT,
    PRIMARY KEY (run_id, id)
);
CREATE TABLE import_kept_customers (
    run_id INTEGER NOT NULL REFERENCES import_runs (id),
    id     INTEGER NOT NULL,
    status TEXT    NOT NULL,
    PRIMARY KEY (run_id, id)
);
)sql";

constexpr std::array<std::string_view, 4> kMigrations = {kMigrationV1, kMigrationV2, kMigrationV3,
                                                         kMigrationV4};
static_assert(kMigrations.size() == Database::kSchemaVersion, "one migration per schema version");

int read_user_version(SQLite::Database& db) {
    return db.execAndGet("PRAGMA user_version").getInt();
}

// Waiting for another connection's write lock: try again every millisecond, up to
// kBusyTimeoutMs. SQLite's own busy_timeout backs off to a try every 100 ms, which can keep
// missing the short gaps a CSV import leaves between its steps (commands/csv/import_steps.hpp).
int retry_every_millisecond(void*, int tries_so_far) {
    if (tries_so_far >= kBusyTimeoutMs) return 0;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
    return 1;
}

SQLite::Database open_file(const std::string& path) {
    return detail::guarded("open database " + path, [&] {
        // One connection per thread (the console, each worker): SQLite's per-call mutex is
        // pure overhead, so the connection is opened in multi-thread mode.
        SQLite::Database db(path,
                            SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE | SQLite::OPEN_NOMUTEX);
        sqlite3_busy_handler(db.getHandle(), retry_every_millisecond, nullptr);
        return db;
    });
}

std::string newer_schema_message(const std::string& path, int version) {
    return "database " + path + " has schema version " + std::to_string(version) +
           ", newer than this funnelbot (" + std::to_string(Database::kSchemaVersion) +
           "): upgrade funnelbot";
}

}  // namespace

Database::Database(const std::string& path)
    : path_(path), connection_(std::make_unique<Connection>(open_file(path))) {
    SQLite::Database& db = connection_->sql();
    detail::guarded("open database " + path, [&] {
        // Refuse a newer file before touching it (not even its journal mode).
        if (const int v = read_user_version(db); v > kSchemaVersion) {
            throw StorageError(newer_schema_message(path, v));
        }
        // Both pragmas only take effect outside a transaction.
        db.exec("PRAGMA journal_mode = WAL");
        db.exec("PRAGMA foreign_keys = ON");
        // In WAL mode NORMAL is durable across application crashes and skips an fsync per
        // commit; only a power loss can drop the last commits (SQLite's recommended setting).
        db.exec("PRAGMA synchronous = NORMAL");

        if (read_user_version(db) == kSchemaVersion) {
            return;
        }
        // IMMEDIATE takes the write lock first, so two processes opening an old file at once
        // migrate it once: the second re-reads the version after the first committed.
        SQLite::Transaction tx(db, SQLite::TransactionBehavior::IMMEDIATE);
        const int from = read_user_version(db);
        if (from > kSchemaVersion) {
            throw StorageError(newer_schema_message(path, from));
        }
        for (int v = from; v < kSchemaVersion; ++v) {
            db.exec(std::string(kMigrations[static_cast<std::size_t>(v)]));
        }
        // PRAGMA takes no bound parameters; the value is our own constant.
        db.exec("PRAGMA user_version = " + std::to_string(kSchemaVersion));
        tx.commit();
    });
    // An import killed halfway is taken back before anyone reads its half.
    recover_imports(*this, path);
}

Database::~Database() = default;

void Database::checkpoint() {
    detail::guarded("checkpoint " + path_,
                    [&] { connection_->sql().execAndGet("PRAGMA wal_checkpoint(TRUNCATE)"); });
}

int Database::schema_version() {
    return detail::guarded("read schema version",
                           [&] { return read_user_version(connection_->sql()); });
}

Database::Connection::CachedStatement::CachedStatement(SQLite::Statement* cached, bool* in_use,
                                                       std::unique_ptr<SQLite::Statement> own)
    : st_(own ? own.get() : cached), in_use_(own ? nullptr : in_use), own_(std::move(own)) {
    if (in_use_ != nullptr) *in_use_ = true;
}

Database::Connection::CachedStatement::CachedStatement(CachedStatement&& other) noexcept
    : st_(other.st_), in_use_(other.in_use_), own_(std::move(other.own_)) {
    other.st_ = nullptr;
    other.in_use_ = nullptr;
}

Database::Connection::CachedStatement::~CachedStatement() {
    if (st_ == nullptr || own_) return;
    // Reset so no read stays open between calls; a destructor must not throw.
    try {
        st_->reset();
        st_->clearBindings();
    } catch (const SQLite::Exception&) {
    }
    *in_use_ = false;
}

Database::Connection::CachedStatement Database::Connection::cached(const std::string& sql) {
    auto it = cache_.find(sql);
    if (it == cache_.end()) {
        // SQL built with a variable number of placeholders could grow the cache without end.
        if (cache_.size() >= kMaxCachedStatements) {
            std::erase_if(cache_, [](const auto& entry) { return !entry.second.in_use; });
        }
        it = cache_.emplace(sql, CacheEntry{std::make_unique<SQLite::Statement>(db_, sql), false})
                 .first;
    }
    if (it->second.in_use) {
        return CachedStatement(nullptr, nullptr, std::make_unique<SQLite::Statement>(db_, sql));
    }
    return CachedStatement(it->second.statement.get(), &it->second.in_use, nullptr);
}

}  // namespace funnelbot::storage

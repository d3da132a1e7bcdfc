#include "storage/schema_migrations.hpp"

#include <array>

#include "storage/database.hpp"

namespace funnelbot::storage::detail {
namespace {

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

// v5: figures kept up to date by triggers, so a rep's check reads what concerns the rep rather
// than the workspace (every write path, imports included, goes through them):
// - customer_line_stats: per customer and line, the won and the open opportunities (any owner);
//   a rep's cross-sell accounts read a few rows per account instead of its every opportunity.
// - peer_won_lines: per peer group (0: every owner of the workspace; a team id: the team's
//   active members), line and customer, the won opportunities; a row lives while it counts one.
// - peer_line_popularity: per peer group and line, the current customers among those rows:
//   CustomerRepository::peer_line_popularity reads it as it is.
// Rows of the first two tables exist only while a count is above zero. Tables are filled from
// the data first, then the triggers are created.
// The index on (owner, stage) becomes one on (owner, customer, stage): it also covers a rep's
// customers and a member's won deals. (Covering every column as well made a check about 10 %
// cheaper and a 100,000-row import about 20 % dearer.)
constexpr std::string_view kMigrationV5 = R"sql(
CREATE TABLE customer_line_stats (
    workspace_id    INTEGER NOT NULL,
    customer_id     INTEGER NOT NULL,
    product_line_id INTEGER NOT NULL,
    won             INTEGER NOT NULL,
    open            INTEGER NOT NULL,
    PRIMARY KEY (workspace_id, customer_id, product_line_id)
) WITHOUT ROWID;

CREATE TABLE peer_won_lines (
    workspace_id    INTEGER NOT NULL,
    customer_id     INTEGER NOT NULL,
    product_line_id INTEGER NOT NULL,
    peer_group      INTEGER NOT NULL,
    won             INTEGER NOT NULL,
    PRIMARY KEY (workspace_id, customer_id, product_line_id, peer_group)
) WITHOUT ROWID;

CREATE TABLE peer_line_popularity (
    workspace_id    INTEGER NOT NULL,
    peer_group      INTEGER NOT NULL,
    product_line_id INTEGER NOT NULL,
    customers       INTEGER NOT NULL,
    PRIMARY KEY (workspace_id, peer_group, product_line_id)
) WITHOUT ROWID;

DROP INDEX opportunities_owner_stage;
CREATE INDEX opportunities_owner ON opportunities (workspace_id, owner_id, customer_id, stage);

INSERT INTO customer_line_stats (workspace_id, customer_id, product_line_id, won, open)
SELECT workspace_id, customer_id, product_line_id, SUM(stage = 'won'), SUM(stage <> 'won')
FROM opportunities WHERE stage <> 'lost'
GROUP BY workspace_id, customer_id, product_line_id;

INSERT INTO peer_won_lines (workspace_id, customer_id, product_line_id, peer_group, won)
SELECT workspace_id, customer_id, product_line_id, 0, COUNT(*)
FROM opportunities WHERE stage = 'won'
GROUP BY workspace_id, customer_id, product_line_id;

INSERT INTO peer_won_lines (workspace_id, customer_id, product_line_id, peer_group, won)
SELECT o.workspace_id, o.customer_id, o.product_line_id, u.team_id, COUNT(*)
FROM opportunities o JOIN users u ON u.workspace_id = o.workspace_id AND u.id = o.owner_id
WHERE o.stage = 'won' AND u.active = 1 AND u.team_id IS NOT NULL
GROUP BY o.workspace_id, o.customer_id, o.product_line_id, u.team_id;

INSERT INTO peer_line_popularity (workspace_id, peer_group, product_line_id, customers)
SELECT w.workspace_id, w.peer_group, w.product_line_id, COUNT(*)
FROM peer_won_lines w JOIN customers c ON c.workspace_id = w.workspace_id AND c.id = w.customer_id
WHERE c.status = 'current'
GROUP BY w.workspace_id, w.peer_group, w.product_line_id;

-- A written row fires each trigger of its table whatever the trigger's WHEN says, and imports
-- write rows by the hundred thousand: few triggers, each statement guarded by its own WHERE.
-- Inserts: the line counts for every row, the rest for won rows only.
CREATE TRIGGER opportunities_insert AFTER INSERT ON opportunities
WHEN NEW.stage <> 'lost' BEGIN
    INSERT INTO customer_line_stats (workspace_id, customer_id, product_line_id, won, open)
    VALUES (NEW.workspace_id, NEW.customer_id, NEW.product_line_id, NEW.stage = 'won',
            NEW.stage <> 'won')
    ON CONFLICT DO UPDATE SET won = won + excluded.won, open = open + excluded.open;
END;

CREATE TRIGGER opportunities_insert_won AFTER INSERT ON opportunities
WHEN NEW.stage = 'won' BEGIN
    -- A won opportunity makes its customer current (never the other way round).
    UPDATE customers SET status = 'current'
    WHERE workspace_id = NEW.workspace_id AND id = NEW.customer_id AND status <> 'current';
    INSERT INTO peer_won_lines (workspace_id, customer_id, product_line_id, peer_group, won)
    SELECT NEW.workspace_id, NEW.customer_id, NEW.product_line_id, 0, 1
    UNION ALL
    SELECT NEW.workspace_id, NEW.customer_id, NEW.product_line_id, u.team_id, 1 FROM users u
    WHERE u.workspace_id = NEW.workspace_id AND u.id = NEW.owner_id AND u.active = 1
      AND u.team_id IS NOT NULL
    ON CONFLICT DO UPDATE SET won = won + 1;
END;

CREATE TRIGGER opportunities_delete AFTER DELETE ON opportunities
WHEN OLD.stage <> 'lost' BEGIN
    UPDATE customer_line_stats
    SET won = won - (OLD.stage = 'won'), open = open - (OLD.stage <> 'won')
    WHERE workspace_id = OLD.workspace_id AND customer_id = OLD.customer_id
      AND product_line_id = OLD.product_line_id;
    DELETE FROM customer_line_stats
    WHERE workspace_id = OLD.workspace_id AND customer_id = OLD.customer_id
      AND product_line_id = OLD.product_line_id AND won = 0 AND open = 0;
    UPDATE peer_won_lines SET won = won - 1
    WHERE OLD.stage = 'won' AND workspace_id = OLD.workspace_id
      AND customer_id = OLD.customer_id AND product_line_id = OLD.product_line_id
      AND peer_group IN (0, (SELECT team_id FROM users WHERE workspace_id = OLD.workspace_id
                                                         AND id = OLD.owner_id AND active = 1));
    DELETE FROM peer_won_lines
    WHERE OLD.stage = 'won' AND workspace_id = OLD.workspace_id
      AND customer_id = OLD.customer_id AND product_line_id = OLD.product_line_id AND won = 0;
END;

-- An update takes the old row's share out and puts the new row's in.
CREATE TRIGGER opportunities_update
AFTER UPDATE OF owner_id, customer_id, product_line_id, stage ON opportunities
WHEN OLD.owner_id IS NOT NEW.owner_id OR OLD.customer_id IS NOT NEW.customer_id
  OR OLD.product_line_id IS NOT NEW.product_line_id OR OLD.stage IS NOT NEW.stage BEGIN
    UPDATE customer_line_stats
    SET won = won - (OLD.stage = 'won'), open = open - (OLD.stage <> 'won')
    WHERE OLD.stage <> 'lost' AND workspace_id = OLD.workspace_id
      AND customer_id = OLD.customer_id AND product_line_id = OLD.product_line_id;
    DELETE FROM customer_line_stats
    WHERE OLD.stage <> 'lost' AND workspace_id = OLD.workspace_id
      AND customer_id = OLD.customer_id AND product_line_id = OLD.product_line_id
      AND won = 0 AND open = 0;
    INSERT INTO customer_line_stats (workspace_id, customer_id, product_line_id, won, open)
    SELECT NEW.workspace_id, NEW.customer_id, NEW.product_line_id, NEW.stage = 'won',
           NEW.stage <> 'won'
    WHERE NEW.stage <> 'lost'
    ON CONFLICT DO UPDATE SET won = won + excluded.won, open = open + excluded.open;
    UPDATE peer_won_lines SET won = won - 1
    WHERE OLD.stage = 'won' AND workspace_id = OLD.workspace_id
      AND customer_id = OLD.customer_id AND product_line_id = OLD.product_line_id
      AND peer_group IN (0, (SELECT team_id FROM users WHERE workspace_id = OLD.workspace_id
                                                         AND id = OLD.owner_id AND active = 1));
    DELETE FROM peer_won_lines
    WHERE OLD.stage = 'won' AND workspace_id = OLD.workspace_id
      AND customer_id = OLD.customer_id AND product_line_id = OLD.product_line_id AND won = 0;
    INSERT INTO peer_won_lines (workspace_id, customer_id, product_line_id, peer_group, won)
    SELECT NEW.workspace_id, NEW.customer_id, NEW.product_line_id, 0, 1
    WHERE NEW.stage = 'won'
    UNION ALL
    SELECT NEW.workspace_id, NEW.customer_id, NEW.product_line_id, u.team_id, 1 FROM users u
    WHERE NEW.stage = 'won' AND u.workspace_id = NEW.workspace_id AND u.id = NEW.owner_id
      AND u.active = 1 AND u.team_id IS NOT NULL
    ON CONFLICT DO UPDATE SET won = won + 1;
END;

-- A current customer's rows count in the popularity of their group and line.
CREATE TRIGGER peer_won_lines_insert AFTER INSERT ON peer_won_lines
WHEN (SELECT status FROM customers
      WHERE workspace_id = NEW.workspace_id AND id = NEW.customer_id) = 'current' BEGIN
    INSERT INTO peer_line_popularity (workspace_id, peer_group, product_line_id, customers)
    VALUES (NEW.workspace_id, NEW.peer_group, NEW.product_line_id, 1)
    ON CONFLICT DO UPDATE SET customers = customers + 1;
END;

CREATE TRIGGER peer_won_lines_delete AFTER DELETE ON peer_won_lines
WHEN (SELECT status FROM customers
      WHERE workspace_id = OLD.workspace_id AND id = OLD.customer_id) = 'current' BEGIN
    UPDATE peer_line_popularity SET customers = customers - 1
    WHERE workspace_id = OLD.workspace_id AND peer_group = OLD.peer_group
      AND product_line_id = OLD.product_line_id;
    DELETE FROM peer_line_popularity
    WHERE workspace_id = OLD.workspace_id AND peer_group = OLD.peer_group
      AND product_line_id = OLD.product_line_id AND customers = 0;
END;

-- A customer becoming current (or a prospect again) counts (or stops counting) everywhere it
-- was bought.
CREATE TRIGGER customers_status_popularity AFTER UPDATE OF status ON customers
WHEN OLD.status IS NOT NEW.status BEGIN
    INSERT INTO peer_line_popularity (workspace_id, peer_group, product_line_id, customers)
    SELECT workspace_id, peer_group, product_line_id,
           CASE NEW.status WHEN 'current' THEN 1 ELSE -1 END
    FROM peer_won_lines WHERE workspace_id = NEW.workspace_id AND customer_id = NEW.id
    ON CONFLICT DO UPDATE SET customers = customers + excluded.customers;
    DELETE FROM peer_line_popularity
    WHERE workspace_id = NEW.workspace_id AND customers = 0
      AND (peer_group, product_line_id) IN (
          SELECT peer_group, product_line_id FROM peer_won_lines
          WHERE workspace_id = NEW.workspace_id AND customer_id = NEW.id);
END;

-- A person joining or leaving a team (or the workspace) takes their won deals along.
CREATE TRIGGER users_peer_group AFTER UPDATE OF team_id, active ON users
WHEN (CASE WHEN OLD.active = 1 THEN OLD.team_id END)
     IS NOT (CASE WHEN NEW.active = 1 THEN NEW.team_id END) BEGIN
    UPDATE peer_won_lines
    SET won = won - (SELECT COUNT(*) FROM opportunities o
                     WHERE o.workspace_id = OLD.workspace_id AND o.owner_id = OLD.id
                       AND o.customer_id = peer_won_lines.customer_id
                       AND o.product_line_id = peer_won_lines.product_line_id
                       AND o.stage = 'won')
    WHERE workspace_id = OLD.workspace_id
      AND peer_group = (CASE WHEN OLD.active = 1 THEN OLD.team_id END)
      AND (customer_id, product_line_id) IN (
          SELECT customer_id, product_line_id FROM opportunities
          WHERE workspace_id = OLD.workspace_id AND owner_id = OLD.id AND stage = 'won');
    DELETE FROM peer_won_lines
    WHERE workspace_id = OLD.workspace_id
      AND peer_group = (CASE WHEN OLD.active = 1 THEN OLD.team_id END) AND won = 0
      AND (customer_id, product_line_id) IN (
          SELECT customer_id, product_line_id FROM opportunities
          WHERE workspace_id = OLD.workspace_id AND owner_id = OLD.id AND stage = 'won');
    INSERT INTO peer_won_lines (workspace_id, customer_id, product_line_id, peer_group, won)
    SELECT NEW.workspace_id, customer_id, product_line_id, NEW.team_id, COUNT(*)
    FROM opportunities
    WHERE NEW.active = 1 AND NEW.team_id IS NOT NULL AND workspace_id = NEW.workspace_id
      AND owner_id = NEW.id AND stage = 'won'
    GROUP BY customer_id, product_line_id
    ON CONFLICT DO UPDATE SET won = won + excluded.won;
END;
)sql";

// Version 6: a check reads what it needs in two statements of rows it owns.
// - customers.covered_lines: the ids of the lines the customer has a won or an open opportunity
//   on (any owner), comma-separated in no particular order: the customer_line_stats rows,
//   folded into the customer's row so a rep's accounts come with their lines (a row per account
//   instead of one per account and line). Kept by two triggers that fire only when a
//   (customer, line) row appears or goes.
// - the owner index also holds the columns the balance check reads (line, customer type,
//   amount, created time): a rep's funnel is read from the index alone. The opportunity's name,
//   dates and external id stay out of it (an index with every column made an import a fifth
//   dearer).
constexpr std::string_view kMigrationV6 = R"sql(
ALTER TABLE customers ADD COLUMN covered_lines TEXT NOT NULL DEFAULT '';

UPDATE customers SET covered_lines = coalesce(
    (SELECT group_concat(product_line_id) FROM customer_line_stats s
     WHERE s.workspace_id = customers.workspace_id AND s.customer_id = customers.id), '');

-- A new (customer, line) row adds its line; an import makes tens of thousands, so it appends
-- rather than re-reading the customer's rows (readers sort the few ids).
CREATE TRIGGER customer_line_stats_insert AFTER INSERT ON customer_line_stats BEGIN
    UPDATE customers SET covered_lines = CASE covered_lines WHEN '' THEN NEW.product_line_id
                                         ELSE covered_lines || ',' || NEW.product_line_id END
    WHERE workspace_id = NEW.workspace_id AND id = NEW.customer_id;
END;

CREATE TRIGGER customer_line_stats_delete AFTER DELETE ON customer_line_stats BEGIN
    UPDATE customers SET covered_lines = coalesce(
        (SELECT group_concat(product_line_id) FROM customer_line_stats
         WHERE workspace_id = OLD.workspace_id AND customer_id = OLD.customer_id), '')
    WHERE workspace_id = OLD.workspace_id AND id = OLD.customer_id;
END;

DROP INDEX opportunities_owner;
CREATE INDEX opportunities_owner ON opportunities
    (workspace_id, owner_id, customer_id, stage, product_line_id, customer_type, amount,
     created_at);
)sql";

// Version 7: opportunities.stage's CHECK as six comparisons instead of an IN list. SQLite checks
// a constant IN list of more than two values through a temporary b-tree that it builds again for
// every row written: an import of 100,000 rows built 100,000 of them, a twentieth of its CPU.
// The rule is the same, so no stored row changes: the table's text is edited in place, as SQLite
// documents for changes that leave the stored content as it is
// (https://www.sqlite.org/lang_altertable.html#otheralter), this connection reloads the schema
// (RESET), and a throwaway table moves the schema version on so every other connection reloads
// it too. The old text is the one version 1 wrote, whitespace and all (a file whose text differed
// would keep its IN list: slower, never wrong).
constexpr std::string_view kMigrationV7 = R"sql(
PRAGMA writable_schema = ON;
UPDATE sqlite_schema SET sql = replace(sql,
    'CHECK (stage IN (''prospecting'', ''qualification'', ''proposal'',
                                                      ''negotiation'', ''won'', ''lost''))',
    'CHECK (stage = ''prospecting'' OR stage = ''qualification'' OR stage = ''proposal''
                                    OR stage = ''negotiation'' OR stage = ''won'' OR stage = ''lost'')')
WHERE type = 'table' AND name = 'opportunities';
PRAGMA writable_schema = RESET;
CREATE TABLE schema_version_7_reload (unused INTEGER);
DROP TABLE schema_version_7_reload;
)sql";

constexpr std::array<std::string_view, 7> kMigrations = {kMigrationV1, kMigrationV2, kMigrationV3,
                                                         kMigrationV4, kMigrationV5, kMigrationV6,
                                                         kMigrationV7};

static_assert(kMigrations.size() == Database::kSchemaVersion, "one migration per schema version");

}  // namespace

std::span<const std::string_view> schema_migrations() {
    return kMigrations;
}

}  // namespace funnelbot::storage::detail

#include "storage/import_journal.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "storage/sql_support.hpp"
#include "storage/transaction.hpp"

namespace funnelbot::storage {
namespace {

// The opportunity columns a run keeps before changing a row, and restores on undo.
constexpr const char* kOpportunityColumns =
    "workspace_id, owner_id, customer_id, product_line_id, name, amount, stage, customer_type, "
    "close_date, created_at, updated_at, closed_at, external_id, source_event_id";

bool is_file(const std::string& path) {
    return !path.empty() && path != ":memory:" && path.rfind("file::memory:", 0) != 0;
}

Id max_id(Database& db, const char* table) {
    auto st = detail::cached(db, std::string("SELECT COALESCE(MAX(id), 0) FROM ") + table);
    st->executeStep();
    return st->getColumn(0).getInt64();
}

// Runs `statements` (each bound to `run` as ?1 and `limit` as ?2) in one transaction after
// another until the last of them changes no more rows. Each step's statements select the same
// rows (ORDER BY id LIMIT ?2), so a step that restores rows also removes their journal entries.
void in_steps(Database& db, const std::vector<std::string>& statements, Id run, int limit) {
    for (;;) {
        Transaction tx(db, Transaction::Lock::immediate);
        int changed = 0;
        for (const std::string& sql : statements) {
            auto st = detail::cached(db, sql);
            st->bind(1, run);
            if (st->getBindParameterCount() > 1) st->bind(2, limit);
            changed = st->exec();
        }
        tx.commit();
        if (changed == 0) return;
    }
}

std::vector<Id> runs_in_state(Database& db, const char* state) {
    auto st = detail::cached(db, "SELECT id FROM import_runs WHERE state = ? ORDER BY id");
    st->bind(1, state);
    std::vector<Id> out;
    while (st->executeStep())
        out.push_back(st->getColumn(0).getInt64());
    return out;
}

}  // namespace

std::optional<ImportLock> ImportLock::try_acquire(const std::string& database_path) {
    if (!is_file(database_path)) return ImportLock(-1);
    const std::string path = database_path + "-import.lock";
    const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) {
        throw StorageError("cannot open the import lock " + path + ": " + std::strerror(errno));
    }
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        const int error = errno;
        ::close(fd);
        if (error == EWOULDBLOCK) return std::nullopt;
        throw StorageError("cannot lock " + path + ": " + std::strerror(error));
    }
    return ImportLock(fd);
}

ImportLock::ImportLock(ImportLock&& other) noexcept : fd_(other.fd_) {
    other.fd_ = -1;
}

ImportLock::~ImportLock() {
    if (fd_ >= 0) ::close(fd_);  // closing the only descriptor releases the flock
}

Id ImportJournal::begin(Id workspace_id, analysis::Instant now) {
    return detail::guarded("import journal begin", [&] {
        auto st = detail::cached(
            db_,
            "INSERT INTO import_runs (workspace_id, state, started_at) VALUES (?, 'running', ?)");
        st->bind(1, workspace_id);
        st->bind(2, detail::to_unix(now));
        st->exec();
        return detail::sql(db_).getLastInsertRowid();
    });
}

ImportJournal::MaxIds ImportJournal::max_ids() {
    return {max_id(db_, "opportunities"), max_id(db_, "customers"), max_id(db_, "product_lines"),
            max_id(db_, "users")};
}

void ImportJournal::step_started() {
    at_step_start_ = detail::guarded("import journal step", [&] { return max_ids(); });
}

void ImportJournal::step_ending(Id run) {
    detail::guarded("import journal step", [&] {
        const MaxIds now = max_ids();
        const std::pair<const char*, std::pair<Id, Id>> ranges[] = {
            {"opportunities", {at_step_start_.opportunities, now.opportunities}},
            {"customers", {at_step_start_.customers, now.customers}},
            {"product_lines", {at_step_start_.product_lines, now.product_lines}},
            {"users", {at_step_start_.users, now.users}},
        };
        for (const auto& [table, range] : ranges) {
            if (range.second <= range.first) continue;
            auto st = detail::cached(db_,
                                     "INSERT INTO import_created (run_id, table_name, first_id, "
                                     "last_id) VALUES (?, ?, ?, ?)");
            st->bind(1, run);
            st->bind(2, table);
            st->bind(3, range.first + 1);
            st->bind(4, range.second);
            st->exec();
        }
        at_step_start_ = now;
    });
}

void ImportJournal::keep_opportunity(Id run, Id opportunity_id) {
    detail::guarded("import journal keep opportunity", [&] {
        auto st = detail::cached(db_, std::string("INSERT OR IGNORE INTO import_kept_opportunities "
                                                  "(run_id, id, ") +
                                          kOpportunityColumns + ") SELECT ?, id, " +
                                          kOpportunityColumns + " FROM opportunities WHERE id = ?");
        st->bind(1, run);
        st->bind(2, opportunity_id);
        st->exec();
    });
}

void ImportJournal::keep_customer_status(Id run, Id customer_id) {
    detail::guarded("import journal keep customer", [&] {
        auto st = detail::cached(db_,
                                 "INSERT OR IGNORE INTO import_kept_customers (run_id, id, status) "
                                 "SELECT ?, id, status FROM customers WHERE id = ?");
        st->bind(1, run);
        st->bind(2, customer_id);
        st->exec();
    });
}

void ImportJournal::finish(Id run) {
    detail::guarded("import journal finish", [&] {
        auto st = detail::cached(db_, "UPDATE import_runs SET state = 'done' WHERE id = ?");
        st->bind(1, run);
        st->exec();
    });
}

void ImportJournal::undo(Id run, int step) {
    detail::guarded("undo import", [&] {
        // Opportunities back as they were (before deleting created rows: a kept row may point at
        // a customer the run created only if the run moved it there), then customers' status.
        in_steps(db_,
                 {std::string("UPDATE opportunities SET (") + kOpportunityColumns + ") = (SELECT " +
                      kOpportunityColumns +
                      " FROM import_kept_opportunities k WHERE k.run_id = ?1 AND k.id = "
                      "opportunities.id) WHERE id IN (SELECT id FROM import_kept_opportunities "
                      "WHERE run_id = ?1 ORDER BY id LIMIT ?2)",
                  "DELETE FROM import_kept_opportunities WHERE run_id = ?1 AND id IN (SELECT id "
                  "FROM import_kept_opportunities WHERE run_id = ?1 ORDER BY id LIMIT ?2)"},
                 run, step);
        in_steps(db_,
                 {"UPDATE customers SET status = (SELECT status FROM import_kept_customers k WHERE "
                  "k.run_id = ?1 AND k.id = customers.id) WHERE id IN (SELECT id FROM "
                  "import_kept_customers WHERE run_id = ?1 ORDER BY id LIMIT ?2)",
                  "DELETE FROM import_kept_customers WHERE run_id = ?1 AND id IN (SELECT id FROM "
                  "import_kept_customers WHERE run_id = ?1 ORDER BY id LIMIT ?2)"},
                 run, step);
        // Created rows, newest tables first: opportunities, then what only they referred to.
        in_steps(
            db_,
            {"DELETE FROM opportunities WHERE id IN (SELECT o.id FROM import_created c JOIN "
             "opportunities o ON o.id BETWEEN c.first_id AND c.last_id WHERE c.run_id = ?1 AND "
             "c.table_name = 'opportunities' LIMIT ?2)"},
            run, step);
        in_steps(db_,
                 {"DELETE FROM customers WHERE id IN (SELECT x.id FROM import_created c JOIN "
                  "customers x ON x.id BETWEEN c.first_id AND c.last_id WHERE c.run_id = ?1 AND "
                  "c.table_name = 'customers' AND NOT EXISTS (SELECT 1 FROM opportunities o WHERE "
                  "o.workspace_id = x.workspace_id AND o.customer_id = x.id) LIMIT ?2)"},
                 run, step);
        in_steps(
            db_,
            {"DELETE FROM product_lines WHERE id IN (SELECT x.id FROM import_created c JOIN "
             "product_lines x ON x.id BETWEEN c.first_id AND c.last_id WHERE c.run_id = ?1 "
             "AND c.table_name = 'product_lines' AND NOT EXISTS (SELECT 1 FROM opportunities o "
             "WHERE o.workspace_id = x.workspace_id AND o.product_line_id = x.id) AND NOT "
             "EXISTS (SELECT 1 FROM responsible_lines r WHERE r.workspace_id = x.workspace_id "
             "AND r.product_line_id = x.id) LIMIT ?2)"},
            run, step);
        // Placeholder owners only: someone who has used funnelbot since (linked by e-mail or an
        // admin) is a person now, and stays.
        in_steps(
            db_,
            {"DELETE FROM users WHERE id IN (SELECT x.id FROM import_created c JOIN users x ON "
             "x.id BETWEEN c.first_id AND c.last_id WHERE c.run_id = ?1 AND c.table_name = "
             "'users' AND x.platform_user_id IS NULL AND x.team_id IS NULL AND NOT EXISTS "
             "(SELECT 1 FROM opportunities o WHERE o.workspace_id = x.workspace_id AND "
             "o.owner_id = x.id) AND NOT EXISTS (SELECT 1 FROM teams t WHERE t.workspace_id = "
             "x.workspace_id AND t.manager_id = x.id) AND NOT EXISTS (SELECT 1 FROM "
             "responsible_lines r WHERE r.workspace_id = x.workspace_id AND r.user_id = x.id) "
             "LIMIT ?2)"},
            run, step);
    });
    discard(run, step);
}

void ImportJournal::discard(Id run, int step) {
    detail::guarded("discard import journal", [&] {
        for (const char* table :
             {"import_kept_opportunities", "import_kept_customers", "import_created"}) {
            in_steps(db_,
                     {std::string("DELETE FROM ") + table + " WHERE rowid IN (SELECT rowid FROM " +
                      table + " WHERE run_id = ?1 LIMIT ?2)"},
                     run, step);
        }
        Transaction tx(db_, Transaction::Lock::immediate);
        auto st = detail::cached(db_, "DELETE FROM import_runs WHERE id = ?");
        st->bind(1, run);
        st->exec();
        tx.commit();
    });
}

int recover_imports(Database& db, const std::string& database_path) {
    const auto running = detail::guarded("look for unfinished imports",
                                         [&] { return runs_in_state(db, "running"); });
    const auto done =
        detail::guarded("look for unfinished imports", [&] { return runs_in_state(db, "done"); });
    if (running.empty() && done.empty()) return 0;
    // An import in progress holds the lock; its runs are not ours to touch.
    const auto lock = ImportLock::try_acquire(database_path);
    if (!lock) return 0;
    ImportJournal journal(db);
    for (const Id run : done)
        journal.discard(run);
    for (const Id run : running)
        journal.undo(run);
    return static_cast<int>(running.size());
}

}  // namespace funnelbot::storage

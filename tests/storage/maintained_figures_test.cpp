// The figures the schema keeps up to date (schema v5: customer_line_stats, peer_won_lines,
// peer_line_popularity; v6: customers.covered_lines) against the same figures computed from
// scratch, after every kind of write; the upgrade of a v4 file; and the plans of the queries every
// check runs.
#include <SQLiteCpp/Statement.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "storage/check_queries.hpp"
#include "storage/funnel_reader.hpp"
#include "storage_test_support.hpp"

namespace funnelbot::storage::testing {
namespace {

using analysis::Stage;
using Rows = std::vector<std::vector<std::int64_t>>;

Rows rows_of(SQLite::Database& sql, const std::string& query, Id ws) {
    SQLite::Statement st(sql, query);
    st.bind(1, ws);
    Rows out;
    while (st.executeStep()) {
        std::vector<std::int64_t> row;
        for (int i = 0; i < st.getColumnCount(); ++i)
            row.push_back(st.getColumn(i).getInt64());
        out.push_back(std::move(row));
    }
    return out;
}

// What v4 and earlier asked SQLite for a rep's accounts: every opportunity of every account.
std::vector<analysis::CrossSellAccount> accounts_from_scratch(SQLite::Database& sql, Id ws,
                                                              Id rep) {
    SQLite::Statement st(
        sql,
        "WITH accounts AS ("
        "  SELECT DISTINCT c.id, c.name FROM opportunities mine"
        "  JOIN customers c ON c.workspace_id = mine.workspace_id AND c.id = mine.customer_id"
        "  WHERE mine.workspace_id = ?1 AND mine.owner_id = ?2 AND c.status = 'current')"
        " SELECT a.id, a.name, o.product_line_id"
        " FROM accounts a LEFT JOIN opportunities o"
        "  ON o.workspace_id = ?1 AND o.customer_id = a.id AND o.stage <> 'lost'"
        " GROUP BY a.id, o.product_line_id"
        " ORDER BY a.name COLLATE NOCASE, a.id, o.product_line_id");
    st.bind(1, ws);
    st.bind(2, rep);
    std::vector<analysis::CrossSellAccount> out;
    while (st.executeStep()) {
        const Id id = st.getColumn(0).getInt64();
        if (out.empty() || out.back().customer_id != id)
            out.push_back({id, st.getColumn(1).getString(), {}});
        if (!st.getColumn(2).isNull())
            out.back().covered_lines.push_back(st.getColumn(2).getInt64());
    }
    return out;
}

// The same accounts, whatever their order (the funnel reader's are by id, the rest by name).
void expect_same_accounts(std::vector<analysis::CrossSellAccount> got,
                          std::vector<analysis::CrossSellAccount> want, const std::string& where) {
    ASSERT_EQ(got.size(), want.size()) << where;
    const auto by_id = [](const analysis::CrossSellAccount& a,
                          const analysis::CrossSellAccount& b) {
        return a.customer_id < b.customer_id;
    };
    std::sort(got.begin(), got.end(), by_id);
    std::sort(want.begin(), want.end(), by_id);
    for (std::size_t i = 0; i < got.size(); ++i) {
        EXPECT_EQ(got[i].customer_id, want[i].customer_id) << where << " #" << i;
        EXPECT_EQ(got[i].name, want[i].name) << where << " #" << i;
        EXPECT_EQ(got[i].covered_lines, want[i].covered_lines) << where << " #" << i;
    }
}

// The fields FunnelReader reads (those the balance check uses) equal the full rows'.
void expect_same_check_fields(const std::vector<analysis::Opportunity>& got,
                              const std::vector<analysis::Opportunity>& want,
                              const std::string& where) {
    ASSERT_EQ(got.size(), want.size()) << where;
    for (std::size_t i = 0; i < got.size(); ++i) {
        const auto& g = got[i];
        const auto& w = want[i];
        EXPECT_EQ(std::tie(g.id, g.owner_id, g.customer_id, g.customer_name, g.product_line_id,
                           g.product_line_name, g.amount, g.stage, g.customer_type, g.created_at),
                  std::tie(w.id, w.owner_id, w.customer_id, w.customer_name, w.product_line_id,
                           w.product_line_name, w.amount, w.stage, w.customer_type, w.created_at))
            << where << " #" << i;
    }
}

class MaintainedFiguresTest : public StorageTest {
protected:
    SQLite::Database& sql() { return storage::detail::sql(db_); }

    // Every customer's covered_lines as (customer, line) rows, ordered.
    Rows covered_lines_of(Id ws) {
        SQLite::Statement st(sql(),
                             "SELECT id, covered_lines FROM customers WHERE workspace_id = ?"
                             " ORDER BY id");
        st.bind(1, ws);
        Rows out;
        while (st.executeStep()) {
            const Id id = st.getColumn(0).getInt64();
            for (const Id line : storage::detail::line_ids_from_text(st.getColumn(1).getText(), id))
                out.push_back({id, line});
        }
        return out;
    }

    // Every maintained figure of workspace `ws` equals the one computed from the opportunities.
    void expect_consistent(Id ws, const std::string& where) {
        EXPECT_EQ(rows_of(sql(),
                          "SELECT customer_id, product_line_id, won, open FROM customer_line_stats"
                          " WHERE workspace_id = ? ORDER BY 1, 2",
                          ws),
                  rows_of(sql(),
                          "SELECT customer_id, product_line_id, SUM(stage = 'won'),"
                          " SUM(stage NOT IN ('won', 'lost')) FROM opportunities"
                          " WHERE workspace_id = ? AND stage <> 'lost' GROUP BY 1, 2 ORDER BY 1, 2",
                          ws))
            << where;
        EXPECT_EQ(covered_lines_of(ws),
                  rows_of(sql(),
                          "SELECT DISTINCT customer_id, product_line_id FROM opportunities"
                          " WHERE workspace_id = ? AND stage <> 'lost' ORDER BY 1, 2",
                          ws))
            << where;
        EXPECT_EQ(customers_.peer_line_popularity(ws, std::nullopt),
                  customers_.line_popularity(ws, {}))
            << where;
        for (const auto& team : teams_.list(ws)) {
            std::vector<Id> members;
            for (const auto& u : users_.list_team(ws, team.id))
                members.push_back(u.id);
            const auto expected = members.empty() ? std::map<Id, std::int64_t>{}
                                                  : customers_.line_popularity(ws, members);
            EXPECT_EQ(customers_.peer_line_popularity(ws, team.id), expected)
                << where << ", team " << team.name;
        }
        for (const auto& u : users_.list(ws, false)) {
            const auto from_scratch = accounts_from_scratch(sql(), ws, u.id);
            expect_same_accounts(customers_.current_accounts_of(ws, u.id), from_scratch,
                                 where + ", accounts of " + u.name);
            // The check's own reader gives the same accounts and the same opportunities.
            const auto rows = FunnelReader(db_).read(ws, u.id);
            expect_same_accounts(rows.current_accounts, from_scratch,
                                 where + ", funnel reader accounts of " + u.name);
            expect_same_check_fields(rows.opportunities,
                                     opps_.list(ws, filter(OpportunityFilter::Status::all, u.id)),
                                     where + ", funnel reader opportunities of " + u.name);
        }
    }
};

// A thousand random writes of every kind the application makes (new deals at any stage, stage,
// line, customer and owner changes, removals, customers marked current or prospect, people
// moving teams, leaving and coming back, deals reassigned), checked after each one, in two
// workspaces so neither sees the other's.
TEST_F(MaintainedFiguresTest, EqualTheFiguresFromScratchAfterEveryKindOfWrite) {
    struct Space {
        Id ws;
        std::vector<Id> users, teams, customers, lines, opps;
    };
    std::vector<Space> spaces;
    for (const Id ws : {ws_, other_ws_}) {
        Space s{ws, {}, {}, {}, {}, {}};
        for (const char* t : {"East", "West"})
            s.teams.push_back(teams_.create(ws, t, std::nullopt).id);
        for (int u = 0; u < 6; ++u) {
            const std::optional<Id> team =
                u < 4 ? std::optional<Id>(s.teams[static_cast<std::size_t>(u % 2)]) : std::nullopt;
            s.users.push_back(make_user(ws, "user" + std::to_string(u), team).id);
        }
        for (int c = 0; c < 8; ++c)
            s.customers.push_back(
                customers_.find_or_create(ws, "Customer " + std::to_string(c)).id);
        for (const char* l : {"Alpha", "Beta", "Gamma", "Delta"})
            s.lines.push_back(make_line(ws, l).id);
        spaces.push_back(std::move(s));
    }
    std::uint64_t state = 11;
    const auto next = [&](std::size_t n) {
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        return static_cast<std::size_t>((state >> 33) % n);
    };
    const auto pick = [&](const std::vector<Id>& v) { return v[next(v.size())]; };
    const auto stage = [&] { return static_cast<Stage>(next(6)); };

    for (int step = 0; step < 1000; ++step) {
        Space& s = spaces[next(spaces.size())];
        const std::size_t kind = s.opps.empty() ? 0 : next(10);
        std::string what;
        if (kind <= 2) {
            analysis::Opportunity o;
            o.owner_id = pick(s.users);
            o.customer_id = pick(s.customers);
            o.product_line_id = pick(s.lines);
            o.stage = stage();
            o.name = next(2) == 0 ? "" : "Deal " + std::to_string(step);
            o.amount = static_cast<Money>(next(1'000'000));
            o.customer_type = next(2) == 0 ? analysis::CustomerType::new_customer
                                           : analysis::CustomerType::existing;
            if (next(2) == 0) {
                o.close_date = date(2026, static_cast<unsigned>(1 + next(12)),
                                    static_cast<unsigned>(1 + next(28)));
            }
            o.created_at = at(1'700'000'000 + static_cast<std::int64_t>(next(10'000'000)));
            o.updated_at = o.created_at;
            if (!analysis::is_open(o.stage)) o.closed_at = o.created_at;
            if (next(3) == 0) o.external_id = "006" + std::to_string(step);
            s.opps.push_back(opps_.create(s.ws, o).id);
            what = "insert";
        } else if (kind <= 5) {
            auto o = *opps_.get(s.ws, pick(s.opps));
            switch (next(4)) {
                case 0:
                    o.stage = stage();
                    break;
                case 1:
                    o.product_line_id = pick(s.lines);
                    break;
                case 2:
                    o.customer_id = pick(s.customers);
                    break;
                default:
                    o.owner_id = pick(s.users);
                    break;
            }
            opps_.update(s.ws, o);
            what = "update";
        } else if (kind == 6) {
            const std::size_t i = next(s.opps.size());
            opps_.remove(s.ws, s.opps[i]);
            s.opps.erase(s.opps.begin() + static_cast<std::ptrdiff_t>(i));
            what = "remove";
        } else if (kind == 7) {
            customers_.set_status(
                s.ws, pick(s.customers),
                next(2) == 0 ? CustomerStatus::current : CustomerStatus::prospect);
            what = "customer status";
        } else if (kind == 8) {
            auto u = *users_.get(s.ws, pick(s.users));
            if (next(2) == 0) {
                u.team_id = next(3) == 0 ? std::nullopt : std::optional<Id>(pick(s.teams));
            } else {
                u.active = !u.active;
            }
            users_.update(u);
            what = "team or active";
        } else {
            opps_.reassign(s.ws, pick(s.users), pick(s.users));
            what = "reassign";
        }
        for (const Space& checked : spaces) {
            expect_consistent(checked.ws, "step " + std::to_string(step) + " (" + what + ")");
        }
        if (::testing::Test::HasFailure()) break;  // the first divergence is the one to read
    }
}

// A file written by a v4 funnelbot, with data it wrote (no triggers ran), gets its figures
// computed by the upgrade and kept from then on.
TEST(MaintainedFiguresUpgradeTest, AVersionFourFileGetsItsFiguresAndKeepsThem) {
    TempDir dir;
    const std::string path = dir.file("v4.db");
    Id ws = 0, ann = 0, bob = 0, carl = 0, east = 0, widgets = 0, gadgets = 0;
    {
        Database db(path);
        ws = WorkspaceRepository(db).find_or_create(Platform::slack, "T1", "UTC").id;
        east = TeamRepository(db).create(ws, "East", std::nullopt).id;
        undo_v5(storage::detail::sql(db));
        // From here on, as v4 wrote: rows only, nothing maintained.
        UserRepository users(db);
        User u;
        u.workspace_id = ws;
        for (const char* name : {"ann", "bob", "carl"}) {
            u.name = name;
            u.platform_user_id = std::string("U-") + name;
            u.team_id = std::string(name) == "carl" ? std::nullopt : std::optional<Id>(east);
            const Id id = users.create(u).id;
            (std::string(name) == "ann" ? ann : std::string(name) == "bob" ? bob : carl) = id;
        }
        analysis::ProductLine line;
        line.name = "Widgets";
        widgets = ProductLineRepository(db).create(ws, line).id;
        line.name = "Gadgets";
        gadgets = ProductLineRepository(db).create(ws, line).id;
        auto& sql = storage::detail::sql(db);
        sql.exec(
            "INSERT INTO customers (workspace_id, name, key, status) VALUES"
            " (" +
            std::to_string(ws) +
            ", 'Acme', 'acme', 'current'),"
            " (" +
            std::to_string(ws) +
            ", 'Globex', 'globex', 'current'),"
            " (" +
            std::to_string(ws) + ", 'Hooli', 'hooli', 'prospect')");
        const auto opp = [&](Id owner, const char* customer, Id line_id, const char* stage) {
            sql.exec(
                "INSERT INTO opportunities (workspace_id, owner_id, customer_id,"
                " product_line_id, stage, customer_type, created_at, updated_at)"
                " SELECT " +
                std::to_string(ws) + ", " + std::to_string(owner) + ", id, " +
                std::to_string(line_id) + ", '" + stage +
                "', 'new', 0, 0 FROM customers WHERE key = '" + customer + "'");
        };
        opp(ann, "acme", widgets, "won");
        opp(ann, "acme", widgets, "won");
        opp(bob, "acme", gadgets, "proposal");
        opp(carl, "globex", gadgets, "won");
        opp(carl, "hooli", widgets, "won");  // a prospect again: counts nowhere
        opp(ann, "globex", widgets, "lost");
    }
    Database db(path);
    EXPECT_EQ(db.schema_version(), 7);
    CustomerRepository customers(db);
    EXPECT_EQ(customers.peer_line_popularity(ws, std::nullopt),
              (std::map<Id, std::int64_t>{{widgets, 1}, {gadgets, 1}}));
    EXPECT_EQ(customers.peer_line_popularity(ws, east), (std::map<Id, std::int64_t>{{widgets, 1}}));
    EXPECT_EQ(customers.peer_line_popularity(ws, east), customers.line_popularity(ws, {ann, bob}));
    for (const Id rep : {ann, bob, carl}) {
        expect_same_accounts(customers.current_accounts_of(ws, rep),
                             accounts_from_scratch(storage::detail::sql(db), ws, rep),
                             "rep " + std::to_string(rep));
    }
    // The triggers run from now on: bob wins Gadgets at Globex.
    const Id globex = customers.find(ws, "Globex")->id;
    analysis::Opportunity o;
    o.owner_id = bob;
    o.customer_id = globex;
    o.product_line_id = gadgets;
    o.stage = Stage::won;
    OpportunityRepository(db).create(ws, o);
    EXPECT_EQ(customers.peer_line_popularity(ws, east),
              (std::map<Id, std::int64_t>{{widgets, 1}, {gadgets, 1}}));
    EXPECT_EQ(customers.peer_line_popularity(ws, std::nullopt),
              (std::map<Id, std::int64_t>{{widgets, 1}, {gadgets, 1}}));
}

// An opportunity whose customer row is gone (a damaged file: the foreign key forbids it) stops the
// read with a message naming the customer, rather than leaving the opportunity out of the check.
TEST_F(MaintainedFiguresTest, TheFunnelReaderRefusesAnOpportunityWhoseCustomerIsGone) {
    const Id rep = make_user(ws_, "ana").id;
    const Id line = make_line(ws_, "Widgets").id;
    analysis::Opportunity o;
    o.owner_id = rep;
    o.product_line_id = line;
    o.customer_id = customers_.find_or_create(ws_, "Initech").id;
    opps_.create(ws_, o);
    o.customer_id = customers_.find_or_create(ws_, "Umbrella").id;
    opps_.create(ws_, o);
    EXPECT_EQ(FunnelReader(db_).read(ws_, rep).opportunities.size(), 2u);

    sql().exec("PRAGMA foreign_keys = OFF");
    sql().exec("DELETE FROM customers WHERE id = " + std::to_string(o.customer_id));
    sql().exec("PRAGMA foreign_keys = ON");
    try {
        (void)FunnelReader(db_).read(ws_, rep);
        ADD_FAILURE() << "read a funnel with a customer missing";
    } catch (const StorageError& e) {
        EXPECT_NE(
            std::string(e.what()).find("customer " + std::to_string(o.customer_id) + " vanished"),
            std::string::npos)
            << e.what();
    }
}

// The queries every check runs stay on their indexes: their cost follows the rep's own funnel.
class CheckQueryPlanTest : public StorageTest {
protected:
    std::string plan(const std::string& query) {
        SQLite::Statement st(storage::detail::sql(db_), "EXPLAIN QUERY PLAN " + query);
        std::string out;
        while (st.executeStep())
            out += st.getColumn(3).getString() + "\n";
        return out;
    }
};

TEST_F(CheckQueryPlanTest, ARepsFunnelIsFoundThroughTheOwnerIndex) {
    const std::string p =
        plan(storage::detail::opportunity_select() + storage::detail::kRepFunnelWhere);
    EXPECT_NE(p.find("SEARCH o USING INDEX opportunities_owner (workspace_id=? AND owner_id=?)"),
              std::string::npos)
        << p;
    EXPECT_EQ(p.find("SCAN"), std::string::npos) << p;
}

TEST_F(CheckQueryPlanTest, CurrentAccountsStartFromTheRepsOwnOpportunities) {
    const std::string p = plan(storage::detail::kCurrentAccounts);
    EXPECT_NE(p.find("SEARCH opportunities USING COVERING INDEX opportunities_owner "
                     "(workspace_id=? AND owner_id=?)"),
              std::string::npos)
        << p;
    EXPECT_NE(p.find("SEARCH c USING INTEGER PRIMARY KEY"), std::string::npos) << p;
    // The only scan is over the rep's own customer ids (the CTE), never a table.
    EXPECT_EQ(p.find("SCAN c"), std::string::npos) << p;
    EXPECT_EQ(p.find("SCAN opportunities"), std::string::npos) << p;
    EXPECT_EQ(p.find("customer_line_stats"), std::string::npos) << p;
}

TEST_F(CheckQueryPlanTest, TheFunnelReaderStaysOnTheRepsRows) {
    // The opportunities from the index alone, already in customer order (no sort), each
    // customer by its id: nothing else is read, and no temporary b-tree is built.
    EXPECT_EQ(plan(storage::detail::kRepOpportunities),
              "SEARCH o USING COVERING INDEX opportunities_owner (workspace_id=? AND "
              "owner_id=?)\nSEARCH c USING INTEGER PRIMARY KEY (rowid=?) LEFT-JOIN\n");
}

// A rep's lines: the workspace's few lines by their unique (workspace, id) index, in id order
// with no sort, and the two lists' few entries from their partial indexes.
TEST_F(CheckQueryPlanTest, ARepsLinesAreShortIndexRanges) {
    EXPECT_EQ(plan(storage::detail::kWorkspaceLines),
              "SEARCH product_lines USING INDEX sqlite_autoindex_product_lines_1 "
              "(workspace_id=?)\n");
    const std::string p = plan(storage::detail::kRepListedLines);
    EXPECT_NE(p.find("SEARCH responsible_lines USING COVERING INDEX responsible_lines_user "
                     "(workspace_id=? AND user_id=?)"),
              std::string::npos)
        << p;
    EXPECT_NE(p.find("SEARCH responsible_lines USING COVERING INDEX responsible_lines_team "
                     "(workspace_id=? AND team_id=?)"),
              std::string::npos)
        << p;
    EXPECT_NE(p.find("SEARCH users USING INTEGER PRIMARY KEY (rowid=?)"), std::string::npos) << p;
    EXPECT_EQ(p.find("SCAN"), std::string::npos) << p;
    EXPECT_EQ(p.find("TEMP B-TREE"), std::string::npos) << p;
}

// A team summary (each manager's Friday message) reads the team's members' rows only.
TEST_F(CheckQueryPlanTest, ATeamsOpportunitiesComeFromItsMembers) {
    const std::string p = plan(storage::detail::team_opportunities_sql());
    EXPECT_NE(p.find("SEARCH u USING INDEX users_team (workspace_id=? AND team_id=?)"),
              std::string::npos)
        << p;
    EXPECT_NE(p.find("SEARCH o USING INDEX opportunities_owner (workspace_id=? AND owner_id=?)"),
              std::string::npos)
        << p;
    EXPECT_NE(p.find("RIGHT PART OF ORDER BY"), std::string::npos) << p;  // one member at a time
}

TEST_F(CheckQueryPlanTest, LinePopularityIsAPrimaryKeyRange) {
    const std::string p = plan(storage::detail::kPeerLinePopularity);
    EXPECT_NE(p.find("SEARCH peer_line_popularity USING PRIMARY KEY (workspace_id=? AND "
                     "peer_group=?)"),
              std::string::npos)
        << p;
}

}  // namespace
}  // namespace funnelbot::storage::testing

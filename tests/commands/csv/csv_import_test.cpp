// CSV import and export against a real SQLite file (DESIGN.md "CSV import and export").
#include "commands/csv/csv_import.hpp"
#include "commands/command_dispatch.hpp"
#include "commands/csv/csv_export.hpp"
#include "commands/render/text_renderer.hpp"

#include <SQLiteCpp/Statement.h>
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <ostream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "storage/customer_repository.hpp"
#include "storage/opportunity_repository.hpp"
#include "storage/product_line_repository.hpp"
#include "storage/sql_support.hpp"
#include "storage/user_repository.hpp"
#include "storage/workspace_repository.hpp"

namespace funnelbot::commands {
namespace {

using analysis::CustomerType;
using analysis::Id;
using analysis::Opportunity;
using analysis::Stage;
using storage::CustomerStatus;

analysis::Instant at(std::int64_t unix_seconds) {
    return analysis::Instant{std::chrono::seconds{unix_seconds}};
}

analysis::Date ymd(int y, unsigned m, unsigned d) {
    return analysis::Date{std::chrono::year{y} / std::chrono::month{m} / std::chrono::day{d}};
}

const analysis::Instant kNow = at(1'780'000'000);
const analysis::Instant kLater = at(1'780'086'400);
const std::string kMoneyForms = " Use 25000, 25k, $25,000, 1.2m or 25000.50.";

// A fresh SQLite file per test in its own directory, removed afterwards.
class TempDir {
public:
    TempDir() {
        std::random_device rd;
        path_ = std::filesystem::temp_directory_path() /
                ("funnelbot-csv-" + std::to_string(rd()) + std::to_string(rd()));
        std::filesystem::create_directories(path_);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
    std::string file(const std::string& name) const { return (path_ / name).string(); }

private:
    std::filesystem::path path_;
};

class CsvImportTest : public ::testing::Test {
protected:
    TempDir dir_;
    storage::Database db_{dir_.file("funnelbot.db")};
    storage::WorkspaceRepository workspaces_{db_};
    storage::UserRepository users_{db_};
    storage::CustomerRepository customers_{db_};
    storage::ProductLineRepository lines_{db_};
    storage::OpportunityRepository opps_{db_};
    Id ws_ = workspaces_.find_or_create(storage::Platform::console, "console", "UTC").id;
    Id other_ws_ = workspaces_.find_or_create(storage::Platform::slack, "T9", "UTC").id;
    Id admin_ = make_user("admin", "U0").id;

    storage::User make_user(const std::string& name, const std::string& platform_id,
                            const std::string& email = {}, const std::string& display = {},
                            Id ws = 0) {
        storage::User u;
        u.workspace_id = ws == 0 ? ws_ : ws;
        u.name = name;
        u.platform_user_id = platform_id;
        u.email = email;
        u.display_name = display;
        return users_.create(u);
    }

    ImportOptions defaults() const {
        ImportOptions o;
        o.default_owner_id = admin_;
        return o;
    }

    Result<ImportSummary> import(const std::string& csv, const ImportOptions& options,
                                 analysis::Instant now = kNow, Id ws = 0) {
        std::istringstream in(csv);
        return import_csv(db_, ws == 0 ? ws_ : ws, in, options, now);
    }
    Result<ImportSummary> import(const std::string& csv) { return import(csv, defaults()); }

    std::string export_text(Id ws = 0) {
        std::ostringstream out;
        export_csv(db_, ws == 0 ? ws_ : ws, out);
        return out.str();
    }

    std::vector<Opportunity> all_opps(Id ws = 0) {
        storage::OpportunityFilter f;
        f.status = storage::OpportunityFilter::Status::all;
        return opps_.list(ws == 0 ? ws_ : ws, f);
    }

    std::int64_t count(const std::string& table) {
        SQLite::Statement st(storage::detail::sql(db_), "SELECT COUNT(*) FROM " + table);
        st.executeStep();
        return st.getColumn(0).getInt64();
    }

    std::map<std::string, std::int64_t> counts() {
        std::map<std::string, std::int64_t> out;
        for (const char* t : {"opportunities", "customers", "product_lines", "users"}) {
            out[t] = count(t);
        }
        return out;
    }

    std::string user_name(Id id) {
        auto u = users_.get(ws_, id);
        return u ? u->name : "?";
    }
};

// ---- columns -----------------------------------------------------------------------------

TEST_F(CsvImportTest, OurOwnColumnsCreateOpportunitiesAndLines) {
    make_user("bob", "U1");
    auto r = import(
        "id,name,customer,product,amount,stage,close,type,owner\n"
        "A1,First,Acme,Widgets,25000,proposal,2026-12-31,new,bob\n"
        "A2,,Globex,Gadgets,$1.2m,won,,existing,bob\n"
        "A3,Third,Initech,widgets,,,,,\n");
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r->rows, 3);
    EXPECT_EQ(r->created, 3);
    EXPECT_EQ(r->updated, 0);
    EXPECT_EQ(r->new_lines, (std::vector<std::string>{"Widgets", "Gadgets"}));
    EXPECT_TRUE(r->placeholder_owners.empty());
    EXPECT_EQ(r->customers_marked_current, (std::vector<std::string>{"Globex"}));

    auto opps = all_opps();
    ASSERT_EQ(opps.size(), 3U);
    EXPECT_EQ(opps[0].external_id, "A1");
    EXPECT_EQ(opps[0].name, "First");
    EXPECT_EQ(opps[0].customer_name, "Acme");
    EXPECT_EQ(opps[0].product_line_name, "Widgets");
    EXPECT_EQ(opps[0].amount, 2500000);
    EXPECT_EQ(opps[0].stage, Stage::proposal);
    EXPECT_EQ(opps[0].close_date, ymd(2026, 12, 31));
    EXPECT_EQ(opps[0].customer_type, CustomerType::new_customer);
    EXPECT_EQ(user_name(opps[0].owner_id), "bob");
    EXPECT_EQ(opps[0].created_at, kNow);
    EXPECT_EQ(opps[0].updated_at, kNow);
    EXPECT_FALSE(opps[0].closed_at.has_value());

    EXPECT_EQ(opps[1].amount, 120000000);
    EXPECT_EQ(opps[1].stage, Stage::won);
    EXPECT_EQ(opps[1].closed_at, kNow);
    EXPECT_EQ(opps[1].customer_type, CustomerType::existing);
    EXPECT_FALSE(opps[1].close_date.has_value());

    // empty cells: amount 0, stage prospecting, no close date, type from the customer,
    // the default owner; an existing line matched case-insensitively
    EXPECT_EQ(opps[2].amount, 0);
    EXPECT_EQ(opps[2].stage, Stage::prospecting);
    EXPECT_EQ(opps[2].customer_type, CustomerType::new_customer);
    EXPECT_EQ(opps[2].owner_id, admin_);
    EXPECT_EQ(opps[2].product_line_id, opps[0].product_line_id);

    auto widgets = lines_.find_by_name(ws_, "Widgets");
    ASSERT_TRUE(widgets.has_value());
    EXPECT_TRUE(widgets->active);
    EXPECT_TRUE(widgets->category.empty());
    EXPECT_EQ(customers_.find(ws_, "Globex")->status, CustomerStatus::current);
    EXPECT_EQ(customers_.find(ws_, "Acme")->status, CustomerStatus::prospect);
}

TEST_F(CsvImportTest, SalesforceExportWithBomCrlfAndQuotes) {
    make_user("Bob Smith", "U1", "bob@example.com");
    const std::string csv =
        "\xEF\xBB\xBF\"Opportunity Owner\",\"Account Name\",\"Opportunity Name\",\"Type\","
        "\"Stage\",\"Amount\",\"Close Date\",\"Opportunity ID\",\"Product\",\"Lead Source\"\r\n"
        "\"Bob Smith\",\"Acme, Inc.\",\"Acme \"\"Phase 2\"\"\",\"Existing Customer - "
        "Upgrade\",\"Negotiation/Review\",\"25,000.00\",\"12/31/2026\",\"0065g00000AAAAA\","
        "\"Widgets\",\"Web\"\r\n"
        "\"bob smith\",\"Globex Corporation\",\"Globex\nmulti-line\",\"New Customer\","
        "\"Id. Decision Makers\",\"USD 1,500.50\",\"1/5/2027\",\"0065g00000BBBBB\","
        "\"Services\",\"\"\r\n"
        "\"Bob Smith\",\"Initech LLC\",\"Initech\",\"Existing Customer - Replacement\",\"Closed "
        "Lost\",\"0\",\"\",\"0065g00000CCCCC\",\"Widgets\",\"\"\r\n";
    auto r = import(csv);
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r->rows, 3);
    EXPECT_EQ(r->created, 3);
    EXPECT_EQ(r->new_lines, (std::vector<std::string>{"Widgets", "Services"}));
    EXPECT_EQ(r->customers_marked_current, (std::vector<std::string>{"Acme, Inc.", "Initech LLC"}));

    auto opps = all_opps();
    ASSERT_EQ(opps.size(), 3U);
    EXPECT_EQ(opps[0].customer_name, "Acme, Inc.");
    EXPECT_EQ(opps[0].name, "Acme \"Phase 2\"");
    EXPECT_EQ(opps[0].stage, Stage::negotiation);
    EXPECT_EQ(opps[0].amount, 2500000);
    EXPECT_EQ(opps[0].close_date, ymd(2026, 12, 31));
    EXPECT_EQ(opps[0].customer_type, CustomerType::existing);
    EXPECT_EQ(opps[0].external_id, "0065g00000AAAAA");
    EXPECT_EQ(user_name(opps[0].owner_id), "Bob Smith");
    EXPECT_EQ(opps[1].name, "Globex\nmulti-line");
    EXPECT_EQ(opps[1].stage, Stage::qualification);
    EXPECT_EQ(opps[1].amount, 150050);
    EXPECT_EQ(opps[1].close_date, ymd(2027, 1, 5));
    EXPECT_EQ(opps[1].customer_type, CustomerType::new_customer);
    EXPECT_EQ(opps[1].owner_id, opps[0].owner_id);
    EXPECT_EQ(opps[2].stage, Stage::lost);
    EXPECT_EQ(opps[2].closed_at, kNow);
    EXPECT_EQ(customers_.find(ws_, "Globex")->status, CustomerStatus::prospect);
}

TEST_F(CsvImportTest, HubSpotExportWithProductOption) {
    make_user("amy", "U2", "amy@example.com");
    ImportOptions options = defaults();
    options.product = "Services";
    auto r = import(
        "Record ID,Deal Name,Associated Company,Amount,Deal Stage,Close Date,Deal Type,Deal "
        "owner,Pipeline\n"
        "1001,Globex renewal,Globex,12000,contractsent,2026-11-30 00:00,existingbusiness,"
        "AMY@example.com,Sales Pipeline\n"
        "1002,Hooli pilot,Hooli,5000.5,appointmentscheduled,,newbusiness,amy,Sales Pipeline\n"
        "1003,Umbrella,Umbrella Corp,,Closed Won,2026-10-01,,,Sales Pipeline\n",
        options);
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r->created, 3);
    EXPECT_EQ(r->new_lines, (std::vector<std::string>{"Services"}));
    EXPECT_EQ(r->customers_marked_current, (std::vector<std::string>{"Globex", "Umbrella Corp"}));

    auto opps = all_opps();
    ASSERT_EQ(opps.size(), 3U);
    EXPECT_EQ(opps[0].external_id, "1001");
    EXPECT_EQ(opps[0].product_line_name, "Services");
    EXPECT_EQ(opps[0].stage, Stage::negotiation);
    EXPECT_EQ(opps[0].close_date, ymd(2026, 11, 30));
    EXPECT_EQ(opps[0].customer_type, CustomerType::existing);
    EXPECT_EQ(user_name(opps[0].owner_id), "amy");
    EXPECT_EQ(opps[1].amount, 500050);
    EXPECT_EQ(opps[1].stage, Stage::prospecting);
    EXPECT_EQ(opps[1].customer_type, CustomerType::new_customer);
    EXPECT_EQ(opps[2].stage, Stage::won);
    EXPECT_EQ(opps[2].owner_id, admin_);
    // no type: Umbrella was a prospect when the deal was won, so it was new business
    EXPECT_EQ(opps[2].customer_type, CustomerType::new_customer);
}

TEST_F(CsvImportTest, HeaderNamesAreCaseAndSpaceInsensitive) {
    auto r = import("  CUSTOMER , Product ,AMOUNT,Deal ID\nAcme,Widgets,5,7\n");
    ASSERT_TRUE(r.ok()) << r.error().message;
    auto opps = all_opps();
    ASSERT_EQ(opps.size(), 1U);
    EXPECT_EQ(opps[0].amount, 500);
    EXPECT_EQ(opps[0].external_id, "7");
}

TEST_F(CsvImportTest, TypeComesFromTheCustomerWithoutATypeColumn) {
    auto acme = customers_.find_or_create(ws_, "Acme");
    customers_.set_status(ws_, acme.id, CustomerStatus::current);
    auto r = import(
        "customer,product,stage\n"
        "ACME inc.,Widgets,proposal\n"
        "Globex,Widgets,won\n"
        "Globex,Gadgets,proposal\n");
    ASSERT_TRUE(r.ok()) << r.error().message;
    auto opps = all_opps();
    ASSERT_EQ(opps.size(), 3U);
    EXPECT_EQ(opps[0].customer_id, acme.id);
    EXPECT_EQ(opps[0].customer_type, CustomerType::existing);
    EXPECT_EQ(opps[1].customer_type, CustomerType::new_customer);
    // Globex became current with the won row above
    EXPECT_EQ(opps[2].customer_type, CustomerType::existing);
    EXPECT_EQ(r->customers_marked_current, (std::vector<std::string>{"Globex"}));
}

TEST_F(CsvImportTest, TypeAliases) {
    const std::pair<const char*, CustomerType> cases[] = {
        {"New Customer", CustomerType::new_customer},
        {"New Business", CustomerType::new_customer},
        {"newbusiness", CustomerType::new_customer},
        {"new", CustomerType::new_customer},
        {"Existing Customer - Upgrade", CustomerType::existing},
        {"Existing Customer - Replacement", CustomerType::existing},
        {"Existing Customer - Downgrade", CustomerType::existing},
        {"Existing Business", CustomerType::existing},
        {"existingbusiness", CustomerType::existing},
        {"Renewal", CustomerType::existing},
        {"EXISTING", CustomerType::existing},
    };
    std::string csv = "customer,product,type\n";
    for (std::size_t i = 0; i < std::size(cases); ++i) {
        csv += "C" + std::to_string(i) + ",W,\"" + cases[i].first + "\"\n";
    }
    auto r = import(csv);
    ASSERT_TRUE(r.ok()) << r.error().message;
    auto opps = all_opps();
    ASSERT_EQ(opps.size(), std::size(cases));
    for (std::size_t i = 0; i < opps.size(); ++i) {
        EXPECT_EQ(opps[i].customer_type, cases[i].second) << cases[i].first;
    }
    // every "existing" customer is marked current, each once
    EXPECT_EQ(r->customers_marked_current.size(), 7U);
}

TEST_F(CsvImportTest, BlankRowsAreSkipped) {
    auto r = import("customer,product\n\nAcme,Widgets\n,\n , \n\r\nGlobex,Widgets\n");
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r->rows, 2);
    EXPECT_EQ(all_opps().size(), 2U);
}

TEST_F(CsvImportTest, HeaderOnlyImportsNothing) {
    auto r = import("customer,product\n");
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->rows, 0);
    EXPECT_EQ(r->created, 0);
}

// ---- owners ------------------------------------------------------------------------------

TEST_F(CsvImportTest, OwnersMatchByNameDisplayNameOrEmail) {
    const Id bob = make_user("bob", "U1", "bob@example.com", "Bobby").id;
    const Id amy = make_user("amy", "U2", {}, {}).id;
    auto r = import(
        "customer,product,owner\n"
        "A,W,BOB\nB,W,bobby\nC,W,Bob@Example.com\nD,W,Amy\nE,W,\n");
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_TRUE(r->placeholder_owners.empty());
    auto opps = all_opps();
    ASSERT_EQ(opps.size(), 5U);
    EXPECT_EQ(opps[0].owner_id, bob);
    EXPECT_EQ(opps[1].owner_id, bob);
    EXPECT_EQ(opps[2].owner_id, bob);
    EXPECT_EQ(opps[3].owner_id, amy);
    EXPECT_EQ(opps[4].owner_id, admin_);
}

TEST_F(CsvImportTest, UnknownOwnersBecomePlaceholderReps) {
    const auto before = count("users");
    auto r = import(
        "customer,product,owner\n"
        "A,W,Carol Jones\nB,W,dave@example.com\nC,W,carol jones\nD,W,Carol Jones\n");
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r->placeholder_owners, (std::vector<std::string>{"Carol Jones", "dave@example.com"}));
    EXPECT_EQ(count("users"), before + 2);

    auto carol = users_.find_by_name(ws_, "carol jones");
    ASSERT_TRUE(carol.has_value());
    EXPECT_EQ(carol->name, "Carol Jones");
    EXPECT_TRUE(carol->platform_user_id.empty());
    EXPECT_TRUE(carol->email.empty());
    EXPECT_EQ(carol->role, storage::Role::rep);
    auto dave = users_.find_by_name(ws_, "dave@example.com");
    ASSERT_TRUE(dave.has_value());
    EXPECT_EQ(dave->email, "dave@example.com");

    auto opps = all_opps();
    EXPECT_EQ(opps[0].owner_id, carol->id);
    EXPECT_EQ(opps[2].owner_id, carol->id);
    EXPECT_EQ(opps[3].owner_id, carol->id);

    // a second import finds the placeholders instead of making more
    auto again = import("customer,product,owner\nE,W,Carol Jones\n");
    ASSERT_TRUE(again.ok());
    EXPECT_TRUE(again->placeholder_owners.empty());
    EXPECT_EQ(count("users"), before + 2);
}

TEST_F(CsvImportTest, OwnerOptionAssignsEveryRow) {
    const Id bob = make_user("bob", "U1").id;
    make_user("amy", "U2");
    ImportOptions options = defaults();
    options.owner = "Bob";
    auto r = import("customer,product,owner\nA,W,amy\nB,W,Nobody Known\nC,W,\n", options);
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_TRUE(r->placeholder_owners.empty());
    for (const auto& o : all_opps()) {
        EXPECT_EQ(o.owner_id, bob);
    }
}

TEST_F(CsvImportTest, UnknownOwnerOptionIsAnError) {
    make_user("roberta", "U1");
    ImportOptions options = defaults();
    options.owner = "robertq";
    const auto before = counts();
    auto r = import("customer,product\nA,W\n", options);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().message,
              "No user named \"robertq\". Did you mean \"roberta\"? Use the name, display name "
              "or e-mail of someone in this workspace.");
    EXPECT_EQ(counts(), before);

    options.owner = "zzz";
    auto r2 = import("customer,product\nA,W\n", options);
    ASSERT_FALSE(r2.ok());
    EXPECT_EQ(r2.error().message,
              "No user named \"zzz\". Use the name, display name or e-mail of someone in this "
              "workspace.");
}

TEST_F(CsvImportTest, NoOwnerAnywhereIsAnError) {
    ImportOptions options;  // default_owner_id 0
    auto r = import("customer,product\nAcme,Widgets\n", options);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().message,
              "Row 2: no owner. Add an owner column, or give --owner NAME for every row.");
}

// ---- re-import ---------------------------------------------------------------------------

TEST_F(CsvImportTest, ReimportByCrmIdUpdatesInsteadOfDuplicating) {
    const std::string header = "Opportunity ID,Account Name,Product,Amount,Stage,Close Date\n";
    auto first = import(header +
                        "X1,Acme,Widgets,1000,Prospecting,2026-12-01\n"
                        "X2,Globex,Gadgets,2000,Qualification,\n");
    ASSERT_TRUE(first.ok()) << first.error().message;
    EXPECT_EQ(first->created, 2);

    // X1 moves on and changes line; X2 is unchanged; X3 is new
    auto second = import(header +
                             "X1,Acme,Gadgets,1500,Closed Won,2026-12-15\n"
                             "X2,Globex,Gadgets,2000,Qualification,\n"
                             "X3,Initech,Widgets,3000,Prospecting,\n",
                         defaults(), kLater);
    ASSERT_TRUE(second.ok()) << second.error().message;
    EXPECT_EQ(second->rows, 3);
    EXPECT_EQ(second->created, 1);
    EXPECT_EQ(second->updated, 2);
    EXPECT_TRUE(second->new_lines.empty());

    auto opps = all_opps();
    ASSERT_EQ(opps.size(), 3U);
    EXPECT_EQ(opps[0].external_id, "X1");
    EXPECT_EQ(opps[0].product_line_name, "Gadgets");
    EXPECT_EQ(opps[0].amount, 150000);
    EXPECT_EQ(opps[0].stage, Stage::won);
    EXPECT_EQ(opps[0].close_date, ymd(2026, 12, 15));
    EXPECT_EQ(opps[0].created_at, kNow);
    EXPECT_EQ(opps[0].updated_at, kLater);
    EXPECT_EQ(opps[0].closed_at, kLater);
    // an unchanged row keeps its timestamps
    EXPECT_EQ(opps[1].updated_at, kNow);
    EXPECT_EQ(customers_.find(ws_, "Acme")->status, CustomerStatus::current);
}

TEST_F(CsvImportTest, ReimportWithoutIdsMatchesOwnerCustomerProductAndName) {
    make_user("bob", "U1");
    const std::string csv =
        "name,customer,product,amount,owner\n"
        "Deal,Acme,Widgets,1000,bob\n"
        "Deal,Acme,Widgets,1000,bob\n"  // two identical rows are two opportunities
        ",Acme,Widgets,500,bob\n"
        "Deal,Acme,Widgets,700,\n";  // another owner: another opportunity
    auto first = import(csv);
    ASSERT_TRUE(first.ok()) << first.error().message;
    EXPECT_EQ(first->created, 4);

    auto second = import(
        "name,customer,product,amount,owner\n"
        "DEAL,acme inc,widgets,1100,BOB\n"
        "Deal,Acme,Widgets,1000,bob\n"
        ",Acme,Widgets,600,bob\n"
        "Deal,Acme,Widgets,700,\n",
        defaults(), kLater);
    ASSERT_TRUE(second.ok()) << second.error().message;
    EXPECT_EQ(second->created, 0);
    EXPECT_EQ(second->updated, 4);
    auto opps = all_opps();
    ASSERT_EQ(opps.size(), 4U);
    EXPECT_EQ(opps[0].amount, 110000);
    EXPECT_EQ(opps[0].name, "DEAL");
    EXPECT_EQ(opps[1].amount, 100000);
    EXPECT_EQ(opps[2].amount, 60000);
    EXPECT_EQ(opps[3].amount, 70000);
}

TEST_F(CsvImportTest, CrmIdRepeatedInOneFileUpdatesTheFirstRow) {
    auto r = import(
        "id,customer,product,amount\n"
        "D1,Acme,Widgets,1000\n"
        "D2,Acme,Widgets,2000\n"
        "D1,Acme,Widgets,3000\n");
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r->created, 2);
    EXPECT_EQ(r->updated, 1);
    auto opps = all_opps();
    ASSERT_EQ(opps.size(), 2U);
    EXPECT_EQ(opps[0].amount, 300000);
    EXPECT_EQ(opps[1].amount, 200000);
}

TEST_F(CsvImportTest, CrmIdMatchesRowsImportedEarlierWithoutOne) {
    ASSERT_TRUE(import("name,customer,product,amount\nDeal,Acme,Widgets,1000\n").ok());
    auto r = import("id,name,customer,product,amount\nK9,Deal,Acme,Widgets,1200\n");
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r->updated, 1);
    auto opps = all_opps();
    ASSERT_EQ(opps.size(), 1U);
    EXPECT_EQ(opps[0].external_id, "K9");
    EXPECT_EQ(opps[0].amount, 120000);
    // ...but never one that already carries another CRM id
    auto other = import("id,name,customer,product,amount\nK10,Deal,Acme,Widgets,1300\n");
    ASSERT_TRUE(other.ok());
    EXPECT_EQ(other->created, 1);
    EXPECT_EQ(all_opps().size(), 2U);
}

TEST_F(CsvImportTest, ReimportKeepsStoredValuesForEmptyCells) {
    auto first = import(
        "id,customer,product,amount,stage,close\nZ1,Acme,Widgets,1000,proposal,2026-12-01\n");
    ASSERT_TRUE(first.ok());
    auto second = import("id,customer,product,amount,stage,close\nZ1,Acme,Widgets,,,\n");
    ASSERT_TRUE(second.ok());
    EXPECT_EQ(second->updated, 1);
    auto opps = all_opps();
    ASSERT_EQ(opps.size(), 1U);
    EXPECT_EQ(opps[0].amount, 100000);
    EXPECT_EQ(opps[0].stage, Stage::proposal);
    EXPECT_EQ(opps[0].close_date, ymd(2026, 12, 1));
}

TEST_F(CsvImportTest, ReopeningClearsClosedAt) {
    ASSERT_TRUE(import("id,customer,product,stage\nQ,Acme,W,lost\n").ok());
    ASSERT_EQ(all_opps()[0].closed_at, kNow);
    ASSERT_TRUE(import("id,customer,product,stage\nQ,Acme,W,proposal\n", defaults(), kLater).ok());
    EXPECT_FALSE(all_opps()[0].closed_at.has_value());
}

TEST_F(CsvImportTest, ImportStaysInItsWorkspace) {
    ASSERT_TRUE(import("id,customer,product\nS1,Acme,Widgets\n").ok());
    const Id other_admin = make_user("admin", "U0", {}, {}, other_ws_).id;
    ImportOptions options;
    options.default_owner_id = other_admin;
    auto r = import("id,customer,product\nS1,Acme,Widgets\n", options, kNow, other_ws_);
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r->created, 1);
    EXPECT_EQ(r->new_lines, (std::vector<std::string>{"Widgets"}));
    EXPECT_EQ(all_opps().size(), 1U);
    EXPECT_EQ(all_opps(other_ws_).size(), 1U);
}

// ---- errors ------------------------------------------------------------------------------

TEST_F(CsvImportTest, BadRowAbortsAndWritesNothing) {
    make_user("bob", "U1");
    ASSERT_TRUE(import("customer,product\nKeep,Widgets\n").ok());
    const auto before = counts();
    // The bad row starts on line 5: the quoted name on line 3 spans two lines.
    auto r = import(
        "name,customer,product,amount,owner\n"
        "ok,Acme,NewLine1,1000,Someone New\n"
        "\"two\nlines\",Globex,NewLine2,2000,bob\n"
        "bad,Initech,NewLine3,abc,bob\n"
        "never,Hooli,NewLine4,1,bob\n");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().message, "Row 5: \"abc\" is not an amount." + kMoneyForms);
    EXPECT_EQ(counts(), before);
    EXPECT_FALSE(lines_.find_by_name(ws_, "NewLine1").has_value());
    EXPECT_FALSE(users_.find_by_name(ws_, "Someone New").has_value());
    EXPECT_FALSE(customers_.find(ws_, "Acme").has_value());

    // and the database is still usable afterwards
    auto fixed = import("customer,product\nAcme,Widgets\n");
    ASSERT_TRUE(fixed.ok()) << fixed.error().message;
    EXPECT_EQ(count("opportunities"), before.at("opportunities") + 1);
}

TEST_F(CsvImportTest, BadUpdateRowRollsBackEarlierUpdates) {
    ASSERT_TRUE(import("id,customer,product,amount\nU1,Acme,W,1000\n").ok());
    auto r = import("id,customer,product,amount\nU1,Acme,W,9999\nU2,Globex,W,-5\n");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().message,
              "Row 3: \"-5\" is negative: amounts are zero or more." + kMoneyForms);
    EXPECT_EQ(all_opps()[0].amount, 100000);
}

struct RowErrorCase {
    std::string csv;
    std::string message;
};

std::ostream& operator<<(std::ostream& os, const RowErrorCase& c) {
    return os << c.csv;
}

class CsvImportErrors : public CsvImportTest, public ::testing::WithParamInterface<RowErrorCase> {};

TEST_P(CsvImportErrors, SaysWhatAndWhere) {
    const auto before = counts();
    auto r = import(GetParam().csv);
    ASSERT_FALSE(r.ok()) << GetParam().csv;
    EXPECT_EQ(r.error().message, GetParam().message);
    EXPECT_EQ(counts(), before);
}

INSTANTIATE_TEST_SUITE_P(
    Import, CsvImportErrors,
    ::testing::Values(
        RowErrorCase{"",
                     "The CSV file is empty. Its first line must name the columns, like "
                     "id,name,customer,product,amount,stage,close,type,owner."},
        RowErrorCase{"\n\n",
                     "The CSV file is empty. Its first line must name the columns, like "
                     "id,name,customer,product,amount,stage,close,type,owner."},
        RowErrorCase{"name,product,amount\nx,W,5\n",
                     "The header (line 1) has no customer column. Name it customer, Account "
                     "Name (Salesforce) or Associated Company (HubSpot)."},
        RowErrorCase{"Account Name,Amount\nAcme,5\n",
                     "The header (line 1) has no product column. Name it product (Salesforce: "
                     "Product), or give --product LINE for every row."},
        RowErrorCase{"customer,product,stage\nA,W,proposal\nB,W,Discovery\n",
                     "Row 3: unknown stage \"Discovery\". Use prospecting, qualification, "
                     "proposal, negotiation, won or lost (Salesforce and HubSpot stage names "
                     "work too)."},
        RowErrorCase{"customer,product,close\nA,W,2026-02-30\n",
                     "Row 2: \"2026-02-30\" is not a date: February 2026 has 28 days. Use "
                     "YYYY-MM-DD, like 2026-12-31, or MM/DD/YYYY, like 12/31/2026."},
        RowErrorCase{"customer,product,close\nA,W,31.12.2026\n",
                     "Row 2: \"31.12.2026\" is not a date. Use YYYY-MM-DD, like 2026-12-31, or "
                     "MM/DD/YYYY, like 12/31/2026."},
        RowErrorCase{"customer,product,type\nA,W,Partner\n",
                     "Row 2: unknown type \"Partner\". Use new or existing (Salesforce \"New "
                     "Customer\", \"Existing Customer - Upgrade\", \"Renewal\"; HubSpot "
                     "newbusiness, existingbusiness), or leave it empty to go by the customer."},
        RowErrorCase{"customer,product,amount\nA,W,\"2,50,000\"\n",
                     "Row 2: \"2,50,000\" has misplaced commas: group thousands by three, like "
                     "250,000." +
                         kMoneyForms},
        RowErrorCase{"customer,product,amount\nA,W,25000.505\n",
                     "Row 2: \"25000.505\" has more than two decimals." + kMoneyForms},
        RowErrorCase{"customer,product\n ,W\n",
                     "Row 2: the customer is empty. Every row needs one."},
        RowErrorCase{"customer,product\n---,W\n",
                     "Row 2: the customer \"---\" has no letters or digits. Write the "
                     "customer's name."},
        RowErrorCase{"customer,product\nA,\n",
                     "Row 2: the product is empty. Fill it in, or give --product LINE for rows "
                     "without one."},
        RowErrorCase{"customer,product,amount\nAcme, Inc.,W,5\n",
                     "Row 2: 4 fields but the header has 3. Quote any field that holds a comma, "
                     "like \"Acme, Inc.\"."},
        RowErrorCase{"customer,product\nA,W\nB,\"unterminated\n",
                     "Line 3: a quoted field is never closed. End it with \", and double any "
                     "quote inside it: \"say \"\"hi\"\"\"."},
        RowErrorCase{"customer,product\nA,W\n\"B\"x,W\n",
                     "Line 3: unexpected text after a closing quote. Quote the whole field and "
                     "double the quotes inside it: \"say \"\"hi\"\"\"."}));

TEST_F(CsvImportTest, ExtraEmptyTrailingFieldsAreFine) {
    auto r = import("customer,product\nAcme,Widgets,,\n");
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r->created, 1);
}

TEST_F(CsvImportTest, ShortRowsReadMissingCellsAsEmpty) {
    auto r = import("customer,product,amount,stage\nAcme,Widgets\n");
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(all_opps()[0].stage, Stage::prospecting);
}

// ---- export ------------------------------------------------------------------------------

TEST_F(CsvImportTest, ExportWritesOurColumnsInIdOrder) {
    make_user("bob", "U1");
    auto r = import(
        "id,name,customer,product,amount,stage,close,type,owner\n"
        "A1,\"Big, \"\"quoted\"\" deal\",\"Acme, Inc.\",Widgets,25000,proposal,12/31/2026,new,"
        "bob\n"
        "A2,,Globex,Gadgets,1234.5,won,,existing,\n");
    ASSERT_TRUE(r.ok()) << r.error().message;
    const auto opps = all_opps();
    const std::string expected =
        "id,name,customer,product,amount,stage,close,type,owner\n" + std::to_string(opps[0].id) +
        ",\"Big, \"\"quoted\"\" deal\",\"Acme, Inc.\",Widgets,25000.00,proposal,2026-12-31,new,"
        "bob\n" +
        std::to_string(opps[1].id) + ",,Globex,Gadgets,1234.50,won,,existing,admin\n";
    EXPECT_EQ(export_text(), expected);
    std::ostringstream out;
    EXPECT_EQ(export_csv(db_, ws_, out), 2);
}

TEST_F(CsvImportTest, ExportOfAnEmptyWorkspaceIsTheHeader) {
    std::ostringstream out;
    EXPECT_EQ(export_csv(db_, ws_, out), 0);
    EXPECT_EQ(out.str(), "id,name,customer,product,amount,stage,close,type,owner\n");
}

TEST_F(CsvImportTest, ExportIsByteStable) {
    ASSERT_TRUE(import("customer,product,amount,stage\nAcme,W,1,won\nGlobex,V,2,lost\n").ok());
    const std::string first = export_text();
    // time moves on and an unchanged re-import happens: the bytes stay the same
    ASSERT_TRUE(import(first, defaults(), kLater).ok());
    EXPECT_EQ(export_text(), first);
    EXPECT_EQ(export_text(), first);
}

TEST_F(CsvImportTest, ExportImportRoundTrip) {
    make_user("bob", "U1");
    ASSERT_TRUE(import("name,customer,product,amount,stage,close,type,owner\n"
                       "One,\"Acme, Inc.\",Widgets,25000.50,proposal,2026-12-31,new,bob\n"
                       "\"Two\nlines\",Globex,Gadgets,1.2m,won,,existing,bob\n"
                       "Three,\"Say \"\"hi\"\"\",Widgets,0,lost,2027-01-01,,\n"
                       "Four,Initech,Services,99.99,negotiation,,existing,Carol\n")
                    .ok());
    const std::string exported = export_text();

    // into a fresh workspace, where nobody is known yet
    const Id fresh_admin = make_user("admin", "U0", {}, {}, other_ws_).id;
    ImportOptions options;
    options.default_owner_id = fresh_admin;
    auto r = import(exported, options, kLater, other_ws_);
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r->created, 4);
    EXPECT_EQ(r->new_lines, (std::vector<std::string>{"Widgets", "Gadgets", "Services"}));
    // The Slack workspace's own "admin" is not the exported owner "admin": a name alone never
    // picks out a platform user (anyone can call themselves admin), so that owner waits too.
    EXPECT_EQ(r->placeholder_owners, (std::vector<std::string>{"bob", "admin", "Carol"}));

    const auto a = all_opps(ws_);
    const auto b = all_opps(other_ws_);
    ASSERT_EQ(a.size(), b.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
        EXPECT_EQ(a[i].name, b[i].name);
        EXPECT_EQ(a[i].customer_name, b[i].customer_name);
        EXPECT_EQ(a[i].product_line_name, b[i].product_line_name);
        EXPECT_EQ(a[i].amount, b[i].amount);
        EXPECT_EQ(a[i].stage, b[i].stage);
        EXPECT_EQ(a[i].close_date, b[i].close_date);
        EXPECT_EQ(a[i].customer_type, b[i].customer_type) << i;
        EXPECT_EQ(b[i].external_id, std::to_string(a[i].id));
    }

    // the second workspace's export has the same rows apart from the ids
    const auto drop_ids = [](const std::string& csv) {
        std::istringstream in(csv);
        std::string out;
        std::string line;
        while (std::getline(in, line)) {
            const auto comma = line.find(',');
            out += line.substr(comma == std::string::npos ? 0 : comma) + "\n";
        }
        return out;
    };
    EXPECT_EQ(drop_ids(export_text(other_ws_)), drop_ids(exported));
}

// ---- scale -------------------------------------------------------------------------------

TEST_F(CsvImportTest, ThousandsOfRowsInOneTransaction) {
    std::string csv = "id,customer,product,amount,stage,owner\n";
    for (int i = 0; i < 3000; ++i) {
        csv += "R" + std::to_string(i) + ",Customer " + std::to_string(i % 300) + ",Line " +
               std::to_string(i % 7) + "," + std::to_string(i) + ",proposal,Rep " +
               std::to_string(i % 5) + "\n";
    }
    auto r = import(csv);
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r->created, 3000);
    EXPECT_EQ(r->new_lines.size(), 7U);
    EXPECT_EQ(r->placeholder_owners.size(), 5U);
    EXPECT_EQ(count("customers"), 300);
    auto again = import(csv, defaults(), kLater);
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(again->updated, 3000);
    EXPECT_EQ(count("opportunities"), 3000);
}

// ---- hostile cells -----------------------------------------------------------------------------

TEST_F(CsvImportTest, FormulaLikeNamesExportAsTextAndImportBackUnchanged) {
    ASSERT_TRUE(
        import("name,customer,product\n"
               "\"=HYPERLINK(\"\"https://evil.example\"\",\"\"Bonus\"\")\",@Acme,+Widgets\n")
            .ok());
    const std::string exported = export_text();
    EXPECT_EQ(exported.substr(exported.find('\n') + 1),
              "1,\"'=HYPERLINK(\"\"https://evil.example\"\",\"\"Bonus\"\")\",'@Acme,'+Widgets,0.00,"
              "prospecting,,new,admin\n");
    // The export imports back into another workspace as the same names.
    ASSERT_TRUE(import(exported, defaults(), kNow, other_ws_).ok());
    const auto copy = all_opps(other_ws_);
    ASSERT_EQ(copy.size(), 1U);
    EXPECT_EQ(copy[0].name, "=HYPERLINK(\"https://evil.example\",\"Bonus\")");
    EXPECT_EQ(copy[0].customer_name, "@Acme");
    EXPECT_EQ(copy[0].product_line_name, "+Widgets");
}

// ---- dates ---------------------------------------------------------------------------------

analysis::Instant midnight(analysis::Date d) {
    return analysis::Instant(std::chrono::sys_days(d));
}

TEST_F(CsvImportTest, CreatedAndCloseDatesOfTheExportAreKept) {
    // kNow is 2026-05-28 20:26:40 UTC.
    auto r = import(
        "customer,product,stage,Close Date,Type,Created Date\n"
        "Acme,Widgets,prospecting,2026-09-30,New Customer,2025-05-01\n"
        "Globex,Widgets,Closed Won,4/15/2026,Existing Customer - Upgrade,2025-12-01 10:32\n"
        "Initech,Widgets,Closed Lost,,New Customer,2026-01-05T08:00:00Z\n"
        "Umbrella,Widgets,,,,\n");
    ASSERT_TRUE(r.ok()) << r.error().message;
    const auto opps = all_opps();
    ASSERT_EQ(opps.size(), 4U);
    EXPECT_EQ(opps[0].created_at, midnight(ymd(2025, 5, 1)));
    EXPECT_FALSE(opps[0].closed_at.has_value());
    EXPECT_EQ(opps[1].created_at, midnight(ymd(2025, 12, 1)));
    EXPECT_EQ(opps[1].closed_at, midnight(ymd(2026, 4, 15)));  // closed on its close date
    EXPECT_EQ(opps[2].created_at, midnight(ymd(2026, 1, 5)));
    EXPECT_EQ(opps[2].closed_at, kNow);   // no close date: closed as of the import
    EXPECT_EQ(opps[3].created_at, kNow);  // no created date: created by the import
    EXPECT_EQ(opps[3].updated_at, kNow);
}

TEST_F(CsvImportTest, AFutureOrMalformedCreatedDateStopsTheImport) {
    const auto before = counts();
    auto future =
        import("customer,product,created\nAcme,Widgets,2026-05-01\nGlobex,Widgets,2027-01-01\n");
    ASSERT_FALSE(future.ok());
    EXPECT_EQ(future.error().message,
              "Row 3: the created date \"2027-01-01\" is in the future. Give the date the "
              "opportunity was created.");
    auto malformed = import("customer,product,Create Date\nAcme,Widgets,yesterday\n");
    ASSERT_FALSE(malformed.ok());
    EXPECT_EQ(malformed.error().message.rfind("Row 2: created date: ", 0), 0U)
        << malformed.error().message;
    EXPECT_EQ(counts(), before);
}

TEST_F(CsvImportTest, ReimportMovesTheCreatedDateAndLeavesUnchangedRowsAlone) {
    const std::string v1 = "id,customer,product,Created Date\nR1,Acme,Widgets,2025-05-01\n";
    ASSERT_TRUE(import(v1).ok());
    auto same = import(v1, defaults(), kLater);
    ASSERT_TRUE(same.ok());
    EXPECT_EQ(all_opps()[0].updated_at, kNow);  // nothing changed, nothing touched
    ASSERT_TRUE(
        import("id,customer,product,Created Date\nR1,Acme,Widgets,2025-06-01\n", defaults(), kLater)
            .ok());
    EXPECT_EQ(all_opps()[0].created_at, midnight(ymd(2025, 6, 1)));
    EXPECT_EQ(all_opps()[0].updated_at, kLater);
}

// The symptom users saw: right after importing a year-old export, the Friday review said "you
// added 3 new-customer opportunities in the last 30 days".
TEST_F(CsvImportTest, AYearOldImportIsNotAMonthOfNewWork) {
    ImportOptions options = defaults();
    options.owner = "admin";
    ASSERT_TRUE(import("customer,product,type,Created Date\n"
                       "Acme,Widgets,New Customer,2025-05-01\n"
                       "Globex,Widgets,New Customer,2025-04-20\n"
                       "Initech,Widgets,New Customer,2025-03-02\n",
                       options)
                    .ok());
    Identity admin;
    admin.platform_user_id = "U0";
    admin.name = "admin";
    const auto ws = *workspaces_.get(ws_);
    const auto outcome = execute_text(db_, ws, admin, "funnel-review", "", kNow);
    const std::string text = render_text(outcome.reply);
    EXPECT_NE(text.find("You added 0 new-customer opportunities in the last 30 days. The last one "
                        "was 392 days ago."),
              std::string::npos)
        << text;
}

}  // namespace
}  // namespace funnelbot::commands

#include "commands/demo_funnel.hpp"

#include <array>
#include <map>
#include <string_view>

#include "storage/customer_repository.hpp"
#include "storage/opportunity_repository.hpp"
#include "storage/product_line_repository.hpp"
#include "storage/team_repository.hpp"
#include "storage/transaction.hpp"
#include "storage/user_repository.hpp"

namespace funnelbot::commands {

namespace {

using namespace std::chrono_literals;

struct DemoOpp {
    std::string_view owner;
    std::string_view customer;
    std::string_view line;
    int thousands;
    analysis::Stage stage;
    int age_days;
};

using S = analysis::Stage;

// Current accounts (each has won business below or is marked current).
constexpr std::array<std::string_view, 6> kAccounts{"Northwind Traders", "Contoso Ltd",
                                                    "Fabrikam Inc",      "Tailspin Toys",
                                                    "Litware Inc",       "Adventure Works"};

constexpr std::array kOpps{
    // alice: balanced across lines and between new and current customers.
    DemoOpp{"alice", "Northwind Traders", "Widgets", 40, S::proposal, 20},
    DemoOpp{"alice", "Blue Yonder Airlines", "Widgets", 25, S::qualification, 12},
    DemoOpp{"alice", "Contoso Ltd", "Gadgets", 30, S::negotiation, 35},
    DemoOpp{"alice", "Proseware Inc", "Gadgets", 18, S::prospecting, 5},
    DemoOpp{"alice", "Fabrikam Inc", "Services", 60, S::proposal, 40},
    DemoOpp{"alice", "Wingtip Toys", "Services", 22, S::prospecting, 9},
    DemoOpp{"alice", "Northwind Traders", "Cloud Suite", 35, S::qualification, 14},
    DemoOpp{"alice", "Lucerne Publishing", "Cloud Suite", 28, S::prospecting, 3},
    DemoOpp{"alice", "Tailspin Toys", "Sensors", 15, S::proposal, 25},
    DemoOpp{"alice", "Margie's Travel", "Sensors", 12, S::prospecting, 7},
    DemoOpp{"alice", "Northwind Traders", "Services", 45, S::won, 70},
    DemoOpp{"alice", "Contoso Ltd", "Widgets", 38, S::won, 50},
    DemoOpp{"alice", "Coho Winery", "Gadgets", 20, S::lost, 60},
    // bob: eight Widgets in ten open opportunities.
    DemoOpp{"bob", "Fabrikam Inc", "Widgets", 55, S::negotiation, 30},
    DemoOpp{"bob", "Trey Research", "Widgets", 30, S::proposal, 22},
    DemoOpp{"bob", "Graphic Design Institute", "Widgets", 18, S::prospecting, 4},
    DemoOpp{"bob", "Humongous Insurance", "Widgets", 75, S::qualification, 16},
    DemoOpp{"bob", "Tailspin Toys", "Widgets", 40, S::proposal, 28},
    DemoOpp{"bob", "Alpine Ski House", "Widgets", 22, S::prospecting, 6},
    DemoOpp{"bob", "School of Fine Art", "Widgets", 15, S::qualification, 11},
    DemoOpp{"bob", "Litware Inc", "Widgets", 50, S::negotiation, 33},
    DemoOpp{"bob", "Woodgrove Bank", "Gadgets", 26, S::prospecting, 8},
    DemoOpp{"bob", "Adventure Works", "Services", 32, S::proposal, 19},
    DemoOpp{"bob", "Fabrikam Inc", "Widgets", 48, S::won, 45},
    DemoOpp{"bob", "Tailspin Toys", "Widgets", 36, S::won, 80},
    DemoOpp{"bob", "Litware Inc", "Gadgets", 20, S::won, 65},
    // carol: spread over lines but almost only current customers.
    DemoOpp{"carol", "Northwind Traders", "Widgets", 30, S::proposal, 18},
    DemoOpp{"carol", "Contoso Ltd", "Services", 44, S::negotiation, 26},
    DemoOpp{"carol", "Fabrikam Inc", "Gadgets", 27, S::qualification, 15},
    DemoOpp{"carol", "Tailspin Toys", "Services", 19, S::proposal, 21},
    DemoOpp{"carol", "Litware Inc", "Cloud Suite", 52, S::qualification, 10},
    DemoOpp{"carol", "Adventure Works", "Widgets", 33, S::prospecting, 13},
    DemoOpp{"carol", "Northwind Traders", "Gadgets", 21, S::proposal, 24},
    DemoOpp{"carol", "Contoso Ltd", "Sensors", 17, S::qualification, 17},
    DemoOpp{"carol", "Fabrikam Inc", "Services", 39, S::prospecting, 27},
    DemoOpp{"carol", "City Power & Light", "Widgets", 23, S::prospecting, 44},
    DemoOpp{"carol", "Adventure Works", "Gadgets", 29, S::won, 55},
    DemoOpp{"carol", "Tailspin Toys", "Services", 41, S::won, 75},
    DemoOpp{"carol", "Litware Inc", "Services", 26, S::won, 40},
    // dave: the old lines only; Cloud Suite and Sensors languish.
    DemoOpp{"dave", "Wide World Importers", "Widgets", 34, S::proposal, 23},
    DemoOpp{"dave", "Relecloud", "Widgets", 27, S::qualification, 9},
    DemoOpp{"dave", "Fourth Coffee", "Widgets", 19, S::prospecting, 4},
    DemoOpp{"dave", "Northwind Traders", "Gadgets", 46, S::negotiation, 31},
    DemoOpp{"dave", "VanArsdel Ltd", "Gadgets", 23, S::proposal, 19},
    DemoOpp{"dave", "Bellows College", "Gadgets", 14, S::prospecting, 2},
    DemoOpp{"dave", "Contoso Ltd", "Services", 38, S::proposal, 29},
    DemoOpp{"dave", "Southridge Video", "Services", 21, S::qualification, 12},
    DemoOpp{"dave", "Fabrikam Inc", "Widgets", 31, S::prospecting, 36},
    DemoOpp{"dave", "Consolidated Messenger", "Services", 16, S::prospecting, 48},
    DemoOpp{"dave", "Wide World Importers", "Gadgets", 24, S::won, 58},
    DemoOpp{"dave", "Adventure Works", "Widgets", 37, S::won, 85},
    DemoOpp{"dave", "Relecloud", "Services", 18, S::lost, 52},
    // the manager's own few deals.
    DemoOpp{"maria", "Humongous Insurance", "Services", 90, S::negotiation, 38},
    DemoOpp{"maria", "Woodgrove Bank", "Cloud Suite", 70, S::proposal, 15},
    DemoOpp{"maria", "Northwind Traders", "Widgets", 65, S::won, 62},
    // a few more to round the team out.
    DemoOpp{"alice", "Fabrikam Inc", "Cloud Suite", 33, S::prospecting, 2},
    DemoOpp{"bob", "Trey Research", "Widgets", 21, S::lost, 47},
    DemoOpp{"carol", "Contoso Ltd", "Widgets", 25, S::prospecting, 6},
    DemoOpp{"dave", "Blue Yonder Airlines", "Gadgets", 29, S::qualification, 20},
};

}  // namespace

Result<DemoSummary> fill_demo(storage::Database& db, const storage::Workspace& ws,
                              analysis::Instant now) {
    storage::ProductLineRepository lines(db);
    storage::OpportunityRepository opps(db);
    storage::OpportunityFilter any;
    any.status = storage::OpportunityFilter::Status::all;
    any.limit = 1;
    if (!lines.list(ws.id, true).empty() || !opps.list(ws.id, any).empty()) {
        return UserError{
            "--demo fills only an empty database, and this one already has data. Use a new "
            "file: funnelbot console --db demo.db --demo"};
    }
    storage::Transaction tx(db);
    DemoSummary summary;
    const auto today = std::chrono::floor<std::chrono::days>(now);

    std::map<std::string_view, analysis::Id> line_ids;
    auto add_line = [&](std::string_view name, std::string_view category, bool acquired,
                        std::optional<analysis::Date> introduced) {
        analysis::ProductLine l;
        l.name = name;
        l.category = category;
        l.acquired = acquired;
        l.introduced_on = introduced;
        line_ids[name] = lines.create(ws.id, l).id;
        ++summary.lines;
    };
    add_line("Widgets", "Hardware", false, std::nullopt);
    add_line("Gadgets", "Hardware", false, std::nullopt);
    add_line("Services", "Services", false, std::nullopt);
    add_line("Cloud Suite", "Software", false, analysis::Date{today - std::chrono::days{30}});
    add_line("Sensors", "Hardware", true, std::nullopt);

    storage::UserRepository users(db);
    std::map<std::string_view, storage::User> people;
    for (std::string_view name : {"maria", "alice", "bob", "carol", "dave"}) {
        storage::User u;
        u.workspace_id = ws.id;
        u.platform_user_id = std::string(name);
        u.name = std::string(name);
        u.role = name == "maria" ? storage::Role::manager : storage::Role::rep;
        people[name] = users.create(u);
    }
    storage::TeamRepository teams(db);
    const storage::Team team = teams.create(ws.id, "Sales East", people["maria"].id);
    for (std::string_view name : {"maria", "alice", "bob", "carol", "dave"}) {
        people[name].team_id = team.id;
        users.update(people[name]);
        if (name != "maria") ++summary.reps;
    }

    storage::CustomerRepository customers(db);
    for (auto name : kAccounts) {
        const auto c = customers.find_or_create(ws.id, std::string(name));
        customers.set_status(ws.id, c.id, storage::CustomerStatus::current);
    }
    // Closed deals first, so the customers they make current are current for the open ones.
    for (int pass = 0; pass < 2; ++pass) {
        for (const auto& d : kOpps) {
            if ((pass == 0) == analysis::is_open(d.stage)) continue;
            const auto customer = customers.find_or_create(ws.id, std::string(d.customer));
            analysis::Opportunity o;
            o.owner_id = people[d.owner].id;
            o.customer_id = customer.id;
            o.product_line_id = line_ids.at(d.line);
            o.amount = static_cast<analysis::Money>(d.thousands) * 1000 * 100;
            o.stage = d.stage;
            o.customer_type = customer.status == storage::CustomerStatus::current
                                  ? analysis::CustomerType::existing
                                  : analysis::CustomerType::new_customer;
            o.created_at = now - std::chrono::days{d.age_days};
            o.updated_at = o.created_at;
            if (analysis::is_open(d.stage)) {
                o.close_date = analysis::Date{today + std::chrono::days{30 + d.age_days}};
            } else {
                o.closed_at = now - std::chrono::days{d.age_days / 2};
            }
            opps.create(ws.id, o);
            ++summary.opportunities;
        }
    }
    tx.commit();
    return summary;
}

}  // namespace funnelbot::commands

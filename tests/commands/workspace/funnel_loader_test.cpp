// What load_rep_funnel hands the cross-sell check (current accounts with their lines, line
// popularity among the rep's peers) comes from figures the schema keeps up to date. After every
// kind of command or import that feeds them, they equal the same figures computed here from the
// opportunities themselves: none goes stale.
#include "commands/workspace/funnel_loader.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "analysis/balance_check.hpp"
#include "analysis/weekend_review.hpp"
#include "commands/command_dispatch.hpp"
#include "commands/csv/csv_import.hpp"
#include "commands/render/funnel_replies.hpp"
#include "commands/render/text_renderer.hpp"
#include "commands/workspace/workspace_time.hpp"
#include "storage/customer_repository.hpp"
#include "storage/opportunity_repository.hpp"
#include "storage/user_repository.hpp"
#include "storage/workspace_repository.hpp"
#include "tests/support/temp_database.hpp"

namespace funnelbot::commands {
namespace {

using analysis::Id;

const analysis::Instant kNow{std::chrono::sys_days{std::chrono::year{2026} / 11 / 20} +
                             std::chrono::hours{10}};

Identity person(const std::string& id, const std::string& name, bool admin = false) {
    Identity who;
    who.platform_user_id = id;
    who.name = name;
    who.email = name + "@example.com";  // imports link owners by e-mail
    who.platform_admin = admin;
    return who;
}

class FunnelLoaderFreshnessTest : public ::testing::Test {
protected:
    void run(const Identity& who, const std::string& name, const std::string& text) {
        const Outcome out = execute_text(db_, ws_, who, name, text, kNow);
        ASSERT_FALSE(out.reply.is_error()) << "/" << name << " " << text << "\n"
                                           << render_text(out.reply);
    }

    Id user_id(const std::string& name) {
        return storage::UserRepository(db_).find_by_name(ws_.id, name)->id;
    }

    Id only_opportunity(const std::string& owner, const std::string& customer) {
        storage::OpportunityFilter f;
        f.owner_id = user_id(owner);
        f.customer_id = storage::CustomerRepository(db_).find(ws_.id, customer)->id;
        f.status = storage::OpportunityFilter::Status::all;
        const auto found = storage::OpportunityRepository(db_).list(ws_.id, f);
        EXPECT_EQ(found.size(), 1u) << owner << " at " << customer;
        return found.empty() ? 0 : found.front().id;
    }

    // Every person's cross-sell input as the check loads it, against the same figures computed
    // from every opportunity of the workspace and the customers' statuses.
    void expect_fresh(const std::string& after) {
        storage::OpportunityFilter all;
        all.status = storage::OpportunityFilter::Status::all;
        const auto opportunities = storage::OpportunityRepository(db_).list(ws_.id, all);
        storage::CustomerRepository customers(db_);
        const auto current = [&](Id customer) {
            return customers.get(ws_.id, customer)->status == storage::CustomerStatus::current;
        };
        const auto popularity = [&](const std::set<Id>* owners) {
            std::map<Id, std::set<Id>> buyers;
            for (const auto& o : opportunities) {
                if (o.stage == analysis::Stage::won && current(o.customer_id) &&
                    (owners == nullptr || owners->count(o.owner_id) != 0))
                    buyers[o.product_line_id].insert(o.customer_id);
            }
            std::map<Id, std::int64_t> out;
            for (const auto& [line, who] : buyers)
                out[line] = static_cast<std::int64_t>(who.size());
            return out;
        };
        const auto clock = clock_in_zone("UTC", kNow);
        const auto people = storage::UserRepository(db_).list(ws_.id, false);
        ASSERT_FALSE(people.empty());
        for (const auto& rep : people) {
            const auto funnel = load_rep_funnel(db_, ws_, rep, clock);
            const std::string where = after + ", " + rep.name;
            // Popularity: the rep's team's active members, or everyone for a rep in no team.
            std::set<Id> team;
            if (rep.team_id) {
                for (const auto& u : storage::UserRepository(db_).list_team(ws_.id, *rep.team_id))
                    team.insert(u.id);
            }
            const auto expected_popularity =
                !rep.team_id ? popularity(nullptr)
                             : (team.empty() ? std::map<Id, std::int64_t>{} : popularity(&team));
            EXPECT_EQ(funnel.cross_sell.line_popularity, expected_popularity) << where;
            // Accounts: the rep's current customers, by name, with lines bought or open by anyone.
            std::map<std::string, std::set<Id>> expected;
            for (const auto& o : opportunities) {
                if (o.owner_id == rep.id && current(o.customer_id)) expected[o.customer_name];
            }
            for (const auto& o : opportunities) {
                const auto it = expected.find(o.customer_name);
                if (it == expected.end()) continue;
                if (o.stage != analysis::Stage::lost) it->second.insert(o.product_line_id);
            }
            std::map<std::string, std::set<Id>> got;  // names here differ in more than case
            for (const auto& account : funnel.cross_sell.accounts)
                got[account.name].insert(account.covered_lines.begin(),
                                         account.covered_lines.end());
            EXPECT_EQ(got.size(), funnel.cross_sell.accounts.size()) << where;
            EXPECT_EQ(got, expected) << where;
            // The reader leaves out the fields the check does not read (names, dates, external
            // ids): the check and the Friday review over every field say exactly the same.
            auto full = load_rep_funnel_without_cross_sell(db_, ws_, rep, clock);
            full.cross_sell = funnel.cross_sell;
            ASSERT_EQ(full.opportunities.size(), funnel.opportunities.size()) << where;
            const auto report = analysis::check_balance(funnel);
            const auto full_report = analysis::check_balance(full);
            EXPECT_EQ(
                render_text(funnel_check_reply(report, funnel.goals, rep.name, true, "USD")),
                render_text(funnel_check_reply(full_report, full.goals, rep.name, true, "USD")))
                << where;
            EXPECT_EQ(
                render_text(weekend_review_reply(analysis::weekend_review(report), rep.name, true)),
                render_text(
                    weekend_review_reply(analysis::weekend_review(full_report), rep.name, true)))
                << where;
        }
    }

    testing::TempDir dir_;
    storage::Database db_{dir_.file("fresh.db")};
    storage::Workspace ws_ =
        storage::WorkspaceRepository(db_).find_or_create(storage::Platform::slack, "T1", "UTC");
    Identity admin_ = person("U1", "adam", true);
    Identity maria_ = person("U2", "maria");
    Identity ann_ = person("U3", "ann");
    Identity bob_ = person("U4", "bob");
    Identity carl_ = person("U5", "carl");
};

TEST_F(FunnelLoaderFreshnessTest, EveryWriteThatFeedsTheCrossSellCheckShowsInTheNextCheck) {
    for (const char* text :
         {"product add Widgets", "product add Gadgets", "product add Sensors",
          "team East manager:<@U2|maria>", "team East add <@U3|ann>", "team East add <@U4|bob>"})
        run(admin_, "funnel-admin", text);
    run(carl_, "opp", "add Initech product:Sensors");  // carl exists, in no team
    expect_fresh("setup");

    run(ann_, "opp", "add Acme product:Widgets stage:won");
    expect_fresh("a won /opp add");
    run(bob_, "opp", "add Acme product:Gadgets");
    run(carl_, "opp", "add Acme product:Sensors stage:won");
    expect_fresh("open and won /opp add by others");
    run(bob_, "opp", "update " + std::to_string(only_opportunity("bob", "Acme")) + " stage:won");
    expect_fresh("/opp update to won");
    run(bob_, "opp",
        "update " + std::to_string(only_opportunity("bob", "Acme")) + " product:Sensors");
    expect_fresh("/opp update of the line");
    run(admin_, "funnel-admin", "customer Acme prospect");
    expect_fresh("a customer made a prospect again");
    run(admin_, "funnel-admin", "customer Acme current");
    run(admin_, "funnel-admin", "customer Initech current");
    expect_fresh("customers marked current");
    run(admin_, "funnel-admin", "team East remove <@U4|bob>");
    expect_fresh("a member leaving the team");
    run(admin_, "funnel-admin", "team West manager:<@U2|maria>");
    run(admin_, "funnel-admin", "team West add <@U4|bob>");
    run(admin_, "funnel-admin", "team West add <@U5|carl>");
    expect_fresh("members joining another team");

    std::istringstream csv(
        "Account Name,Product,Stage,Type,Opportunity Owner\n"
        "Globex,Widgets,Closed Won,New Customer,ann@example.com\n"
        "Globex,Gadgets,Prospecting,New Customer,bob@example.com\n"
        "Hooli,Sensors,Closed Won,Existing Customer - Upgrade,carl@example.com\n"
        "Umbrella,Gadgets,Closed Lost,New Customer,ann@example.com\n"
        "Soylent,Widgets,Closed Won,New Customer,Dana Placeholder\n");
    ImportOptions options;
    ASSERT_TRUE(import_csv(db_, ws_.id, csv, options, kNow)) << "import";
    expect_fresh("a CSV import");

    run(ann_, "opp", "lost " + std::to_string(only_opportunity("ann", "Globex")));
    expect_fresh("/opp lost of a won deal");
    run(carl_, "opp", "remove " + std::to_string(only_opportunity("carl", "Hooli")));
    expect_fresh("/opp remove");
    run(admin_, "funnel-admin", "user <@U3|ann> left reassign:<@U5|carl>");
    expect_fresh("a rep leaving with their deals reassigned");
    run(admin_, "funnel-admin", "role <@U3|ann> rep");
    expect_fresh("a rep who left given a role back");
}

}  // namespace
}  // namespace funnelbot::commands

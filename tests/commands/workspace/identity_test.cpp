// Who someone is comes only from what the platform vouches for: a platform user id, the e-mail
// address the platform reports, or an admin's word. Never a name, which anyone can set.
#include <gtest/gtest.h>

#include <chrono>
#include <sstream>
#include <string>

#include "commands/command_dispatch.hpp"
#include "commands/csv/csv_import.hpp"
#include "commands/render/text_renderer.hpp"
#include "storage/opportunity_repository.hpp"
#include "storage/user_repository.hpp"
#include "storage/workspace_repository.hpp"
#include "tests/support/temp_database.hpp"

namespace funnelbot::commands {
namespace {

const analysis::Instant kNow{std::chrono::seconds{1'780'000'000}};

Identity slack_user(std::string id, std::string name, std::string display = {},
                    std::string email = {}) {
    Identity who;
    who.platform_user_id = std::move(id);
    who.name = std::move(name);
    who.display_name = std::move(display);
    who.email = std::move(email);
    return who;
}

class IdentityTest : public ::testing::Test {
protected:
    IdentityTest() {
        admin_ = slack_user("U1", "ann");
        admin_.platform_admin = true;
        run(slack_, admin_, "funnel-admin", "product add Widgets");
        run(console_, console_admin(), "funnel-admin", "product add Widgets");
    }

    static Identity console_admin() {
        Identity who;
        who.platform_user_id = "console";
        who.name = "console";
        who.platform_admin = true;
        return who;
    }

    std::string run(const storage::Workspace& ws, const Identity& who, std::string_view name,
                    std::string_view text) {
        return render_text(execute_text(db_, ws, who, name, text, kNow).reply);
    }

    ImportSummary import(const storage::Workspace& ws, const std::string& csv) {
        ImportOptions options;
        options.default_owner_id = storage::UserRepository(db_)
                                       .find_by_platform_id(ws.id, "U1")
                                       .value_or(storage::User{})
                                       .id;
        std::istringstream in(csv);
        auto r = import_csv(db_, ws.id, in, options, kNow);
        EXPECT_TRUE(r.ok()) << r.error().message;
        return r.ok() ? *r : ImportSummary{};
    }

    std::size_t opps_of(const storage::Workspace& ws, const std::string& platform_id) {
        auto user = storage::UserRepository(db_).find_by_platform_id(ws.id, platform_id);
        if (!user) return 0;
        storage::OpportunityFilter f;
        f.owner_id = user->id;
        f.status = storage::OpportunityFilter::Status::all;
        return storage::OpportunityRepository(db_).list(ws.id, f).size();
    }

    testing::TempDir dir_;
    storage::Database db_{dir_.file("identity.db")};
    storage::Workspace slack_ =
        storage::WorkspaceRepository(db_).find_or_create(storage::Platform::slack, "T1", "UTC");
    storage::Workspace console_ = storage::WorkspaceRepository(db_).find_or_create(
        storage::Platform::console, "console", "UTC");
    Identity admin_;
};

TEST_F(IdentityTest, RenamingYourselfAfterAnImportedOwnerGetsYouNothing) {
    const auto summary = import(slack_,
                                "customer,product,owner\n"
                                "Acme,Widgets,Carol Jones\n"
                                "Globex,Widgets,Carol Jones\n");
    EXPECT_EQ(summary.placeholder_owners, (std::vector<std::string>{"Carol Jones"}));
    EXPECT_EQ(summary.unlinked_owners, (std::vector<std::string>{"Carol Jones"}));

    // Mallory calls herself Carol Jones on Slack, in every name field Slack has.
    Identity mallory = slack_user("U666", "carol.jones", "Carol Jones");
    mallory.real_name = "Carol Jones";
    EXPECT_NE(run(slack_, mallory, "opp", "list").find("None yet"), std::string::npos);
    EXPECT_NE(run(slack_, mallory, "opp", "won 1").find("✗"), std::string::npos);
    EXPECT_EQ(opps_of(slack_, "U666"), 0U);
    const auto carol = storage::UserRepository(db_).find_by_imported_name(slack_.id, "Carol Jones");
    ASSERT_TRUE(carol.has_value());
    EXPECT_TRUE(carol->platform_user_id.empty()) << "the placeholder was adopted by a name";
    storage::OpportunityFilter open;
    EXPECT_EQ(storage::OpportunityRepository(db_).list(slack_.id, open).size(), 2U);
}

// Names from the platform and cells from a file lose their invisible characters (bidi overrides,
// zero-width characters) before they are stored or matched, so none can pass for another name.
TEST_F(IdentityTest, InvisibleCharactersNeverReachAStoredName) {
    Identity sneaky =
        slack_user("U7", "car\u200Bol", "\u202ECarol Jones\u202C", "carol@example.com");
    sneaky.real_name = "Carol\u2066 Jones";
    run(slack_, sneaky, "opp", "list");
    const auto stored = storage::UserRepository(db_).find_by_platform_id(slack_.id, "U7");
    ASSERT_TRUE(stored.has_value());
    EXPECT_EQ(stored->name, "carol");
    EXPECT_EQ(stored->display_name, "Carol Jones");
    EXPECT_EQ(stored->real_name, "Carol Jones");

    const auto summary = import(slack_,
                                "customer,product\n"
                                "\u202EAc\u200Bme,Wid\u2060gets\n");
    EXPECT_TRUE(summary.new_lines.empty()) << "\"Wid\u2060gets\" is Widgets, not a new line";
    EXPECT_NE(run(slack_, admin_, "opp", "list").find("Acme"), std::string::npos);
}

TEST_F(IdentityTest, AnAdminLinksTheOwnerAndLaterImportsFollowTheLink) {
    import(slack_,
           "customer,product,owner\nAcme,Widgets,Carol Jones\nGlobex,Widgets,Carol Jones\n");
    // Carol has used funnelbot before: her own row gets the imported opportunities.
    const Identity carol = slack_user("U777", "carol");
    run(slack_, carol, "opp", "add Initech product:Widgets");
    const std::string linked =
        run(slack_, admin_, "funnel-admin", "user link \"Carol Jones\" <@U777|carol>");
    EXPECT_NE(linked.find("\"Carol Jones\" is carol: 2 opportunities move to them, and later "
                          "imports give rows of \"Carol Jones\" to them."),
              std::string::npos)
        << linked;
    EXPECT_EQ(opps_of(slack_, "U777"), 3U);

    const auto again = import(slack_, "customer,product,owner\nUmbrella,Widgets,carol jones\n");
    EXPECT_TRUE(again.placeholder_owners.empty());
    EXPECT_TRUE(again.unlinked_owners.empty());
    EXPECT_EQ(opps_of(slack_, "U777"), 4U);
    EXPECT_NE(run(slack_, admin_, "funnel-admin", "user link \"Carol Jones\" <@U777|carol>")
                  .find("\"Carol Jones\" is linked to carol already."),
              std::string::npos);
}

TEST_F(IdentityTest, LinkingSomeoneNewMakesThePlaceholderThem) {
    import(slack_, "customer,product,owner\nAcme,Widgets,Dora\n");
    EXPECT_NE(run(slack_, admin_, "funnel-admin", "user link Dora <@U800|dora.m>")
                  .find("\"Dora\" is dora.m now"),
              std::string::npos);
    EXPECT_EQ(opps_of(slack_, "U800"), 1U);
}

TEST_F(IdentityTest, LinkWrongFormsAndRefusals) {
    import(slack_, "customer,product,owner\nAcme,Widgets,Carol Jones\n");
    EXPECT_NE(run(slack_, admin_, "funnel-admin", "user link").find("Say user link"),
              std::string::npos);
    EXPECT_NE(
        run(slack_, admin_, "funnel-admin", "user link \"Carol Jones\"").find("Say user link"),
        std::string::npos);
    EXPECT_NE(run(slack_, admin_, "funnel-admin", "user link \"Carol Jonas\" <@U5|x>")
                  .find("No owner called \"Carol Jonas\" is waiting to be linked. Did you mean "
                        "\"Carol Jones\"? Owners not linked yet: Carol Jones."),
              std::string::npos);
    EXPECT_NE(run(slack_, admin_, "funnel-admin", "user link \"Carol Jones\" @carol")
                  .find("with a real mention"),
              std::string::npos);
    const std::string refused = run(slack_, slack_user("U2", "alice"), "funnel-admin",
                                    "user link \"Carol Jones\" <@U2|alice>");
    EXPECT_NE(refused.find("link imported owners"), std::string::npos) << refused;
    EXPECT_EQ(opps_of(slack_, "U2"), 0U);
}

TEST_F(IdentityTest, TheEmailTheImportGaveLinksTheVerifiedAddressOnly) {
    const auto summary = import(slack_,
                                "customer,product,Opportunity Owner,Owner Email\n"
                                "Acme,Widgets,Dan Brown,dan@example.com\n");
    EXPECT_EQ(summary.unlinked_owners, (std::vector<std::string>{"Dan Brown"}));
    // Someone calling himself Dan Brown, with no e-mail on his profile: nothing.
    EXPECT_NE(run(slack_, slack_user("U3", "dan", "Dan Brown"), "opp", "list").find("None yet"),
              std::string::npos);
    // Dan, whose Slack profile has the address the CRM knows (users.info, users:read.email).
    EXPECT_NE(
        run(slack_, slack_user("U4", "dbrown", {}, "DAN@example.com"), "opp", "list").find("Acme"),
        std::string::npos);
    EXPECT_EQ(opps_of(slack_, "U4"), 1U);
    // A later row with the address goes to Dan's platform user, not to a new placeholder.
    const auto later = import(slack_, "customer,product,owner\nGlobex,Widgets,dan@example.com\n");
    EXPECT_TRUE(later.placeholder_owners.empty());
    EXPECT_EQ(opps_of(slack_, "U4"), 2U);
}

TEST_F(IdentityTest, OnTheConsoleAPersonIsTheirName) {
    import(console_, "customer,product,owner\nAcme,Widgets,Carol Jones\n");
    Identity carol;
    carol.platform_user_id = "Carol Jones";
    carol.name = "Carol Jones";
    EXPECT_NE(run(console_, carol, "opp", "list").find("Acme"), std::string::npos);
    import(console_, "customer,product,owner\nGlobex,Widgets,Dora\n");
    EXPECT_NE(run(console_, console_admin(), "opp", "list @dora").find("Globex"),
              std::string::npos);
}

TEST_F(IdentityTest, ATypedNameOnSlackIsNotAMention) {
    run(slack_, slack_user("U2", "alice"), "opp", "add Acme product:Widgets");
    const std::string typed = run(slack_, admin_, "funnel-check", "@alice");
    EXPECT_NE(typed.find("Name @alice with a real mention"), std::string::npos) << typed;
    EXPECT_NE(run(slack_, admin_, "funnel-check", "<@U2|alice>").find("alice"), std::string::npos);
}

TEST_F(IdentityTest, APersonMarkedAsLeftStaysLeftUntilAnAdminSaysOtherwise) {
    const Identity alice = slack_user("U2", "alice");
    run(slack_, alice, "opp", "add Acme product:Widgets");
    run(slack_, admin_, "funnel-admin", "user <@U2|alice> left");
    const std::string refused = run(slack_, alice, "funnel-check", "");
    EXPECT_NE(refused.find("An admin marked you as having left this workspace"), std::string::npos)
        << refused;
    auto stored = storage::UserRepository(db_).find_by_platform_id(slack_.id, "U2");
    ASSERT_TRUE(stored.has_value());
    EXPECT_FALSE(stored->active) << "her own command undid the admin's word";

    EXPECT_NE(run(slack_, admin_, "funnel-admin", "role <@U2|alice> rep")
                  .find("They had been marked as left; funnelbot takes their commands again."),
              std::string::npos);
    EXPECT_NE(run(slack_, alice, "funnel-check", "").find("Your funnel check"), std::string::npos);
}

}  // namespace
}  // namespace funnelbot::commands

// Two workspaces in one file, with the same people (even the same platform ids), the same
// customers and the same product line: nothing of one ever shows in the other, in any command,
// team summary, Friday reminder or export.
#include <gtest/gtest.h>

#include <chrono>
#include <sstream>
#include <string>
#include <vector>

#include "commands/command_dispatch.hpp"
#include "commands/csv/csv_export.hpp"
#include "commands/reminders/reminder_pass.hpp"
#include "commands/render/text_renderer.hpp"
#include "storage/workspace_repository.hpp"
#include "tests/support/temp_database.hpp"

namespace funnelbot::commands {
namespace {

// Friday 2026-11-27 16:00 UTC: the reminders of UTC workspaces are due.
const analysis::Instant kFriday{std::chrono::sys_days{std::chrono::year{2026} / 11 / 27} +
                                std::chrono::hours{16}};

Identity person(const std::string& id, const std::string& name, bool admin = false) {
    Identity who;
    who.platform_user_id = id;
    who.name = name;
    who.platform_admin = admin;
    return who;
}

class IsolationTest : public ::testing::Test {
protected:
    IsolationTest() {
        // The same setup in both, told apart by the amounts and one customer of each's own.
        fill(one_, "10,001", "OnlyInOne");
        fill(two_, "70,007", "OnlyInTwo");
    }

    void fill(const storage::Workspace& ws, const std::string& amount,
              const std::string& own_customer) {
        for (const std::string& text :
             {std::string("product add Widgets"), std::string("team Sales manager:<@U2|maria>"),
              std::string("team Sales add <@U3|alice>"), std::string("customer Acme current")})
            expect_ok(ws, admin_, "funnel-admin", text);
        expect_ok(ws, alice_, "opp", "add Acme product:Widgets amount:" + amount);
        expect_ok(ws, alice_, "opp", "add " + own_customer + " product:Widgets amount:" + amount);
        expect_ok(ws, alice_, "opp", "add Globex product:Widgets stage:won amount:" + amount);
    }

    std::string run(const storage::Workspace& ws, const Identity& who, const std::string& name,
                    const std::string& text) {
        return render_text(execute_text(db_, ws, who, name, text, kFriday).reply);
    }

    void expect_ok(const storage::Workspace& ws, const Identity& who, const std::string& name,
                   const std::string& text) {
        const Outcome out = execute_text(db_, ws, who, name, text, kFriday);
        ASSERT_FALSE(out.reply.is_error()) << "/" << name << " " << text << "\n"
                                           << render_text(out.reply);
    }

    testing::TempDir dir_;
    storage::Database db_{dir_.file("isolation.db")};
    storage::Workspace one_ =
        storage::WorkspaceRepository(db_).find_or_create(storage::Platform::slack, "T1", "UTC");
    storage::Workspace two_ =
        storage::WorkspaceRepository(db_).find_or_create(storage::Platform::discord, "G2", "UTC");
    Identity admin_ = person("U1", "ann", true);
    Identity maria_ = person("U2", "maria");
    Identity alice_ = person("U3", "alice");
};

TEST_F(IsolationTest, NoCommandShowsTheOtherWorkspace) {
    const std::vector<std::pair<const Identity*, std::pair<std::string, std::string>>> views = {
        {&alice_, {"opp", "list all"}},
        {&alice_, {"opp", "list all customer:Acme"}},
        {&alice_, {"funnel-check", ""}},
        {&alice_, {"funnel-review", ""}},
        {&maria_, {"team-summary", ""}},
        {&maria_, {"funnel-check", "<@U3|alice>"}},
        {&admin_, {"team-summary", "Sales"}},
        {&admin_, {"funnel-admin", "product list"}},
        {&admin_, {"funnel-admin", "goals <@U3|alice>"}},
    };
    for (const auto& [who, command] : views) {
        const std::string in_one = run(one_, *who, command.first, command.second);
        const std::string in_two = run(two_, *who, command.first, command.second);
        const std::string where = who->name + ": /" + command.first + " " + command.second;
        EXPECT_EQ(in_one.find("70,007"), std::string::npos) << where << "\n" << in_one;
        EXPECT_EQ(in_one.find("OnlyInTwo"), std::string::npos) << where << "\n" << in_one;
        EXPECT_EQ(in_two.find("10,001"), std::string::npos) << where << "\n" << in_two;
        EXPECT_EQ(in_two.find("OnlyInOne"), std::string::npos) << where << "\n" << in_two;
    }
    // Ids are per file, not per workspace: the other workspace's ids are simply unknown here.
    // (#4-#6 are workspace two's.)
    for (const std::string& text :
         {std::string("update 4 amount:1"), std::string("won 5"), std::string("remove 6")}) {
        EXPECT_NE(run(one_, admin_, "opp", text).find("✗"), std::string::npos) << text;
    }
    EXPECT_NE(run(two_, alice_, "opp", "list all").find("70,007"), std::string::npos);
}

TEST_F(IsolationTest, RemindersAndExportsStayInTheirWorkspace) {
    ReminderPassOptions options;
    options.dry_run = true;
    int messages = 0;
    run_reminder_pass(db_, kFriday, options, [&](const ReminderMessage& m, std::string&) {
        ++messages;
        const std::string text = render_text(m.reply);
        const bool in_one = m.workspace.id == one_.id;
        EXPECT_EQ(text.find(in_one ? "OnlyInTwo" : "OnlyInOne"), std::string::npos) << text;
        EXPECT_EQ(text.find(in_one ? "70,007" : "10,001"), std::string::npos) << text;
        return Delivery::delivered;
    });
    EXPECT_EQ(messages, 4);  // alice and maria, in each workspace

    std::ostringstream one, two;
    EXPECT_EQ(export_csv(db_, one_.id, one), 3);
    EXPECT_EQ(export_csv(db_, two_.id, two), 3);
    EXPECT_EQ(one.str().find("OnlyInTwo"), std::string::npos);
    EXPECT_EQ(two.str().find("OnlyInOne"), std::string::npos);
    EXPECT_NE(one.str().find("OnlyInOne"), std::string::npos);
}

}  // namespace
}  // namespace funnelbot::commands

// End-to-end tests of the command handlers on a real SQLite file: text in, Reply out, and the
// database checked after every wrong input.
#include <gtest/gtest.h>

#include <chrono>

#include "commands/command_dispatch.hpp"
#include "commands/render/text_renderer.hpp"
#include "storage/database.hpp"
#include "storage/opportunity_repository.hpp"
#include "storage/sql_support.hpp"
#include "storage/transaction.hpp"
#include "storage/workspace_repository.hpp"
#include "tests/support/temp_database.hpp"

namespace funnelbot::commands {
namespace {

using namespace std::chrono;

class HandlersTest : public ::testing::Test {
protected:
    HandlersTest() : db_(dir_.file("funnel.db")) {
        ws_ = storage::WorkspaceRepository(db_).find_or_create(storage::Platform::console,
                                                               "console", "UTC");
    }

    static Identity person(const std::string& name, bool admin = false) {
        Identity who;
        who.platform_user_id = name;
        who.name = name;
        who.platform_admin = admin;
        return who;
    }

    // Runs "/cmd args" as `who` and returns the outcome.
    Outcome run(const Identity& who, const std::string& line, const std::string& event_id = {}) {
        const auto space = line.find(' ');
        const std::string name =
            line.substr(1, space == std::string::npos ? std::string::npos : space - 1);
        const std::string text = space == std::string::npos ? "" : line.substr(space + 1);
        return execute_text(db_, ws_, who, name, text, now_, event_id);
    }

    std::string text(const Identity& who, const std::string& line) {
        return render_text(run(who, line).reply);
    }

    // The reply must be an error carrying `message`, and the database must be unchanged.
    void expect_refused(const Identity& who, const std::string& line, const std::string& message) {
        const std::string before = testing::snapshot(db_);
        const Outcome out = run(who, line);
        EXPECT_TRUE(out.reply.is_error()) << line << "\n" << render_text(out.reply);
        EXPECT_NE(out.reply.summary.find(message), std::string::npos)
            << line << "\nexpected: " << message << "\ngot: " << out.reply.summary;
        EXPECT_EQ(before, testing::snapshot(db_)) << line << " changed the database";
    }

    void add_lines() {
        for (const char* l : {"Widgets", "Gadgets", "Services"}) {
            ASSERT_FALSE(
                run(admin_, std::string("/funnel-admin product add ") + l).reply.is_error());
        }
    }

    // Ten opportunities for alice: `widgets` on Widgets, the rest split over Gadgets and
    // Services; customers C1…C5 are current accounts, C6…C10 new.
    void log_funnel(int widgets) {
        for (int i = 1; i <= 5; ++i) {
            ASSERT_FALSE(run(admin_, "/funnel-admin customer C" + std::to_string(i) + " current")
                             .reply.is_error());
        }
        for (int i = 1; i <= 10; ++i) {
            const char* line = i <= widgets             ? "Widgets"
                               : (i - widgets) % 2 == 1 ? "Gadgets"
                                                        : "Services";
            const auto out =
                run(alice_, "/opp add C" + std::to_string(i) + " product:" + line + " amount:10k");
            ASSERT_FALSE(out.reply.is_error()) << out.reply.summary;
        }
    }

    testing::TempDir dir_;
    storage::Database db_;
    storage::Workspace ws_;
    analysis::Instant now_ = sys_days{2026y / 11 / 27} + 15h;
    Identity admin_ = person("console", true);
    Identity alice_ = person("alice");
    Identity bob_ = person("bob");
    Identity maria_ = person("maria");
};

TEST_F(HandlersTest, EightOfTenWidgetsIsConcentratedAndNamesTheOtherLines) {
    add_lines();
    log_funnel(8);
    const Reply reply = run(alice_, "/funnel-check").reply;
    ASSERT_FALSE(reply.is_error());
    EXPECT_EQ(reply.summary,
              "Widgets is 80 % of your open opportunities — above the 70 % guideline.");
    EXPECT_EQ(reply.verdict, Verdict::attention);
    const std::string shown = render_text(reply);
    EXPECT_NE(shown.find("Widgets   ████████░░   80 %"), std::string::npos) << shown;
    EXPECT_NE(shown.find("Gadgets   █░░░░░░░░░   10 %"), std::string::npos) << shown;
    // 5 of 10 new: C = 1; 8/1/1: P = 0.5817 -> round(29.08 + 50) = 79.
    EXPECT_NE(shown.find("79 / 100"), std::string::npos) << shown;
    EXPECT_NE(shown.find("New customers      50 % (5 of 10)"), std::string::npos) << shown;
    ASSERT_FALSE(reply.next_steps.empty());
    EXPECT_NE(reply.next_steps.front().find("Gadgets"), std::string::npos)
        << reply.next_steps.front();
    EXPECT_NE(reply.next_steps.front().find("Services"), std::string::npos)
        << reply.next_steps.front();
}

TEST_F(HandlersTest, SevenOfTenWidgetsIsNotConcentrated) {
    add_lines();
    log_funnel(7);
    const Reply reply = run(alice_, "/funnel-check").reply;
    EXPECT_EQ(reply.summary,
              "Balanced: no line above 70 % (top: Widgets 70 %), new customers 50 %.");
    EXPECT_EQ(reply.verdict, Verdict::good);
}

TEST_F(HandlersTest, GoalsResolveRepOverTeamOverWorkspace) {
    add_lines();
    log_funnel(8);
    ASSERT_FALSE(run(admin_, "/funnel-admin goals max-line:80").reply.is_error());
    EXPECT_EQ(run(alice_, "/funnel-check").reply.verdict, Verdict::good);
    ASSERT_FALSE(run(admin_, "/funnel-admin team East manager:@maria").reply.is_error());
    ASSERT_FALSE(run(admin_, "/funnel-admin team East add @alice").reply.is_error());
    ASSERT_FALSE(run(admin_, "/funnel-admin goals team:East max-line:75").reply.is_error());
    EXPECT_EQ(run(alice_, "/funnel-check").reply.summary,
              "Widgets is 80 % of your open opportunities — above the 75 % guideline.");
    // The team's manager may set a goal for one of their reps.
    ASSERT_FALSE(run(maria_, "/funnel-admin goals @alice max-line:85").reply.is_error());
    EXPECT_EQ(run(alice_, "/funnel-check").reply.verdict, Verdict::good);
}

TEST_F(HandlersTest, WrongInputsAnswerSpecificallyAndChangeNothing) {
    add_lines();
    ASSERT_FALSE(run(alice_, "/opp add Acme product:Widgets amount:25k").reply.is_error());
    expect_refused(alice_, "/opp add Acme product:Widgts",
                   "Unknown product line \"Widgts\". Did you mean \"Widgets\"? Known: Gadgets, "
                   "Services, Widgets.");
    expect_refused(alice_, "/opp add Acme product:Widgets stage:closing",
                   "Unknown stage \"closing\"");
    expect_refused(alice_, "/opp add Acme product:Widgets amount:lots",
                   "\"lots\" is not an amount");
    expect_refused(alice_, "/opp add product:Widgets", "Missing customer");
    expect_refused(alice_, "/opp add Acme", "Missing product:<line>.");
    expect_refused(alice_, "/opp add Acme product:Widgets colour:red", "Unknown option \"colour\"");
    expect_refused(alice_, "/opp add Acme product:Widgets soon",
                   "Unexpected \"soon\" after the options");
    expect_refused(alice_, "/opp add " + std::string(101, 'x') + " product:Widgets",
                   "The customer name is 101 characters long; the limit is 100.");
    expect_refused(alice_, "/opp add \"Acme product:Widgets", "quote");
    expect_refused(alice_, "/opp frobnicate", "Unknown /opp command \"frobnicate\"");
    expect_refused(alice_, "/opp lsit", "Did you mean \"list\"?");
    expect_refused(bob_, "/opp won 1", "There is no opportunity #1 of yours.");
    expect_refused(bob_, "/opp update 1 amount:1", "There is no opportunity #1 of yours.");
    expect_refused(alice_, "/opp update 1", "Nothing to change");
    expect_refused(alice_, "/opp remove one", "\"one\" is not an opportunity id");
    expect_refused(alice_, "/team-summary", "/team-summary is for managers and admins.");
    expect_refused(alice_, "/funnel-admin product add Gizmos",
                   "Only funnelbot admins can define product lines.");
    expect_refused(alice_, "/funnel-admin goals max-line:60",
                   "Only managers and admins set goals.");
    expect_refused(admin_, "/funnel-admin goals max-line:abc",
                   "max-line must be a whole number from 1 to 100");
    expect_refused(admin_, "/funnel-admin product add Widgets", "already exists");
    expect_refused(admin_, "/funnel-admin reminders tz:Mars/Base",
                   "Unknown time zone \"Mars/Base\"");
    expect_refused(admin_, "/funnel-admin frob", "Unknown /funnel-admin command \"frob\"");
    expect_refused(admin_, "/funnel-admin team East add @nobody", "Unknown team \"East\"");
    expect_refused(alice_, "/funnel-check @bob", "No one called @bob");
    expect_refused(alice_, "/fnnel-check", "Did you mean \"/funnel-check\"?");
}

TEST_F(HandlersTest, ManagersSeeTheirTeamOnly) {
    add_lines();
    ASSERT_FALSE(run(admin_, "/funnel-admin team East manager:@maria").reply.is_error());
    ASSERT_FALSE(run(admin_, "/funnel-admin team East add @alice").reply.is_error());
    ASSERT_FALSE(run(alice_, "/opp add Acme product:Widgets amount:25k").reply.is_error());
    ASSERT_FALSE(run(bob_, "/opp add Globex product:Gadgets amount:5k").reply.is_error());

    EXPECT_FALSE(run(maria_, "/funnel-check @alice").reply.is_error());
    expect_refused(maria_, "/funnel-check @bob", "bob is not one of them");
    expect_refused(alice_, "/funnel-check @maria", "maria is not one of them");

    const Reply summary = run(maria_, "/team-summary").reply;
    ASSERT_FALSE(summary.is_error()) << summary.summary;
    EXPECT_EQ(summary.title, "Team summary — East");
    EXPECT_TRUE(summary.summary.starts_with("1 rep · 1 open opportunity · $25,000 pipeline"))
        << summary.summary;
    expect_refused(alice_, "/team-summary East", "/team-summary is for managers and admins.");
}

TEST_F(HandlersTest, WinningMakesTheCustomerCurrentAndARedeliveryChangesNothing) {
    add_lines();
    const Outcome first = run(alice_, "/opp add Acme Corp product:Widgets amount:$25,000", "Ev1");
    ASSERT_FALSE(first.reply.is_error());
    const Outcome again = run(alice_, "/opp add Acme Corp product:Widgets amount:$25,000", "Ev1");
    EXPECT_TRUE(again.duplicate);
    storage::OpportunityFilter all;
    all.status = storage::OpportunityFilter::Status::all;
    ASSERT_EQ(storage::OpportunityRepository(db_).list(ws_.id, all).size(), 1u);

    ASSERT_FALSE(run(alice_, "/opp won 1").reply.is_error());
    // "ACME corp." is the same customer, now current: the new deal is existing business.
    const Reply next = run(alice_, "/opp add ACME corp. product:Gadgets").reply;
    EXPECT_NE(next.summary.find("#2 Acme Corp — Gadgets, prospecting (current customer)"),
              std::string::npos)
        << next.summary;
    const Reply forced = run(alice_, "/opp add Acme Corp product:Services type:new").reply;
    EXPECT_NE(forced.summary.find("(new customer)"), std::string::npos) << forced.summary;
}

TEST_F(HandlersTest, ListUpdateAndRemove) {
    add_lines();
    ASSERT_FALSE(
        run(alice_, "/opp add Acme product:Widgets amount:25k close:2026-12-31").reply.is_error());
    ASSERT_FALSE(
        run(alice_, "/opp add \"Globex, Inc.\" product:Gadgets amount:1.2m").reply.is_error());
    ASSERT_FALSE(
        run(alice_, "/opp update 2 stage:\"Proposal/Price Quote\" amount:1m").reply.is_error());
    const Reply list = run(alice_, "/opp list").reply;
    EXPECT_EQ(list.summary, "2 opportunities, $1,025,000 in all.");
    ASSERT_EQ(list.sections.size(), 1u);
    EXPECT_EQ(list.sections[0].lines[0],
              "#1  Acme · Widgets · $25,000 · prospecting · close 2026-12-31 · new customer");
    EXPECT_EQ(list.sections[0].lines[1],
              "#2  Globex, Inc. · Gadgets · $1,000,000 · proposal · new customer");
    ASSERT_FALSE(run(alice_, "/opp lost 1").reply.is_error());
    EXPECT_EQ(run(alice_, "/opp list lost").reply.summary, "1 opportunity, $25,000 in all.");
    ASSERT_FALSE(run(alice_, "/opp remove 2").reply.is_error());
    EXPECT_EQ(run(alice_, "/opp list").reply.summary, "None yet.");
}

TEST_F(HandlersTest, ReadingCommandsDoNotWaitForAWriter) {
    add_lines();
    ASSERT_FALSE(run(alice_, "/opp add Acme product:Widgets amount:25k", "Ev-w").reply.is_error());
    // Another connection (another worker or process) holds the write lock…
    {
        storage::Database other(dir_.file("funnel.db"));
        storage::Transaction writer(other, storage::Transaction::Lock::immediate);
        // …and a balance check still answers at once: it takes no write lock, and a
        // redelivery check is only a read.
        const auto started = steady_clock::now();
        const Outcome check = run(alice_, "/funnel-check", "Ev-r");
        EXPECT_FALSE(check.reply.is_error()) << check.reply.summary;
        EXPECT_LT(steady_clock::now() - started, 1s) << "it must not wait for the busy timeout";
    }  // the writer rolls back
    // A read that was already handled is still recognised as a duplicate of a write.
    EXPECT_TRUE(run(alice_, "/funnel-check", "Ev-w").duplicate);
}

// An unexpected failure tells the person what to do and a reference, never SQLite's message or
// the database's path; the details go to the caller (for its log) under the same reference.
TEST_F(HandlersTest, AnUnexpectedFailureAnswersWithAReferenceNotTheRawError) {
    storage::detail::sql(db_).exec("DROP TABLE goals");
    const Outcome out = run(person("alice"), "/funnel-check");
    ASSERT_TRUE(out.reply.is_error());
    EXPECT_EQ(out.reference.size(), 6U);
    EXPECT_EQ(out.reply.summary,
              "funnelbot could not complete this command (reference " + out.reference +
                  "). Nothing was changed; please try again in a moment. If it keeps failing, "
                  "give an admin the reference: funnelbot's log says what went wrong.");
    EXPECT_EQ(out.reply.summary.find("no such table"), std::string::npos);
    EXPECT_EQ(out.reply.summary.find("funnel.db"), std::string::npos);
    EXPECT_NE(out.failure.find("no such table: goals"), std::string::npos) << out.failure;
}

TEST_F(HandlersTest, HelpListsEveryCommandAndExplainsOne) {
    const std::string all = text(alice_, "/funnel-help");
    for (const char* c :
         {"/opp add", "/funnel-check", "/funnel-review", "/team-summary", "/funnel-admin goals"}) {
        EXPECT_NE(all.find(c), std::string::npos) << c;
    }
    const Reply one = run(alice_, "/funnel-help opp add").reply;
    ASSERT_FALSE(one.is_error());
    EXPECT_EQ(one.title, "/opp add");
    expect_refused(alice_, "/funnel-help opp ad", "Did you mean \"opp add\"?");
}

}  // namespace
}  // namespace funnelbot::commands

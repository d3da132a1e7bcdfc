// Who may do what, command by command: every person a workspace can have (a rep, the rep's
// manager, another team's manager, an admin, an admin demoted a moment ago, a person who left)
// against every target (themselves, a rep of the first team, a rep of the other team). A refusal
// is an error reply that changes nothing.
#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "commands/command_dispatch.hpp"
#include "commands/render/text_renderer.hpp"
#include "storage/database.hpp"
#include "storage/workspace_repository.hpp"
#include "tests/support/temp_database.hpp"

namespace funnelbot::commands {
namespace {

const analysis::Instant kNow{std::chrono::seconds{1'780'000'000}};

Identity person(const std::string& id, const std::string& name, bool platform_admin = false) {
    Identity who;
    who.platform_user_id = id;
    who.name = name;
    who.platform_admin = platform_admin;
    return who;
}

std::string mention(const Identity& who) {
    return "<@" + who.platform_user_id + "|" + who.name + ">";
}

class AuthorizationTest : public ::testing::Test {
protected:
    AuthorizationTest() {
        expect_ok(ann_, "funnel-admin", "product add Widgets");
        expect_ok(ann_, "funnel-admin", "team East manager:" + mention(maria_));
        expect_ok(ann_, "funnel-admin", "team East add " + mention(alice_));
        expect_ok(ann_, "funnel-admin", "team East add " + mention(lee_));
        expect_ok(ann_, "funnel-admin", "team West manager:" + mention(mark_));
        expect_ok(ann_, "funnel-admin", "team West add " + mention(bob_));
        // Each person's own opportunity: alice #1, bob #2, maria #3, mark #4, dan #5, ann #6.
        for (const Identity* who : {&alice_, &bob_, &maria_, &mark_, &dan_, &ann_})
            expect_ok(*who, "opp", "add Account of " + who->name + " product:Widgets");
        // dan was made an admin, and is one no more.
        expect_ok(ann_, "funnel-admin", "role " + mention(dan_) + " admin");
        expect_ok(ann_, "funnel-admin", "role " + mention(dan_) + " rep");
        expect_ok(lee_, "opp", "add Lee's account product:Widgets");  // #7
        expect_ok(ann_, "funnel-admin", "user " + mention(lee_) + " left");
    }

    Outcome run(const Identity& who, const std::string& name, const std::string& text) {
        return execute_text(db_, ws_, who, name, text, kNow);
    }

    void expect_ok(const Identity& who, const std::string& name, const std::string& text) {
        const Outcome out = run(who, name, text);
        ASSERT_FALSE(out.reply.is_error()) << who.name << ": /" << name << " " << text << "\n"
                                           << render_text(out.reply);
    }

    testing::TempDir dir_;
    storage::Database db_{dir_.file("authorization.db")};
    storage::Workspace ws_ =
        storage::WorkspaceRepository(db_).find_or_create(storage::Platform::slack, "T1", "UTC");
    Identity ann_ = person("U1", "ann", true);  // a Slack workspace admin
    Identity maria_ = person("U2", "maria");    // manages East
    Identity alice_ = person("U3", "alice");    // rep in East
    Identity mark_ = person("U4", "mark");      // manages West
    Identity bob_ = person("U5", "bob");        // rep in West
    Identity dan_ = person("U6", "dan");        // an admin until a moment ago
    Identity lee_ = person("U7", "lee");        // rep in East who left
};

// A command about another person: {command, text with %T for the target, and %O for the
// target's own opportunity id}.
struct AboutSomeone {
    const char* name;
    const char* text;
};

TEST_F(AuthorizationTest, CommandsAboutAPersonFollowWhoTheyAreToTheActor) {
    const std::vector<AboutSomeone> commands = {
        {"funnel-check", "%T"},
        {"funnel-review", "%T"},
        {"opp", "list %T all"},
        {"opp", "add Matrix Co product:Widgets owner:%T"},
        {"opp", "update %O amount:12k"},
        {"opp", "won %O"},
        {"funnel-admin", "goals %T max-line:60"},
    };
    const std::map<std::string, int> own_opp = {{"alice", 1}, {"bob", 2}, {"maria", 3},
                                                {"mark", 4},  {"dan", 5}, {"ann", 6}};
    struct Actor {
        const Identity* who;
        // May act for: themselves, alice (East), bob (West).
        bool self, east_rep, west_rep;
    };
    const std::vector<Actor> actors = {
        {&alice_, true, true, false},  // alice is the East rep herself
        {&maria_, true, true, false}, {&mark_, true, false, true},  {&ann_, true, true, true},
        {&dan_, true, false, false},  {&lee_, false, false, false},
    };
    for (const Actor& actor : actors) {
        const std::vector<std::pair<const Identity*, bool>> targets = {
            {actor.who, actor.self}, {&alice_, actor.east_rep}, {&bob_, actor.west_rep}};
        for (const auto& [target, allowed_target] : targets) {
            for (const AboutSomeone& c : commands) {
                std::string text = c.text;
                if (const auto t = text.find("%T"); t != std::string::npos)
                    text.replace(t, 2, mention(*target));
                if (const auto o = text.find("%O"); o != std::string::npos) {
                    const auto it = own_opp.find(target->name);
                    if (it == own_opp.end()) continue;  // lee's own: covered by the refusal
                    text.replace(o, 2, std::to_string(it->second));
                }
                bool allowed = allowed_target;
                // Goals are an admin's, or a manager's for their own reps; not a rep's own.
                if (std::string(c.text).starts_with("goals")) {
                    allowed = actor.who == &ann_ || (actor.who == &maria_ && target == &alice_) ||
                              (actor.who == &mark_ && target == &bob_);
                }
                const std::string before = testing::snapshot(db_);
                const Outcome out = run(*actor.who, c.name, text);
                const std::string where = actor.who->name + ": /" + c.name + " " + text;
                if (allowed) {
                    EXPECT_FALSE(out.reply.is_error()) << where << "\n" << render_text(out.reply);
                    // Open it again, so the next actor can be allowed (or refused) the same.
                    if (text.starts_with("won "))
                        expect_ok(ann_, "opp", "update " + text.substr(4) + " stage:prospecting");
                } else {
                    EXPECT_TRUE(out.reply.is_error()) << where << " was allowed";
                    // Refused before anything was written (processed events included).
                    EXPECT_EQ(before, testing::snapshot(db_)) << where << " changed the database";
                }
            }
        }
    }
}

TEST_F(AuthorizationTest, AdminCommandsAreForAdminsOnly) {
    const std::vector<std::pair<std::string, std::string>> admin_only = {
        {"funnel-admin", "product add Sensors"},
        {"funnel-admin", "lines " + mention(alice_) + " Widgets"},
        {"funnel-admin", "customer Globex current"},
        {"funnel-admin", "team North manager:" + mention(bob_)},
        {"funnel-admin", "role " + mention(bob_) + " manager"},
        {"funnel-admin", "user " + mention(bob_) + " left"},
        {"funnel-admin", "reminders off"},
        {"funnel-admin", "workspace currency:EUR"},
        {"funnel-admin", "product retire Widgets"},
    };
    for (const Identity* who : {&alice_, &maria_, &mark_, &dan_, &lee_}) {
        for (const auto& [name, text] : admin_only) {
            const std::string before = testing::snapshot(db_);
            const Outcome out = run(*who, name, text);
            EXPECT_TRUE(out.reply.is_error()) << who->name << ": /" << name << " " << text;
            EXPECT_EQ(before, testing::snapshot(db_)) << who->name << ": " << text;
        }
    }
    // The demoted admin hears why.
    const std::string demoted = render_text(run(dan_, "funnel-admin", "product add Sensors").reply);
    EXPECT_NE(demoted.find("Ask an admin"), std::string::npos) << demoted;
    // The one who left hears that first.
    const std::string left = render_text(run(lee_, "funnel-admin", "product add Sensors").reply);
    EXPECT_NE(left.find("An admin marked you as having left"), std::string::npos) << left;
    for (const auto& [name, text] : admin_only) {
        const Outcome out = run(ann_, name, text);
        EXPECT_FALSE(out.reply.is_error()) << "ann: /" << name << " " << text << "\n"
                                           << render_text(out.reply);
    }
}

TEST_F(AuthorizationTest, TeamSummariesAreForTheirManagersAndAdmins) {
    const std::vector<std::pair<const Identity*, bool>> east = {{&alice_, false}, {&maria_, true},
                                                                {&mark_, false},  {&ann_, true},
                                                                {&dan_, false},   {&lee_, false}};
    for (const auto& [who, allowed] : east) {
        const Outcome out = run(*who, "team-summary", "East");
        EXPECT_EQ(out.reply.is_error(), !allowed) << who->name << "\n" << render_text(out.reply);
    }
}

}  // namespace
}  // namespace funnelbot::commands

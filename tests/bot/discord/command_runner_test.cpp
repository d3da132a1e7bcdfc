#include <gtest/gtest.h>

#include <SQLiteCpp/Database.h>

#include <string>

#include "bot/discord/command_runner.hpp"
#include "bot/discord/embed_renderer.hpp"
#include "storage/database.hpp"
#include "storage/user_repository.hpp"
#include "storage/workspace_repository.hpp"
#include "tests/support/discord_options.hpp"
#include "tests/support/temp_database.hpp"

namespace funnelbot::bot::discord {
namespace {

using nlohmann::json;
using namespace testing::discord_options;

const analysis::Instant kNow =
    std::chrono::sys_days{std::chrono::year{2026} / 11 / 20} + std::chrono::hours(15);

// An INTERACTION_CREATE `d` as Discord sends it
// (https://discord.com/developers/docs/interactions/receiving-and-responding#interaction-object).
json interaction(const std::string& id, const std::string& guild, const std::string& user,
                 const std::string& command, json options, const std::string& permissions = "0") {
    json d = {{"id", id},
              {"type", 2},
              {"token", "tok-" + id},
              {"application_id", "900"},
              {"version", 1},
              {"channel_id", "700"},
              {"data", {{"id", "1"}, {"name", command}, {"type", 1}, {"options", options}}}};
    const json u = {{"id", user}, {"username", "user" + user}, {"global_name", "User " + user}};
    if (guild.empty()) {
        d["user"] = u;
    } else {
        d["guild_id"] = guild;
        d["member"] = {
            {"user", u}, {"roles", json::array()}, {"permissions", permissions}, {"nick", nullptr}};
    }
    return d;
}

const json& embed(const json& message) {
    return message.at("embeds").at(0);
}

TEST(InteractionIdentity, ServerAdminsByPermissionBitsOrConfiguredIds) {
    const auto who = [](const std::string& permissions) {
        return identity_of(interaction("1", "G", "42", "funnel-check", json::array(), permissions),
                           {});
    };
    EXPECT_FALSE(who("0").platform_admin);
    EXPECT_FALSE(who("1024").platform_admin);       // View Channel only
    EXPECT_TRUE(who("8").platform_admin);           // Administrator
    EXPECT_TRUE(who("32").platform_admin);          // Manage Server
    EXPECT_TRUE(who("2147483647").platform_admin);  // everything
    EXPECT_FALSE(who("not a number").platform_admin);
    const auto plain = who("0");
    EXPECT_EQ(plain.platform_user_id, "42");
    EXPECT_EQ(plain.name, "user42");
    EXPECT_EQ(plain.display_name, "User 42");
    // FUNNELBOT_ADMINS names Discord ids too; a DM has no member and no permissions.
    const json dm = interaction("2", "", "42", "funnel-check", json::array());
    EXPECT_FALSE(identity_of(dm, {}).platform_admin);
    EXPECT_TRUE(identity_of(dm, {"7", "42"}).platform_admin);
    EXPECT_EQ(identity_of(dm, {}).platform_user_id, "42");
    // A server nickname wins over the global display name.
    json nick = interaction("3", "G", "42", "funnel-check", json::array());
    nick["member"]["nick"] = "Ana";
    EXPECT_EQ(identity_of(nick, {}).display_name, "Ana");
}

class DiscordCommandRunnerTest : public ::testing::Test {
protected:
    // The reply, parsed: run_command hands over JSON text.
    std::optional<json> run(const json& d) {
        const std::optional<std::string> text = run_command(desk_, d, settings_, kNow);
        if (!text) return std::nullopt;
        return json::parse(*text);
    }
    testing::TempDir dir_;
    storage::Database db_{dir_.file("discord.db")};
    commands::FrontDesk desk_{db_};
    InteractionSettings settings_{"America/Chicago", {}};
};

TEST_F(DiscordCommandRunnerTest, AServerSessionWithRolesAndRedelivery) {
    // A Manage Server member sets up the line; a rep logs 8 Widgets and 2 Gadgets.
    auto added = run(interaction(
        "10", "G1", "1", "funnel-admin",
        json::array(
            {{{"name", "product"},
              {"type", 2},
              {"options", json::array({sub("add", json::array({option("name", "Widgets")}))})}}}),
        "32"));
    ASSERT_TRUE(added);
    EXPECT_NE(embed(*added).value("color", 0), bot::discord::kDiscordRed) << added->dump();
    run(interaction(
        "11", "G1", "1", "funnel-admin",
        json::array(
            {{{"name", "product"},
              {"type", 2},
              {"options", json::array({sub("add", json::array({option("name", "Gadgets")}))})}}}),
        "32"));
    for (int i = 0; i < 10; ++i) {
        const auto reply = run(interaction(
            std::to_string(100 + i), "G1", "2", "opp",
            json::array(
                {sub("add", json::array({option("customer", "Acme " + std::to_string(i)),
                                         option("product", i < 8 ? "Widgets" : "Gadgets")}))})));
        ASSERT_TRUE(reply);
        ASSERT_NE(embed(*reply).value("color", 0), bot::discord::kDiscordRed) << reply->dump();
    }
    const auto check = run(interaction("200", "G1", "2", "funnel-check", json::array()));
    ASSERT_TRUE(check);
    EXPECT_EQ(check->value("flags", 0), 64);  // only the rep sees it
    EXPECT_NE(check->dump().find("80 %"), std::string::npos) << check->dump();
    // The same interaction delivered again: no second answer, no second opportunity.
    const json again = interaction(
        "100", "G1", "2", "opp",
        json::array({sub(
            "add", json::array({option("customer", "Acme 0"), option("product", "Widgets")}))}));
    EXPECT_FALSE(run(again).has_value());
    SQLite::Database raw(dir_.file("discord.db"));
    EXPECT_EQ(raw.execAndGet("SELECT COUNT(*) FROM opportunities").getInt(), 10);
    // The rep may not see the team summary; a server admin may (and has no teams yet).
    const auto refused = run(interaction("201", "G1", "2", "team-summary", json::array()));
    ASSERT_TRUE(refused);
    EXPECT_EQ(embed(*refused).value("color", 0), bot::discord::kDiscordRed);
    EXPECT_NE(refused->dump().find("/team-summary is for managers and admins"), std::string::npos);
    const auto admin = run(interaction("202", "G1", "1", "team-summary", json::array(), "8"));
    ASSERT_TRUE(admin);
    EXPECT_NE(admin->dump().find("There are no teams yet"), std::string::npos) << admin->dump();
    // The guild became a Discord workspace in the configured zone.
    const auto ws = storage::WorkspaceRepository(db_).find(storage::Platform::discord, "G1");
    ASSERT_TRUE(ws);
    EXPECT_EQ(ws->tz, "America/Chicago");
}

TEST_F(DiscordCommandRunnerTest, DirectMessagesUseTheOneServerThePersonUses) {
    // Never used in a server: asked to go there; nothing is created.
    const auto unknown = run(interaction("300", "", "5", "funnel-check", json::array()));
    ASSERT_TRUE(unknown);
    EXPECT_EQ(embed(*unknown).value("title", ""), "Use this command in your server");
    EXPECT_TRUE(storage::WorkspaceRepository(db_).list_all().empty());

    // After a command in G1, a DM works on G1's funnel, but grants no more than funnelbot's own
    // role: Manage Server is a server's word, and a DM carries none (it used to be taken from
    // what the server last said, so a demoted admin stayed one in DMs).
    run(interaction("301", "G1", "5", "funnel-check", json::array(), "32"));
    const json add_widgets = json::array(
        {{{"name", "product"},
          {"type", 2},
          {"options", json::array({sub("add", json::array({option("name", "Widgets")}))})}}});
    const auto in_dm = run(interaction("302", "", "5", "funnel-admin", add_widgets));
    ASSERT_TRUE(in_dm);
    EXPECT_EQ(embed(*in_dm).value("color", 0), bot::discord::kDiscordRed) << in_dm->dump();
    SQLite::Database raw(dir_.file("discord.db"));
    EXPECT_EQ(raw.execAndGet("SELECT COUNT(*) FROM product_lines").getInt(), 0);
    EXPECT_EQ(
        raw.execAndGet("SELECT platform_admin FROM users WHERE platform_user_id = '5'").getInt(), 1)
        << "the DM left the server's word as it was";
    // Made a funnelbot admin (in the server), the same DM works.
    const json make_admin =
        json::array({sub("role", json::array({option("user", "5", 6), option("role", "admin")}))});
    run(interaction("303", "G1", "5", "funnel-admin", make_admin, "32"));
    const auto as_admin = run(interaction("304", "", "5", "funnel-admin", add_widgets));
    ASSERT_TRUE(as_admin);
    EXPECT_NE(embed(*as_admin).value("color", 0), bot::discord::kDiscordRed) << as_admin->dump();
    EXPECT_EQ(raw.execAndGet("SELECT COUNT(*) FROM product_lines").getInt(), 1);

    // Once the person uses two servers, a DM cannot choose between them.
    run(interaction("305", "G2", "5", "funnel-check", json::array()));
    const auto ambiguous = run(interaction("306", "", "5", "funnel-check", json::array()));
    ASSERT_TRUE(ambiguous);
    EXPECT_NE(ambiguous->dump().find("You use funnelbot in 2 servers"), std::string::npos);
}

TEST_F(DiscordCommandRunnerTest, BadOptionsAreAnsweredAndChangeNothing) {
    SQLite::Database raw(dir_.file("discord.db"));
    run(interaction("400", "G1", "1", "funnel-check", json::array()));
    const std::string before = testing::snapshot(raw);
    const auto bad = run(interaction(
        "401", "G1", "1", "opp",
        json::array({sub("add", json::array({option("customer", "Acme"), option("product", "Nope"),
                                             option("amount", "lots")}))})));
    ASSERT_TRUE(bad);
    EXPECT_EQ(embed(*bad).value("color", 0), bot::discord::kDiscordRed);
    EXPECT_EQ(embed(*bad).value("description", "").rfind("❌", 0), 0u) << bad->dump();
    const auto unknown = run(interaction("402", "G1", "1", "no-such-command", json::array()));
    ASSERT_TRUE(unknown);
    EXPECT_EQ(embed(*unknown).value("color", 0), bot::discord::kDiscordRed);
    json nobody = interaction("403", "G1", "1", "funnel-check", json::array());
    nobody.erase("member");
    const auto anonymous = run(nobody);
    ASSERT_TRUE(anonymous);
    EXPECT_EQ(embed(*anonymous).value("title", ""), "Who is asking?");
    // Only processed_events rows of the read-only refusals may differ: compare the funnel.
    EXPECT_EQ(raw.execAndGet("SELECT COUNT(*) FROM opportunities").getInt(), 0);
    EXPECT_EQ(raw.execAndGet("SELECT COUNT(*) FROM customers").getInt(), 0);
    EXPECT_EQ(before, testing::snapshot(raw));
}

}  // namespace
}  // namespace funnelbot::bot::discord

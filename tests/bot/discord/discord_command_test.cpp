#include <gtest/gtest.h>

#include <cstddef>
#include <functional>
#include <set>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "bot/discord/command_definitions.hpp"
#include "bot/discord/interaction_command.hpp"
#include "commands/command_table.hpp"
#include "commands/grammar/command_parser.hpp"

namespace funnelbot::bot::discord {
namespace {

using json = nlohmann::json;
using namespace funnelbot::commands;

std::size_t code_points(const std::string& s) {
    std::size_t n = 0;
    for (const char c : s)
        n += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
    return n;
}

// Discord's CHAT_INPUT name rule, for the ASCII names we use: lower-case letters, digits, '-'
// and '_', 1 to 32 of them.
bool valid_name(const std::string& name) {
    if (name.empty() || name.size() > 32) return false;
    for (const char c : name) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
        if (!ok) return false;
    }
    return true;
}

void check_options(const json& options, const std::string& where) {
    ASSERT_TRUE(options.is_array()) << where;
    EXPECT_LE(options.size(), 25u) << where;
    std::set<std::string> names;
    bool optional_seen = false;
    for (const json& o : options) {
        const std::string name = o.at("name");
        const std::string here = where + " " + name;
        EXPECT_TRUE(valid_name(name)) << here;
        EXPECT_TRUE(names.insert(name).second) << "duplicate " << here;
        const std::string d = o.at("description");
        EXPECT_GE(code_points(d), 1u) << here;
        EXPECT_LE(code_points(d), 100u) << here;
        const int type = o.at("type");
        if (type == kSubCommand || type == kSubCommandGroup) {
            EXPECT_FALSE(o.contains("required")) << here;
            if (o.contains("options")) check_options(o["options"], here);
            continue;
        }
        const bool required = o.value("required", false);
        EXPECT_FALSE(required && optional_seen) << "required after optional: " << here;
        if (!required) optional_seen = true;
        if (o.contains("choices")) {
            EXPECT_LE(o["choices"].size(), 25u) << here;
            for (const json& c : o["choices"]) {
                EXPECT_GE(code_points(c.at("name")), 1u);
                EXPECT_LE(code_points(c.at("name")), 100u);
                EXPECT_LE(code_points(c.at("value")), 100u);
            }
        }
    }
}

TEST(DiscordDefinitions, EveryCommandWithinDiscordsRules) {
    const json defs = application_commands();
    ASSERT_TRUE(defs.is_array());
    std::set<std::string> names;
    for (const json& c : defs) {
        const std::string name = c.at("name");
        names.insert(name);
        EXPECT_TRUE(valid_name(name)) << name;
        EXPECT_EQ(c.at("type"), 1);
        EXPECT_GE(code_points(c.at("description")), 1u);
        EXPECT_LE(code_points(c.at("description")), 100u);
        EXPECT_LE(c.dump().size(), 8000u) << name;
        if (c.contains("options")) check_options(c["options"], name);
        if (name == "funnel-admin") {
            EXPECT_EQ(c.at("default_member_permissions"), "32");
            EXPECT_EQ(c.at("contexts"), json::array({0})) << "admin commands need a server";
        } else {
            EXPECT_FALSE(c.contains("default_member_permissions")) << name;
            EXPECT_EQ(c.at("contexts"), json::array({0, 1})) << name;
        }
    }
    EXPECT_EQ(names, (std::set<std::string>{"opp", "funnel-check", "funnel-review", "team-summary",
                                            "funnel-admin", "funnel-help"}));
}

TEST(DiscordDefinitions, StableHash) {
    const std::string h = definitions_hash(application_commands());
    EXPECT_EQ(h.size(), 16u);
    EXPECT_EQ(h, definitions_hash(application_commands()));
    // FNV-1a 64 of the two bytes "[]", computed independently.
    EXPECT_EQ(definitions_hash(json::array()), "09612b07b5ecb5a5");
    json changed = application_commands();
    changed[0]["description"] = "changed";
    EXPECT_NE(definitions_hash(changed), h);
}

TEST(DiscordDefinitions, HashUnchangedSoDeployedBotsDoNotReRegister) {
    // A deliberate change of the commands updates it (and makes every bot re-register once):
    // 19fd7329dc6291d9 until /funnel-admin user link was added.
    EXPECT_EQ(definitions_hash(application_commands()), "f6644fa18b957ad5");
}

// The path of every leaf of the registered tree: "opp add", "funnel-admin team manager", …
void leaf_paths(const json& options, const std::string& path, std::multiset<std::string>& out) {
    bool has_sub = false;
    for (const json& o : options) {
        const int type = o.at("type");
        if (type != kSubCommand && type != kSubCommandGroup) continue;
        has_sub = true;
        leaf_paths(o.value("options", json::array()), path + " " + o.at("name").get<std::string>(),
                   out);
    }
    if (!has_sub) out.insert(path);
}

TEST(DiscordDefinitions, CoverExactlyTheCommandTable) {
    std::multiset<std::string> registered;
    for (const json& c : application_commands())
        leaf_paths(c.value("options", json::array()), c.at("name"), registered);
    std::multiset<std::string> table;
    for (const auto& spec : command_table()) {
        ASSERT_FALSE(spec.forms.empty()) << spec.path;
        for (const auto& form : spec.forms)
            table.insert(std::string(typed_path(spec, form)));
    }
    EXPECT_EQ(registered, table);
    std::set<std::string> names;
    for (const json& c : application_commands())
        names.insert(c.at("name").get<std::string>());
    const auto top = top_level_commands();
    EXPECT_EQ(names, std::set<std::string>(top.begin(), top.end()));
}

// A value every option type accepts, for filling required options.
json sample_value(const json& o) {
    if (o.contains("choices")) return o["choices"][0]["value"];
    switch (o.at("type").get<int>()) {
        case kInteger:
            return 1;
        case kBoolean:
            return true;
        case kUser:
            return "111";
        default:
            return "x";
    }
}

// Every leaf of the registered tree, with its required options filled in, reaches the grammar
// as a known command: the definitions and the mapping agree.
TEST(DiscordInteraction, EveryRegisteredLeafIsKnownToTheGrammar) {
    for (const json& c : application_commands()) {
        // Collect the leaves by hand: a path of sub-commands and their required options.
        std::vector<std::pair<std::string, json>> leaves;  // path, data
        std::function<void(const json&, json)> visit = [&](const json& options, json chain) {
            bool has_sub = false;
            for (const json& o : options) {
                const int type = o.at("type");
                if (type != kSubCommand && type != kSubCommandGroup) continue;
                has_sub = true;
                json next = chain;
                next.push_back(o);
                visit(o.value("options", json::array()), next);
            }
            if (has_sub) return;
            json leaf_options = json::array();
            for (const json& o : options) {
                if (o.value("required", false))
                    leaf_options.push_back(
                        {{"name", o["name"]}, {"type", o["type"]}, {"value", sample_value(o)}});
            }
            // Wrap the leaf options in the chain of sub-commands, innermost first.
            std::string path = c["name"];
            for (const json& s : chain)
                path += " " + s["name"].get<std::string>();
            for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
                leaf_options = json::array({{{"name", (*it)["name"]},
                                             {"type", (*it)["type"]},
                                             {"options", leaf_options}}});
            }
            leaves.emplace_back(path,
                                json{{"name", c["name"]}, {"type", 1}, {"options", leaf_options}});
        };
        visit(c.value("options", json::array()), json::array());
        for (const auto& [path, data] : leaves) {
            const auto r = command_from_interaction(data);
            if (!r) {
                EXPECT_EQ(r.error().message.find("Unknown"), std::string::npos)
                    << path << ": " << r.error().message;
                EXPECT_EQ(r.error().message.find("Unexpected"), std::string::npos)
                    << path << ": " << r.error().message;
            }
        }
    }
}

json opp_add_data() {
    return json::parse(R"({
      "id": "771825006014889984", "name": "opp", "type": 1,
      "options": [{"name": "add", "type": 1, "options": [
        {"name": "customer", "type": 3, "value": "Acme Corp"},
        {"name": "product", "type": 3, "value": "Widgets"},
        {"name": "amount", "type": 3, "value": "25k"},
        {"name": "stage", "type": 3, "value": "proposal"},
        {"name": "close", "type": 3, "value": "2026-12-31"},
        {"name": "owner", "type": 6, "value": "53908232506183680"},
        {"name": "type", "type": 3, "value": "new"}]}],
      "resolved": {"users": {"53908232506183680": {"id": "53908232506183680", "username": "mason"}}}
    })");
}

TEST(DiscordInteraction, OppAddEqualsTheTextGrammar) {
    const auto d = command_from_interaction(opp_add_data());
    ASSERT_TRUE(d) << d.error().message;
    const auto t =
        parse_command("opp",
                      "add Acme Corp product:Widgets amount:25k stage:proposal close:2026-12-31 "
                      "owner:<@53908232506183680|mason> new");
    ASSERT_TRUE(t) << t.error().message;
    const auto& a = std::get<OppAdd>(*d);
    const auto& b = std::get<OppAdd>(*t);
    EXPECT_EQ(a.customer, "Acme Corp");
    EXPECT_EQ(a.customer, b.customer);
    EXPECT_EQ(a.product, b.product);
    EXPECT_EQ(a.amount, b.amount);
    EXPECT_EQ(a.amount, 2500000);
    EXPECT_EQ(a.stage, b.stage);
    EXPECT_EQ(a.close, b.close);
    ASSERT_TRUE(a.owner && b.owner);
    EXPECT_EQ(a.owner->user_id, "53908232506183680");
    EXPECT_EQ(a.owner->name, "mason");
    EXPECT_EQ(a.owner->user_id, b.owner->user_id);
    EXPECT_EQ(a.owner->name, b.owner->name);
    EXPECT_EQ(a.type, b.type);
    EXPECT_EQ(a.type, CustomerType::new_customer);
}

TEST(DiscordInteraction, UserOption) {
    const auto r = command_from_interaction(json::parse(R"({
      "name": "funnel-check", "type": 1,
      "options": [{"name": "rep", "type": 6, "value": "42"}],
      "resolved": {"users": {"42": {"id": "42", "username": "ana", "global_name": "Ana B"}}}
    })"));
    ASSERT_TRUE(r) << r.error().message;
    const auto& c = std::get<FunnelCheck>(*r);
    ASSERT_TRUE(c.rep);
    EXPECT_EQ(c.rep->user_id, "42");
    EXPECT_EQ(c.rep->name, "ana");

    // Without resolved data the id alone still names the user.
    const auto bare = command_from_interaction(json::parse(
        R"({"name": "funnel-check", "options": [{"name": "rep", "type": 6, "value": "42"}]})"));
    ASSERT_TRUE(bare);
    EXPECT_EQ(std::get<FunnelCheck>(*bare).rep->user_id, "42");
    EXPECT_EQ(std::get<FunnelCheck>(*bare).rep->name, "");
}

TEST(DiscordInteraction, SubcommandGroup) {
    const auto r = command_from_interaction(json::parse(R"({
      "name": "funnel-admin", "type": 1,
      "options": [{"name": "product", "type": 2, "options": [{"name": "add", "type": 1, "options": [
        {"name": "name", "type": 3, "value": "Gizmo Pro: Max"},
        {"name": "category", "type": 3, "value": "Hardware"},
        {"name": "new", "type": 5, "value": true},
        {"name": "acquired", "type": 5, "value": false},
        {"name": "since", "type": 3, "value": "2026-01-15"}]}]}]
    })"));
    ASSERT_TRUE(r) << r.error().message;
    const auto& p = std::get<ProductAdd>(*r);
    EXPECT_EQ(p.name, "Gizmo Pro: Max");
    EXPECT_EQ(p.category, "Hardware");
    EXPECT_TRUE(p.is_new);
    EXPECT_FALSE(p.acquired);
    ASSERT_TRUE(p.since);

    const auto team = command_from_interaction(json::parse(R"({
      "name": "funnel-admin",
      "options": [{"name": "team", "type": 2, "options": [{"name": "add", "type": 1, "options": [
        {"name": "team", "type": 3, "value": "add"},
        {"name": "rep", "type": 6, "value": "7"}]}]}],
      "resolved": {"users": {"7": {"id": "7", "username": "bo"}}}
    })"));
    ASSERT_TRUE(team) << team.error().message;
    const auto& m = std::get<TeamMember>(*team);
    EXPECT_EQ(m.team, "add");
    EXPECT_EQ(m.rep.user_id, "7");
    EXPECT_TRUE(m.add);
}

// A value is a value: quotes, colons and mention syntax in what someone typed into an option
// stay in that option (before, `Acme" product:"Evil` became a second product option).
TEST(DiscordInteraction, NoOptionValueCanInjectGrammar) {
    const auto r = command_from_interaction(json::parse(R"({
      "name": "opp",
      "options": [{"name": "add", "type": 1, "options": [
        {"name": "customer", "type": 3, "value": "Acme\" product:\"Evil"},
        {"name": "product", "type": 3, "value": "Widgets"},
        {"name": "amount", "type": 3, "value": "5k owner:<@1|boss>"}]}]
    })"));
    EXPECT_FALSE(r.ok());  // the amount "5k owner:<@1|boss>" is not an amount
    const auto ok = command_from_interaction(json::parse(R"({
      "name": "opp",
      "options": [{"name": "add", "type": 1, "options": [
        {"name": "customer", "type": 3, "value": "Acme\" product:\"Evil"},
        {"name": "product", "type": 3, "value": "Widgets"},
        {"name": "stage", "type": 3, "value": "won"}]}]
    })"));
    ASSERT_TRUE(ok) << ok.error().message;
    const auto& add = std::get<OppAdd>(*ok);
    EXPECT_EQ(add.customer, "Acme\" product:\"Evil");
    EXPECT_EQ(add.product, "Widgets");
    EXPECT_FALSE(add.owner.has_value());
}

TEST(DiscordInteraction, UserLinkTakesTheOwnerAsTextAndThePersonAsAUserOption) {
    const auto r = command_from_interaction(json::parse(R"({
      "name": "funnel-admin",
      "options": [{"name": "user", "type": 2, "options": [{"name": "link", "type": 1, "options": [
        {"name": "owner", "type": 3, "value": "Carol Jones"},
        {"name": "user", "type": 6, "value": "77"}]}]}],
      "resolved": {"users": {"77": {"id": "77", "username": "carol"}}}
    })"));
    ASSERT_TRUE(r) << r.error().message;
    const auto& link = std::get<UserLink>(*r);
    EXPECT_EQ(link.owner, "Carol Jones");
    EXPECT_EQ(link.user.user_id, "77");
    EXPECT_EQ(link.user.name, "carol");
}

TEST(DiscordInteraction, ReviewRemindersAndLinesAll) {
    const auto r = command_from_interaction(json::parse(
        R"({"name": "funnel-review", "options": [{"name": "reminders", "type": 3, "value": "off"}]})"));
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ(std::get<FunnelReview>(*r).reminders, false);

    const auto l = command_from_interaction(json::parse(R"({"name": "funnel-admin", "options": [
      {"name": "lines", "type": 1, "options": [{"name": "lines", "type": 3, "value": "All"},
                                               {"name": "team", "type": 3, "value": "East"}]}]})"));
    ASSERT_TRUE(l) << l.error().message;
    EXPECT_TRUE(std::get<LinesAssign>(*l).all);
    EXPECT_EQ(std::get<LinesAssign>(*l).team, "East");

    const auto g = command_from_interaction(json::parse(R"({"name": "funnel-admin", "options": [
      {"name": "goals", "type": 1, "options": [{"name": "max-line", "type": 4, "value": 70},
                                               {"name": "territory", "type": 3, "value": "new"}]}]})"));
    ASSERT_TRUE(g) << g.error().message;
    EXPECT_EQ(std::get<GoalsSet>(*g).settings.max_line_pct, 70);
}

TEST(DiscordInteraction, UnknownCommandGetsTheGrammarsMessage) {
    const auto r = command_from_interaction(json::parse(R"({"name": "funnel-chek", "type": 1})"));
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().message, parse_command("funnel-chek", "").error().message);
    EXPECT_NE(r.error().message.find("Did you mean \"/funnel-check\"?"), std::string::npos);

    // An option the grammar does not know is named in its message.
    const auto o = command_from_interaction(json::parse(R"({"name": "funnel-admin", "options": [
      {"name": "workspace", "type": 1, "options": [{"name": "colour", "type": 3, "value": "red"}]}]})"));
    ASSERT_FALSE(o);
    EXPECT_EQ(o.error().message,
              parse_command("funnel-admin", "workspace colour:red").error().message);
}

TEST(DiscordInteraction, BadAmountGetsTheGrammarsMessage) {
    json data = opp_add_data();
    data["options"][0]["options"][2]["value"] = "lots";
    const auto r = command_from_interaction(data);
    ASSERT_FALSE(r);
    const auto t = parse_command("opp", "add Acme Corp product:Widgets amount:lots");
    ASSERT_FALSE(t);
    EXPECT_EQ(r.error().message, t.error().message);

    // A missing required option, too.
    json missing = opp_add_data();
    missing["options"][0]["options"].erase(1);  // product
    const auto m = command_from_interaction(missing);
    ASSERT_FALSE(m);
    EXPECT_EQ(m.error().message, parse_command("opp", "add Acme Corp").error().message);
}

}  // namespace
}  // namespace funnelbot::bot::discord

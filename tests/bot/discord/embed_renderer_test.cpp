#include "bot/discord/embed_renderer.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstddef>
#include <string>

#include "analysis/balance_check.hpp"
#include "commands/render/funnel_replies.hpp"
#include "tests/analysis/builders.hpp"

namespace funnelbot::bot::discord {
namespace {

using namespace funnelbot::commands;

using json = nlohmann::json;

// The message render_discord_message writes, parsed: it must always be one valid JSON object.
json rendered(const Reply& reply, bool ephemeral) {
    return json::parse(render_discord_message(reply, ephemeral));
}

// Length at the most as Discord may count it: UTF-16 code units.
std::size_t discord_length(const std::string& s) {
    std::size_t n = 0;
    for (const char c : s) {
        const auto b = static_cast<unsigned char>(c);
        if ((b & 0xC0) != 0x80) n += (b & 0xF8) == 0xF0 ? 2 : 1;
    }
    return n;
}

// Checks every embed limit of
// https://discord.com/developers/docs/resources/message#embed-object-embed-limits; returns the
// embed.
json expect_within_limits(const json& message) {
    EXPECT_NO_THROW((void)message.dump());
    if (message.contains("content")) {
        EXPECT_LE(discord_length(message["content"]), 2000u);
    }
    EXPECT_EQ(message.at("embeds").size(), 1u);
    const json& e = message["embeds"][0];
    std::size_t total = 0;
    if (e.contains("title")) {
        EXPECT_LE(discord_length(e["title"]), 256u);
        total += discord_length(e["title"]);
    }
    if (e.contains("description")) {
        EXPECT_LE(discord_length(e["description"]), 4096u);
        total += discord_length(e["description"]);
    }
    if (e.contains("fields")) {
        EXPECT_LE(e["fields"].size(), 25u);
        for (const json& f : e["fields"]) {
            const std::string name = f.at("name");
            const std::string value = f.at("value");
            EXPECT_FALSE(name.empty());
            EXPECT_FALSE(value.empty());
            EXPECT_LE(discord_length(name), 256u);
            EXPECT_LE(discord_length(value), 1024u);
            total += discord_length(name) + discord_length(value);
        }
    }
    EXPECT_LE(total, 6000u);
    return e;
}

TEST(DiscordEmbed, SmallReplyExactJson) {
    Reply r;
    r.title = "Opportunity added";
    r.summary = "#12 Acme Corp — Widgets, $25,000";
    r.verdict = Verdict::good;
    Section s;
    s.heading = "Mix";
    s.figures = {{"Open", "3"}};
    s.bars = {{"Widgets", 80, "8", true}, {"Gadgets", 20, "2", false}};
    r.sections.push_back(s);
    r.warnings = {"Widgets holds 80 %"};
    r.next_steps = {"Add a Gadgets opp"};

    const json expected = json::parse(R"({
      "allowed_mentions": {"parse": []},
      "embeds": [{
        "type": "rich",
        "color": 3066993,
        "title": "Opportunity added",
        "description": "#12 Acme Corp — Widgets, $25,000",
        "fields": [
          {"name": "Mix", "value": "\u200b"},
          {"name": "Open", "value": "3", "inline": true},
          {"name": "\u200b", "value": "```\nWidgets  ████████░░   80 %   8  ◀\nGadgets  ██░░░░░░░░   20 %   2\n```"},
          {"name": "Warnings", "value": "⚠️ Widgets holds 80 %"},
          {"name": "Next steps", "value": "1. Add a Gadgets opp"}
        ]
      }]
    })");
    EXPECT_EQ(rendered(r, false), expected) << rendered(r, false).dump(2);
    // Deterministic.
    EXPECT_EQ(render_discord_message(r, false), render_discord_message(r, false));
}

TEST(DiscordEmbed, EphemeralFlag) {
    Reply r;
    r.title = "Hi";
    r.summary = "there";
    EXPECT_EQ(rendered(r, true).at("flags"), 64);
    EXPECT_FALSE(rendered(r, false).contains("flags"));
    EXPECT_EQ(rendered(r, true)["embeds"][0]["color"], kDiscordBlurple);
}

TEST(DiscordEmbed, ColoursByVerdict) {
    Reply r;
    r.summary = "x";
    r.verdict = Verdict::attention;
    const json m = rendered(r, false);
    EXPECT_EQ(m["embeds"][0]["color"], kDiscordOrange);
    EXPECT_EQ(m["embeds"][0]["description"], "**x**");
}

TEST(DiscordEmbed, ErrorReplyIsShortAndRed) {
    const Reply r = Reply::error("Unknown stage \"wonn\".\nUsage: /opp update <id> [stage:…]");
    const json m = rendered(r, true);
    const json e = expect_within_limits(m);
    EXPECT_EQ(e["color"], kDiscordRed);
    EXPECT_FALSE(e.contains("fields"));
    EXPECT_FALSE(e.contains("title"));
    // Brackets are escaped (they could form a masked link); Discord shows them as typed.
    EXPECT_EQ(e["description"],
              "❌ **Unknown stage \"wonn\".**\nUsage: /opp update <id> \\[stage:…\\]");
    EXPECT_EQ(m["flags"], 64);
}

TEST(DiscordEmbed, MarkdownInUserTextIsEscaped) {
    Reply r;
    r.summary = "ACME_corp *beta*";
    Section s;
    s.lines = {"a`b"};
    s.preformatted = true;
    r.sections.push_back(s);
    const json e = rendered(r, false)["embeds"][0];
    EXPECT_EQ(e["description"], "ACME\\_corp \\*beta\\*");

    // A masked link smuggled in as a name shows as the text it is, not as a link.
    Reply link;
    link.summary = "Logged #3 [Bonus](https://evil.example) — Widgets";
    EXPECT_EQ(rendered(link, false)["embeds"][0]["description"],
              "Logged #3 \\[Bonus\\](https://evil.example) — Widgets");
    EXPECT_EQ(e["fields"][0]["value"],
              "```\na\xCB\x8B"
              "b\n```");
}

TEST(DiscordEmbed, HugeReplyStaysWithinEveryLimit) {
    Reply r;
    r.title = std::string(1000, 'T');
    r.summary = std::string(10000, 's');
    r.verdict = Verdict::attention;
    for (int i = 0; i < 40; ++i) {
        Section s;
        s.heading = std::string(500, 'h') + std::to_string(i);
        s.figures = {{std::string(300, 'l'), std::string(2000, 'v')}, {"Short", "1"}};
        for (int k = 0; k < 30; ++k)
            s.bars.push_back({"Line " + std::to_string(k), k, "detail", k == 0});
        for (int k = 0; k < 50; ++k)
            s.lines.push_back("row " + std::to_string(k) + " " + std::string(100, 'x'));
        r.sections.push_back(s);
    }
    for (int i = 0; i < 100; ++i) {
        r.warnings.push_back("warning " + std::to_string(i));
        r.next_steps.push_back("step " + std::to_string(i));
    }
    const json e = expect_within_limits(rendered(r, false));
    EXPECT_EQ(discord_length(e["title"]), 256u);
    EXPECT_EQ(discord_length(e["description"]), 4096u);
    const json& last = e["fields"].back();
    EXPECT_EQ(last["value"].get<std::string>().rfind("…and ", 0), 0u) << last.dump();
    EXPECT_NE(last["value"].get<std::string>().find(" more lines"), std::string::npos);

    // Many small fields: the 25-field cap, not the char budget, is what cuts.
    Reply many;
    many.summary = "figures";
    Section s;
    for (int i = 0; i < 60; ++i)
        s.figures.push_back({"F" + std::to_string(i), std::to_string(i)});
    many.sections.push_back(s);
    const json e2 = expect_within_limits(rendered(many, false));
    EXPECT_EQ(e2["fields"].size(), 25u);
    EXPECT_EQ(e2["fields"].back()["value"], "…and 36 more lines");

    // Long huge error replies stay within the description limit too.
    const json e3 = expect_within_limits(
        rendered(Reply::error(std::string(500, 'e') + "\n" + std::string(9000, 'u')), false));
    EXPECT_LE(discord_length(e3["description"]), 4096u);
}

TEST(DiscordEmbed, InvalidUtf8IsReplaced) {
    Reply r;
    r.summary = "bad \xFF byte";
    const json m = rendered(r, false);
    EXPECT_NO_THROW((void)m.dump());
    EXPECT_EQ(m["embeds"][0]["description"], "bad \xEF\xBF\xBD byte");
}

TEST(DiscordEmbed, RealFunnelCheckShowsWidgetsWithItsBar) {
    using namespace analysis::testing;
    const auto widgets = make_line(1, "Widgets");
    const auto gadgets = make_line(2, "Gadgets");
    const auto services = make_line(3, "Services");
    FunnelBuilder b;
    b.line(widgets).line(gadgets).line(services);
    b.opps(widgets, 8, 4, 2500000).opps(gadgets, 1, 1).opps(services, 1, 0);
    const analysis::RepFunnel funnel = b.build();
    const analysis::FunnelReport report = analysis::check_balance(funnel);
    const Reply reply = funnel_check_reply(report, funnel.goals, "Ana", true, "USD");

    const json e = expect_within_limits(rendered(reply, true));
    EXPECT_EQ(e["title"], "Your funnel check");
    EXPECT_EQ(e["color"], kDiscordOrange);
    bool found = false;
    for (const json& f : e["fields"]) {
        const std::string v = f["value"];
        if (v.rfind("```", 0) == 0 && v.find("Widgets") != std::string::npos &&
            v.find("████████░░") != std::string::npos)
            found = true;
    }
    EXPECT_TRUE(found) << e.dump(2);
}

}  // namespace
}  // namespace funnelbot::bot::discord

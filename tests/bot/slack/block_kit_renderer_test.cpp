#include "bot/slack/block_kit_renderer.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstddef>
#include <string>
#include <vector>

#include "analysis/balance_check.hpp"
#include "commands/render/funnel_replies.hpp"
#include "tests/analysis/builders.hpp"

namespace funnelbot::bot::slack {
namespace {

using namespace funnelbot::commands;

using json = nlohmann::json;

// The message render_block_kit writes, parsed: it must always be one valid JSON object.
json rendered(const Reply& reply) {
    return json::parse(render_block_kit(reply));
}

// Length as Slack counts it, at the most: UTF-16 code units.
std::size_t slack_length(const std::string& s) {
    std::size_t n = 0;
    for (const char c : s) {
        const auto b = static_cast<unsigned char>(c);
        if ((b & 0xC0) != 0x80) n += (b & 0xF8) == 0xF0 ? 2 : 1;
    }
    return n;
}

// Checks every Slack limit from https://api.slack.com/reference/block-kit/blocks and returns the
// text across all blocks.
std::size_t expect_within_limits(const json& message) {
    EXPECT_NO_THROW((void)message.dump());
    EXPECT_TRUE(message.contains("text"));
    const std::string fallback = message.value("text", "");
    EXPECT_FALSE(fallback.empty());
    EXPECT_LE(slack_length(fallback), 3000u);
    const json& blocks = message.at("blocks");
    EXPECT_LE(blocks.size(), 50u);
    std::size_t total = 0;
    for (const json& block : blocks) {
        const std::string type = block.at("type");
        if (type == "header") {
            EXPECT_EQ(block["text"]["type"], "plain_text");
            const std::string text = block["text"]["text"];
            EXPECT_FALSE(text.empty());
            EXPECT_LE(slack_length(text), 150u);
            total += slack_length(text);
        } else if (type == "section") {
            EXPECT_TRUE(block.contains("text") || block.contains("fields"));
            if (block.contains("text")) {
                const std::string text = block["text"]["text"];
                EXPECT_FALSE(text.empty());
                EXPECT_LE(slack_length(text), 3000u);
                total += slack_length(text);
            }
            if (block.contains("fields")) {
                EXPECT_GE(block["fields"].size(), 1u);
                EXPECT_LE(block["fields"].size(), 10u);
                for (const json& field : block["fields"]) {
                    const std::string text = field["text"];
                    EXPECT_FALSE(text.empty());
                    EXPECT_LE(slack_length(text), 2000u);
                    total += slack_length(text);
                }
            }
        } else if (type == "context") {
            EXPECT_GE(block["elements"].size(), 1u);
            EXPECT_LE(block["elements"].size(), 10u);
            for (const json& element : block["elements"]) {
                const std::string text = element["text"];
                EXPECT_FALSE(text.empty());
                EXPECT_LE(slack_length(text), 3000u);
                total += slack_length(text);
            }
        } else {
            EXPECT_EQ(type, "divider");
        }
    }
    EXPECT_LE(total, 12000u);
    return total;
}

std::string last_text(const json& message) {
    const json& last = message.at("blocks").back();
    return last.contains("text") ? last["text"].value("text", "") : "";
}

TEST(BlockKitRenderer, SmallReplyExactJson) {
    Reply r;
    r.title = "Your funnel check";
    r.summary = "Widgets is 80 % of your open opportunities.";
    r.verdict = Verdict::attention;
    Section lines;
    lines.heading = "Product lines";
    lines.bars = {{"Widgets", 80, "8 · $200,000", true}, {"Cloud Suite", 10, "1", false}};
    lines.lines = {"Top two lines: 90 %."};
    r.sections.push_back(lines);
    Section customers;
    customers.heading = "Customers";
    customers.figures = {{"New customers", "50 %"}, {"Spread", "10 customers"}};
    r.sections.push_back(customers);
    r.warnings = {"Too much Widgets."};
    r.next_steps = {"Find Gadgets deals.", "Call AT&T."};

    const json expected = json::parse(R"({
      "text": "Your funnel check — Widgets is 80 % of your open opportunities.",
      "response_type": "ephemeral",
      "blocks": [
        {"type": "header", "text": {"type": "plain_text", "text": "Your funnel check"}},
        {"type": "section",
         "text": {"type": "mrkdwn", "text": ":warning: *Widgets is 80 % of your open opportunities.*"}},
        {"type": "section",
         "text": {"type": "mrkdwn", "text": "*Product lines*\n```Widgets      ████████░░   80 %   8 · $200,000  ◀\nCloud Suite  █░░░░░░░░░   10 %   1```"}},
        {"type": "section", "text": {"type": "mrkdwn", "text": "Top two lines: 90 %."}},
        {"type": "divider"},
        {"type": "section", "text": {"type": "mrkdwn", "text": "*Customers*"},
         "fields": [{"type": "mrkdwn", "text": "*New customers*\n50 %"},
                    {"type": "mrkdwn", "text": "*Spread*\n10 customers"}]},
        {"type": "context", "elements": [{"type": "mrkdwn", "text": ":warning: Too much Widgets."}]},
        {"type": "section",
         "text": {"type": "mrkdwn", "text": "*Next steps*\n1. Find Gadgets deals.\n2. Call AT&amp;T."}}
      ]
    })");
    const json message = rendered(r);
    EXPECT_EQ(message.dump(2), expected.dump(2));
    expect_within_limits(message);

    r.in_channel = true;
    EXPECT_EQ(rendered(r)["response_type"], "in_channel");
    // Same Reply, same JSON text.
    EXPECT_EQ(render_block_kit(r), render_block_kit(r));
}

TEST(BlockKitRenderer, VerdictsMarkTheSummary) {
    Reply r;
    r.title = "Your funnel check";
    r.summary = "Balanced.";
    r.verdict = Verdict::good;
    EXPECT_EQ(rendered(r)["blocks"][1]["text"]["text"], ":white_check_mark: Balanced.");
    r.verdict = Verdict::info;
    EXPECT_EQ(rendered(r)["blocks"][1]["text"]["text"], "Balanced.");
}

TEST(BlockKitRenderer, EscapesOnlyAmpersandAndAngleBrackets) {
    EXPECT_EQ(escape_mrkdwn("AT&T <script>"), "AT&amp;T &lt;script&gt;");
    EXPECT_EQ(escape_mrkdwn("*bold* _x_ `code` \"q\" 'a'"), "*bold* _x_ `code` \"q\" 'a'");
    EXPECT_EQ(escape_mrkdwn(""), "");

    Reply r;
    r.title = "AT&T <script>";
    r.summary = "AT&T <script>";
    Section s;
    s.heading = "AT&T <script>";
    s.figures = {{"AT&T <script>", "AT&T <script>"}};
    s.bars = {{"AT&T <script>", 50, "1 & 2", false}};
    s.lines = {"AT&T <script>"};
    r.sections.push_back(s);
    r.warnings = {"AT&T <script>"};
    const json m = rendered(r);
    EXPECT_EQ(m["text"], "AT&amp;T &lt;script&gt; — AT&amp;T &lt;script&gt;");
    // A header is plain_text: Slack shows it as given, so it is not escaped.
    EXPECT_EQ(m["blocks"][0]["text"]["text"], "AT&T <script>");
    EXPECT_EQ(m["blocks"][1]["text"]["text"], "AT&amp;T &lt;script&gt;");
    EXPECT_EQ(m["blocks"][2]["text"]["text"], "*AT&amp;T &lt;script&gt;*");
    EXPECT_EQ(m["blocks"][2]["fields"][0]["text"],
              "*AT&amp;T &lt;script&gt;*\nAT&amp;T &lt;script&gt;");
    EXPECT_EQ(m["blocks"][3]["text"]["text"],
              "```AT&amp;T &lt;script&gt;  █████░░░░░   50 %   1 &amp; 2```");
    EXPECT_EQ(m["blocks"][4]["text"]["text"], "AT&amp;T &lt;script&gt;");
    EXPECT_EQ(m["blocks"][5]["elements"][0]["text"], ":warning: AT&amp;T &lt;script&gt;");
}

TEST(BlockKitRenderer, ErrorIsJustTheMessage) {
    Reply r = Reply::error("Unknown stage \"won\".\nStages: prospecting, proposal & negotiation.");
    r.warnings = {"Try /funnel-help <command>."};
    const json expected = json::parse(R"({
      "text": "Unknown stage \"won\".",
      "response_type": "ephemeral",
      "blocks": [
        {"type": "section",
         "text": {"type": "mrkdwn",
                  "text": ":x: *Unknown stage \"won\".*\nStages: prospecting, proposal &amp; negotiation."}},
        {"type": "context", "elements": [{"type": "mrkdwn", "text": "Try /funnel-help &lt;command&gt;."}]}
      ]
    })");
    EXPECT_EQ(rendered(r).dump(2), expected.dump(2));

    Reply blank_hint = Reply::error("No such opportunity.");
    blank_hint.warnings = {"", "  "};
    const json plain = rendered(blank_hint);
    EXPECT_EQ(plain["text"], "No such opportunity.");
    ASSERT_EQ(plain["blocks"].size(), 1u);
    EXPECT_EQ(plain["blocks"][0]["text"]["text"], ":x: *No such opportunity.*");
}

TEST(BlockKitRenderer, HeaderIsCutToOneHundredFiftyChars) {
    Reply r;
    r.title = std::string(200, 'x');
    json m = rendered(r);
    const std::string header = m["blocks"][0]["text"]["text"];
    EXPECT_EQ(header, std::string(149, 'x') + "…");
    EXPECT_EQ(slack_length(header), 150u);

    // Multi-byte titles are cut between characters, never inside one.
    std::string accents;
    for (int i = 0; i < 200; ++i)
        accents += "é";
    r.title = accents;
    m = rendered(r);
    const std::string cut = m["blocks"][0]["text"]["text"];
    EXPECT_EQ(slack_length(cut), 150u);
    EXPECT_EQ(cut.substr(cut.size() - 3), "…");
    EXPECT_NO_THROW((void)m.dump());

    r.title = std::string(150, 'y');
    EXPECT_EQ(rendered(r)["blocks"][0]["text"]["text"], std::string(150, 'y'));
}

TEST(BlockKitRenderer, FallbackTextIsAlwaysPresentAndShort) {
    EXPECT_EQ(rendered(Reply{})["text"], "funnelbot");
    EXPECT_TRUE(rendered(Reply{})["blocks"].empty());

    Reply title_only;
    title_only.title = "Products";
    EXPECT_EQ(rendered(title_only)["text"], "Products");

    Reply long_summary;
    long_summary.title = "Team summary";
    long_summary.summary = std::string(5000, 's');
    const json m = rendered(long_summary);
    const std::string text = m["text"];
    EXPECT_EQ(slack_length(text), 3000u);
    EXPECT_EQ(text.rfind("Team summary — sss", 0), 0u);
    EXPECT_EQ(text.substr(text.size() - 3), "…");
    expect_within_limits(m);
}

TEST(BlockKitRenderer, InvalidUtf8IsReplacedNotThrown) {
    Reply r;
    r.title = "Bad \xff title";
    r.summary = "Caf\xc3 and \xed\xa0\x80 surrogate";
    const json m = rendered(r);
    EXPECT_NO_THROW((void)m.dump());
    EXPECT_EQ(m["blocks"][0]["text"]["text"], "Bad \xEF\xBF\xBD title");
}

TEST(BlockKitRenderer, ManyFiguresSpillIntoAnotherBlock) {
    Reply r;
    r.title = "Goals";
    Section s;
    s.heading = "Targets";
    for (int i = 0; i < 12; ++i)
        s.figures.push_back({"Goal " + std::to_string(i), std::to_string(i * 10) + " %"});
    s.figures.push_back({"Long", std::string(2500, 'v')});
    r.sections.push_back(s);
    const json m = rendered(r);
    expect_within_limits(m);
    const json& blocks = m["blocks"];
    ASSERT_EQ(blocks.size(), 3u);
    EXPECT_EQ(blocks[1]["text"]["text"], "*Targets*");
    EXPECT_EQ(blocks[1]["fields"].size(), 10u);
    EXPECT_EQ(blocks[1]["fields"][0]["text"], "*Goal 0*\n0 %");
    EXPECT_FALSE(blocks[2].contains("text"));
    EXPECT_EQ(blocks[2]["fields"].size(), 3u);
    const std::string long_field = blocks[2]["fields"][2]["text"];
    EXPECT_EQ(slack_length(long_field), 2000u);
    EXPECT_EQ(long_field.substr(long_field.size() - 3), "…");
}

TEST(BlockKitRenderer, ManyWarningsShareTheLastContextElement) {
    Reply r;
    r.title = "Import";
    for (int i = 1; i <= 30; ++i)
        r.warnings.push_back("Row " + std::to_string(i) + " skipped.");
    const json m = rendered(r);
    expect_within_limits(m);
    const json& elements = m["blocks"][1]["elements"];
    ASSERT_EQ(elements.size(), 10u);
    EXPECT_EQ(elements[0]["text"], ":warning: Row 1 skipped.");
    std::string expected_last;
    for (int i = 10; i <= 30; ++i) {
        if (i > 10) expected_last += '\n';
        expected_last += ":warning: Row " + std::to_string(i) + " skipped.";
    }
    EXPECT_EQ(elements[9]["text"], expected_last);
}

TEST(BlockKitRenderer, LongListsContinueInFurtherSections) {
    Reply r;
    r.title = "Opportunities";
    Section s;
    s.heading = "Open";
    s.preformatted = true;
    for (int i = 0; i < 40; ++i)
        s.lines.push_back("#" + std::to_string(i) + " " + std::string(196, 'o'));
    r.sections.push_back(s);
    const json m = rendered(r);
    expect_within_limits(m);
    // 40 lines of ~200 chars: three sections, every line whole, each section its own code block.
    const json& blocks = m["blocks"];
    ASSERT_EQ(blocks.size(), 4u);
    std::size_t whole_lines = 0;
    for (std::size_t i = 1; i < blocks.size(); ++i) {
        const std::string text = blocks[i]["text"]["text"];
        EXPECT_EQ(text.rfind(i == 1 ? "*Open*\n```#0 " : "```#", 0), 0u) << text;
        EXPECT_EQ(text.substr(text.size() - 3), "```");
        EXPECT_EQ(text.find("…"), std::string::npos);
        for (const char c : text)
            whole_lines += c == '#' ? 1 : 0;
    }
    EXPECT_EQ(whole_lines, 40u);
}

TEST(BlockKitRenderer, OverlongLineIsCut) {
    Reply r;
    r.title = "Note";
    Section s;
    s.lines = {std::string(5000, 'n')};
    r.sections.push_back(s);
    const json m = rendered(r);
    expect_within_limits(m);
    const std::string text = m["blocks"][1]["text"]["text"];
    EXPECT_EQ(slack_length(text), 3000u);
    EXPECT_EQ(text.substr(text.size() - 3), "…");
}

TEST(BlockKitRenderer, DividersGiveWayBeforeContentIsCut) {
    Reply r;
    r.title = "Weekend review";
    r.summary = "Thirty questions.";
    for (int i = 0; i < 30; ++i) {
        Section s;
        s.heading = "Question " + std::to_string(i);
        s.lines = {"Answer " + std::to_string(i)};
        r.sections.push_back(s);
    }
    const json m = rendered(r);
    expect_within_limits(m);
    // With dividers it would take 61 blocks; without, 32 and nothing is lost.
    ASSERT_EQ(m["blocks"].size(), 32u);
    for (const json& block : m["blocks"])
        EXPECT_NE(block["type"], "divider");
    EXPECT_EQ(last_text(m), "*Question 29*\nAnswer 29");

    r.sections.resize(5);
    const json few = rendered(r);
    EXPECT_EQ(few["blocks"].size(), 2u + 5u + 4u);
    EXPECT_EQ(few["blocks"][3]["type"], "divider");
}

TEST(BlockKitRenderer, HugeReplyStaysWithinEveryLimit) {
    Reply r;
    r.title = "Team summary — " + std::string(300, 'T');
    r.summary = std::string(4000, 'S');
    r.verdict = Verdict::attention;
    int line_number = 0;
    for (int i = 0; i < 40; ++i) {
        Section s;
        s.heading = "Section " + std::to_string(i) + " & more";
        for (int f = 0; f < 12; ++f)
            s.figures.push_back({"Figure " + std::to_string(f), std::string(60, 'f')});
        for (int b = 0; b < 3; ++b)
            s.bars.push_back({"Line <" + std::to_string(b) + ">", 30 * b, "3 · $1,000", b == 2});
        for (int l = 0; l < 12 && line_number < 500; ++l)
            s.lines.push_back("Line " + std::to_string(line_number++) + ": " +
                              std::string(80, 'x'));
        s.preformatted = i % 2 == 0;
        r.sections.push_back(s);
    }
    // The rest of the 500 lines in one last section.
    Section rest;
    while (line_number < 500)
        rest.lines.push_back("Line " + std::to_string(line_number++) + " " + std::string(80, 'y'));
    r.sections.push_back(rest);
    for (int w = 0; w < 30; ++w)
        r.warnings.push_back("Warning " + std::to_string(w) + " <" + std::string(50, 'w') + ">");
    for (int n = 0; n < 20; ++n)
        r.next_steps.push_back("Step " + std::to_string(n));

    const json m = rendered(r);
    const std::size_t total = expect_within_limits(m);
    EXPECT_GT(total, 9000u);  // cut at the limit, not long before it
    const std::string last = last_text(m);
    EXPECT_EQ(last.rfind("…and ", 0), 0u) << last;
    EXPECT_EQ(last.substr(last.size() - 11), " more lines");
    // Every line, bar, figure, warning and step not shown is counted.
    const std::size_t n = std::stoul(last.substr(std::string("…and ").size()));
    EXPECT_GT(n, 500u);
    EXPECT_EQ(slack_length(m["blocks"][0]["text"]["text"]), 150u);
    EXPECT_EQ(rendered(r).dump(), m.dump());
}

TEST(BlockKitRenderer, CountsTheLinesLeftOut) {
    Reply r;
    r.title = "List";
    Section s;
    for (int i = 0; i < 500; ++i)
        s.lines.push_back("Line " + std::string(95, 'l'));
    r.sections.push_back(s);
    const json m = rendered(r);
    expect_within_limits(m);
    std::size_t shown = 0;
    for (std::size_t i = 1; i + 1 < m["blocks"].size(); ++i) {
        const std::string text = m["blocks"][i]["text"]["text"];
        for (std::size_t pos = 0; (pos = text.find("Line ", pos)) != std::string::npos; ++pos)
            ++shown;
    }
    EXPECT_GT(shown, 100u);
    EXPECT_EQ(last_text(m), "…and " + std::to_string(500 - shown) + " more lines");
}

TEST(BlockKitRenderer, RendersARealFunnelCheck) {
    using analysis::testing::FunnelBuilder;
    using analysis::testing::make_line;
    const analysis::ProductLine widgets = make_line(1, "Widgets");
    const analysis::ProductLine gadgets = make_line(2, "Gadgets");
    const analysis::ProductLine services = make_line(3, "Services");
    FunnelBuilder b;
    b.line(widgets).line(gadgets).line(services);
    b.opps(widgets, 8, 4, 2500000).opps(gadgets, 1, 1).opps(services, 1, 0);
    const analysis::RepFunnel funnel = b.build();
    const analysis::FunnelReport report = analysis::check_balance(funnel);
    const Reply reply = funnel_check_reply(report, funnel.goals, "Ana", true, "USD");

    const json m = rendered(reply);
    expect_within_limits(m);
    EXPECT_EQ(m["blocks"][0]["text"]["text"], "Your funnel check");
    EXPECT_EQ(
        m["blocks"][1]["text"]["text"].get<std::string>().rfind(":warning: *Widgets is 80 %", 0),
        0u);
    const std::string fallback = m["text"];
    EXPECT_EQ(fallback.rfind("Your funnel check — Widgets is 80 %", 0), 0u) << fallback;

    std::string bars;
    for (const json& block : m["blocks"]) {
        if (block["type"] != "section" || !block.contains("text")) continue;
        const std::string text = block["text"]["text"];
        if (text.find("```") != std::string::npos && text.find("Widgets") != std::string::npos)
            bars = text;
    }
    ASSERT_FALSE(bars.empty()) << m.dump(2);
    EXPECT_NE(bars.find("*Product lines — 10 open opportunities"), std::string::npos) << bars;
    EXPECT_NE(bars.find("Widgets   ████████░░   80 %   8"), std::string::npos) << bars;
    EXPECT_NE(bars.find("◀"), std::string::npos);
    EXPECT_NE(bars.find("Gadgets   █░░░░░░░░░   10 %"), std::string::npos) << bars;
    EXPECT_EQ(m["response_type"], "ephemeral");
}

}  // namespace
}  // namespace funnelbot::bot::slack

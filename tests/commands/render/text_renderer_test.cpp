#include <gtest/gtest.h>

#include "commands/render/text_renderer.hpp"

namespace funnelbot::commands {
namespace {

TEST(TextRenderer, BarsRoundHalfUpToTenCells) {
    EXPECT_EQ(text_bar(80), "████████░░");
    EXPECT_EQ(text_bar(0), "░░░░░░░░░░");
    EXPECT_EQ(text_bar(100), "██████████");
    EXPECT_EQ(text_bar(15), "██░░░░░░░░");  // 1.5 cells rounds up
    EXPECT_EQ(text_bar(14), "█░░░░░░░░░");
}

TEST(TextRenderer, ReplyReadsTopToBottom) {
    Reply r;
    r.title = "Your funnel check";
    r.summary = "Widgets is 80 %.";
    Section s;
    s.heading = "Product lines";
    s.bars = {{"Widgets", 80, "8", true}, {"Cloud Suite", 10, "1", false}};
    s.figures = {{"Score", "79 / 100"}};
    r.sections.push_back(s);
    r.warnings = {"Too much Widgets."};
    r.next_steps = {"Find Gadgets deals."};
    EXPECT_EQ(render_text(r),
              "Your funnel check\n"
              "Widgets is 80 %.\n"
              "\n"
              "Product lines\n"
              "  Score  79 / 100\n"
              "  Widgets      ████████░░   80 %   8  ◀\n"
              "  Cloud Suite  █░░░░░░░░░   10 %   1\n"
              "\n"
              "⚠ Too much Widgets.\n"
              "\n"
              "Next steps\n"
              "  1. Find Gadgets deals.\n");
    EXPECT_EQ(render_text(Reply::error("Unknown stage.")), "✗ Unknown stage.\n");
}

}  // namespace
}  // namespace funnelbot::commands

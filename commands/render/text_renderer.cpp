#include "commands/render/text_renderer.hpp"

#include <algorithm>
#include <cstddef>

namespace funnelbot::commands {

namespace {

// Display width of UTF-8 text: counts code points, which is right for the labels we print
// (names, bars, the % sign); wide CJK glyphs would need wcwidth and are rare in line names.
std::size_t display_width(const std::string& s) {
    return static_cast<std::size_t>(
        std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

std::string pad(const std::string& s, std::size_t width) {
    const std::size_t w = display_width(s);
    return w >= width ? s : s + std::string(width - w, ' ');
}

void render_section(const Section& section, std::string& out) {
    out += '\n';
    if (!section.heading.empty()) {
        out += section.heading;
        out += '\n';
    }
    std::size_t label_width = 0;
    for (const auto& f : section.figures)
        label_width = std::max(label_width, display_width(f.label));
    for (const auto& f : section.figures) {
        out += "  " + pad(f.label, label_width) + "  " + f.value + '\n';
    }
    for (const auto& row : bar_rows(section.bars))
        out += "  " + row + '\n';
    for (const auto& line : section.lines)
        out += "  " + line + '\n';
}

}  // namespace

std::vector<std::string> bar_rows(const std::vector<BarRow>& bars) {
    std::size_t label_width = 0;
    for (const auto& b : bars)
        label_width = std::max(label_width, display_width(b.label));
    std::vector<std::string> rows;
    rows.reserve(bars.size());
    for (const auto& b : bars) {
        const std::string pct = std::to_string(b.percent) + " %";
        std::string row = pad(b.label, label_width) + "  " + text_bar(b.percent) + "  " +
                          std::string(pct.size() < 5 ? 5 - pct.size() : 0, ' ') + pct;
        if (!b.detail.empty()) row += "   " + b.detail;
        if (b.highlight) row += "  ◀";
        rows.push_back(std::move(row));
    }
    return rows;
}

std::string text_bar(int percent, int cells) {
    const int clamped = std::clamp(percent, 0, 100);
    const int full = (clamped * cells * 2 + 100) / 200;  // round half up
    std::string bar;
    for (int i = 0; i < cells; ++i)
        bar += i < full ? "█" : "░";
    return bar;
}

std::string render_text(const Reply& reply) {
    std::string out;
    if (reply.is_error()) {
        out = "✗ " + reply.summary + '\n';
        for (const auto& w : reply.warnings)
            out += "  " + w + '\n';
        return out;
    }
    out += reply.title + '\n';
    if (!reply.summary.empty()) out += reply.summary + '\n';
    for (const auto& s : reply.sections)
        render_section(s, out);
    if (!reply.warnings.empty()) {
        out += '\n';
        for (const auto& w : reply.warnings)
            out += "⚠ " + w + '\n';
    }
    if (!reply.next_steps.empty()) {
        out += "\nNext steps\n";
        int n = 1;
        for (const auto& step : reply.next_steps)
            out += "  " + std::to_string(n++) + ". " + step + '\n';
    }
    return out;
}

Reply Reply::error(std::string message) {
    Reply r;
    r.verdict = Verdict::error;
    r.title = "Not done";
    r.summary = std::move(message);
    return r;
}

}  // namespace funnelbot::commands

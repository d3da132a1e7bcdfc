// The platform-neutral answer to a command. Renderers turn it into plain text (console),
// Slack Block Kit or Discord embeds; handlers never format for a platform.
#pragma once

#include <string>
#include <vector>

namespace funnelbot::commands {

// One row of a mix: a labelled bar with its percentage and a short detail ("8 · $200,000").
struct BarRow {
    std::string label;
    int percent = 0;  // 0..100, already rounded
    std::string detail;
    bool highlight = false;  // e.g. the concentrated line
};

struct KeyFigure {
    std::string label;
    std::string value;
};

struct Section {
    std::string heading;  // may be empty
    std::vector<KeyFigure> figures;
    std::vector<BarRow> bars;
    std::vector<std::string> lines;  // plain sentences or table rows
    bool preformatted = false;       // lines form a fixed-width table
};

enum class Verdict { info, good, attention, error };

struct Reply {
    std::string title;
    std::string summary;  // one line: the answer in brief (also the chat fallback text)
    Verdict verdict = Verdict::info;
    std::vector<Section> sections;
    std::vector<std::string> warnings;
    std::vector<std::string> next_steps;
    bool in_channel = false;  // visible to the whole channel rather than only the sender

    static Reply error(std::string message);
    bool is_error() const { return verdict == Verdict::error; }
};

}  // namespace funnelbot::commands

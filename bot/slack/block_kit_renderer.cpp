#include "bot/slack/block_kit_renderer.hpp"

#include <algorithm>
#include <cstddef>
#include <iterator>
#include <utility>
#include <vector>

#include "bot/protocol/json_text.hpp"
#include "commands/render/sized_text.hpp"
#include "commands/render/text_renderer.hpp"

namespace funnelbot::bot::slack {

// The Reply model and the shared text fitting, read on every line below.
using namespace funnelbot::commands;

namespace {

// Slack's limits (https://api.slack.com/reference/block-kit/blocks,
// https://api.slack.com/methods/chat.postMessage).
constexpr std::size_t kMaxBlocks = 50;
constexpr std::size_t kMaxSectionText = 3000;  // a section's text and a context element's text
constexpr std::size_t kMaxFieldText = 2000;
constexpr std::size_t kMaxFields = 10;
constexpr std::size_t kMaxContextElements = 10;
constexpr std::size_t kMaxHeader = 150;
constexpr std::size_t kMaxFallback = 3000;
// Slack answers msg_blocks_too_long from about 13,200 chars across blocks, far below the
// documented 40,000, so the whole message stays under this.
constexpr std::size_t kMaxTotalText = 12000;
// Kept back for the closing "…and N more lines" section, which always needs to fit.
constexpr std::size_t kTrailerReserve = 40;
// A line cut shorter than this says nothing; it is left out instead.
constexpr std::size_t kShortestCut = 20;
// Headings and field labels are short; capping them keeps room for the content under them.
constexpr std::size_t kMaxHeading = 500;

using Text = SizedText;

// Slack mrkdwn escapes only "& < >" ("You shouldn't encode the entire piece of text").
constexpr Escapes kMrkdwn{{'&', "&amp;"}, {'<', "&lt;"}, {'>', "&gt;"}};

// Escaped for mrkdwn unless `escape` is false (plain_text header), cut to `limit`.
Text fit(std::string_view raw, std::size_t limit, bool escape = true) {
    return commands::fit(raw, limit, escape ? &kMrkdwn : nullptr);
}

bool blank(std::string_view s) {
    return trim(s).empty();
}

// Bold mrkdwn; Slack only bolds "*text*" when no space touches the asterisks.
Text bold(std::string_view raw, std::size_t limit = kMaxHeading) {
    const std::string_view trimmed = trim(raw);
    if (trimmed.empty()) return {};
    Text t;
    append(t, "*");
    append(t, fit(trimmed, limit - 2));
    append(t, "*");
    return t;
}

// Blocks are written as JSON text straight away (bot/protocol/json_text.hpp): a tree of
// nlohmann::json nodes, built, dumped and freed, cost the bot a seventh of its CPU per check.

// A mrkdwn text object, appended to `out`.
void append_mrkdwn(std::string& out, std::string_view text) {
    out += R"({"type":"mrkdwn","text":)";
    bot::append_json_string(out, text);
    out += '}';
}

std::string section(std::string_view text) {
    std::string block = R"({"type":"section","text":)";
    append_mrkdwn(block, text);
    block += '}';
    return block;
}

// The blocks being built. Every block added fits Slack's limits; once something does not fit, it
// and everything after it are left out (so the message still reads in order) and counted for the
// closing "…and N more lines".
class MessageBuilder {
public:
    explicit MessageBuilder(bool dividers) : dividers_(dividers) {}

    // Text still free for content.
    std::size_t room() const { return full_ ? 0 : kMaxTotalText - kTrailerReserve - total_; }
    bool full() const { return full_; }
    std::size_t block_count() const { return count_; }

    // Adds `block` (JSON text) whose texts add up to `len`; false (and nothing added) when it
    // does not fit.
    bool add(std::string_view block, std::size_t len) {
        // One block stays free for the trailer.
        if (full_ || len > room() || count_ + 1 >= kMaxBlocks) return false;
        if (divider_owed_ && dividers_ && count_ > 0 && count_ + 2 < kMaxBlocks)
            push(R"({"type":"divider"})");
        divider_owed_ = false;
        push(block);
        total_ += len;
        return true;
    }

    // A divider goes before the next block added, if any.
    void owe_divider(bool owed) { divider_owed_ = owed; }

    void leave_out(std::size_t lines) {
        full_ = true;
        // Even a heading alone is something the reader would miss.
        left_out_ += std::max<std::size_t>(lines, 1);
    }

    // The blocks as a JSON array.
    std::string finish() && {
        if (full_) {
            push(section("…and " + std::to_string(left_out_) + " more " +
                         (left_out_ == 1 ? "line" : "lines")));
        }
        blocks_ += ']';
        return std::move(blocks_);
    }

private:
    void push(std::string_view block) {
        if (count_ > 0) blocks_ += ',';
        blocks_ += block;
        ++count_;
    }

    std::string blocks_ = "[";
    std::size_t count_ = 0;
    std::size_t total_ = 0;
    bool dividers_;
    bool divider_owed_ = false;
    bool full_ = false;
    std::size_t left_out_ = 0;
};

// Adds `items` (raw text, one a line) as mrkdwn sections of at most 3,000 chars, `title` (ready
// mrkdwn, may be empty) opening the first. A long list continues in further sections rather than
// being cut; `fenced` sets each section's items in a ``` code block (fixed width).
void add_text(MessageBuilder& b, Text title, const std::vector<std::string>& items, bool fenced) {
    if (b.full()) {
        b.leave_out(items.size());
        return;
    }
    const std::size_t fences = fenced ? 6 : 0;
    Text body;
    std::size_t in_body = 0;
    auto cap = [&] { return std::min(kMaxSectionText, b.room()); };
    // The section's length with `body_len` of items in it.
    auto length = [&](std::size_t body_len, std::size_t count) {
        if (count == 0) return title.len;
        return title.len + (title.empty() ? 0 : 1) + fences + body_len;
    };
    auto flush = [&] {
        if (title.empty() && blank(body.str)) {
            body = {};
            in_body = 0;
            return true;
        }
        Text text = title;
        if (in_body > 0) {
            if (!title.empty()) append(text, "\n");
            if (fenced) append(text, "```");
            append(text, body);
            if (fenced) append(text, "```");
        }
        if (!b.add(section(text.str), text.len)) return false;
        title = {};
        body = {};
        in_body = 0;
        return true;
    };

    for (std::size_t i = 0; i < items.size();) {
        const Text item = fit(items[i], kMaxSectionText);
        const std::size_t body_len = body.len + (in_body > 0 ? 1 : 0) + item.len;
        if (length(body_len, in_body + 1) <= cap()) {
            if (in_body > 0) append(body, "\n");
            append(body, item);
            ++in_body;
            ++i;
            continue;
        }
        if (in_body > 0) {
            // Full: this section is done, the item opens the next one.
            if (!flush()) {
                b.leave_out(in_body + items.size() - i);
                return;
            }
            continue;
        }
        // Even alone the item does not fit the room left. One longer than any section could
        // hold is cut (it would never be shown whole); any other is left out with the rest, so
        // the message does not end on a half line.
        const std::size_t overhead = length(0, 1);
        if (overhead + item.len > kMaxSectionText && cap() >= overhead + kShortestCut) {
            append(body, fit(items[i], cap() - overhead));
            ++in_body;
            ++i;
            continue;
        }
        b.leave_out(items.size() - i);
        return;
    }
    if (!flush()) b.leave_out(in_body);
}

// Key figures as section fields, "*label*\nvalue", ten a block; `title` (ready mrkdwn) is the first
// block's text.
void add_fields(MessageBuilder& b, Text title, const std::vector<KeyFigure>& figures) {
    std::vector<Text> fields;
    for (const auto& f : figures) {
        Text t = bold(f.label);
        if (!blank(f.value)) {
            if (!t.empty()) append(t, "\n");
            append(t, fit(f.value, kMaxFieldText - t.len));
        }
        if (!t.empty()) fields.push_back(std::move(t));
    }
    if (fields.empty()) {
        if (!title.empty()) add_text(b, std::move(title), {}, false);
        return;
    }
    for (std::size_t i = 0; i < fields.size();) {
        if (b.full()) {
            b.leave_out(fields.size() - i);
            return;
        }
        std::string block = R"({"type":"section")";
        std::size_t len = title.len;
        if (!title.empty()) {
            block += R"(,"text":)";
            append_mrkdwn(block, title.str);
        }
        std::size_t taken = 0;
        while (i + taken < fields.size() && taken < kMaxFields &&
               len + fields[i + taken].len <= b.room()) {
            len += fields[i + taken].len;
            block += taken == 0 ? R"(,"fields":[)" : ",";
            append_mrkdwn(block, fields[i + taken].str);
            ++taken;
        }
        if (taken > 0) block += ']';
        block += '}';
        if (taken == 0 || !b.add(block, len)) {
            b.leave_out(fields.size() - i);
            return;
        }
        title = {};
        i += taken;
    }
}

// `items` as one context block: an element each, `prefix` (ready mrkdwn) before each; past ten,
// the last element holds the rest, one a line.
void add_context(MessageBuilder& b, const std::vector<std::string>& all_items,
                 std::string_view prefix) {
    // Slack rejects an element without text.
    std::vector<std::string> items;
    std::copy_if(all_items.begin(), all_items.end(), std::back_inserter(items),
                 [](const std::string& item) { return !blank(item); });
    if (items.empty()) return;
    if (b.full()) {
        b.leave_out(items.size());
        return;
    }
    auto element = [&](const std::string& item, std::size_t limit) {
        Text t;
        append(t, prefix);
        append(t, fit(item, limit - t.len));
        return t;
    };
    std::vector<Text> elements;
    std::vector<std::size_t> items_in;  // how many items each element holds
    const std::size_t singles =
        items.size() <= kMaxContextElements ? items.size() : kMaxContextElements - 1;
    for (std::size_t i = 0; i < singles; ++i) {
        elements.push_back(element(items[i], kMaxSectionText));
        items_in.push_back(1);
    }
    if (singles < items.size()) {
        // Room kept back in the joined element for its own "…and N more".
        constexpr std::size_t kJoinedLimit = kMaxSectionText - kTrailerReserve;
        Text joined;
        std::size_t k = singles;
        for (; k < items.size(); ++k) {
            const Text t = element(items[k], kJoinedLimit);
            const std::size_t sep = joined.empty() ? 0 : 1;
            if (joined.len + sep + t.len > kJoinedLimit) break;
            if (sep) append(joined, "\n");
            append(joined, t);
        }
        if (k < items.size()) {
            if (!joined.empty()) append(joined, "\n");
            append(joined, fit("…and " + std::to_string(items.size() - k) + " more",
                               kTrailerReserve, false));
        }
        elements.push_back(std::move(joined));
        items_in.push_back(items.size() - singles);
    }

    std::string block = R"({"type":"context","elements":[)";
    std::size_t len = 0;
    std::size_t taken = 0;
    while (taken < elements.size() && len + elements[taken].len <= b.room()) {
        len += elements[taken].len;
        if (taken > 0) block += ',';
        append_mrkdwn(block, elements[taken].str);
        ++taken;
    }
    block += "]}";
    std::size_t left = 0;
    for (std::size_t e = taken; e < elements.size(); ++e)
        left += items_in[e];
    if (taken == 0 || !b.add(block, len)) {
        b.leave_out(items.size());
        return;
    }
    if (left > 0) b.leave_out(left);
}

void add_section(MessageBuilder& b, const Section& s) {
    // The heading opens the section's first block, whichever kind it is.
    Text title = bold(s.heading);
    if (!s.figures.empty()) {
        add_fields(b, std::move(title), s.figures);
        title = {};
    }
    if (!s.bars.empty()) {
        add_text(b, std::move(title), bar_rows(s.bars), true);
        title = {};
    }
    if (!s.lines.empty()) {
        add_text(b, std::move(title), s.lines, s.preformatted);
        title = {};
    }
    if (!title.empty()) add_text(b, std::move(title), {}, false);
}

std::string_view first_line(std::string_view text) {
    return text.substr(0, text.find('\n'));
}

// The summary line: emoji for the verdict, bold when the reader has to act.
Text summary_text(const Reply& reply) {
    Text t;
    switch (reply.verdict) {
        case Verdict::info:
            return fit(trim(reply.summary), kMaxSectionText);
        case Verdict::good:
            append(t, ":white_check_mark: ");
            append(t, fit(trim(reply.summary), kMaxSectionText - t.len));
            return t;
        case Verdict::attention:
            append(t, ":warning: ");
            break;
        case Verdict::error:
            append(t, ":x: ");
            break;
    }
    append(t, bold(reply.summary, kMaxSectionText - t.len));
    return t;
}

std::string render_blocks(const Reply& reply, bool dividers, bool& cut) {
    MessageBuilder b(dividers);
    if (reply.is_error()) {
        // Just the message: its first line bold, any further lines plain, hints as context.
        std::vector<std::string> lines = split_lines(reply.summary);
        Text title;
        append(title, ":x: ");
        const Text first = bold(lines.front());
        append(title, first.empty() ? bold(reply.title) : first);
        lines.erase(lines.begin());
        add_text(b, std::move(title), lines, false);
        add_context(b, reply.warnings, "");
    } else {
        if (!blank(reply.title)) {
            const Text header = fit(trim(reply.title), kMaxHeader, false);
            std::string block = R"({"type":"header","text":{"type":"plain_text","text":)";
            bot::append_json_string(block, header.str);
            block += "}}";
            b.add(block, header.len);
        }
        if (!blank(reply.summary)) add_text(b, summary_text(reply), {}, false);
        bool first = true;
        for (const auto& s : reply.sections) {
            const std::size_t before = b.block_count();
            b.owe_divider(!first);
            add_section(b, s);
            if (b.block_count() != before) first = false;
        }
        b.owe_divider(false);
        add_context(b, reply.warnings, ":warning: ");
        if (!reply.next_steps.empty()) {
            std::vector<std::string> steps;
            steps.reserve(reply.next_steps.size());
            for (std::size_t i = 0; i < reply.next_steps.size(); ++i)
                steps.push_back(std::to_string(i + 1) + ". " + reply.next_steps[i]);
            add_text(b, bold("Next steps"), steps, false);
        }
    }
    cut = b.full();
    return std::move(b).finish();
}

// The notification and screen-reader text: the title and the one-line summary; for an error, the
// first line of the message.
std::string fallback_text(const Reply& reply) {
    std::string raw;
    if (reply.is_error()) {
        raw = trim(first_line(reply.summary));
        if (raw.empty()) raw = trim(reply.title);
    } else {
        raw = trim(reply.title);
        const std::string_view summary = trim(reply.summary);
        if (!summary.empty()) {
            if (!raw.empty()) raw += " — ";
            raw += summary;
        }
    }
    // Slack wants some text; an empty Reply still says who answered.
    if (raw.empty()) raw = "funnelbot";
    return fit(raw, kMaxFallback).str;
}

}  // namespace

std::string escape_mrkdwn(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (const char c : text) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            default:
                out += c;
        }
    }
    return out;
}

std::string render_block_kit(const Reply& reply) {
    bool cut = false;
    std::string blocks = render_blocks(reply, true, cut);
    // Dividers only cost blocks: when the message had to be cut, they go first.
    if (cut) blocks = render_blocks(reply, false, cut);
    std::string message = R"({"text":)";
    message.reserve(blocks.size() + 64);
    bot::append_json_string(message, fallback_text(reply));
    message += R"(,"blocks":)";
    message += blocks;
    message +=
        reply.in_channel ? R"(,"response_type":"in_channel"})" : R"(,"response_type":"ephemeral"})";
    return message;
}

}  // namespace funnelbot::bot::slack

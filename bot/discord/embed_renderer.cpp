#include "bot/discord/embed_renderer.hpp"

#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "bot/protocol/json_text.hpp"
#include "commands/render/sized_text.hpp"
#include "commands/render/text_renderer.hpp"

namespace funnelbot::bot::discord {

// The Reply model and the shared text fitting, read on every line below.
using namespace funnelbot::commands;

namespace {

// Discord's embed limits
// (https://discord.com/developers/docs/resources/message#embed-object-embed-limits).
constexpr std::size_t kMaxTitle = 256;
constexpr std::size_t kMaxDescription = 4096;
constexpr std::size_t kMaxFields = 25;
constexpr std::size_t kMaxFieldName = 256;
constexpr std::size_t kMaxFieldValue = 1024;
constexpr std::size_t kMaxTotal = 6000;
// Kept back (chars and one field) for the closing "…and N more lines", which must always fit.
constexpr std::size_t kTrailerReserve = 40;
// A line cut shorter than this says nothing; it is left out instead.
constexpr std::size_t kShortestCut = 20;
// A figure this short sits beside its neighbours (inline field) rather than on its own row.
constexpr std::size_t kInlineFigure = 40;
constexpr int kEphemeral = 1 << 6;

// Discord rejects a field with an empty name or value; a zero-width space stands in.
constexpr std::string_view kBlank = "\xE2\x80\x8B";  // U+200B

using Text = SizedText;

enum class Escape {
    none,      // our own text
    markdown,  // user text shown as markdown: * _ ~ ` | \ [ ] are escaped so names show as typed
    code,      // inside a ``` block: a backtick could close it, so it becomes a look-alike
};

// Markdown's own characters in user text, so names show as typed; brackets too: a name such as
// "[Bonus](https://…)" would otherwise render as a masked link
// (https://support.discord.com/hc/en-us/articles/210298617).
constexpr Escapes kMarkdown{{'*', "\\*"}, {'_', "\\_"},   {'~', "\\~"}, {'`', "\\`"},
                            {'|', "\\|"}, {'\\', "\\\\"}, {'[', "\\["}, {']', "\\]"}};
// Inside a ``` block a backtick could close it: it becomes U+02CB MODIFIER LETTER GRAVE ACCENT,
// which looks alike and closes nothing.
constexpr Escapes kCode{{'`', "\xCB\x8B"}};

// `raw` as sent to Discord: escaped per `escape`, cut to at most `limit` with a final "…".
Text fit(std::string_view raw, std::size_t limit, Escape escape = Escape::markdown) {
    switch (escape) {
        case Escape::markdown:
            return commands::fit(raw, limit, &kMarkdown);
        case Escape::code:
            return commands::fit(raw, limit, &kCode);
        case Escape::none:
            break;
    }
    return commands::fit(raw, limit, nullptr);
}

// The embed being built. Every field added fits Discord's limits; once something does not fit,
// it and everything after it are left out (the message still reads in order) and counted for
// the closing "…and N more lines".
class EmbedBuilder {
public:
    explicit EmbedBuilder(std::size_t used) : total_(used) {}

    // Chars still free for content.
    std::size_t room() const {
        return full_ || total_ + kTrailerReserve >= kMaxTotal
                   ? 0
                   : kMaxTotal - kTrailerReserve - total_;
    }
    bool full() const { return full_; }

    bool add(const Text& name, const Text& value, bool inline_field) {
        // One field stays free for the trailer.
        if (full_ || name.len + value.len > room() || count_ + 1 >= kMaxFields) return false;
        push(name.str, value.str, inline_field);
        total_ += name.len + value.len;
        return true;
    }

    void leave_out(std::size_t lines) {
        full_ = true;
        left_out_ += std::max<std::size_t>(lines, 1);
    }

    // The fields as a JSON array, empty when there are none.
    std::string finish() && {
        if (full_) {
            push(kBlank,
                 "…and " + std::to_string(left_out_) + " more " +
                     (left_out_ == 1 ? "line" : "lines"),
                 false);
        }
        if (count_ == 0) return {};
        fields_ += ']';
        return std::move(fields_);
    }

private:
    // Written as JSON text straight away (bot/protocol/json_text.hpp), as Slack's blocks are.
    void push(std::string_view name, std::string_view value, bool inline_field) {
        fields_ += count_ == 0 ? "[" : ",";
        fields_ += R"({"name":)";
        append_json_string(fields_, name);
        fields_ += R"(,"value":)";
        append_json_string(fields_, value);
        if (inline_field) fields_ += R"(,"inline":true)";
        fields_ += '}';
        ++count_;
    }

    std::string fields_;
    std::size_t count_ = 0;
    std::size_t total_;
    bool full_ = false;
    std::size_t left_out_ = 0;
};

Text field_name(std::string_view raw) {
    const std::string_view t = trim(raw);
    if (t.empty()) return Text{std::string(kBlank), 1};
    return fit(t, kMaxFieldName, Escape::none);
}

// `items` (one a line) as fields of at most 1,024 chars, `name` on the first and a blank name on
// the rest; `fenced` sets each field's items in a ``` code block. A long list continues in
// further fields rather than being cut.
void add_lines(EmbedBuilder& b, Text name, const std::vector<std::string>& items, bool fenced) {
    if (items.empty()) return;
    if (b.full()) {
        b.leave_out(items.size());
        return;
    }
    const std::size_t fences = fenced ? 8 : 0;  // "```\n" … "\n```"
    const Escape escape = fenced ? Escape::code : Escape::markdown;
    Text body;
    std::size_t in_body = 0;
    auto cap = [&] {
        const std::size_t r = b.room();
        const std::size_t overhead = name.len + fences;
        return r > overhead ? std::min(kMaxFieldValue - fences, r - overhead) : 0;
    };
    auto flush = [&] {
        Text value;
        if (fenced) append(value, "```\n");
        append(value, body);
        if (fenced) append(value, "\n```");
        if (!b.add(name, value, false)) return false;
        name = Text{std::string(kBlank), 1};
        body = {};
        in_body = 0;
        return true;
    };
    for (std::size_t i = 0; i < items.size();) {
        Text item = fit(items[i], kMaxFieldValue - fences, escape);
        // Discord trims a value; an all-blank item still takes a line.
        if (item.empty()) item = Text{std::string(kBlank), 1};
        const std::size_t len = body.len + (in_body > 0 ? 1 : 0) + item.len;
        if (len <= cap()) {
            if (in_body > 0) append(body, "\n");
            append(body, item);
            ++in_body;
            ++i;
            continue;
        }
        if (in_body > 0) {
            if (!flush()) {
                b.leave_out(in_body + items.size() - i);
                return;
            }
            continue;
        }
        // Alone it does not fit: one longer than any field is cut, any other left out with the
        // rest so the message does not end on a half line.
        if (item.len > kMaxFieldValue - fences - 1 && cap() >= kShortestCut) {
            append(body, fit(items[i], cap(), escape));
            ++in_body;
            ++i;
            continue;
        }
        b.leave_out(items.size() - i);
        return;
    }
    if (in_body > 0 && !flush()) b.leave_out(in_body);
}

void add_figures(EmbedBuilder& b, const std::vector<KeyFigure>& figures) {
    for (std::size_t i = 0; i < figures.size(); ++i) {
        const Text name = field_name(figures[i].label);
        Text value = fit(trim(figures[i].value), kMaxFieldValue);
        if (value.empty()) value = Text{std::string(kBlank), 1};
        const bool short_figure = name.len <= kInlineFigure && value.len <= kInlineFigure;
        if (!b.add(name, value, short_figure)) {
            b.leave_out(figures.size() - i);
            return;
        }
    }
}

void add_section(EmbedBuilder& b, const Section& s) {
    const std::string_view heading = trim(s.heading);
    Text name = field_name(heading);
    bool heading_shown = heading.empty();
    if (!s.figures.empty()) {
        // Fields have no heading of their own: a heading field opens the figures.
        if (!heading_shown && !b.add(name, Text{std::string(kBlank), 1}, false)) {
            b.leave_out(s.figures.size() + 1);
            return;
        }
        heading_shown = true;
        add_figures(b, s.figures);
    }
    if (!s.bars.empty()) {
        add_lines(b, heading_shown ? field_name("") : name, bar_rows(s.bars), true);
        heading_shown = true;
    }
    if (!s.lines.empty()) {
        add_lines(b, heading_shown ? field_name("") : name, s.lines, s.preformatted);
        heading_shown = true;
    }
    if (!heading_shown) add_lines(b, name, {std::string(kBlank)}, false);
}

int colour(Verdict v) {
    switch (v) {
        case Verdict::good:
            return kDiscordGreen;
        case Verdict::attention:
            return kDiscordOrange;
        case Verdict::error:
            return kDiscordRed;
        case Verdict::info:
            break;
    }
    return kDiscordBlurple;
}

// The embed as JSON text.
std::string render_embed(const Reply& reply) {
    std::string embed = R"({"type":"rich","color":)" + std::to_string(colour(reply.verdict));
    std::size_t used = 0;
    if (reply.is_error()) {
        // Short: the message's first line bold, further lines and hints below, no fields.
        std::vector<std::string> lines = split_lines(reply.summary);
        for (const auto& w : reply.warnings)
            lines.push_back(w);
        Text d;
        append(d, "❌ **");
        std::string first = std::string(trim(lines.front()));
        if (first.empty()) first = trim(reply.title);
        append(d, fit(first, 400));
        append(d, "**");
        for (std::size_t i = 1; i < lines.size(); ++i) {
            append(d, "\n");
            append(d, fit(lines[i], kMaxDescription));
        }
        embed += R"(,"description":)";
        append_json_string(embed, fit(d.str, kMaxDescription, Escape::none).str);
        embed += '}';
        return embed;
    }
    if (!trim(reply.title).empty()) {
        const Text title = fit(trim(reply.title), kMaxTitle, Escape::none);
        embed += R"(,"title":)";
        append_json_string(embed, title.str);
        used += title.len;
    }
    if (!trim(reply.summary).empty()) {
        Text d = fit(trim(reply.summary), kMaxDescription - 4);
        // The reader has to act: the answer in bold.
        if (reply.verdict == Verdict::attention) {
            Text bold;
            append(bold, "**");
            append(bold, d);
            append(bold, "**");
            d = std::move(bold);
        }
        embed += R"(,"description":)";
        append_json_string(embed, d.str);
        used += d.len;
    }
    EmbedBuilder b(used);
    for (const auto& s : reply.sections)
        add_section(b, s);
    std::vector<std::string> warnings;
    for (const auto& w : reply.warnings)
        if (!trim(w).empty()) warnings.push_back("⚠️ " + w);
    add_lines(b, field_name("Warnings"), warnings, false);
    std::vector<std::string> steps;
    for (std::size_t i = 0; i < reply.next_steps.size(); ++i)
        steps.push_back(std::to_string(i + 1) + ". " + reply.next_steps[i]);
    add_lines(b, field_name("Next steps"), steps, false);
    const std::string fields = std::move(b).finish();
    if (!fields.empty()) {
        embed += R"(,"fields":)";
        embed += fields;
    }
    embed += '}';
    return embed;
}

}  // namespace

std::string render_discord_message(const Reply& reply, bool ephemeral) {
    std::string message = R"({"embeds":[)";
    message += render_embed(reply);
    // Names in replies are user text: never let them ping anyone.
    message += R"(],"allowed_mentions":{"parse":[]})";
    if (ephemeral) message += R"(,"flags":)" + std::to_string(kEphemeral);
    message += '}';
    return message;
}

}  // namespace funnelbot::bot::discord

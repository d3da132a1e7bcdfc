#include "commands/grammar/command_text.hpp"

#include <cctype>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace funnelbot::commands {
namespace {

// UTF-8 forms of the typographic quotes Slack and macOS substitute for '"'.
constexpr std::string_view kLeftQuote = "\xE2\x80\x9C";   // “
constexpr std::string_view kRightQuote = "\xE2\x80\x9D";  // ”
// U+00A0: Slack and some keyboards put no-break spaces between words.
constexpr std::string_view kNoBreakSpace = "\xC2\xA0";

constexpr std::string_view kQuoteHelp = "close it with \", like \"two words\"";

bool is_space_at(std::string_view s, std::size_t i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f') {
        return true;
    }
    return s.substr(i, kNoBreakSpace.size()) == kNoBreakSpace;
}

std::size_t space_len_at(std::string_view s, std::size_t i) {
    return static_cast<unsigned char>(s[i]) < 0x80 ? 1 : kNoBreakSpace.size();
}

// Length of the quote character at s[i] (0 when there is none).
std::size_t quote_len_at(std::string_view s, std::size_t i) {
    if (s[i] == '"') {
        return 1;
    }
    const std::string_view rest = s.substr(i);
    if (rest.starts_with(kLeftQuote) || rest.starts_with(kRightQuote)) {
        return kLeftQuote.size();
    }
    return 0;
}

bool is_key_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-';
}

bool is_id_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0;
}

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return out;
}

// Trims trailing whitespace for quoting a fragment of the input back to the user.
std::string_view trim_right(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())) != 0) {
        s.remove_suffix(1);
    }
    return s;
}

class Tokenizer {
public:
    explicit Tokenizer(std::string_view text) : s_(text) {}

    Result<std::vector<Arg>> run() {
        std::vector<Arg> args;
        while (true) {
            skip_spaces();
            if (at_end()) {
                break;
            }
            auto arg = next_arg();
            if (!arg) {
                return arg.error();
            }
            args.push_back(std::move(*arg));
        }
        return args;
    }

private:
    bool at_end() const { return pos_ >= s_.size(); }
    bool space_here() const { return !at_end() && is_space_at(s_, pos_); }

    void skip_spaces() {
        while (space_here()) {
            pos_ += space_len_at(s_, pos_);
        }
    }

    Result<Arg> next_arg() {
        const std::size_t start = pos_;
        auto mention = read_mention();
        if (!mention) {
            return mention.error();
        }
        if (*mention) {
            Arg arg;
            arg.kind = Arg::Kind::mention;
            arg.text = std::string(s_.substr(start, pos_ - start));
            arg.mention = std::move(**mention);
            return arg;
        }
        if (quote_len_at(s_, pos_) != 0) {
            auto word = read_word(start);
            if (!word) {
                return word.error();
            }
            Arg arg;
            arg.text = std::move(*word);
            arg.quoted = true;
            return arg;
        }
        // An option is a run of key characters followed by ':' or '='.
        std::size_t key_end = pos_;
        while (key_end < s_.size() && is_key_char(s_[key_end])) {
            ++key_end;
        }
        if (key_end < s_.size() && (s_[key_end] == ':' || s_[key_end] == '=')) {
            if (key_end == pos_) {
                return UserError{"Option \"" + std::string(trim_right(token_text(start))) +
                                 "\" has no name before '" + s_[key_end] +
                                 "'. Write options as key:value, like product:Widgets."};
            }
            return read_option(start, key_end);
        }
        auto word = read_word(start);
        if (!word) {
            return word.error();
        }
        Arg arg;
        arg.text = std::move(*word);
        return arg;
    }

    // The unquoted token from `start` to the next space, for messages.
    std::string_view token_text(std::size_t start) const {
        std::size_t end = start;
        while (end < s_.size() && !is_space_at(s_, end)) {
            ++end;
        }
        return s_.substr(start, end - start);
    }

    Result<Arg> read_option(std::size_t start, std::size_t key_end) {
        Arg arg;
        arg.kind = Arg::Kind::option;
        arg.key = lower(s_.substr(pos_, key_end - pos_));
        pos_ = key_end + 1;
        // "stage: won" — people put a space after the colon; take the next word as the value
        // unless it is itself an option.
        if (at_end() || space_here()) {
            const std::size_t after_sep = pos_;
            skip_spaces();
            if (at_end() || next_is_option()) {
                pos_ = after_sep;
                return arg;
            }
        }
        const std::size_t value_start = pos_;
        auto mention = read_mention();
        if (!mention) {
            return mention.error();
        }
        if (*mention) {
            arg.text = std::string(s_.substr(value_start, pos_ - value_start));
            arg.mention = std::move(**mention);
            arg.value_is_mention = true;
            return arg;
        }
        arg.quoted = quote_len_at(s_, pos_) != 0;
        auto value = read_word(start);
        if (!value) {
            return value.error();
        }
        arg.text = std::move(*value);
        return arg;
    }

    bool next_is_option() const {
        std::size_t i = pos_;
        while (i < s_.size() && is_key_char(s_[i])) {
            ++i;
        }
        return i > pos_ && i < s_.size() && (s_[i] == ':' || s_[i] == '=');
    }

    // A word from pos_: quoted parts lose their quotes, a quote inside a bare word is kept
    // as written (12" pipe). `token_start` is where the whole token began, for messages.
    Result<std::string> read_word(std::size_t token_start) {
        std::string out;
        bool first = true;
        while (!at_end() && !space_here()) {
            const std::size_t qlen = quote_len_at(s_, pos_);
            if (qlen != 0 && first) {
                const std::size_t content = pos_ + qlen;
                std::size_t i = content;
                std::size_t close_len = 0;
                while (i < s_.size() && (close_len = quote_len_at(s_, i)) == 0) {
                    ++i;
                }
                if (i >= s_.size()) {
                    return UserError{"Unterminated quote in " +
                                     std::string(trim_right(s_.substr(token_start))) + ": " +
                                     std::string(kQuoteHelp) + "."};
                }
                out.append(s_.substr(content, i - content));
                pos_ = i + close_len;
            } else {
                out.push_back(s_[pos_]);
                ++pos_;
            }
            first = false;
        }
        return out;
    }

    // <@U123|name>, <@U123>, <@123>, <@!123> or @name / @"two words" at pos_; advances past
    // it. Anything else leaves pos_ alone and gives nullopt.
    Result<std::optional<Mention>> read_mention() {
        const std::string_view rest = s_.substr(pos_);
        if (rest.starts_with("<@")) {
            std::size_t i = 2;
            if (i < rest.size() && rest[i] == '!') {
                ++i;
            }
            const std::size_t id_start = i;
            while (i < rest.size() && is_id_char(rest[i])) {
                ++i;
            }
            if (i == id_start || i >= rest.size()) {
                return std::optional<Mention>{};
            }
            Mention m;
            m.user_id = std::string(rest.substr(id_start, i - id_start));
            if (rest[i] == '|') {
                const std::size_t close = rest.find('>', i);
                if (close == std::string_view::npos) {
                    return std::optional<Mention>{};
                }
                m.name = std::string(rest.substr(i + 1, close - i - 1));
                i = close;
            }
            if (rest[i] != '>') {
                return std::optional<Mention>{};
            }
            pos_ += i + 1;
            return std::optional<Mention>{std::move(m)};
        }
        if (rest.size() > 1 && rest[0] == '@' && !is_space_at(rest, 1)) {
            const std::size_t saved = pos_;
            ++pos_;
            if (quote_len_at(s_, pos_) != 0) {
                auto name = read_word(saved);
                if (!name) {
                    return name.error();
                }
                return std::optional<Mention>{Mention{{}, std::move(*name)}};
            }
            const std::size_t name_start = pos_;
            while (!at_end() && !space_here()) {
                ++pos_;
            }
            return std::optional<Mention>{
                Mention{{}, std::string(s_.substr(name_start, pos_ - name_start))}};
        }
        return std::optional<Mention>{};
    }

    std::string_view s_;
    std::size_t pos_ = 0;
};

}  // namespace

Result<std::vector<Arg>> tokenize(std::string_view text) {
    return Tokenizer(text).run();
}

}  // namespace funnelbot::commands

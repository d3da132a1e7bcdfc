// Tokenizer for the text grammar of DESIGN.md: words, "quoted words", key:value / key=value
// options (key:"two words" allowed), and mentions (<@U123|name>, <@123>, @name).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "commands/user_error.hpp"

namespace funnelbot::commands {

struct Mention {
    std::string user_id;  // platform id: "U123" (Slack) or "123" (Discord); empty for @name
    std::string name;     // "name" from <@U123|name> or @name; may be empty
};

struct Arg {
    enum class Kind { word, option, mention };
    Kind kind = Kind::word;
    std::string text;     // word: the word (quotes removed); option: the value; mention: raw
    std::string key;      // option only: lower-cased key ("product", "amount", …)
    bool quoted = false;  // word or option value was quoted
    Mention mention;      // mention only; also set for an option whose value is a mention
    bool value_is_mention = false;  // option only: owner:@rep, owner:<@U1|bob>
};

// Splits one command line (without the leading "/command"). An unterminated quote, or an
// empty key (":x") is a UserError that says so. `key:value` is an option only when the key
// is letters, digits or '-' (so "12:30" or "http://x" inside a quoted word stay words, and an
// unquoted "12:30" is an option with key "12" — callers reject unknown keys).
Result<std::vector<Arg>> tokenize(std::string_view text);

}  // namespace funnelbot::commands

// Reading a command's arguments (the tokens after its path): the checks every grammar function
// shares, each answering a wrong form with what was wrong and the command's usage line.
#pragma once

#include <cstddef>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "commands/command.hpp"
#include "commands/grammar/command_text.hpp"
#include "commands/user_error.hpp"

namespace funnelbot::commands {

// Longest accepted customer, product-line, category or team name.
constexpr std::size_t kMaxNameLength = 100;

// `what`, then "Usage: " and the usage line on a line of its own.
UserError wrong(std::string what, std::string_view usage);

// "Unknown option \"key\"." / "The option \"key\" is given twice.", with the usage.
UserError unknown_option(const Arg& a, std::string_view usage);
UserError duplicate_option(const Arg& a, std::string_view usage);

// The words' texts joined by single spaces.
std::string join_words(std::span<const Arg> words);

// An unquoted word equal to `w`, case-insensitively.
bool is_word(const Arg& a, std::string_view w);

// The argument as the user wrote it, in quotes, for "Unexpected …" messages.
std::string describe(const Arg& a);

// A non-empty name within kMaxNameLength; `what` names it in the message ("customer name").
Result<std::string> checked_name(std::string name, std::string_view what, std::string_view usage);

// The leading words (the name) up to the first option; after it only `bare` words may appear.
struct NameAndRest {
    std::string name;
    std::vector<Arg> options;
    std::vector<std::string> bare;  // lower-cased bare words seen after the first option
};
Result<NameAndRest> split_name(std::span<const Arg> args,
                               std::initializer_list<std::string_view> bare,
                               std::string_view usage);

// stage:<stage> with the CRM aliases.
Result<Stage> stage_value(const Arg& a, std::string_view usage);

// An opportunity id, "#12" or "12".
Result<Id> id_value(const Arg& a, std::string_view usage);

// A whole number lo..hi, optionally followed by `suffix` ("/month") or '%'.
Result<int> bounded_int(const Arg& a, int lo, int hi, std::string_view suffix,
                        std::string_view usage);

// The person an option names: owner:<@U1|bob>, owner:@bob, or owner:bob.
UserRef mention_of_option(const Arg& a);

// The mention, if the argument is one.
std::optional<UserRef> as_user_ref(const Arg& a);

}  // namespace funnelbot::commands

// The one command table: every command defined once — its path, usage, help, options, who may
// run it, whether it only reads, and its grammar. The text parser, /funnel-help, the dispatch's
// transaction, the Discord definitions and the Slack manifest's test all read it.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

#include "commands/command.hpp"
#include "commands/grammar/command_text.hpp"
#include "commands/user_error.hpp"

namespace funnelbot::commands {

// An option's value as a typed front end (Discord's application commands) asks for it.
enum class OptionType { text, integer, boolean, user, choice };

// How an option's value is written in the text grammar's line.
enum class Written {
    positional,    // a quoted word: names (customer, product line, team) and ids
    mention,       // a bare mention: @rep, @user
    key_value,     // key:"value"
    key_mention,   // key:<@id|name>
    keyword,       // the value as a bare word: on, current, manager
    leading_pair,  // the option's name and value as two bare words, first on the line
    flag,          // a true boolean is the bare word named like the option, after the options
    literal,       // no option: a fixed word of the grammar (team … add @rep)
    word_list,     // last on the line: "all" as a keyword, anything else quoted (comma-separated)
    raw,           // the text as typed (the help topic)
};

struct OptionSpec {
    std::string_view name;
    OptionType type = OptionType::text;
    Written written = Written::key_value;
    std::string_view description;
    bool required = false;
    std::span<const std::string_view> choices = {};  // OptionType::choice only
    std::int64_t min = 0;                            // OptionType::integer only
    std::int64_t max = 0;
};

// How a typed front end presents a command: its own path (where its tree differs from the text
// grammar, e.g. one text form `team <name> manager:@m | add @rep | remove @rep` is three typed
// leaves) and its options, in the order they are offered.
struct TypedForm {
    std::string_view path;  // empty: the entry's path
    std::string_view description;
    std::span<const OptionSpec> options;
};

// A level of the typed tree that is not itself a command: "opp", "funnel-admin product".
struct TypedGroup {
    std::string_view path;
    std::string_view description;
};

// Who may run a command. The handlers refuse others (with messages that say what to do instead);
// help names the audience, and Discord hides a command with an admins-only entry from everyone
// but server managers, since it can gate only whole commands.
enum class Audience { everyone, managers, admins };

// Parses the arguments after the entry's path; a wrong form is a UserError that ends with
// "Usage: " and `usage`.
using Grammar = Result<Command> (*)(std::span<const Arg> args, std::string_view usage);

// Readers run in a deferred transaction, so many can run at once (WAL) without taking the write
// lock every logging command needs.
using ReadsOnly = bool (*)(const Command& command);
bool always_reads(const Command& command);
bool always_writes(const Command& command);

struct CommandSpec {
    std::string_view path;   // "opp add", "funnel-admin product add", "funnel-check"
    std::string_view usage;  // "/opp add <customer…> product:<line> …"
    std::string_view summary;
    Audience audience = Audience::everyone;
    ReadsOnly reads_only = always_writes;
    std::uint32_t produces = 0;  // bit i: the grammar can return Command alternative i
    Grammar grammar = nullptr;
    std::span<const TypedForm> forms;
};

std::span<const CommandSpec> command_table();
std::span<const TypedGroup> typed_groups();

// T's index among a variant's alternatives.
template <class T, class... Ts>
constexpr std::size_t alternative_index(const std::variant<Ts...>*) {
    std::size_t index = 0;
    bool found = false;
    ((found = found || std::is_same_v<T, Ts>, index += found ? 0 : 1), ...);
    return index;
}

// The bits of `produces` for `Ts`.
template <class... Ts>
constexpr std::uint32_t producing() {
    static_assert(std::variant_size_v<Command> <= 32);
    return ((std::uint32_t{1} << alternative_index<Ts>(static_cast<const Command*>(nullptr))) |
            ...);
}

// The entry whose path is `path` exactly.
const CommandSpec* find_command(std::string_view path);

// The first entry whose grammar produces this kind of command.
const CommandSpec& command_for(const Command& command);

// The typed form whose path is `path` ("funnel-admin team add"), with its entry.
struct TypedLeaf {
    const CommandSpec* command = nullptr;
    const TypedForm* form = nullptr;
};
std::optional<TypedLeaf> find_typed_form(std::string_view path);

// A typed form's path: its own, or its entry's.
std::string_view typed_path(const CommandSpec& command, const TypedForm& form);

// The top-level command names, in table order: "opp", "funnel-check", …
std::vector<std::string> top_level_commands();

// Whether the command `name` (without its slash) with arguments `text` may turn on the sender's
// role: a command some of whose forms are for admins or managers, or one that names another
// person (a mention). The platform's word on the sender's role must then be current; for other
// commands a recent answer will do.
bool decided_by_role(std::string_view name, std::string_view text);

// "Managers and admins" for help; empty for everyone.
std::string_view audience_label(Audience audience);

// The usage line for a path, or for its first word when the path is unknown.
std::string_view usage_of(std::string_view path);

// Every usage line whose path starts with `prefix` ("opp" → the /opp family), one per line.
std::string usages_under(std::string_view prefix);

// Whether `path` is `prefix` or starts with `prefix` followed by a space.
bool path_under(std::string_view path, std::string_view prefix);

}  // namespace funnelbot::commands

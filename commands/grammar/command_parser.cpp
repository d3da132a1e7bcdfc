#include "commands/grammar/command_parser.hpp"

#include <algorithm>
#include <span>
#include <vector>

#include "commands/command_table.hpp"
#include "commands/grammar/invisible_characters.hpp"
#include "commands/grammar/value_parsers.hpp"

namespace funnelbot::commands {

namespace {

// The words that may follow `prefix` in the table ("opp" → add, list, …), in table order.
std::vector<std::string> next_words(std::string_view prefix) {
    std::vector<std::string> words;
    for (const auto& spec : command_table()) {
        if (!path_under(spec.path, prefix) || spec.path.size() == prefix.size()) continue;
        std::string_view rest = spec.path.substr(prefix.size() + 1);
        std::string word(rest.substr(0, rest.find(' ')));
        if (std::find(words.begin(), words.end(), word) == words.end()) words.push_back(word);
    }
    return words;
}

// Whether some entry's path is `prefix` or starts with it.
bool known(std::string_view prefix) {
    const auto table = command_table();
    return std::any_of(table.begin(), table.end(),
                       [&](const CommandSpec& spec) { return path_under(spec.path, prefix); });
}

}  // namespace

Result<Command> parse_command(std::string_view name, std::string_view text) {
    // Before tokenizing: an invisible character must not split or join words either.
    auto tokens = tokenize(strip_invisible(text));
    if (!tokens) return tokens.error();
    return parse_arguments(name, *tokens);
}

Result<Command> parse_arguments(std::string_view name, std::span<const Arg> given) {
    // Option values from a platform's typed form never went through the tokenizer.
    std::vector<Arg> visible(given.begin(), given.end());
    for (Arg& arg : visible) {
        arg.text = strip_invisible(arg.text);
        arg.mention.name = strip_invisible(arg.mention.name);
    }
    const std::span<const Arg> arguments = visible;
    if (!name.empty() && name.front() == '/') name.remove_prefix(1);
    std::string prefix = to_lower(name);
    if (prefix.find(' ') != std::string::npos || !known(prefix)) {
        std::string msg = "Unknown command \"/" + std::string(name) + "\".";
        if (auto g = did_you_mean(name, top_level_commands()))
            msg += " Did you mean \"/" + *g + "\"?";
        return UserError{msg + " Type /funnel-help for the list of commands."};
    }
    // Walk the leading words down the table until they name an entry.
    std::span<const Arg> args = arguments;
    for (bool top = true;; top = false) {
        if (const CommandSpec* spec = find_command(prefix)) return spec->grammar(args, spec->usage);
        // "/opp" at the top, "product" below it.
        const std::string level = top ? "/" + prefix : prefix.substr(prefix.rfind(' ') + 1);
        if (args.empty() || args[0].kind != Arg::Kind::word) {
            return UserError{"Which " + level + " command? One of:\n" + usages_under(prefix)};
        }
        const std::string sub = to_lower(args[0].text);
        if (sub.find(' ') != std::string::npos || !known(prefix + " " + sub)) {
            std::string msg = "Unknown " + level + " command \"" + args[0].text + "\".";
            // Below the top the choices are few and all listed right after.
            if (top) {
                if (auto g = did_you_mean(args[0].text, next_words(prefix)))
                    msg += " Did you mean \"" + *g + "\"?";
            }
            return UserError{msg + " One of:\n" + usages_under(prefix)};
        }
        prefix += " " + sub;
        args = args.subspan(1);
    }
}

Result<CommandLine> split_command_line(std::string_view line) {
    const auto b = line.find_first_not_of(" \t\r\n");
    if (b == std::string_view::npos)
        return UserError{"Empty command. Type /funnel-help for the list of commands."};
    line = line.substr(b);
    if (line.front() == '/') line.remove_prefix(1);
    const auto space = line.find_first_of(" \t");
    CommandLine out;
    out.name = to_lower(line.substr(0, space));
    if (space != std::string_view::npos) out.text = std::string(line.substr(space + 1));
    return out;
}

}  // namespace funnelbot::commands

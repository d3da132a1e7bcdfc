#include "bot/discord/interaction_command.hpp"

#include <algorithm>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "bot/discord/command_definitions.hpp"
#include "bot/protocol/json_fields.hpp"
#include "commands/command_table.hpp"
#include "commands/grammar/command_parser.hpp"
#include "commands/grammar/command_text.hpp"
#include "commands/grammar/text_matching.hpp"

namespace funnelbot::bot::discord {

namespace {

using json = nlohmann::json;
using commands::Written;

// The option's value as text: strings as given, integers and booleans written out.
std::string value_text(const json& o) {
    const auto it = o.find("value");
    if (it == o.end()) return {};
    if (it->is_string()) return it->get<std::string>();
    if (it->is_boolean()) return it->get<bool>() ? "true" : "false";
    if (it->is_number_integer()) return std::to_string(it->get<long long>());
    return it->dump();
}

commands::Arg word(std::string text, bool quoted = false) {
    commands::Arg a;
    a.text = std::move(text);
    a.quoted = quoted;
    return a;
}

commands::Arg option(std::string key, std::string value) {
    commands::Arg a;
    a.kind = commands::Arg::Kind::option;
    a.key = std::move(key);
    a.text = std::move(value);
    a.quoted = true;
    return a;
}

// A USER option as the grammar's mention (<@id|username>, with the name from `resolved`); an id
// that is not a snowflake goes in as a plain word, which the grammar rejects.
commands::Arg mention(const json& o, const json& data) {
    const std::string id = value_text(o);
    if (id.empty() ||
        !std::all_of(id.begin(), id.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return word(id, true);
    commands::Arg a;
    a.kind = commands::Arg::Kind::mention;
    a.mention.user_id = id;
    const json& user = object_of(object_of(object_of(data, "resolved"), "users"), id.c_str());
    a.mention.name = text_of(user, "username");
    a.text = a.mention.name.empty() ? "<@" + id + ">" : "<@" + id + "|" + a.mention.name + ">";
    return a;
}

commands::Arg option_mention(std::string key, const json& o, const json& data) {
    commands::Arg a = mention(o, data);
    if (a.kind != commands::Arg::Kind::mention) return option(std::move(key), a.text);
    a.kind = commands::Arg::Kind::option;
    a.key = std::move(key);
    a.value_is_mention = true;
    return a;
}

// One option as the grammar's tokens (commands::Written). Values go in as they were given, never
// re-read as text: nothing a user types into an option can become another option.
void append(std::vector<commands::Arg>& args, const commands::OptionSpec& slot, const json& o,
            const json& data) {
    const std::string v = value_text(o);
    const std::string key(slot.name);
    switch (slot.written) {
        case Written::positional:
            args.push_back(word(v, true));
            return;
        case Written::mention:
            args.push_back(mention(o, data));
            return;
        case Written::key_value:
            args.push_back(option(key, v));
            return;
        case Written::key_mention:
            args.push_back(option_mention(key, o, data));
            return;
        case Written::keyword:
            args.push_back(word(v));
            return;
        case Written::raw: {
            // The help topic: free text, split into words as typed.
            auto tokens = commands::tokenize(v);
            if (tokens)
                args.insert(args.end(), tokens->begin(), tokens->end());
            else
                args.push_back(word(v, true));
            return;
        }
        case Written::leading_pair:
            args.push_back(word(key));
            args.push_back(word(v));
            return;
        case Written::flag:
            if (v == "true") args.push_back(word(key));
            return;
        case Written::word_list: {
            const auto b = v.find_first_not_of(' ');
            const auto e = v.find_last_not_of(' ');
            const std::string t = b == std::string::npos ? "" : v.substr(b, e - b + 1);
            args.push_back(commands::iequals(t, "all") ? word("all") : word(v, true));
            return;
        }
        case Written::literal:
            args.push_back(word(key));
            return;
    }
}

}  // namespace

commands::Result<commands::Command> command_from_interaction(const nlohmann::json& data) {
    const std::string name = text_of(data, "name");
    // Walk down SUB_COMMAND_GROUP / SUB_COMMAND to the leaf's options.
    std::string path = name;
    std::vector<std::string> path_words;
    const json* options = nullptr;
    json empty = json::array();
    options = data.is_object() && data.contains("options") && data["options"].is_array()
                  ? &data["options"]
                  : &empty;
    while (options->size() == 1) {
        const json& o = (*options)[0];
        const long long type = integer_of(o, "type");
        if (type != kSubCommand && type != kSubCommandGroup) break;
        const std::string word = text_of(o, "name");
        path += " " + word;
        path_words.push_back(word);
        const auto inner = o.is_object() ? o.find("options") : o.end();
        options = inner != o.end() && inner->is_array() ? &*inner : &empty;
    }

    std::map<std::string, const json*, std::less<>> given;
    std::vector<std::string> order;  // as sent, for options the leaf does not know
    for (const json& o : *options) {
        const std::string key = text_of(o, "name");
        if (given.emplace(key, &o).second) order.push_back(key);
    }

    std::vector<commands::Arg> args;
    const auto leaf = commands::find_typed_form(path);
    if (!leaf) {
        // Not a command we registered: the grammar words it (unknown command or subcommand).
        for (const auto& w : path_words)
            args.push_back(word(w));
    } else {
        // The grammar's leading words after the command name.
        const std::string_view text_path = leaf->command->path;
        for (std::size_t start = text_path.find(' '); start != std::string_view::npos;) {
            const std::size_t end = text_path.find(' ', start + 1);
            args.push_back(word(std::string(text_path.substr(start + 1, end - start - 1))));
            start = end;
        }
        // A leading pair must open the line; flags and word lists close it (command_table.hpp).
        const auto place = [](Written w) {
            if (w == Written::leading_pair) return 0;
            if (w == Written::flag || w == Written::word_list) return 2;
            return 1;
        };
        for (int pass = 0; pass < 3; ++pass) {
            for (const commands::OptionSpec& slot : leaf->form->options) {
                if (place(slot.written) != pass) continue;
                if (slot.written == Written::literal) {
                    args.push_back(word(std::string(slot.name)));
                    continue;
                }
                const auto it = given.find(slot.name);
                if (it == given.end()) continue;
                append(args, slot, *it->second, data);
                given.erase(it);
            }
        }
    }
    // Anything left over goes in as key:value, so the grammar names it in its own message.
    for (const auto& key : order) {
        const auto it = given.find(key);
        if (it == given.end()) continue;
        const json& o = *it->second;
        args.push_back(integer_of(o, "type") == kUser ? option_mention(key, o, data)
                                                      : option(key, value_text(o)));
    }
    return commands::parse_arguments(name, args);
}

}  // namespace funnelbot::bot::discord

#include "bot/discord/interaction_command.hpp"

#include <algorithm>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "bot/discord/command_definitions.hpp"
#include "commands/command_table.hpp"
#include "commands/grammar/command_parser.hpp"
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

// A value as one grammar word. Quoted so spaces, colons and leading '@' stay part of it; a value
// holding a quote character cannot be quoted and goes in as typed (the grammar keeps quotes
// inside a bare word), which only matters for names nobody types.
std::string as_word(std::string_view v) {
    const bool has_quote = v.find('"') != std::string_view::npos ||
                           v.find("\xE2\x80\x9C") != std::string_view::npos ||
                           v.find("\xE2\x80\x9D") != std::string_view::npos;
    if (has_quote) return std::string(v);
    return "\"" + std::string(v) + "\"";
}

// <@id|username>: the grammar's Slack-style mention, which carries the name along.
std::string mention(const json& o, const json& data) {
    const std::string id = value_text(o);
    std::string name;
    if (const auto users = data.find("resolved"); users != data.end() && users->is_object()) {
        const json& resolved = *users;
        if (resolved.contains("users") && resolved["users"].contains(id)) {
            const json& u = resolved["users"][id];
            if (u.contains("username") && u["username"].is_string())
                name = u["username"].get<std::string>();
        }
    }
    // '>' would end the mention early; Discord usernames cannot hold it anyway.
    name.erase(std::remove(name.begin(), name.end(), '>'), name.end());
    // A snowflake is digits; anything else is passed as a plain word so the grammar rejects it.
    if (id.empty() ||
        !std::all_of(id.begin(), id.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return as_word(id);
    return name.empty() ? "<@" + id + ">" : "<@" + id + "|" + name + ">";
}

// One option as the grammar's line writes it (commands::Written).
std::string written(const commands::OptionSpec& slot, const json& o, const json& data) {
    const std::string v = value_text(o);
    const std::string key(slot.name);
    switch (slot.written) {
        case Written::positional:
            return as_word(v);
        case Written::mention:
            return mention(o, data);
        case Written::key_value:
            return key + ":" + as_word(v);
        case Written::key_mention:
            return key + ":" + mention(o, data);
        case Written::keyword:
        case Written::raw:
            return v;
        case Written::leading_pair:
            return key + " " + v;
        case Written::flag:
            return v == "true" ? key : std::string();
        case Written::word_list: {
            const auto b = v.find_first_not_of(' ');
            const auto e = v.find_last_not_of(' ');
            const std::string t = b == std::string::npos ? "" : v.substr(b, e - b + 1);
            return commands::iequals(t, "all") ? std::string("all") : as_word(v);
        }
        case Written::literal:
            break;
    }
    return key;
}

void add(std::string& line, std::string_view piece) {
    if (piece.empty()) return;
    if (!line.empty()) line += ' ';
    line += piece;
}

}  // namespace

commands::Result<commands::Command> command_from_interaction(const nlohmann::json& data) {
    const std::string name = data.is_object() ? data.value("name", std::string()) : std::string();
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
        const int type = o.value("type", 0);
        if (type != kSubCommand && type != kSubCommandGroup) break;
        const std::string word = o.value("name", std::string());
        path += " " + word;
        path_words.push_back(word);
        options = o.contains("options") && o["options"].is_array() ? &o["options"] : &empty;
    }

    std::map<std::string, const json*, std::less<>> given;
    std::vector<std::string> order;  // as sent, for options the leaf does not know
    for (const json& o : *options) {
        const std::string key = o.value("name", std::string());
        if (given.emplace(key, &o).second) order.push_back(key);
    }

    std::string line;
    const auto leaf = commands::find_typed_form(path);
    if (!leaf) {
        // Not a command we registered: the grammar words it (unknown command or subcommand).
        for (const auto& w : path_words)
            add(line, w);
    } else {
        // The grammar's leading words after the command name.
        const std::string_view text_path = leaf->command->path;
        const auto space = text_path.find(' ');
        if (space != std::string_view::npos) add(line, text_path.substr(space + 1));
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
                    add(line, slot.name);
                    continue;
                }
                const auto it = given.find(slot.name);
                if (it == given.end()) continue;
                add(line, written(slot, *it->second, data));
                given.erase(it);
            }
        }
    }
    // Anything left over goes in as key:value, so the grammar names it in its own message.
    for (const auto& key : order) {
        const auto it = given.find(key);
        if (it == given.end()) continue;
        const json& o = *it->second;
        add(line,
            key + ":" + (o.value("type", 0) == kUser ? mention(o, data) : as_word(value_text(o))));
    }
    return commands::parse_command(name, line);
}

}  // namespace funnelbot::bot::discord

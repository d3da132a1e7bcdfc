#include "bot/discord/interaction_command.hpp"

#include <algorithm>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "bot/discord/command_definitions.hpp"
#include "commands/grammar/command_parser.hpp"
#include "commands/grammar/value_parsers.hpp"

namespace funnelbot::bot::discord {

namespace {

using json = nlohmann::json;

// How one option is written into the grammar's line.
enum class Kind {
    positional,      // a quoted word: names (customer, product line, team) and ids
    mention,         // a bare mention: @rep, @user
    option,          // key:"value"
    option_mention,  // key:<@id|name>
    word,            // the value as a bare keyword: on, current, manager
    keyword_value,   // the option's name and value as two bare words: reminders on
    flag,            // a BOOLEAN true becomes the bare keyword named like the option: new
    literal,         // not an option: a fixed word of the grammar (team … add @rep)
    lines,           // "all" as a keyword, anything else quoted (split on commas by the grammar)
    raw,             // the text as typed (funnel-help topic)
};

struct Slot {
    std::string_view name;
    Kind kind;
};

struct Leaf {
    std::string_view text_prefix;  // the grammar's leading words
    std::vector<Slot> slots;       // in the grammar's order
};

// The Discord command tree (command_definitions.cpp) against the text grammar (DESIGN.md).
const std::map<std::string, Leaf, std::less<>>& leaves() {
    static const std::map<std::string, Leaf, std::less<>> kLeaves = {
        {"opp add",
         {"add",
          {{"customer", Kind::positional},
           {"product", Kind::option},
           {"amount", Kind::option},
           {"stage", Kind::option},
           {"close", Kind::option},
           {"owner", Kind::option_mention},
           {"type", Kind::option}}}},
        {"opp list",
         {"list",
          {{"rep", Kind::mention},
           {"status", Kind::option},
           {"product", Kind::option},
           {"customer", Kind::option}}}},
        {"opp update",
         {"update",
          {{"id", Kind::positional},
           {"stage", Kind::option},
           {"amount", Kind::option},
           {"close", Kind::option},
           {"product", Kind::option}}}},
        {"opp won", {"won", {{"id", Kind::positional}}}},
        {"opp lost", {"lost", {{"id", Kind::positional}}}},
        {"opp remove", {"remove", {{"id", Kind::positional}}}},
        {"funnel-check", {"", {{"rep", Kind::mention}}}},
        // `reminders on` must come first in the grammar.
        {"funnel-review", {"", {{"reminders", Kind::keyword_value}, {"rep", Kind::mention}}}},
        {"team-summary", {"", {{"team", Kind::option}}}},
        {"funnel-admin product add",
         {"product add",
          {{"name", Kind::positional},
           {"category", Kind::option},
           {"since", Kind::option},
           {"new", Kind::flag},
           {"acquired", Kind::flag}}}},
        {"funnel-admin product list", {"product list", {}}},
        {"funnel-admin product retire", {"product retire", {{"name", Kind::positional}}}},
        {"funnel-admin lines",
         {"lines", {{"rep", Kind::mention}, {"team", Kind::option}, {"lines", Kind::lines}}}},
        {"funnel-admin customer",
         {"customer", {{"name", Kind::positional}, {"status", Kind::word}}}},
        {"funnel-admin team manager",
         {"team", {{"team", Kind::positional}, {"manager", Kind::option_mention}}}},
        {"funnel-admin team add",
         {"team", {{"team", Kind::positional}, {"add", Kind::literal}, {"rep", Kind::mention}}}},
        {"funnel-admin team remove",
         {"team", {{"team", Kind::positional}, {"remove", Kind::literal}, {"rep", Kind::mention}}}},
        {"funnel-admin role", {"role", {{"user", Kind::mention}, {"role", Kind::word}}}},
        {"funnel-admin user left",
         {"user",
          {{"user", Kind::mention}, {"left", Kind::literal}, {"reassign", Kind::option_mention}}}},
        {"funnel-admin goals",
         {"goals",
          {{"rep", Kind::mention},
           {"team", Kind::option},
           {"max-line", Kind::option},
           {"new-share", Kind::option},
           {"tolerance", Kind::option},
           {"territory", Kind::option},
           {"new-opps", Kind::option},
           {"quota", Kind::option},
           {"languishing-days", Kind::option},
           {"languishing-share", Kind::option}}}},
        {"funnel-admin reminders",
         {"reminders",
          {{"state", Kind::word},
           {"day", Kind::option},
           {"time", Kind::option},
           {"tz", Kind::option}}}},
        {"funnel-admin workspace",
         {"workspace", {{"currency", Kind::option}, {"tz", Kind::option}}}},
        {"funnel-help", {"", {{"command", Kind::raw}}}},
    };
    return kLeaves;
}

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
    const auto& table = leaves();
    const auto leaf = table.find(path);
    if (leaf == table.end()) {
        // Not a command we registered: the grammar words it (unknown command or subcommand).
        for (const auto& w : path_words)
            add(line, w);
    } else {
        add(line, leaf->second.text_prefix);
        for (const Slot& slot : leaf->second.slots) {
            if (slot.kind == Kind::literal) {
                add(line, slot.name);
                continue;
            }
            const auto it = given.find(slot.name);
            if (it == given.end()) continue;
            const json& o = *it->second;
            const std::string v = value_text(o);
            const std::string key(slot.name);
            switch (slot.kind) {
                case Kind::positional:
                    add(line, as_word(v));
                    break;
                case Kind::mention:
                    add(line, mention(o, data));
                    break;
                case Kind::option:
                    add(line, key + ":" + as_word(v));
                    break;
                case Kind::option_mention:
                    add(line, key + ":" + mention(o, data));
                    break;
                case Kind::word:
                    add(line, v);
                    break;
                case Kind::keyword_value:
                    add(line, key + " " + v);
                    break;
                case Kind::flag:
                    if (v == "true") add(line, key);
                    break;
                case Kind::lines: {
                    const auto b = v.find_first_not_of(' ');
                    const auto e = v.find_last_not_of(' ');
                    const std::string t = b == std::string::npos ? "" : v.substr(b, e - b + 1);
                    add(line, commands::iequals(t, "all") ? std::string("all") : as_word(v));
                    break;
                }
                case Kind::raw:
                    add(line, v);
                    break;
                case Kind::literal:
                    break;
            }
            given.erase(it);
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

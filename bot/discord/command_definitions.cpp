#include "bot/discord/command_definitions.hpp"

#include <algorithm>
#include <cstdint>
#include <functional>
#include <string_view>
#include <vector>

#include "commands/command_table.hpp"

namespace funnelbot::bot::discord {

namespace {

using json = nlohmann::json;
using commands::OptionSpec;
using commands::OptionType;

json option(const OptionSpec& spec) {
    static constexpr auto type_of = [](OptionType t) {
        switch (t) {
            case OptionType::integer:
                return kInteger;
            case OptionType::boolean:
                return kBoolean;
            case OptionType::user:
                return kUser;
            case OptionType::text:
            case OptionType::choice:
                break;
        }
        return kString;
    };
    json o = {{"name", spec.name}, {"type", type_of(spec.type)}, {"description", spec.description}};
    // Discord's default is false; leaving it out keeps the body (and its hash) small.
    if (spec.required) o["required"] = true;
    if (spec.type == OptionType::choice) {
        // Each valid value is its own display name.
        json choices = json::array();
        for (auto v : spec.choices)
            choices.push_back({{"name", v}, {"value", v}});
        o["choices"] = std::move(choices);
    }
    if (spec.type == OptionType::integer) {
        o["min_value"] = spec.min;
        o["max_value"] = spec.max;
    }
    return o;
}

json options_of(const commands::TypedForm& form) {
    json options = json::array();
    for (const OptionSpec& spec : form.options) {
        // A fixed word of the text grammar is the subcommand's name here, not an option.
        if (spec.written != commands::Written::literal) options.push_back(option(spec));
    }
    return options;
}

json command(std::string_view name, std::string_view description) {
    return {{"name", name},
            {"type", 1},
            {"description", description},
            // In servers, and in DMs with the bot (placed in the one server the person uses
            // funnelbot in; interaction_runner.cpp).
            {"contexts", json::array({0, 1})},
            {"integration_types", json::array({0})}};
}

std::string_view group_description(std::string_view path) {
    for (const auto& group : commands::typed_groups()) {
        if (group.path == path) return group.description;
    }
    return {};
}

// The child of `parent` named `name`, created (as `made`) when missing, in table order.
json& child(json& parent, std::string_view name, const std::function<json()>& made) {
    json& options = parent["options"];
    if (options.is_null()) options = json::array();
    for (json& o : options) {
        if (o["name"] == name) return o;
    }
    options.push_back(made());
    return options.back();
}

}  // namespace

nlohmann::json application_commands() {
    // Leading words become the command, a subcommand group and a subcommand (the typed path of
    // each table entry's forms); a one-word path is a command with options of its own.
    json root = json::object();
    std::vector<std::string> admin_only;  // commands with an admins-only entry
    for (const auto& spec : commands::command_table()) {
        for (const auto& form : spec.forms) {
            const std::string_view path = commands::typed_path(spec, form);
            std::vector<std::string> words;
            for (std::size_t start = 0; start <= path.size();) {
                const auto space = std::min(path.find(' ', start), path.size());
                words.emplace_back(path.substr(start, space - start));
                start = space + 1;
            }
            std::string prefix = words[0];
            json& top = child(root, words[0], [&] {
                return command(words[0],
                               words.size() == 1 ? form.description : group_description(prefix));
            });
            json* node = &top;
            for (std::size_t i = 1; i < words.size(); ++i) {
                prefix += " " + words[i];
                const bool leaf = i + 1 == words.size();
                node = &child(*node, words[i], [&] {
                    return json{
                        {"name", words[i]},
                        {"type", leaf ? kSubCommand : kSubCommandGroup},
                        {"description", leaf ? form.description : group_description(prefix)}};
                });
            }
            json options = options_of(form);
            if (!options.empty()) (*node)["options"] = std::move(options);
            if (spec.audience == commands::Audience::admins) admin_only.push_back(words[0]);
        }
    }
    json out = root.contains("options") ? std::move(root["options"]) : json::array();
    for (json& c : out) {
        if (std::find(admin_only.begin(), admin_only.end(), c["name"]) == admin_only.end())
            continue;
        // Discord gates whole commands only: one with admin subcommands is hidden from
        // everyone but Manage Server (1 << 5) unless a server admin re-grants it; the handlers
        // still check roles.
        c["default_member_permissions"] = "32";
        // Servers only: a DM carries no permissions to check.
        c["contexts"] = json::array({0});
    }
    return out;
}

std::string definitions_hash(const nlohmann::json& definitions) {
    // FNV-1a: tiny, stable across platforms and runs; collisions only cost a needless PUT.
    std::uint64_t h = 14695981039346656037ULL;
    for (const unsigned char c : definitions.dump()) {
        h ^= c;
        h *= 1099511628211ULL;
    }
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out(16, '0');
    for (int i = 15; i >= 0; --i) {
        out[static_cast<std::size_t>(i)] = kHex[h & 0xF];
        h >>= 4;
    }
    return out;
}

}  // namespace funnelbot::bot::discord

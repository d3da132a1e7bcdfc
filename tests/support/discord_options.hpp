// Builders for INTERACTION_CREATE data.options as Discord sends them
// (https://discord.com/developers/docs/interactions/application-commands#application-command-object-application-command-interaction-data-option-structure),
// shared by the Discord tests: option("customer", "Acme"), sub("add", {...}), group("product",
// {...}).
#pragma once

#include <string>
#include <utility>

#include <nlohmann/json.hpp>

namespace funnelbot::testing::discord_options {

// A value option; type 3 STRING, 4 INTEGER, 5 BOOLEAN, 6 USER (the value is the user id).
inline nlohmann::json option(const std::string& name, nlohmann::json value, int type = 3) {
    return {{"name", name}, {"type", type}, {"value", std::move(value)}};
}

// A subcommand (type 1) with its options.
inline nlohmann::json sub(const std::string& name,
                          nlohmann::json options = nlohmann::json::array()) {
    return {{"name", name}, {"type", 1}, {"options", std::move(options)}};
}

// A subcommand group (type 2) with its subcommands.
inline nlohmann::json group(const std::string& name, nlohmann::json subs) {
    return {{"name", name}, {"type", 2}, {"options", std::move(subs)}};
}

}  // namespace funnelbot::testing::discord_options

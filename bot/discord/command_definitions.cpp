#include "bot/discord/command_definitions.hpp"

#include <cstdint>
#include <string_view>
#include <vector>

namespace funnelbot::bot::discord {

namespace {

using json = nlohmann::json;

json option(std::string_view name, int type, std::string_view description, bool required = false) {
    json o = {{"name", name}, {"type", type}, {"description", description}};
    // Discord's default is false; leaving it out keeps the body (and its hash) small.
    if (required) o["required"] = true;
    return o;
}

json string_option(std::string_view name, std::string_view description, bool required = false) {
    return option(name, kString, description, required);
}

json user_option(std::string_view name, std::string_view description, bool required = false) {
    return option(name, kUser, description, required);
}

// A STRING option whose only valid values are `values` (each its own display name).
json choice_option(std::string_view name, std::string_view description,
                   const std::vector<std::string_view>& values, bool required = false) {
    json o = string_option(name, description, required);
    json choices = json::array();
    for (auto v : values)
        choices.push_back({{"name", v}, {"value", v}});
    o["choices"] = std::move(choices);
    return o;
}

json int_option(std::string_view name, std::string_view description, long long lo, long long hi,
                bool required = false) {
    json o = option(name, kInteger, description, required);
    o["min_value"] = lo;
    o["max_value"] = hi;
    return o;
}

json sub(std::string_view name, std::string_view description, json options = json::array()) {
    json s = {{"name", name}, {"type", kSubCommand}, {"description", description}};
    if (!options.empty()) s["options"] = std::move(options);
    return s;
}

json group(std::string_view name, std::string_view description, json subs) {
    return {{"name", name},
            {"type", kSubCommandGroup},
            {"description", description},
            {"options", std::move(subs)}};
}

json command(std::string_view name, std::string_view description, json options) {
    json c = {{"name", name},
              {"type", 1},
              {"description", description},
              // In servers, and in DMs with the bot (placed in the one server the person uses
              // funnelbot in; interaction_runner.cpp).
              {"contexts", json::array({0, 1})},
              {"integration_types", json::array({0})}};
    if (!options.empty()) c["options"] = std::move(options);
    return c;
}

const std::vector<std::string_view> kStages = {"prospecting", "qualification", "proposal",
                                               "negotiation", "won",           "lost"};

// Opportunity ids are SQLite rowids: positive, and within Discord's INTEGER range.
constexpr long long kMaxId = 9007199254740991LL;  // 2^53 - 1

json id_option() {
    return int_option("id", "The opportunity's number, as /opp list shows it", 1, kMaxId, true);
}

json opp() {
    return command(
        "opp", "Add, list, update and close opportunities",
        json::array(
            {sub("add", "Add an opportunity",
                 json::array({string_option("customer", "The customer's name", true),
                              string_option("product", "The product line", true),
                              string_option("amount", "Amount, e.g. 25k or $25,000"),
                              choice_option("stage", "Stage (default prospecting)", kStages),
                              string_option("close", "Expected close date, YYYY-MM-DD"),
                              user_option("owner", "The rep who owns it (default you)"),
                              choice_option("type", "Override the customer's status",
                                            {"new", "existing"})})),
             sub("list", "List opportunities",
                 json::array({user_option("rep", "Whose opportunities (default yours)"),
                              choice_option("status", "Which ones (default open)",
                                            {"open", "won", "lost", "all"}),
                              string_option("product", "Only this product line"),
                              string_option("customer", "Only this customer")})),
             sub("update", "Change an opportunity",
                 json::array({id_option(), choice_option("stage", "New stage", kStages),
                              string_option("amount", "New amount, e.g. 25k"),
                              string_option("close", "New close date, YYYY-MM-DD"),
                              string_option("product", "New product line")})),
             sub("won", "Mark an opportunity won", json::array({id_option()})),
             sub("lost", "Mark an opportunity lost", json::array({id_option()})),
             sub("remove", "Remove an opportunity entered by mistake",
                 json::array({id_option()}))}));
}

json funnel_admin() {
    json goals_options = json::array(
        {user_option("rep", "Goals for this rep"), string_option("team", "Goals for this team"),
         int_option("max-line", "Most of the funnel one line may hold, in %", 1, 100),
         int_option("new-share", "Target share of new customers, in %", 0, 100),
         int_option("tolerance", "Allowed distance from the targets, in points", 0, 50),
         choice_option("territory", "Where the rep should sell", {"balanced", "new", "existing"}),
         int_option("new-opps", "New-customer opportunities a month", 0, 10000),
         string_option("quota", "Quota a quarter, e.g. 250k"),
         int_option("languishing-days", "Days without change before an opp languishes", 1, 3650),
         int_option("languishing-share", "Most of the funnel that may languish, in %", 0, 100)});
    json c = command(
        "funnel-admin", "Set up product lines, teams, roles, goals and reminders",
        json::array(
            {group("product", "Product lines",
                   json::array(
                       {sub("add", "Add a product line",
                            json::array({string_option("name", "The line's name", true),
                                         string_option("category", "Its category"),
                                         option("new", kBoolean, "A line new to the market"),
                                         option("acquired", kBoolean, "Came with an acquisition"),
                                         string_option("since", "Sold since, YYYY-MM-DD")})),
                        sub("list", "List the product lines"),
                        sub("retire", "Retire a product line",
                            json::array({string_option("name", "The line's name", true)}))})),
             sub("lines", "Set which lines a rep or team sells",
                 json::array({string_option("lines", "Lines, comma-separated, or all", true),
                              user_option("rep", "The rep"), string_option("team", "The team")})),
             sub("customer", "Mark a customer current or prospect",
                 json::array({string_option("name", "The customer's name", true),
                              choice_option("status", "Current customer or prospect",
                                            {"current", "prospect"}, true)})),
             group("team", "Teams",
                   json::array({sub("manager", "Create a team if needed and set its manager",
                                    json::array({string_option("team", "The team's name", true),
                                                 user_option("manager", "Its manager", true)})),
                                sub("add", "Add a rep to a team",
                                    json::array({string_option("team", "The team's name", true),
                                                 user_option("rep", "The rep", true)})),
                                sub("remove", "Remove a rep from a team",
                                    json::array({string_option("team", "The team's name", true),
                                                 user_option("rep", "The rep", true)}))})),
             sub("role", "Set someone's role",
                 json::array(
                     {user_option("user", "Who", true),
                      choice_option("role", "The role", {"manager", "rep", "admin"}, true)})),
             group("user", "People",
                   json::array({sub(
                       "left", "Someone left: close their access, optionally hand over opps",
                       json::array({user_option("user", "Who left", true),
                                    user_option("reassign", "Who takes their opportunities")}))})),
             sub("goals", "Show or set goals", std::move(goals_options)),
             sub("reminders", "Friday reminders for the workspace",
                 json::array({choice_option("state", "On or off", {"on", "off"}),
                              choice_option("day", "Weekday",
                                            {"mon", "tue", "wed", "thu", "fri", "sat", "sun"}),
                              string_option("time", "Local time, HH:MM (24-hour)"),
                              string_option("tz", "Time zone, e.g. America/Chicago")})),
             sub("workspace", "Workspace settings",
                 json::array({string_option("currency", "Three-letter code, e.g. USD"),
                              string_option("tz", "Time zone, e.g. Europe/Berlin")}))}));
    // Manage Server (1 << 5): hidden from everyone else unless a server admin re-grants it.
    c["default_member_permissions"] = "32";
    // Servers only: a DM carries no permissions to check.
    c["contexts"] = json::array({0});
    return c;
}

}  // namespace

nlohmann::json application_commands() {
    return json::array(
        {opp(),
         command("funnel-check", "Check how balanced a funnel is",
                 json::array({user_option("rep", "A rep of your team (default you)")})),
         command("funnel-review", "The five weekend questions, answered now",
                 json::array({user_option("rep", "A rep of your team (default you)"),
                              choice_option("reminders", "Turn your own Friday reminder on or off",
                                            {"on", "off"})})),
         command("team-summary", "Summary of a team's funnels (managers and admins)",
                 json::array({string_option("team", "The team (default every team you manage)")})),
         funnel_admin(),
         command("funnel-help", "How to use funnelbot",
                 json::array({string_option("command", "A command, e.g. opp add")}))});
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

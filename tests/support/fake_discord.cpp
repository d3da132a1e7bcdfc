#include "tests/support/fake_discord.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <deque>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <stdexcept>

#include "tests/support/fake_server.hpp"

namespace funnelbot::testing {

namespace {

using namespace fake_server;
using Json = nlohmann::json;
using Path = std::vector<std::string>;  // a field path in a 50035 "errors" object

// Discord's numbers (https://discord.com/developers/docs/events/gateway, …/topics/rate-limits,
// …/resources/message).
constexpr std::size_t kMaxGatewayPayload = 4096;         // larger: close 4002
constexpr std::size_t kMaxGatewayMessage = 1024 * 1024;  // Beast's own read limit, far above it
constexpr std::size_t kGatewayPayloadsPerWindow = 120;
constexpr auto kGatewayRateWindow = std::chrono::seconds(60);
constexpr auto kReconnectGrace = std::chrono::seconds(2);  // op 7, then close 4000
constexpr auto kWebhookLifetime = std::chrono::minutes(15);
constexpr int kDefaultBucketLimit = 50;
constexpr auto kDefaultBucketWindow = std::chrono::seconds(1);
constexpr std::int64_t kDiscordEpochMs = 1420070400000;
constexpr std::int64_t kPrivilegedIntents = (1 << 1) | (1 << 8) | (1 << 15);
constexpr std::int64_t kKnownIntents = (std::int64_t{1} << 26) - 1;

// ---- one accepted TCP connection: HTTP first, maybe a gateway WebSocket after the upgrade ----

struct Outgoing {
    std::string text;                         // a text frame …
    std::optional<std::uint16_t> close_code;  // … or a close frame
    std::string close_reason;
    std::string interaction_id;  // INTERACTION_CREATE frames: the write time is kept for callbacks
};

// A gateway socket keeps its session state here; REST connections leave it unused.
class Connection : public ServerConnection<tcp::socket, Outgoing> {
public:
    Connection(tcp::socket socket, ssl::context& tls, bool resume_listener)
        : ServerConnection(std::move(socket), tls),
          reconnect_timer(ws.get_executor()),
          resume_listener(resume_listener) {}

    // Queues a close frame after what is already queued; only the first one counts.
    void send_close(int code, std::string reason) {
        if (closing) return;
        closing = true;
        send({"", static_cast<std::uint16_t>(code), std::move(reason), ""});
    }
    // Also stops the op 7 timer.
    void close() override {
        reconnect_timer.cancel();
        ServerConnection::close();
    }

    asio::steady_timer reconnect_timer;  // op 7: close 4000 unless the client closed first
    const bool resume_listener;
    int index = 0;  // gateway connection number (1-based), 0 until upgraded
    // Gateway state.
    bool authenticated = false;  // READY or RESUMED sent on this socket (and no op 9 since)
    std::string session_id;      // the session this socket is the socket of, if any
    std::deque<Clock::time_point> payload_times;  // within the last rate window
};

// ---- small helpers --------------------------------------------------------------------------

bool all_digits(std::string_view text) {
    return !text.empty() &&
           std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::vector<std::string> split_path(std::string_view path) {
    std::vector<std::string> segments;
    while (!path.empty()) {
        if (path.front() == '/') {
            path.remove_prefix(1);
            continue;
        }
        const auto slash = path.find('/');
        segments.emplace_back(path.substr(0, slash));
        path = slash == std::string_view::npos ? std::string_view{} : path.substr(slash);
    }
    return segments;
}

// Discord counts characters (code points), after trimming leading and trailing whitespace.
std::size_t code_points(std::string_view text) {
    return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
        return (static_cast<unsigned char>(c) & 0xC0U) != 0x80U;
    }));
}

std::string_view trim(std::string_view text) {
    const auto space = [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; };
    while (!text.empty() && space(text.front()))
        text.remove_prefix(1);
    while (!text.empty() && space(text.back()))
        text.remove_suffix(1);
    return text;
}

// The member `key` of an object, or nullptr (also for a non-object or a JSON null member).
const Json* member(const Json& object, const char* key) {
    if (!object.is_object()) return nullptr;
    const auto it = object.find(key);
    if (it == object.end() || it->is_null()) return nullptr;
    return &*it;
}

std::optional<std::int64_t> integer_member(const Json& object, const char* key) {
    const Json* value = member(object, key);
    if (value == nullptr || !value->is_number_integer()) return std::nullopt;
    return value->get<std::int64_t>();
}

std::string string_member(const Json& object, const char* key) {
    const Json* value = member(object, key);
    return value != nullptr && value->is_string() ? value->get<std::string>() : "";
}

// Appends one entry to a 50035 "errors" tree at `path`.
void add_error(Json& errors, const Path& path, std::string code, std::string message) {
    Json* node = &errors;
    for (const auto& key : path)
        node = &(*node)[key];
    (*node)["_errors"].push_back({{"code", std::move(code)}, {"message", std::move(message)}});
}

Path operator+(Path path, std::string key) {
    path.push_back(std::move(key));
    return path;
}

// A string member must be a string of at most `max` characters (and, with min > 0, be present).
// Returns its trimmed length (0 when absent or wrong).
std::size_t check_string(const Json& object, const char* key, std::size_t min, std::size_t max,
                         const Path& path, Json& errors) {
    const Json* value = member(object, key);
    if (value == nullptr) {
        if (min > 0) add_error(errors, path + key, "BASE_TYPE_REQUIRED", "This field is required");
        return 0;
    }
    if (!value->is_string()) {
        add_error(errors, path + key, "BASE_TYPE_STRING", "Could not interpret value as string.");
        return 0;
    }
    const std::size_t length = code_points(trim(value->get_ref<const std::string&>()));
    if (length < min || length > max) {
        const std::string message = min > 0
                                        ? "Must be between " + std::to_string(min) + " and " +
                                              std::to_string(max) + " in length."
                                        : "Must be " + std::to_string(max) + " or fewer in length.";
        add_error(errors, path + key,
                  length > max ? "BASE_TYPE_MAX_LENGTH" : "BASE_TYPE_BAD_LENGTH", message);
    }
    return length;
}

// ---- message bodies (…/resources/message) -------------------------------------------------------

// Checks content and embeds against Discord's limits; adds what is wrong to `errors`. Returns
// whether the message carries something to show (content, embeds, components, …).
bool check_message(const Json& body, Json& errors) {
    bool has_something = false;
    if (const Json* content = member(body, "content")) {
        check_string(body, "content", 0, 2000, {}, errors);
        if (content->is_string() && !trim(content->get_ref<const std::string&>()).empty()) {
            has_something = true;
        }
    }
    if (const Json* embeds = member(body, "embeds")) {
        if (!embeds->is_array()) {
            add_error(errors, {"embeds"}, "LIST_TYPE_CONVERT",
                      "Only iterables may be used in a ListType");
        } else {
            if (!embeds->empty()) has_something = true;
            if (embeds->size() > 10) {
                add_error(errors, {"embeds"}, "BASE_TYPE_MAX_LENGTH",
                          "Must be 10 or fewer in length.");
            }
            std::size_t total = 0;
            for (std::size_t i = 0; i < embeds->size(); ++i) {
                const Json& embed = (*embeds)[i];
                const Path at{"embeds", std::to_string(i)};
                if (!embed.is_object()) {
                    add_error(errors, at, "DICT_TYPE_CONVERT",
                              "Only dictionaries may be used in a DictType");
                    continue;
                }
                total += check_string(embed, "title", 0, 256, at, errors);
                total += check_string(embed, "description", 0, 4096, at, errors);
                if (const Json* footer = member(embed, "footer")) {
                    total += check_string(*footer, "text", 1, 2048, at + "footer", errors);
                }
                if (const Json* author = member(embed, "author")) {
                    total += check_string(*author, "name", 1, 256, at + "author", errors);
                }
                const Json* fields = member(embed, "fields");
                if (fields == nullptr) continue;
                if (!fields->is_array()) {
                    add_error(errors, at + "fields", "LIST_TYPE_CONVERT",
                              "Only iterables may be used in a ListType");
                    continue;
                }
                if (fields->size() > 25) {
                    add_error(errors, at + "fields", "BASE_TYPE_MAX_LENGTH",
                              "Must be 25 or fewer in length.");
                }
                for (std::size_t f = 0; f < fields->size(); ++f) {
                    const Path field_at = at + "fields" + std::to_string(f);
                    total += check_string((*fields)[f], "name", 1, 256, field_at, errors);
                    total += check_string((*fields)[f], "value", 1, 1024, field_at, errors);
                }
            }
            if (total > 6000) {
                add_error(errors, {"embeds"}, "MAX_EMBED_SIZE_EXCEEDED",
                          "Embed size exceeds maximum size of 6000");
            }
        }
    }
    for (const char* other : {"sticker_ids", "components", "attachments"}) {
        const Json* value = member(body, other);
        if (value != nullptr && value->is_array() && !value->empty()) has_something = true;
    }
    if (member(body, "poll") != nullptr) has_something = true;
    return has_something;
}

// ---- application commands
// (…/interactions/application-commands)------------------------------------------

bool valid_command_name(const std::string& name) {
    if (name.empty() || name.size() > 32) return false;
    return std::all_of(name.begin(), name.end(), [](char c) {
        return c == '-' || c == '_' || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    });
}

// `level`: 0 directly under a command, 1 under a subcommand group, 2 under a subcommand.
// `characters` sums names, descriptions and choices (Discord: at most 8000 per command).
void check_options(const Json& options, const Path& path, int level, Json& errors,
                   std::size_t& characters) {
    if (!options.is_array()) {
        add_error(errors, path, "LIST_TYPE_CONVERT", "Only iterables may be used in a ListType");
        return;
    }
    if (options.size() > 25) {
        add_error(errors, path, "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.");
    }
    std::set<std::string> names;
    bool optional_seen = false;
    bool has_subcommands = false;
    bool has_values = false;
    for (std::size_t i = 0; i < options.size(); ++i) {
        const Json& option = options[i];
        const Path at = path + std::to_string(i);
        if (!option.is_object()) {
            add_error(errors, at, "DICT_TYPE_CONVERT",
                      "Only dictionaries may be used in a DictType");
            continue;
        }
        const auto type = integer_member(option, "type");
        if (!type || *type < 1 || *type > 11) {
            add_error(errors, at + "type", "BASE_TYPE_CHOICES",
                      "Value must be one of {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}.");
            continue;
        }
        const bool subcommand = *type == 1 || *type == 2;
        (subcommand ? has_subcommands : has_values) = true;
        if ((level == 1 && *type != 1) || (level == 2 && subcommand)) {
            add_error(errors, at + "type", "APPLICATION_COMMAND_OPTION_TYPE_INVALID",
                      "Option type is not valid here");
        }
        const std::string name = string_member(option, "name");
        if (!valid_command_name(name)) {
            add_error(errors, at + "name", "APPLICATION_COMMAND_INVALID_NAME",
                      "Command name is invalid");
        } else if (!names.insert(name).second) {
            add_error(errors, at + "name", "APPLICATION_COMMAND_OPTIONS_NAME_ALREADY_EXISTS",
                      "Option names must be unique");
        }
        characters += code_points(name);
        characters += check_string(option, "description", 1, 100, at, errors);
        const Json* required = member(option, "required");
        if (required != nullptr && !required->is_boolean()) {
            add_error(errors, at + "required", "BASE_TYPE_BOOLEAN",
                      "Must be either true or false.");
        }
        const bool is_required = required != nullptr && required->is_boolean() && *required;
        if (!subcommand) {
            if (is_required && optional_seen) {
                add_error(errors, at + "required", "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID",
                          "Required options must be placed before non-required options");
            }
            if (!is_required) optional_seen = true;
        }
        if (const Json* nested = member(option, "options")) {
            if (subcommand) {
                check_options(*nested, at + "options", *type == 2 ? 1 : 2, errors, characters);
            } else {
                add_error(errors, at + "options", "APPLICATION_COMMAND_OPTION_TYPE_INVALID",
                          "Only subcommands and groups have options");
            }
        }
        const Json* choices = member(option, "choices");
        if (choices == nullptr) continue;
        if (*type != 3 && *type != 4 && *type != 10) {
            add_error(errors, at + "choices", "APPLICATION_COMMAND_OPTION_TYPE_INVALID",
                      "Only STRING, INTEGER and NUMBER options have choices");
            continue;
        }
        if (!choices->is_array() || choices->size() > 25) {
            add_error(errors, at + "choices", "BASE_TYPE_MAX_LENGTH",
                      "Must be 25 or fewer in length.");
            continue;
        }
        if (const Json* autocomplete = member(option, "autocomplete");
            autocomplete != nullptr && autocomplete->is_boolean() && *autocomplete) {
            add_error(errors, at + "autocomplete", "APPLICATION_COMMAND_AUTOCOMPLETE_INVALID",
                      "Autocomplete cannot be set with choices");
        }
        for (std::size_t c = 0; c < choices->size(); ++c) {
            const Json& choice = (*choices)[c];
            const Path choice_at = at + "choices" + std::to_string(c);
            characters += check_string(choice, "name", 1, 100, choice_at, errors);
            const Json* value = member(choice, "value");
            const bool ok =
                value != nullptr &&
                ((*type == 3 && value->is_string() &&
                  code_points(value->get_ref<const std::string&>()) <= 100) ||
                 (*type == 4 && value->is_number_integer()) || (*type == 10 && value->is_number()));
            if (!ok) {
                add_error(errors, choice_at + "value", "BASE_TYPE_CHOICES",
                          "Value does not match the option type");
            } else if (value->is_string()) {
                characters += code_points(value->get_ref<const std::string&>());
            }
        }
    }
    if (has_subcommands && has_values) {
        add_error(errors, path, "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID",
                  "Sub-command and sub-command group option types are mutually exclusive to all "
                  "other types");
    }
}

// The errors of a bulk-overwrite body (an empty object when it is fine).
Json check_commands(const Json& body) {
    Json errors = Json::object();
    if (!body.is_array()) {
        add_error(errors, {}, "LIST_TYPE_CONVERT", "Only iterables may be used in a ListType");
        return errors;
    }
    std::set<std::pair<std::int64_t, std::string>> seen;
    std::map<std::int64_t, int> per_type;
    for (std::size_t i = 0; i < body.size(); ++i) {
        const Json& command = body[i];
        const Path at{std::to_string(i)};
        if (!command.is_object()) {
            add_error(errors, at, "DICT_TYPE_CONVERT",
                      "Only dictionaries may be used in a DictType");
            continue;
        }
        const Json* type_value = member(command, "type");
        const auto type = type_value == nullptr ? std::optional<std::int64_t>(1)
                                                : integer_member(command, "type");
        if (!type || *type < 1 || *type > 4) {
            add_error(errors, at + "type", "BASE_TYPE_CHOICES",
                      "Value must be one of {1, 2, 3, 4}.");
            continue;
        }
        ++per_type[*type];
        std::size_t characters = 0;
        const std::string name = string_member(command, "name");
        const bool name_ok =
            *type == 1 ? valid_command_name(name) : !name.empty() && code_points(name) <= 32;
        if (!name_ok) {
            add_error(errors, at + "name", "APPLICATION_COMMAND_INVALID_NAME",
                      "Command name is invalid");
        } else if (!seen.emplace(*type, name).second) {
            add_error(errors, at + "name", "APPLICATION_COMMANDS_DUPLICATE_NAME",
                      "Application command names must be unique");
        }
        characters += code_points(name);
        if (*type == 1) {
            characters += check_string(command, "description", 1, 100, at, errors);
            if (const Json* options = member(command, "options")) {
                check_options(*options, at + "options", 0, errors, characters);
            }
        } else {
            const std::string description = string_member(command, "description");
            if (!description.empty()) {
                add_error(errors, at + "description", "APPLICATION_COMMAND_INVALID_DESCRIPTION",
                          "Only CHAT_INPUT commands have a description");
            }
            if (member(command, "options") != nullptr) {
                add_error(errors, at + "options", "APPLICATION_COMMAND_OPTION_TYPE_INVALID",
                          "Only CHAT_INPUT commands have options");
            }
        }
        if (const Json* permissions = member(command, "default_member_permissions")) {
            if (!permissions->is_string() ||
                !all_digits(permissions->get_ref<const std::string&>())) {
                add_error(errors, at + "default_member_permissions", "BASE_TYPE_STRING",
                          "Must be a permission bitset as a string.");
            }
        }
        for (const auto& [key, max] :
             {std::pair{"contexts", 2}, std::pair{"integration_types", 1}}) {
            const Json* values = member(command, key);
            if (values == nullptr) continue;
            const bool ok =
                values->is_array() &&
                std::all_of(values->begin(), values->end(), [max = max](const Json& v) {
                    return v.is_number_integer() && v.get<int>() >= 0 && v.get<int>() <= max;
                });
            if (!ok) add_error(errors, at + key, "BASE_TYPE_CHOICES", "Value is not valid.");
        }
        if (characters > 8000) {
            add_error(errors, at, "APPLICATION_COMMAND_TOO_LARGE",
                      "Command exceeds maximum size (8000)");
        }
    }
    if (per_type[1] > 100 || per_type[2] > 15 || per_type[3] > 15) {
        add_error(errors, {}, "APPLICATION_COMMANDS_TOO_MANY", "Too many application commands");
    }
    return errors;
}

// ---- HTTP answers -----------------------------------------------------------------------------

Response make_response(const Request& request, http::status status, std::string_view content_type,
                       std::string body) {
    return http_response(request, "fake-discord", status, content_type, std::move(body));
}

Response json_response(const Request& request, http::status status, const Json& body) {
    return make_response(request, status, "application/json", body.dump());
}

Json error_body(int code, std::string message, Json errors = nullptr) {
    Json body = {{"code", code}, {"message", std::move(message)}};
    if (!errors.is_null()) body["errors"] = std::move(errors);
    return body;
}

Response error_response(const Request& request, http::status status, int code, std::string message,
                        Json errors = nullptr) {
    return json_response(request, status, error_body(code, std::move(message), std::move(errors)));
}

Response invalid_form(const Request& request, Json errors) {
    return error_response(request, http::status::bad_request, 50035, "Invalid Form Body",
                          std::move(errors));
}

// Discord reads JSON bodies only as application/json here (no forms or multipart in the fake).
std::optional<Response> parse_json_body(const Request& request, Json& body) {
    if (!starts_with_ci(request[http::field::content_type], "application/json")) {
        Json errors = Json::object();
        add_error(errors, {}, "CONTENT_TYPE_INVALID",
                  "Expected \"Content-Type\" header to be one of {'application/json', "
                  "'application/x-www-form-urlencoded', 'multipart/form-data'}.");
        return invalid_form(request, std::move(errors));
    }
    body = Json::parse(request.body(), nullptr, false);
    if (body.is_discarded()) {
        return error_response(request, http::status::bad_request, 50109,
                              "The request body contains invalid JSON.");
    }
    return std::nullopt;
}

std::string format_seconds(double seconds) {
    char text[32];
    std::snprintf(text, sizeof text, "%.3f", seconds);
    return text;
}

// ISO 8601 as Discord writes message timestamps.
std::string iso_now() {
    const auto now = std::chrono::system_clock::now();
    const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
    const auto micros =
        std::chrono::duration_cast<std::chrono::microseconds>(now.time_since_epoch()).count() %
        1000000;
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char text[64];
    std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%06lld+00:00",
                  utc.tm_year + 1900, utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min,
                  utc.tm_sec, static_cast<long long>(micros));
    return text;
}

// An opaque, stable, hash-like id per route template, as X-RateLimit-Bucket looks.
std::string bucket_hash(std::string_view route) {
    std::string out;
    for (std::uint64_t seed : {0xcbf29ce484222325ULL, 0x84222325cbf29ce4ULL}) {
        std::uint64_t hash = seed;
        for (char c : route) {
            hash ^= static_cast<unsigned char>(c);
            hash *= 0x100000001b3ULL;
        }
        char text[17];
        std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(hash));
        out += text;
    }
    return out;
}

// Gateway frames: every one carries op, d, s and t (s and t null unless op 0).
std::string gateway_frame(int op, Json d) {
    return Json{{"op", op}, {"d", std::move(d)}, {"s", nullptr}, {"t", nullptr}}.dump();
}
std::string dispatch_frame(int seq, const std::string& event, Json d) {
    return Json{{"op", 0}, {"d", std::move(d)}, {"s", seq}, {"t", event}}.dump();
}

const char* close_text(int code) {
    switch (code) {
        case 4000:
            return "Unknown error.";
        case 4001:
            return "Unknown opcode.";
        case 4002:
            return "Decode error.";
        case 4003:
            return "Not authenticated.";
        case 4004:
            return "Authentication failed.";
        case 4005:
            return "Already authenticated.";
        case 4007:
            return "Invalid seq.";
        case 4008:
            return "Rate limited.";
        case 4009:
            return "Session timed out.";
        case 4010:
            return "Invalid shard.";
        case 4011:
            return "Sharding required.";
        case 4012:
            return "Invalid API version.";
        case 4013:
            return "Invalid intent(s).";
        case 4014:
            return "Disallowed intent(s).";
        default:
            return "";
    }
}

bool is_fatal_close(int code) {
    return code == 4004 || (code >= 4010 && code <= 4014);
}

// Codes after which Discord wants a new session rather than a resume.
bool ends_session(int code) {
    return is_fatal_close(code) || code == 4007 || code == 4009;
}

// ---- REST routes --------------------------------------------------------------------------

enum class RouteKind {
    kGateway,
    kGatewayBot,
    kApplicationMe,
    kCurrentUser,
    kCommands,
    kInteractionCallback,
    kWebhookOriginal,
    kWebhookFollowUp,
    kCreateDm,
    kChannelMessages,
};

struct RouteSpec {
    std::string_view path;  // with {id} for all-digit segments and {token}
    std::string_view method;
    RouteKind kind;
    bool needs_auth;
};

constexpr RouteSpec kRoutes[] = {
    {"/gateway", "GET", RouteKind::kGateway, false},
    {"/gateway/bot", "GET", RouteKind::kGatewayBot, true},
    {"/applications/@me", "GET", RouteKind::kApplicationMe, true},
    {"/users/@me", "GET", RouteKind::kCurrentUser, true},
    {"/applications/{id}/commands", "PUT", RouteKind::kCommands, true},
    {"/applications/{id}/commands", "GET", RouteKind::kCommands, true},
    {"/applications/{id}/guilds/{id}/commands", "PUT", RouteKind::kCommands, true},
    {"/applications/{id}/guilds/{id}/commands", "GET", RouteKind::kCommands, true},
    {"/interactions/{id}/{token}/callback", "POST", RouteKind::kInteractionCallback, false},
    {"/webhooks/{id}/{token}/messages/@original", "PATCH", RouteKind::kWebhookOriginal, false},
    {"/webhooks/{id}/{token}", "POST", RouteKind::kWebhookFollowUp, false},
    {"/users/@me/channels", "POST", RouteKind::kCreateDm, true},
    {"/channels/{id}/messages", "POST", RouteKind::kChannelMessages, true},
};

struct Route {
    std::string method;
    std::string path;           // after /api/v10, no query
    std::string path_template;  // "/channels/{id}/messages"
    std::vector<std::string> segments;
    const RouteSpec* spec = nullptr;  // nullptr: unknown (404) or wrong method (405)
    bool path_known = false;

    std::string name() const { return method + " " + path_template; }
    // The bucket's top-level resource (https://discord.com/developers/docs/topics/rate-limits):
    // channel, guild, webhook id + token; for interaction callbacks the interaction.
    std::string top_level() const {
        if (segments.size() >= 2 && (segments[0] == "channels" || segments[0] == "interactions")) {
            return segments[1];
        }
        if (segments.size() >= 3 && segments[0] == "webhooks") {
            return segments[1] + "/" + segments[2];
        }
        if (segments.size() >= 4 && segments[0] == "applications" && segments[2] == "guilds") {
            return segments[3];
        }
        return "";
    }
};

struct Fault {
    std::string prefix;
    int status;
    int remaining;
    double retry_after;
    bool global;
};
struct Bucket {
    Clock::time_point window_end;
    int used = 0;
};
struct BucketLimit {
    int limit = kDefaultBucketLimit;
    Clock::duration window = kDefaultBucketWindow;
};
// What a request saw of its bucket, for the X-RateLimit-* headers.
struct BucketView {
    int limit = 0;
    int remaining = 0;
    double reset_after = 0;
    std::string hash;
    bool allowed = true;
};

Route match_route(std::string method, std::string path) {
    Route route;
    route.method = std::move(method);
    route.path = std::move(path);
    route.segments = split_path(route.path);
    for (std::size_t i = 0; i < route.segments.size(); ++i) {
        const auto& segment = route.segments[i];
        const bool token =
            i == 2 && (route.segments[0] == "interactions" || route.segments[0] == "webhooks");
        route.path_template += "/";
        route.path_template += token ? "{token}" : all_digits(segment) ? "{id}" : segment;
    }
    for (const auto& spec : kRoutes) {
        if (spec.path != route.path_template) continue;
        route.path_known = true;
        if (spec.method == route.method) route.spec = &spec;
    }
    return route;
}

}  // namespace

// ---- the server ---------------------------------------------------------------------------

class FakeDiscord::Impl {
public:
    explicit Impl(FakeDiscordOptions options);
    Impl(const Impl&) = delete;
    Impl& operator=(const Impl&) = delete;

    // Scripting, on the fake's thread.
    std::string send_interaction(const FakeInteraction& interaction);
    void resend_interaction(const std::string& interaction_id);
    void send_reconnect();
    void send_invalid_session(bool resumable);
    void request_heartbeat();
    void close_with(int code);
    void drop_connections();

    struct LoggedDispatch {
        int seq = 0;
        std::string frame;
        std::string interaction_id;
    };
    struct Session {
        int seq = 0;
        bool valid = true;
        std::vector<LoggedDispatch> log;   // what a resume replays (not READY/RESUMED)
        std::weak_ptr<Connection> socket;  // the socket READY/RESUMED went to
    };
    struct Interaction {
        std::string token;
        Json d;
        std::string channel_id;
        Clock::time_point created;
        std::optional<Clock::time_point> last_write;  // of its latest INTERACTION_CREATE
        int acknowledged_type = 0;                    // 0: no accepted callback yet
        Json original;                                // the response message, once there is one
    };

    const FakeDiscordOptions options_;
    mutable std::mutex mutex_;  // guards the State below
    struct State {
        std::vector<FakeDiscordMember> members;
        std::vector<std::string> guilds;                   // first-seen order
        std::map<std::string, std::string> channels;       // channel id → guild id ("" for DMs)
        std::map<std::string, std::string> dm_channels;    // user id → DM channel id
        std::map<std::string, std::string> dm_recipients;  // DM channel id → user id
        std::map<std::string, Json> command_lists;         // path → last accepted answer
        std::map<std::string, std::string> command_ids;    // path + type + name → stable id
        std::map<std::string, Interaction> interactions;
        std::map<std::string, std::string> interaction_tokens;  // token → interaction id
        std::map<std::string, Json> nonces;                     // channel + nonce → message
        std::map<std::string, Session> sessions;
        std::string current_session;
        std::optional<int> fatal_close;
        bool withhold_acks = false;
        bool commands_forbidden = false;
        std::vector<Fault> faults;
        std::map<std::string, BucketLimit> bucket_limits;  // route template → limit
        std::map<std::string, Bucket> buckets;             // template + top-level id → bucket
        std::vector<RecordedRequest> requests;
        std::vector<RecordedCallback> callbacks;
        std::vector<RecordedWebhookMessage> webhook_messages;
        std::vector<RecordedMessage> messages;
        std::vector<std::pair<std::string, Json>> command_registrations;
        std::vector<RecordedGatewayPayload> payloads;
        std::vector<RecordedGatewayConnection> gateway_connections;
        int identifies = 0;
        int resumes = 0;
        int rate_limited = 0;
        int open_sockets = 0;
        std::int64_t last_snowflake = 0;
        std::mt19937_64 random{std::random_device{}()};
    } state_;

    int port_ = 0;
    int resume_port_ = 0;
    // Scripting calls go through server_.run_on_io. Declared last: its thread and handlers stop
    // before anything above is destroyed.
    Server<Connection> server_;

private:
    int listen(bool resume_listener);
    asio::awaitable<void> serve(std::shared_ptr<Connection> connection);
    asio::awaitable<void> run_gateway(std::shared_ptr<Connection> connection,
                                      const Request& request);
    asio::awaitable<void> read_loop(std::shared_ptr<Connection> connection);
    asio::awaitable<void> write_loop(std::shared_ptr<Connection> connection);

    // REST, on the fake's thread.
    void record_request(const Request& request, Clock::time_point received);
    Response serve_rest(const Request& request, Clock::time_point received);
    Response handle_rest(const Request& request, Clock::time_point received);
    BucketView touch_bucket(const Route& route, bool consume);
    void record_unserved(const Request& request, const Route& route, Clock::time_point received,
                         int status);
    std::optional<Fault> take_fault(const std::string& key);
    Response fault_response(const Request& request, const Fault& fault);
    Response gateway_bot(const Request& request, bool with_limits);
    Response application_me(const Request& request);
    Response commands(const Request& request, const Route& route);
    Response interaction_callback(const Request& request, const Route& route,
                                  Clock::time_point received);
    Response webhook_message(const Request& request, const Route& route, bool original);
    Response create_dm(const Request& request);
    Response channel_message(const Request& request, const Route& route);

    // Gateway, on the fake's thread.
    void gateway_opened(Connection& connection, const Request& request);
    void gateway_closed(Connection& connection);
    void on_payload(const std::shared_ptr<Connection>& connection, const std::string& text,
                    bool binary);
    void identify(const std::shared_ptr<Connection>& connection, const Json& d);
    void resume(const std::shared_ptr<Connection>& connection, const Json& d);
    void close_socket(Connection& connection, int code);
    void client_closed(Connection& connection, int code);
    void mark_written(const std::string& interaction_id);
    std::vector<std::shared_ptr<Connection>> gateways(bool usable_only);
    std::shared_ptr<Connection> current_socket(const char* what);
    // Deliver a logged dispatch to the session's socket, if it has a ready one.
    void deliver(const Session& session, const LoggedDispatch& dispatch);

    // Callers hold mutex_.
    std::string next_snowflake();
    std::string random_token(int length);
    void unbind(Connection& connection);
    void invalidate(const std::string& session_id);
    Json user_object(const std::string& user_id) const;
    Json bot_user() const;
    Json message_object(const std::string& id, const std::string& channel_id, const Json& body,
                        int type) const;
    bool dms_closed(const std::string& user_id) const;
    const FakeDiscordMember* find_member(const std::string& user_id,
                                         const std::string& guild_id) const;
};

FakeDiscord::Impl::Impl(FakeDiscordOptions options)
    : options_(std::move(options)),
      server_("fake Discord", options_.cert_file, options_.key_file, options_.script_timeout) {
    port_ = listen(false);
    resume_port_ = listen(true);
    server_.start();
}

// A listener whose connections know whether they came in through the resume gateway.
int FakeDiscord::Impl::listen(bool resume_listener) {
    return server_.listen(
        [resume_listener](tcp::socket socket, ssl::context& tls) {
            return std::make_shared<Connection>(std::move(socket), tls, resume_listener);
        },
        [this](std::shared_ptr<Connection> connection) { return serve(std::move(connection)); });
}

std::string FakeDiscord::Impl::next_snowflake() {
    // Timestamp since Discord's epoch in the top bits, as real ids; strictly increasing.
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                        std::chrono::system_clock::now().time_since_epoch())
                        .count();
    std::int64_t id = ((ms - kDiscordEpochMs) << 22) | (std::int64_t{1} << 17);
    id = std::max(id, state_.last_snowflake + 1);
    state_.last_snowflake = id;
    return std::to_string(id);
}

std::string FakeDiscord::Impl::random_token(int length) {
    // Interaction tokens are long URL-safe strings.
    static constexpr char kAlphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    std::string out = "aW50ZXJhY3Rpb246";
    for (int i = 0; i < length; ++i)
        out += kAlphabet[state_.random() % 64];
    return out;
}

// ---- serving HTTP ---------------------------------------------------------------------------

// REST requests are recorded and served; an upgrade leaves HTTP for the gateway.
asio::awaitable<void> FakeDiscord::Impl::serve(std::shared_ptr<Connection> connection) {
    const bool resume_listener = connection->resume_listener;
    auto answer = [this, resume_listener](const Request& request,
                                          Clock::time_point received) -> std::optional<Response> {
        if (websocket::is_upgrade(request)) return std::nullopt;
        if (resume_listener) {
            // The resume host serves the gateway only.
            Response not_found =
                make_response(request, http::status::not_found, "text/plain", "404: Not Found");
            not_found.keep_alive(false);
            return not_found;
        }
        record_request(request, received);
        return serve_rest(request, received);
    };
    std::optional<Request> upgrade = co_await serve_http(connection, answer);
    if (!upgrade) co_return;
    // The gateway lives at the root ("/?v=10&encoding=json") of both listeners.
    if (split_target(upgrade->target()).first == "/") {
        co_await run_gateway(connection, *upgrade);
    } else {
        co_await refuse(connection, make_response(*upgrade, http::status::not_found, "text/plain",
                                                  "404: Not Found"));
    }
}

void FakeDiscord::Impl::record_request(const Request& request, Clock::time_point received) {
    RecordedRequest record = record_of(request, received);
    std::lock_guard lock(mutex_);
    state_.requests.push_back(std::move(record));
}

Response FakeDiscord::Impl::serve_rest(const Request& request, Clock::time_point received) {
    try {
        return handle_rest(request, received);
    } catch (const std::exception& e) {
        // A bug in the fake must fail the test loudly, not hang the client.
        std::fprintf(stderr, "fake Discord: %s\n", e.what());
        return make_response(request, http::status::internal_server_error, "text/plain",
                             std::string("fake Discord failed: ") + e.what());
    }
}

namespace {

void add_rate_headers(Response& response, const BucketView& bucket) {
    const double epoch =
        std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
    response.set("X-RateLimit-Limit", std::to_string(bucket.limit));
    response.set("X-RateLimit-Remaining", std::to_string(bucket.remaining));
    response.set("X-RateLimit-Reset", format_seconds(epoch + bucket.reset_after));
    response.set("X-RateLimit-Reset-After", format_seconds(bucket.reset_after));
    response.set("X-RateLimit-Bucket", bucket.hash);
}

// Discord's Retry-After header is whole seconds, rounded up.
std::string retry_after_header(double seconds) {
    return std::to_string(std::max<long long>(0, static_cast<long long>(std::ceil(seconds))));
}

}  // namespace

Response FakeDiscord::Impl::handle_rest(const Request& request, Clock::time_point received) {
    const auto [path, query] = split_target(request.target());
    const std::string method(request.method_string());
    constexpr std::string_view kBase = "/api/v10";
    const std::string sub =
        path.starts_with(std::string(kBase) + "/") ? path.substr(kBase.size()) : path;
    const Route route = match_route(method, sub);
    Response response;
    if (!path.starts_with(std::string(kBase) + "/") || route.spec == nullptr) {
        response = route.path_known && path.starts_with(kBase)
                       ? error_response(request, http::status::method_not_allowed, 0,
                                        "405: Method Not Allowed")
                       : error_response(request, http::status::not_found, 0, "404: Not Found");
        add_rate_headers(response, touch_bucket(route, false));
        return response;
    }
    if (route.spec->needs_auth &&
        request[http::field::authorization] != "Bot " + options_.bot_token) {
        response = error_response(request, http::status::unauthorized, 0, "401: Unauthorized");
        add_rate_headers(response, touch_bucket(route, false));
        return response;
    }
    if (auto fault = take_fault(method + " " + sub)) {
        response = fault_response(request, *fault);
        add_rate_headers(response, touch_bucket(route, false));
        record_unserved(request, route, received, fault->status);
        return response;
    }
    const BucketView bucket = touch_bucket(route, true);
    if (!bucket.allowed) {
        {
            std::lock_guard lock(mutex_);
            ++state_.rate_limited;
        }
        response = json_response(request, http::status::too_many_requests,
                                 {{"message", "You are being rate limited."},
                                  {"retry_after", std::ceil(bucket.reset_after * 1000) / 1000},
                                  {"global", false}});
        response.set(http::field::retry_after, retry_after_header(bucket.reset_after));
        response.set("X-RateLimit-Scope", "user");
        add_rate_headers(response, bucket);
        record_unserved(request, route, received, 429);
        return response;
    }
    switch (route.spec->kind) {
        case RouteKind::kGateway:
            response = gateway_bot(request, false);
            break;
        case RouteKind::kGatewayBot:
            response = gateway_bot(request, true);
            break;
        case RouteKind::kApplicationMe:
            response = application_me(request);
            break;
        case RouteKind::kCurrentUser:
            response = json_response(request, http::status::ok, bot_user());
            break;
        case RouteKind::kCommands:
            response = commands(request, route);
            break;
        case RouteKind::kInteractionCallback:
            response = interaction_callback(request, route, received);
            break;
        case RouteKind::kWebhookOriginal:
            response = webhook_message(request, route, true);
            break;
        case RouteKind::kWebhookFollowUp:
            response = webhook_message(request, route, false);
            break;
        case RouteKind::kCreateDm:
            response = create_dm(request);
            break;
        case RouteKind::kChannelMessages:
            response = channel_message(request, route);
            break;
    }
    add_rate_headers(response, bucket);
    return response;
}

BucketView FakeDiscord::Impl::touch_bucket(const Route& route, bool consume) {
    const std::string name = route.name();
    const auto now = Clock::now();
    std::lock_guard lock(mutex_);
    BucketLimit limit;
    if (auto it = state_.bucket_limits.find(name); it != state_.bucket_limits.end()) {
        limit = it->second;
    }
    Bucket& bucket = state_.buckets[name + "|" + route.top_level()];
    if (now >= bucket.window_end) {
        bucket.used = 0;
        // A fresh window opens with the first request that counts.
        bucket.window_end = consume ? now + limit.window : now;
    }
    BucketView view;
    view.limit = limit.limit;
    view.hash = bucket_hash(name);
    if (consume) {
        if (bucket.used >= limit.limit) {
            view.allowed = false;
        } else {
            ++bucket.used;
        }
    }
    view.remaining = std::max(0, limit.limit - bucket.used);
    const auto left = bucket.window_end > now ? bucket.window_end - now : Clock::duration::zero();
    view.reset_after = bucket.used == 0 ? std::chrono::duration<double>(limit.window).count()
                                        : std::chrono::duration<double>(left).count();
    return view;
}

// Callbacks and webhook calls answered by a fault or a bucket 429 still show up in their own
// records, so a test sees every attempt (a 502, then the retry's 204).
void FakeDiscord::Impl::record_unserved(const Request& request, const Route& route,
                                        Clock::time_point received, int status) {
    const RouteKind kind = route.spec->kind;
    if (kind != RouteKind::kInteractionCallback && kind != RouteKind::kWebhookOriginal &&
        kind != RouteKind::kWebhookFollowUp) {
        return;
    }
    const Json body = Json::parse(request.body(), nullptr, false);
    const std::string& token = route.segments[2];
    std::lock_guard lock(mutex_);
    if (kind == RouteKind::kInteractionCallback) {
        RecordedCallback record;
        record.interaction_id = route.segments[1];
        record.received = received;
        record.status = status;
        if (auto type = integer_member(body, "type")) record.type = static_cast<int>(*type);
        if (const Json* data = member(body, "data")) record.data = *data;
        const auto it = state_.interactions.find(record.interaction_id);
        if (it != state_.interactions.end() && it->second.token == token && it->second.last_write) {
            record.since_dispatch = std::chrono::duration_cast<std::chrono::microseconds>(
                std::max(Clock::duration::zero(), received - *it->second.last_write));
        }
        state_.callbacks.push_back(std::move(record));
        return;
    }
    RecordedWebhookMessage record;
    record.original = kind == RouteKind::kWebhookOriginal;
    record.body = body.is_discarded() ? Json(request.body()) : body;
    record.status = status;
    if (auto it = state_.interaction_tokens.find(token); it != state_.interaction_tokens.end()) {
        record.interaction_id = it->second;
    }
    state_.webhook_messages.push_back(std::move(record));
}

std::optional<Fault> FakeDiscord::Impl::take_fault(const std::string& key) {
    std::lock_guard lock(mutex_);
    for (auto it = state_.faults.begin(); it != state_.faults.end(); ++it) {
        if (!key.starts_with(it->prefix)) continue;
        Fault fault = *it;
        if (--it->remaining <= 0) state_.faults.erase(it);
        return fault;
    }
    return std::nullopt;
}

Response FakeDiscord::Impl::fault_response(const Request& request, const Fault& fault) {
    const auto status = static_cast<http::status>(fault.status);
    if (fault.status != 429) {
        return make_response(request, status, "text/plain",
                             "fake injected HTTP " + std::to_string(fault.status));
    }
    Response response = json_response(request, status,
                                      {{"message", "You are being rate limited."},
                                       {"retry_after", fault.retry_after},
                                       {"global", fault.global}});
    response.set(http::field::retry_after, retry_after_header(fault.retry_after));
    response.set("X-RateLimit-Scope", fault.global ? "global" : "user");
    if (fault.global) response.set("X-RateLimit-Global", "true");
    return response;
}

// ---- REST handlers ------------------------------------------------------------------------

Response FakeDiscord::Impl::gateway_bot(const Request& request, bool with_limits) {
    Json body = {{"url", "wss://localhost:" + std::to_string(port_)}};
    if (with_limits) {
        body["shards"] = 1;
        body["session_start_limit"] = {
            {"total", 1000}, {"remaining", 999}, {"reset_after", 14400000}, {"max_concurrency", 1}};
    }
    return json_response(request, http::status::ok, body);
}

Response FakeDiscord::Impl::application_me(const Request& request) {
    std::lock_guard lock(mutex_);
    return json_response(request, http::status::ok,
                         {{"id", options_.application_id},
                          {"name", "funnelbot"},
                          {"description", ""},
                          {"bot_public", false},
                          {"bot_require_code_grant", false},
                          {"flags", 0},
                          {"bot", bot_user()}});
}

Response FakeDiscord::Impl::commands(const Request& request, const Route& route) {
    const auto& segments = route.segments;
    bool forbidden = false;
    {
        std::lock_guard lock(mutex_);
        forbidden = state_.commands_forbidden;
    }
    if (segments[1] != options_.application_id || forbidden) {
        return error_response(request, http::status::forbidden, 50001, "Missing Access");
    }
    const std::string guild_id = segments.size() == 5 ? segments[3] : "";
    {
        std::lock_guard lock(mutex_);
        // The bot is only in the guilds its members were registered in.
        if (!guild_id.empty() && std::find(state_.guilds.begin(), state_.guilds.end(), guild_id) ==
                                     state_.guilds.end()) {
            return error_response(request, http::status::forbidden, 50001, "Missing Access");
        }
        if (route.method == "GET") {
            const auto it = state_.command_lists.find(route.path);
            return json_response(request, http::status::ok,
                                 it == state_.command_lists.end() ? Json::array() : it->second);
        }
    }
    Json body;
    if (auto refused = parse_json_body(request, body)) return std::move(*refused);
    Json errors = check_commands(body);
    if (!errors.empty()) return invalid_form(request, std::move(errors));
    std::lock_guard lock(mutex_);
    Json accepted = Json::array();
    const std::string version = next_snowflake();
    for (const Json& command : body) {
        Json out = command;
        const auto type = integer_member(command, "type").value_or(1);
        // An overwritten command keeps its id, as on Discord.
        const std::string key =
            route.path + "\n" + std::to_string(type) + "\n" + string_member(command, "name");
        auto [id, fresh] = state_.command_ids.try_emplace(key, "");
        if (fresh) id->second = next_snowflake();
        out["id"] = id->second;
        out["application_id"] = options_.application_id;
        out["version"] = version;
        out["type"] = type;
        if (!guild_id.empty()) out["guild_id"] = guild_id;
        if (!out.contains("description")) out["description"] = "";
        if (!out.contains("default_member_permissions"))
            out["default_member_permissions"] = nullptr;
        if (!out.contains("nsfw")) out["nsfw"] = false;
        if (!out.contains("integration_types")) out["integration_types"] = Json::array({0});
        accepted.push_back(std::move(out));
    }
    state_.command_lists[route.path] = accepted;
    state_.command_registrations.emplace_back(route.path, body);
    return json_response(request, http::status::ok, accepted);
}

Response FakeDiscord::Impl::interaction_callback(const Request& request, const Route& route,
                                                 Clock::time_point received) {
    const std::string& id = route.segments[1];
    const std::string& token = route.segments[2];
    RecordedCallback record;
    record.interaction_id = id;
    record.received = received;
    Json body;
    std::optional<Response> refused = parse_json_body(request, body);
    if (!refused) {
        if (auto type = integer_member(body, "type")) record.type = static_cast<int>(*type);
        if (const Json* data = member(body, "data")) record.data = *data;
    }
    std::lock_guard lock(mutex_);
    const auto answer = [&](Response response, int code) {
        record.status = static_cast<int>(response.result_int());
        record.error_code = code;
        state_.callbacks.push_back(record);
        return response;
    };
    const auto unknown = [&] {
        return answer(
            error_response(request, http::status::not_found, 10062, "Unknown interaction"), 10062);
    };
    const auto it = state_.interactions.find(id);
    if (it == state_.interactions.end() || it->second.token != token) return unknown();
    Interaction& interaction = it->second;
    if (interaction.last_write) {
        record.since_dispatch = std::chrono::duration_cast<std::chrono::microseconds>(
            std::max(Clock::duration::zero(), received - *interaction.last_write));
    }
    if (interaction.acknowledged_type != 0) {
        return answer(error_response(request, http::status::bad_request, 40060,
                                     "Interaction has already been acknowledged."),
                      40060);
    }
    // The 3-second rule: the token dies when the first response is late.
    if (!interaction.last_write ||
        received - *interaction.last_write > options_.callback_deadline) {
        return unknown();
    }
    if (refused) {
        const Json refused_body = Json::parse(refused->body(), nullptr, false);
        return answer(std::move(*refused), refused_body.value("code", 0));
    }
    Json errors = Json::object();
    const auto type = integer_member(body, "type");
    if (!body.is_object() || !type) {
        add_error(errors, {"type"}, "BASE_TYPE_REQUIRED", "This field is required");
        return answer(invalid_form(request, std::move(errors)), 50035);
    }
    // An application command takes a message, a deferred message or a modal.
    if (*type != 4 && *type != 5 && *type != 9) {
        add_error(errors, {"type"}, "BASE_TYPE_CHOICES", "Value must be one of {4, 5, 9}.");
        return answer(invalid_form(request, std::move(errors)), 50035);
    }
    const Json* data = member(body, "data");
    if (data != nullptr && !data->is_object()) {
        add_error(errors, {"data"}, "DICT_TYPE_CONVERT",
                  "Only dictionaries may be used in a DictType");
        return answer(invalid_form(request, std::move(errors)), 50035);
    }
    const Json empty = Json::object();
    const Json& message = data != nullptr ? *data : empty;
    if (*type == 4) {
        const bool has_something = check_message(message, errors);
        if (!errors.empty()) return answer(invalid_form(request, std::move(errors)), 50035);
        if (!has_something) {
            return answer(error_response(request, http::status::bad_request, 50006,
                                         "Cannot send an empty message"),
                          50006);
        }
    } else if (*type == 9) {
        check_string(message, "custom_id", 1, 100, {"data"}, errors);
        check_string(message, "title", 1, 45, {"data"}, errors);
        const Json* components = member(message, "components");
        if (components == nullptr || !components->is_array() || components->empty()) {
            add_error(errors, {"data", "components"}, "BASE_TYPE_REQUIRED",
                      "This field is required");
        }
        if (!errors.empty()) return answer(invalid_form(request, std::move(errors)), 50035);
    }
    interaction.acknowledged_type = static_cast<int>(*type);
    if (*type == 4 || *type == 5) {
        interaction.original = message_object(next_snowflake(), interaction.channel_id,
                                              *type == 4 ? message : empty, 20);
    }
    return answer(make_response(request, http::status::no_content, "", ""), 0);
}

Response FakeDiscord::Impl::webhook_message(const Request& request, const Route& route,
                                            bool original) {
    const std::string& application = route.segments[1];
    const std::string& token = route.segments[2];
    RecordedWebhookMessage record;
    record.original = original;
    Json body;
    std::optional<Response> refused = parse_json_body(request, body);
    record.body = refused ? Json(request.body()) : body;
    std::lock_guard lock(mutex_);
    const auto answer = [&](Response response) {
        record.status = static_cast<int>(response.result_int());
        state_.webhook_messages.push_back(record);
        return response;
    };
    const auto token_it = state_.interaction_tokens.find(token);
    Interaction* interaction = nullptr;
    if (token_it != state_.interaction_tokens.end()) {
        record.interaction_id = token_it->second;
        interaction = &state_.interactions.at(token_it->second);
    }
    // The webhook exists once the interaction was answered, and for 15 minutes.
    if (application != options_.application_id || interaction == nullptr ||
        (interaction->acknowledged_type != 4 && interaction->acknowledged_type != 5) ||
        Clock::now() - interaction->created >= kWebhookLifetime) {
        return answer(error_response(request, http::status::not_found, 10015, "Unknown Webhook"));
    }
    if (refused) return answer(std::move(*refused));
    if (!body.is_object()) {
        Json errors = Json::object();
        add_error(errors, {}, "DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType");
        return answer(invalid_form(request, std::move(errors)));
    }
    Json errors = Json::object();
    bool has_something = check_message(body, errors);
    if (!errors.empty()) return answer(invalid_form(request, std::move(errors)));
    if (original) {
        // An edit keeps what it does not mention.
        Json edited = interaction->original;
        for (const char* key : {"content", "embeds", "components", "allowed_mentions", "flags"}) {
            if (body.contains(key)) edited[key] = body[key];
        }
        Json check = Json::object();
        has_something = check_message(edited, check);
        if (!has_something) {
            return answer(error_response(request, http::status::bad_request, 50006,
                                         "Cannot send an empty message"));
        }
        interaction->original = edited;
        return answer(json_response(request, http::status::ok, edited));
    }
    if (!has_something) {
        return answer(error_response(request, http::status::bad_request, 50006,
                                     "Cannot send an empty message"));
    }
    return answer(
        json_response(request, http::status::ok,
                      message_object(next_snowflake(), interaction->channel_id, body, 20)));
}

Response FakeDiscord::Impl::create_dm(const Request& request) {
    Json body;
    if (auto refused = parse_json_body(request, body)) return std::move(*refused);
    std::string user_id;
    if (const Json* recipient = member(body, "recipient_id")) {
        if (recipient->is_string()) user_id = recipient->get<std::string>();
        if (recipient->is_number_unsigned())
            user_id = std::to_string(recipient->get<std::uint64_t>());
    }
    std::lock_guard lock(mutex_);
    const bool known = std::any_of(state_.members.begin(), state_.members.end(),
                                   [&](const auto& m) { return m.user_id == user_id; });
    if (!known) {
        Json errors = Json::object();
        if (user_id.empty()) {
            add_error(errors, {"recipient_id"}, "BASE_TYPE_REQUIRED", "This field is required");
        } else {
            add_error(errors, {"recipient_id"}, "INVALID_RECIPIENT", "Unknown user");
        }
        return invalid_form(request, std::move(errors));
    }
    auto [channel, fresh] = state_.dm_channels.try_emplace(user_id, "");
    if (fresh) channel->second = next_snowflake();
    state_.channels[channel->second] = "";
    state_.dm_recipients[channel->second] = user_id;
    return json_response(request, http::status::ok,
                         {{"id", channel->second},
                          {"type", 1},
                          {"last_message_id", nullptr},
                          {"flags", 0},
                          {"recipients", Json::array({user_object(user_id)})}});
}

Response FakeDiscord::Impl::channel_message(const Request& request, const Route& route) {
    const std::string& channel_id = route.segments[1];
    {
        std::lock_guard lock(mutex_);
        if (!state_.channels.contains(channel_id)) {
            return error_response(request, http::status::not_found, 10003, "Unknown Channel");
        }
    }
    Json body;
    if (auto refused = parse_json_body(request, body)) return std::move(*refused);
    if (!body.is_object()) {
        Json errors = Json::object();
        add_error(errors, {}, "DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType");
        return invalid_form(request, std::move(errors));
    }
    Json errors = Json::object();
    const bool has_something = check_message(body, errors);
    std::string nonce;
    if (const Json* value = member(body, "nonce")) {
        if (value->is_string() && code_points(value->get_ref<const std::string&>()) <= 25) {
            nonce = value->get<std::string>();
        } else if (value->is_number_integer()) {
            nonce = value->dump();
        } else {
            add_error(errors, {"nonce"}, "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.");
        }
    }
    if (!errors.empty()) return invalid_form(request, std::move(errors));
    if (!has_something) {
        return error_response(request, http::status::bad_request, 50006,
                              "Cannot send an empty message");
    }
    std::lock_guard lock(mutex_);
    const auto recipient = state_.dm_recipients.find(channel_id);
    const std::string recipient_id =
        recipient == state_.dm_recipients.end() ? "" : recipient->second;
    if (!recipient_id.empty() && dms_closed(recipient_id)) {
        return error_response(request, http::status::forbidden, 50007,
                              "Cannot send messages to this user");
    }
    const Json* enforce = member(body, "enforce_nonce");
    const bool enforce_nonce =
        !nonce.empty() && enforce != nullptr && enforce->is_boolean() && *enforce;
    const std::string nonce_key = channel_id + "\n" + nonce;
    if (enforce_nonce) {
        // The earlier message, and nothing new (enforce_nonce,
        // https://discord.com/developers/docs/resources/message#create-message).
        if (auto it = state_.nonces.find(nonce_key); it != state_.nonces.end()) {
            return json_response(request, http::status::ok, it->second);
        }
    }
    Json message = message_object(next_snowflake(), channel_id, body, 0);
    if (!nonce.empty()) message["nonce"] = body["nonce"];
    if (enforce_nonce) state_.nonces[nonce_key] = message;
    state_.messages.push_back({channel_id, recipient_id, body});
    return json_response(request, http::status::ok, message);
}

Json FakeDiscord::Impl::user_object(const std::string& user_id) const {
    const FakeDiscordMember* found = find_member(user_id, "");
    Json user = {
        {"id", user_id},          {"username", found != nullptr ? found->username : user_id},
        {"global_name", nullptr}, {"discriminator", "0"},
        {"avatar", nullptr},      {"public_flags", 0}};
    if (found != nullptr && !found->global_name.empty()) user["global_name"] = found->global_name;
    return user;
}

Json FakeDiscord::Impl::bot_user() const {
    return {{"id", options_.bot_user_id}, {"username", "funnelbot"}, {"global_name", nullptr},
            {"discriminator", "0"},       {"avatar", nullptr},       {"bot", true}};
}

Json FakeDiscord::Impl::message_object(const std::string& id, const std::string& channel_id,
                                       const Json& body, int type) const {
    Json embeds = Json::array();
    if (const Json* sent = member(body, "embeds"); sent != nullptr && sent->is_array()) {
        for (Json embed : *sent) {
            if (embed.is_object() && !embed.contains("type")) embed["type"] = "rich";
            embeds.push_back(std::move(embed));
        }
    }
    Json message = {{"id", id},
                    {"type", type},
                    {"channel_id", channel_id},
                    {"content", string_member(body, "content")},
                    {"embeds", std::move(embeds)},
                    {"author", bot_user()},
                    {"timestamp", iso_now()},
                    {"edited_timestamp", nullptr},
                    {"tts", false},
                    {"mention_everyone", false},
                    {"mentions", Json::array()},
                    {"mention_roles", Json::array()},
                    {"attachments", Json::array()},
                    {"components", Json::array()},
                    {"pinned", false},
                    {"flags", integer_member(body, "flags").value_or(0)}};
    if (type == 20) {
        message["webhook_id"] = options_.application_id;
        message["application_id"] = options_.application_id;
    }
    return message;
}

bool FakeDiscord::Impl::dms_closed(const std::string& user_id) const {
    return std::any_of(state_.members.begin(), state_.members.end(),
                       [&](const auto& m) { return m.user_id == user_id && m.dms_closed; });
}

// With an empty guild_id: any registration of the user.
const FakeDiscordMember* FakeDiscord::Impl::find_member(const std::string& user_id,
                                                        const std::string& guild_id) const {
    for (const auto& m : state_.members) {
        if (m.user_id == user_id && (guild_id.empty() || m.guild_id == guild_id)) return &m;
    }
    return nullptr;
}

// ---- gateway --------------------------------------------------------------------------------

asio::awaitable<void> FakeDiscord::Impl::run_gateway(std::shared_ptr<Connection> connection,
                                                     const Request& request) {
    connection->ws.read_message_max(kMaxGatewayMessage);
    if (!co_await accept_websocket(connection, request, "fake-discord")) co_return;
    gateway_opened(*connection, request);
    const Json query = parse_form(split_target(request.target()).second);
    if (query.value("v", "") != "10") {
        close_socket(*connection, 4012);
    } else if (query.value("encoding", "") != "json") {
        close_socket(*connection, 4002);
    } else {
        connection->send({gateway_frame(10, {{"heartbeat_interval", options_.heartbeat_interval_ms},
                                             {"_trace", {"[\"gateway-fake\",{\"micros\":0.0}]"}}}),
                          std::nullopt, "", ""});
        std::optional<int> fatal;
        {
            std::lock_guard lock(mutex_);
            fatal = state_.fatal_close;
        }
        // A revoked token stays revoked: every connection ends right after Hello.
        if (fatal) close_socket(*connection, *fatal);
    }
    server_.spawn(write_loop(connection));
    co_await read_loop(connection);
    connection->close();
    gateway_closed(*connection);
}

void FakeDiscord::Impl::gateway_opened(Connection& connection, const Request& request) {
    RecordedGatewayConnection record;
    record.resume_listener = connection.resume_listener;
    record.target = std::string(request.target());
    record.host_header = std::string(request[http::field::host]);
    record.opened = Clock::now();
    std::lock_guard lock(mutex_);
    connection.index = static_cast<int>(state_.gateway_connections.size()) + 1;
    record.connection = connection.index;
    state_.gateway_connections.push_back(std::move(record));
    ++state_.open_sockets;
    connection.counted_open = true;
}

void FakeDiscord::Impl::gateway_closed(Connection& connection) {
    if (!connection.counted_open) return;
    connection.counted_open = false;
    std::lock_guard lock(mutex_);
    --state_.open_sockets;
    state_.gateway_connections[static_cast<std::size_t>(connection.index) - 1].closed = true;
    unbind(connection);
}

asio::awaitable<void> FakeDiscord::Impl::read_loop(std::shared_ptr<Connection> connection) {
    beast::flat_buffer buffer;
    for (int i = 0; i < kMaxFramesPerSocket; ++i) {
        auto [ec, bytes] = co_await connection->ws.async_read(buffer, kAwait);
        if (ec) {
            if (ec == websocket::error::closed)
                client_closed(*connection, connection->ws.reason().code);
            co_return;
        }
        const std::string text = beast::buffers_to_string(buffer.data());
        buffer.consume(buffer.size());
        on_payload(connection, text, !connection->ws.got_text());
    }
}

// The only writer on the socket (Beast allows one outstanding write): frames go out in order.
asio::awaitable<void> FakeDiscord::Impl::write_loop(std::shared_ptr<Connection> connection) {
    auto& c = *connection;
    for (int i = 0; i < kMaxFramesPerSocket && c.open; ++i) {
        if (c.outbox.empty()) {
            c.wake.expires_at(asio::steady_timer::time_point::max());
            co_await c.wake.async_wait(kAwait);  // cancelled by send() and close()
            continue;
        }
        Outgoing out = std::move(c.outbox.front());
        c.outbox.pop_front();
        if (out.close_code) {
            auto [close_error] = co_await c.ws.async_close(
                websocket::close_reason(static_cast<websocket::close_code>(*out.close_code),
                                        out.close_reason),
                kAwait);
            // The client's answering close frame is read by async_close, not by the read loop.
            if (!close_error) client_closed(c, c.ws.reason().code);
            co_return;
        }
        // Stamped before and after: a callback racing the write completion still finds a time.
        if (!out.interaction_id.empty()) mark_written(out.interaction_id);
        c.ws.text(true);
        auto [ec, bytes] = co_await c.ws.async_write(asio::buffer(out.text), kAwait);
        if (ec) co_return;
        if (!out.interaction_id.empty()) mark_written(out.interaction_id);
    }
}

void FakeDiscord::Impl::mark_written(const std::string& interaction_id) {
    std::lock_guard lock(mutex_);
    if (auto it = state_.interactions.find(interaction_id); it != state_.interactions.end()) {
        it->second.last_write = Clock::now();
    }
}

void FakeDiscord::Impl::close_socket(Connection& connection, int code) {
    if (connection.closing || !connection.open) return;
    if (ends_session(code)) {
        std::lock_guard lock(mutex_);
        if (!connection.session_id.empty()) invalidate(connection.session_id);
        unbind(connection);
    }
    connection.send_close(code, close_text(code));
}

void FakeDiscord::Impl::client_closed(Connection& connection, int code) {
    std::lock_guard lock(mutex_);
    state_.gateway_connections[static_cast<std::size_t>(connection.index) - 1].client_close_code =
        code;
    // Closing with 1000 or 1001 ends the session; any other code (or none) keeps it resumable.
    // An echo of the fake's own close frame does not count.
    if (!connection.closing && (code == 1000 || code == 1001) && !connection.session_id.empty()) {
        invalidate(connection.session_id);
    }
}

void FakeDiscord::Impl::unbind(Connection& connection) {
    if (connection.session_id.empty()) return;
    if (auto it = state_.sessions.find(connection.session_id); it != state_.sessions.end()) {
        if (it->second.socket.lock().get() == &connection) it->second.socket.reset();
    }
    connection.session_id.clear();
    connection.authenticated = false;
}

void FakeDiscord::Impl::invalidate(const std::string& session_id) {
    if (auto it = state_.sessions.find(session_id); it != state_.sessions.end()) {
        it->second.valid = false;
    }
}

void FakeDiscord::Impl::on_payload(const std::shared_ptr<Connection>& connection,
                                   const std::string& text, bool binary) {
    auto& c = *connection;
    const auto now = Clock::now();
    Json frame = binary ? Json(Json::value_t::discarded) : Json::parse(text, nullptr, false);
    {
        RecordedGatewayPayload record;
        record.connection = c.index;
        record.resume_listener = c.resume_listener;
        record.received = now;
        if (frame.is_object()) {
            if (auto op = integer_member(frame, "op")) record.op = static_cast<int>(*op);
            record.payload = frame;
        } else {
            record.payload = frame.is_discarded() ? Json(text) : frame;
        }
        std::lock_guard lock(mutex_);
        state_.payloads.push_back(std::move(record));
    }
    // After the fake has decided to close, nothing more is acted on.
    if (c.closing) return;
    while (!c.payload_times.empty() && now - c.payload_times.front() >= kGatewayRateWindow) {
        c.payload_times.pop_front();
    }
    c.payload_times.push_back(now);
    if (c.payload_times.size() > kGatewayPayloadsPerWindow) return close_socket(c, 4008);
    if (binary || text.size() > kMaxGatewayPayload || !frame.is_object()) {
        return close_socket(c, 4002);
    }
    const auto op = integer_member(frame, "op");
    if (!op) return close_socket(c, 4002);
    const Json d = frame.contains("d") ? frame["d"] : Json();
    switch (*op) {
        case 1: {
            bool ack = false;
            {
                std::lock_guard lock(mutex_);
                ack = !state_.withhold_acks;
            }
            if (ack) c.send({gateway_frame(11, nullptr), std::nullopt, "", ""});
            return;
        }
        case 2:
            return identify(connection, d);
        case 6:
            return resume(connection, d);
        case 3:
        case 4:
        case 8:
        case 31:
        case 43:
            // Valid send events; the fake has nothing to say to them once authenticated.
            if (!c.authenticated) close_socket(c, 4003);
            return;
        default:
            return close_socket(c, 4001);
    }
}

void FakeDiscord::Impl::identify(const std::shared_ptr<Connection>& connection, const Json& d) {
    auto& c = *connection;
    std::unique_lock lock(mutex_);
    ++state_.identifies;
    if (c.authenticated) {
        lock.unlock();
        return close_socket(c, 4005);
    }
    const Json* token = member(d, "token");
    const Json* properties = member(d, "properties");
    if (token == nullptr || !token->is_string() || properties == nullptr ||
        !properties->is_object()) {
        lock.unlock();
        return close_socket(c, 4002);
    }
    if (token->get<std::string>() != options_.bot_token) {
        lock.unlock();
        return close_socket(c, 4004);
    }
    // Intents are required (v8+); the fake's application has no privileged intent enabled.
    const auto intents = integer_member(d, "intents");
    if (!intents || *intents < 0 || (*intents & ~kKnownIntents) != 0) {
        lock.unlock();
        return close_socket(c, 4013);
    }
    if ((*intents & kPrivilegedIntents) != 0) {
        lock.unlock();
        return close_socket(c, 4014);
    }
    Json shard;
    if (const Json* value = member(d, "shard")) {
        const bool ok = value->is_array() && value->size() == 2 &&
                        (*value)[0].is_number_integer() && (*value)[1].is_number_integer() &&
                        (*value)[0].get<std::int64_t>() >= 0 &&
                        (*value)[0].get<std::int64_t>() < (*value)[1].get<std::int64_t>();
        if (!ok) {
            lock.unlock();
            return close_socket(c, 4010);
        }
        shard = *value;
    }
    // A new session; every earlier one is over.
    for (auto& [id, session] : state_.sessions)
        session.valid = false;
    const std::string session_id = random_hex(state_.random, 16);
    Session& session = state_.sessions[session_id];
    state_.current_session = session_id;
    session.socket = connection;
    c.session_id = session_id;
    c.authenticated = true;
    Json guilds = Json::array();
    for (const auto& guild : state_.guilds)
        guilds.push_back({{"id", guild}, {"unavailable", true}});
    Json user = bot_user();
    user.erase("global_name");
    user.erase("avatar");
    Json ready = {{"v", 10},
                  {"user", std::move(user)},
                  {"guilds", std::move(guilds)},
                  {"session_id", session_id},
                  {"session_type", "normal"},
                  {"resume_gateway_url", "wss://127.0.0.1:" + std::to_string(resume_port_)},
                  {"application", {{"id", options_.application_id}, {"flags", 0}}},
                  {"_trace", {"[\"gateway-fake\",{\"micros\":0.0}]"}}};
    if (!shard.is_null()) ready["shard"] = shard;
    c.send({dispatch_frame(++session.seq, "READY", std::move(ready)), std::nullopt, "", ""});
}

void FakeDiscord::Impl::resume(const std::shared_ptr<Connection>& connection, const Json& d) {
    auto& c = *connection;
    std::unique_lock lock(mutex_);
    ++state_.resumes;
    if (c.authenticated) {
        lock.unlock();
        return close_socket(c, 4005);
    }
    const Json* token = member(d, "token");
    const Json* session_id = member(d, "session_id");
    const Json* seq = member(d, "seq");
    if (token == nullptr || !token->is_string() || session_id == nullptr ||
        !session_id->is_string() || (seq != nullptr && !seq->is_number_integer())) {
        lock.unlock();
        return close_socket(c, 4002);
    }
    if (token->get<std::string>() != options_.bot_token) {
        lock.unlock();
        return close_socket(c, 4004);
    }
    const auto it = state_.sessions.find(session_id->get<std::string>());
    if (it == state_.sessions.end() || !it->second.valid) {
        // The socket stays open: the client may Identify on it or reconnect.
        c.send({gateway_frame(9, false), std::nullopt, "", ""});
        return;
    }
    Session& session = it->second;
    const std::int64_t last = seq != nullptr ? seq->get<std::int64_t>() : 0;
    if (last > session.seq) {
        session.valid = false;
        lock.unlock();
        return close_socket(c, 4007);
    }
    // The session moves to this socket; the old one (if still open) gets nothing more.
    if (auto old = session.socket.lock(); old && old.get() != &c) {
        old->session_id.clear();
        old->authenticated = false;
    }
    session.socket = connection;
    c.session_id = it->first;
    c.authenticated = true;
    for (const auto& dispatch : session.log) {
        if (dispatch.seq > last)
            c.send({dispatch.frame, std::nullopt, "", dispatch.interaction_id});
    }
    c.send({dispatch_frame(++session.seq, "RESUMED", Json::object()), std::nullopt, "", ""});
}

// ---- scripting (fake's thread) ------------------------------------------------------------

// In the order they were upgraded (the server lists them in the order they were accepted).
std::vector<std::shared_ptr<Connection>> FakeDiscord::Impl::gateways(bool usable_only) {
    std::vector<std::shared_ptr<Connection>> out = server_.websockets(usable_only);
    std::sort(out.begin(), out.end(),
              [](const auto& a, const auto& b) { return a->index < b->index; });
    return out;
}

// The most recently opened gateway socket that is still open and not closing.
std::shared_ptr<Connection> FakeDiscord::Impl::current_socket(const char* what) {
    auto open = gateways(true);
    if (open.empty())
        throw std::runtime_error(std::string("fake Discord: no gateway socket for ") + what);
    return open.back();
}

void FakeDiscord::Impl::deliver(const Session& session, const LoggedDispatch& dispatch) {
    auto socket = session.socket.lock();
    if (socket && socket->usable() && socket->authenticated) {
        socket->send({dispatch.frame, std::nullopt, "", dispatch.interaction_id});
    }
}

std::string FakeDiscord::Impl::send_interaction(const FakeInteraction& in) {
    std::lock_guard lock(mutex_);
    const auto session_it = state_.sessions.find(state_.current_session);
    if (session_it == state_.sessions.end()) {
        throw std::runtime_error("fake Discord: send_interaction before any session");
    }
    const bool dm = in.guild_id.empty();
    const FakeDiscordMember* invoker = find_member(in.user_id, in.guild_id);
    if (invoker == nullptr) {
        throw std::runtime_error("fake Discord: unknown member " + in.user_id + " in guild '" +
                                 in.guild_id + "'");
    }
    const auto member_object = [&](const FakeDiscordMember& m) {
        return Json{{"roles", Json::array()},
                    {"premium_since", nullptr},
                    {"permissions", m.permissions},
                    {"pending", false},
                    {"nick", nullptr},
                    {"joined_at", "2024-01-15T09:30:00.000000+00:00"},
                    {"flags", 0},
                    {"avatar", nullptr},
                    {"banner", nullptr},
                    {"communication_disabled_until", nullptr}};
    };
    // USER options (type 6) come with their objects in data.resolved.
    Json resolved_users = Json::object();
    Json resolved_members = Json::object();
    std::vector<const Json*> pending{&in.options};
    for (std::size_t i = 0; i < pending.size() && i < 10000; ++i) {
        const Json& options = *pending[i];
        if (!options.is_array()) continue;
        for (const Json& option : options) {
            if (const Json* nested = member(option, "options")) pending.push_back(nested);
            if (integer_member(option, "type").value_or(0) != 6) continue;
            const std::string user_id = string_member(option, "value");
            if (find_member(user_id, "") == nullptr) {
                throw std::runtime_error("fake Discord: USER option names unknown user " + user_id);
            }
            resolved_users[user_id] = user_object(user_id);
            if (const FakeDiscordMember* m = dm ? nullptr : find_member(user_id, in.guild_id)) {
                resolved_members[user_id] = member_object(*m);
            }
        }
    }
    const std::string id = next_snowflake();
    Interaction interaction;
    interaction.token = random_token(96);
    interaction.channel_id = in.channel_id;
    interaction.created = Clock::now();
    // The command id: the registered one when there is one, else a stable made-up one.
    std::string command_id;
    for (const auto& [key, value] : state_.command_ids) {
        if (key.ends_with("\n1\n" + in.command)) command_id = value;
    }
    if (command_id.empty()) {
        auto [it, fresh] = state_.command_ids.try_emplace("unregistered\n1\n" + in.command, "");
        if (fresh) it->second = next_snowflake();
        command_id = it->second;
    }
    Json data = {{"id", command_id}, {"name", in.command}, {"type", 1}};
    if (!in.options.empty()) data["options"] = in.options;
    if (!resolved_users.empty()) {
        data["resolved"]["users"] = resolved_users;
        if (!resolved_members.empty()) data["resolved"]["members"] = resolved_members;
    }
    Json d = {{"id", id},
              {"application_id", options_.application_id},
              {"type", 2},
              {"data", std::move(data)},
              {"channel_id", in.channel_id},
              {"token", interaction.token},
              {"version", 1},
              {"app_permissions", "2248473465835073"},
              {"locale", "en-US"},
              {"entitlements", Json::array()},
              {"attachment_size_limit", 10485760}};
    if (dm) {
        d["user"] = user_object(in.user_id);
        d["context"] = 1;
        d["channel"] = {{"id", in.channel_id}, {"type", 1}};
        d["authorizing_integration_owners"] = {{"0", "0"}};
        state_.channels[in.channel_id] = "";
        state_.dm_recipients.try_emplace(in.channel_id, in.user_id);
        state_.dm_channels.try_emplace(in.user_id, in.channel_id);
    } else {
        Json m = member_object(*invoker);
        m["user"] = user_object(in.user_id);
        m["mute"] = false;
        m["deaf"] = false;
        d["member"] = std::move(m);
        d["guild_id"] = in.guild_id;
        d["guild"] = {{"id", in.guild_id}, {"locale", "en-US"}, {"features", Json::array()}};
        d["guild_locale"] = "en-US";
        d["context"] = 0;
        d["channel"] = {{"id", in.channel_id}, {"type", 0}, {"guild_id", in.guild_id}};
        d["authorizing_integration_owners"] = {{"0", in.guild_id}};
        state_.channels.try_emplace(in.channel_id, in.guild_id);
    }
    interaction.d = d;
    state_.interaction_tokens[interaction.token] = id;
    state_.interactions.emplace(id, std::move(interaction));
    Session& session = session_it->second;
    const int seq = ++session.seq;
    session.log.push_back({seq, dispatch_frame(seq, "INTERACTION_CREATE", std::move(d)), id});
    deliver(session, session.log.back());
    return id;
}

void FakeDiscord::Impl::resend_interaction(const std::string& interaction_id) {
    std::lock_guard lock(mutex_);
    const auto it = state_.interactions.find(interaction_id);
    if (it == state_.interactions.end()) {
        throw std::runtime_error("fake Discord: unknown interaction " + interaction_id);
    }
    const auto session_it = state_.sessions.find(state_.current_session);
    if (session_it == state_.sessions.end()) {
        throw std::runtime_error("fake Discord: resend_interaction without a session");
    }
    Session& session = session_it->second;
    const int seq = ++session.seq;
    session.log.push_back(
        {seq, dispatch_frame(seq, "INTERACTION_CREATE", it->second.d), interaction_id});
    deliver(session, session.log.back());
}

void FakeDiscord::Impl::send_reconnect() {
    auto socket = current_socket("op 7");
    socket->send({gateway_frame(7, nullptr), std::nullopt, "", ""});
    socket->reconnect_timer.expires_after(kReconnectGrace);
    socket->reconnect_timer.async_wait([this, weak = std::weak_ptr(socket)](error_code ec) {
        if (ec) return;
        if (auto s = weak.lock(); s && s->open) close_socket(*s, 4000);
    });
}

void FakeDiscord::Impl::send_invalid_session(bool resumable) {
    auto socket = current_socket("op 9");
    socket->send({gateway_frame(9, resumable), std::nullopt, "", ""});
    std::lock_guard lock(mutex_);
    if (!resumable) {
        invalidate(socket->session_id.empty() ? state_.current_session : socket->session_id);
    }
    // The socket may Identify (or Resume) again; until then it gets no dispatches.
    unbind(*socket);
}

void FakeDiscord::Impl::request_heartbeat() {
    current_socket("op 1")->send({gateway_frame(1, nullptr), std::nullopt, "", ""});
}

void FakeDiscord::Impl::close_with(int code) {
    {
        std::lock_guard lock(mutex_);
        if (is_fatal_close(code)) state_.fatal_close = code;
    }
    auto open = gateways(true);
    if (!open.empty()) close_socket(*open.back(), code);
}

void FakeDiscord::Impl::drop_connections() {
    for (auto& connection : gateways(false))
        connection->close();
}

// ---- the public face ----------------------------------------------------------------------

FakeDiscord::FakeDiscord(FakeDiscordOptions options)
    : impl_(std::make_unique<Impl>(std::move(options))) {}

FakeDiscord::~FakeDiscord() = default;

int FakeDiscord::port() const {
    return impl_->port_;
}

int FakeDiscord::resume_port() const {
    return impl_->resume_port_;
}

std::string FakeDiscord::api_url() const {
    return "https://localhost:" + std::to_string(impl_->port_) + "/api/v10";
}

std::string FakeDiscord::gateway_url() const {
    return "wss://localhost:" + std::to_string(impl_->port_);
}

std::string FakeDiscord::resume_gateway_url() const {
    return "wss://127.0.0.1:" + std::to_string(impl_->resume_port_);
}

void FakeDiscord::add_member(FakeDiscordMember member) {
    std::lock_guard lock(impl_->mutex_);
    auto& state = impl_->state_;
    if (!member.guild_id.empty() && std::find(state.guilds.begin(), state.guilds.end(),
                                              member.guild_id) == state.guilds.end()) {
        state.guilds.push_back(member.guild_id);
    }
    for (auto& existing : state.members) {
        if (existing.user_id == member.user_id && existing.guild_id == member.guild_id) {
            existing = std::move(member);
            return;
        }
    }
    state.members.push_back(std::move(member));
}

void FakeDiscord::add_channel(std::string channel_id, std::string guild_id) {
    std::lock_guard lock(impl_->mutex_);
    impl_->state_.channels.insert_or_assign(std::move(channel_id), std::move(guild_id));
}

std::string FakeDiscord::send_interaction(const FakeInteraction& interaction) {
    return impl_->server_.run_on_io(
        [impl = impl_.get(), interaction] { return impl->send_interaction(interaction); });
}

void FakeDiscord::resend_interaction(const std::string& interaction_id) {
    impl_->server_.run_on_io(
        [impl = impl_.get(), interaction_id] { impl->resend_interaction(interaction_id); });
}

void FakeDiscord::send_reconnect() {
    impl_->server_.run_on_io([impl = impl_.get()] { impl->send_reconnect(); });
}

void FakeDiscord::send_invalid_session(bool resumable) {
    impl_->server_.run_on_io(
        [impl = impl_.get(), resumable] { impl->send_invalid_session(resumable); });
}

void FakeDiscord::request_heartbeat() {
    impl_->server_.run_on_io([impl = impl_.get()] { impl->request_heartbeat(); });
}

void FakeDiscord::forbid_commands(bool forbidden) {
    std::lock_guard lock(impl_->mutex_);
    impl_->state_.commands_forbidden = forbidden;
}

void FakeDiscord::withhold_acks(bool withhold) {
    std::lock_guard lock(impl_->mutex_);
    impl_->state_.withhold_acks = withhold;
}

void FakeDiscord::close_with(int code) {
    impl_->server_.run_on_io([impl = impl_.get(), code] { impl->close_with(code); });
}

void FakeDiscord::clear_fatal_close() {
    std::lock_guard lock(impl_->mutex_);
    impl_->state_.fatal_close.reset();
}

void FakeDiscord::drop_connections() {
    impl_->server_.run_on_io([impl = impl_.get()] { impl->drop_connections(); });
}

void FakeDiscord::fail_next(std::string prefix, int status, int count, double retry_after_seconds,
                            bool global) {
    std::lock_guard lock(impl_->mutex_);
    impl_->state_.faults.push_back({std::move(prefix), status, count, retry_after_seconds, global});
}

void FakeDiscord::set_bucket_limit(std::string route, int limit, std::chrono::milliseconds window) {
    std::lock_guard lock(impl_->mutex_);
    impl_->state_.bucket_limits.insert_or_assign(std::move(route), BucketLimit{limit, window});
}

std::vector<RecordedRequest> FakeDiscord::requests() const {
    std::lock_guard lock(impl_->mutex_);
    return impl_->state_.requests;
}

std::vector<RecordedCallback> FakeDiscord::callbacks() const {
    std::lock_guard lock(impl_->mutex_);
    return impl_->state_.callbacks;
}

std::size_t FakeDiscord::callback_count() const {
    std::lock_guard lock(impl_->mutex_);
    return impl_->state_.callbacks.size();
}

std::vector<RecordedCallback> FakeDiscord::callbacks_from(std::size_t first) const {
    std::lock_guard lock(impl_->mutex_);
    const auto& all = impl_->state_.callbacks;
    if (first >= all.size()) return {};
    return {all.begin() + static_cast<std::ptrdiff_t>(first), all.end()};
}

std::vector<RecordedWebhookMessage> FakeDiscord::webhook_messages() const {
    std::lock_guard lock(impl_->mutex_);
    return impl_->state_.webhook_messages;
}

std::vector<RecordedMessage> FakeDiscord::messages() const {
    std::lock_guard lock(impl_->mutex_);
    return impl_->state_.messages;
}

std::vector<std::pair<std::string, nlohmann::json>> FakeDiscord::command_registrations() const {
    std::lock_guard lock(impl_->mutex_);
    return impl_->state_.command_registrations;
}

std::vector<RecordedGatewayPayload> FakeDiscord::gateway_payloads() const {
    std::lock_guard lock(impl_->mutex_);
    return impl_->state_.payloads;
}

std::vector<RecordedGatewayConnection> FakeDiscord::gateway_connections() const {
    std::lock_guard lock(impl_->mutex_);
    return impl_->state_.gateway_connections;
}

int FakeDiscord::identify_count() const {
    std::lock_guard lock(impl_->mutex_);
    return impl_->state_.identifies;
}

int FakeDiscord::resume_count() const {
    std::lock_guard lock(impl_->mutex_);
    return impl_->state_.resumes;
}

int FakeDiscord::rate_limited_count() const {
    std::lock_guard lock(impl_->mutex_);
    return impl_->state_.rate_limited;
}

int FakeDiscord::open_gateway_sockets() const {
    std::lock_guard lock(impl_->mutex_);
    return impl_->state_.open_sockets;
}

bool FakeDiscord::wait_until(const std::function<bool()>& predicate,
                             std::chrono::milliseconds timeout) const {
    return fake_server::wait_until(predicate, timeout);
}

}  // namespace funnelbot::testing

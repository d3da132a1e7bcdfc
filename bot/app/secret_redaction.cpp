#include "bot/app/secret_redaction.hpp"

#include <algorithm>
#include <array>
#include <cstddef>
#include <optional>

namespace funnelbot::bot {

namespace {

constexpr std::size_t npos = std::string_view::npos;

bool is_alnum(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

bool is_base64url(char c) {
    return is_alnum(c) || c == '-' || c == '_';
}

char lower(char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

bool equals_ci(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (lower(a[i]) != lower(b[i])) return false;
    }
    return true;
}

bool ends_with_ci(std::string_view s, std::string_view suffix) {
    return s.size() >= suffix.size() && equals_ci(s.substr(s.size() - suffix.size()), suffix);
}

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

// Where a URL or a bare value written into a log line ends.
bool ends_value(char c) {
    static constexpr std::string_view kEnds = " \t\r\n\"'<>`|)]},;";
    return kEnds.find(c) != npos;
}

std::size_t value_end(std::string_view s, std::size_t from, std::string_view also_ends = {}) {
    while (from < s.size() && !ends_value(s[from]) && also_ends.find(s[from]) == npos)
        ++from;
    return from;
}

// A URL with its path (and query) dropped: "https://host:port/x/y" -> "https://host:port/[…]".
// Also with JSON's escaped slashes ("https:\/\/host\/x").
std::string without_path(std::string_view url) {
    std::size_t host = url.find("://");
    if (host != npos) {
        host += 3;
    } else if (host = url.find(":\\/\\/"); host != npos) {
        host += 5;
    } else {
        host = 0;
    }
    std::size_t path = host;
    while (path < url.size() && url[path] != '/' && url[path] != '\\' && url[path] != '?')
        ++path;
    if (path >= url.size()) return std::string(url);
    return std::string(url.substr(0, path)) + "/" + std::string(kRedacted);
}

// A part of a line to replace, and what replaces it.
struct Span {
    std::size_t begin;
    std::size_t end;
    std::string replacement = std::string(kRedacted);
};

// `in` with every span that `span_at(in, i)` finds starting from position i replaced; the scan
// goes on after each replaced span.
template <class SpanAt>
std::string replace_spans(std::string_view in, SpanAt span_at) {
    std::string out;
    std::size_t copied = 0;
    for (std::size_t i = 0; i < in.size(); ++i) {
        const std::optional<Span> span = span_at(in, i);
        if (!span) continue;
        out.append(in.substr(copied, span->begin - copied));
        out += span->replacement;
        copied = span->end;
        i = std::max(span->end, i + 1) - 1;
    }
    out.append(in.substr(copied));
    return out;
}

bool already_redacted(std::string_view in, std::size_t at) {
    return in.substr(at).starts_with(kRedacted);
}

// Keys whose values are secrets: `token=…` (a query), `"bot_token":"…"` (JSON),
// `Authorization: Bot …` (a header) and `"response_url":"…"`.
enum class Secret { none, whole, url_path, credential };

Secret secret_kind(std::string_view key, bool quoted, char separator) {
    if (equals_ci(key, "authorization")) return Secret::credential;
    // `token: …` in prose is no key; `token=` (a query) and `"token":` (JSON) are.
    if (!quoted && separator == ':') return Secret::none;
    if (ends_with_ci(key, "token")) return Secret::whole;
    if (equals_ci(key, "response_url")) return Secret::url_path;
    return Secret::none;
}

// The value of a secret key whose ':' or '=' is at `sep`.
std::optional<Span> key_value_at(std::string_view in, std::size_t sep) {
    if (in[sep] != ':' && in[sep] != '=') return std::nullopt;
    std::size_t key_end = sep;
    const bool quoted = key_end > 0 && (in[key_end - 1] == '"' || in[key_end - 1] == '\'');
    if (quoted) --key_end;
    std::size_t key_begin = key_end;
    while (key_begin > 0 &&
           (is_alnum(in[key_begin - 1]) || in[key_begin - 1] == '_' || in[key_begin - 1] == '-'))
        --key_begin;
    const Secret kind = secret_kind(in.substr(key_begin, key_end - key_begin), quoted, in[sep]);
    if (key_begin == key_end || kind == Secret::none) return std::nullopt;
    std::size_t begin = sep + 1;
    while (begin < in.size() && is_space(in[begin]))
        ++begin;
    std::size_t end = begin;
    if (begin < in.size() && (in[begin] == '"' || in[begin] == '\'')) {
        const char quote = in[begin++];
        end = begin;
        while (end < in.size() && in[end] != quote)
            end += in[end] == '\\' ? 2 : 1;
        end = std::min(end, in.size());
    } else if (kind == Secret::credential) {
        while (end < in.size() && in[end] != '\r' && in[end] != '\n' && in[end] != '"' &&
               in[end] != ',' && in[end] != ';')
            ++end;
    } else {
        end = value_end(in, begin, "&#");
    }
    if (end <= begin || already_redacted(in, begin)) return std::nullopt;
    const std::string_view value = in.substr(begin, end - begin);
    Span span{begin, end};
    if (kind == Secret::url_path) {
        span.replacement = without_path(value);
    } else if (const std::size_t space = value.find(' ');
               kind == Secret::credential && space != npos) {
        // Keep the scheme ("Bot", "Bearer"): it says which kind of credential was sent.
        span.replacement = std::string(value.substr(0, space + 1)) + std::string(kRedacted);
    }
    return span;
}

// https://hooks.slack.com/… (Slack's response URLs and incoming webhooks): the path is the
// secret, https://api.slack.com/interactivity/handling#message_responses
std::optional<Span> slack_hook_at(std::string_view in, std::size_t at) {
    static constexpr std::string_view kHost = "hooks.slack.com";
    if (!equals_ci(in.substr(at, kHost.size()), kHost)) return std::nullopt;
    std::size_t path = at + kHost.size();
    if (path < in.size() && in[path] == ':') {  // a port
        ++path;
        while (path < in.size() && in[path] >= '0' && in[path] <= '9')
            ++path;
    }
    if (path >= in.size() || (in[path] != '/' && in[path] != '\\') ||
        already_redacted(in, path + 1))
        return std::nullopt;
    return Span{path, value_end(in, path), "/" + std::string(kRedacted)};
}

// /interactions/<id>/<token>/callback and /webhooks/<application>/<token>/…: the token segment
// answers for the bot without its bot token,
// https://discord.com/developers/docs/interactions/receiving-and-responding
std::optional<Span> discord_path_token_at(std::string_view in, std::size_t at) {
    static constexpr std::array<std::string_view, 2> kPrefixes{"/interactions/", "/webhooks/"};
    for (std::string_view prefix : kPrefixes) {
        if (in.substr(at, prefix.size()) != prefix) continue;
        const std::size_t id = at + prefix.size();
        const std::size_t id_end = value_end(in, id, "/?#");
        if (id_end == id || id_end >= in.size() || in[id_end] != '/') return std::nullopt;
        const std::size_t token = id_end + 1;
        const std::size_t token_end = value_end(in, token, "/?#");
        if (token_end == token || already_redacted(in, token)) return std::nullopt;
        return Span{token, token_end};
    }
    return std::nullopt;
}

// "Bot <token>" / "Bearer <token>" wherever they appear, as in a dumped request header,
// https://discord.com/developers/docs/reference#authentication
std::optional<Span> credential_at(std::string_view in, std::size_t at) {
    static constexpr std::array<std::string_view, 2> kSchemes{"Bot ", "Bearer "};
    constexpr std::size_t kMinCredential = 16;  // shorter is prose ("Bot tokens are …")
    if (at > 0 && is_alnum(in[at - 1])) return std::nullopt;
    for (std::string_view scheme : kSchemes) {
        if (in.substr(at, scheme.size()) != scheme) continue;
        const std::size_t begin = at + scheme.size();
        std::size_t end = begin;
        while (end < in.size() && (is_base64url(in[end]) || in[end] == '.' || in[end] == '~' ||
                                   in[end] == '+' || in[end] == '/' || in[end] == '='))
            ++end;
        if (end - begin < kMinCredential) return std::nullopt;
        return Span{begin, end};
    }
    return std::nullopt;
}

// Slack tokens by prefix, https://api.slack.com/concepts/token-types: xoxb- (bot), xoxp-
// (user), xapp- (app-level), xoxe- / xoxe.xoxp- (refresh and rotating), xoxa-, xoxr-, xoxs-.
std::optional<Span> slack_token_at(std::string_view in, std::size_t at) {
    constexpr std::size_t kPrefix = 5;
    if (at + kPrefix > in.size() || (at > 0 && is_alnum(in[at - 1]))) return std::nullopt;
    const bool app = in.substr(at, kPrefix) == "xapp-";
    const bool xox = in.substr(at, 3) == "xox" && in[at + 3] >= 'a' && in[at + 3] <= 'z' &&
                     (in[at + 4] == '-' || in[at + 4] == '.');
    if (!app && !xox) return std::nullopt;
    const std::size_t begin = at + kPrefix;
    std::size_t end = begin;
    while (end < in.size() && (is_alnum(in[end]) || in[end] == '-' || in[end] == '.'))
        ++end;
    if (end == begin) return std::nullopt;  // "xoxb-…" in a help text holds no token
    return Span{begin, end};
}

// Discord bot tokens: base64 of the bot's id, a dot, a timestamp part, a dot, an HMAC part,
// https://discord.com/developers/docs/reference#authentication
std::optional<Span> discord_token_at(std::string_view in, std::size_t at) {
    constexpr std::array<std::size_t, 3> kMinParts{16, 4, 16};    // id, timestamp, HMAC
    if (at > 0 && is_base64url(in[at - 1])) return std::nullopt;  // parts start after a non-part
    std::size_t end = at;
    for (std::size_t part = 0; part < kMinParts.size(); ++part) {
        if (part > 0) {
            if (end >= in.size() || in[end] != '.') return std::nullopt;
            ++end;
        }
        const std::size_t begin = end;
        while (end < in.size() && is_base64url(in[end]))
            ++end;
        if (end - begin < kMinParts[part]) return std::nullopt;
    }
    return Span{at, end};
}

}  // namespace

std::string redact_secrets(std::string_view text) {
    std::string out = replace_spans(text, key_value_at);
    out = replace_spans(out, slack_hook_at);
    out = replace_spans(out, discord_path_token_at);
    out = replace_spans(out, credential_at);
    out = replace_spans(out, slack_token_at);
    return replace_spans(out, discord_token_at);
}

}  // namespace funnelbot::bot

#include "bot/app/secret_redaction.hpp"

#include <algorithm>
#include <array>
#include <cstddef>

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

std::size_t find_ci(std::string_view s, std::string_view needle, std::size_t from) {
    for (std::size_t i = from; i + needle.size() <= s.size(); ++i) {
        if (equals_ci(s.substr(i, needle.size()), needle)) return i;
    }
    return npos;
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

// Redacts the values of secret keys (see secret_kind).
std::string redact_key_values(std::string_view in) {
    std::string out;
    std::size_t copied = 0;
    for (std::size_t sep = 0; sep < in.size(); ++sep) {
        if (in[sep] != ':' && in[sep] != '=') continue;
        std::size_t key_end = sep;
        const bool quoted = key_end > 0 && (in[key_end - 1] == '"' || in[key_end - 1] == '\'');
        if (quoted) --key_end;
        std::size_t key_begin = key_end;
        while (key_begin > 0 && (is_alnum(in[key_begin - 1]) || in[key_begin - 1] == '_' ||
                                 in[key_begin - 1] == '-'))
            --key_begin;
        if (key_begin == key_end || key_begin < copied) continue;
        const Secret kind = secret_kind(in.substr(key_begin, key_end - key_begin), quoted, in[sep]);
        if (kind == Secret::none) continue;
        std::size_t begin = sep + 1;
        while (begin < in.size() && is_space(in[begin]))
            ++begin;
        std::size_t end = 0;
        if (begin < in.size() && (in[begin] == '"' || in[begin] == '\'')) {
            const char quote = in[begin++];
            end = begin;
            while (end < in.size() && in[end] != quote)
                end += in[end] == '\\' ? 2 : 1;
            end = std::min(end, in.size());
        } else if (kind == Secret::credential) {
            end = begin;
            while (end < in.size() && in[end] != '\r' && in[end] != '\n' && in[end] != '"' &&
                   in[end] != ',' && in[end] != ';')
                ++end;
        } else {
            end = value_end(in, begin, "&#");
        }
        std::string_view value = in.substr(begin, end - begin);
        if (value.empty() || in.substr(begin).starts_with(kRedacted)) continue;
        std::string replacement;
        switch (kind) {
            case Secret::url_path:
                replacement = without_path(value);
                break;
            case Secret::credential: {
                // Keep the scheme ("Bot", "Bearer"): it says which kind of credential was sent.
                const std::size_t space = value.find(' ');
                replacement = space == npos ? std::string(kRedacted)
                                            : std::string(value.substr(0, space + 1)) +
                                                  std::string(kRedacted);
                break;
            }
            default:
                replacement = kRedacted;
        }
        out.append(in.substr(copied, begin - copied));
        out += replacement;
        copied = end;
        sep = end - 1;
    }
    out.append(in.substr(copied));
    return out;
}

// https://hooks.slack.com/… (Slack's response URLs and incoming webhooks): the path is the
// secret, https://api.slack.com/interactivity/handling#message_responses
std::string redact_slack_hooks(std::string_view in) {
    static constexpr std::string_view kHost = "hooks.slack.com";
    std::string out;
    std::size_t copied = 0;
    for (std::size_t at = find_ci(in, kHost, 0); at != npos; at = find_ci(in, kHost, copied)) {
        std::size_t path = at + kHost.size();
        if (path < in.size() && in[path] == ':') {  // a port
            ++path;
            while (path < in.size() && in[path] >= '0' && in[path] <= '9')
                ++path;
        }
        const bool has_path = path < in.size() && (in[path] == '/' || in[path] == '\\') &&
                              in.substr(path + 1, kRedacted.size()) != kRedacted;
        if (!has_path) {
            out.append(in.substr(copied, path - copied));
            copied = path;
            continue;
        }
        out.append(in.substr(copied, path - copied));
        out += "/";
        out += kRedacted;
        copied = value_end(in, path);
    }
    out.append(in.substr(copied));
    return out;
}

// /interactions/<id>/<token>/callback and /webhooks/<application>/<token>/…: the token segment
// answers for the bot without its bot token,
// https://discord.com/developers/docs/interactions/receiving-and-responding
std::string redact_discord_paths(std::string_view in) {
    static constexpr std::array<std::string_view, 2> kPrefixes{"/interactions/", "/webhooks/"};
    std::string out;
    std::size_t copied = 0;
    for (std::size_t i = 0; i < in.size(); ++i) {
        if (in[i] != '/') continue;
        for (std::string_view prefix : kPrefixes) {
            if (in.substr(i, prefix.size()) != prefix) continue;
            const std::size_t id = i + prefix.size();
            const std::size_t id_end = value_end(in, id, "/?#");
            if (id_end == id || id_end >= in.size() || in[id_end] != '/') break;
            const std::size_t token = id_end + 1;
            const std::size_t token_end = value_end(in, token, "/?#");
            if (token_end == token || in.substr(token).starts_with(kRedacted)) break;
            out.append(in.substr(copied, token - copied));
            out += kRedacted;
            copied = token_end;
            i = token_end - 1;
            break;
        }
    }
    out.append(in.substr(copied));
    return out;
}

// "Bot <token>" / "Bearer <token>" wherever they appear, as in a dumped request header,
// https://discord.com/developers/docs/reference#authentication
std::string redact_credentials(std::string_view in) {
    static constexpr std::array<std::string_view, 2> kSchemes{"Bot ", "Bearer "};
    constexpr std::size_t kMinCredential = 16;  // shorter is prose ("Bot tokens are …")
    const auto credential_char = [](char c) {
        return is_base64url(c) || c == '.' || c == '~' || c == '+' || c == '/' || c == '=';
    };
    std::string out;
    std::size_t copied = 0;
    for (std::size_t i = 0; i < in.size(); ++i) {
        if (i > 0 && is_alnum(in[i - 1])) continue;
        for (std::string_view scheme : kSchemes) {
            if (in.substr(i, scheme.size()) != scheme) continue;
            const std::size_t begin = i + scheme.size();
            std::size_t end = begin;
            while (end < in.size() && credential_char(in[end]))
                ++end;
            if (end - begin < kMinCredential) break;
            out.append(in.substr(copied, begin - copied));
            out += kRedacted;
            copied = end;
            i = end - 1;
            break;
        }
    }
    out.append(in.substr(copied));
    return out;
}

// Slack tokens by prefix, https://api.slack.com/concepts/token-types: xoxb- (bot), xoxp-
// (user), xapp- (app-level), xoxe- / xoxe.xoxp- (refresh and rotating), xoxa-, xoxr-, xoxs-.
std::string redact_slack_tokens(std::string_view in) {
    std::string out;
    std::size_t copied = 0;
    for (std::size_t i = 0; i + 5 <= in.size(); ++i) {
        if (i > 0 && is_alnum(in[i - 1])) continue;
        std::size_t prefix = 0;
        if (in.substr(i, 5) == "xapp-") {
            prefix = 5;
        } else if (in.substr(i, 3) == "xox" && in[i + 3] >= 'a' && in[i + 3] <= 'z' &&
                   (in[i + 4] == '-' || in[i + 4] == '.')) {
            prefix = 5;
        }
        if (prefix == 0) continue;
        const std::size_t begin = i + prefix;
        std::size_t end = begin;
        while (end < in.size() && (is_alnum(in[end]) || in[end] == '-' || in[end] == '.'))
            ++end;
        if (end == begin) continue;  // "xoxb-…" in a help text holds no token
        out.append(in.substr(copied, begin - copied));
        out += kRedacted;
        copied = end;
        i = end - 1;
    }
    out.append(in.substr(copied));
    return out;
}

// Discord bot tokens: base64 of the bot's id, a dot, a timestamp part, a dot, an HMAC part,
// https://discord.com/developers/docs/reference#authentication
std::string redact_discord_tokens(std::string_view in) {
    constexpr std::size_t kMinId = 16;
    constexpr std::size_t kMinTimestamp = 4;
    constexpr std::size_t kMinHmac = 16;
    std::string out;
    std::size_t copied = 0;
    std::size_t i = 0;
    while (i < in.size()) {
        if (!is_base64url(in[i])) {
            ++i;
            continue;
        }
        // One dotted run: split it into parts and look for a token's three in a row.
        std::size_t run_end = i;
        while (run_end < in.size() && (is_base64url(in[run_end]) || in[run_end] == '.'))
            ++run_end;
        const auto part_end = [&](std::size_t from) {
            while (from < run_end && in[from] != '.')
                ++from;
            return from;
        };
        for (std::size_t p = i; p < run_end;) {
            const std::size_t a_end = part_end(p);
            if (a_end == run_end) break;
            const std::size_t b_end = part_end(a_end + 1);
            if (b_end == run_end) break;
            const std::size_t c_end = part_end(b_end + 1);
            if (a_end - p >= kMinId && b_end - a_end - 1 >= kMinTimestamp &&
                c_end - b_end - 1 >= kMinHmac) {
                out.append(in.substr(copied, p - copied));
                out += kRedacted;
                copied = c_end;
                p = c_end + 1;
            } else {
                p = a_end + 1;
            }
        }
        i = run_end;
    }
    out.append(in.substr(copied));
    return out;
}

}  // namespace

std::string redact_secrets(std::string_view text) {
    std::string out = redact_key_values(text);
    out = redact_slack_hooks(out);
    out = redact_discord_paths(out);
    out = redact_credentials(out);
    out = redact_slack_tokens(out);
    return redact_discord_tokens(out);
}

}  // namespace funnelbot::bot

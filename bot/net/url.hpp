// https:// and wss:// URLs as the transports need them.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace funnelbot::bot {

struct Url {
    std::string scheme;  // "https" or "wss" (lower-case)
    std::string host;    // without brackets for IPv6 literals
    std::string port;    // explicit or the scheme's default ("443")
    std::string target;  // path and query, at least "/"

    // Accepts only https and wss (TLS always); nullopt for anything else or a malformed URL.
    static std::optional<Url> parse(std::string_view text);
    // "host" or "host:port" when the port is not the default, for the Host header.
    std::string host_header() const;
    // Appends `path` (without its leading '/') to a base URL that ends with '/'.
    Url join(std::string_view path) const;
};

}  // namespace funnelbot::bot

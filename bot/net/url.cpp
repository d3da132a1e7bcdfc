#include "bot/net/url.hpp"

#include <algorithm>
#include <cctype>

namespace funnelbot::bot {

std::optional<Url> Url::parse(std::string_view text) {
    const auto sep = text.find("://");
    if (sep == std::string_view::npos) return std::nullopt;
    Url url;
    url.scheme = std::string(text.substr(0, sep));
    std::transform(url.scheme.begin(), url.scheme.end(), url.scheme.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (url.scheme != "https" && url.scheme != "wss") return std::nullopt;
    std::string_view rest = text.substr(sep + 3);
    const auto slash = rest.find_first_of("/?");
    std::string_view authority = rest.substr(0, slash);
    url.target = slash == std::string_view::npos ? "/" : std::string(rest.substr(slash));
    if (!url.target.empty() && url.target.front() == '?') url.target.insert(0, "/");
    if (authority.empty() || authority.find('@') != std::string_view::npos) return std::nullopt;
    if (authority.front() == '[') {
        const auto close = authority.find(']');
        if (close == std::string_view::npos) return std::nullopt;
        url.host = std::string(authority.substr(1, close - 1));
        authority.remove_prefix(close + 1);
        if (!authority.empty()) {
            if (authority.front() != ':') return std::nullopt;
            url.port = std::string(authority.substr(1));
        }
    } else {
        const auto colon = authority.rfind(':');
        url.host = std::string(authority.substr(0, colon));
        if (colon != std::string_view::npos) url.port = std::string(authority.substr(colon + 1));
    }
    if (url.host.empty()) return std::nullopt;
    if (url.port.empty()) {
        url.port = "443";
    } else if (!std::all_of(url.port.begin(), url.port.end(),
                            [](unsigned char c) { return std::isdigit(c) != 0; }) ||
               url.port.size() > 5 || std::stoi(url.port) == 0 || std::stoi(url.port) > 65535) {
        return std::nullopt;
    }
    return url;
}

std::string Url::host_header() const {
    const bool v6 = host.find(':') != std::string::npos;
    std::string h = v6 ? "[" + host + "]" : host;
    return port == "443" ? h : h + ":" + port;
}

Url Url::join(std::string_view path) const {
    Url out = *this;
    while (!path.empty() && path.front() == '/')
        path.remove_prefix(1);
    if (out.target.empty() || out.target.back() != '/') out.target += '/';
    out.target += path;
    return out;
}

}  // namespace funnelbot::bot

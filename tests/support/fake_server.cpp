#include "tests/support/fake_server.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>

namespace funnelbot::testing {

namespace fake_server {

namespace {

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

std::string url_decode(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '+') {
            out += ' ';
        } else if (text[i] == '%' && i + 2 < text.size() && hex_value(text[i + 1]) >= 0 &&
                   hex_value(text[i + 2]) >= 0) {
            out += static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2]));
            i += 2;
        } else {
            out += text[i];
        }
    }
    return out;
}

}  // namespace

ssl::context load_server_tls(const std::string& cert_file, const std::string& key_file,
                             std::string_view who) {
    ssl::context tls(ssl::context::tls_server);
    tls.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                    ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
    error_code ec;
    tls.use_certificate_chain_file(cert_file, ec);
    if (ec) throw std::runtime_error(std::string(who) + ": cannot load " + cert_file);
    tls.use_private_key_file(key_file, ssl::context::pem, ec);
    if (ec) throw std::runtime_error(std::string(who) + ": cannot load " + key_file);
    return tls;
}

int bind_loopback(tcp::acceptor& acceptor) {
    const tcp::endpoint loopback(asio::ip::make_address("127.0.0.1"), 0);
    acceptor.open(loopback.protocol());
    acceptor.set_option(tcp::acceptor::reuse_address(true));
    acceptor.bind(loopback);
    acceptor.listen();
    return acceptor.local_endpoint().port();
}

void log_exception(std::string_view who, std::exception_ptr error) {
    if (!error) return;
    const std::string name(who);
    try {
        std::rethrow_exception(error);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "%s: %s\n", name.c_str(), e.what());
    } catch (...) {
        std::fprintf(stderr, "%s: unknown exception\n", name.c_str());
    }
}

std::pair<std::string, std::string> split_target(std::string_view target) {
    const auto q = target.find('?');
    if (q == std::string_view::npos) return {std::string(target), ""};
    return {std::string(target.substr(0, q)), std::string(target.substr(q + 1))};
}

nlohmann::json parse_form(std::string_view text) {
    nlohmann::json out = nlohmann::json::object();
    while (!text.empty()) {
        const auto amp = text.find('&');
        const auto pair = text.substr(0, amp);
        text = amp == std::string_view::npos ? std::string_view{} : text.substr(amp + 1);
        if (pair.empty()) continue;
        const auto eq = pair.find('=');
        const auto key = url_decode(pair.substr(0, eq));
        out[key] = eq == std::string_view::npos ? "" : url_decode(pair.substr(eq + 1));
    }
    return out;
}

bool starts_with_ci(std::string_view text, std::string_view prefix) {
    if (text.size() < prefix.size()) return false;
    return std::equal(prefix.begin(), prefix.end(), text.begin(), [](char a, char b) {
        return std::tolower(static_cast<unsigned char>(a)) ==
               std::tolower(static_cast<unsigned char>(b));
    });
}

Response http_response(const Request& request, std::string_view server, http::status status,
                       std::string_view content_type, std::string body) {
    Response response{status, request.version()};
    response.set(http::field::server, server);
    if (!content_type.empty()) response.set(http::field::content_type, content_type);
    // Connection: close only when the client asked for it (Beast derives it from the request).
    response.keep_alive(request.keep_alive());
    response.body() = std::move(body);
    response.prepare_payload();
    return response;
}

RecordedRequest record_of(const Request& request, Clock::time_point received) {
    RecordedRequest record;
    record.method = std::string(request.method_string());
    record.target = std::string(request.target());
    for (const auto& field : request) {
        record.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
    }
    record.body = request.body();
    record.time = received;
    return record;
}

std::string random_hex(std::mt19937_64& random, int bytes) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string out;
    for (int i = 0; i < bytes; ++i) {
        const auto byte = static_cast<unsigned>(random() & 0xffU);
        out += kDigits[byte >> 4];
        out += kDigits[byte & 0xfU];
    }
    return out;
}

bool wait_until(const std::function<bool()>& predicate, std::chrono::milliseconds timeout) {
    const auto deadline = Clock::now() + timeout;
    for (;;) {
        if (predicate()) return true;
        if (Clock::now() >= deadline) return false;
        std::this_thread::sleep_for(kPollInterval);
    }
}

}  // namespace fake_server

std::string RecordedRequest::header(std::string_view name) const {
    for (const auto& [key, value] : headers) {
        if (key.size() == name.size() && fake_server::starts_with_ci(key, name)) return value;
    }
    return "";
}

}  // namespace funnelbot::testing

#include "storage/customer_key.hpp"

#include <algorithm>
#include <array>
#include <vector>

namespace funnelbot::storage {
namespace {

constexpr std::array<std::string_view, 19> kLegalSuffixes = {
    "inc", "llc",  "ltd", "gmbh", "corp", "corporation", "co",  "company", "plc",          "ag",
    "sa",  "sarl", "bv",  "nv",   "srl",  "spa",         "pty", "limited", "incorporated",
};

bool is_legal_suffix(std::string_view word) {
    return std::find(kLegalSuffixes.begin(), kLegalSuffixes.end(), word) != kLegalSuffixes.end();
}

bool is_ascii_alnum(unsigned char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

}  // namespace

std::string customer_key(std::string_view name) {
    // Words split at whitespace and punctuation. Dots and apostrophes vanish inside a word
    // instead, so abbreviations stay one word: "S.A." -> "sa", "A.C.M.E." -> "acme".
    std::vector<std::string> words(1);
    for (const char ch : name) {
        const auto c = static_cast<unsigned char>(ch);
        if (c >= 0x80) {
            words.back().push_back(ch);  // UTF-8 bytes: kept as they are
        } else if (is_ascii_alnum(c)) {
            words.back().push_back(static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c));
        } else if (c == '.' || c == '\'') {
            continue;
        } else if (!words.back().empty()) {
            words.emplace_back();
        }
    }
    if (words.back().empty()) {
        words.pop_back();
    }
    // "Acme Co., Ltd." drops both; a name that is only a suffix ("Inc") keeps its one word.
    while (words.size() > 1 && is_legal_suffix(words.back())) {
        words.pop_back();
    }
    std::string key;
    for (const auto& w : words) {
        key += w;
    }
    return key;
}

}  // namespace funnelbot::storage

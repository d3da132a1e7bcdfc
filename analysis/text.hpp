// Wording helpers shared by the analysis sources: name ordering, lists in plain English and
// percentages shown as "80 %". Internal to analysis/, but harmless to include elsewhere.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/share.hpp"

namespace funnelbot::analysis::text {

// Case-insensitive (ASCII) order, then exact order so equal-looking names still sort stably.
// One pass with ASCII folding written out: std::tolower is a call per character (the C locale,
// which funnelbot never changes, folds exactly A-Z), and sorting names is most of a check's
// analysis time. Bytes equal as they are are equal folded, so a shared prefix ("Customer 0412",
// "Customer 0418") is skipped eight bytes at a time before any folding.
inline bool name_less(std::string_view a, std::string_view b) {
    const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; };
    const std::size_t n = std::min(a.size(), b.size());
    std::size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        std::uint64_t x = 0;
        std::uint64_t y = 0;
        std::memcpy(&x, a.data() + i, 8);
        std::memcpy(&y, b.data() + i, 8);
        if (x != y) break;
    }
    for (; i < n; ++i) {
        const char x = lower(a[i]);
        const char y = lower(b[i]);
        if (x != y) {
            return x < y;
        }
    }
    if (a.size() != b.size()) {
        return a.size() < b.size();
    }
    return a < b;
}

// "80 %"
inline std::string percent(const Share& share) {
    return std::to_string(share.percent()) + " %";
}

// "A", "A and B", "A, B and C".
inline std::string join_and(const std::vector<std::string>& items) {
    std::string out;
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (i > 0) {
            out += (i + 1 == items.size()) ? " and " : ", ";
        }
        out += items[i];
    }
    return out;
}

// "1 opportunity", "3 opportunities".
inline std::string count_of(std::int64_t n, std::string_view one, std::string_view many) {
    return std::to_string(n) + " " + std::string(n == 1 ? one : many);
}

// How a line is written in a command: quoted when it has a space.
inline std::string command_word(const std::string& name) {
    return name.find(' ') == std::string::npos ? name : "\"" + name + "\"";
}

}  // namespace funnelbot::analysis::text

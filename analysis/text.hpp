// Wording helpers shared by the analysis sources: name ordering, lists in plain English and
// percentages shown as "80 %". Internal to analysis/, but harmless to include elsewhere.
#pragma once

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/share.hpp"

namespace funnelbot::analysis::text {

// Case-insensitive (ASCII) order, then exact order so equal-looking names still sort stably.
inline bool name_less(std::string_view a, std::string_view b) {
    const auto lower = [](char c) {
        return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    };
    const bool less =
        std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end(),
                                     [&](char x, char y) { return lower(x) < lower(y); });
    if (less) {
        return true;
    }
    const bool greater =
        std::lexicographical_compare(b.begin(), b.end(), a.begin(), a.end(),
                                     [&](char x, char y) { return lower(x) < lower(y); });
    return !greater && a < b;
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

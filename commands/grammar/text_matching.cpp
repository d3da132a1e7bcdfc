#include "commands/grammar/text_matching.hpp"

#include <algorithm>
#include <cctype>
#include <cstddef>
#include <utility>

namespace funnelbot::commands {

namespace {

char lower_char(char c) {
    return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
}

}  // namespace

std::optional<std::string> did_you_mean(std::string_view typed,
                                        const std::vector<std::string>& candidates) {
    const std::string a = to_lower(typed);
    const std::size_t threshold = std::max<std::size_t>(1, a.size() / 3);
    std::optional<std::string> best;
    std::size_t best_distance = threshold + 1;
    // Three rows of the edit-distance table: the one before last is needed for transpositions.
    std::vector<std::size_t> before_prev;
    std::vector<std::size_t> prev;
    std::vector<std::size_t> row;
    for (const std::string& candidate : candidates) {
        const std::string b = to_lower(candidate);
        // Lengths alone already rule this one out.
        const std::size_t diff = a.size() > b.size() ? a.size() - b.size() : b.size() - a.size();
        if (diff >= best_distance) {
            continue;
        }
        // Levenshtein plus adjacent transpositions as one edit ("lsit" -> "list"), the
        // commonest typo (optimal string alignment distance).
        before_prev.assign(b.size() + 1, 0);
        prev.resize(b.size() + 1);
        row.resize(b.size() + 1);
        for (std::size_t j = 0; j <= b.size(); ++j) {
            prev[j] = j;
        }
        for (std::size_t i = 1; i <= a.size(); ++i) {
            row[0] = i;
            for (std::size_t j = 1; j <= b.size(); ++j) {
                const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
                row[j] = std::min({prev[j] + 1, row[j - 1] + 1, prev[j - 1] + cost});
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
                    row[j] = std::min(row[j], before_prev[j - 2] + 1);
                }
            }
            std::swap(before_prev, prev);
            std::swap(prev, row);
        }
        if (prev[b.size()] < best_distance) {
            best_distance = prev[b.size()];
            best = candidate;
        }
    }
    return best;
}

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return lower_char(x) == lower_char(y);
           });
}

std::string to_lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), lower_char);
    return out;
}

}  // namespace funnelbot::commands

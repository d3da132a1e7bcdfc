// Matching what users type against names: case-insensitive equality and "did you mean" for
// every unknown name.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace funnelbot::commands {

// The closest candidate by case-insensitive edit distance (an adjacent transposition counts
// as one edit), if close enough to be a likely typo (distance <= max(1, len/3)); ties go to
// the earlier candidate; nullopt otherwise.
std::optional<std::string> did_you_mean(std::string_view typed,
                                        const std::vector<std::string>& candidates);

// Case-insensitive ASCII equality, used for every name match in commands.
bool iequals(std::string_view a, std::string_view b);
std::string to_lower(std::string_view s);

}  // namespace funnelbot::commands

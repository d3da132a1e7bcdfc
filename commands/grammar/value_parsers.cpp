#include "commands/grammar/value_parsers.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <utility>

namespace funnelbot::commands {
namespace {

constexpr std::string_view kMoneyForms = "Use 25000, 25k, $25,000, 1.2m or 25000.50.";

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

char lower_char(char c) {
    return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
}

std::string_view trim(std::string_view s) {
    const auto space = [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; };
    while (!s.empty() && space(s.front())) {
        s.remove_prefix(1);
    }
    while (!s.empty() && space(s.back())) {
        s.remove_suffix(1);
    }
    return s;
}

// Lower-case letters and digits only: "Closed-Won", "closed won" and "closedwon" compare equal.
std::string squash(std::string_view s) {
    std::string out;
    for (char c : s) {
        if (std::isalnum(static_cast<unsigned char>(c)) != 0) {
            out.push_back(lower_char(c));
        }
    }
    return out;
}

std::string in_quotes(std::string_view s) {
    return "\"" + std::string(s) + "\"";
}

UserError money_error(std::string_view text, std::string_view why) {
    return UserError{in_quotes(text) + " " + std::string(why) + ". " + std::string(kMoneyForms)};
}

// Currency symbols accepted before (or after) an amount; the workspace has one currency, so
// the symbol is decoration.
constexpr std::array<std::string_view, 4> kCurrencySymbols = {
    "$", "\xE2\x82\xAC" /* € */, "\xC2\xA3" /* £ */, "\xC2\xA5" /* ¥ */};

bool strip_symbol_prefix(std::string_view& s) {
    for (std::string_view sym : kCurrencySymbols) {
        if (s.starts_with(sym)) {
            s.remove_prefix(sym.size());
            s = trim(s);
            return true;
        }
    }
    return false;
}

bool strip_symbol_suffix(std::string_view& s) {
    for (std::string_view sym : kCurrencySymbols) {
        if (s.ends_with(sym)) {
            s.remove_suffix(sym.size());
            s = trim(s);
            return true;
        }
    }
    return false;
}

bool mul_overflows(std::int64_t a, std::int64_t b, std::int64_t& out) {
    return __builtin_mul_overflow(a, b, &out);
}

bool add_overflows(std::int64_t a, std::int64_t b, std::int64_t& out) {
    return __builtin_add_overflow(a, b, &out);
}

std::int64_t pow10(int n) {
    std::int64_t v = 1;
    while (n-- > 0) {
        v *= 10;
    }
    return v;
}

constexpr std::array<std::string_view, 12> kMonthNames = {
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December"};

bool parse_uint(std::string_view s, std::size_t min_digits, std::size_t max_digits, int& out) {
    if (s.size() < min_digits || s.size() > max_digits) {
        return false;
    }
    int v = 0;
    for (char c : s) {
        if (!is_digit(c)) {
            return false;
        }
        v = v * 10 + (c - '0');
    }
    out = v;
    return true;
}

}  // namespace

Result<Money> parse_money(std::string_view text) {
    std::string_view s = trim(text);
    if (s.empty()) {
        return UserError{"The amount is empty. " + std::string(kMoneyForms)};
    }
    bool negative = false;
    if (s.front() == '-') {
        negative = true;
        s = trim(s.substr(1));
    }
    const bool had_prefix = strip_symbol_prefix(s);
    if (!s.empty() && s.front() == '-') {
        negative = true;
        s = trim(s.substr(1));
    }
    if (!had_prefix) {
        strip_symbol_suffix(s);
    }

    // integer part, with optional thousands commas
    std::size_t i = 0;
    std::string int_digits;
    std::size_t group_len = 0;
    bool saw_comma = false;
    bool bad_commas = false;
    while (i < s.size() && (is_digit(s[i]) || s[i] == ',')) {
        if (s[i] == ',') {
            // A comma must follow 1-3 digits (first group) or exactly 3 (later groups).
            if (group_len == 0 || group_len > 3 || (saw_comma && group_len != 3)) {
                bad_commas = true;
            }
            saw_comma = true;
            group_len = 0;
        } else {
            int_digits.push_back(s[i]);
            ++group_len;
        }
        ++i;
    }
    if (saw_comma && group_len != 3) {
        bad_commas = true;
    }
    std::string frac_digits;
    bool saw_point = false;
    if (i < s.size() && s[i] == '.') {
        saw_point = true;
        ++i;
        while (i < s.size() && is_digit(s[i])) {
            frac_digits.push_back(s[i]);
            ++i;
        }
    }
    int scale_digits = 0;  // the suffix's power of ten
    if (i < s.size() && (s[i] == 'k' || s[i] == 'K')) {
        scale_digits = 3;
        ++i;
    } else if (i < s.size() && (s[i] == 'm' || s[i] == 'M')) {
        scale_digits = 6;
        ++i;
    }
    const bool well_formed = i == s.size() && (!int_digits.empty() || !frac_digits.empty()) &&
                             !(saw_point && frac_digits.empty());
    if (!well_formed) {
        return money_error(text, "is not an amount");
    }
    if (negative) {
        return money_error(text, "is negative: amounts are zero or more");
    }
    if (bad_commas) {
        return money_error(text, "has misplaced commas: group thousands by three, like 250,000");
    }
    // With k or m the decimals may go further ("1.255m"), as long as the result is whole cents.
    const std::size_t max_frac = 2 + static_cast<std::size_t>(scale_digits);
    if (frac_digits.size() > max_frac) {
        return money_error(
            text, scale_digits == 0 ? "has more than two decimals" : "is more precise than a cent");
    }

    // value = (int_digits.frac_digits) * 10^scale * 100, computed as an integer of cents.
    std::int64_t cents = 0;
    const auto too_large = [&] { return money_error(text, "is too large for an amount"); };
    for (char c : int_digits) {
        if (mul_overflows(cents, 10, cents) || add_overflows(cents, c - '0', cents)) {
            return too_large();
        }
    }
    for (char c : frac_digits) {
        if (mul_overflows(cents, 10, cents) || add_overflows(cents, c - '0', cents)) {
            return too_large();
        }
    }
    const int shift = 2 + scale_digits - static_cast<int>(frac_digits.size());
    if (mul_overflows(cents, pow10(shift), cents)) {
        return too_large();
    }
    if (cents > kMaxAmount) {
        return money_error(text, "is above the largest amount funnelbot takes, 1,000,000,000,000");
    }
    return Money{cents};
}

std::string format_money(Money amount, std::string_view currency) {
    const bool negative = amount < 0;
    // Negate as unsigned so INT64_MIN does not overflow.
    const std::uint64_t magnitude =
        negative ? 0 - static_cast<std::uint64_t>(amount) : static_cast<std::uint64_t>(amount);
    const std::uint64_t units = magnitude / 100;
    const std::uint64_t cents = magnitude % 100;

    std::string digits = std::to_string(units);
    std::string grouped;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) {
            grouped.push_back(',');
        }
        grouped.push_back(digits[i]);
    }
    if (cents != 0) {
        grouped.push_back('.');
        grouped.push_back(static_cast<char>('0' + cents / 10));
        grouped.push_back(static_cast<char>('0' + cents % 10));
    }

    std::string prefix;
    if (iequals(currency, "USD")) {
        prefix = "$";
    } else if (iequals(currency, "EUR")) {
        prefix = "\xE2\x82\xAC";
    } else if (iequals(currency, "GBP")) {
        prefix = "\xC2\xA3";
    } else if (iequals(currency, "JPY")) {
        prefix = "\xC2\xA5";
    } else if (!currency.empty()) {
        std::string code(currency);
        std::transform(code.begin(), code.end(), code.begin(), [](char c) {
            return static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        });
        prefix = code + " ";
    }
    return (negative ? "-" : "") + prefix + grouped;
}

Result<Date> parse_date(std::string_view text, bool allow_us) {
    using namespace std::chrono;
    const std::string_view s = trim(text);
    const std::string forms =
        allow_us ? "Use YYYY-MM-DD, like 2026-12-31, or MM/DD/YYYY, like 12/31/2026."
                 : "Use YYYY-MM-DD, like 2026-12-31.";
    if (s.empty()) {
        return UserError{"The date is empty. " + forms};
    }
    std::string_view date_part = s;
    if (allow_us) {
        // CRM exports may add a time ("2026-12-31 00:00", "2026-12-31T17:00:00Z"); the day is
        // what matters for a close date.
        const std::size_t cut = date_part.find_first_of(" T");
        if (cut != std::string_view::npos) {
            date_part = date_part.substr(0, cut);
        }
    }

    int y = 0;
    int m = 0;
    int d = 0;
    bool parsed = false;
    const auto split3 = [](std::string_view v, char sep, std::string_view(&parts)[3]) {
        const std::size_t a = v.find(sep);
        if (a == std::string_view::npos) {
            return false;
        }
        const std::size_t b = v.find(sep, a + 1);
        if (b == std::string_view::npos || v.find(sep, b + 1) != std::string_view::npos) {
            return false;
        }
        parts[0] = v.substr(0, a);
        parts[1] = v.substr(a + 1, b - a - 1);
        parts[2] = v.substr(b + 1);
        return true;
    };
    std::string_view parts[3];
    if (split3(date_part, '-', parts)) {
        parsed = parse_uint(parts[0], 4, 4, y) && parse_uint(parts[1], 1, 2, m) &&
                 parse_uint(parts[2], 1, 2, d);
    } else if (allow_us && split3(date_part, '/', parts)) {
        parsed = parse_uint(parts[0], 1, 2, m) && parse_uint(parts[1], 1, 2, d) &&
                 parse_uint(parts[2], 4, 4, y);
    }
    if (!parsed) {
        return UserError{in_quotes(text) + " is not a date. " + forms};
    }
    if (m < 1 || m > 12) {
        return UserError{in_quotes(text) + " is not a date: the month must be 1 to 12. " + forms};
    }
    const year_month_day ymd{year{y}, month{static_cast<unsigned>(m)},
                             day{static_cast<unsigned>(d)}};
    if (!ymd.ok()) {
        const unsigned last = static_cast<unsigned>(
            year_month_day_last{year{y}, month_day_last{month{static_cast<unsigned>(m)}}}.day());
        return UserError{in_quotes(text) + " is not a date: " +
                         std::string(kMonthNames[static_cast<std::size_t>(m - 1)]) + " " +
                         std::to_string(y) + " has " + std::to_string(last) + " days. " + forms};
    }
    return Date{sys_days{ymd}};
}

std::string format_date(Date d) {
    using namespace std::chrono;
    const year_month_day ymd{d};
    const auto two = [](unsigned v) {
        return std::string{static_cast<char>('0' + v / 10), static_cast<char>('0' + v % 10)};
    };
    std::string out = std::to_string(static_cast<int>(ymd.year()));
    while (out.size() < 4) {
        out.insert(out.begin(), '0');
    }
    return out + "-" + two(static_cast<unsigned>(ymd.month())) + "-" +
           two(static_cast<unsigned>(ymd.day()));
}

std::optional<Stage> parse_stage(std::string_view text) {
    // Keys are squashed (lower-case letters and digits only), so "Closed-Won", "closed won",
    // "Proposal/Price Quote" and HubSpot's "closedwon" need one entry each at most.
    static constexpr std::pair<std::string_view, Stage> kAliases[] = {
        // ours, and the natural variants people type
        {"prospecting", Stage::prospecting},
        {"prospect", Stage::prospecting},
        {"lead", Stage::prospecting},
        {"qualification", Stage::qualification},
        {"qualify", Stage::qualification},
        {"qualifying", Stage::qualification},
        {"qualified", Stage::qualification},
        {"proposal", Stage::proposal},
        {"propose", Stage::proposal},
        {"quote", Stage::proposal},
        {"negotiation", Stage::negotiation},
        {"negotiate", Stage::negotiation},
        {"negotiating", Stage::negotiation},
        {"won", Stage::won},
        {"win", Stage::won},
        {"closedwon", Stage::won},
        {"lost", Stage::lost},
        {"loss", Stage::lost},
        {"closedlost", Stage::lost},
        // Salesforce default opportunity stages
        {"needsanalysis", Stage::qualification},
        {"iddecisionmakers", Stage::qualification},
        {"valueproposition", Stage::proposal},
        {"perceptionanalysis", Stage::proposal},
        {"proposalpricequote", Stage::proposal},
        {"negotiationreview", Stage::negotiation},
        // HubSpot default deal stages (internal names; the labels squash to the same)
        {"appointmentscheduled", Stage::prospecting},
        {"qualifiedtobuy", Stage::qualification},
        {"presentationscheduled", Stage::proposal},
        {"decisionmakerboughtin", Stage::proposal},
        {"contractsent", Stage::negotiation},
    };
    const std::string key = squash(text);
    if (key.empty()) {
        return std::nullopt;
    }
    for (const auto& [alias, stage] : kAliases) {
        if (alias == key) {
            return stage;
        }
    }
    return std::nullopt;
}

std::string_view stage_name(Stage s) {
    switch (s) {
        case Stage::prospecting:
            return "prospecting";
        case Stage::qualification:
            return "qualification";
        case Stage::proposal:
            return "proposal";
        case Stage::negotiation:
            return "negotiation";
        case Stage::won:
            return "won";
        case Stage::lost:
            return "lost";
    }
    return "prospecting";
}

std::optional<Territory> parse_territory(std::string_view text) {
    const std::string key = squash(text);
    if (key == "balanced") {
        return Territory::balanced;
    }
    if (key == "new" || key == "newcustomers") {
        return Territory::new_customers;
    }
    if (key == "existing" || key == "existingcustomers" || key == "current" ||
        key == "currentcustomers") {
        return Territory::existing_customers;
    }
    return std::nullopt;
}

std::string_view territory_name(Territory t) {
    switch (t) {
        case Territory::balanced:
            return "balanced";
        case Territory::new_customers:
            return "new";
        case Territory::existing_customers:
            return "existing";
    }
    return "balanced";
}

Result<int> parse_percent(std::string_view text) {
    constexpr std::string_view kForms = "Use a whole number from 0 to 100, like 70 or 70%.";
    std::string_view s = trim(text);
    if (s.empty()) {
        return UserError{"The percentage is empty. " + std::string(kForms)};
    }
    if (s.back() == '%') {
        s = trim(s.substr(0, s.size() - 1));
    }
    if (s.empty() || s.size() > 6 || !std::all_of(s.begin(), s.end(), is_digit)) {
        return UserError{in_quotes(text) + " is not a percentage. " + std::string(kForms)};
    }
    int v = 0;
    for (char c : s) {
        v = v * 10 + (c - '0');
    }
    if (v > 100) {
        return UserError{in_quotes(text) + " is more than 100 %. " + std::string(kForms)};
    }
    return v;
}

}  // namespace funnelbot::commands

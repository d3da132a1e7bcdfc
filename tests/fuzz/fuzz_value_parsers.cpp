// libFuzzer: the money, date, stage and percent parsers every command and the CSV import use.
// A parsed amount is never negative; an error always says what was wrong.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "commands/grammar/value_parsers.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace funnelbot::commands;
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    if (const auto money = parse_money(text); money.ok()) {
        if (*money < 0 || *money > kMaxAmount) __builtin_trap();
    } else if (money.error().message.empty()) {
        __builtin_trap();
    }
    (void)parse_date(text);
    (void)parse_date(text, true);
    (void)parse_stage(text);
    (void)parse_percent(text);
    return 0;
}

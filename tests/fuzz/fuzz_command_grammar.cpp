// libFuzzer: the command grammar. The first line is the command's name, the rest its text, as a
// Slack slash command or a console line brings them. Any bytes must end in a command or a
// UserError, never a crash, a hang or an exception.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "commands/grammar/command_parser.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    const auto newline = input.find('\n');
    const std::string_view name = input.substr(0, newline);
    const std::string_view text =
        newline == std::string_view::npos ? std::string_view() : input.substr(newline + 1);
    const auto parsed = funnelbot::commands::parse_command(name, text);
    if (!parsed.ok() && parsed.error().message.empty()) __builtin_trap();  // every error says what
    const auto line = funnelbot::commands::split_command_line(input);
    if (line.ok()) (void)funnelbot::commands::parse_command(line->name, line->text);
    return 0;
}

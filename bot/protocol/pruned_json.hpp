// Reading a hot JSON message quickly: simdjson parses the text (its lexer is several times faster
// than nlohmann's, which reads a character at a time into a token buffer), and only the members a
// caller names are built as nlohmann::json, so the rest of the program reads the same type as
// everywhere else. A message simdjson does not read (too large, nested deeper than it goes, an
// integer beyond 64 bits, anything not JSON) comes back empty: the caller parses it with
// nlohmann::json as before. Where both read a text, the result is nlohmann's parse with the
// members not named removed (tests/bot/protocol/pruned_json_test.cpp and the fuzz target
// fuzz_pruned_json hold it to that); only "-0" differs, read as an unsigned 0 where nlohmann's 0
// is signed (the same value, written the same).
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <span>
#include <string_view>

#include <nlohmann/json.hpp>

namespace funnelbot::bot {

// A member of an object to keep, and of its value, when that is an object, the members to keep
// (none listed: all of it).
struct KeptMember {
    std::string_view name;
    std::span<const KeptMember> members{};
};

// `value` with only the `kept` members of each object on the way down (none listed: all of it).
// The rule PrunedJsonParser follows, for values nlohmann::json parsed.
nlohmann::json pruned(const nlohmann::json& value, std::span<const KeptMember> kept);

class PrunedJsonParser {
public:
    // Texts longer than max_bytes are left to the caller; the parser's buffers grow to the
    // largest text it read and are kept for the next.
    explicit PrunedJsonParser(std::size_t max_bytes);
    ~PrunedJsonParser();
    PrunedJsonParser(PrunedJsonParser&&) noexcept;
    PrunedJsonParser& operator=(PrunedJsonParser&&) noexcept;

    // The text's value with only the `kept` members (see pruned()); empty when simdjson does not
    // read the text.
    std::optional<nlohmann::json> parse(std::string_view text, std::span<const KeptMember> kept);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace funnelbot::bot

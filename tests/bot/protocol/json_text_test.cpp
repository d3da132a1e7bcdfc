#include "bot/protocol/json_text.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>

namespace funnelbot::bot {
namespace {

using nlohmann::json;

// `text` as a quoted JSON string.
std::string json_string(std::string_view text) {
    std::string out;
    append_json_string(out, text);
    return out;
}

TEST(JsonTextTest, EscapesWhatRfc8259AsksAndNothingElse) {
    EXPECT_EQ(json_string(""), R"("")");
    EXPECT_EQ(json_string("Widgets 70%"), R"("Widgets 70%")");
    EXPECT_EQ(json_string("say \"hi\" \\ bye"), R"("say \"hi\" \\ bye")");
    EXPECT_EQ(json_string("a\nb\tc\rd\be\ff"), R"("a\nb\tc\rd\be\ff")");
    EXPECT_EQ(json_string(std::string("\x01\x1f\x7f/", 4)), "\"\\u0001\\u001f\x7f/\"");
    EXPECT_EQ(json_string(std::string("nul\0end", 7)), R"("nul\u0000end")");
    // UTF-8 stays as it is: "…", "é", a four-byte emoji.
    EXPECT_EQ(json_string("\xE2\x80\xA6 caf\xC3\xA9 \xF0\x9F\x93\x88"),
              "\"\xE2\x80\xA6 caf\xC3\xA9 \xF0\x9F\x93\x88\"");

    std::string out = "[";
    append_json_string(out, "x");
    out += ',';
    append_json_string(out, "y\"");
    out += ']';
    EXPECT_EQ(out, R"(["x","y\""])");
}

TEST(JsonTextTest, BytesThatAreNotUtf8BecomeReplacementCharacters) {
    const std::string fffd = "\xEF\xBF\xBD";
    // A stray continuation byte, a truncated sequence at the end, an overlong "/", a surrogate,
    // a code point above U+10FFFF: every byte that starts no valid sequence is replaced.
    EXPECT_EQ(json_string("a\x80z"), "\"a" + fffd + "z\"");
    EXPECT_EQ(json_string("caf\xC3"), "\"caf" + fffd + "\"");
    EXPECT_EQ(json_string("\xC0\xAF"), "\"" + fffd + fffd + "\"");
    EXPECT_EQ(json_string("\xED\xA0\x80"), "\"" + fffd + fffd + fffd + "\"");
    EXPECT_EQ(json_string("\xF4\x90\x80\x80!"), "\"" + fffd + fffd + fffd + fffd + "!\"");
    EXPECT_EQ(json::parse(json_string("\xFF\"\xFE")).get<std::string>(), fffd + "\"" + fffd);
}

// Against nlohmann's own writer, over strings of random bytes (biased towards the interesting
// ones): the text always parses back, and for valid UTF-8 it is exactly nlohmann's.
TEST(JsonTextTest, AgreesWithNlohmannOnRandomStrings) {
    std::uint64_t state = 0x9E3779B97F4A7C15ULL;
    const auto next = [&state] {
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        return static_cast<unsigned>(state >> 33);
    };
    constexpr unsigned char kInteresting[] = {'"',  '\\', '\n', 0x01, 0x1f, 0x7f, 0xC3, 0xA9,
                                              0xE2, 0x80, 0xA6, 0xF0, 0x9F, 0x93, 0x88, 0xFF};
    int valid = 0;
    for (int round = 0; round < 3000; ++round) {
        std::string s;
        const unsigned length = next() % 24;
        for (unsigned i = 0; i < length; ++i) {
            const unsigned pick = next();
            s += static_cast<char>(pick % 3 == 0 ? kInteresting[(pick / 3) % sizeof kInteresting]
                                                 : 'a' + (pick / 3) % 26);
        }
        const std::string ours = json_string(s);
        json parsed;
        ASSERT_NO_THROW(parsed = json::parse(ours)) << ours;
        std::string theirs;
        try {
            theirs = json(s).dump();
        } catch (const json::type_error&) {
            continue;  // not UTF-8: nlohmann refuses, ours replaced (checked above)
        }
        ++valid;
        EXPECT_EQ(ours, theirs);
        EXPECT_EQ(parsed.get<std::string>(), s);
    }
    EXPECT_GT(valid, 500);  // the comparison ran on many strings, not a handful
}

TEST(JsonTextTest, EnclosedWrapsAValueInItsOwnBufferWhenItHasRoom) {
    const std::string value = R"({"text":"Your funnel check","blocks":[]})";
    const std::string head = R"({"envelope_id":"E1","payload":)";
    const std::string expected = head + value + "}";

    std::string roomy = value;
    roomy.reserve(value.size() + head.size() + 1);
    const char* const buffer = roomy.data();
    const std::string wrapped = enclosed(head, std::move(roomy));
    EXPECT_EQ(wrapped, expected);
    EXPECT_EQ(wrapped.data(), buffer) << "no allocation of the value's size";
    EXPECT_EQ(json::parse(wrapped)["payload"], json::parse(value));

    std::string tight = value;
    tight.shrink_to_fit();
    EXPECT_EQ(enclosed(head, std::move(tight)), expected)
        << "without room it still comes out right";
}

}  // namespace
}  // namespace funnelbot::bot

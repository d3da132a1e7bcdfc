#include "bot/protocol/pruned_json.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <random>
#include <string>

#include "tests/support/platform_frames.hpp"

namespace funnelbot::bot {
namespace {

using nlohmann::json;

const std::string kInteractionFrame(funnelbot::testing::kInteractionCreateFrame);

// A shape like the one the Discord gateway keeps of an INTERACTION_CREATE (its own table is in
// bot/discord/gateway_protocol.cpp; this test links bot/protocol alone).
constexpr KeptMember kUser[] = {{"id"}, {"username"}, {"global_name"}};
constexpr KeptMember kMember[] = {{"user", kUser}, {"nick"}, {"permissions"}};
constexpr KeptMember kInteraction[] = {
    {"id"},       {"application_id"},  {"type"},       {"token"}, {"data"},
    {"guild_id"}, {"member", kMember}, {"user", kUser}};
constexpr KeptMember kFrame[] = {{"op"}, {"s"}, {"t"}, {"d", kInteraction}};

// What the parser returns, as text (nlohmann's dump tells integers from doubles and signed from
// unsigned, where == would not), or "declined".
std::string read(PrunedJsonParser& parser, std::string_view text,
                 std::span<const KeptMember> kept = {}) {
    const auto value = parser.parse(text, kept);
    return value ? value->dump() : "declined";
}

// nlohmann::json's parse with the unnamed members removed, the same way, or "declined".
std::string reference(std::string_view text, std::span<const KeptMember> kept = {}) {
    const json value = json::parse(text, nullptr, false);
    return value.is_discarded() ? "declined" : pruned(value, kept).dump();
}

TEST(PrunedJsonTest, KeepsWhatTheGatewayReadsOfAnInteraction) {
    PrunedJsonParser parser(64 * 1024);
    const auto got = parser.parse(kInteractionFrame, kFrame);
    ASSERT_TRUE(got);
    const json expected = json::parse(R"({"t":"INTERACTION_CREATE","s":7,"op":0,"d":{
        "type":2,"token":"aW50ZXJhY3Rpb24","id":"786008729715212338",
        "guild_id":"290926798626357999","application_id":"775799577604522054",
        "member":{"user":{"username":"ana","id":"80351110224678912","global_name":"Ana Pérez"},
                  "permissions":"2147483647","nick":null},
        "data":{"type":1,"name":"opp","id":"771825006014889984","options":[{"type":1,"name":"add",
          "options":[{"type":3,"name":"customer","value":"Acme \"East\""},
                     {"type":4,"name":"amount","value":12000},
                     {"type":6,"name":"owner","value":"53908232506183680"}]}],
          "resolved":{"users":{"53908232506183680":
            {"username":"bo","id":"53908232506183680","global_name":null}}}}}})");
    EXPECT_EQ(got->dump(), expected.dump());
    EXPECT_EQ(got->dump(), reference(kInteractionFrame, kFrame));
    // Nothing named: the whole value, as nlohmann reads it.
    EXPECT_EQ(read(parser, kInteractionFrame), json::parse(kInteractionFrame).dump());
}

TEST(PrunedJsonTest, ReadsEveryKindOfValueAsNlohmannDoes) {
    PrunedJsonParser parser(4096);
    // Non-negative integers unsigned and negative ones signed, as nlohmann has them; "-0" the
    // integer 0 (nlohmann's is signed, this one unsigned: the same value, written the same),
    // "-0.0" a double; the extremes of both 64-bit types; escapes.
    const std::string values =
        R"([0,-0,-0.0,1,-1,1.5,1e2,1E-2,-2.5e-3,18446744073709551615,-9223372036854775808,)"
        R"(9223372036854775807,9223372036854775808,"caf\u00e9 \ud83d\udcc8","a\u0000b\"\\\/\n",)"
        R"(true,false,null,{},[],{"k":[{"x":[]}]}])";
    EXPECT_EQ(read(parser, values), reference(values));
    const json got = *parser.parse(values, {});
    EXPECT_TRUE(got[0].is_number_unsigned());
    EXPECT_TRUE(got[1].is_number_integer() && got[1] == 0);
    EXPECT_TRUE(got[2].is_number_float());
    EXPECT_TRUE(got[4].is_number_integer() && !got[4].is_number_unsigned());
    EXPECT_EQ(got[9].get<std::uint64_t>(), 18446744073709551615ULL);
    EXPECT_EQ(got[13], "caf\xC3\xA9 \xF0\x9F\x93\x88");
    EXPECT_EQ(got[14], std::string("a\0b\"\\/\n", 7));
}

TEST(PrunedJsonTest, ANameGivenTwiceKeepsItsLastValueAsNlohmannDoes) {
    PrunedJsonParser parser(4096);
    static constexpr KeptMember kX[] = {{"x"}};
    static constexpr KeptMember kA[] = {{"a", kX}};
    EXPECT_EQ(read(parser, R"({"a":1,"a":{"x":1,"y":2},"b":2})", kA), R"({"a":{"x":1}})");
    EXPECT_EQ(read(parser, R"({"a":{"x":1},"b":2,"a":3})", kA), R"({"a":3})");
    EXPECT_EQ(read(parser, R"({"a":{"x":1,"x":[2]}})", kA), R"({"a":{"x":[2]}})");
    for (const char* text :
         {R"({"a":1,"a":{"x":1,"y":2},"b":2})", R"({"a":{"x":1},"b":2,"a":3})"}) {
        EXPECT_EQ(read(parser, text, kA), reference(text, kA)) << text;
    }
    // A named member that is not an object is kept whole; so is an array of objects.
    EXPECT_EQ(read(parser, R"({"a":[{"x":1,"y":2}],"c":0})", kA), R"({"a":[{"x":1,"y":2}]})");
    EXPECT_EQ(read(parser, R"({"a":"text"})", kA), R"({"a":"text"})");
    // A value that is not an object is kept whole at the top too.
    EXPECT_EQ(read(parser, R"([{"a":{"x":1,"y":2}}])", kA), R"([{"a":{"x":1,"y":2}}])");
    EXPECT_EQ(read(parser, R"("a")", kA), R"("a")");
}

TEST(PrunedJsonTest, DeclinesWhatItDoesNotReadAndTheCallerParsesIt) {
    PrunedJsonParser parser(64);
    const std::string fits = R"({"k":")" + std::string(56, 'x') + R"("})";  // 64 bytes
    ASSERT_EQ(fits.size(), 64u);
    EXPECT_EQ(read(parser, fits), reference(fits));
    EXPECT_EQ(read(parser, R"({"k":")" + std::string(57, 'x') + R"("})"), "declined");

    PrunedJsonParser big(4096);
    for (const std::string text :
         {"", " ", "not json", "{", R"({"a":1} x)", R"({"a":01})", R"({"a":1,})", R"(["\x"])",
          "[1e999]", "\"\xC3\x28\"", "[18446744073709551616]"}) {
        EXPECT_EQ(read(big, text), "declined") << text;
    }
    // nlohmann reads these itself: the caller falls back to it.
    EXPECT_NE(reference("[18446744073709551616]"), "declined");
    // Nested deeper than 128: declined (nlohmann reads it); 128 deep is read.
    EXPECT_EQ(read(big, std::string(129, '[') + std::string(129, ']')), "declined");
    const std::string deep = std::string(128, '[') + std::string(128, ']');
    EXPECT_EQ(read(big, deep), reference(deep));
}

TEST(PrunedJsonTest, EachTextIsReadOnItsOwnAfterALargerOne) {
    PrunedJsonParser parser(64 * 1024);
    const std::string large = R"({"a":")" + std::string(8000, 'y') + R"(","b":[1,2,3]})";
    EXPECT_EQ(read(parser, large), reference(large));
    EXPECT_EQ(read(parser, R"({"b":1})"), R"({"b":1})");
    EXPECT_EQ(read(parser, "[2"), "declined");
    EXPECT_EQ(read(parser, "7"), "7");
    EXPECT_EQ(read(parser, kInteractionFrame, kFrame), reference(kInteractionFrame, kFrame));
}

// The rule held on thousands of damaged frames: whatever the parser returns is what nlohmann
// reads, with the same members removed, and whatever nlohmann refuses the parser refuses.
TEST(PrunedJsonTest, AgreesWithNlohmannOnDamagedFrames) {
    PrunedJsonParser parser(64 * 1024);
    std::mt19937 rng(20261207);
    const std::string alphabet = "{}[]\":,0123456789-+.eE\\u tfnalrsx\x80\xC3\xA9\xFF";
    int read_by_both = 0;
    int declined_by_both = 0;
    for (int i = 0; i < 3000; ++i) {
        std::string text = kInteractionFrame;
        const int edits = 1 + static_cast<int>(rng() % 3);
        for (int e = 0; e < edits; ++e) {
            const std::size_t at = rng() % text.size();
            const char c = alphabet[rng() % alphabet.size()];
            switch (rng() % 3) {
                case 0:
                    text[at] = c;
                    break;
                case 1:
                    text.insert(text.begin() + static_cast<std::ptrdiff_t>(at), c);
                    break;
                default:
                    text.erase(at, 1);
                    break;
            }
        }
        const std::string fast = read(parser, text, kFrame);
        const std::string slow = reference(text, kFrame);
        if (fast != "declined") {
            ASSERT_EQ(fast, slow) << text;
            ++read_by_both;
        } else if (slow == "declined") {
            ++declined_by_both;
        }
    }
    // Both outcomes were tried many times.
    EXPECT_GT(read_by_both, 300);
    EXPECT_GT(declined_by_both, 300);
}

}  // namespace
}  // namespace funnelbot::bot

// libFuzzer: bytes as a JSON text, read by PrunedJsonParser and by nlohmann::json. Whatever the
// parser returns must be what nlohmann reads with the same members removed (compared as written
// out, so an integer read as a double, or a name's first value kept instead of its last, differs),
// and what nlohmann refuses the parser must refuse. Three shapes: everything, one member, and the
// gateway's interaction frame (the one the bot uses, from bot/discord/gateway_protocol.cpp).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <string_view>

#include <nlohmann/json.hpp>

#include "bot/discord/gateway_protocol.hpp"
#include "bot/protocol/pruned_json.hpp"

namespace {

using funnelbot::bot::KeptMember;

constexpr KeptMember kOne[] = {{"a"}};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static funnelbot::bot::PrunedJsonParser parser(64 * 1024);
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const nlohmann::json reference = nlohmann::json::parse(text, nullptr, false);
    for (const std::span<const KeptMember> kept :
         {std::span<const KeptMember>{}, std::span<const KeptMember>(kOne),
          funnelbot::bot::discord::interaction_frame_fields()}) {
        const auto got = parser.parse(text, kept);
        if (!got) continue;
        if (reference.is_discarded()) std::abort();  // read what nlohmann refuses
        if (got->dump() != funnelbot::bot::pruned(reference, kept).dump()) std::abort();
    }
    return 0;
}

#include "bot/protocol/pruned_json.hpp"

#include <algorithm>
#include <cstdint>
#include <new>
#include <string>

#include <simdjson.h>

namespace funnelbot::bot {

namespace {

using nlohmann::json;
namespace dom = simdjson::dom;

// Deep enough for any message the platforms send, shallow enough that building the tree
// recursively stays a few pages of stack; deeper texts go to nlohmann::json.
constexpr std::size_t kMaxDepth = 128;

const KeptMember* find_kept(std::span<const KeptMember> kept, std::string_view name) {
    for (const KeptMember& member : kept) {
        if (member.name == name) return &member;
    }
    return nullptr;
}

// As nlohmann::json parses: non-negative integers unsigned, negative ones signed; a name given
// twice keeps its last value.
json to_json(dom::element value, std::span<const KeptMember> kept) {
    switch (value.type()) {
        case dom::element_type::OBJECT: {
            json out = json::object();
            const dom::object object = value.get_object().value_unsafe();
            for (const dom::key_value_pair field : object) {
                if (kept.empty()) {
                    out[std::string(field.key)] = to_json(field.value, {});
                } else if (const KeptMember* member = find_kept(kept, field.key)) {
                    out[std::string(field.key)] = to_json(field.value, member->members);
                }
            }
            return out;
        }
        case dom::element_type::ARRAY: {
            json out = json::array();
            const dom::array array = value.get_array().value_unsafe();
            for (const dom::element item : array)
                out.push_back(to_json(item, {}));
            return out;
        }
        case dom::element_type::STRING:
            return json(std::string(value.get_string().value_unsafe()));
        case dom::element_type::INT64: {
            const std::int64_t n = value.get_int64().value_unsafe();
            return n >= 0 ? json(static_cast<std::uint64_t>(n)) : json(n);
        }
        case dom::element_type::UINT64:
            return json(value.get_uint64().value_unsafe());
        case dom::element_type::DOUBLE:
            return json(value.get_double().value_unsafe());
        case dom::element_type::BOOL:
            return json(value.get_bool().value_unsafe());
        case dom::element_type::NULL_VALUE:
            return json(nullptr);
    }
    return json(nullptr);
}

}  // namespace

json pruned(const json& value, std::span<const KeptMember> kept) {
    if (kept.empty() || !value.is_object()) return value;
    json out = json::object();
    for (const auto& [name, member_value] : value.items()) {
        if (const KeptMember* member = find_kept(kept, name))
            out[name] = pruned(member_value, member->members);
    }
    return out;
}

struct PrunedJsonParser::Impl {
    explicit Impl(std::size_t max_bytes) : parser(max_bytes) {
        // The depth is set by allocating; the capacity then grows as texts need it.
        if (parser.allocate(std::min<std::size_t>(max_bytes, 4096), kMaxDepth) != simdjson::SUCCESS)
            throw std::bad_alloc();
    }
    dom::parser parser;
    // simdjson reads up to SIMDJSON_PADDING bytes past the text: the text is copied here, into
    // memory that stays from one message to the next.
    std::string padded;
};

PrunedJsonParser::PrunedJsonParser(std::size_t max_bytes)
    : impl_(std::make_unique<Impl>(max_bytes)) {}
PrunedJsonParser::~PrunedJsonParser() = default;
PrunedJsonParser::PrunedJsonParser(PrunedJsonParser&&) noexcept = default;
PrunedJsonParser& PrunedJsonParser::operator=(PrunedJsonParser&&) noexcept = default;

std::optional<json> PrunedJsonParser::parse(std::string_view text,
                                            std::span<const KeptMember> kept) {
    if (text.size() > impl_->parser.max_capacity()) return std::nullopt;
    impl_->padded.assign(text);
    impl_->padded.append(simdjson::SIMDJSON_PADDING, '\0');
    dom::element root;
    if (impl_->parser.parse(impl_->padded.data(), text.size(), false).get(root) !=
        simdjson::SUCCESS)
        return std::nullopt;
    return to_json(root, kept);
}

}  // namespace funnelbot::bot

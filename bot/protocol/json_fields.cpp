#include "bot/protocol/json_fields.hpp"

namespace funnelbot::bot {

std::string text_of(const nlohmann::json& obj, const char* key) {
    if (!obj.is_object()) return {};
    const auto it = obj.find(key);
    return it != obj.end() && it->is_string() ? it->get<std::string>() : std::string();
}

bool flag_of(const nlohmann::json& obj, const char* key) {
    if (!obj.is_object()) return false;
    const auto it = obj.find(key);
    return it != obj.end() && it->is_boolean() && it->get<bool>();
}

long long integer_of(const nlohmann::json& obj, const char* key, long long fallback) {
    if (!obj.is_object()) return fallback;
    const auto it = obj.find(key);
    return it != obj.end() && it->is_number_integer() ? it->get<long long>() : fallback;
}

const nlohmann::json& object_of(const nlohmann::json& obj, const char* key) {
    static const nlohmann::json kEmpty = nlohmann::json::object();
    if (!obj.is_object()) return kEmpty;
    const auto it = obj.find(key);
    return it != obj.end() && it->is_object() ? *it : kEmpty;
}

}  // namespace funnelbot::bot

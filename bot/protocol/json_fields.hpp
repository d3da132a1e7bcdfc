// Reading fields of untrusted JSON (a frame, a payload, an API answer) without exceptions: a
// missing field, a field of another type and a value that is not an object all read as empty.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace funnelbot::bot {

// obj[key] when it is a string, else "".
std::string text_of(const nlohmann::json& obj, const char* key);

// obj[key] when it is a boolean, else false.
bool flag_of(const nlohmann::json& obj, const char* key);

// obj[key] when it is an integer, else `fallback`.
long long integer_of(const nlohmann::json& obj, const char* key, long long fallback = 0);

// obj[key] when it is an object, else an empty object.
const nlohmann::json& object_of(const nlohmann::json& obj, const char* key);

}  // namespace funnelbot::bot

// Expected failures: a user's bad input. Carried as values, never thrown to the event loop.
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace funnelbot::commands {

// What was wrong, and the right form. Shown to the user as it is.
struct UserError {
    std::string message;
};

template <class T>
class Result {
public:
    Result(T value) : v_(std::move(value)) {}
    Result(UserError error) : v_(std::move(error)) {}

    bool ok() const { return v_.index() == 0; }
    explicit operator bool() const { return ok(); }
    T& value() { return std::get<0>(v_); }
    const T& value() const { return std::get<0>(v_); }
    T& operator*() { return value(); }
    const T& operator*() const { return value(); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    const UserError& error() const { return std::get<1>(v_); }

private:
    std::variant<T, UserError> v_;
};

}  // namespace funnelbot::commands

// A core's list of actions, each moved in. `return {A{…}, B{…}};` builds the vector from an
// initializer_list, whose elements are const: every action is copied, and an action may hold a
// whole reply or an interaction's payload (copying those was a tenth of the bot's CPU).
#pragma once

#include <utility>

namespace funnelbot::bot {

template <typename Actions, typename... Action>
Actions moved_actions(Action&&... actions) {
    Actions out;
    out.reserve(sizeof...(Action));
    (out.emplace_back(std::forward<Action>(actions)), ...);
    return out;
}

}  // namespace funnelbot::bot

#include "commands/failure_reply.hpp"

#include <random>

namespace funnelbot::commands {

std::string failure_reference() {
    static constexpr char kHex[] = "0123456789abcdef";
    std::random_device random;
    unsigned value = random();
    std::string out(6, '0');
    for (char& c : out) {
        c = kHex[value & 0xF];
        value >>= 4;
    }
    return out;
}

Reply unexpected_failure_reply(std::string_view reference) {
    return Reply::error("funnelbot could not complete this command (reference " +
                        std::string(reference) +
                        "). Nothing was changed; please try again in a moment. If it keeps "
                        "failing, give an admin the reference: funnelbot's log says what went "
                        "wrong.");
}

Reply busy_reply() {
    return Reply::error(
        "funnelbot is busy right now and did not run this command. Nothing was changed; please "
        "try again in a moment.");
}

Reply restarting_reply() {
    return Reply::error(
        "funnelbot is restarting and did not run this command. Nothing was changed; please try "
        "again in a minute.");
}

}  // namespace funnelbot::commands

// One finding of `funnelbot doctor`: the seam between each platform's setup check (bot/slack,
// bot/discord) and the doctor that prints them (bot/app).
#pragma once

#include <string>

namespace funnelbot::bot {

enum class SetupStatus {
    ok,    // works
    warn,  // works, but needs attention (e.g. a database that will be migrated at start)
    fail,  // does not work: funnelbot cannot run as configured
    skip,  // not checked (not configured, or it depends on something that failed)
};

struct SetupFinding {
    SetupStatus status = SetupStatus::ok;
    std::string subject;  // what was checked: "Slack bot token"
    // What was found, and for a failure what to do about it. Never a token.
    std::string detail;
};

}  // namespace funnelbot::bot

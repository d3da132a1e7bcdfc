// One HTTP request as a fake server received it. A header of its own so that the fakes' public
// headers (fake_slack.hpp, fake_discord.hpp) need no Boost; header() is defined in
// fake_server.cpp, with the code that makes these records.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace funnelbot::testing {

// One HTTP request as it arrived. The fake Slack records every request (Web API, response_url
// and WebSocket upgrades alike), the fake Discord every REST request.
struct RecordedRequest {
    std::string method;  // "POST", "GET"
    std::string target;  // path and query, e.g. "/api/users.info?user=U1"
    std::vector<std::pair<std::string, std::string>> headers;  // all, in arrival order
    std::string body;
    std::chrono::steady_clock::time_point time;

    // The first header with that name (case-insensitive), or "" if there is none.
    std::string header(std::string_view name) const;
};

}  // namespace funnelbot::testing

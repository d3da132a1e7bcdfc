// How an opportunity reads in replies: "#12 Acme Corp — Widgets, $25,000, proposal".
#pragma once

#include <string>
#include <string_view>

#include "analysis/funnel_types.hpp"

namespace funnelbot::commands {

std::string describe_opportunity(const analysis::Opportunity& opp, std::string_view currency);

// A fixed-width row for /opp list.
std::string opportunity_row(const analysis::Opportunity& opp, std::string_view currency);

}  // namespace funnelbot::commands

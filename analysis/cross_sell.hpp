// Wallet share: which responsible lines each current customer has not been offered yet.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "analysis/funnel_types.hpp"

namespace funnelbot::analysis {

struct CrossSellInput {
    // The rep's current customers: status current and at least one opportunity of the rep; in
    // any order.
    std::vector<CrossSellAccount> accounts;
    // line id -> number of current customers of the rep's team (or workspace, for a rep in
    // no team) that bought the line.
    std::map<Id, std::int64_t> line_popularity;
};

struct CrossSellGap {
    Id customer_id = 0;
    std::string customer_name;
    // Responsible lines neither bought nor open, ranked by popularity desc, then name.
    std::vector<std::string> lines;
};

// One gap per account with at least one missing line, accounts ordered by name.
std::vector<CrossSellGap> cross_sell_gaps(const std::vector<ProductLine>& responsible_lines,
                                          const CrossSellInput& input);

}  // namespace funnelbot::analysis

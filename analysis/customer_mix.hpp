// New versus current customers, and concentration on a few accounts.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "analysis/funnel_types.hpp"
#include "analysis/share.hpp"

namespace funnelbot::analysis {

struct CustomerMix {
    std::int64_t new_count = 0;
    std::int64_t existing_count = 0;
    Share new_share;  // new_count / all open
    Territory territory = Territory::balanced;
    int target_pct = 50;
    int tolerance_pct = 15;
    // Only for a balanced territory: outside target ± tolerance (bounds inclusive pass).
    bool out_of_balance = false;
    bool too_few_new = false;   // out_of_balance on the low side
    bool too_many_new = false;  // out_of_balance on the high side
};

CustomerMix customer_mix(const std::vector<Opportunity>& open, const Goals& goals);

struct CustomerCount {
    Id customer_id = 0;
    std::string name;
    std::int64_t count = 0;
};

struct CustomerConcentration {
    std::int64_t distinct_customers = 0;
    std::vector<CustomerCount> top_customers;  // at most three, count desc then name
    Share top_three_share;                     // of all open opportunities
};

CustomerConcentration customer_concentration(const std::vector<Opportunity>& open);

}  // namespace funnelbot::analysis

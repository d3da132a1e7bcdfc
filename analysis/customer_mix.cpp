#include "analysis/customer_mix.hpp"

#include <algorithm>
#include <map>

#include "analysis/text.hpp"

namespace funnelbot::analysis {

CustomerMix customer_mix(const std::vector<Opportunity>& open, const Goals& goals) {
    CustomerMix mix;
    mix.territory = goals.territory;
    mix.target_pct = goals.new_share_pct;
    mix.tolerance_pct = goals.tolerance_pct;
    for (const Opportunity& opp : open) {
        if (!is_open(opp.stage)) {
            continue;
        }
        if (opp.customer_type == CustomerType::new_customer) {
            ++mix.new_count;
        } else {
            ++mix.existing_count;
        }
    }
    const std::int64_t total = mix.new_count + mix.existing_count;
    mix.new_share = Share{mix.new_count, total};
    // New- or existing-focused territories have no split target; an empty funnel has no split.
    if (mix.territory == Territory::balanced && total > 0) {
        mix.too_few_new = mix.new_share.below_percent(mix.target_pct - mix.tolerance_pct);
        mix.too_many_new = mix.new_share.above_percent(mix.target_pct + mix.tolerance_pct);
        mix.out_of_balance = mix.too_few_new || mix.too_many_new;
    }
    return mix;
}

CustomerConcentration customer_concentration(const std::vector<Opportunity>& open) {
    // Keyed by customer id; an opportunity without one (id 0) is keyed by its name.
    std::map<std::pair<Id, std::string>, CustomerCount> by_customer;
    std::int64_t total = 0;
    for (const Opportunity& opp : open) {
        if (!is_open(opp.stage)) {
            continue;
        }
        ++total;
        const auto key =
            std::make_pair(opp.customer_id, opp.customer_id == 0 ? opp.customer_name : "");
        auto [it, inserted] = by_customer.try_emplace(key);
        if (inserted) {
            it->second.customer_id = opp.customer_id;
            it->second.name = opp.customer_name;
        }
        ++it->second.count;
    }

    std::vector<CustomerCount> counts;
    counts.reserve(by_customer.size());
    for (auto& [key, count] : by_customer) {
        counts.push_back(std::move(count));
    }
    std::sort(counts.begin(), counts.end(), [](const CustomerCount& a, const CustomerCount& b) {
        if (a.count != b.count) {
            return a.count > b.count;
        }
        if (a.name != b.name) {
            return text::name_less(a.name, b.name);
        }
        return a.customer_id < b.customer_id;
    });

    CustomerConcentration result;
    result.distinct_customers = static_cast<std::int64_t>(counts.size());
    std::int64_t top = 0;
    for (std::size_t i = 0; i < counts.size() && i < 3; ++i) {
        top += counts[i].count;
        result.top_customers.push_back(counts[i]);
    }
    result.top_three_share = Share{top, total};
    return result;
}

}  // namespace funnelbot::analysis

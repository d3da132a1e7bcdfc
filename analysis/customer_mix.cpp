#include "analysis/customer_mix.hpp"

#include <algorithm>

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
    // The open opportunities grouped by customer: by id, or by name for one without an id (0).
    // Sorting pointers and counting runs allocates a few buffers; a map allocated a node per
    // customer.
    std::vector<const Opportunity*> opps;
    opps.reserve(open.size());
    for (const Opportunity& opp : open) {
        if (is_open(opp.stage)) {
            opps.push_back(&opp);
        }
    }
    const auto key_less = [](const Opportunity* a, const Opportunity* b) {
        if (a->customer_id != b->customer_id) {
            return a->customer_id < b->customer_id;
        }
        return a->customer_id == 0 && a->customer_name < b->customer_name;
    };
    // Stable: a customer is named as its first opportunity names it.
    std::stable_sort(opps.begin(), opps.end(), key_less);
    struct Group {
        const Opportunity* first = nullptr;
        std::int64_t count = 0;
    };
    std::vector<Group> groups;
    groups.reserve(opps.size());
    for (const Opportunity* opp : opps) {
        if (groups.empty() || key_less(groups.back().first, opp)) {
            groups.push_back({opp, 0});
        }
        ++groups.back().count;
    }

    // Only the top three are shown: count desc, then name, then id (a total order).
    const std::size_t shown = std::min<std::size_t>(groups.size(), 3);
    std::partial_sort(groups.begin(), groups.begin() + static_cast<std::ptrdiff_t>(shown),
                      groups.end(), [](const Group& a, const Group& b) {
                          if (a.count != b.count) {
                              return a.count > b.count;
                          }
                          if (a.first->customer_name != b.first->customer_name) {
                              return text::name_less(a.first->customer_name,
                                                     b.first->customer_name);
                          }
                          return a.first->customer_id < b.first->customer_id;
                      });

    CustomerConcentration result;
    result.distinct_customers = static_cast<std::int64_t>(groups.size());
    std::int64_t top = 0;
    for (std::size_t i = 0; i < shown; ++i) {
        top += groups[i].count;
        result.top_customers.push_back(
            {groups[i].first->customer_id, groups[i].first->customer_name, groups[i].count});
    }
    result.top_three_share = Share{top, static_cast<std::int64_t>(opps.size())};
    return result;
}

}  // namespace funnelbot::analysis

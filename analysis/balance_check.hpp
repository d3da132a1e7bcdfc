// The whole balance check of one rep's funnel: every figure /funnel-check shows.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "analysis/balance_score.hpp"
#include "analysis/cross_sell.hpp"
#include "analysis/customer_mix.hpp"
#include "analysis/funnel_types.hpp"
#include "analysis/product_mix.hpp"

namespace funnelbot::analysis {

struct RepFunnel {
    std::vector<ProductLine> responsible_lines;  // active lines the rep is responsible for
    std::vector<Opportunity> opportunities;      // all of the rep's opportunities, any stage
    CrossSellInput cross_sell;
    Goals goals;
    Clock clock;
};

struct NewCustomerActivity {
    std::int64_t created_last_30_days = 0;  // new-customer opportunities created in (now-30d, now]
    std::optional<int> goal_per_month;
    bool below_goal = false;             // only when a goal is set
    std::optional<int> days_since_last;  // whole days since the newest new-customer opportunity
};

NewCustomerActivity new_customer_activity(const std::vector<Opportunity>& all, const Goals& goals,
                                          Instant now);

enum class Flag { concentrated, too_few_new, too_many_new, languishing_line, below_new_opps_goal };

struct FunnelReport {
    bool empty = true;  // no open opportunity on a responsible line
    ProductMix mix;
    CustomerMix customers;
    CustomerConcentration concentration;
    std::vector<CrossSellGap> cross_sell;
    std::int64_t current_accounts = 0;  // current customers considered for cross-sell
    NewCustomerActivity activity;
    std::optional<BalanceScore> score;
    // Open opportunities on lines the rep is not responsible for, or retired: listed apart,
    // counted nowhere else.
    std::vector<Opportunity> outside_lines;
    std::vector<Flag> flags;
    // Concrete next steps, most useful first, in plain words (no markup).
    std::vector<std::string> next_steps;
};

FunnelReport check_balance(const RepFunnel& funnel);

}  // namespace funnelbot::analysis

// Value types shared by analysis/, storage/ and commands/. Plain data, no behaviour beyond
// trivial helpers: storage fills them, analysis reads them, commands render them.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace funnelbot::analysis {

using Id = std::int64_t;
// Money in minor units (cents); one currency per workspace.
using Money = std::int64_t;
using Instant = std::chrono::sys_seconds;
using Date = std::chrono::sys_days;

enum class Stage { prospecting, qualification, proposal, negotiation, won, lost };

constexpr bool is_open(Stage s) {
    return s != Stage::won && s != Stage::lost;
}

enum class CustomerType { new_customer, existing };

enum class Territory { balanced, new_customers, existing_customers };

struct ProductLine {
    Id id = 0;
    std::string name;
    std::string category;               // empty = uncategorised
    std::optional<Date> introduced_on;  // set for lines added as `new` or with `since:`
    bool acquired = false;              // origin `acquired` (came with a merger)
    bool active = true;                 // false once retired
};

struct Opportunity {
    Id id = 0;
    Id owner_id = 0;
    Id customer_id = 0;
    std::string customer_name;  // display name, as first written
    Id product_line_id = 0;
    std::string product_line_name;
    std::string name;  // CRM opportunity/deal name; may be empty
    Money amount = 0;
    Stage stage = Stage::prospecting;
    CustomerType customer_type = CustomerType::new_customer;  // fixed at creation
    std::optional<Date> close_date;                           // expected close date
    Instant created_at{};
    Instant updated_at{};
    std::optional<Instant> closed_at;  // when it became won or lost
    std::string external_id;           // CRM id from an import; may be empty
};

// Thresholds and goals after resolution (rep > team > workspace > these defaults).
struct Goals {
    int max_line_pct = 70;   // concentrated when the top line is strictly above this
    int new_share_pct = 50;  // target share of new-customer opportunities
    int tolerance_pct = 15;  // balanced when |new share - target| <= tolerance (inclusive)
    Territory territory = Territory::balanced;
    std::optional<int> new_opps_per_month;   // new-customer opportunities per 30 days
    std::optional<Money> quota_per_quarter;  // won amount per calendar quarter
    int languishing_days = 90;               // a line introduced within this many days is "new"
    int languishing_share_pct = 10;          // new/acquired lines below this share languish
};

// A current customer of a rep, as the cross-sell check reads it (analysis/cross_sell.hpp).
struct CrossSellAccount {
    Id customer_id = 0;
    std::string name;
    // Lines with a won or an open opportunity for this customer (any owner), ascending: what
    // the cross-sell check counts as bought or already offered.
    std::vector<Id> covered_lines;
};

// Time is passed in, never read: tests and the scheduler set it.
struct Clock {
    Instant now{};
    Date today{};  // the local date in the workspace's zone
};

}  // namespace funnelbot::analysis

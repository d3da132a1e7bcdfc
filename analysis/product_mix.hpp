// Product-line mix of a rep's open funnel and its languishing lines (README, "What the
// figures mean").
#pragma once

#include <string>
#include <vector>

#include "analysis/funnel_types.hpp"
#include "analysis/share.hpp"

namespace funnelbot::analysis {

struct LineMix {
    Id line_id = 0;
    std::string name;
    std::string category;
    std::int64_t count = 0;  // open opportunities on this line
    Share count_share;       // of all open opportunities on responsible lines
    Money amount = 0;
    Share amount_share;
    bool recently_introduced = false;  // introduced within goals.languishing_days of today
    bool acquired = false;
    bool languishing = false;  // (recent or acquired) and count share < languishing_share_pct
};

struct ProductMix {
    // One row per responsible line, zero-count lines included; sorted by count descending,
    // then amount descending, then name (case-insensitive).
    std::vector<LineMix> lines;
    std::int64_t open_count = 0;  // open opportunities on responsible lines
    Money open_amount = 0;
    Share top_share;            // count share of lines[0]; {0,0} when the funnel is empty
    Share top_two_share;        // count share of the two largest lines together
    bool concentrated = false;  // top_share strictly above goals.max_line_pct (needs 2+ lines)
    int max_line_pct = 70;      // the goal used, so answers can quote it
    std::vector<std::string> empty_lines;        // responsible lines with no open opportunity
    std::vector<std::string> languishing_lines;  // names, in lines order
};

// `open` holds only open opportunities on the responsible lines (others are ignored).
ProductMix product_mix(const std::vector<ProductLine>& responsible_lines,
                       const std::vector<Opportunity>& open, const Goals& goals, Date today);

// Introduced on one of the goals.languishing_days days ending `today` (or later): with the
// default 90, a line introduced 89 days ago is recent, one introduced 90 days ago is not.
bool recently_introduced(const ProductLine& line, const Goals& goals, Date today);

// The lines other than the top one that deserve attention, most deserving first: new or
// acquired lines, then lines with no opportunities, then the smallest (count ascending, then
// name). With an empty funnel every line is returned.
std::vector<LineMix> lines_to_look_at(const ProductMix& mix);

}  // namespace funnelbot::analysis

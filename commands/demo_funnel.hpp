// A realistic demo team so a newcomer sees every feature at once (funnelbot console --demo).
#pragma once

#include "analysis/funnel_types.hpp"
#include "commands/user_error.hpp"
#include "storage/database.hpp"
#include "storage/records.hpp"

namespace funnelbot::commands {

struct DemoSummary {
    int reps = 0;
    int lines = 0;
    int opportunities = 0;
};

// A manager (maria), four reps (alice balanced, bob all-in on Widgets, carol stuck with
// current customers, dave ignoring the new and acquired lines), five product lines (Cloud
// Suite introduced last month, Sensors acquired) and about 60 opportunities, dated relative
// to `now`. Only into a workspace with no product lines and no opportunities; one transaction.
Result<DemoSummary> fill_demo(storage::Database& db, const storage::Workspace& ws,
                              analysis::Instant now);

}  // namespace funnelbot::commands

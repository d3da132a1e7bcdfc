// Rows of funnelbot's tables as plain structs (opportunities and product lines use the
// shared analysis types).
#pragma once

#include <optional>
#include <string>

#include "analysis/funnel_types.hpp"

namespace funnelbot::storage {

using analysis::Id;
using analysis::Instant;
using analysis::Money;

enum class Platform { console, slack, discord };
enum class Role { rep, manager, admin };
enum class CustomerStatus { prospect, current };

struct Workspace {
    Id id = 0;
    Platform platform = Platform::console;
    std::string external_id;  // Slack team id, Discord guild id, or "console"
    std::string name;
    std::string currency = "USD";
    std::string tz = "UTC";
    bool reminders_on = true;
    int reminder_weekday = 5;   // 0 = Sunday … 6 = Saturday
    int reminder_minute = 900;  // minutes after local midnight (15:00)
};

struct User {
    Id id = 0;
    Id workspace_id = 0;
    std::string platform_user_id;  // empty for a CSV placeholder owner
    std::string name;
    std::string display_name;
    std::string real_name;
    std::string email;
    // The owner name a CSV import knows this person by: a placeholder's own, or the one an admin
    // linked to them (/funnel-admin user link). Imports match names only against it.
    std::string imported_as;
    std::string tz;  // empty = the workspace zone
    Role role = Role::rep;
    bool platform_admin = false;  // set by the platform (or FUNNELBOT_ADMINS); stays admin
    bool active = true;
    bool reminders_on = true;
    std::optional<Id> team_id;
};

struct Team {
    Id id = 0;
    Id workspace_id = 0;
    std::string name;
    std::optional<Id> manager_id;
};

struct Customer {
    Id id = 0;
    Id workspace_id = 0;
    std::string name;  // as first written
    std::string key;   // normalized matching key
    CustomerStatus status = CustomerStatus::prospect;
};

// A goal row at one scope; unset fields fall through to the next scope.
struct GoalSettings {
    std::optional<int> max_line_pct;
    std::optional<int> new_share_pct;
    std::optional<int> tolerance_pct;
    std::optional<analysis::Territory> territory;
    std::optional<int> new_opps_per_month;
    std::optional<Money> quota_per_quarter;
    std::optional<int> languishing_days;
    std::optional<int> languishing_share_pct;
};

enum class GoalScope { workspace, team, rep };

}  // namespace funnelbot::storage

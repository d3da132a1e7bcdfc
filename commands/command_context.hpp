// What every handler gets: the database, the workspace, who is asking, and the time.
#pragma once

#include <string>

#include "analysis/funnel_types.hpp"
#include "storage/database.hpp"
#include "storage/records.hpp"

namespace funnelbot::commands {

// Who sent a command, as the platform tells it.
struct Identity {
    std::string platform_user_id;  // Slack "U123", Discord "123", console: the --as name
    std::string name;
    std::string display_name;
    std::string real_name;
    std::string email;
    std::string tz;               // IANA zone when the platform knows it
    bool platform_admin = false;  // platform admin/owner, Manage Server, FUNNELBOT_ADMINS
    // False where the platform says nothing of the person's role (a Discord DM carries no server
    // permissions): platform_admin then grants only what FUNNELBOT_ADMINS does, and the stored
    // flag is left as the server last said.
    bool platform_role_known = true;
};

struct CommandContext {
    storage::Database& db;
    storage::Workspace workspace;
    storage::User actor;
    analysis::Clock clock;  // now, and today in the workspace's zone
};

}  // namespace funnelbot::commands

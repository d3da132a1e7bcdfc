// Typed commands: what the Slack text parser and Discord's typed options both produce.
// Handlers receive these and never see the platform.
#pragma once

#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "analysis/funnel_types.hpp"
#include "commands/grammar/command_text.hpp"
#include "storage/records.hpp"

namespace funnelbot::commands {

using analysis::CustomerType;
using analysis::Date;
using analysis::Id;
using analysis::Money;
using analysis::Stage;

// A person named in a command: a platform mention or a console @name. Resolved to a user
// by the handler (commands/user_directory.hpp).
using UserRef = Mention;

enum class OppStatus { open, won, lost, all };

struct OppAdd {
    std::string customer;
    std::string product;
    std::optional<Money> amount;
    std::optional<Stage> stage;
    std::optional<Date> close;
    std::optional<UserRef> owner;
    std::optional<CustomerType> type;  // overrides the customer's status for this opportunity
};

struct OppList {
    std::optional<UserRef> rep;
    OppStatus status = OppStatus::open;
    std::optional<std::string> product;
    std::optional<std::string> customer;
};

struct OppUpdate {
    Id id = 0;
    std::optional<Stage> stage;
    std::optional<Money> amount;
    std::optional<Date> close;
    std::optional<std::string> product;
};

struct OppClose {
    enum class Action { won, lost, remove };
    Id id = 0;
    Action action = Action::won;
};

struct FunnelCheck {
    std::optional<UserRef> rep;
};

struct FunnelReview {
    std::optional<UserRef> rep;
    std::optional<bool> reminders;  // `reminders on|off`
};

struct TeamSummaryRequest {
    std::optional<std::string> team;
};

struct ProductAdd {
    std::string name;
    std::string category;
    bool is_new = false;
    bool acquired = false;
    std::optional<Date> since;
};

struct ProductList {};

struct ProductRetire {
    std::string name;
};

struct LinesAssign {
    std::optional<UserRef> rep;
    std::optional<std::string> team;
    std::vector<std::string> lines;  // empty with all = true
    bool all = false;
};

struct CustomerMark {
    std::string name;
    storage::CustomerStatus status = storage::CustomerStatus::current;
};

struct TeamManagerSet {
    std::string team;
    UserRef manager;
};

struct TeamMember {
    std::string team;
    UserRef rep;
    bool add = true;
};

struct RoleSet {
    UserRef user;
    storage::Role role = storage::Role::rep;
};

struct UserLeft {
    UserRef user;
    std::optional<UserRef> reassign;
};

// An owner a CSV import created as a placeholder is this person.
struct UserLink {
    std::string owner;  // the owner's name as the import wrote it
    UserRef user;
};

struct GoalsSet {
    std::optional<UserRef> rep;
    std::optional<std::string> team;
    storage::GoalSettings settings;  // nothing set: show the goals in force
};

struct RemindersSet {
    std::optional<bool> on;
    std::optional<int> weekday;  // 0 = Sunday
    std::optional<int> minute;   // after local midnight
    std::optional<std::string> tz;
};

struct WorkspaceSet {
    std::optional<std::string> currency;
    std::optional<std::string> tz;
};

struct Help {
    std::string topic;  // empty: overview
};

using Command = std::variant<OppAdd, OppList, OppUpdate, OppClose, FunnelCheck, FunnelReview,
                             TeamSummaryRequest, ProductAdd, ProductList, ProductRetire,
                             LinesAssign, CustomerMark, TeamManagerSet, TeamMember, RoleSet,
                             UserLeft, UserLink, GoalsSet, RemindersSet, WorkspaceSet, Help>;

}  // namespace funnelbot::commands

#include "commands/workspace/lookups.hpp"

#include "commands/grammar/value_parsers.hpp"
#include "commands/workspace/user_directory.hpp"
#include "storage/opportunity_repository.hpp"
#include "storage/product_line_repository.hpp"
#include "storage/team_repository.hpp"
#include "storage/user_repository.hpp"

namespace funnelbot::commands {

namespace {

std::string known_list(const std::vector<std::string>& names) {
    std::string out;
    for (const auto& n : names)
        out += (out.empty() ? "" : ", ") + n;
    return out;
}

}  // namespace

Result<analysis::ProductLine> find_product_line(CommandContext& ctx, const std::string& name,
                                                bool allow_retired) {
    storage::ProductLineRepository lines(ctx.db);
    auto found = lines.find_by_name(ctx.workspace.id, name);
    if (found && (found->active || allow_retired)) return *found;
    if (found) {
        return UserError{"The product line \"" + found->name +
                         "\" is retired. Pick an active line (/funnel-admin product list)."};
    }
    std::vector<std::string> active;
    for (const auto& l : lines.list(ctx.workspace.id, false))
        active.push_back(l.name);
    if (active.empty()) {
        return UserError{"Unknown product line \"" + name +
                         "\": this workspace has no product lines yet. An admin adds them with "
                         "/funnel-admin product add <name>."};
    }
    std::string msg = "Unknown product line \"" + name + "\".";
    if (auto guess = did_you_mean(name, active)) msg += " Did you mean \"" + *guess + "\"?";
    return UserError{msg + " Known: " + known_list(active) + "."};
}

Result<storage::Team> find_team(CommandContext& ctx, const std::string& name) {
    storage::TeamRepository teams(ctx.db);
    if (auto t = teams.find_by_name(ctx.workspace.id, name)) return *t;
    std::vector<std::string> names;
    for (const auto& t : teams.list(ctx.workspace.id))
        names.push_back(t.name);
    if (names.empty()) {
        return UserError{"Unknown team \"" + name +
                         "\": there are no teams yet. An admin creates one with /funnel-admin team "
                         "<name> manager:@manager."};
    }
    std::string msg = "Unknown team \"" + name + "\".";
    if (auto guess = did_you_mean(name, names)) msg += " Did you mean \"" + *guess + "\"?";
    return UserError{msg + " Teams: " + known_list(names) + "."};
}

Result<analysis::Opportunity> find_own_opportunity(CommandContext& ctx, analysis::Id id) {
    auto opp = storage::OpportunityRepository(ctx.db).get(ctx.workspace.id, id);
    if (opp) {
        if (opp->owner_id == ctx.actor.id) return *opp;
        auto owner = storage::UserRepository(ctx.db).get(ctx.workspace.id, opp->owner_id);
        if (owner && can_act_for(ctx, *owner)) return *opp;
    }
    // The same answer for "missing" and "someone else's": ids of others' deals stay private.
    return UserError{"There is no opportunity #" + std::to_string(id) +
                     " of yours. /opp list shows your opportunities and their ids."};
}

std::optional<UserError> require_admin(CommandContext& ctx, std::string_view what) {
    if (is_admin(ctx.actor)) return std::nullopt;
    return UserError{"Only funnelbot admins can " + std::string(what) +
                     ". Ask an admin (a workspace admin, or someone given the role with "
                     "/funnel-admin role @user admin)."};
}

}  // namespace funnelbot::commands

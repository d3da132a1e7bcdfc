#include "commands/grammar/arguments.hpp"
#include "commands/grammar/value_parsers.hpp"
#include "commands/handlers/command_handlers.hpp"
#include "commands/workspace/lookups.hpp"
#include "commands/workspace/user_directory.hpp"
#include "storage/goal_repository.hpp"
#include "storage/team_repository.hpp"

namespace funnelbot::commands {

namespace {

bool any_set(const storage::GoalSettings& s) {
    return s.max_line_pct || s.new_share_pct || s.tolerance_pct || s.territory ||
           s.new_opps_per_month || s.quota_per_quarter || s.languishing_days ||
           s.languishing_share_pct;
}

Section goals_section(const analysis::Goals& g, std::string_view currency) {
    Section s;
    s.figures.push_back(
        {"max-line", std::to_string(g.max_line_pct) + " % (no line above this share)"});
    s.figures.push_back({"territory", std::string(territory_name(g.territory))});
    s.figures.push_back({"new-share", std::to_string(g.new_share_pct) + " % ± " +
                                          std::to_string(g.tolerance_pct) + " (tolerance)"});
    s.figures.push_back({"new-opps", g.new_opps_per_month
                                         ? std::to_string(*g.new_opps_per_month) + "/month"
                                         : std::string("not set")});
    s.figures.push_back({"quota", g.quota_per_quarter
                                      ? format_money(*g.quota_per_quarter, currency) + "/quarter"
                                      : std::string("not set")});
    s.figures.push_back({"languishing", "lines new in the last " +
                                            std::to_string(g.languishing_days) +
                                            " days or acquired, under " +
                                            std::to_string(g.languishing_share_pct) + " %"});
    return s;
}

}  // namespace

Result<Reply> handle(CommandContext& ctx, const GoalsSet& cmd) {
    const bool admin = is_admin(ctx.actor);
    storage::TeamRepository teams(ctx.db);
    storage::GoalScope scope = storage::GoalScope::workspace;
    analysis::Id scope_id = 0;
    std::string who = "the workspace";
    std::optional<analysis::Id> team_id;
    std::optional<analysis::Id> user_id;
    if (cmd.rep) {
        auto rep = resolve_user(ctx, *cmd.rep, false);
        if (!rep) return rep.error();
        if (!admin && !(rep->team_id &&
                        teams.get(ctx.workspace.id, *rep->team_id)->manager_id == ctx.actor.id)) {
            return UserError{"Managers set goals for the reps of their own team; " +
                             display_name(*rep) + " is not in yours."};
        }
        scope = storage::GoalScope::rep;
        scope_id = rep->id;
        who = display_name(*rep);
        team_id = rep->team_id;
        user_id = rep->id;
    } else if (cmd.team) {
        auto team = find_team(ctx, *cmd.team);
        if (!team) return team.error();
        if (!admin && team->manager_id != ctx.actor.id) {
            return UserError{"Managers set goals for their own team; " + team->name +
                             " is not yours."};
        }
        scope = storage::GoalScope::team;
        scope_id = team->id;
        who = "team " + team->name;
        team_id = team->id;
    } else if (!admin) {
        if (!is_manager(ctx, ctx.actor)) {
            return UserError{
                "Only managers and admins set goals. /funnel-check shows the goals that apply to "
                "you."};
        }
        if (any_set(cmd.settings)) {
            return UserError{
                "Workspace-wide goals are for admins. Name your team with team:<name> or a rep "
                "with @rep."};
        }
    }
    if (!admin && !is_manager(ctx, ctx.actor)) {
        return UserError{
            "Only managers and admins set goals. /funnel-check shows the goals that apply to you."};
    }
    storage::GoalRepository goals(ctx.db);
    Reply reply;
    if (any_set(cmd.settings)) {
        goals.merge(ctx.workspace.id, scope, scope_id, cmd.settings);
        reply.title = "Goals set";
        reply.verdict = Verdict::good;
        reply.summary = "Goals for " + who + " updated; the goals now in force:";
    } else {
        reply.title = "Goals";
        reply.summary = "Goals in force for " + who + " (rep overrides team overrides workspace):";
    }
    reply.sections.push_back(
        goals_section(goals.resolve(ctx.workspace.id, team_id, user_id), ctx.workspace.currency));
    return reply;
}

Result<Command> parse_goals(std::span<const Arg> args, std::string_view usage) {
    GoalsSet cmd;
    for (const auto& a : args) {
        if (a.kind == Arg::Kind::mention) {
            if (cmd.rep || cmd.team) return wrong("Name one rep or one team.", usage);
            cmd.rep = a.mention;
            continue;
        }
        if (a.kind != Arg::Kind::option) return wrong("Unexpected " + describe(a) + ".", usage);
        auto& s = cmd.settings;
        auto set_int = [&](std::optional<int>& field, int lo, int hi,
                           std::string_view suffix) -> std::optional<UserError> {
            if (field) return duplicate_option(a, usage);
            auto v = bounded_int(a, lo, hi, suffix, usage);
            if (!v) return v.error();
            field = *v;
            return std::nullopt;
        };
        std::optional<UserError> err;
        if (a.key == "team") {
            if (cmd.rep || cmd.team) return wrong("Name one rep or one team.", usage);
            cmd.team = a.text;
        } else if (a.key == "max-line") {
            err = set_int(s.max_line_pct, 1, 100, "");
        } else if (a.key == "new-share") {
            err = set_int(s.new_share_pct, 0, 100, "");
        } else if (a.key == "tolerance") {
            err = set_int(s.tolerance_pct, 0, 50, "");
        } else if (a.key == "new-opps") {
            err = set_int(s.new_opps_per_month, 0, 10000, "/month");
        } else if (a.key == "languishing-days") {
            err = set_int(s.languishing_days, 1, 3650, "");
        } else if (a.key == "languishing-share") {
            err = set_int(s.languishing_share_pct, 0, 100, "");
        } else if (a.key == "territory") {
            if (s.territory) return duplicate_option(a, usage);
            auto t = parse_territory(a.text);
            if (!t)
                return wrong("territory must be balanced, new or existing, not \"" + a.text + "\".",
                             usage);
            s.territory = *t;
        } else if (a.key == "quota") {
            if (s.quota_per_quarter) return duplicate_option(a, usage);
            std::string_view t = a.text;
            constexpr std::string_view q = "/quarter";
            if (t.size() > q.size() && iequals(t.substr(t.size() - q.size()), q))
                t.remove_suffix(q.size());
            auto m = parse_money(t);
            if (!m) return wrong(m.error().message, usage);
            s.quota_per_quarter = *m;
        } else {
            return unknown_option(a, usage);
        }
        if (err) return *err;
    }
    return Command{cmd};
}

}  // namespace funnelbot::commands

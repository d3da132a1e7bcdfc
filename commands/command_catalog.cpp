#include "commands/command_catalog.hpp"

#include <array>
#include <string>

namespace funnelbot::commands {

namespace {

constexpr std::array kCatalog{
    CommandInfo{"opp add",
                "/opp add <customer…> product:<line> [amount:<money>] [stage:<stage>] "
                "[close:<date>] [owner:@rep] [new|existing]",
                "Log an opportunity."},
    CommandInfo{"opp list",
                "/opp list [@rep] [open|won|lost|all] [product:<line>] [customer:<name>]",
                "List opportunities (open ones by default)."},
    CommandInfo{"opp update", "/opp update <id> [stage:…] [amount:…] [close:…] [product:…]",
                "Change an opportunity."},
    CommandInfo{"opp won", "/opp won <id>",
                "Mark an opportunity won (its customer becomes current)."},
    CommandInfo{"opp lost", "/opp lost <id>", "Mark an opportunity lost."},
    CommandInfo{"opp remove", "/opp remove <id>", "Delete an opportunity logged by mistake."},
    CommandInfo{"funnel-check", "/funnel-check [@rep]",
                "Is your funnel balanced across product lines and new/current customers?"},
    CommandInfo{"funnel-review", "/funnel-review [@rep] | /funnel-review reminders on|off",
                "The five weekend review questions, answered from your funnel."},
    CommandInfo{"team-summary", "/team-summary [team]",
                "Managers and admins: a row per rep, the team's mix and who to coach."},
    CommandInfo{"funnel-admin product add",
                "/funnel-admin product add <name…> [category:<c>] [new] [acquired] [since:<date>]",
                "Define a product line."},
    CommandInfo{"funnel-admin product list", "/funnel-admin product list", "List product lines."},
    CommandInfo{"funnel-admin product retire", "/funnel-admin product retire <name…>",
                "Retire a product line (its opportunities stay, listed apart)."},
    CommandInfo{
        "funnel-admin lines",
        "/funnel-admin lines @rep|team:<name> <line>[,<line>…] | lines @rep|team:<name> all",
        "Set the product lines a rep or team is responsible for."},
    CommandInfo{"funnel-admin customer", "/funnel-admin customer <name…> current|prospect",
                "Mark a customer as a current account or a prospect."},
    CommandInfo{
        "funnel-admin team",
        "/funnel-admin team <name> manager:@m | team <name> add @rep | team <name> remove @rep",
        "Create teams, set their manager, add and remove reps."},
    CommandInfo{"funnel-admin role", "/funnel-admin role @user manager|rep|admin",
                "Give someone a role."},
    CommandInfo{"funnel-admin user", "/funnel-admin user @rep left [reassign:@other]",
                "A rep left: deactivate them and optionally hand their opportunities over."},
    CommandInfo{
        "funnel-admin goals",
        "/funnel-admin goals [@rep|team:<name>] [max-line:70] [new-share:50] [tolerance:15] "
        "[territory:balanced|new|existing] [new-opps:<n>/month] [quota:<money>/quarter]",
        "Set thresholds and goals (no options: show the goals in force)."},
    CommandInfo{"funnel-admin reminders",
                "/funnel-admin reminders on|off [day:fri] [time:15:00] [tz:America/Chicago]",
                "Friday reminder settings for the workspace."},
    CommandInfo{"funnel-admin workspace",
                "/funnel-admin workspace [currency:USD] [tz:Europe/Berlin]",
                "Workspace currency and default time zone."},
    CommandInfo{"funnel-help", "/funnel-help [command]", "This help."},
};

}  // namespace

std::span<const CommandInfo> command_catalog() {
    return kCatalog;
}

std::string_view usage_of(std::string_view path) {
    for (const auto& info : kCatalog) {
        if (info.path == path) return info.usage;
    }
    const auto space = path.find(' ');
    if (space != std::string_view::npos) return usage_of(path.substr(0, space));
    return "/funnel-help";
}

std::string usages_under(std::string_view prefix) {
    std::string out;
    for (const auto& info : kCatalog) {
        if (info.path == prefix ||
            (info.path.starts_with(prefix) && info.path.size() > prefix.size() &&
             info.path[prefix.size()] == ' ')) {
            if (!out.empty()) out += '\n';
            out += info.usage;
        }
    }
    return out;
}

}  // namespace funnelbot::commands

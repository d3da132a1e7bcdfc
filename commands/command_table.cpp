#include "commands/command_table.hpp"

#include <array>
#include <stdexcept>

#include "commands/handlers/command_handlers.hpp"

namespace funnelbot::commands {

namespace {

using Choices = std::span<const std::string_view>;

constexpr OptionSpec text(std::string_view name, Written written, std::string_view description,
                          bool required = false) {
    return {name, OptionType::text, written, description, required};
}

constexpr OptionSpec user(std::string_view name, Written written, std::string_view description,
                          bool required = false) {
    return {name, OptionType::user, written, description, required};
}

constexpr OptionSpec choice(std::string_view name, Written written, std::string_view description,
                            Choices choices, bool required = false) {
    return {name, OptionType::choice, written, description, required, choices};
}

constexpr OptionSpec integer(std::string_view name, Written written, std::string_view description,
                             std::int64_t min, std::int64_t max, bool required = false) {
    return {name, OptionType::integer, written, description, required, {}, min, max};
}

constexpr OptionSpec flag(std::string_view name, std::string_view description) {
    return {name, OptionType::boolean, Written::flag, description};
}

constexpr OptionSpec literal(std::string_view word) {
    return {word, OptionType::text, Written::literal, {}};
}

constexpr bool kRequired = true;

constexpr std::array<std::string_view, 6> kStages{"prospecting", "qualification", "proposal",
                                                  "negotiation", "won",           "lost"};
constexpr std::array<std::string_view, 2> kCustomerTypes{"new", "existing"};
constexpr std::array<std::string_view, 4> kStatuses{"open", "won", "lost", "all"};
constexpr std::array<std::string_view, 2> kCustomerStatuses{"current", "prospect"};
constexpr std::array<std::string_view, 3> kRoles{"manager", "rep", "admin"};
constexpr std::array<std::string_view, 3> kTerritories{"balanced", "new", "existing"};
constexpr std::array<std::string_view, 2> kOnOff{"on", "off"};
constexpr std::array<std::string_view, 7> kWeekdays{"mon", "tue", "wed", "thu",
                                                    "fri", "sat", "sun"};

// Opportunity ids are SQLite rowids: positive, and within Discord's INTEGER range (2^53 - 1).
constexpr OptionSpec kId =
    integer("id", Written::positional, "The opportunity's number, as /opp list shows it", 1,
            9007199254740991LL, kRequired);

// --- /opp ---------------------------------------------------------------------------------

constexpr OptionSpec kOppAdd[] = {
    text("customer", Written::positional, "The customer's name", kRequired),
    text("product", Written::key_value, "The product line", kRequired),
    text("amount", Written::key_value, "Amount, e.g. 25k or $25,000"),
    choice("stage", Written::key_value, "Stage (default prospecting)", kStages),
    text("close", Written::key_value, "Expected close date, YYYY-MM-DD"),
    user("owner", Written::key_mention, "The rep who owns it (default you)"),
    choice("type", Written::key_value, "Override the customer's status", kCustomerTypes)};
constexpr TypedForm kOppAddForms[] = {{"", "Add an opportunity", kOppAdd}};

constexpr OptionSpec kOppList[] = {
    user("rep", Written::mention, "Whose opportunities (default yours)"),
    choice("status", Written::key_value, "Which ones (default open)", kStatuses),
    text("product", Written::key_value, "Only this product line"),
    text("customer", Written::key_value, "Only this customer")};
constexpr TypedForm kOppListForms[] = {{"", "List opportunities", kOppList}};

constexpr OptionSpec kOppUpdate[] = {
    kId, choice("stage", Written::key_value, "New stage", kStages),
    text("amount", Written::key_value, "New amount, e.g. 25k"),
    text("close", Written::key_value, "New close date, YYYY-MM-DD"),
    text("product", Written::key_value, "New product line")};
constexpr TypedForm kOppUpdateForms[] = {{"", "Change an opportunity", kOppUpdate}};

constexpr OptionSpec kOppId[] = {kId};
constexpr TypedForm kOppWonForms[] = {{"", "Mark an opportunity won", kOppId}};
constexpr TypedForm kOppLostForms[] = {{"", "Mark an opportunity lost", kOppId}};
constexpr TypedForm kOppRemoveForms[] = {{"", "Remove an opportunity entered by mistake", kOppId}};

// --- /funnel-check, /funnel-review, /team-summary, /funnel-help ---------------------------

constexpr OptionSpec kFunnelCheck[] = {
    user("rep", Written::mention, "A rep of your team (default you)")};
constexpr TypedForm kFunnelCheckForms[] = {{"", "Check how balanced a funnel is", kFunnelCheck}};

constexpr OptionSpec kFunnelReview[] = {
    user("rep", Written::mention, "A rep of your team (default you)"),
    choice("reminders", Written::leading_pair, "Turn your own Friday reminder on or off", kOnOff)};
constexpr TypedForm kFunnelReviewForms[] = {
    {"", "The five weekend questions, answered now", kFunnelReview}};

constexpr OptionSpec kTeamSummary[] = {
    text("team", Written::key_value, "The team (default every team you manage)")};
constexpr TypedForm kTeamSummaryForms[] = {
    {"", "Summary of a team's funnels (managers and admins)", kTeamSummary}};

constexpr OptionSpec kHelp[] = {text("command", Written::raw, "A command, e.g. opp add")};
constexpr TypedForm kHelpForms[] = {{"", "How to use funnelbot", kHelp}};

// --- /funnel-admin ------------------------------------------------------------------------

constexpr OptionSpec kProductAdd[] = {
    text("name", Written::positional, "The line's name", kRequired),
    text("category", Written::key_value, "Its category"), flag("new", "A line new to the market"),
    flag("acquired", "Came with an acquisition"),
    text("since", Written::key_value, "Sold since, YYYY-MM-DD")};
constexpr TypedForm kProductAddForms[] = {{"", "Add a product line", kProductAdd}};
constexpr TypedForm kProductListForms[] = {{"", "List the product lines", {}}};
constexpr OptionSpec kProductRetire[] = {
    text("name", Written::positional, "The line's name", kRequired)};
constexpr TypedForm kProductRetireForms[] = {{"", "Retire a product line", kProductRetire}};

constexpr OptionSpec kLines[] = {
    text("lines", Written::word_list, "Lines, comma-separated, or all", kRequired),
    user("rep", Written::mention, "The rep"), text("team", Written::key_value, "The team")};
constexpr TypedForm kLinesForms[] = {{"", "Set which lines a rep or team sells", kLines}};

constexpr OptionSpec kCustomer[] = {
    text("name", Written::positional, "The customer's name", kRequired),
    choice("status", Written::keyword, "Current customer or prospect", kCustomerStatuses,
           kRequired)};
constexpr TypedForm kCustomerForms[] = {{"", "Mark a customer current or prospect", kCustomer}};

// One text form, three typed leaves: typed options cannot say "manager:@m or add @rep".
constexpr OptionSpec kTeamManager[] = {
    text("team", Written::positional, "The team's name", kRequired),
    user("manager", Written::key_mention, "Its manager", kRequired)};
constexpr OptionSpec kTeamAdd[] = {text("team", Written::positional, "The team's name", kRequired),
                                   literal("add"),
                                   user("rep", Written::mention, "The rep", kRequired)};
constexpr OptionSpec kTeamRemove[] = {
    text("team", Written::positional, "The team's name", kRequired), literal("remove"),
    user("rep", Written::mention, "The rep", kRequired)};
constexpr TypedForm kTeamForms[] = {
    {"funnel-admin team manager", "Create a team if needed and set its manager", kTeamManager},
    {"funnel-admin team add", "Add a rep to a team", kTeamAdd},
    {"funnel-admin team remove", "Remove a rep from a team", kTeamRemove}};

constexpr OptionSpec kRole[] = {user("user", Written::mention, "Who", kRequired),
                                choice("role", Written::keyword, "The role", kRoles, kRequired)};
constexpr TypedForm kRoleForms[] = {{"", "Set someone's role", kRole}};

// `user @rep left`: the fixed word is a typed subcommand of its own.
constexpr OptionSpec kUserLink[] = {
    literal("link"),
    text("owner", Written::positional, "The owner's name as the CSV import wrote it", kRequired),
    user("user", Written::mention, "The person that owner is", kRequired)};
constexpr OptionSpec kUserLeft[] = {
    user("user", Written::mention, "Who left", kRequired), literal("left"),
    user("reassign", Written::key_mention, "Who takes their opportunities")};
constexpr TypedForm kUserForms[] = {
    {"funnel-admin user left", "Someone left: close their access, optionally hand over opps",
     kUserLeft},
    {"funnel-admin user link", "Link an owner from a CSV import to the person it is", kUserLink}};

constexpr OptionSpec kGoals[] = {
    user("rep", Written::mention, "Goals for this rep"),
    text("team", Written::key_value, "Goals for this team"),
    integer("max-line", Written::key_value, "Most of the funnel one line may hold, in %", 1, 100),
    integer("new-share", Written::key_value, "Target share of new customers, in %", 0, 100),
    integer("tolerance", Written::key_value, "Allowed distance from the targets, in points", 0, 50),
    choice("territory", Written::key_value, "Where the rep should sell", kTerritories),
    integer("new-opps", Written::key_value, "New-customer opportunities a month", 0, 10000),
    text("quota", Written::key_value, "Quota a quarter, e.g. 250k"),
    integer("languishing-days", Written::key_value, "Days without change before an opp languishes",
            1, 3650),
    integer("languishing-share", Written::key_value, "Most of the funnel that may languish, in %",
            0, 100)};
constexpr TypedForm kGoalsForms[] = {{"", "Show or set goals", kGoals}};

constexpr OptionSpec kReminders[] = {
    choice("state", Written::keyword, "On or off", kOnOff),
    choice("day", Written::key_value, "Weekday", kWeekdays),
    text("time", Written::key_value, "Local time, HH:MM (24-hour)"),
    text("tz", Written::key_value, "Time zone, e.g. America/Chicago")};
constexpr TypedForm kRemindersForms[] = {{"", "Friday reminders for the workspace", kReminders}};

constexpr OptionSpec kWorkspace[] = {
    text("currency", Written::key_value, "Three-letter code, e.g. USD"),
    text("tz", Written::key_value, "Time zone, e.g. Europe/Berlin")};
constexpr TypedForm kWorkspaceForms[] = {{"", "Workspace settings", kWorkspace}};

// --- the table ----------------------------------------------------------------------------

constexpr std::array kTable{
    CommandSpec{"opp add",
                "/opp add <customer…> product:<line> [amount:<money>] [stage:<stage>] "
                "[close:<date>] [owner:@rep] [new|existing]",
                "Log an opportunity.", Audience::everyone, always_writes, producing<OppAdd>(),
                parse_opp_add, kOppAddForms},
    CommandSpec{"opp list",
                "/opp list [@rep] [open|won|lost|all] [product:<line>] [customer:<name>]",
                "List opportunities (open ones by default).", Audience::everyone, always_reads,
                producing<OppList>(), parse_opp_list, kOppListForms},
    CommandSpec{"opp update", "/opp update <id> [stage:…] [amount:…] [close:…] [product:…]",
                "Change an opportunity.", Audience::everyone, always_writes, producing<OppUpdate>(),
                parse_opp_update, kOppUpdateForms},
    CommandSpec{"opp won", "/opp won <id>",
                "Mark an opportunity won (its customer becomes current).", Audience::everyone,
                always_writes, producing<OppClose>(), parse_opp_won, kOppWonForms},
    CommandSpec{"opp lost", "/opp lost <id>", "Mark an opportunity lost.", Audience::everyone,
                always_writes, producing<OppClose>(), parse_opp_lost, kOppLostForms},
    CommandSpec{"opp remove", "/opp remove <id>", "Delete an opportunity logged by mistake.",
                Audience::everyone, always_writes, producing<OppClose>(), parse_opp_remove,
                kOppRemoveForms},
    CommandSpec{"funnel-check", "/funnel-check [@rep]",
                "Is your funnel balanced across product lines and new/current customers?",
                Audience::everyone, always_reads, producing<FunnelCheck>(), parse_funnel_check,
                kFunnelCheckForms},
    CommandSpec{"funnel-review", "/funnel-review [@rep] | /funnel-review reminders on|off",
                "The five weekend review questions, answered from your funnel.", Audience::everyone,
                funnel_review_reads_only, producing<FunnelReview>(), parse_funnel_review,
                kFunnelReviewForms},
    CommandSpec{"team-summary", "/team-summary [team]",
                "a row per rep, the team's mix and who to coach.", Audience::managers, always_reads,
                producing<TeamSummaryRequest>(), parse_team_summary, kTeamSummaryForms},
    CommandSpec{"funnel-admin product add",
                "/funnel-admin product add <name…> [category:<c>] [new] [acquired] [since:<date>]",
                "Define a product line.", Audience::admins, always_writes, producing<ProductAdd>(),
                parse_product_add, kProductAddForms},
    CommandSpec{"funnel-admin product list", "/funnel-admin product list", "List product lines.",
                Audience::everyone, always_reads, producing<ProductList>(), parse_product_list,
                kProductListForms},
    CommandSpec{"funnel-admin product retire", "/funnel-admin product retire <name…>",
                "Retire a product line (its opportunities stay, listed apart).", Audience::admins,
                always_writes, producing<ProductRetire>(), parse_product_retire,
                kProductRetireForms},
    CommandSpec{
        "funnel-admin lines",
        "/funnel-admin lines @rep|team:<name> <line>[,<line>…] | lines @rep|team:<name> all",
        "Set the product lines a rep or team is responsible for.", Audience::admins, always_writes,
        producing<LinesAssign>(), parse_lines, kLinesForms},
    CommandSpec{"funnel-admin customer", "/funnel-admin customer <name…> current|prospect",
                "Mark a customer as a current account or a prospect.", Audience::admins,
                always_writes, producing<CustomerMark>(), parse_customer, kCustomerForms},
    CommandSpec{
        "funnel-admin team",
        "/funnel-admin team <name> manager:@m | team <name> add @rep | team <name> remove @rep",
        "Create teams, set their manager, add and remove reps.", Audience::admins, always_writes,
        producing<TeamManagerSet, TeamMember>(), parse_team, kTeamForms},
    CommandSpec{"funnel-admin role", "/funnel-admin role @user manager|rep|admin",
                "Give someone a role.", Audience::admins, always_writes, producing<RoleSet>(),
                parse_role, kRoleForms},
    CommandSpec{"funnel-admin user",
                "/funnel-admin user @rep left [reassign:@other] | "
                "user link \"<owner as imported>\" @user",
                "A rep left: deactivate them and optionally hand their opportunities over. Or: "
                "link an owner a CSV import created to the person it is.",
                Audience::admins, always_writes, producing<UserLeft, UserLink>(), parse_user,
                kUserForms},
    CommandSpec{
        "funnel-admin goals",
        "/funnel-admin goals [@rep|team:<name>] [max-line:70] [new-share:50] [tolerance:15] "
        "[territory:balanced|new|existing] [new-opps:<n>/month] [quota:<money>/quarter]",
        "Set thresholds and goals (no options: show the goals in force).", Audience::managers,
        always_writes, producing<GoalsSet>(), parse_goals, kGoalsForms},
    CommandSpec{"funnel-admin reminders",
                "/funnel-admin reminders on|off [day:fri] [time:15:00] [tz:America/Chicago]",
                "Friday reminder settings for the workspace.", Audience::admins, always_writes,
                producing<RemindersSet>(), parse_reminders, kRemindersForms},
    CommandSpec{"funnel-admin workspace",
                "/funnel-admin workspace [currency:USD] [tz:Europe/Berlin]",
                "Workspace currency and default time zone.", Audience::admins, always_writes,
                producing<WorkspaceSet>(), parse_workspace, kWorkspaceForms},
    CommandSpec{"funnel-help", "/funnel-help [command]", "This help.", Audience::everyone,
                always_reads, producing<Help>(), parse_funnel_help, kHelpForms},
};

constexpr std::array kGroups{
    TypedGroup{"opp", "Add, list, update and close opportunities"},
    TypedGroup{"funnel-admin", "Set up product lines, teams, roles, goals and reminders"},
    TypedGroup{"funnel-admin product", "Product lines"},
    TypedGroup{"funnel-admin team", "Teams"},
    TypedGroup{"funnel-admin user", "People"},
};

}  // namespace

bool always_reads(const Command&) {
    return true;
}

bool always_writes(const Command&) {
    return false;
}

std::span<const CommandSpec> command_table() {
    return kTable;
}

std::span<const TypedGroup> typed_groups() {
    return kGroups;
}

bool path_under(std::string_view path, std::string_view prefix) {
    return path.starts_with(prefix) && (path.size() == prefix.size() || path[prefix.size()] == ' ');
}

const CommandSpec* find_command(std::string_view path) {
    for (const auto& spec : kTable) {
        if (spec.path == path) return &spec;
    }
    return nullptr;
}

const CommandSpec& command_for(const Command& command) {
    const std::uint32_t bit = std::uint32_t{1} << command.index();
    for (const auto& spec : kTable) {
        if ((spec.produces & bit) != 0) return spec;
    }
    // The table test checks every alternative has an entry.
    throw std::logic_error("no command table entry produces this command");
}

std::string_view typed_path(const CommandSpec& command, const TypedForm& form) {
    return form.path.empty() ? command.path : form.path;
}

std::optional<TypedLeaf> find_typed_form(std::string_view path) {
    for (const auto& spec : kTable) {
        for (const auto& form : spec.forms) {
            if (typed_path(spec, form) == path) return TypedLeaf{&spec, &form};
        }
    }
    return std::nullopt;
}

bool decided_by_role(std::string_view name, std::string_view text) {
    if (!name.empty() && name.front() == '/') name.remove_prefix(1);
    // A mention in any platform's spelling (<@U1|ann>, <@123>) or the console's (@ann).
    if (text.find('@') != std::string_view::npos) return true;
    for (const CommandSpec& spec : command_table()) {
        if (path_under(spec.path, name) && spec.audience != Audience::everyone) return true;
    }
    return false;
}

std::vector<std::string> top_level_commands() {
    std::vector<std::string> names;
    for (const auto& spec : kTable) {
        const std::string name(spec.path.substr(0, spec.path.find(' ')));
        if (names.empty() || names.back() != name) names.push_back(name);
    }
    return names;
}

std::string_view audience_label(Audience audience) {
    switch (audience) {
        case Audience::managers:
            return "Managers and admins";
        case Audience::admins:
            return "Admins";
        case Audience::everyone:
            break;
    }
    return {};
}

std::string_view usage_of(std::string_view path) {
    if (const CommandSpec* spec = find_command(path)) return spec->usage;
    const auto space = path.find(' ');
    if (space != std::string_view::npos) return usage_of(path.substr(0, space));
    return "/funnel-help";
}

std::string usages_under(std::string_view prefix) {
    std::string out;
    for (const auto& spec : kTable) {
        if (path_under(spec.path, prefix)) {
            if (!out.empty()) out += '\n';
            out += spec.usage;
        }
    }
    return out;
}

}  // namespace funnelbot::commands

// The text grammar into typed commands: the fields each form fills.
#include <gtest/gtest.h>

#include "commands/command_table.hpp"
#include "commands/grammar/command_parser.hpp"

namespace funnelbot::commands {
namespace {

using namespace std::chrono;

template <class T>
T parse_as(std::string_view name, std::string_view text) {
    auto r = parse_command(name, text);
    EXPECT_TRUE(r.ok()) << text << ": " << (r.ok() ? "" : r.error().message);
    if (!r.ok()) return T{};
    EXPECT_TRUE(std::holds_alternative<T>(*r)) << text;
    return std::holds_alternative<T>(*r) ? std::get<T>(*r) : T{};
}

TEST(CommandParser, OppAddTakesTheNameUntilTheFirstOption) {
    const auto add = parse_as<OppAdd>(
        "opp",
        "add Acme Rocket Corp product:\"Cloud Suite\" amount:$25,000 stage=Negotiation/Review "
        "close:2026-12-31 owner:<@U42|bob> existing");
    EXPECT_EQ(add.customer, "Acme Rocket Corp");
    EXPECT_EQ(add.product, "Cloud Suite");
    EXPECT_EQ(add.amount, 2500000);
    EXPECT_EQ(add.stage, Stage::negotiation);
    EXPECT_EQ(add.close, Date{2026y / 12 / 31});
    ASSERT_TRUE(add.owner.has_value());
    EXPECT_EQ(add.owner->user_id, "U42");
    EXPECT_EQ(add.owner->name, "bob");
    EXPECT_EQ(add.type, CustomerType::existing);
}

TEST(CommandParser, OppListAcceptsStatusWordsMentionsAndFilters) {
    const auto list =
        parse_as<OppList>("opp", "list <@123> won product:Widgets customer:\"Acme Corp\"");
    ASSERT_TRUE(list.rep.has_value());
    EXPECT_EQ(list.rep->user_id, "123");
    EXPECT_EQ(list.status, OppStatus::won);
    EXPECT_EQ(list.product, "Widgets");
    EXPECT_EQ(list.customer, "Acme Corp");
    EXPECT_EQ(parse_as<OppList>("opp", "list").status, OppStatus::open);
}

TEST(CommandParser, AdminForms) {
    const auto product = parse_as<ProductAdd>(
        "funnel-admin", "product add Cloud Suite category:Software new acquired");
    EXPECT_EQ(product.name, "Cloud Suite");
    EXPECT_EQ(product.category, "Software");
    EXPECT_TRUE(product.is_new);
    EXPECT_TRUE(product.acquired);

    const auto lines =
        parse_as<LinesAssign>("funnel-admin", "lines team:East Widgets, Cloud Suite ,Gadgets");
    EXPECT_EQ(lines.team, "East");
    EXPECT_EQ(lines.lines, (std::vector<std::string>{"Widgets", "Cloud Suite", "Gadgets"}));
    EXPECT_TRUE(parse_as<LinesAssign>("funnel-admin", "lines @alice all").all);

    const auto goals = parse_as<GoalsSet>(
        "funnel-admin",
        "goals team:East max-line:60 new-share:40% tolerance:10 territory:new new-opps:4/month "
        "quota:250k/quarter");
    EXPECT_EQ(goals.team, "East");
    EXPECT_EQ(goals.settings.max_line_pct, 60);
    EXPECT_EQ(goals.settings.new_share_pct, 40);
    EXPECT_EQ(goals.settings.tolerance_pct, 10);
    EXPECT_EQ(goals.settings.territory, analysis::Territory::new_customers);
    EXPECT_EQ(goals.settings.new_opps_per_month, 4);
    EXPECT_EQ(goals.settings.quota_per_quarter, 25000000);

    const auto reminders = parse_as<RemindersSet>(
        "funnel-admin", "reminders on day:Thursday time:16:30 tz:Europe/Berlin");
    EXPECT_EQ(reminders.on, true);
    EXPECT_EQ(reminders.weekday, 4);
    EXPECT_EQ(reminders.minute, 16 * 60 + 30);
    EXPECT_EQ(reminders.tz, "Europe/Berlin");

    const auto team = parse_as<TeamMember>("funnel-admin", "team Sales East add @alice");
    EXPECT_EQ(team.team, "Sales East");
    EXPECT_EQ(team.rep.name, "alice");
    EXPECT_TRUE(team.add);

    const auto left = parse_as<UserLeft>("funnel-admin", "user <@U1|al> left reassign:<@U2|bo>");
    EXPECT_EQ(left.user.user_id, "U1");
    ASSERT_TRUE(left.reassign.has_value());
    EXPECT_EQ(left.reassign->user_id, "U2");

    const auto customer = parse_as<CustomerMark>("funnel-admin", "customer Acme, Inc. prospect");
    EXPECT_EQ(customer.name, "Acme, Inc.");
    EXPECT_EQ(customer.status, storage::CustomerStatus::prospect);
}

TEST(CommandParser, WrongFormsNameTheProblemAndShowTheUsage) {
    struct Case {
        std::string_view name, text, message;
    };
    const Case cases[] = {
        {"opp", "", "Which /opp command? One of:\n/opp add <customer…>"},
        {"opp", "add Acme product:X product:Y",
         "The option \"product\" is given twice.\nUsage: /opp add"},
        {"opp", "add Acme product:X new existing", "Choose one of new or existing, not both."},
        {"opp", "add Acme product:X type:old", "type must be new or existing, not \"old\"."},
        {"opp", "add <@U1> product:X",
         "A mention (<@U1>) cannot be part of a name; use owner:@rep."},
        {"opp", "won", "Missing the opportunity id.\nUsage: /opp won <id>"},
        {"opp", "won 1 2", "Give exactly one opportunity id."},
        {"opp", "update -3 stage:won", "\"-3\" is not an opportunity id"},
        {"funnel-check", "alice", "Unexpected \"alice\". Name at most one rep, as a mention."},
        {"funnel-review", "reminders maybe", "Say reminders on or reminders off."},
        {"funnel-admin", "role @bob boss", "Unknown role \"boss\": manager, rep or admin."},
        {"funnel-admin", "reminders time:25:00", "time must be HH:MM on a 24-hour clock"},
        {"funnel-admin", "reminders day:someday", "day must be a weekday such as fri"},
        {"funnel-admin", "workspace currency:dollars", "currency must be a three-letter code"},
        {"funnel-admin", "goals tolerance:60", "tolerance must be a whole number from 0 to 50"},
        {"funnel-admin", "goals territory:everywhere",
         "territory must be balanced, new or existing"},
        {"funnel-admin", "lines Widgets", "Name a rep (@rep) or a team (team:<name>)."},
        {"funnel-admin", "customer Acme", "End with current or prospect."},
        {"funnel-admin", "team East", "Say what to do with team \"East\"."},
        {"funnel-admin", "product", "Which product command?"},
        {"sales", "", "Unknown command \"/sales\"."},
    };
    for (const auto& c : cases) {
        auto r = parse_command(c.name, c.text);
        ASSERT_FALSE(r.ok()) << c.name << " " << c.text;
        EXPECT_NE(r.error().message.find(c.message), std::string::npos)
            << c.name << " " << c.text << "\n got: " << r.error().message;
    }
}

TEST(CommandParser, UnknownSubcommandsListTheTablesForms) {
    struct Case {
        std::string_view name, text;
        std::string message;
    };
    const Case cases[] = {
        {"opp", "ad Acme",
         "Unknown /opp command \"ad\". Did you mean \"add\"? One of:\n" + usages_under("opp")},
        {"funnel-admin", "gaols",
         "Unknown /funnel-admin command \"gaols\". Did you mean \"goals\"? One of:\n" +
             usages_under("funnel-admin")},
        {"funnel-admin", "product ad X",
         "Unknown product command \"ad\". One of:\n" + usages_under("funnel-admin product")},
        {"funnel-admin", "<@U1>",
         "Which /funnel-admin command? One of:\n" + usages_under("funnel-admin")},
        {"funnel-chek", "",
         "Unknown command \"/funnel-chek\". Did you mean \"/funnel-check\"? Type /funnel-help for "
         "the list of commands."},
    };
    for (const auto& c : cases) {
        const auto r = parse_command(c.name, c.text);
        ASSERT_FALSE(r.ok()) << c.name << " " << c.text;
        EXPECT_EQ(r.error().message, c.message);
    }
}

TEST(CommandParser, SplitCommandLine) {
    auto line = split_command_line("  /OPP add Acme product:X");
    ASSERT_TRUE(line.ok());
    EXPECT_EQ(line->name, "opp");
    EXPECT_EQ(line->text, "add Acme product:X");
    EXPECT_FALSE(split_command_line("   ").ok());
}

}  // namespace
}  // namespace funnelbot::commands

// Values users type: money, dates, stages, territories, percentages.
#include "commands/grammar/value_parsers.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace funnelbot::commands {
namespace {

using namespace std::chrono;

const std::string kEuro = "\xE2\x82\xAC";
const std::string kPound = "\xC2\xA3";
const std::string kYen = "\xC2\xA5";
const std::string kMoneyForms = " Use 25000, 25k, $25,000, 1.2m or 25000.50.";

// ---- money -------------------------------------------------------------------------------

struct MoneyCase {
    std::string text;
    Money cents;
};

std::ostream& operator<<(std::ostream& os, const MoneyCase& c) {
    return os << '"' << c.text << '"';
}

class ParseMoneyOk : public ::testing::TestWithParam<MoneyCase> {};

TEST_P(ParseMoneyOk, GivesMinorUnits) {
    auto r = parse_money(GetParam().text);
    ASSERT_TRUE(r.ok()) << GetParam().text << " -> " << r.error().message;
    EXPECT_EQ(*r, GetParam().cents) << GetParam().text;
}

INSTANTIATE_TEST_SUITE_P(
    Money, ParseMoneyOk,
    ::testing::Values(
        MoneyCase{"25000", 2500000}, MoneyCase{"25k", 2500000}, MoneyCase{"25K", 2500000},
        MoneyCase{"$25,000", 2500000}, MoneyCase{"1.2m", 120000000}, MoneyCase{"1.2M", 120000000},
        MoneyCase{"25000.50", 2500050}, MoneyCase{"25000.5", 2500050},
        MoneyCase{kEuro + "1,200", 120000}, MoneyCase{kPound + "99.99", 9999},
        MoneyCase{kYen + "500", 50000}, MoneyCase{"1200" + kEuro, 120000},
        MoneyCase{"$ 25,000", 2500000}, MoneyCase{"  25000  ", 2500000}, MoneyCase{"0", 0},
        MoneyCase{"0.01", 1}, MoneyCase{".5", 50}, MoneyCase{"1,234,567.89", 123456789},
        MoneyCase{"999", 99900}, MoneyCase{"1.255m", 125500000}, MoneyCase{"2.5k", 250000},
        MoneyCase{"1.23456k", 123456}, MoneyCase{"$1.5k", 150000}, MoneyCase{"007", 700},
        // the largest amount funnelbot takes
        MoneyCase{"1,000,000,000,000", kMaxAmount}, MoneyCase{"1000000m", kMaxAmount}));

struct ErrorCase {
    std::string text;
    std::string message;
};

std::ostream& operator<<(std::ostream& os, const ErrorCase& c) {
    return os << '"' << c.text << '"';
}

class ParseMoneyError : public ::testing::TestWithParam<ErrorCase> {};

TEST_P(ParseMoneyError, NamesTheTextAndTheForms) {
    auto r = parse_money(GetParam().text);
    ASSERT_FALSE(r.ok()) << GetParam().text << " gave " << *r;
    EXPECT_EQ(r.error().message, GetParam().message);
}

INSTANTIATE_TEST_SUITE_P(
    Money, ParseMoneyError,
    ::testing::Values(
        ErrorCase{"", "The amount is empty." + kMoneyForms},
        ErrorCase{"   ", "The amount is empty." + kMoneyForms},
        ErrorCase{"abc", "\"abc\" is not an amount." + kMoneyForms},
        ErrorCase{"25 dollars", "\"25 dollars\" is not an amount." + kMoneyForms},
        ErrorCase{"25 000", "\"25 000\" is not an amount." + kMoneyForms},
        ErrorCase{"$", "\"$\" is not an amount." + kMoneyForms},
        ErrorCase{"k", "\"k\" is not an amount." + kMoneyForms},
        ErrorCase{"25.", "\"25.\" is not an amount." + kMoneyForms},
        ErrorCase{"1.2.3", "\"1.2.3\" is not an amount." + kMoneyForms},
        ErrorCase{"25kk", "\"25kk\" is not an amount." + kMoneyForms},
        ErrorCase{"25b", "\"25b\" is not an amount." + kMoneyForms},
        ErrorCase{"$25$", "\"$25$\" is not an amount." + kMoneyForms},
        ErrorCase{"USD 25000", "\"USD 25000\" is not an amount." + kMoneyForms},
        ErrorCase{"-5", "\"-5\" is negative: amounts are zero or more." + kMoneyForms},
        ErrorCase{"-$5", "\"-$5\" is negative: amounts are zero or more." + kMoneyForms},
        ErrorCase{"$-5", "\"$-5\" is negative: amounts are zero or more." + kMoneyForms},
        ErrorCase{"25000.505", "\"25000.505\" has more than two decimals." + kMoneyForms},
        ErrorCase{"1.234567891m", "\"1.234567891m\" is more precise than a cent." + kMoneyForms},
        ErrorCase{"2,50,000",
                  "\"2,50,000\" has misplaced commas: group thousands by three, like 250,000." +
                      kMoneyForms},
        ErrorCase{"25,00",
                  "\"25,00\" has misplaced commas: group thousands by three, like 250,000." +
                      kMoneyForms},
        ErrorCase{",500", "\",500\" has misplaced commas: group thousands by three, like 250,000." +
                              kMoneyForms},
        ErrorCase{"1000,000",
                  "\"1000,000\" has misplaced commas: group thousands by three, like 250,000." +
                      kMoneyForms},
        // Two of these used to add up to a negative pipeline.
        ErrorCase{"90,000,000,000,000,000",
                  "\"90,000,000,000,000,000\" is above the largest amount funnelbot takes, "
                  "1,000,000,000,000." +
                      kMoneyForms},
        ErrorCase{"1,000,000,000,000.01",
                  "\"1,000,000,000,000.01\" is above the largest amount funnelbot takes, "
                  "1,000,000,000,000." +
                      kMoneyForms},
        ErrorCase{"92233720368547758.08",
                  "\"92233720368547758.08\" is too large for an amount." + kMoneyForms},
        ErrorCase{"99999999999999999999",
                  "\"99999999999999999999\" is too large for an amount." + kMoneyForms},
        ErrorCase{"99999999999999m",
                  "\"99999999999999m\" is too large for an amount." + kMoneyForms}));

struct FormatCase {
    Money cents;
    std::string currency;
    std::string text;
};

std::ostream& operator<<(std::ostream& os, const FormatCase& c) {
    return os << c.cents << ' ' << c.currency;
}

class FormatMoney : public ::testing::TestWithParam<FormatCase> {};

TEST_P(FormatMoney, ShowsSymbolGroupsAndCentsWhenAny) {
    EXPECT_EQ(format_money(GetParam().cents, GetParam().currency), GetParam().text);
}

INSTANTIATE_TEST_SUITE_P(
    Money, FormatMoney,
    ::testing::Values(
        FormatCase{2500000, "USD", "$25,000"}, FormatCase{2500050, "USD", "$25,000.50"},
        FormatCase{2500005, "USD", "$25,000.05"}, FormatCase{0, "USD", "$0"},
        FormatCase{99, "USD", "$0.99"}, FormatCase{100000, "USD", "$1,000"},
        FormatCase{99999, "USD", "$999.99"}, FormatCase{123456789012, "USD", "$1,234,567,890.12"},
        FormatCase{2500000, "usd", "$25,000"}, FormatCase{120000, "EUR", kEuro + "1,200"},
        FormatCase{120000, "GBP", kPound + "1,200"}, FormatCase{50000, "JPY", kYen + "500"},
        FormatCase{2500000, "CHF", "CHF 25,000"}, FormatCase{2500000, "chf", "CHF 25,000"},
        FormatCase{-2500050, "USD", "-$25,000.50"},
        FormatCase{INT64_MIN, "USD", "-$92,233,720,368,547,758.08"}));

TEST(Money, FormatThenParseRoundTrips) {
    for (Money m : {Money{0}, Money{1}, Money{99}, Money{2500050}, Money{123456789012}}) {
        auto r = parse_money(format_money(m, "USD"));
        ASSERT_TRUE(r.ok()) << m;
        EXPECT_EQ(*r, m);
    }
}

// ---- dates -------------------------------------------------------------------------------

Date ymd(int y, unsigned m, unsigned d) {
    return sys_days{year{y} / month{m} / day{d}};
}

struct DateCase {
    std::string text;
    bool allow_us;
    Date date;
};

std::ostream& operator<<(std::ostream& os, const DateCase& c) {
    return os << '"' << c.text << '"';
}

class ParseDateOk : public ::testing::TestWithParam<DateCase> {};

TEST_P(ParseDateOk, GivesTheDay) {
    auto r = parse_date(GetParam().text, GetParam().allow_us);
    ASSERT_TRUE(r.ok()) << GetParam().text << " -> " << r.error().message;
    EXPECT_EQ(*r, GetParam().date) << GetParam().text;
}

INSTANTIATE_TEST_SUITE_P(
    Dates, ParseDateOk,
    ::testing::Values(DateCase{"2026-12-31", false, ymd(2026, 12, 31)},
                      DateCase{" 2026-12-31 ", false, ymd(2026, 12, 31)},
                      DateCase{"2026-1-5", false, ymd(2026, 1, 5)},
                      DateCase{"2028-02-29", false, ymd(2028, 2, 29)},
                      DateCase{"2000-02-29", false, ymd(2000, 2, 29)},
                      DateCase{"2026-12-31", true, ymd(2026, 12, 31)},
                      DateCase{"12/31/2026", true, ymd(2026, 12, 31)},
                      DateCase{"1/5/2026", true, ymd(2026, 1, 5)},
                      DateCase{"2026-12-31 00:00", true, ymd(2026, 12, 31)},
                      DateCase{"2026-12-31T17:00:00Z", true, ymd(2026, 12, 31)},
                      DateCase{"12/31/2026 5:00 PM", true, ymd(2026, 12, 31)}));

const std::string kIsoForm = " Use YYYY-MM-DD, like 2026-12-31.";
const std::string kUsForm = " Use YYYY-MM-DD, like 2026-12-31, or MM/DD/YYYY, like 12/31/2026.";

struct DateErrorCase {
    std::string text;
    bool allow_us;
    std::string message;
};

std::ostream& operator<<(std::ostream& os, const DateErrorCase& c) {
    return os << '"' << c.text << '"';
}

class ParseDateError : public ::testing::TestWithParam<DateErrorCase> {};

TEST_P(ParseDateError, SaysWhyAndTheForm) {
    auto r = parse_date(GetParam().text, GetParam().allow_us);
    ASSERT_FALSE(r.ok()) << GetParam().text;
    EXPECT_EQ(r.error().message, GetParam().message);
}

INSTANTIATE_TEST_SUITE_P(
    Dates, ParseDateError,
    ::testing::Values(
        DateErrorCase{"", false, "The date is empty." + kIsoForm},
        DateErrorCase{"tomorrow", false, "\"tomorrow\" is not a date." + kIsoForm},
        DateErrorCase{"12/31/2026", false, "\"12/31/2026\" is not a date." + kIsoForm},
        DateErrorCase{"2026-12-31 00:00", false, "\"2026-12-31 00:00\" is not a date." + kIsoForm},
        DateErrorCase{"26-12-31", false, "\"26-12-31\" is not a date." + kIsoForm},
        DateErrorCase{"2026-12", false, "\"2026-12\" is not a date." + kIsoForm},
        DateErrorCase{"2026-12-31-1", false, "\"2026-12-31-1\" is not a date." + kIsoForm},
        DateErrorCase{"2026-123-1", false, "\"2026-123-1\" is not a date." + kIsoForm},
        DateErrorCase{"2026-02-30", false,
                      "\"2026-02-30\" is not a date: February 2026 has 28 days." + kIsoForm},
        DateErrorCase{"2026-04-31", false,
                      "\"2026-04-31\" is not a date: April 2026 has 30 days." + kIsoForm},
        DateErrorCase{"2026-01-00", false,
                      "\"2026-01-00\" is not a date: January 2026 has 31 days." + kIsoForm},
        DateErrorCase{"2026-13-01", false,
                      "\"2026-13-01\" is not a date: the month must be 1 to 12." + kIsoForm},
        DateErrorCase{"2/30/2026", true,
                      "\"2/30/2026\" is not a date: February 2026 has 28 days." + kUsForm},
        DateErrorCase{"31/12/2026", true,
                      "\"31/12/2026\" is not a date: the month must be 1 to 12." + kUsForm},
        DateErrorCase{"12/31/26", true, "\"12/31/26\" is not a date." + kUsForm},
        DateErrorCase{"", true, "The date is empty." + kUsForm}));

TEST(Dates, FormatIsIso) {
    EXPECT_EQ(format_date(ymd(2026, 12, 31)), "2026-12-31");
    EXPECT_EQ(format_date(ymd(2026, 1, 5)), "2026-01-05");
    EXPECT_EQ(format_date(ymd(999, 1, 5)), "0999-01-05");
    auto r = parse_date(format_date(ymd(2030, 7, 4)));
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(*r, ymd(2030, 7, 4));
}

// ---- stages ------------------------------------------------------------------------------

struct StageCase {
    std::string text;
    Stage stage;
};

std::ostream& operator<<(std::ostream& os, const StageCase& c) {
    return os << '"' << c.text << '"';
}

class ParseStage : public ::testing::TestWithParam<StageCase> {};

TEST_P(ParseStage, KnowsTheAlias) {
    auto s = parse_stage(GetParam().text);
    ASSERT_TRUE(s.has_value()) << GetParam().text;
    EXPECT_EQ(*s, GetParam().stage) << GetParam().text;
}

INSTANTIATE_TEST_SUITE_P(
    Stages, ParseStage,
    ::testing::Values(
        // ours
        StageCase{"prospecting", Stage::prospecting},
        StageCase{"qualification", Stage::qualification}, StageCase{"proposal", Stage::proposal},
        StageCase{"negotiation", Stage::negotiation}, StageCase{"won", Stage::won},
        StageCase{"lost", Stage::lost}, StageCase{"  WON ", Stage::won},
        StageCase{"Won", Stage::won}, StageCase{"Lost", Stage::lost},
        StageCase{"closed-won", Stage::won}, StageCase{"closed won", Stage::won},
        StageCase{"closed_lost", Stage::lost}, StageCase{"Prospect", Stage::prospecting},
        StageCase{"qualified", Stage::qualification}, StageCase{"negotiate", Stage::negotiation},
        // Salesforce defaults
        StageCase{"Prospecting", Stage::prospecting},
        StageCase{"Qualification", Stage::qualification},
        StageCase{"Needs Analysis", Stage::qualification},
        StageCase{"Id. Decision Makers", Stage::qualification},
        StageCase{"Value Proposition", Stage::proposal},
        StageCase{"Perception Analysis", Stage::proposal},
        StageCase{"Proposal/Price Quote", Stage::proposal},
        StageCase{"Negotiation/Review", Stage::negotiation}, StageCase{"Closed Won", Stage::won},
        StageCase{"Closed Lost", Stage::lost},
        // HubSpot defaults: internal names and labels
        StageCase{"appointmentscheduled", Stage::prospecting},
        StageCase{"Appointment Scheduled", Stage::prospecting},
        StageCase{"qualifiedtobuy", Stage::qualification},
        StageCase{"Qualified To Buy", Stage::qualification},
        StageCase{"presentationscheduled", Stage::proposal},
        StageCase{"Presentation Scheduled", Stage::proposal},
        StageCase{"decisionmakerboughtin", Stage::proposal},
        StageCase{"Decision Maker Bought-In", Stage::proposal},
        StageCase{"contractsent", Stage::negotiation},
        StageCase{"Contract Sent", Stage::negotiation}, StageCase{"closedwon", Stage::won},
        StageCase{"closedlost", Stage::lost}));

TEST(Stages, UnknownIsNullopt) {
    for (const char* text : {"", "  ", "-", "wonn", "closed", "open", "discovery", "stage"}) {
        EXPECT_FALSE(parse_stage(text).has_value()) << text;
    }
}

TEST(Stages, NamesRoundTrip) {
    for (Stage s : {Stage::prospecting, Stage::qualification, Stage::proposal, Stage::negotiation,
                    Stage::won, Stage::lost}) {
        auto back = parse_stage(stage_name(s));
        ASSERT_TRUE(back.has_value()) << stage_name(s);
        EXPECT_EQ(*back, s);
    }
    EXPECT_EQ(stage_name(Stage::prospecting), "prospecting");
    EXPECT_EQ(stage_name(Stage::won), "won");
    EXPECT_EQ(stage_name(Stage::lost), "lost");
}

// ---- territories -------------------------------------------------------------------------

TEST(Territories, ParseAndName) {
    EXPECT_EQ(parse_territory("balanced"), Territory::balanced);
    EXPECT_EQ(parse_territory("Balanced"), Territory::balanced);
    EXPECT_EQ(parse_territory("new"), Territory::new_customers);
    EXPECT_EQ(parse_territory("NEW"), Territory::new_customers);
    EXPECT_EQ(parse_territory("new-customers"), Territory::new_customers);
    EXPECT_EQ(parse_territory("existing"), Territory::existing_customers);
    EXPECT_EQ(parse_territory("current"), Territory::existing_customers);
    EXPECT_FALSE(parse_territory("").has_value());
    EXPECT_FALSE(parse_territory("mixed").has_value());
    for (Territory t :
         {Territory::balanced, Territory::new_customers, Territory::existing_customers}) {
        EXPECT_EQ(parse_territory(territory_name(t)), t);
    }
    EXPECT_EQ(territory_name(Territory::balanced), "balanced");
    EXPECT_EQ(territory_name(Territory::new_customers), "new");
    EXPECT_EQ(territory_name(Territory::existing_customers), "existing");
}

// ---- percentages -------------------------------------------------------------------------

TEST(Percent, AcceptsWholeNumbersWithOrWithoutSign) {
    const std::pair<const char*, int> cases[] = {{"0", 0},     {"70", 70},     {"70%", 70},
                                                 {"70 %", 70}, {" 100 ", 100}, {"007", 7}};
    for (const auto& [text, value] : cases) {
        auto r = parse_percent(text);
        ASSERT_TRUE(r.ok()) << text << " -> " << r.error().message;
        EXPECT_EQ(*r, value) << text;
    }
}

TEST(Percent, RejectsWithTheRightForm) {
    const std::string forms = " Use a whole number from 0 to 100, like 70 or 70%.";
    const std::pair<const char*, std::string> cases[] = {
        {"", "The percentage is empty." + forms},
        {"abc", "\"abc\" is not a percentage." + forms},
        {"%", "\"%\" is not a percentage." + forms},
        {"-5", "\"-5\" is not a percentage." + forms},
        {"70.5", "\"70.5\" is not a percentage." + forms},
        {"70%%", "\"70%%\" is not a percentage." + forms},
        {"99999999999", "\"99999999999\" is not a percentage." + forms},
        {"101", "\"101\" is more than 100 %." + forms},
        {"150%", "\"150%\" is more than 100 %." + forms},
    };
    for (const auto& [text, message] : cases) {
        auto r = parse_percent(text);
        ASSERT_FALSE(r.ok()) << text;
        EXPECT_EQ(r.error().message, message);
    }
}

}  // namespace
}  // namespace funnelbot::commands

// RFC 4180 reading and escaping.
#include "commands/csv/csv_reader.hpp"

#include <gtest/gtest.h>

#include <ostream>
#include <sstream>
#include <string>
#include <vector>

namespace funnelbot::commands {
namespace {

using Record = std::vector<std::string>;

struct Read {
    std::vector<Record> records;
    std::vector<int> lines;
    std::string error;     // the first error, if any
    int error_after = -1;  // records read before the error
};

Read read_all(const std::string& text) {
    std::istringstream in(text);
    CsvReader reader(in);
    Read out;
    while (auto rec = reader.next()) {
        if (!rec->ok()) {
            out.error = rec->error().message;
            out.error_after = static_cast<int>(out.records.size());
            break;
        }
        out.records.push_back(rec->value());
        out.lines.push_back(reader.line());
    }
    return out;
}

struct OkCase {
    std::string name;
    std::string text;
    std::vector<Record> records;
    std::vector<int> lines;
};

std::ostream& operator<<(std::ostream& os, const OkCase& c) {
    return os << c.name;
}

class CsvReadOk : public ::testing::TestWithParam<OkCase> {};

TEST_P(CsvReadOk, GivesTheRecordsAndTheirLines) {
    const OkCase& c = GetParam();
    Read r = read_all(c.text);
    EXPECT_EQ(r.error, "");
    EXPECT_EQ(r.records, c.records);
    EXPECT_EQ(r.lines, c.lines);
}

INSTANTIATE_TEST_SUITE_P(
    Csv, CsvReadOk,
    ::testing::Values(
        OkCase{"Empty", "", {}, {}}, OkCase{"OnlyNewlines", "\n\r\n\n", {}, {}},
        OkCase{"Simple", "a,b,c\n1,2,3\n", {{"a", "b", "c"}, {"1", "2", "3"}}, {1, 2}},
        OkCase{"NoFinalNewline", "a,b\n1,2", {{"a", "b"}, {"1", "2"}}, {1, 2}},
        OkCase{"Crlf", "a,b\r\n1,2\r\n", {{"a", "b"}, {"1", "2"}}, {1, 2}},
        OkCase{"LoneCr", "a,b\r1,2\r", {{"a", "b"}, {"1", "2"}}, {1, 2}},
        OkCase{"EmptyFields", ",a,,\n", {{"", "a", "", ""}}, {1}},
        OkCase{"QuotedComma", "\"Acme, Inc.\",5\n", {{"Acme, Inc.", "5"}}, {1}},
        OkCase{"DoubledQuote", "\"say \"\"hi\"\"\",x\n", {{"say \"hi\"", "x"}}, {1}},
        OkCase{"QuotedEmpty", "\"\",\"\"\n", {{"", ""}}, {1}},
        OkCase{"OnlyAQuote", "\"\"\"\"\n", {{"\""}}, {1}},
        OkCase{"EmbeddedNewline",
               "name,notes\n\"Acme\",\"line one\nline two\"\nnext,row\n",
               {{"name", "notes"}, {"Acme", "line one\nline two"}, {"next", "row"}},
               {1, 2, 4}},
        OkCase{"EmbeddedCrlf", "\"a\r\nb\",c\r\nd,e\r\n", {{"a\r\nb", "c"}, {"d", "e"}}, {1, 3}},
        OkCase{"BlankLinesSkipped", "a\n\n\nb\r\n\r\nc\n", {{"a"}, {"b"}, {"c"}}, {1, 4, 6}},
        OkCase{"Bom", "\xEF\xBB\xBFid,name\n1,x\n", {{"id", "name"}, {"1", "x"}}, {1, 2}},
        OkCase{"BomOnly", "\xEF\xBB\xBF", {}, {}},
        OkCase{"NotQuiteABom", "\xEF\xBBx\n", {{"\xEF\xBBx"}}, {1}},
        OkCase{"QuoteInsideBareField", "12\" pipe,x\n", {{"12\" pipe", "x"}}, {1}},
        OkCase{"SpacesKept", " a , b \n", {{" a ", " b "}}, {1}},
        OkCase{"Utf8",
               "Caf\xC3\xA9,\xE2\x82\xAC"
               "5\n",
               {{"Caf\xC3\xA9",
                 "\xE2\x82\xAC"
                 "5"}},
               {1}},
        OkCase{"QuotedThenCrlfAtEnd", "\"x\"\r\n", {{"x"}}, {1}},
        OkCase{"TrailingComma", "a,\n", {{"a", ""}}, {1}}),
    [](const auto& info) { return info.param.name; });

TEST(CsvRead, UnterminatedQuoteNamesTheLineWhereItOpened) {
    Read r = read_all("a,b\n1,2\nx,\"never closed\n3,4\n");
    EXPECT_EQ(r.error_after, 2);
    EXPECT_EQ(r.error,
              "Line 3: a quoted field is never closed. End it with \", and double any quote "
              "inside it: \"say \"\"hi\"\"\".");
}

TEST(CsvRead, UnterminatedQuoteAfterEmbeddedNewlines) {
    Read r = read_all("h\n\"ok\nstill ok\"\n\"open\n\n");
    EXPECT_EQ(r.records, (std::vector<Record>{{"h"}, {"ok\nstill ok"}}));
    EXPECT_EQ(r.error.substr(0, 8), "Line 4: ");
}

TEST(CsvRead, JunkAfterClosingQuote) {
    Read r = read_all("h1,h2\n\"Acme\" Inc,5\n");
    EXPECT_EQ(r.error_after, 1);
    EXPECT_EQ(r.error,
              "Line 2: unexpected text after a closing quote. Quote the whole field and double "
              "the quotes inside it: \"say \"\"hi\"\"\".");
}

TEST(CsvRead, ReadingGoesOnAfterJunkOnTheNextLine) {
    std::istringstream in("\"a\"b,c\nd,e\n");
    CsvReader reader(in);
    auto first = reader.next();
    ASSERT_TRUE(first.has_value());
    EXPECT_FALSE(first->ok());
    auto second = reader.next();
    ASSERT_TRUE(second.has_value());
    ASSERT_TRUE(second->ok());
    EXPECT_EQ(second->value(), (Record{"d", "e"}));
    EXPECT_EQ(reader.line(), 2);
    EXPECT_FALSE(reader.next().has_value());
}

TEST(CsvRead, AnEndlessQuotedFieldStopsAtAMegabyte) {
    std::string text = "h\n\"";
    text.append(std::size_t{2} << 20, 'x');
    Read r = read_all(text);
    EXPECT_EQ(r.error,
              "Line 2: a quoted field runs on for more than a megabyte; a closing \" is probably "
              "missing.");
}

// A line of ten million commas would have been ten million strings (hundreds of megabytes).
TEST(CsvRead, ALineOfEndlessCommasStopsAtAThousandFieldsAndReadingGoesOn) {
    std::string text = "h\n";
    text.append(std::size_t{10'000'000}, ',');
    text += "\nlast\n";
    std::istringstream in(text);
    CsvReader reader(in);
    ASSERT_TRUE(reader.next()->ok());
    const auto flood = reader.next();
    ASSERT_TRUE(flood.has_value());
    ASSERT_FALSE(flood->ok());
    EXPECT_EQ(flood->error().message,
              "Line 2: a line has more than 1,000 fields; funnelbot reads CSV exports with at most "
              "1,000 columns.");
    const auto last = reader.next();
    ASSERT_TRUE(last.has_value() && last->ok());
    EXPECT_EQ(last->value(), (Record{"last"}));
    EXPECT_EQ(reader.line(), 3);
}

TEST(CsvRead, NineHundredNinetyNineFieldsAreFine) {
    std::string text(998, ',');
    Read r = read_all(text + "\n");
    ASSERT_EQ(r.records.size(), 1U) << r.error;
    EXPECT_EQ(r.records[0].size(), 999U);
}

TEST(CsvRead, ALineOfManyLongFieldsStopsAtFourMegabytes) {
    std::string text;
    for (int i = 0; i < 9; ++i) {
        text += std::string(std::size_t{600'000}, 'x') + ",";
    }
    Read r = read_all(text + "\n");
    EXPECT_EQ(r.error,
              "Line 1: a line holds more than 4 megabytes; funnelbot reads CSV exports with "
              "shorter lines.");
}

TEST(CsvRead, ManyRecordsStreamOneAtATime) {
    std::string text = "id,amount\n";
    for (int i = 0; i < 10000; ++i) {
        text += std::to_string(i) + ",\"" + std::to_string(i) + ",000\"\n";
    }
    std::istringstream in(text);
    CsvReader reader(in);
    int count = 0;
    while (auto rec = reader.next()) {
        ASSERT_TRUE(rec->ok());
        ++count;
    }
    EXPECT_EQ(count, 10001);
    EXPECT_EQ(reader.line(), 10001);
}

TEST(CsvEscape, QuotesOnlyWhenNeeded) {
    EXPECT_EQ(csv_escape(""), "");
    EXPECT_EQ(csv_escape("plain"), "plain");
    EXPECT_EQ(csv_escape("with space"), "with space");
    EXPECT_EQ(csv_escape("Acme, Inc."), "\"Acme, Inc.\"");
    EXPECT_EQ(csv_escape("say \"hi\""), "\"say \"\"hi\"\"\"");
    EXPECT_EQ(csv_escape("two\nlines"), "\"two\nlines\"");
    EXPECT_EQ(csv_escape("cr\rhere"), "\"cr\rhere\"");
}

// https://owasp.org/www-community/attacks/CSV_Injection: a spreadsheet would run these.
TEST(CsvEscape, CellsThatStartLikeAFormulaAreWrittenAsText) {
    EXPECT_EQ(csv_escape("=HYPERLINK(\"https://evil\",\"x\")"),
              "\"'=HYPERLINK(\"\"https://evil\"\",\"\"x\"\")\"");
    EXPECT_EQ(csv_escape("+cmd"), "'+cmd");
    EXPECT_EQ(csv_escape("-2+3"), "'-2+3");
    EXPECT_EQ(csv_escape("@SUM(A1)"), "'@SUM(A1)");
    EXPECT_EQ(csv_escape("\t=1"), "'\t=1");
    EXPECT_EQ(csv_escape("a=b"), "a=b");
    EXPECT_EQ(csv_escape("'quoted"), "'quoted");
}

TEST(CsvEscape, WhatIsWrittenReadsBack) {
    const Record fields = {"",           "plain", "Acme, Inc.", "say \"hi\"",
                           "two\nlines", "\"",    ",",          "a\r\nb"};
    std::string line;
    for (std::size_t i = 0; i < fields.size(); ++i) {
        line += (i ? "," : "") + csv_escape(fields[i]);
    }
    Read r = read_all(line + "\n");
    ASSERT_EQ(r.records.size(), 1U);
    EXPECT_EQ(r.records[0], fields);
}

}  // namespace
}  // namespace funnelbot::commands

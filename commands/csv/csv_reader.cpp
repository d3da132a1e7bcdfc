#include "commands/csv/csv_reader.hpp"

#include <cstddef>
#include <streambuf>
#include <string>
#include <string_view>
#include <utility>

namespace funnelbot::commands {
namespace {

// A field this long is almost surely a quote left open; stop before it eats the file.
constexpr std::size_t kMaxFieldBytes = std::size_t{1} << 20;
// CRM exports have tens of columns, a few hundred at most; a line of millions of commas would
// otherwise become millions of strings.
constexpr std::size_t kMaxFields = 1000;
// All fields of one record together: a few megabytes of memory at most, whatever the file.
constexpr std::size_t kMaxRecordBytes = std::size_t{4} << 20;

constexpr int kEof = std::char_traits<char>::eof();

std::string line_prefix(int line) {
    return "Line " + std::to_string(line) + ": ";
}

}  // namespace

std::optional<Result<std::vector<std::string>>> CsvReader::next() {
    std::streambuf* buf = in_.rdbuf();
    if (buf == nullptr) {
        return std::nullopt;
    }
    if (!bom_checked_) {
        bom_checked_ = true;
        // A UTF-8 BOM (Excel's "CSV UTF-8") is not part of the first header name.
        if (buf->sgetc() == 0xEF) {
            buf->sbumpc();
            if (buf->sgetc() == 0xBB) {
                buf->sbumpc();
                if (buf->sgetc() == 0xBF) {
                    buf->sbumpc();
                } else {
                    buf->sungetc();
                    buf->sungetc();
                }
            } else {
                buf->sungetc();
            }
        }
    }

    // Consumes "\n", "\r\n" or a lone "\r" when `c` (already taken) is one of them.
    const auto end_line = [&](int c) {
        if (c == '\r' && buf->sgetc() == '\n') {
            buf->sbumpc();
        }
        ++line_;
    };
    // Skips the rest of a broken line so the caller may read on after an error.
    const auto drop_line = [&] {
        for (int c = buf->sbumpc(); c != kEof; c = buf->sbumpc()) {
            if (c == '\n' || c == '\r') {
                end_line(c);
                return;
            }
        }
    };

    // Blank lines between records carry no data.
    int c = buf->sgetc();
    while (c == '\n' || c == '\r') {
        end_line(buf->sbumpc());
        c = buf->sgetc();
    }
    if (c == kEof) {
        in_.setstate(std::ios::eofbit);
        return std::nullopt;
    }

    record_line_ = line_;
    std::vector<std::string> fields;
    std::string field;
    std::size_t record_bytes = 0;
    while (true) {
        c = buf->sbumpc();
        if (c == '"' && field.empty()) {
            const int quote_line = line_;
            // Quoted field: runs to the next lone quote; "" is a quote; newlines are data.
            while (true) {
                c = buf->sbumpc();
                if (c == kEof) {
                    in_.setstate(std::ios::eofbit);
                    return Result<std::vector<std::string>>{UserError{
                        line_prefix(quote_line) +
                        "a quoted field is never closed. End it with \", and double any quote "
                        "inside it: \"say \"\"hi\"\"\"."}};
                }
                if (c == '"') {
                    if (buf->sgetc() == '"') {
                        buf->sbumpc();
                        field.push_back('"');
                        continue;
                    }
                    break;
                }
                if (c == '\n' || (c == '\r' && buf->sgetc() != '\n')) {
                    ++line_;
                }
                field.push_back(static_cast<char>(c));
                if (field.size() > kMaxFieldBytes) {
                    in_.setstate(std::ios::eofbit);
                    return Result<std::vector<std::string>>{UserError{
                        line_prefix(quote_line) +
                        "a quoted field runs on for more than a megabyte; a closing \" is "
                        "probably missing."}};
                }
            }
            c = buf->sgetc();
            if (c != ',' && c != '\n' && c != '\r' && c != kEof) {
                const int junk_line = line_;
                drop_line();
                return Result<std::vector<std::string>>{
                    UserError{line_prefix(junk_line) +
                              "unexpected text after a closing quote. Quote the "
                              "whole field and double the quotes inside it: "
                              "\"say \"\"hi\"\"\"."}};
            }
            continue;  // the delimiter is handled on the next turn
        }
        if (c == ',') {
            record_bytes += field.size();
            fields.push_back(std::move(field));
            field.clear();
            if (fields.size() >= kMaxFields || record_bytes > kMaxRecordBytes) {
                drop_line();
                return Result<std::vector<std::string>>{UserError{
                    line_prefix(record_line_) +
                    (fields.size() >= kMaxFields
                         ? "a line has more than 1,000 fields; funnelbot reads CSV exports with "
                           "at most 1,000 columns."
                         : "a line holds more than 4 megabytes; funnelbot reads CSV exports "
                           "with shorter lines.")}};
            }
            continue;
        }
        if (c == '\n' || c == '\r' || c == kEof) {
            fields.push_back(std::move(field));
            if (c == kEof) {
                in_.setstate(std::ios::eofbit);
            } else {
                end_line(c);
            }
            return Result<std::vector<std::string>>{std::move(fields)};
        }
        // A quote inside an unquoted field (12" pipe) is kept as written.
        field.push_back(static_cast<char>(c));
        if (field.size() > kMaxFieldBytes) {
            drop_line();
            return Result<std::vector<std::string>>{
                UserError{line_prefix(record_line_) + "a field is longer than a megabyte."}};
        }
    }
}

bool starts_like_a_formula(std::string_view field) {
    return !field.empty() &&
           std::string_view("=+-@\t\r").find(field.front()) != std::string_view::npos;
}

std::string csv_escape(std::string_view field) {
    // A spreadsheet runs a cell that starts like a formula (=HYPERLINK(…), +cmd, @SUM): the
    // apostrophe makes it text (https://owasp.org/www-community/attacks/CSV_Injection).
    const std::string text =
        starts_like_a_formula(field) ? "'" + std::string(field) : std::string(field);
    if (text.find_first_of(",\"\r\n") == std::string_view::npos) {
        return text;
    }
    std::string out = "\"";
    for (char c : text) {
        if (c == '"') {
            out.push_back('"');
        }
        out.push_back(c);
    }
    out.push_back('"');
    return out;
}

}  // namespace funnelbot::commands

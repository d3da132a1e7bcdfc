// RFC 4180 CSV reading: quoted fields with commas, quotes ("") and newlines; CRLF or LF;
// a UTF-8 BOM skipped. Reads one record at a time so large files stay in bounded memory.
#pragma once

#include <istream>
#include <optional>
#include <string>
#include <vector>

#include "commands/user_error.hpp"

namespace funnelbot::commands {

class CsvReader {
public:
    explicit CsvReader(std::istream& in) : in_(in) {}

    // The next record, nullopt at end of input; a UserError for an unterminated quote or
    // junk after a closing quote (with the line number: "Line N: …"). Blank lines are
    // skipped. After junk, reading may go on from the next line.
    std::optional<Result<std::vector<std::string>>> next();
    // 1-based line number where the last returned record started.
    int line() const { return record_line_; }

private:
    std::istream& in_;
    int line_ = 1;
    int record_line_ = 0;
    bool bom_checked_ = false;
};

// Starts with = + - @, a tab or a CR: what spreadsheets take for a formula.
bool starts_like_a_formula(std::string_view field);

// Quotes a field when it holds a comma, quote, CR or LF, and puts an apostrophe before one that
// starts like a formula, so a spreadsheet opening the export shows it as text.
std::string csv_escape(std::string_view field);

}  // namespace funnelbot::commands

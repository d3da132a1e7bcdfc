#include "commands/csv/csv_columns.hpp"

#include <algorithm>
#include <cctype>
#include <utility>

#include "commands/csv/csv_reader.hpp"
#include "commands/grammar/invisible_characters.hpp"

namespace funnelbot::commands {
namespace {

// Header names, squashed (lower-case letters and digits only): ours, Salesforce's and
// HubSpot's opportunity/deal exports.
constexpr std::pair<std::string_view, CsvField> kHeaderNames[] = {
    {"id", CsvField::id},
    {"opportunityid", CsvField::id},
    {"recordid", CsvField::id},
    {"dealid", CsvField::id},
    {"name", CsvField::name},
    {"opportunityname", CsvField::name},
    {"dealname", CsvField::name},
    {"customer", CsvField::customer},
    {"accountname", CsvField::customer},
    {"account", CsvField::customer},
    {"associatedcompany", CsvField::customer},
    {"associatedcompanyprimary", CsvField::customer},
    {"company", CsvField::customer},
    {"companyname", CsvField::customer},
    {"product", CsvField::product},
    {"productname", CsvField::product},
    {"productline", CsvField::product},
    {"line", CsvField::product},
    {"amount", CsvField::amount},
    {"stage", CsvField::stage},
    {"dealstage", CsvField::stage},
    {"close", CsvField::close},
    {"closedate", CsvField::close},
    {"type", CsvField::type},
    {"opportunitytype", CsvField::type},
    {"dealtype", CsvField::type},
    {"owner", CsvField::owner},
    {"owneremail", CsvField::owner_email},
    {"opportunityowneremail", CsvField::owner_email},
    {"dealowneremail", CsvField::owner_email},
    {"owneremailaddress", CsvField::owner_email},
    {"created", CsvField::created},
    {"createddate", CsvField::created},
    {"createdate", CsvField::created},
    {"createdon", CsvField::created},
    {"opportunityowner", CsvField::owner},
    {"dealowner", CsvField::owner},
};

std::string squash(std::string_view s) {
    std::string out;
    for (char c : s) {
        if (std::isalnum(static_cast<unsigned char>(c)) != 0) {
            out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
        }
    }
    return out;
}

}  // namespace

void CsvColumns::read(const std::vector<std::string>& header) {
    columns_.fill(std::nullopt);
    width_ = header.size();
    for (std::size_t i = 0; i < header.size(); ++i) {
        const std::string key = squash(header[i]);
        for (const auto& [name, field] : kHeaderNames) {
            auto& column = columns_[static_cast<std::size_t>(field)];
            // The first column for a field wins; unknown columns are ignored.
            if (name == key && !column) {
                column = i;
            }
        }
    }
}

std::string CsvColumns::cell(const std::vector<std::string>& row, CsvField f) const {
    const auto& column = columns_[static_cast<std::size_t>(f)];
    if (!column || *column >= row.size()) {
        return {};
    }
    std::string text = trim_cell(row[*column]);
    // Our export writes a formula-like cell with an apostrophe in front (csv_escape): read it
    // back as it was.
    if (text.size() > 1 && text.front() == '\'' && starts_like_a_formula(text.substr(1))) {
        text.erase(0, 1);
    }
    return text;
}

std::string trim_cell(std::string_view cell) {
    std::string visible = strip_invisible(cell);
    const auto space = [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; };
    const auto last = std::find_if_not(visible.rbegin(), visible.rend(), space).base();
    visible.erase(last, visible.end());
    visible.erase(visible.begin(), std::find_if_not(visible.begin(), visible.end(), space));
    return visible;
}

std::optional<analysis::CustomerType> parse_crm_type(std::string_view text) {
    static constexpr std::pair<std::string_view, analysis::CustomerType> kTypes[] = {
        {"new", analysis::CustomerType::new_customer},
        {"newcustomer", analysis::CustomerType::new_customer},
        {"newbusiness", analysis::CustomerType::new_customer},
        {"existing", analysis::CustomerType::existing},
        {"existingcustomer", analysis::CustomerType::existing},
        {"existingcustomerupgrade", analysis::CustomerType::existing},
        {"existingcustomerreplacement", analysis::CustomerType::existing},
        {"existingcustomerdowngrade", analysis::CustomerType::existing},
        {"existingbusiness", analysis::CustomerType::existing},
        {"renewal", analysis::CustomerType::existing},
        {"current", analysis::CustomerType::existing},
    };
    const std::string key = squash(text);
    for (const auto& [alias, type] : kTypes) {
        if (alias == key) {
            return type;
        }
    }
    return std::nullopt;
}

bool looks_like_email(std::string_view s) {
    const std::size_t at = s.find('@');
    return at != std::string_view::npos && at > 0 &&
           s.find('@', at + 1) == std::string_view::npos &&
           s.find('.', at + 2) != std::string_view::npos && s.back() != '.' &&
           s.find_first_of(" \t") == std::string_view::npos;
}

std::string_view strip_currency_code(std::string_view s) {
    if (s.size() > 4 && s[3] == ' ' && std::isupper(static_cast<unsigned char>(s[0])) != 0 &&
        std::isupper(static_cast<unsigned char>(s[1])) != 0 &&
        std::isupper(static_cast<unsigned char>(s[2])) != 0) {
        s.remove_prefix(4);
    }
    return s;
}

std::string_view date_part(std::string_view cell) {
    const std::size_t end = cell.find_first_of(" T");
    return end == std::string_view::npos ? cell : cell.substr(0, end);
}

}  // namespace funnelbot::commands

// The columns of a CRM export: which header names which field (ours, Salesforce's and HubSpot's),
// and how the exports write types, e-mails and amounts.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/funnel_types.hpp"

namespace funnelbot::commands {

enum class CsvField {
    id,
    name,
    customer,
    product,
    amount,
    stage,
    close,
    type,
    owner,
    owner_email,
    created,
};

class CsvColumns {
public:
    // Finds each field's column in the header row (names matched ignoring case, spaces and
    // punctuation); the first column for a field wins, unknown columns are ignored.
    void read(const std::vector<std::string>& header);

    bool has(CsvField f) const { return columns_[static_cast<std::size_t>(f)].has_value(); }
    // The trimmed cell of `f` in `row`; empty when the column is absent or the row short.
    std::string cell(const std::vector<std::string>& row, CsvField f) const;
    // The number of header cells.
    std::size_t width() const { return width_; }

private:
    static constexpr std::size_t kFieldCount = 11;
    std::array<std::optional<std::size_t>, kFieldCount> columns_{};
    std::size_t width_ = 0;
};

// The cell without surrounding white space or invisible characters (invisible_characters.hpp).
std::string trim_cell(std::string_view s);

// Salesforce "Type" and HubSpot "Deal Type" values ("New Business", "Existing Customer -
// Upgrade", "Renewal", …). nullopt: not a type we know.
std::optional<analysis::CustomerType> parse_crm_type(std::string_view text);

bool looks_like_email(std::string_view s);

// The date of a date or date-time cell: CRMs export "Created Date" as "2026-05-01 10:32",
// "2026-05-01T10:32:00Z" or "5/1/2026 10:32 AM"; the part before the time.
std::string_view date_part(std::string_view cell);

// Multi-currency Salesforce orgs export "USD 25,000.00"; the workspace has one currency.
std::string_view strip_currency_code(std::string_view s);

}  // namespace funnelbot::commands

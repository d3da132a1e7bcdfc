#include "commands/csv/csv_export.hpp"

#include <cstdint>
#include <map>
#include <ostream>
#include <string>

#include "commands/csv/csv_reader.hpp"
#include "commands/grammar/value_parsers.hpp"
#include "storage/opportunity_repository.hpp"
#include "storage/user_repository.hpp"

namespace funnelbot::commands {
namespace {

// "25000.00": plain, no symbol or grouping, so any spreadsheet reads it as a number.
std::string plain_amount(analysis::Money amount) {
    const bool negative = amount < 0;
    const std::uint64_t magnitude =
        negative ? 0 - static_cast<std::uint64_t>(amount) : static_cast<std::uint64_t>(amount);
    const std::uint64_t cents = magnitude % 100;
    return (negative ? "-" : "") + std::to_string(magnitude / 100) + "." +
           static_cast<char>('0' + cents / 10) + static_cast<char>('0' + cents % 10);
}

}  // namespace

int export_csv(storage::Database& db, analysis::Id workspace_id, std::ostream& out) {
    // Owner names up front: one query, and no second statement while for_each steps.
    std::map<analysis::Id, std::string> owner_names;
    for (const storage::User& u : storage::UserRepository(db).list(workspace_id, false)) {
        owner_names.emplace(u.id, u.name);
    }
    out << "id,name,customer,product,amount,stage,close,type,owner\n";
    int rows = 0;
    storage::OpportunityRepository(db).for_each(workspace_id, [&](const analysis::Opportunity& o) {
        const auto owner = owner_names.find(o.owner_id);
        out << o.id << ',' << csv_escape(o.name) << ',' << csv_escape(o.customer_name) << ','
            << csv_escape(o.product_line_name) << ',' << plain_amount(o.amount) << ','
            << stage_name(o.stage) << ',' << (o.close_date ? format_date(*o.close_date) : "") << ','
            << (o.customer_type == analysis::CustomerType::existing ? "existing" : "new") << ','
            << csv_escape(owner == owner_names.end() ? std::string() : owner->second) << '\n';
        ++rows;
    });
    return rows;
}

}  // namespace funnelbot::commands

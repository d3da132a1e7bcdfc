#include "storage/funnel_reader.hpp"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "storage/check_queries.hpp"
#include "storage/product_line_repository.hpp"
#include "storage/sql_support.hpp"

namespace funnelbot::storage {
namespace {

using analysis::Opportunity;

struct RepCustomer {
    Id id = 0;
    std::string name;
    bool current = false;
    std::vector<Id> covered_lines;  // for the current ones only
};

}  // namespace

RepFunnelRows FunnelReader::read(Id workspace_id, Id owner_id) {
    return detail::guarded("funnel read", [&] {
        // Every line (for the names) and the rep's responsible ones: a handful, by id.
        RepLines lines = ProductLineRepository(db_).rep_lines(workspace_id, owner_id);
        const auto line_name = [&](Id id) -> const std::string& {
            const auto it = std::lower_bound(
                lines.all.begin(), lines.all.end(), id,
                [](const analysis::ProductLine& l, Id wanted) { return l.id < wanted; });
            if (it == lines.all.end() || it->id != id) {
                throw StorageError("funnel read: product line " + std::to_string(id) + " vanished");
            }
            return it->name;
        };

        // The opportunities come in customer order, each with its customer's columns: a
        // customer is taken from its first row. They are read into small rows first, sorted by
        // id, then built once each: sorting the built opportunities (strings and all) cost a
        // copy of the funnel per check.
        std::vector<RepCustomer> customers;
        customers.reserve(128);
        struct Row {
            Id id = 0;
            std::size_t customer = 0;
            Id line = 0;
            analysis::Money amount = 0;
            analysis::Stage stage{};
            analysis::CustomerType customer_type{};
            std::int64_t created_at = 0;
        };
        std::vector<Row> read_rows;
        read_rows.reserve(256);
        {
            auto st = detail::raw(db_, detail::kRepOpportunities);
            st.bind(1, workspace_id);
            st.bind(2, owner_id);
            while (st.step()) {
                const Id customer_id = st.int64(1);
                if (customers.empty() || customers.back().id != customer_id) {
                    if (st.is_null(7)) {  // a name is NOT NULL: the row is missing
                        throw StorageError("funnel read: customer " + std::to_string(customer_id) +
                                           " vanished");
                    }
                    RepCustomer& c = customers.emplace_back();
                    c.id = customer_id;
                    c.name = st.text(7);
                    c.current = st.short_text(8) == "current";
                    if (c.current) c.covered_lines = detail::line_ids_from_text(st.text(9), c.id);
                }
                read_rows.push_back({st.int64(0), customers.size() - 1, st.int64(2), st.int64(3),
                                     detail::stage_from_text(st.short_text(4)),
                                     detail::customer_type_from_text(st.short_text(5)),
                                     st.int64(6)});
            }
        }
        std::sort(read_rows.begin(), read_rows.end(),
                  [](const Row& a, const Row& b) { return a.id < b.id; });

        RepFunnelRows rows;
        rows.responsible_lines = std::move(lines.responsible);
        rows.opportunities.reserve(read_rows.size());
        for (const Row& row : read_rows) {
            Opportunity& o = rows.opportunities.emplace_back();
            o.id = row.id;
            o.owner_id = owner_id;
            o.customer_id = customers[row.customer].id;
            o.customer_name = customers[row.customer].name;
            o.product_line_id = row.line;
            o.product_line_name = line_name(row.line);
            o.amount = row.amount;
            o.stage = row.stage;
            o.customer_type = row.customer_type;
            o.created_at = detail::from_unix(row.created_at);
        }
        for (RepCustomer& c : customers) {
            if (c.current) {
                rows.current_accounts.push_back(
                    {c.id, std::move(c.name), std::move(c.covered_lines)});
            }
        }
        return rows;
    });
}

}  // namespace funnelbot::storage

#include "commands/render/opportunity_text.hpp"

#include "commands/grammar/value_parsers.hpp"

namespace funnelbot::commands {

namespace {

std::string customer_kind(const analysis::Opportunity& opp) {
    return opp.customer_type == analysis::CustomerType::new_customer ? "new customer"
                                                                     : "current customer";
}

}  // namespace

std::string describe_opportunity(const analysis::Opportunity& opp, std::string_view currency) {
    std::string out =
        "#" + std::to_string(opp.id) + " " + opp.customer_name + " — " + opp.product_line_name;
    if (opp.amount > 0) out += ", " + format_money(opp.amount, currency);
    out += ", " + std::string(stage_name(opp.stage));
    if (opp.close_date) out += ", closing " + format_date(*opp.close_date);
    out += " (" + customer_kind(opp) + ")";
    return out;
}

std::string opportunity_row(const analysis::Opportunity& opp, std::string_view currency) {
    std::string out =
        "#" + std::to_string(opp.id) + "  " + opp.customer_name + " · " + opp.product_line_name +
        " · " + (opp.amount > 0 ? format_money(opp.amount, currency) : std::string("no amount")) +
        " · " + std::string(stage_name(opp.stage));
    if (opp.close_date) out += " · close " + format_date(*opp.close_date);
    out += " · " + customer_kind(opp);
    return out;
}

}  // namespace funnelbot::commands

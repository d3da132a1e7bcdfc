// Parsers for the values users type: money, dates, stages, territories, percentages. Names are
// matched with commands/grammar/text_matching.hpp, which this header brings along.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/funnel_types.hpp"
#include "commands/grammar/text_matching.hpp"
#include "commands/user_error.hpp"

namespace funnelbot::commands {

using analysis::Date;
using analysis::Money;
using analysis::Stage;
using analysis::Territory;

// The largest single amount funnelbot takes: 1,000,000,000,000.00 in minor units. Far above any
// deal, and small enough that sums over whole workspaces stay exact (analysis/money.hpp saturates
// beyond that).
inline constexpr Money kMaxAmount = 100'000'000'000'000;

// "25000", "25k", "$25,000", "1.2m", "25000.50", "€1,200", "25K" -> minor units (×100).
// Negative, empty, more than two decimals, misplaced commas, above kMaxAmount, or trailing junk:
// UserError naming the text and the accepted forms.
Result<Money> parse_money(std::string_view text);

// "12,500.00" style for display, with the currency code: format_money(2500000, "USD") ->
// "$25,000"; cents shown only when non-zero ("$25,000.50"). Known symbols: USD $, EUR €,
// GBP £, JPY ¥; others as "CHF 25,000".
std::string format_money(Money amount, std::string_view currency);

// "2026-12-31"; with allow_us also "12/31/2026" (CSV). Invalid calendar dates are errors.
Result<Date> parse_date(std::string_view text, bool allow_us = false);
std::string format_date(Date d);  // "2026-12-31"

// Stage names and the CRM aliases of DESIGN.md (Salesforce, HubSpot), case-insensitively,
// ignoring surrounding spaces. Unknown: nullopt.
std::optional<Stage> parse_stage(std::string_view text);
std::string_view stage_name(Stage s);  // "prospecting", …, "won", "lost"

std::optional<Territory> parse_territory(std::string_view text);  // balanced|new|existing
std::string_view territory_name(Territory t);

// A whole percentage 0..100, with or without a trailing '%'.
Result<int> parse_percent(std::string_view text);

}  // namespace funnelbot::commands

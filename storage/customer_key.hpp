// Customer-name normalisation: "ACME, Inc." and "acme" are one customer.
#pragma once

#include <string>
#include <string_view>

namespace funnelbot::storage {

// Lower-cases ASCII, drops punctuation and whitespace, and strips trailing legal suffixes
// (inc, llc, ltd, gmbh, corp, corporation, co, company, plc, ag, sa, sarl, bv, nv, srl, spa,
// pty, limited, incorporated). Non-ASCII bytes are kept as they are. A name that is nothing
// but a suffix keeps it ("Inc" -> "inc").
std::string customer_key(std::string_view name);

}  // namespace funnelbot::storage

// CSV export: a workspace's opportunities in our own columns, the format import reads back.
#pragma once

#include <ostream>

#include "analysis/funnel_types.hpp"
#include "storage/database.hpp"

namespace funnelbot::commands {

// Our columns (id,name,customer,product,amount,stage,close,type,owner), ordered by id;
// byte-stable for the same data. Returns the number of rows written.
int export_csv(storage::Database& db, analysis::Id workspace_id, std::ostream& out);

}  // namespace funnelbot::commands

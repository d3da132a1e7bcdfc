#include "storage/processed_event_repository.hpp"

#include <SQLiteCpp/Statement.h>

#include "storage/sql_support.hpp"

namespace funnelbot::storage {

bool ProcessedEventRepository::record(Id workspace_id, const std::string& event_id) {
    return detail::guarded("processed event record", [&] {
        // Insert-or-ignore is atomic, so two workers racing on one redelivery agree on who
        // handles it: exactly one sees a new row.
        auto st_cached =
            detail::cached(db_,
                           "INSERT INTO processed_events (workspace_id, event_id, recorded_at)"
                           " VALUES (?, ?, CAST(strftime('%s', 'now') AS INTEGER))"
                           " ON CONFLICT (workspace_id, event_id) DO NOTHING");
        SQLite::Statement& st = *st_cached;
        st.bind(1, workspace_id);
        st.bind(2, event_id);
        return st.exec() == 1;
    });
}

bool ProcessedEventRepository::seen(Id workspace_id, const std::string& event_id) {
    return detail::guarded("processed event seen", [&] {
        auto st_cached =
            detail::cached(db_,
                           "SELECT 1 FROM processed_events WHERE workspace_id = ? AND event_id "
                           "= ?");
        SQLite::Statement& st = *st_cached;
        st.bind(1, workspace_id);
        st.bind(2, event_id);
        return st.executeStep();
    });
}

}  // namespace funnelbot::storage

#include "bot/runtime/bot_metrics.hpp"

namespace funnelbot::bot::metric {

void declare_all(Metrics& m) {
    using Kind = Metrics::Kind;
    m.declare(kConnectionsUp, Kind::gauge,
              "1 while the platform's connection is up and commands arrive on it, else 0.");
    m.declare(kReconnects, Kind::counter,
              "Connections that ended and were opened again, by why they ended.");
    m.declare(kCommands, Kind::counter,
              "Commands answered, by command and result (ok, refused, failed, duplicate, busy, "
              "restarting).");
    m.declare(kReplySeconds, Kind::histogram,
              "Seconds from a command's arrival to its reply being handed to the connection.",
              {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5});
    m.declare(kReminders, Kind::counter,
              "Friday reminders by outcome (sent, skipped: undeliverable, failed).");
    m.declare(kRateLimited, Kind::counter, "HTTP 429 answers from the platform's API.");
    m.declare(kQueueDepth, Kind::gauge, "Commands waiting for a worker.");
    m.declare(kDatabaseBytes, Kind::gauge, "Size of the SQLite file and its write-ahead log.");
}

}  // namespace funnelbot::bot::metric

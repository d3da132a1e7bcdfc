// The metrics registry and its Prometheus text exposition, byte for byte.
#include "bot/runtime/metrics.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

namespace funnelbot::bot {
namespace {

TEST(MetricsTest, RendersCountersGaugesAndCumulativeHistogramBuckets) {
    Metrics m;
    m.declare("funnelbot_commands_total", Metrics::Kind::counter, "Commands answered.");
    m.declare("funnelbot_worker_queue_depth", Metrics::Kind::gauge, "Jobs waiting.");
    m.declare("funnelbot_command_reply_seconds", Metrics::Kind::histogram, "Reply latency.",
              {0.5, 0.01, 0.1});
    m.add("funnelbot_commands_total",
          {{"platform", "slack"}, {"command", "opp"}, {"result", "ok"}});
    m.add("funnelbot_commands_total", {{"platform", "slack"}, {"command", "opp"}, {"result", "ok"}},
          2);
    m.add("funnelbot_commands_total",
          {{"platform", "discord"}, {"command", "say \"hi\"\n"}, {"result", "busy"}});
    m.set("funnelbot_worker_queue_depth", {}, 3);
    m.set("funnelbot_worker_queue_depth", {}, 2);
    for (const double seconds : {0.004, 0.01, 0.05, 0.2, 7.0})
        m.observe("funnelbot_command_reply_seconds", {{"platform", "slack"}}, seconds);

    EXPECT_EQ(m.render(),
              "# HELP funnelbot_commands_total Commands answered.\n"
              "# TYPE funnelbot_commands_total counter\n"
              "funnelbot_commands_total{platform=\"discord\",command=\"say \\\"hi\\\"\\n\","
              "result=\"busy\"} 1\n"
              "funnelbot_commands_total{platform=\"slack\",command=\"opp\",result=\"ok\"} 3\n"
              "# HELP funnelbot_worker_queue_depth Jobs waiting.\n"
              "# TYPE funnelbot_worker_queue_depth gauge\n"
              "funnelbot_worker_queue_depth 2\n"
              "# HELP funnelbot_command_reply_seconds Reply latency.\n"
              "# TYPE funnelbot_command_reply_seconds histogram\n"
              "funnelbot_command_reply_seconds_bucket{platform=\"slack\",le=\"0.01\"} 2\n"
              "funnelbot_command_reply_seconds_bucket{platform=\"slack\",le=\"0.1\"} 3\n"
              "funnelbot_command_reply_seconds_bucket{platform=\"slack\",le=\"0.5\"} 4\n"
              "funnelbot_command_reply_seconds_bucket{platform=\"slack\",le=\"+Inf\"} 5\n"
              "funnelbot_command_reply_seconds_sum{platform=\"slack\"} 7.264\n"
              "funnelbot_command_reply_seconds_count{platform=\"slack\"} 5\n");
    EXPECT_EQ(m.value("funnelbot_commands_total",
                      {{"platform", "slack"}, {"command", "opp"}, {"result", "ok"}}),
              3);
}

TEST(MetricsTest, GaugesReadAtRenderTimeAndUndeclaredNamesAreRefused) {
    Metrics m;
    m.declare("funnelbot_connections_up", Metrics::Kind::gauge, "1 when connected.");
    int reads = 0;
    m.read_at_render("funnelbot_connections_up", [&] {
        ++reads;
        return std::vector<std::pair<Metrics::Labels, double>>{{{{"platform", "slack"}}, 1}};
    });
    EXPECT_EQ(m.render(),
              "# HELP funnelbot_connections_up 1 when connected.\n"
              "# TYPE funnelbot_connections_up gauge\n"
              "funnelbot_connections_up{platform=\"slack\"} 1\n");
    EXPECT_EQ(reads, 1);
    EXPECT_THROW(m.add("funnelbot_typo_total", {}), std::logic_error);
    EXPECT_THROW(m.add("funnelbot_connections_up", {}), std::logic_error)
        << "a gauge, not a counter";
    EXPECT_THROW(m.declare("funnelbot_connections_up", Metrics::Kind::gauge, "again"),
                 std::logic_error);
}

}  // namespace
}  // namespace funnelbot::bot

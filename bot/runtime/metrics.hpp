// What the running bot counts — commands by result, reconnects, reminders, rate limits, queue
// depth — and its exposition in the Prometheus text format
// (https://prometheus.io/docs/instrumenting/exposition_formats/#text-based-format), named after
// Prometheus's conventions (https://prometheus.io/docs/practices/naming/): `funnelbot_` prefix,
// `_total` for counters, base units (`_seconds`, `_bytes`). Thread-safe: the network thread, the
// workers and the reminder threads record; the metrics endpoint renders.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace funnelbot::bot {

class Metrics {
public:
    // Label names and values, in the order they are written.
    using Labels = std::vector<std::pair<std::string, std::string>>;

    enum class Kind { counter, gauge, histogram };

    // Every metric is declared once, before it is recorded (recording an undeclared name throws
    // std::logic_error: a typo must not become a new series). Histograms take their upper bounds.
    void declare(std::string name, Kind kind, std::string help, std::vector<double> buckets = {});

    // Counter: adds `value` (> 0).
    void add(std::string_view name, const Labels& labels, double value = 1);
    // Gauge: sets it.
    void set(std::string_view name, const Labels& labels, double value);
    // Histogram: one observation.
    void observe(std::string_view name, const Labels& labels, double value);

    // Gauges read when rendered (connections up, queue depth, database size): `read` is called
    // on the rendering thread, under the registry's lock (so it must not record), and returns
    // the samples.
    using GaugeReader = std::function<std::vector<std::pair<Labels, double>>()>;
    void read_at_render(std::string name, GaugeReader read);

    // The value recorded so far for a counter or gauge series; 0 when none (for tests and
    // /healthz).
    double value(std::string_view name, const Labels& labels) const;

    // Every declared metric with its HELP and TYPE lines and its series, in declaration order.
    std::string render() const;

private:
    struct Histogram {
        std::vector<std::uint64_t> counts;  // one per bucket, cumulative when rendered
        std::uint64_t count = 0;
        double sum = 0;
    };
    struct Family {
        std::string name;
        Kind kind = Kind::counter;
        std::string help;
        std::vector<double> buckets;
        std::map<Labels, double> values;         // counters and gauges
        std::map<Labels, Histogram> histograms;  // histograms
        GaugeReader reader;
    };
    Family& family(std::string_view name, Kind kind);

    mutable std::mutex mutex_;
    std::vector<Family> families_;
};

}  // namespace funnelbot::bot

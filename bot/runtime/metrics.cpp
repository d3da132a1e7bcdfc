#include "bot/runtime/metrics.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <stdexcept>

namespace funnelbot::bot {
namespace {

const char* type_name(Metrics::Kind kind) {
    switch (kind) {
        case Metrics::Kind::counter:
            return "counter";
        case Metrics::Kind::gauge:
            return "gauge";
        case Metrics::Kind::histogram:
            return "histogram";
    }
    return "untyped";
}

// A sample value as Prometheus reads it: integers without a fraction, "+Inf" for infinity.
std::string number(double v) {
    if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
    if (std::isnan(v)) return "NaN";
    char buffer[64];
    const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, v);
    return ec == std::errc() ? std::string(buffer, end) : std::string("NaN");
}

// Label values escape backslash, double quote and line feed; HELP text backslash and line feed.
std::string escaped(std::string_view text, bool quotes) {
    std::string out;
    for (const char c : text) {
        if (c == '\\') {
            out += "\\\\";
        } else if (c == '\n') {
            out += "\\n";
        } else if (c == '"' && quotes) {
            out += "\\\"";
        } else {
            out += c;
        }
    }
    return out;
}

std::string label_text(const Metrics::Labels& labels, std::string_view extra_name = {},
                       std::string_view extra_value = {}) {
    if (labels.empty() && extra_name.empty()) return {};
    std::string out = "{";
    bool first = true;
    const auto put = [&](std::string_view name, std::string_view value) {
        if (!first) out += ',';
        first = false;
        out += name;
        out += "=\"";
        out += escaped(value, true);
        out += '"';
    };
    for (const auto& [name, value] : labels)
        put(name, value);
    if (!extra_name.empty()) put(extra_name, extra_value);
    return out + "}";
}

}  // namespace

void Metrics::declare(std::string name, Kind kind, std::string help, std::vector<double> buckets) {
    std::lock_guard lock(mutex_);
    const auto known = std::find_if(families_.begin(), families_.end(),
                                    [&](const Family& f) { return f.name == name; });
    if (known != families_.end()) throw std::logic_error("metric declared twice: " + name);
    std::sort(buckets.begin(), buckets.end());
    Family f;
    f.name = std::move(name);
    f.kind = kind;
    f.help = std::move(help);
    f.buckets = std::move(buckets);
    families_.push_back(std::move(f));
}

Metrics::Family& Metrics::family(std::string_view name, Kind kind) {
    const auto it = std::find_if(families_.begin(), families_.end(),
                                 [&](const Family& f) { return f.name == name; });
    if (it == families_.end() || it->kind != kind) {
        throw std::logic_error("metric not declared as a " + std::string(type_name(kind)) + ": " +
                               std::string(name));
    }
    return *it;
}

void Metrics::add(std::string_view name, const Labels& labels, double value) {
    std::lock_guard lock(mutex_);
    family(name, Kind::counter).values[labels] += value;
}

void Metrics::set(std::string_view name, const Labels& labels, double value) {
    std::lock_guard lock(mutex_);
    family(name, Kind::gauge).values[labels] = value;
}

void Metrics::observe(std::string_view name, const Labels& labels, double value) {
    std::lock_guard lock(mutex_);
    Family& f = family(name, Kind::histogram);
    Histogram& h = f.histograms[labels];
    if (h.counts.empty()) h.counts.assign(f.buckets.size(), 0);
    // Counted in the first bucket it fits; render() makes the counts cumulative.
    const auto bucket = std::lower_bound(f.buckets.begin(), f.buckets.end(), value);
    if (bucket != f.buckets.end()) ++h.counts[static_cast<std::size_t>(bucket - f.buckets.begin())];
    ++h.count;
    h.sum += value;
}

void Metrics::read_at_render(std::string name, GaugeReader read) {
    std::lock_guard lock(mutex_);
    family(name, Kind::gauge).reader = std::move(read);
}

double Metrics::value(std::string_view name, const Labels& labels) const {
    std::lock_guard lock(mutex_);
    for (const Family& f : families_) {
        if (f.name != name) continue;
        const auto it = f.values.find(labels);
        return it == f.values.end() ? 0 : it->second;
    }
    return 0;
}

std::string Metrics::render() const {
    std::lock_guard lock(mutex_);
    std::string out;
    for (const Family& f : families_) {
        out += "# HELP " + f.name + " " + escaped(f.help, false) + "\n";
        out += "# TYPE " + f.name + " " + type_name(f.kind) + "\n";
        if (f.kind == Kind::histogram) {
            for (const auto& [labels, h] : f.histograms) {
                std::uint64_t cumulative = 0;
                for (std::size_t i = 0; i < f.buckets.size(); ++i) {
                    cumulative += h.counts[i];
                    out += f.name + "_bucket" + label_text(labels, "le", number(f.buckets[i])) +
                           " " + std::to_string(cumulative) + "\n";
                }
                out += f.name + "_bucket" + label_text(labels, "le", "+Inf") + " " +
                       std::to_string(h.count) + "\n";
                out += f.name + "_sum" + label_text(labels) + " " + number(h.sum) + "\n";
                out +=
                    f.name + "_count" + label_text(labels) + " " + std::to_string(h.count) + "\n";
            }
            continue;
        }
        std::map<Labels, double> values = f.values;
        if (f.reader) {
            for (auto& [labels, v] : f.reader())
                values[labels] = v;
        }
        for (const auto& [labels, v] : values)
            out += f.name + label_text(labels) + " " + number(v) + "\n";
    }
    return out;
}

}  // namespace funnelbot::bot

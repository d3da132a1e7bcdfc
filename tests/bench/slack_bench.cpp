// End-to-end Slack load: the real `funnelbot run` (a child process) against the fake Slack over
// TLS on 127.0.0.1. N /funnel-check commands from S concurrent senders against a rep with a
// 1,000-opportunity funnel, or with --reps/--opps a rep with a funnel of that size among that
// many reps (a whole workspace); reports ack and reply latency percentiles, commands per second,
// the bot's CPU time per command (from /proc/PID/stat) and its peak RSS.
// Usage: slack_bench [commands=2000] [senders=20] [--reps N --opps M] [--command funnel-help]
#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <iostream>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "tests/bench/end_to_end_support.hpp"
#include "tests/support/child_process.hpp"
#include "tests/support/fake_slack.hpp"
#include "tests/support/temp_database.hpp"
#include "tests/support/test_certificates.hpp"

namespace {

using namespace funnelbot;
using namespace std::chrono_literals;
using Micros = std::chrono::microseconds;

using testing::percentile;
using testing::to_ms;

}  // namespace

int main(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    const auto data = testing::bench_data_from_args(args);
    const int commands = args.size() > 0 ? std::atoi(args[0].c_str()) : 2000;
    const int senders = args.size() > 1 ? std::atoi(args[1].c_str()) : 20;
    testing::TempDir dir;
    const auto pki = testing::make_test_pki(dir.path().string());
    testing::FakeSlackOptions options;
    options.cert_file = pki.server_cert;
    options.key_file = pki.server_key;
    testing::FakeSlack fake(options);
    fake.add_user({"U2", "T111", "alice", "Alice Rep", "alice", "alice@example.com"});
    const std::string db = dir.file("bench.db");
    testing::prepare_bench_data(data, db, storage::Platform::slack, "T111", "U2", "alice");

    testing::ChildProcess bot(FUNNELBOT_BINARY, {"run"},
                              {{"SLACK_APP_TOKEN", "xapp-1-fake-app-token"},
                               {"SLACK_BOT_TOKEN", "xoxb-fake-bot-token"},
                               {"SLACK_API_URL", fake.api_url()},
                               {"SSL_CERT_FILE", pki.ca_cert},
                               {"FUNNELBOT_DB", db},
                               {"FUNNELBOT_LOG_LEVEL", "warn"}},
                              dir.file("bot.log"));
    if (!fake.wait_until([&] { return fake.open_websockets() == 1; }, 10s)) {
        std::cerr << "the bot did not connect:\n" << testing::read_file(dir.file("bot.log"));
        return 1;
    }

    testing::CompletionCollector<testing::RecordedAck> acks(
        [&](std::size_t first) { return fake.acks_from(first); },
        [](const testing::RecordedAck& a) { return a.envelope_id; });

    // The first command creates nothing the later ones need (the rep exists): start counting
    // the bot's CPU from here.
    const double cpu_before = testing::process_cpu_seconds(bot.pid());
    std::mutex results;
    std::vector<Micros> ack_latency, reply_latency;
    int with_payload = 0, lost = 0;
    const auto started = std::chrono::steady_clock::now();
    std::vector<std::thread> threads;
    for (int s = 0; s < senders; ++s) {
        threads.emplace_back([&, s] {
            const int mine = commands / senders + (s < commands % senders ? 1 : 0);
            for (int i = 0; i < mine; ++i) {
                const std::string id =
                    fake.send_slash_command("T111", "U2", "/" + data.command, "");
                const auto a = acks.wait(id, 10s);
                std::lock_guard lock(results);
                if (!a) {
                    ++lost;
                    continue;
                }
                ack_latency.push_back(a->since_sent.value_or(Micros{0}));
                // The reply rides on the ack, so it is complete when the ack is.
                if (a->payload && a->payload->contains("blocks")) {
                    ++with_payload;
                    reply_latency.push_back(a->since_sent.value_or(Micros{0}));
                }
            }
        });
    }
    for (auto& t : threads)
        t.join();
    const auto elapsed = std::chrono::steady_clock::now() - started;
    const long rss_kib = bot.peak_rss_kib();
    const double cpu = testing::process_cpu_seconds(bot.pid()) - cpu_before;
    bot.terminate();
    bot.wait(10s);

    const double seconds = std::chrono::duration<double>(elapsed).count();
    std::printf("slack_bench: %d /%s commands, %d senders, %s\n", commands, data.command.c_str(),
                senders, data.describe().c_str());
    std::printf("ack latency    p50 %.2f ms  p99 %.2f ms  max %.2f ms\n",
                to_ms(percentile(ack_latency, 0.5)), to_ms(percentile(ack_latency, 0.99)),
                to_ms(percentile(ack_latency, 1.0)));
    std::printf(
        "reply latency  p50 %.2f ms  p99 %.2f ms  (%d replies in the ack payload, %zu via "
        "response_url)\n",
        to_ms(percentile(reply_latency, 0.5)), to_ms(percentile(reply_latency, 0.99)), with_payload,
        fake.response_url_posts().size());
    std::printf("throughput     %.0f commands/s over %.2f s\n",
                static_cast<double>(commands) / seconds, seconds);
    std::printf("bot CPU        %.3f ms per command (%.2f s in all)\n", cpu * 1000.0 / commands,
                cpu);
    std::printf("bot peak RSS   %.1f MiB\n", static_cast<double>(rss_kib) / 1024.0);
    std::printf("lost           %d\n", lost);
    if (lost != 0) std::printf("bot log:\n%s", testing::read_file(dir.file("bot.log")).c_str());
    return lost == 0 ? 0 : 1;
}

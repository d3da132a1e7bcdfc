// End-to-end Discord load: the real `funnelbot run` (a child process) against the fake Discord
// over TLS on 127.0.0.1. N /funnel-check interactions from S concurrent senders against a rep
// with a 1,000-opportunity funnel, or with --reps/--opps a rep with a funnel of that size among
// that many reps (a whole workspace); reports the callback latency (INTERACTION_CREATE written →
// callback received) percentiles, interactions per second, the bot's CPU time per interaction
// (from /proc/PID/stat) and its peak RSS.
// Usage: discord_bench [interactions=2000] [senders=20] [--reps N --opps M] [--command funnel-help]
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
#include "tests/support/fake_discord.hpp"
#include "tests/support/temp_database.hpp"
#include "tests/support/test_certificates.hpp"

namespace {

using namespace funnelbot;
using namespace std::chrono_literals;
using Micros = std::chrono::microseconds;
using testing::percentile;
using testing::to_ms;

const std::string kGuild = "800000000000000001";
const std::string kRep = "100000000000000002";

}  // namespace

int main(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    const auto data = testing::bench_data_from_args(args);
    const int interactions = args.size() > 0 ? std::atoi(args[0].c_str()) : 2000;
    const int senders = args.size() > 1 ? std::atoi(args[1].c_str()) : 20;
    testing::TempDir dir;
    const auto pki = testing::make_test_pki(dir.path().string());
    testing::FakeDiscordOptions options;
    options.cert_file = pki.server_cert;
    options.key_file = pki.server_key;
    testing::FakeDiscord fake(options);
    fake.add_member({kRep, kGuild, "alice", "Alice Rep"});
    const std::string db = dir.file("bench.db");
    testing::prepare_bench_data(data, db, storage::Platform::discord, kGuild, kRep, "alice");

    testing::ChildProcess bot(FUNNELBOT_BINARY, {"run"},
                              {{"DISCORD_BOT_TOKEN", "fake.discord.bot-token"},
                               {"DISCORD_API_URL", fake.api_url()},
                               {"SSL_CERT_FILE", pki.ca_cert},
                               {"FUNNELBOT_DB", db},
                               {"FUNNELBOT_LOG_LEVEL", "warn"}},
                              dir.file("bot.log"));
    if (!fake.wait_until(
            [&] { return fake.identify_count() == 1 && fake.open_gateway_sockets() == 1; }, 10s)) {
        std::cerr << "the bot did not connect:\n" << testing::read_file(dir.file("bot.log"));
        return 1;
    }
    // READY is out once the session can take dispatches; give the registration a moment too.
    fake.wait_until([&] { return !fake.command_registrations().empty(); }, 10s);

    testing::CompletionCollector<testing::RecordedCallback> callbacks(
        [&](std::size_t first) { return fake.callbacks_from(first); },
        [](const testing::RecordedCallback& c) { return c.interaction_id; });

    const double cpu_before = testing::process_cpu_seconds(bot.pid());
    std::mutex results;
    std::vector<Micros> latency;
    int immediate = 0, deferred = 0, refused = 0, lost = 0;
    const auto started = std::chrono::steady_clock::now();
    std::vector<std::thread> threads;
    for (int s = 0; s < senders; ++s) {
        threads.emplace_back([&, s] {
            const int mine = interactions / senders + (s < interactions % senders ? 1 : 0);
            testing::FakeInteraction i;
            i.guild_id = kGuild;
            i.user_id = kRep;
            i.command = data.command;
            for (int n = 0; n < mine; ++n) {
                const std::string id = fake.send_interaction(i);
                const auto c = callbacks.wait(id, 10s);
                std::lock_guard lock(results);
                if (!c) {
                    ++lost;
                    continue;
                }
                latency.push_back(c->since_dispatch);
                if (c->status != 204) ++refused;
                (c->type == 4 ? immediate : deferred) += 1;
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
    std::printf("discord_bench: %d /%s interactions, %d senders, %s\n", interactions,
                data.command.c_str(), senders, data.describe().c_str());
    std::printf("callback latency  p50 %.2f ms  p99 %.2f ms  max %.2f ms\n",
                to_ms(percentile(latency, 0.5)), to_ms(percentile(latency, 0.99)),
                to_ms(percentile(latency, 1.0)));
    std::printf("callbacks         %d with the reply (type 4), %d deferred (type 5), %d refused\n",
                immediate, deferred, refused);
    std::printf("throughput        %.0f interactions/s over %.2f s\n",
                static_cast<double>(interactions) / seconds, seconds);
    std::printf("bot CPU           %.3f ms per interaction (%.2f s in all)\n",
                cpu * 1000.0 / interactions, cpu);
    std::printf("bot peak RSS      %.1f MiB\n", static_cast<double>(rss_kib) / 1024.0);
    std::printf("lost              %d\n", lost);
    if (lost != 0 || refused != 0)
        std::printf("bot log:\n%s", testing::read_file(dir.file("bot.log")).c_str());
    return lost == 0 && refused == 0 ? 0 : 1;
}

// End-to-end Slack load: the real `funnelbot run` (a child process) against the fake Slack over
// TLS on 127.0.0.1. N /funnel-check commands from S concurrent senders against a rep with a
// 1,000-opportunity funnel; reports ack and reply latency percentiles, commands per second and
// the bot's peak RSS. Usage: slack_bench [commands=2000] [senders=20]
#include <SQLiteCpp/Transaction.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <iostream>
#include <map>
#include <mutex>
#include <thread>

#include "storage/customer_repository.hpp"
#include "storage/database.hpp"
#include "storage/opportunity_repository.hpp"
#include "storage/product_line_repository.hpp"
#include "storage/user_repository.hpp"
#include "storage/workspace_repository.hpp"
#include "tests/support/child_process.hpp"
#include "tests/support/fake_slack.hpp"
#include "tests/support/temp_database.hpp"
#include "tests/support/test_certificates.hpp"

namespace {

using namespace funnelbot;
using namespace std::chrono_literals;
using Micros = std::chrono::microseconds;

void seed_funnel(const std::string& path) {
    storage::Database db(path);
    const auto ws =
        storage::WorkspaceRepository(db).find_or_create(storage::Platform::slack, "T111", "UTC");
    SQLite::Transaction tx(db.sql());
    std::vector<analysis::Id> lines;
    for (const char* name : {"Widgets", "Gadgets", "Services", "Cloud Suite", "Sensors"}) {
        analysis::ProductLine l;
        l.name = name;
        lines.push_back(storage::ProductLineRepository(db).create(ws.id, l).id);
    }
    storage::User rep;
    rep.workspace_id = ws.id;
    rep.platform_user_id = "U2";
    rep.name = "alice";
    rep = storage::UserRepository(db).create(rep);
    storage::CustomerRepository customers(db);
    storage::OpportunityRepository opps(db);
    const auto now =
        std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
    for (int i = 0; i < 1000; ++i) {
        analysis::Opportunity o;
        o.owner_id = rep.id;
        o.customer_id = customers.find_or_create(ws.id, "Customer " + std::to_string(i % 300)).id;
        o.product_line_id = lines[static_cast<std::size_t>(i % 7 < 4 ? 0 : i % 5)];
        o.amount = 100000 + (i * 7919) % 5000000;
        o.stage = static_cast<analysis::Stage>(i % 6);
        o.customer_type =
            i % 2 ? analysis::CustomerType::new_customer : analysis::CustomerType::existing;
        o.created_at = now - std::chrono::days{i % 120};
        o.updated_at = o.created_at;
        if (!analysis::is_open(o.stage)) o.closed_at = o.created_at;
        opps.insert(ws.id, o);
    }
    tx.commit();
}

Micros percentile(std::vector<Micros> v, double p) {
    if (v.empty()) return Micros{0};
    std::sort(v.begin(), v.end());
    const auto index = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1) + 0.5);
    return v[std::min(index, v.size() - 1)];
}

double ms(Micros d) {
    return static_cast<double>(d.count()) / 1000.0;
}

}  // namespace

int main(int argc, char** argv) {
    const int commands = argc > 1 ? std::atoi(argv[1]) : 2000;
    const int senders = argc > 2 ? std::atoi(argv[2]) : 20;
    testing::TempDir dir;
    const auto pki = testing::make_test_pki(dir.path().string());
    testing::FakeSlackOptions options;
    options.cert_file = pki.server_cert;
    options.key_file = pki.server_key;
    testing::FakeSlack fake(options);
    fake.add_user({"U2", "T111", "alice", "Alice Rep", "alice", "alice@example.com"});
    const std::string db = dir.file("bench.db");
    seed_funnel(db);

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

    // One collector turns the fake's ack records into per-envelope completions.
    std::mutex mutex;
    std::condition_variable acked;
    std::map<std::string, testing::RecordedAck> by_id;
    std::map<std::string, std::chrono::steady_clock::time_point> sent_at;
    std::atomic<bool> done{false};
    std::thread collector([&] {
        std::size_t seen = 0;
        while (!done) {
            auto fresh = fake.acks_from(seen);
            if (!fresh.empty()) {
                seen += fresh.size();
                std::lock_guard lock(mutex);
                for (auto& a : fresh)
                    by_id[a.envelope_id] = std::move(a);
                acked.notify_all();
            }
            std::this_thread::sleep_for(200us);
        }
    });

    std::vector<Micros> ack_latency, reply_latency;
    int with_payload = 0, lost = 0;
    const auto started = std::chrono::steady_clock::now();
    std::vector<std::thread> threads;
    for (int s = 0; s < senders; ++s) {
        threads.emplace_back([&, s] {
            const int mine = commands / senders + (s < commands % senders ? 1 : 0);
            for (int i = 0; i < mine; ++i) {
                const std::string id = fake.send_slash_command("T111", "U2", "/funnel-check", "");
                std::unique_lock lock(mutex);
                sent_at.emplace(id, std::chrono::steady_clock::now());
                if (!acked.wait_for(lock, 10s, [&] { return by_id.count(id) != 0; })) {
                    ++lost;
                    continue;
                }
                const auto& a = by_id.at(id);
                ack_latency.push_back(a.since_sent.value_or(Micros{0}));
                // The reply rides on the ack, so it is complete when the ack is.
                if (a.payload && a.payload->contains("blocks")) {
                    ++with_payload;
                    reply_latency.push_back(a.since_sent.value_or(Micros{0}));
                }
            }
        });
    }
    for (auto& t : threads)
        t.join();
    const auto elapsed = std::chrono::steady_clock::now() - started;
    done = true;
    collector.join();
    const long rss_kib = bot.peak_rss_kib();
    bot.terminate();
    bot.wait(10s);

    const double seconds = std::chrono::duration<double>(elapsed).count();
    std::printf("slack_bench: %d /funnel-check commands, %d senders, 1,000-opportunity funnel\n",
                commands, senders);
    std::printf("ack latency    p50 %.2f ms  p99 %.2f ms  max %.2f ms\n",
                ms(percentile(ack_latency, 0.5)), ms(percentile(ack_latency, 0.99)),
                ms(percentile(ack_latency, 1.0)));
    std::printf(
        "reply latency  p50 %.2f ms  p99 %.2f ms  (%d replies in the ack payload, %zu via "
        "response_url)\n",
        ms(percentile(reply_latency, 0.5)), ms(percentile(reply_latency, 0.99)), with_payload,
        fake.response_url_posts().size());
    std::printf("throughput     %.0f commands/s over %.2f s\n",
                static_cast<double>(commands) / seconds, seconds);
    std::printf("bot peak RSS   %.1f MiB\n", static_cast<double>(rss_kib) / 1024.0);
    std::printf("lost           %d\n", lost);
    if (lost != 0) std::printf("bot log:\n%s", testing::read_file(dir.file("bot.log")).c_str());
    return lost == 0 ? 0 : 1;
}

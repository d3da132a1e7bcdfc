// `funnelbot doctor` against the fake Slack and Discord over TLS, a real SQLite file and the
// installed time zone data: everything right gives nine `ok` lines and status 0; each fault
// injected alone gives status 1 and one FAIL line that names it. In-process for the faults, and
// through the real binary for the whole command line (status, output, no token anywhere).
#include <gtest/gtest.h>

#include <SQLiteCpp/Database.h>
#include <unistd.h>

#include <filesystem>
#include <sstream>

#include "bot/app/doctor_checks.hpp"
#include "bot/net/tls_context.hpp"
#include "storage/database.hpp"
#include "tests/support/child_process.hpp"
#include "tests/support/fake_discord.hpp"
#include "tests/support/fake_slack.hpp"
#include "tests/support/temp_database.hpp"
#include "tests/support/test_certificates.hpp"

namespace funnelbot::testing {
namespace {

using namespace std::chrono_literals;
using bot::SetupFinding;
using bot::SetupStatus;

const std::string kSlackBotToken = "xoxb-fake-bot-token";
const std::string kSlackAppToken = "xapp-1-fake-app-token";
const std::string kDiscordToken = "fake.discord.bot-token";
const std::string kApplication = "900000000000000001";
const std::string kGuild = "800000000000000001";
const std::string kUser = "100000000000000002";

class DoctorTest : public ::testing::Test {
protected:
    DoctorTest() : pki_(make_test_pki(dir_.path().string())) {
        start_slack({});
        FakeDiscordOptions d;
        d.cert_file = pki_.server_cert;
        d.key_file = pki_.server_key;
        discord_ = std::make_unique<FakeDiscord>(d);
        discord_->add_member({kUser, kGuild, "alice", "Alice Rep"});
        storage::Database created(db_path_);  // at the current schema
    }

    // A fresh fake Slack with these scopes on the bot token (empty: the manifest's).
    void start_slack(std::vector<std::string> scopes) {
        FakeSlackOptions s;
        s.cert_file = pki_.server_cert;
        s.key_file = pki_.server_key;
        if (!scopes.empty()) s.bot_scopes = std::move(scopes);
        slack_.reset();
        slack_ = std::make_unique<FakeSlack>(s);
    }

    bot::RuntimeConfig config() const {
        bot::RuntimeConfig c;
        c.slack_app_token = kSlackAppToken;
        c.slack_bot_token = kSlackBotToken;
        c.slack_api_url = slack_->api_url();
        c.discord_bot_token = kDiscordToken;
        c.discord_application_id = kApplication;
        c.discord_api_url = bot::with_trailing_slash(discord_->api_url());
        c.db_path = db_path_;
        return c;
    }

    std::vector<SetupFinding> doctor(const bot::RuntimeConfig& c, std::string dm_user = kUser) {
        auto tls = bot::make_client_tls_context();
        tls.load_verify_file(pki_.ca_cert);
        bot::DoctorArgs args;
        args.dm_user = std::move(dm_user);
        std::vector<SetupFinding> reported;
        auto findings = bot::run_doctor_checks(
            c, c.db_path, args, tls, [&](const SetupFinding& f) { reported.push_back(f); });
        EXPECT_EQ(reported.size(), findings.size()) << "every finding is reported as it comes";
        for (const auto& f : findings) {
            const std::string line = bot::format_finding(f);
            for (const std::string& token :
                 {kSlackBotToken, kSlackAppToken, kDiscordToken, std::string("xoxb-wrong"),
                  std::string("xapp-1-wrong"), std::string("wrong.discord.token")}) {
                EXPECT_EQ(line.find(token), std::string::npos) << "a token in: " << line;
            }
        }
        return findings;
    }

    // The FAIL lines, formatted.
    static std::vector<std::string> failures(const std::vector<SetupFinding>& findings) {
        std::vector<std::string> out;
        for (const auto& f : findings) {
            if (f.status == SetupStatus::fail) out.push_back(bot::format_finding(f));
        }
        return out;
    }

    static std::string all(const std::vector<SetupFinding>& findings) {
        std::string out;
        for (const auto& f : findings)
            out += bot::format_finding(f) + "\n";
        return out;
    }

    // Runs the doctor with one fault and expects exactly one FAIL line, starting with `prefix`
    // and containing `names`.
    void expect_one_failure(const bot::RuntimeConfig& c, const std::string& prefix,
                            const std::string& names) {
        const auto findings = doctor(c);
        EXPECT_EQ(bot::doctor_exit_status(findings), 1) << all(findings);
        const auto failed = failures(findings);
        ASSERT_EQ(failed.size(), 1u) << all(findings);
        EXPECT_EQ(failed[0].rfind(prefix, 0), 0u) << failed[0];
        EXPECT_NE(failed[0].find(names), std::string::npos) << failed[0];
    }

    TempDir dir_;
    TestPki pki_;
    std::string db_path_ = dir_.file("bot.db");
    std::unique_ptr<FakeSlack> slack_;
    std::unique_ptr<FakeDiscord> discord_;
};

TEST_F(DoctorTest, EverythingRightIsNineOkLinesAndStatusZero) {
    SQLite::Database before_db(db_path_);
    const std::string before = snapshot(before_db);
    const auto findings = doctor(config());
    EXPECT_EQ(bot::doctor_exit_status(findings), 0) << all(findings);
    std::vector<std::string> subjects;
    for (const auto& f : findings) {
        EXPECT_EQ(f.status, SetupStatus::ok) << bot::format_finding(f);
        subjects.push_back(f.subject);
    }
    EXPECT_EQ(subjects, (std::vector<std::string>{"Slack bot token", "Slack bot scopes",
                                                  "Slack Socket Mode", "Discord bot token",
                                                  "Discord application", "Discord commands",
                                                  "Discord DM", "Database", "Time zones"}));
    EXPECT_EQ(bot::format_finding(findings[0]),
              "ok   Slack bot token: workspace \"Fake Team\" (T111), bot @funnelbot");
    EXPECT_NE(
        findings[7].detail.find("schema version " +
                                std::to_string(storage::Database::kSchemaVersion) + " (current)"),
        std::string::npos)
        << findings[7].detail;
    // Looked, touched nothing: no WebSocket, no message, no command registered, no row written.
    EXPECT_EQ(slack_->websocket_connections_accepted(), 0);
    EXPECT_TRUE(slack_->posted_messages().empty());
    EXPECT_TRUE(discord_->messages().empty());
    EXPECT_TRUE(discord_->command_registrations().empty());
    EXPECT_EQ(discord_->open_gateway_sockets(), 0);
    EXPECT_EQ(snapshot(before_db), before);
    for (const auto& entry : std::filesystem::directory_iterator(dir_.path())) {
        EXPECT_EQ(entry.path().filename().string().find("probe"), std::string::npos);
    }
}

TEST_F(DoctorTest, AWrongSlackBotTokenFailsThatLineAndSkipsTheScopes) {
    auto c = config();
    c.slack_bot_token = "xoxb-wrong";
    expect_one_failure(c, "FAIL Slack bot token: ", "SLACK_BOT_TOKEN (invalid_auth)");
    EXPECT_EQ(doctor(c)[1].status, SetupStatus::skip);
}

TEST_F(DoctorTest, AMissingScopeIsNamed) {
    start_slack({"commands", "chat:write", "im:write", "users:read"});
    expect_one_failure(config(), "FAIL Slack bot scopes: missing users:read.email — add it",
                       "reinstall the app");
}

TEST_F(DoctorTest, SocketModeOffIsNamed) {
    slack_->set_socket_mode_enabled(false);
    expect_one_failure(config(), "FAIL Slack Socket Mode: off (socket_mode_not_enabled)",
                       "Enable Socket Mode");
}

TEST_F(DoctorTest, AWrongSlackAppTokenIsNamed) {
    auto c = config();
    c.slack_app_token = "xapp-1-wrong";
    expect_one_failure(c, "FAIL Slack app token: ", "SLACK_APP_TOKEN (invalid_auth)");
}

TEST_F(DoctorTest, AWrongDiscordTokenFailsOnceAndStopsUsingIt) {
    auto c = config();
    c.discord_bot_token = "wrong.discord.token";
    expect_one_failure(c, "FAIL Discord bot token: ", "DISCORD_BOT_TOKEN (401 Unauthorized)");
    const auto findings = doctor(c);
    for (std::size_t i = 4; i <= 6; ++i)
        EXPECT_EQ(findings[i].status, SetupStatus::skip) << bot::format_finding(findings[i]);
    for (const auto& r : discord_->requests())
        EXPECT_EQ(r.target.find("/api/v10/applications"), std::string::npos) << r.target;
}

TEST_F(DoctorTest, AnApplicationIdMismatchIsNamed) {
    auto c = config();
    c.discord_application_id = "900000000000000999";
    expect_one_failure(c, "FAIL Discord application: DISCORD_APPLICATION_ID is 900000000000000999",
                       "belongs to application " + kApplication);
}

TEST_F(DoctorTest, AnUnsetApplicationIdIsLearned) {
    auto c = config();
    c.discord_application_id.reset();
    const auto findings = doctor(c);
    EXPECT_EQ(bot::doctor_exit_status(findings), 0) << all(findings);
    EXPECT_NE(findings[4].detail.find("learned from Discord"), std::string::npos);
}

TEST_F(DoctorTest, ForbiddenRegistrationAsksForTheApplicationsCommandsScope) {
    discord_->forbid_commands(true);
    auto c = config();
    c.discord_guild_id = kGuild;
    expect_one_failure(c,
                       "FAIL Discord commands: Discord refused the command list in guild " + kGuild,
                       "re-invite the bot with the applications.commands scope");
}

TEST_F(DoctorTest, ADirectMessageIsSkippedWithoutAUserAndFailsForAnUnknownOne) {
    const auto skipped = doctor(config(), "");
    EXPECT_EQ(bot::doctor_exit_status(skipped), 0) << all(skipped);
    EXPECT_EQ(bot::format_finding(skipped[6])
                  .rfind("skip Discord DM: not checked — give "
                         "--dm-user",
                         0),
              0u);
    const auto unknown = doctor(config(), "100000000000000099");
    ASSERT_EQ(failures(unknown).size(), 1u) << all(unknown);
    EXPECT_EQ(failures(unknown)[0].rfind("FAIL Discord DM: Discord refused a DM channel with "
                                         "user 100000000000000099",
                                         0),
              0u);
}

TEST_F(DoctorTest, ANewerSchemaFailsAndAnOlderOneIsMigratedAtStart) {
    {
        SQLite::Database db(db_path_, SQLite::OPEN_READWRITE);
        db.exec("PRAGMA user_version = 99");
    }
    expect_one_failure(config(), "FAIL Database: " + db_path_ + " has schema version 99, newer",
                       "than this funnelbot's");
    {
        SQLite::Database db(db_path_, SQLite::OPEN_READWRITE);
        db.exec("PRAGMA user_version = 2");
    }
    const auto older = doctor(config());
    EXPECT_EQ(bot::doctor_exit_status(older), 0) << all(older);
    EXPECT_EQ(bot::format_finding(older[7]),
              "warn Database: " + db_path_ + " opens and is writable; schema version 2 will be " +
                  "migrated at start to " + std::to_string(storage::Database::kSchemaVersion) +
                  " — back it up first with funnelbot backup");
    SQLite::Database db(db_path_, SQLite::OPEN_READONLY);
    EXPECT_EQ(db.execAndGet("PRAGMA user_version").getInt(), 2) << "the doctor migrated it";
}

TEST_F(DoctorTest, AMissingDatabaseIsCreatedAtStartUnlessItsDirectoryIsMissing) {
    auto c = config();
    c.db_path = dir_.file("new.db");
    const auto fresh = doctor(c);
    EXPECT_EQ(bot::doctor_exit_status(fresh), 0) << all(fresh);
    EXPECT_NE(fresh[7].detail.find("does not exist yet; funnelbot creates it at start"),
              std::string::npos);
    EXPECT_FALSE(std::filesystem::exists(c.db_path)) << "the doctor created the database";

    c.db_path = dir_.file("no-such-dir/bot.db");
    expect_one_failure(c, "FAIL Database: " + c.db_path + " does not exist and cannot be created",
                       "does not exist");
}

TEST_F(DoctorTest, AFileThatIsNoDatabaseFails) {
    auto c = config();
    c.db_path = pki_.ca_cert;
    expect_one_failure(c, "FAIL Database: cannot open " + pki_.ca_cert, "not a database");
}

TEST_F(DoctorTest, AnUnknownTimeZoneIsNamed) {
    auto c = config();
    c.default_tz = "Mars/Olympus_Mons";
    expect_one_failure(c, "FAIL Time zones: FUNNELBOT_TZ \"Mars/Olympus_Mons\" is not a known",
                       "IANA name");
}

TEST_F(DoctorTest, UnreachablePlatformsFailWithWhereTheyWereLookedFor) {
    auto c = config();
    c.slack_api_url = "https://localhost:1/api/";
    c.discord_api_url = "https://localhost:1/api/v10/";
    const auto findings = doctor(c);
    const auto failed = failures(findings);
    ASSERT_EQ(failed.size(), 3u) << all(findings);
    EXPECT_EQ(failed[0].rfind("FAIL Slack bot token: could not reach Slack's Web API", 0), 0u);
    EXPECT_EQ(failed[1].rfind("FAIL Slack Socket Mode: could not reach Slack's Web API", 0), 0u);
    EXPECT_EQ(failed[2].rfind("FAIL Discord bot token: could not reach Discord", 0), 0u);
}

TEST_F(DoctorTest, NoPlatformConfiguredIsTwoSkipsAndStatusZero) {
    bot::RuntimeConfig c;
    c.db_path = db_path_;
    const auto findings = doctor(c, "");
    EXPECT_EQ(bot::doctor_exit_status(findings), 0) << all(findings);
    ASSERT_EQ(findings.size(), 4u) << all(findings);
    EXPECT_EQ(bot::format_finding(findings[0]),
              "skip Slack: SLACK_APP_TOKEN and SLACK_BOT_TOKEN not set");
    EXPECT_EQ(bot::format_finding(findings[1]), "skip Discord: DISCORD_BOT_TOKEN not set");
}

// ---- the real binary ----------------------------------------------------------------------

class DoctorCliTest : public DoctorTest {
protected:
    std::map<std::string, std::string> env() const {
        return {{"SLACK_APP_TOKEN", kSlackAppToken},      {"SLACK_BOT_TOKEN", kSlackBotToken},
                {"SLACK_API_URL", slack_->api_url()},     {"DISCORD_BOT_TOKEN", kDiscordToken},
                {"DISCORD_API_URL", discord_->api_url()}, {"DISCORD_APPLICATION_ID", kApplication},
                {"SSL_CERT_FILE", pki_.ca_cert},          {"FUNNELBOT_DB", db_path_},
                {"FUNNELBOT_LOG_LEVEL", "debug"}};
    }

    // Runs `funnelbot doctor ARGS…` (as `nobody` when `unprivileged`, so that file permissions
    // hold even when the tests run as root) and returns its exit status; its output is in output_.
    int doctor_binary(const std::map<std::string, std::string>& environment,
                      std::vector<std::string> args = {}, bool unprivileged = false) {
        std::string program = FUNNELBOT_BINARY;
        args.insert(args.begin(), "doctor");
        if (unprivileged && geteuid() == 0) {
            // A copy in the test's directory: the build tree may be where nobody cannot go.
            const std::string copy = dir_.file("funnelbot");
            std::filesystem::copy_file(FUNNELBOT_BINARY, copy,
                                       std::filesystem::copy_options::overwrite_existing);
            args.insert(args.begin(),
                        {"--reuid=65534", "--regid=65534", "--clear-groups", "--", copy});
            program = "/usr/bin/setpriv";
        }
        ChildProcess child(program, args, environment, output_);
        const auto status = child.wait(30s);
        EXPECT_TRUE(status.has_value()) << "doctor did not finish:\n" << read_file(output_);
        return status.value_or(-1);
    }

    // The finding lines of the output (log lines, if any, left out).
    std::vector<std::string> lines() const {
        std::vector<std::string> out;
        std::istringstream in(read_file(output_));
        std::string line;
        while (std::getline(in, line)) {
            for (const char* tag : {"ok   ", "warn ", "FAIL ", "skip "}) {
                if (line.rfind(tag, 0) == 0) out.push_back(line);
            }
        }
        return out;
    }

    void expect_no_token() const {
        const std::string output = read_file(output_);
        for (const std::string& token : {kSlackBotToken, kSlackAppToken, kDiscordToken}) {
            EXPECT_EQ(output.find(token), std::string::npos) << "a token in:\n" << output;
        }
    }

    std::string output_ = dir_.file("doctor.out");
};

TEST_F(DoctorCliTest, EverythingRightPrintsNineOkLinesAndExitsZero) {
    EXPECT_EQ(doctor_binary(env(), {"--dm-user", kUser}), 0) << read_file(output_);
    const auto found = lines();
    ASSERT_EQ(found.size(), 9u) << read_file(output_);
    for (const auto& line : found)
        EXPECT_EQ(line.rfind("ok   ", 0), 0u) << line;
    EXPECT_EQ(found[0], "ok   Slack bot token: workspace \"Fake Team\" (T111), bot @funnelbot");
    expect_no_token();
}

TEST_F(DoctorCliTest, AFaultExitsOneAndNamesIt) {
    auto environment = env();
    environment["SLACK_BOT_TOKEN"] = "xoxb-wrong";
    EXPECT_EQ(doctor_binary(environment, {"--db", db_path_}), 1) << read_file(output_);
    std::vector<std::string> failed;
    for (const auto& line : lines()) {
        if (line.rfind("FAIL ", 0) == 0) failed.push_back(line);
    }
    ASSERT_EQ(failed.size(), 1u) << read_file(output_);
    EXPECT_NE(failed[0].find("Slack refused SLACK_BOT_TOKEN (invalid_auth)"), std::string::npos);
    EXPECT_EQ(read_file(output_).find("xoxb-wrong"), std::string::npos) << read_file(output_);
    expect_no_token();
}

TEST_F(DoctorCliTest, AReadOnlyDatabaseIsNotWritable) {
    // A directory anyone may write to (SQLite keeps -wal and -shm there), a file nobody may.
    const auto dir = dir_.path() / "data";
    std::filesystem::create_directory(dir);
    std::filesystem::permissions(dir, std::filesystem::perms::all);
    const std::string path = (dir / "bot.db").string();
    { storage::Database created(path); }
    std::filesystem::permissions(path, std::filesystem::perms::owner_read |
                                           std::filesystem::perms::group_read |
                                           std::filesystem::perms::others_read);
    const std::map<std::string, std::string> environment{{"FUNNELBOT_DB", path}};
    EXPECT_EQ(doctor_binary(environment, {}, true), 1) << read_file(output_);
    const auto found = lines();
    ASSERT_EQ(found.size(), 4u) << read_file(output_);
    EXPECT_EQ(found[2].rfind("FAIL Database: " + path + " is not writable (", 0), 0u) << found[2];
    EXPECT_NE(found[2].find("give the user funnelbot runs as write access"), std::string::npos);
}

TEST_F(DoctorCliTest, ADatabaseInAReadOnlyDirectoryIsNotWritable) {
    // SQLite keeps -wal and -shm beside the file: a directory nobody may write to stops it.
    const auto dir = dir_.path() / "data";
    std::filesystem::create_directory(dir);
    const std::string path = (dir / "bot.db").string();
    { storage::Database created(path); }
    namespace fs = std::filesystem;
    fs::permissions(path, fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read |
                              fs::perms::group_write | fs::perms::others_read |
                              fs::perms::others_write);
    fs::permissions(dir, fs::perms::owner_read | fs::perms::owner_exec | fs::perms::group_read |
                             fs::perms::group_exec | fs::perms::others_read |
                             fs::perms::others_exec);
    EXPECT_EQ(doctor_binary({{"FUNNELBOT_DB", path}}, {}, true), 1) << read_file(output_);
    fs::permissions(dir, fs::perms::owner_all);  // so that the test's directory can be removed
    const auto found = lines();
    ASSERT_EQ(found.size(), 4u) << read_file(output_);
    EXPECT_EQ(found[2].rfind("FAIL Database: " + path + " is not writable (", 0), 0u) << found[2];
}

TEST_F(DoctorCliTest, AConfigurationItCannotReadExitsTwo) {
    auto environment = env();
    environment.erase("SLACK_BOT_TOKEN");
    EXPECT_EQ(doctor_binary(environment), 2) << read_file(output_);
    EXPECT_NE(read_file(output_).find("SLACK_BOT_TOKEN is missing"), std::string::npos);

    environment = env();
    environment["DISCORD_API_URL"] = "http://localhost:1/api/v10";
    EXPECT_EQ(doctor_binary(environment), 2) << read_file(output_);
    EXPECT_NE(read_file(output_).find("DISCORD_API_URL must be an https:// URL"),
              std::string::npos);
    expect_no_token();
}

}  // namespace
}  // namespace funnelbot::testing

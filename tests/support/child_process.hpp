// Runs the real funnelbot binary as a child process with a chosen environment: the runtime
// contract (SLACK_API_URL, SSL_CERT_FILE, exit codes, log lines) tested as a user meets it.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace funnelbot::testing {

class ChildProcess {
public:
    // Starts `program` with `args`; the environment is exactly `env` plus PATH and HOME.
    // stdout and stderr go to `output_file`.
    ChildProcess(const std::string& program, const std::vector<std::string>& args,
                 const std::map<std::string, std::string>& env, const std::string& output_file);
    // Kills the process if it still runs.
    ~ChildProcess();
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;

    pid_t pid() const { return pid_; }
    // Sends SIGTERM.
    void terminate();
    // The exit status once the process ended within `timeout` (128 + signal when killed by one);
    // nullopt if it is still running.
    std::optional<int> wait(std::chrono::milliseconds timeout);
    // Peak resident set (VmHWM) in KiB while the process runs; 0 if unknown.
    long peak_rss_kib() const;

private:
    pid_t pid_ = -1;
    std::optional<int> status_;
};

std::string read_file(const std::string& path);

}  // namespace funnelbot::testing

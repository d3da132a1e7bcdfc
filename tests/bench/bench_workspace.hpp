// Realistic workspaces for the benchmarks: many reps in teams, each with a funnel of their own,
// customers shared across territories, some won (current) accounts. The measured reps sit
// among everyone else's data, so a query that reads the whole workspace shows up as such.
#pragma once

#include <string>

#include "analysis/funnel_types.hpp"
#include "storage/records.hpp"

namespace funnelbot::testing {

struct BenchWorkspaceSpec {
    storage::Platform platform = storage::Platform::console;
    std::string external_id = "console";
    int reps = 200;  // every rep, the measured ones included
    int opportunities_per_rep = 250;
    int team_size = 10;  // reps per team (each team also has a manager of its own)
    // Rep 0, in no team: its line popularity is workspace-wide (the costliest case).
    std::string solo_platform_id = "U2";
    std::string solo_name = "alice";
    // Rep 1, first member of team 0.
    std::string team_rep_platform_id = "U3";
    std::string team_rep_name = "bob";
};

// The moment the generated data is relative to (a Friday, 15:00 UTC).
analysis::Instant bench_now();

// The file holding `spec`'s workspace: generated on first use into `cache_dir` (created if
// needed) and reused afterwards, since a million opportunities take a while to write. Callers
// that write should work on a copy (copy_bench_workspace).
std::string bench_workspace_file(const BenchWorkspaceSpec& spec, const std::string& cache_dir);

// Copies the cached file to `target` (replacing it): a run that writes leaves the cache as it was.
void copy_bench_workspace(const std::string& cached, const std::string& target);

}  // namespace funnelbot::testing

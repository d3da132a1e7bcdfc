#!/usr/bin/env bash
# Builds the libFuzzer targets (clang 14, with ASan and UBSan) and runs each for SECONDS
# (default 60), starting from its seeds in tests/fuzz/corpus/<target>. New inputs go to a
# scratch corpus; a crash is copied into tests/fuzz/corpus/<target>/ (where every later test run
# replays it) and fails the run.
# Usage: deploy/fuzz.sh [SECONDS] [TARGET…]   targets: command_grammar value_parsers csv_reader
#                                               socket_mode gateway pruned_json (default: all)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
seconds="${1:-60}"
shift || true
targets=("$@")
if [[ ${#targets[@]} -eq 0 ]]; then
  targets=(command_grammar value_parsers csv_reader socket_mode gateway pruned_json)
fi
FUNNELBOT_EXTRA_PACKAGES="clang-14 libclang-rt-14-dev" "$root/deploy/install-deps.sh"

build="${FUNNELBOT_FUZZ_BUILD_DIR:-$root/build-fuzz}"
# -O1 with line tables only, as OSS-Fuzz builds its targets: exact reports with file:line, and a
# build that fits CI's budget on two cores.
cmake -S "$root" -B "$build" -DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14 \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only" \
  -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only" \
  -DFUNNELBOT_BUILD_TESTS=ON -DFUNNELBOT_BUILD_BENCHMARKS=OFF -DFUNNELBOT_SANITIZE=fuzzer >/dev/null
cmake --build "$build" -j "$(nproc)" --target "${targets[@]/#/fuzz_}"

scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
failed=0
for target in "${targets[@]}"; do
  seeds="$root/tests/fuzz/corpus/$target"
  mkdir -p "$scratch/$target" "$scratch/$target-crashes"
  echo "fuzz: $target for ${seconds}s"
  if ! "$build/tests/fuzz/fuzz_$target" "$scratch/$target" "$seeds" \
      -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
      -print_final_stats=1 -artifact_prefix="$scratch/$target-crashes/" \
      >"$scratch/$target.log" 2>&1; then
    failed=1
    echo "fuzz: $target FAILED; last lines of its log:" >&2
    tail -40 "$scratch/$target.log" >&2
    for crash in "$scratch/$target-crashes"/*; do
      [[ -e $crash ]] || continue
      cp "$crash" "$seeds/"
      echo "fuzz: kept $(basename "$crash") in tests/fuzz/corpus/$target/ as a regression input" >&2
    done
  else
    grep -E '^stat::(number_of_executed_units|new_units_added|peak_rss_mb)' "$scratch/$target.log" |
      sed "s/^/fuzz: $target /"
  fi
done
exit $failed

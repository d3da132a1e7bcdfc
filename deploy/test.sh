#!/usr/bin/env bash
# Installs what is missing, checks the layer rules (deploy/check-layers.sh), builds everything
# and runs every test with ctest. With --sanitize it then builds again with AddressSanitizer + UndefinedBehaviorSanitizer
# and runs the whole suite, and with ThreadSanitizer and runs the threaded parts (the network
# clients, worker pools and reminder schedulers, and the real binary against the fakes).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
sanitize=0
for arg in "$@"; do
  case "$arg" in
    --sanitize) sanitize=1 ;;
    *) echo "usage: deploy/test.sh [--sanitize]" >&2; exit 2 ;;
  esac
done
"$root/deploy/install-deps.sh"
"$root/deploy/check-layers.sh"

# Each phase says how long it took, so a CI run that nears its budget shows where the minutes went.
phase_started=$SECONDS
phase_done() {
  echo "test.sh: $1 took $((SECONDS - phase_started)) s"
  phase_started=$SECONDS
}

build="${FUNNELBOT_TEST_BUILD_DIR:-$root/build}"
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DFUNNELBOT_BUILD_TESTS=ON \
  -DFUNNELBOT_SANITIZE= >/dev/null
cmake --build "$build" -j "$(nproc)"
phase_done "the Release build"
(cd "$build" && ctest --output-on-failure -j "$(nproc)")
phase_done "the Release tests"

if [[ $sanitize -eq 1 ]]; then
  # -O1 -g1: sanitizer builds of everything on two cores must fit CI's budget; -g1 keeps
  # file:line in the sanitizers' stack traces. (In the ASan + UBSan build the network libraries
  # and the tests compile at -O0: bot/CMakeLists.txt, CMakeLists.txt.)
  quick=(-DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1" -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O1 -g1")
  asan="$build-asan"
  cmake -S "$root" -B "$asan" -DCMAKE_BUILD_TYPE=RelWithDebInfo "${quick[@]}" \
    -DFUNNELBOT_BUILD_TESTS=ON -DFUNNELBOT_BUILD_BENCHMARKS=OFF -DFUNNELBOT_SANITIZE=address \
    >/dev/null
  cmake --build "$asan" -j "$(nproc)"
  phase_done "the ASan + UBSan build"
  (cd "$asan" && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
     UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 ctest --output-on-failure -j "$(nproc)")
  phase_done "the ASan + UBSan tests"

  tsan="$build-tsan"
  cmake -S "$root" -B "$tsan" -DCMAKE_BUILD_TYPE=RelWithDebInfo "${quick[@]}" \
    -DFUNNELBOT_BUILD_TESTS=ON -DFUNNELBOT_BUILD_BENCHMARKS=OFF -DFUNNELBOT_SANITIZE=thread \
    >/dev/null
  threaded=(funnelbot bot_tests transport_tests slack_socket_mode_client_tests
            slack_reminder_delivery_tests slack_cli_tests discord_gateway_client_tests
            discord_reminder_delivery_tests discord_cli_tests runtime_tests)
  cmake --build "$tsan" -j "$(nproc)" --target "${threaded[@]}"
  phase_done "the TSan build"
  (cd "$tsan" && TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 \
     ctest --output-on-failure -j "$(nproc)" -L threaded)
  phase_done "the TSan tests"
fi

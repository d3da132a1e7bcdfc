#!/usr/bin/env bash
# Installs what is missing, builds Release into build/ and starts funnelbot with the given arguments.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/deploy/install-deps.sh"
build="$root/build"
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build" -j "$(nproc)" --target funnelbot >&2
exec "$build/bot/funnelbot" "$@"

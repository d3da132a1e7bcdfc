#!/usr/bin/env bash
# Installs what is missing, builds funnelbot (Release) and its Debian package with cpack, and
# prints the package's path on stdout (everything else goes to stderr):
#   sudo apt install "$(deploy/package.sh)"
# FUNNELBOT_PACKAGE_BUILD_DIR (default build/) and FUNNELBOT_PACKAGE_DIR (default
# <build>/package) choose where the build and the .deb go.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/deploy/install-deps.sh" >&2
build="${FUNNELBOT_PACKAGE_BUILD_DIR:-$root/build}"
out="${FUNNELBOT_PACKAGE_DIR:-$build/package}"
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release >&2
cmake --build "$build" -j "$(nproc)" --target funnelbot >&2
rm -f "$out"/funnelbot_*.deb
(cd "$build" && cpack -G DEB -B "$out") >&2
debs=("$out"/funnelbot_*.deb)
if [[ ${#debs[@]} -ne 1 || ! -f ${debs[0]} ]]; then
  echo "package.sh: expected one funnelbot_*.deb in $out" >&2
  exit 1
fi
echo "${debs[0]}"

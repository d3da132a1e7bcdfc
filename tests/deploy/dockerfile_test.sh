#!/usr/bin/env bash
# No Docker engine runs here, so deploy/Dockerfile is checked for what can be checked without
# one: it builds with the same scripts as everywhere else (which exist and are executable), runs
# Debian 12, installs the package deploy/package.sh makes, runs as a user without privileges
# with the database on the /data volume, and starts the binary the package installs.
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
file="$repo/deploy/Dockerfile"
fail() { echo "dockerfile_test: $*" >&2; exit 1; }
expect() { grep -qE "$1" "$file" || fail "the Dockerfile lacks /$1/"; }

expect '^FROM debian:12 AS build$'
expect '^FROM debian:12-slim$'
expect '^ENV FUNNELBOT_DB=/data/funnelbot\.db$'
expect '^VOLUME /data$'
expect '^ENTRYPOINT \["/usr/bin/funnelbot"\]$'
expect 'apt-get install -y --no-install-recommends /tmp/funnelbot\.deb'
user="$(sed -nE 's/^USER (.+)$/\1/p' "$file")"
[[ -n $user && $user != root && $user != 0 ]] || fail "the runtime stage runs as '${user:-root}'"
# Every deploy/ script it names exists and is executable.
scripts="$(grep -oE 'deploy/[A-Za-z0-9_.-]+\.sh' "$file" | sort -u)"
[[ -n $scripts ]] || fail "the Dockerfile builds without deploy/ scripts"
for s in $scripts; do
  [[ -x "$repo/$s" ]] || fail "$s is not an executable script"
done
grep -q 'deploy/install-deps.sh' "$repo/deploy/package.sh" || fail "package.sh does not run install-deps.sh"
# The package puts the binary where ENTRYPOINT looks.
grep -qE 'install\(TARGETS funnelbot RUNTIME DESTINATION \$\{CMAKE_INSTALL_BINDIR\}' "$repo/CMakeLists.txt" ||
  fail "CMakeLists.txt does not install funnelbot into bin/"
grep -qE 'set\(CPACK_PACKAGING_INSTALL_PREFIX /usr\)' "$repo/CMakeLists.txt" ||
  fail "the package does not install under /usr"
# The build context leaves local build trees out.
grep -qx 'build\*' "$repo/deploy/Dockerfile.dockerignore" || fail "Dockerfile.dockerignore keeps build trees"
echo "dockerfile_test: the Dockerfile wraps the deploy scripts as it should"

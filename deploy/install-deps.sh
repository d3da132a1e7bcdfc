#!/usr/bin/env bash
# The one place that installs Debian packages: only what is missing, as root or through sudo.
set -euo pipefail

packages=(
  build-essential cmake pkg-config git
  libboost1.81-dev libssl-dev ca-certificates
  nlohmann-json3-dev libsimdjson-dev libsqlite3-dev libsqlitecpp-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  libspdlog-dev libfmt-dev libcli11-dev
  libhowardhinnant-date-dev tzdata
  # deploy/package.sh and its test: dpkg-shlibdeps (dpkg-dev) and file for cpack's dependency
  # scan, fakeroot to install the package into a throwaway root without being root.
  dpkg-dev fakeroot file
)
# Callers that need more (deploy/fuzz.sh: clang and its libFuzzer runtime) name them here.
read -r -a extra <<<"${FUNNELBOT_EXTRA_PACKAGES:-}"
packages+=("${extra[@]}")

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
if [ "$(id -u)" -eq 0 ]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1; then
  as_root=(sudo)
else
  echo "install-deps: missing packages (${missing[*]}) and neither root nor sudo; install them and retry" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -qq
"${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"

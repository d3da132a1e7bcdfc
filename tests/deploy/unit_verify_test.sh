#!/usr/bin/env bash
# deploy/funnelbot.service passes `systemd-analyze verify` without a single remark (verify exits
# 0 on an unknown key or a bad value, and only says so), and agrees with the code: notify type,
# the hardening the README promises, and RestartPreventExitStatus= naming exactly the statuses
# bot/app/exit_status.hpp calls fatal.
# Usage: tests/deploy/unit_verify_test.sh FUNNELBOT_BINARY   (exit 77: skipped, no systemd-analyze)
set -euo pipefail
binary="$(readlink -f "$1")"
repo="$(cd "$(dirname "$0")/../.." && pwd)"
unit="$repo/deploy/funnelbot.service"
fail() { echo "unit_verify_test: $*" >&2; exit 1; }

expect() { grep -qx "$1" "$unit" || fail "the unit lacks $1"; }
expect "Type=notify"
expect "ExecStart=/usr/bin/funnelbot run"
expect "EnvironmentFile=/etc/funnelbot/funnelbot.env"
expect "Environment=FUNNELBOT_DB=/var/lib/funnelbot/funnelbot.db"
expect "StateDirectory=funnelbot"
expect "DynamicUser=yes"
expect "NoNewPrivileges=yes"
expect "ProtectSystem=strict"
expect "ProtectHome=yes"
expect "PrivateTmp=yes"
expect "Restart=on-failure"
header="$repo/bot/app/exit_status.hpp"
configuration="$(sed -nE 's/^ *configuration = ([0-9]+),.*/\1/p' "$header")"
token_rejected="$(sed -nE 's/^ *token_rejected = ([0-9]+),.*/\1/p' "$header")"
[[ -n $configuration && -n $token_rejected ]] || fail "cannot read the statuses from $header"
expect "RestartPreventExitStatus=$configuration $token_rejected"

if ! command -v systemd-analyze >/dev/null; then
  echo "unit_verify_test: systemd-analyze is not installed (no systemd here): verify skipped"
  exit 77
fi
# verify wants the ExecStart= program to exist: the built binary stands in for /usr/bin's.
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
sed "s|^ExecStart=/usr/bin/funnelbot |ExecStart=$binary |" "$unit" >"$work/funnelbot.service"
set +e
out="$(systemd-analyze verify "$work/funnelbot.service" 2>&1)"
status=$?
set -e
[[ $status -eq 0 && -z $out ]] || fail "systemd-analyze verify (status $status) says:"$'\n'"$out"
echo "unit_verify_test: the unit verifies cleanly"

#!/usr/bin/env bash
# Fails on any #include that breaks the layer rules (README "Layout"):
#   analysis -> nothing; storage -> analysis value types; commands -> storage, analysis;
#   bot/net -> bot/protocol; bot/protocol -> nothing of ours; the sans-io cores (Socket Mode;
#   the Gateway, its URL lookup and the interaction answer rule) -> each other's headers and
#   bot/protocol; bot/runtime -> net, commands; bot/slack and bot/discord -> net, protocol,
#   runtime, commands (never storage, never each other, never the app); bot/app and
#   bot/main.cpp -> anything above the tests, but of storage only the Database handle, the
#   plain records, the whole-file operations and the doctor's probe (storage/database.hpp,
#   storage/records.hpp, storage/online_backup.hpp, storage/integrity_report.hpp,
#   storage/database_probe.hpp).
# Third-party headers: SQLiteCpp only in storage; Boost and OpenSSL only in bot; nlohmann_json
# only in bot (the protocol cores: the standard library and nlohmann_json alone); simdjson only
# in bot/protocol, behind pruned_json.hpp.
# Usage: deploy/check-layers.sh [ROOT]   (ROOT defaults to this repository)
set -euo pipefail
root="${1:-$(cd "$(dirname "$0")/.." && pwd)}"
cd "$root"

violations=0
report() {  # file line message
  echo "$1:$2: $3" >&2
  violations=$((violations + 1))
}

# The layer a source file belongs to.
layer_of() {
  case "$1" in
    analysis/*) echo analysis ;;
    storage/*) echo storage ;;
    commands/*) echo commands ;;
    bot/net/*) echo net ;;
    bot/protocol/*) echo protocol ;;
    bot/slack/socket_mode_protocol.*) echo slack_core ;;
    bot/discord/gateway_protocol.* | bot/discord/gateway_lookup.* | bot/discord/interaction_protocol.*)
      echo discord_core ;;
    bot/runtime/*) echo runtime ;;
    bot/slack/*) echo slack ;;
    bot/discord/*) echo discord ;;
    bot/*) echo app ;;
    *) echo other ;;
  esac
}

# May a file of layer $1 include our header $2 ("storage/records.hpp")?
allowed_ours() {
  local layer=$1 inc=$2
  case "$layer" in
    analysis) [[ $inc == analysis/* ]] ;;
    # Value types only: an algorithm header would make storage compute what analysis computes.
    storage) [[ $inc == storage/* || $inc == analysis/funnel_types.hpp ]] ;;
    commands) [[ $inc == commands/* || $inc == storage/* || $inc == analysis/* ]] ;;
    net) [[ $inc == bot/net/* || $inc == bot/protocol/* ]] ;;
    protocol) [[ $inc == bot/protocol/* ]] ;;
    slack_core) [[ $inc == bot/slack/socket_mode_protocol.hpp || $inc == bot/protocol/* ]] ;;
    discord_core) [[ $inc == bot/discord/gateway_protocol.hpp || $inc == bot/discord/gateway_lookup.hpp ||
                     $inc == bot/discord/interaction_protocol.hpp || $inc == bot/protocol/* ]] ;;
    runtime) [[ $inc == bot/runtime/* || $inc == bot/net/* || $inc == commands/* || $inc == analysis/* ]] ;;
    slack) [[ $inc == bot/slack/* || $inc == bot/net/* || $inc == bot/protocol/* ||
              $inc == bot/runtime/* || $inc == commands/* || $inc == analysis/* ]] ;;
    discord) [[ $inc == bot/discord/* || $inc == bot/net/* || $inc == bot/protocol/* ||
                $inc == bot/runtime/* || $inc == commands/* || $inc == analysis/* ]] ;;
    # The composition root opens the database and hands it to commands/; repositories stay
    # behind commands/. Backing up and checking a whole file are operations of the app.
    app) [[ $inc != tests/* && ( $inc != storage/* || $inc == storage/database.hpp ||
                                 $inc == storage/records.hpp || $inc == storage/online_backup.hpp ||
                                 $inc == storage/integrity_report.hpp ||
                                 $inc == storage/database_probe.hpp ) ]] ;;
    *) true ;;
  esac
}

# May a file of layer $1 include the third-party header <$2>?
allowed_library() {
  local layer=$1 inc=$2
  case "$inc" in
    SQLiteCpp/* | sqlite3.h) [[ $layer == storage ]] ;;
    boost/* | openssl/*) [[ $layer == net || $layer == runtime || $layer == slack ||
                            $layer == discord || $layer == app ]] ;;
    nlohmann/*) [[ $layer == net || $layer == protocol || $layer == slack_core ||
                   $layer == discord_core || $layer == slack || $layer == discord || $layer == app ]] ;;
    spdlog/* | fmt/*) [[ $layer == net || $layer == runtime || $layer == slack || $layer == discord ||
                         $layer == app ]] ;;
    simdjson.h) [[ $layer == protocol ]] ;;  # behind bot/protocol/pruned_json.hpp
    CLI/*) [[ $layer == app ]] ;;
    date/*) [[ $layer == commands || $layer == app ]] ;;
    sys/*) [[ $layer != analysis ]] ;;  # POSIX (storage locks a file); analysis does no I/O
    */*) [[ $layer == app ]] ;;  # any other library: decide deliberately, here
    *) true ;;                   # the C++ and C standard libraries, POSIX
  esac
}

checked=0
while IFS= read -r file; do
  layer=$(layer_of "$file")
  [[ $layer == other ]] && continue
  checked=$((checked + 1))
  lineno=0
  while IFS= read -r line; do
    lineno=$((lineno + 1))
    [[ $line =~ ^[[:space:]]*#[[:space:]]*include[[:space:]]*([\"\<])([^\"\>]+)[\"\>] ]] || continue
    kind=${BASH_REMATCH[1]}
    inc=${BASH_REMATCH[2]}
    if [[ $kind == '"' ]]; then
      if ! allowed_ours "$layer" "$inc"; then
        report "$file" "$lineno" "the $layer layer may not include \"$inc\""
      fi
    elif ! allowed_library "$layer" "$inc"; then
      report "$file" "$lineno" "the $layer layer may not include <$inc>"
    fi
  done < "$file"
done < <(find analysis storage commands bot -type f \( -name '*.cpp' -o -name '*.hpp' \) | sort)

if [[ $checked -eq 0 ]]; then
  echo "check-layers: no sources under $root" >&2
  exit 2
fi
if [[ $violations -gt 0 ]]; then
  echo "check-layers: $violations include(s) break the layer rules (README \"Layout\")" >&2
  exit 1
fi
echo "check-layers: $checked files follow the layer rules"

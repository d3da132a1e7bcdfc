#!/usr/bin/env bash
# deploy/check-layers.sh catches what it is there to catch: plants one include that breaks each
# kind of rule into a copy of the sources and expects a failure that names every one of them.
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp -r "$repo/analysis" "$repo/storage" "$repo/commands" "$repo/bot" "$work/"

plant() {  # file include-line
  printf '%s\n' "$2" >> "$work/$1"
}
plant analysis/share.cpp '#include "storage/database.hpp"'
plant storage/customer_repository.hpp '#include "analysis/balance_check.hpp"'
plant storage/database.cpp '#include "commands/reply.hpp"'
plant commands/reply.hpp '#include <nlohmann/json.hpp>'
plant commands/command_dispatch.cpp '#include <SQLiteCpp/Database.h>'
plant commands/demo_funnel.cpp '#include "bot/net/url.hpp"'
plant bot/net/url.cpp '#include "commands/reply.hpp"'
plant bot/slack/socket_mode_protocol.cpp '#include <boost/asio/io_context.hpp>'
plant bot/discord/gateway_protocol.cpp '#include "bot/net/url.hpp"'
plant bot/discord/gateway_lookup.cpp '#include <spdlog/spdlog.h>'
plant bot/discord/interaction_protocol.cpp '#include "bot/runtime/worker_pool.hpp"'
plant bot/slack/block_kit_renderer.cpp '#include "storage/workspace_repository.hpp"'
plant bot/slack/block_kit_renderer.hpp '#include "bot/discord/embed_renderer.hpp"'
plant bot/discord/embed_renderer.cpp '#include "bot/app/runtime_config.hpp"'
plant bot/app/command_line.cpp '#include "storage/user_repository.hpp"'

set +e
out="$("$repo/deploy/check-layers.sh" "$work" 2>&1)"
status=$?
set -e
expect() {
  if ! grep -qF -- "$1" <<<"$out"; then
    echo "check-layers.sh did not report: $1" >&2
    echo "--- its output ---" >&2
    echo "$out" >&2
    exit 1
  fi
}
[[ $status -eq 1 ]] || { echo "check-layers.sh exited $status, expected 1" >&2; echo "$out" >&2; exit 1; }
expect 'analysis/share.cpp:'
expect 'the analysis layer may not include "storage/database.hpp"'
expect 'the storage layer may not include "analysis/balance_check.hpp"'
expect 'the storage layer may not include "commands/reply.hpp"'
expect 'the commands layer may not include <nlohmann/json.hpp>'
expect 'the commands layer may not include <SQLiteCpp/Database.h>'
expect 'the commands layer may not include "bot/net/url.hpp"'
expect 'the net layer may not include "commands/reply.hpp"'
expect 'the slack_core layer may not include <boost/asio/io_context.hpp>'
expect 'the discord_core layer may not include "bot/net/url.hpp"'
expect 'bot/discord/gateway_lookup.cpp:'
expect 'the discord_core layer may not include <spdlog/spdlog.h>'
expect 'bot/discord/interaction_protocol.cpp:'
expect 'the discord_core layer may not include "bot/runtime/worker_pool.hpp"'
expect 'the slack layer may not include "storage/workspace_repository.hpp"'
expect 'the slack layer may not include "bot/discord/embed_renderer.hpp"'
expect 'the discord layer may not include "bot/app/runtime_config.hpp"'
expect 'the app layer may not include "storage/user_repository.hpp"'
echo "check-layers.sh reported all 15 planted violations"

#!/usr/bin/env bash
# The Debian package as an administrator meets it: built by cpack from the binary in the build
# tree, its control data and dependencies checked, installed into a throwaway root with dpkg
# (maintainer scripts included), run from there, upgraded, removed and purged; after the purge
# nothing is left but what was there before.
# Usage: tests/deploy/package_test.sh BUILD_DIR   (exit 77: skipped, no dpkg/cpack here)
set -euo pipefail
# dpkg, as root or under fakeroot, insists on finding ldconfig and start-stop-daemon.
export PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"
build="$(cd "$1" && pwd)"
repo="$(cd "$(dirname "$0")/../.." && pwd)"
for tool in cpack dpkg dpkg-deb dpkg-query dpkg-shlibdeps ldd; do
  command -v "$tool" >/dev/null || { echo "package_test: $tool is missing, skipped"; exit 77; }
done
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
fail() { echo "package_test: $*" >&2; exit 1; }

binary="$build/bot/funnelbot"
[[ -x $binary ]] || fail "$binary is not built"
version="$("$binary" --version)"
version="${version#funnelbot }"

# --- a plain install ---------------------------------------------------------------------------
cmake --install "$build" --prefix "$work/plain" >"$work/plain.log" 2>&1 ||
  { cat "$work/plain.log" >&2; fail "cmake --install failed"; }
for f in bin/funnelbot share/funnelbot/funnelbot.service share/funnelbot/funnelbot.env \
         share/doc/funnelbot/README.md; do
  [[ -f "$work/plain/$f" ]] || fail "cmake --install did not lay out $f"
done
# The system paths (/etc, /lib/systemd) are the package's alone.
outside="$(grep -v "^$work/plain/" "$build/install_manifest.txt" || true)"
[[ -z $outside ]] || fail "cmake --install wrote outside its prefix: $outside"

# --- the package --------------------------------------------------------------------------
(cd "$build" && cpack -G DEB -B "$work/out") >"$work/cpack.log" 2>&1 ||
  { cat "$work/cpack.log" >&2; fail "cpack failed"; }
debs=("$work"/out/funnelbot_*.deb)
[[ ${#debs[@]} -eq 1 && -f ${debs[0]} ]] || fail "expected one funnelbot_*.deb, got: ${debs[*]}"
deb="${debs[0]}"

[[ "$(dpkg-deb -f "$deb" Package)" == funnelbot ]] || fail "Package is not funnelbot"
[[ "$(dpkg-deb -f "$deb" Version)" == "$version" ]] || fail "Version is not $version"
depends="$(dpkg-deb -f "$deb" Depends)"
# The names in Depends, one per line (alternatives, versions and architectures dropped).
depends_names() { tr ',|' '\n\n' <<<"$depends" | sed -E 's/\(.*\)//; s/:.*//; s/^ +//; s/ +$//' | grep -v '^$'; }
depends_on() { depends_names | grep -qxF "$1"; }
for p in libc6 libstdc++6 libssl3 libsqlite3-0 ca-certificates tzdata; do
  depends_on "$p" || fail "Depends lacks $p: $depends"
done
# Every shared library the binary loads comes from a package it depends on.
while read -r lib; do
  owner=""
  for candidate in "$lib" "/usr$lib" "${lib#/usr}" "$(readlink -f "$lib")"; do
    owner="$(dpkg -S "$candidate" 2>/dev/null | head -1 | cut -d: -f1)" && [[ -n $owner ]] && break
  done
  [[ -n $owner ]] || fail "no Debian package owns $lib"
  # The owner, or a name it provides (libspdlog1.10 provides libspdlog1.10-fmt9), is a dependency.
  provided="$(dpkg-query -W -f='${Provides}' "$owner" | tr ',' '\n' | sed -E 's/\(.*\)//; s/^ +//; s/ +$//')"
  satisfied=0
  for name in "$owner" $provided; do
    depends_on "$name" && satisfied=1
  done
  [[ $satisfied -eq 1 ]] || fail "funnelbot loads $lib from $owner, which Depends lacks: $depends"
done < <(ldd "$binary" | awk '$2 == "=>" && $3 ~ /^\// { print $3 }')

contents="$(dpkg-deb -c "$deb")"
expect_entry() {  # mode path
  grep -Eq "^$1 root/root +[0-9]+ [0-9-]+ [0-9:]+ \./$2\$" <<<"$contents" ||
    fail "the package lacks $2 with mode $1:"$'\n'"$contents"
}
expect_entry -rwxr-xr-x usr/bin/funnelbot
expect_entry -rw-r--r-- lib/systemd/system/funnelbot.service
expect_entry -rw------- etc/funnelbot/funnelbot.env
expect_entry -rw-r--r-- usr/share/doc/funnelbot/README.md
dpkg-deb -e "$deb" "$work/control"
[[ "$(cat "$work/control/conffiles")" == /etc/funnelbot/funnelbot.env ]] ||
  fail "conffiles is not /etc/funnelbot/funnelbot.env"
for script in postinst prerm postrm; do
  [[ -x "$work/control/$script" ]] || fail "the package has no executable $script"
done

# --- a throwaway root -------------------------------------------------------------------------
# Its dpkg database knows the packages funnelbot depends on as this system has them installed,
# so dpkg checks the dependencies for real (and fails on one Debian 12 cannot satisfy).
root="$work/root"
mkdir -p "$root/var/lib/dpkg/info" "$root/var/lib/dpkg/updates" "$root/var/lib/dpkg/triggers"
touch "$root/var/lib/dpkg/available" "$root/var/lib/dpkg/status"
# The installed package behind a name: the package itself, or one that provides the name.
installed_as() {
  if dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'ok installed'; then echo "$1"; return; fi
  dpkg-query -W -f='${Package}\t${Provides}\n' | awk -F'\t' -v want="$1" '
    { n = split($2, names, /, */); for (i = 1; i <= n; i++) { sub(/ .*/, "", names[i]); if (names[i] == want) print $1 } }' | head -1
}
while read -r name; do
  p="$(installed_as "$name")"
  [[ -n $p ]] || continue  # dpkg will say what is missing
  grep -qx "Package: $p" "$root/var/lib/dpkg/status" && continue
  { dpkg-query -s "$p"; echo; } >>"$root/var/lib/dpkg/status"
  touch "$root/var/lib/dpkg/info/$p.list"
done < <(depends_names | sort -u)
baseline="$(cd "$root" && find . -path ./var/lib/dpkg -prune -o -print | sort)"

dpkg_root=(dpkg --root="$root" --force-script-chrootless --log="$work/dpkg.log")
if [[ $(id -u) -ne 0 ]]; then
  command -v fakeroot >/dev/null || { echo "package_test: not root and no fakeroot, skipped"; exit 77; }
  dpkg_root=(fakeroot "${dpkg_root[@]}" --force-not-root)
fi
status_of() { dpkg-query --admindir="$root/var/lib/dpkg" -W -f='${Status}' funnelbot 2>/dev/null || true; }
mode_of() { stat -c %a "$root/$1"; }

"${dpkg_root[@]}" -i "$deb" >"$work/install.log" 2>&1 || { cat "$work/install.log" >&2; fail "install failed"; }
[[ "$(status_of)" == "install ok installed" ]] || fail "after install: status $(status_of)"
[[ "$(mode_of usr/bin/funnelbot)" == 755 ]] || fail "/usr/bin/funnelbot mode $(mode_of usr/bin/funnelbot)"
[[ "$(mode_of lib/systemd/system/funnelbot.service)" == 644 ]] || fail "unit mode"
[[ "$(mode_of etc/funnelbot/funnelbot.env)" == 600 ]] || fail "env mode $(mode_of etc/funnelbot/funnelbot.env)"
cmp -s "$root/lib/systemd/system/funnelbot.service" "$repo/deploy/funnelbot.service" || fail "unit differs"

# The example settings document every variable funnelbot reads, and hold no secret.
env_file="$root/etc/funnelbot/funnelbot.env"
for var in $(grep -oE 'getenv_fn, "[A-Z_]+"' "$repo/bot/app/runtime_config.cpp" | grep -oE '[A-Z_]{2,}') \
           SSL_CERT_FILE SSL_CERT_DIR; do
  grep -Eq "^#?$var=" "$env_file" || fail "funnelbot.env does not document $var"
done
for secret in SLACK_APP_TOKEN SLACK_BOT_TOKEN DISCORD_BOT_TOKEN; do
  grep -qx "$secret=" "$env_file" || fail "funnelbot.env must leave $secret empty"
done
if grep -Eq '^[A-Z_]+=.' "$env_file"; then fail "funnelbot.env sets a value: $(grep -E '^[A-Z_]+=.' "$env_file")"; fi

# It runs from where it was installed: the README's commands on a state directory laid out as
# systemd's StateDirectory= with DynamicUser= makes it.
installed="$root/usr/bin/funnelbot"
[[ "$("$installed" --version)" == "funnelbot $version" ]] || fail "--version: $("$installed" --version)"
help="$("$installed" --help)"
for word in run console import export remind backup check; do
  grep -qw "$word" <<<"$help" || fail "--help does not list $word"
done
mkdir -p "$root/var/lib/private/funnelbot"
ln -s private/funnelbot "$root/var/lib/funnelbot"
db="$root/var/lib/funnelbot/funnelbot.db"
"$installed" console --demo --db "$db" </dev/null >"$work/console.log" 2>&1 || fail "console --demo failed"
"$installed" backup "$root/var/lib/funnelbot/before-upgrade.db" --db "$db" >"$work/backup.log" ||
  fail "backup failed: $(cat "$work/backup.log")"
"$installed" check --db "$db" >"$work/check.log" || fail "check failed: $(cat "$work/check.log")"

# An administrator's settings survive an upgrade (a conffile), and so does the database.
echo "FUNNELBOT_TZ=Europe/Berlin" >>"$env_file"
"${dpkg_root[@]}" -i "$deb" >"$work/upgrade.log" 2>&1 || { cat "$work/upgrade.log" >&2; fail "upgrade failed"; }
grep -qx "FUNNELBOT_TZ=Europe/Berlin" "$env_file" || fail "the upgrade replaced the administrator's settings"

# remove: the program goes; the settings and the data stay (Debian policy: until purge).
"${dpkg_root[@]}" -r funnelbot >"$work/remove.log" 2>&1 || { cat "$work/remove.log" >&2; fail "remove failed"; }
[[ "$(status_of)" == "deinstall ok config-files" ]] || fail "after remove: status $(status_of)"
for gone in usr/bin/funnelbot lib/systemd/system/funnelbot.service usr/share/doc/funnelbot; do
  [[ ! -e "$root/$gone" ]] || fail "remove left /$gone"
done
grep -qx "FUNNELBOT_TZ=Europe/Berlin" "$env_file" || fail "remove deleted the settings"
[[ "$(mode_of etc/funnelbot/funnelbot.env)" == 600 ]] || fail "remove changed the settings' mode"
[[ -f $db ]] || fail "remove deleted the database"

# purge: nothing of funnelbot's is left.
"${dpkg_root[@]}" -P funnelbot >"$work/purge.log" 2>&1 || { cat "$work/purge.log" >&2; fail "purge failed"; }
[[ "$(status_of)" != *installed* || "$(status_of)" == *not-installed* ]] || fail "after purge: status $(status_of)"
[[ ! -e "$root/var/lib/private/funnelbot" && ! -L "$root/var/lib/funnelbot" ]] || fail "purge left the database"
# /var/lib/private is systemd's, shared by every DynamicUser= service: not funnelbot's to remove.
after="$(cd "$root" && find . -path ./var/lib/dpkg -prune -o -path ./var/lib/private -prune -o -print | sort)"
if [[ "$after" != "$baseline" ]]; then
  fail "purge left files behind:"$'\n'"$(diff <(echo "$baseline") <(echo "$after") || true)"
fi
echo "package_test: $(basename "$deb") installs, runs, upgrades, removes and purges cleanly"

#!/usr/bin/env bash
# The one list of system packages that building and testing LanTalk needs (issue 18).
# `make deps`, `make test` and .ci/run all call this script, so CI cannot pass with a step a user lacks.
#
#   scripts/deps.sh          check; as root install what is missing (apt-get), otherwise print the exact
#                            `sudo apt-get install ...` line and exit 3 before anything is built
#   scripts/deps.sh --check  check only, never install (exit 3 when something is missing)
#
# Each entry: package | how we know it is there (a command on PATH, or an absolute file path) | why we need it.
set -uo pipefail

PACKAGES=(
  "clang|clang|Native AOT links the linux-x64 executables with clang"
  "zlib1g-dev|/usr/include/zlib.h|Native AOT links zlib statically"
  "libsqlite3-dev|/usr/lib/x86_64-linux-gnu/libsqlite3.a|the message history: Native AOT links SQLite (libsqlite3.a, with FTS5) into lantalk-server"
  "make|make|the build entry points (Makefile)"
  "tmux|tmux|the client's real-terminal tests drive lantalk inside tmux"
  "python3|python3|scripts/bench-median.py summarises benchmark runs"
  "iproute2|ip|scripts/discovery-test.sh builds a two-host LAN from network namespaces and a veth pair"
  "avahi-daemon|avahi-daemon|scripts/discovery-test.sh: avahi, an independent mDNS peer, must resolve our service"
  "avahi-utils|avahi-browse|scripts/discovery-test.sh: avahi-browse and avahi-publish"
  "dbus|dbus-daemon|scripts/discovery-test.sh: avahi-daemon needs a (private) system bus"
  "iptables|iptables|scripts/discovery-test.sh: a drop rule in the namespace, so lantalk doctor sees a timeout"
  "strace|strace|OpsDiskFaultTests make fsync fail with strace's fault injection, as a failing disk does"
  "util-linux|unshare|make faults hides libssl in a private mount namespace (unshare) and bind-mounts read-only data (mount)"
  "wine|wine|make smoke-win runs the win-x64 executables under Wine (scripts/smoke-wine.sh)"
  "irssi|irssi|make irc-irssi: a real IRC client chats with a lantalk user through the IRC gateway (scripts/irc-irssi.sh)"
  "weechat-headless|weechat-headless|make irc-weechat: a second real IRC client, weechat, chats with a lantalk user (scripts/irc-weechat.sh)"
  "python3-pytest|/usr/lib/python3/dist-packages/pytest/__init__.py|make irctest runs the pinned irctest suite (../shared/vendor/irctest) with Debian's pytest"
)

mode=${1:-install}
missing=()
for entry in "${PACKAGES[@]}"; do
  IFS='|' read -r pkg probe _why <<<"$entry"
  if [[ $probe == /* ]]; then
    [ -e "$probe" ] || missing+=("$pkg")
  else
    command -v "$probe" >/dev/null 2>&1 || missing+=("$pkg")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

if [ "$mode" != --check ] && [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "deps: installing ${missing[*]}"
  if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"; } >/tmp/lantalk-deps-apt.log 2>&1; then
    echo "deps: apt-get could not install ${missing[*]} (log: /tmp/lantalk-deps-apt.log)" >&2
    tail -5 /tmp/lantalk-deps-apt.log >&2
    exit 3
  fi
  exit 0
fi

echo "deps: missing system packages: ${missing[*]}. Install them with:" >&2
echo "  sudo apt-get install ${missing[*]}" >&2
for entry in "${PACKAGES[@]}"; do
  IFS='|' read -r pkg _probe why <<<"$entry"
  for m in "${missing[@]}"; do [ "$m" = "$pkg" ] && echo "    $pkg: $why" >&2; done
done
exit 3

#!/usr/bin/env bash
# A perf profile of the published server during one harness scenario, with our own frames named.
#
#   scripts/profile-server.sh SCENARIO [load|irc] [OUT]
#
# The server is published once more with its symbols kept in the file (-p:StripSymbols=false): perf does not read
# the separate .dbg that a normal Native AOT publish leaves, and without it every managed frame is an address.
# The harness (dist/linux-x64/lantalk-harness, from make publish-linux) spawns that server; perf records it from the
# start of the traffic phase (PROFILE_DELAY) for PROFILE_SECONDS (default 6). Prints the top symbols by self time and by thread.
# Not part of make test. Needs perf (Debian: linux-perf; installed here when run as root).
set -euo pipefail

scenario=${1:?usage: scripts/profile-server.sh SCENARIO [load|irc] [OUT]}
mode=${2:-load}
out=${3:-artifacts/profile}
seconds=${PROFILE_SECONDS:-6}
here=$(cd "$(dirname "$0")/.." && pwd)
harness=$here/dist/linux-x64/lantalk-harness

if ! command -v perf > /dev/null; then
  if [[ $(id -u) == 0 ]]; then
    apt-get update -qq && apt-get install -y -qq linux-perf > /dev/null
  else
    echo "profile: perf is missing; install it with: sudo apt-get install -y linux-perf" >&2
    exit 2
  fi
fi

if [[ ! -x $harness ]]; then
  echo "profile: $harness is missing; run make publish-linux first" >&2
  exit 2
fi

mkdir -p "$out"
server_dir=$(cd "$out" && pwd)/server
if [[ ! -x $server_dir/lantalk-server || -n ${PROFILE_REBUILD:-} ]]; then
  dotnet publish "$here/server/LanTalk.Server.csproj" -r linux-x64 -c Release -o "$server_dir" -p:StripSymbols=false -nologo -v quiet
fi

server=$server_dir/lantalk-server
extra=()
[[ $mode == load ]] && extra=(--no-progress)
"$harness" "$mode" --spawn "$server" --scenario "$scenario" "${extra[@]}" > "$out/$mode-$scenario.txt" 2>&1 &
harness_pid=$!

# Logins first: the traffic phase starts PROFILE_DELAY seconds in (default 3: enough for crowd's 1,000 logins; for
# burst-32, whose traffic lasts about 1.5 s, use PROFILE_DELAY=0.3 PROFILE_SECONDS=1).
sleep "${PROFILE_DELAY:-3}"

# The server's pid, once the delay is over: the newest process whose executable is ours (the harness's own command
# line names it too, and the harness runs it briefly before, e.g. for `user add`).
pid=
for _ in $(seq 1 100); do
  pid=$(pgrep -n -f "^$server --" || true)
  [[ -n $pid ]] && break
  sleep 0.1
done
if [[ -z $pid ]]; then
  echo "profile: the harness did not start $server; see $out/$mode-$scenario.txt" >&2
  wait "$harness_pid" || true
  exit 1
fi

data=$out/$mode-$scenario.perf.data
perf record -F 2000 -g -p "$pid" -o "$data" -- sleep "$seconds" 2>&1 | tail -1
wait "$harness_pid" || true
grep -E 'deliveries|server CPU|server switches|latency|steal' "$out/$mode-$scenario.txt" || true
echo "--- by thread"
perf report -i "$data" --no-children --sort comm --stdio -g none 2> /dev/null | grep '%' | head -8
echo "--- top symbols by self time"
perf report -i "$data" --no-children --sort sym --stdio -g none 2> /dev/null | grep '%' | head -30
echo "(full report: perf report -i $data --children)"

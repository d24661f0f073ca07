#!/usr/bin/env bash
# make bench-peer: InspIRCd (Debian's) and lantalk-server driven with the same harness shapes, one table of
# medians. Four rows per shape: InspIRCd over IRC, lantalk-server's IRC port driven by the very same IRC driver
# (lantalk-harness irc --spawn: accounts with PASS login, flood limits lifted by settings as InspIRCd's are by its
# config), the same port with History=false (InspIRCd stores nothing), and lantalk-server over its own ChatSocket
# protocol (lantalk-harness load --spawn).
# Usage: scripts/bench-peer.sh DIST_DIR OUT_DIR [RUNS]. Not part of make test.
set -euo pipefail
dist=$1
out=$2
runs=${3:-3}
scenarios=${PEER_SCENARIOS:-design-32 burst-32 crowd}
here=$(cd "$(dirname "$0")" && pwd)
ircd=/usr/sbin/inspircd

if [[ ! -x $ircd ]]; then
  if [[ $(id -u) == 0 ]]; then
    apt-get install -y inspircd
  else
    echo "bench-peer: InspIRCd is missing; install it with: sudo apt-get install -y inspircd" >&2
    exit 2
  fi
fi

mkdir -p "$out"
# Absolute: InspIRCd resolves relative paths in its config (the pid file) against its own directory, not ours.
out=$(cd "$out" && pwd)
rm -f "$out"/*.json
ircd_pid=
stop_ircd() {
  if [[ -n $ircd_pid ]]; then
    kill "$ircd_pid" 2>/dev/null || true
    wait "$ircd_pid" 2>/dev/null || true
    ircd_pid=
  fi
}
trap stop_ircd EXIT

# A fresh InspIRCd per run on a free loopback port, so nicks of the last run cannot collide. Sets port and
# ircd_pid (not run in a subshell, so the trap can stop it).
start_ircd() {
  local dir=$out/ircd
  rm -rf "$dir" && mkdir -p "$dir"
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  sed -e "s|@DIR@|$dir|g" -e "s|@PORT@|$port|g" "$here/bench-peer/inspircd.conf.in" > "$dir/inspircd.conf"
  "$ircd" --runasroot --nofork --config="$dir/inspircd.conf" > "$dir/stdout.log" 2>&1 &
  ircd_pid=$!
  for _ in $(seq 1 100); do
    if python3 -c "import socket; socket.create_connection(('127.0.0.1',$port),0.2).close()" 2>/dev/null; then
      return
    fi
    sleep 0.1
  done
  echo "bench-peer: InspIRCd did not listen on $port; see $dir/stdout.log" >&2
  cat "$dir/stdout.log" >&2
  exit 2
}

for i in $(seq 1 "$runs"); do
  for s in $scenarios; do
    start_ircd
    echo "--- run $i: $s on InspIRCd (port $port, pid $ircd_pid) ---"
    "$dist/lantalk-harness" irc --server "127.0.0.1:$port" --server-pid "$ircd_pid" --scenario "$s" --json "$out/inspircd-$s-$i.json" 2>&1 | tail -4 || echo "(InspIRCd $s run $i failed; see above)"
    stop_ircd
    echo "--- run $i: $s on lantalk-server's IRC port ---"
    "$dist/lantalk-harness" irc --spawn "$dist/lantalk-server" --scenario "$s" --json "$out/lantalkirc-$s-$i.json" 2>&1 | tail -4 || echo "(lantalk-server IRC $s run $i failed; see above)"
    # InspIRCd stores nothing: the same port without the history store (each message's SQLite insert and, by default,
    # an fsync per commit), so the table shows what the gateway costs and what the store adds.
    echo "--- run $i: $s on lantalk-server's IRC port, History=false ---"
    "$dist/lantalk-harness" irc --spawn "$dist/lantalk-server" --set History=false --scenario "$s" --json "$out/lantalkircnostore-$s-$i.json" 2>&1 | tail -4 || echo "(lantalk-server IRC History=false $s run $i failed; see above)"
    echo "--- run $i: $s on lantalk-server (ChatSocket) ---"
    "$dist/lantalk-harness" load --spawn "$dist/lantalk-server" --scenario "$s" --no-progress --json "$out/lantalk-$s-$i.json" 2>&1 | tail -4 || echo "(lantalk $s run $i missed a target or failed; see above)"
  done
done
python3 "$here/bench-peer-table.py" "$out"/*.json
# The floor in the same window: one send per delivery from a bare C loop (see make send-floor).
if cc -O2 -Wall -o "$out/send-floor" "$here/bench-peer/send-floor.c"; then
  "$out/send-floor" 5
fi

#!/usr/bin/env bash
# Context switches per server thread during a harness scenario: which thread is switched out, and how (voluntary:
# it waited; involuntary: it was preempted). Counts over 4 s of the traffic phase, from /proc/PID/task/*/status.
# Usage: scripts/thread-switches.sh SERVER HARNESS [SCENARIO] [harness load options, e.g. --set History=false]
set -euo pipefail
server=$(realpath "$1") harness=$2 scenario=${3:-design-32}
shift $(( $# < 3 ? $# : 3 ))
out=$(mktemp -d)
"$harness" load --spawn "$server" --scenario "$scenario" --no-progress "$@" > "$out/run.txt" 2>&1 &
run=$!
sleep 5 # past the logins: the harness has started the server and its traffic
pid=$(pgrep -n -f "^$server --" || true)
if [ -z "$pid" ]; then echo "the server did not start; see $out/run.txt" >&2; wait "$run" || true; exit 1; fi
snap() {
  for t in /proc/"$pid"/task/*; do
    printf '%s %s %s\n' "$(basename "$t")" "$(tr ' ' _ < "$t/comm")" \
      "$(awk '/^voluntary_ctxt/{v=$2} /^nonvoluntary_ctxt/{n=$2} END{print v, n}' "$t/status")"
  done | sort
}
snap > "$out/a"; sleep 4; snap > "$out/b"
wait "$run" || true
echo "thread               voluntary  involuntary   (4 s of $scenario)"
join "$out/a" "$out/b" | awk '{dv=$6-$3; dn=$7-$4; if (dv+dn>50) printf "%-18s %10d %12d\n", $2, dv, dn}'
grep -E "server CPU|server switches" "$out/run.txt" || true
rm -rf "$out"

#!/usr/bin/env bash
# Memory soak (issue 11, item 12): design-32 traffic plus one `user add` per second against the published
# server, sampling its RSS every 10 s, then a summary of the curve. Not part of `make test`: `make soak`
# runs it for SOAK_SECONDS (default 1800).
#
#   scripts/soak.sh DIST_DIR [SECONDS]     e.g. scripts/soak.sh dist/linux-x64 1800
#
# Output: one `t=SECONDS rss_kb=N anon_kb=N file_kb=N users=N` line per sample, then the RSS at a few points,
# the growth rate over each third of the run, and a verdict line (LEVEL when the median of the anonymous part
# grows under 0.1 MB/min from the middle third to the last).
set -euo pipefail

dist=${1:?usage: soak.sh DIST_DIR [SECONDS]}
seconds=${2:-1800}
server="$dist/lantalk-server"
harness="$dist/lantalk-harness"
for exe in "$server" "$harness"; do
  [ -x "$exe" ] || { echo "soak: $exe is missing; run make publish-linux" >&2; exit 1; }
done

work=$(mktemp -d /tmp/lantalk-soak.XXXXXX)
server_pid=""
harness_pid=""
cleanup() {
  if [ -n "$harness_pid" ]; then
    kill $(pgrep -P "$harness_pid") "$harness_pid" 2>/dev/null || true
  fi
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

data="$work/data"
mkdir -p "$data"
# The limits the harness's own design-32 spawn writes (harness/Infra/ServerSetup.cs), so only the user adds differ.
cat >"$data/Settings.xml" <<'EOF'
<?xml version="1.0" encoding="utf-8"?>
<Settings>
  <MaxClients>48</MaxClients>
  <MaxConnectionsPerAddress>96</MaxConnectionsPerAddress>
  <MaxPendingLogins>64</MaxPendingLogins>
  <MaxPendingLoginsPerAddress>64</MaxPendingLoginsPerAddress>
  <MessageRatePerSecond>100000</MessageRatePerSecond>
  <MessageBurst>1000000</MessageBurst>
  <LoginFailureLimit>1000</LoginFailureLimit>
  <ListenBacklog>1024</ListenBacklog>
</Settings>
EOF
echo harness-pw | "$server" user add-test-users --prefix load --count 32 --iterations 1 --password-stdin --data "$data" >/dev/null

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$server" --data "$data" --listen 127.0.0.1 --port "$port" --plaintext </dev/null >"$work/server.out" 2>&1 &
server_pid=$!
for _ in $(seq 1 100); do
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
  kill -0 "$server_pid" 2>/dev/null || { echo "soak: the server exited at start:" >&2; cat "$work/server.out" >&2; exit 1; }
  sleep 0.1
done

start=$(date +%s)
echo "soak: server pid $server_pid on 127.0.0.1:$port, design-32 for $seconds s plus one user add per second"
# The harness stops any scenario after 300 s, so design-32 runs back to back in segments of at most 280 s.
(
  segment=0
  while :; do
    left=$(( seconds - ($(date +%s) - start) ))
    [ "$left" -lt 20 ] && break
    segment=$((segment + 1))
    echo harness-pw | "$harness" load --server "127.0.0.1:$port" --user-prefix load --user-count 32 --password-stdin \
      --scenario design-32 --duration $(( left < 280 ? left : 280 )) --server-pid "$server_pid" --no-progress \
      >"$work/harness-$segment.out" 2>&1 || true
    grep -E '^design-32 ' "$work/harness-$segment.out" | sed "s/^/segment $segment: /" >>"$work/harness.out"
  done
) &
harness_pid=$!

# Total RSS, then its anonymous part (heap, stacks: where a leak shows) and its file-backed part (pages of the
# executable and libraries touched so far, which grows as new code runs and is bounded by their size).
rss_kb() { awk '/^VmRSS:/ {r=$2} /^RssAnon:/ {a=$2} /^RssFile:/ {f=$2} END {printf "%d anon_kb=%d file_kb=%d", r, a, f}' "/proc/$server_pid/status" 2>/dev/null || echo 0; }
samples="$work/samples"
: >"$samples"
added=0
next_sample=0
while :; do
  now=$(( $(date +%s) - start ))
  [ "$now" -ge "$seconds" ] && break
  kill -0 "$server_pid" 2>/dev/null || { echo "soak: FAIL the server died at t=$now" ; cat "$work/server.out"; exit 1; }
  if [ "$now" -ge "$next_sample" ]; then
    line="t=$now rss_kb=$(rss_kb) users=$added"
    echo "$line" | tee -a "$samples"
    next_sample=$(( next_sample + 10 ))
  fi
  # The default (production) hash cost on purpose: this is what an operator's `user add` does.
  if echo soak-pw | "$server" user add "soak$added" --password-stdin --data "$data" >/dev/null 2>"$work/add.err"; then
    added=$((added + 1))
  else
    echo "soak: user add soak$added failed: $(head -c 300 "$work/add.err")"
  fi
  # One add per second: sleep whatever is left of this second.
  spent=$(( $(date +%s) - start - now ))
  [ "$spent" -lt 1 ] && sleep 1
done
echo "t=$seconds rss_kb=$(rss_kb) users=$added" | tee -a "$samples"
wait "$harness_pid"
harness_pid=""
echo "design-32 segments (scenario deliv/s loss dup ord p50 p99 max us/deliv peakMB KB/conn logins/s result):"
cat "$work/harness.out"

python3 - "$samples" <<'EOF'
import re, sys
rows = [dict((k, int(x)) for k, x in re.findall(r"(\w+)=(\d+)", line)) for line in open(sys.argv[1]) if line.startswith("t=")]
if len(rows) < 6:
    print("soak: too few samples for a curve"); sys.exit(0)
step = max(1, len(rows) // 10)
print("RSS curve, MB (total / anonymous / file-backed):")
for v in rows[::step] + ([rows[-1]] if (len(rows) - 1) % step else []):
    print(f"  {v['t'] // 60:3d} min  {v['rss_kb'] / 1024:5.1f} / {v.get('anon_kb', 0) / 1024:5.1f} / {v.get('file_kb', 0) / 1024:5.1f}   users {v['users']}")
n = len(rows); thirds = [rows[: n // 3 + 1], rows[n // 3 : 2 * n // 3 + 1], rows[2 * n // 3 :]]
def slope(seg, key):  # least squares, MB per minute
    ts = [v["t"] / 60 for v in seg]; ms = [v.get(key, 0) / 1024 for v in seg]
    mt, mm = sum(ts) / len(ts), sum(ms) / len(ms)
    den = sum((t - mt) ** 2 for t in ts) or 1
    return sum((t - mt) * (m - mm) for t, m in zip(ts, ms)) / den
for key, label in (("rss_kb", "total"), ("anon_kb", "anonymous")):
    print(f"growth per third, {label} (MB/min):", ", ".join(f"{slope(s, key):+.3f}" for s in thirds))
print("peak RSS %.1f MB, final %.1f MB, %d accounts added" % (max(v["rss_kb"] for v in rows) / 1024, rows[-1]["rss_kb"] / 1024, rows[-1]["users"]))
# The verdict compares medians, not slopes: on a busy host the outbound queues swing the RSS by several MB from
# one sample to the next, and a spike at either end of a third tilts its slope.
def median(seg, key):
    xs = sorted(v.get(key, 0) / 1024 for v in seg); return xs[len(xs) // 2]
def centre(seg): return (seg[0]["t"] + seg[-1]["t"]) / 120
mid, last = thirds[1], thirds[2]
rate = (median(last, "anon_kb") - median(mid, "anon_kb")) / max(centre(last) - centre(mid), 1)
print("median anonymous MB per third:", ", ".join(f"{median(s, 'anon_kb'):.1f}" for s in thirds))
print(("soak: LEVEL" if rate < 0.1 else "soak: GROWING") + " (median anonymous memory, middle to last third: %+.3f MB/min)" % rate)
EOF

#!/usr/bin/env bash
# Fault injection against the PUBLISHED binaries (make faults): a read-only data directory, a full disk, kill -9
# during the first start, a host without libssl, a read-only log directory, data files in the wrong state (a second
# server on the directory, history.db deleted while running, a Rooms.xml that breaks logins). Prints PASS/FAIL/SKIP lines and exits 1
# on any FAIL. Mounts, mount namespaces and tmpfs need root: without it those stages print SKIP with the reason.
# Everything it mounts or starts is undone on exit (trap), so an interrupted run leaves nothing behind.
set -uo pipefail
dist=$(cd "${1:?usage: faults.sh DIST_DIR}" && pwd)
server="$dist/lantalk-server"
client="$dist/lantalk"
work=$(mktemp -d /tmp/lantalk-faults.XXXXXX)
pids=()
mounts=()
failures=0

cleanup() {
  local p m i
  for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null; done
  # Innermost mount first.
  for ((i = ${#mounts[@]} - 1; i >= 0; i--)); do umount -l "${mounts[$i]}" 2>/dev/null; done
  rm -rf "$work"
}
trap cleanup EXIT
pass() { echo "PASS faults: $*"; }
fail() { echo "FAIL faults: $*"; failures=$((failures + 1)); }
skip() { echo "SKIP faults $1: $2"; }
# wait_for REGEX SECONDS FILE: bounded poll for a line.
wait_for() { local i; for ((i = 0; i < $2 * 20; i++)); do grep -Eq "$1" "$3" 2>/dev/null && return 0; sleep 0.05; done; return 1; }
now_ms() { date +%s%3N; }
is_root() { [ "$(id -u)" -eq 0 ]; }

[ -x "$server" ] && [ -x "$client" ] || { echo "FAIL faults: $server or $client missing (make publish-linux)"; exit 1; }
export LANTALK_PASSWORD=""   # never inherited
unset LANTALK_DATA

# start_server DATA LOG [args...]: starts in the background, sets $spid, waits for "Listening on", sets $port.
start_server() {
  local data=$1 log=$2; shift 2
  "$server" --data "$data" --listen 127.0.0.1 --port 0 "$@" </dev/null >"$log" 2>&1 &
  spid=$!; pids+=("$spid")
  port=""
  if wait_for 'Listening on' 20 "$log"; then
    port=$(grep -Eo 'Listening on [^ ]*:[0-9]+' "$log" | head -1 | grep -Eo '[0-9]+$')
    return 0
  fi
  return 1
}

# stop_server: SIGTERM, waits up to 10 s, sets $stop_ms and $stop_code.
stop_server() {
  local t0 i
  t0=$(now_ms)
  kill -TERM "$spid" 2>/dev/null
  for ((i = 0; i < 200; i++)); do kill -0 "$spid" 2>/dev/null || break; sleep 0.05; done
  stop_ms=$(($(now_ms) - t0))
  if kill -0 "$spid" 2>/dev/null; then kill -9 "$spid"; stop_code=137; fi
  wait "$spid" 2>/dev/null; stop_code=${stop_code:-$?}
}

new_data() {
  local d="$work/$1"
  mkdir -p "$d"
  printf '<Settings>\n  <PasswordIterations>1000</PasswordIterations>\n</Settings>\n' >"$d/Settings.xml"
  echo "$d"
}

# ---- 1. read-only data directory (item 5) ----
stage_readonly_data() {
  if ! is_root; then skip readonly-data "needs root for a read-only bind mount"; return; fi
  local t0
  local d; d=$(new_data ro)
  printf 'pw-alice\n' | "$server" user add alice --password-stdin --data "$d" >/dev/null 2>&1 || { fail "readonly-data: user add"; return; }
  start_server "$d" "$work/ro-first.log" --plaintext || { fail "readonly-data: first start: $(tail -3 "$work/ro-first.log")"; return; }
  stop_server
  mount --bind "$d" "$d" && mounts+=("$d") && mount -o remount,ro,bind "$d" || { fail "readonly-data: cannot bind-mount read-only"; return; }
  if touch "$d/probe" 2>/dev/null; then fail "readonly-data: the mount is not read-only"; return; fi
  # With history on (the default) the server must not run without its store (it would acknowledge what it cannot
  # keep): it waits, says why, and starts by itself once the file system is writable again.
  "$server" --data "$d" --listen 127.0.0.1 --port 0 --plaintext </dev/null >"$work/ro-wait.log" 2>&1 &
  spid=$!; pids+=("$spid")
  if wait_for 'The server waits for it before it listens' 10 "$work/ro-wait.log" && ! grep -q 'Listening on' "$work/ro-wait.log"; then
    pass "readonly-data: history.db unwritable at start: the server waits and says why ($(grep -m1 -o 'History: [^(]*' "$work/ro-wait.log"))"
  else
    fail "readonly-data: no wait for an unwritable history.db: $(tail -5 "$work/ro-wait.log")"
  fi
  t0=$(now_ms)
  mount -o remount,rw,bind "$d"
  if wait_for 'Listening on' 10 "$work/ro-wait.log"; then
    pass "readonly-data: listening $(($(now_ms) - t0)) ms after the remount read-write, history continued: $(grep -m1 -o 'messages up to id [0-9]*' "$work/ro-wait.log")"
  else
    fail "readonly-data: no start after the remount read-write: $(tail -5 "$work/ro-wait.log")"
  fi
  stop_server
  # The accounts part runs without history, so the server starts on the read-only directory.
  printf '<Settings>\n  <PasswordIterations>1000</PasswordIterations>\n  <History>false</History>\n</Settings>\n' >"$d/Settings.xml"
  mount -o remount,ro,bind "$d" || { fail "readonly-data: cannot remount read-only"; return; }
  start_server "$d" "$work/ro.log" --plaintext || { fail "readonly-data: server did not start on a read-only data directory: $(tail -5 "$work/ro.log")"; return; }
  local i ms ok=1
  for i in 1 2; do
    t0=$(now_ms)
    if printf 'pw-alice\n' | timeout 15 "$client" send --server "127.0.0.1:$port" --user alice --password-stdin --plaintext "login $i" >"$work/ro-send$i.log" 2>&1; then
      ms=$(($(now_ms) - t0)); echo "  login $i took $ms ms"
    else
      ok=0; fail "readonly-data: login $i failed: $(cat "$work/ro-send$i.log")"
    fi
  done
  [ $ok -eq 1 ] && pass "readonly-data: two logins work from memory"
  wait_for 'Users.xml could not be synchronised' 5 "$work/ro.log" && sleep 3
  local reports; reports=$(grep -c 'Users.xml could not be synchronised\|Users.xml still cannot' "$work/ro.log")
  [ "$reports" -eq 1 ] && pass "readonly-data: reported once in $(($(wc -l <"$work/ro.log"))) log lines" || fail "readonly-data: $reports sync reports (want 1): $(grep -m3 'Users.xml' "$work/ro.log")"
  local threads; threads=$(awk '/^Threads:/ {print $2}' "/proc/$spid/status")
  [ "$threads" -lt 40 ] && pass "readonly-data: $threads threads (syncs do not pile up)" || fail "readonly-data: $threads threads"
  t0=$(now_ms)
  printf 'pw-bob-secret\n' | timeout 30 "$server" user add bob --password-stdin --data "$d" >"$work/ro-add.log" 2>&1; local code=$?
  ms=$(($(now_ms) - t0))
  if [ $code -ne 0 ] && [ $ms -lt 3000 ] && grep -q 'writable' "$work/ro-add.log"; then pass "readonly-data: 'user add' fails in $ms ms: $(head -1 "$work/ro-add.log")"; else fail "readonly-data: 'user add' exit $code after $ms ms: $(cat "$work/ro-add.log")"; fi
  stop_server
  echo "  SIGTERM to exit: $stop_ms ms (exit $stop_code)"
  [ "$stop_ms" -lt 2500 ] && [ "$stop_code" -eq 0 ] && pass "readonly-data: SIGTERM-to-exit $stop_ms ms" || fail "readonly-data: SIGTERM-to-exit $stop_ms ms, exit $stop_code"
  umount "$d" && unset 'mounts[-1]'
}

# ---- 2. kill -9 during the first start (item 7) ----
stage_kill_first_start() {
  local tries=${FAULTS_KILL_TRIES:-25} i bad=0 pairs=0 delay d
  for ((i = 0; i < tries; i++)); do
    d="$work/kill$i"; mkdir -p "$d"
    # Spread the kill over the first start's first second, where the certificate is generated and written.
    delay=$(awk -v i="$i" -v n="$tries" 'BEGIN { printf "%.3f", 0.05 + 0.9 * i / n }')
    "$server" --data "$d" --listen 127.0.0.1 --port 0 </dev/null >"$d.first.log" 2>&1 &
    local p=$!; pids+=("$p")
    sleep "$delay"; kill -9 "$p" 2>/dev/null; wait "$p" 2>/dev/null
    [ -s "$d/server.key" ] && pairs=$((pairs + 1))
    if [ -e "$d/server.key" ] && [ ! -s "$d/server.key" ]; then bad=$((bad + 1)); echo "  try $i: 0-byte server.key left"; fi
    if start_server "$d" "$d.second.log"; then stop_server; else bad=$((bad + 1)); echo "  try $i (kill after ${delay}s): next start failed: $(grep -m1 -E 'error|TLS' "$d.second.log")"; kill -9 "$spid" 2>/dev/null; fi
    rm -rf "$d" "$d.first.log" "$d.second.log"
  done
  [ $bad -eq 0 ] && pass "kill-first-start: $tries kill -9 during the first start ($pairs had written the key); every next start worked" || fail "kill-first-start: $bad of $tries next starts failed"
}

# ---- 3. full disk (items 7 and 9) ----
stage_full_disk() {
  if ! is_root; then skip full-disk "needs root to mount a small tmpfs"; return; fi
  local m="$work/full"; mkdir -p "$m"
  mount -t tmpfs -o size=256k tmpfs "$m" && mounts+=("$m") || { fail "full-disk: cannot mount tmpfs"; return; }
  local d="$m/data"; mkdir -p "$d"
  dd if=/dev/zero of="$m/filler" bs=4k 2>/dev/null   # fills it: dd stops at ENOSPC
  "$server" --data "$d" --listen 127.0.0.1 --port 0 </dev/null >"$work/full.log" 2>&1; local code=$?
  # Exit 1, not 2: a full disk is no configuration mistake, and systemd's unit restarts on 1 until there is room again
  # (RestartPreventExitStatus=2 left a first start on a full disk down for good; ops audit).
  if [ $code -eq 1 ] && grep -q 'cannot write .*server\.' "$work/full.log" && ! grep -q '   at ' "$work/full.log"; then
    pass "full-disk: first start exits 1 (systemd restarts it) with: $(grep -m1 'cannot write' "$work/full.log" | cut -c1-160)"
  else
    fail "full-disk: exit $code: $(tail -4 "$work/full.log")"
  fi
  ls "$d" | grep -Eq '^server\.(crt|key)$' && fail "full-disk: a partial identity was left: $(ls -l "$d")" || pass "full-disk: no partial server.crt/server.key left"
  grep -q 'logging failed' "$work/full.log" && pass "full-disk: the lost log lines were reported on the console" || fail "full-disk: log loss not reported: $(tail -3 "$work/full.log")"
  rm -f "$m/filler"
  if start_server "$d" "$work/full2.log"; then stop_server; pass "full-disk: starts once space is free"; else fail "full-disk: no start after freeing space: $(tail -3 "$work/full2.log")"; fi
  # A line cut short by the full disk must not be glued to the next: no time stamp may start mid-line.
  local glued; glued=$(grep -cE '.[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{4} (TRACE|DEBUG|INFO|WARN|ERROR|FATAL) ' "$d/logs/lantalk-server.log" 2>/dev/null)
  [ "${glued:-0}" -eq 0 ] && pass "full-disk: every log line starts on a line of its own ($(wc -l <"$d/logs/lantalk-server.log" 2>/dev/null || echo 0) lines)" || fail "full-disk: $glued log line(s) glued to a cut-short one: $(grep -m1 -E '.[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:]{8}\.[0-9]{4} ' "$d/logs/lantalk-server.log" | cut -c1-200)"
  umount "$m" && unset 'mounts[-1]'
}

# ---- 4. no libssl (item 11) ----
stage_no_openssl() {
  if ! is_root || ! command -v unshare >/dev/null; then skip no-openssl "needs root and unshare to hide libssl in a private mount namespace"; return; fi
  local d; d=$(new_data nossl)
  unshare -m bash -c '
    for f in /usr/lib/*/libssl.so* /lib/*/libssl.so* /usr/lib/libssl.so* /usr/lib64/libssl.so*; do [ -e "$f" ] && mount --bind /dev/null "$f"; done
    "$0" --data "$1" --listen 127.0.0.1 --port 0 </dev/null; echo "exit=$?"
    printf "pw\n" | "$0" user add carol --password-stdin --data "$1"; echo "exit=$?"' "$server" "$d" >"$work/nossl.log" 2>&1
  if [ "$(grep -c 'exit=2' "$work/nossl.log")" -eq 2 ] && [ "$(grep -c 'libssl3' "$work/nossl.log")" -eq 2 ] && ! grep -q '   at \|Unhandled' "$work/nossl.log"; then
    pass "no-openssl: run and user add exit 2 with one line: $(grep -m1 libssl3 "$work/nossl.log" | cut -c1-120)..."
  else
    fail "no-openssl: $(cat "$work/nossl.log")"
  fi
}

# ---- 5. read-only log directory (item 9) ----
stage_readonly_logs() {
  if ! is_root; then skip readonly-logs "needs root for a read-only bind mount"; return; fi
  local d; d=$(new_data rologs); mkdir -p "$d/logs"
  mount --bind "$d/logs" "$d/logs" && mounts+=("$d/logs") && mount -o remount,ro,bind "$d/logs" || { fail "readonly-logs: mount"; return; }
  "$server" config check --data "$d" >"$work/rologs-check.log" 2>&1; local code=$?
  [ $code -eq 2 ] && grep -q 'log file .* cannot be written' "$work/rologs-check.log" && pass "readonly-logs: config check exits 2" || fail "readonly-logs: config check exit $code: $(cat "$work/rologs-check.log")"
  if start_server "$d" "$work/rologs.log" --plaintext; then
    grep -q 'WARN .*log file .* cannot be written' "$work/rologs.log" && pass "readonly-logs: console WARN at start" || fail "readonly-logs: no warning: $(head -5 "$work/rologs.log")"
    stop_server
  else
    fail "readonly-logs: no start: $(tail -3 "$work/rologs.log")"
  fi
  umount "$d/logs" && unset 'mounts[-1]'
}

# ---- 6. data files in the wrong state while or before the server runs (no root needed) ----
stage_data_files() {
  local d; d=$(new_data files)
  printf 'pw-alice\n' | "$server" user add alice --password-stdin --data "$d" >/dev/null 2>&1 || { fail "data-files: user add"; return; }
  # (a) A second server on the same directory with History false: there is no history.db.lock then, and before
  # lantalk-server.lock both ran and each rewrote Rooms.xml from its own memory.
  printf '<Settings>\n  <PasswordIterations>1000</PasswordIterations>\n  <History>false</History>\n</Settings>\n' >"$d/Settings.xml"
  start_server "$d" "$work/files-first.log" --plaintext || { fail "data-files: first server: $(tail -3 "$work/files-first.log")"; return; }
  timeout 10 "$server" --data "$d" --listen 127.0.0.1 --port 0 --plaintext </dev/null >"$work/files-second.log" 2>&1; local code=$?
  if [ $code -eq 2 ] && grep -q 'another lantalk-server process is using the data directory' "$work/files-second.log"; then
    pass "data-files: a second server on the data directory (History false) exits 2: $(grep -m1 'another' "$work/files-second.log" | cut -c1-120)..."
  else
    fail "data-files: second server exit $code: $(tail -3 "$work/files-second.log")"
  fi
  stop_server
  # (b) history.db deleted while the server runs: SQLite writes on into the unlinked file, so an acknowledged
  # message would be gone at the next start. The send must be refused instead.
  printf '<Settings>\n  <PasswordIterations>1000</PasswordIterations>\n</Settings>\n' >"$d/Settings.xml"
  start_server "$d" "$work/files-run.log" --plaintext || { fail "data-files: start with history: $(tail -3 "$work/files-run.log")"; return; }
  printf 'pw-alice\n' | timeout 15 "$client" send --server "127.0.0.1:$port" --user alice --password-stdin --plaintext "kept" >"$work/files-send1.log" 2>&1 \
    || { fail "data-files: first send: $(cat "$work/files-send1.log")"; stop_server; return; }
  rm -f "$d/history.db" "$d/history.db-wal" "$d/history.db-shm"
  if printf 'pw-alice\n' | timeout 15 "$client" send --server "127.0.0.1:$port" --user alice --password-stdin --plaintext "into a deleted file" >"$work/files-send2.log" 2>&1; then
    fail "data-files: a message was acknowledged after history.db was deleted: $(cat "$work/files-send2.log")"
  else
    pass "data-files: after history.db was deleted the send is refused: $(head -1 "$work/files-send2.log" | cut -c1-120)"
  fi
  stop_server
  # (c) Rooms.xml that would break every login of a room's members (a topic over the wire's 4096 bytes): both
  # config check and the start refuse it.
  rm -rf "$d/history.db"*
  awk 'BEGIN { printf "<Rooms version=\"1\"><Room name=\"lobby\"><Topic by=\"alice\" time=\"1\">"; for (i = 0; i < 5000; i++) printf "t"; print "</Topic></Room></Rooms>" }' >"$d/Rooms.xml"
  "$server" config check --data "$d" >"$work/files-check.log" 2>&1; code=$?
  timeout 10 "$server" --data "$d" --listen 127.0.0.1 --port 0 --plaintext </dev/null >"$work/files-topic.log" 2>&1; local start_code=$?
  if [ $code -eq 2 ] && [ $start_code -eq 2 ] && grep -q 'at most 4096' "$work/files-check.log" && ! grep -q '   at ' "$work/files-topic.log"; then
    pass "data-files: an over-long topic in Rooms.xml fails config check and the start (exit 2)"
  else
    fail "data-files: over-long topic: config check exit $code, start exit $start_code: $(tail -2 "$work/files-topic.log")"
  fi
}

# ---- 7. data files that are not files, or links (fault injection, 2026-12-04) ----
stage_file_kinds() {
  local d code
  # (a) A FIFO as server.key: the open blocked for ever, deaf to SIGTERM. Now: exit 2 at once, naming it.
  d=$(new_data fifo)
  mkfifo "$d/server.key"
  timeout 10 "$server" --data "$d" --listen 127.0.0.1 --port 0 </dev/null >"$work/fifo.log" 2>&1; code=$?
  if [ $code -eq 2 ] && grep -q 'server.key is a FIFO (named pipe), not a regular file' "$work/fifo.log"; then
    pass "file-kinds: a FIFO as server.key stops the start (exit 2) with what it is"
  else
    fail "file-kinds: FIFO server.key: exit $code: $(tail -2 "$work/fifo.log")"
  fi
  # (b) A directory named lantalk-server.lock: it let a second server run. Now: exit 2, naming it.
  d=$(new_data lockdir)
  mkdir "$d/lantalk-server.lock"
  timeout 10 "$server" --data "$d" --listen 127.0.0.1 --port 0 --plaintext </dev/null >"$work/lockdir.log" 2>&1; code=$?
  if [ $code -eq 2 ] && grep -q 'lantalk-server.lock is a directory, not a lock file' "$work/lockdir.log"; then
    pass "file-kinds: a directory named lantalk-server.lock stops the start (exit 2)"
  else
    fail "file-kinds: lock directory: exit $code: $(tail -2 "$work/lockdir.log")"
  fi
  # (c) history.db as a symbolic link to another directory (another disk): every message was refused. Now it works,
  # and the message is there after a restart.
  d=$(new_data linked)
  mkdir -p "$work/otherdisk"
  touch "$work/otherdisk/history.db"
  ln -s "$work/otherdisk/history.db" "$d/history.db"
  printf 'pw-alice\n' | "$server" user add alice --password-stdin --data "$d" >/dev/null 2>&1 || { fail "file-kinds: user add"; return; }
  start_server "$d" "$work/linked.log" --plaintext || { fail "file-kinds: start with a linked history.db: $(tail -3 "$work/linked.log")"; return; }
  if printf 'pw-alice\n' | timeout 15 "$client" send --server "127.0.0.1:$port" --user alice --password-stdin --plaintext "through the link" >"$work/linked-send.log" 2>&1; then
    stop_server
    if "$server" config check --data "$d" 2>&1 | grep -q 'History: .*1 message'; then
      pass "file-kinds: a history.db that is a link to another directory stores messages and keeps them"
    else
      fail "file-kinds: linked history.db: the message is not there after the stop: $("$server" config check --data "$d" 2>&1 | grep History)"
    fi
  else
    fail "file-kinds: linked history.db: the send failed: $(cat "$work/linked-send.log")"
    stop_server
  fi
}

# ---- 8. the console client, piped, stops on SIGTERM while its server is gone (it waited for ever) ----
stage_client_signal() {
  local d cpid i
  d=$(new_data clientsig)
  printf 'pw-alice\n' | "$server" user add alice --password-stdin --data "$d" >/dev/null 2>&1 || { fail "client-signal: user add"; return; }
  start_server "$d" "$work/clientsig.log" --plaintext || { fail "client-signal: start"; return; }
  mkfifo "$work/clientsig.in"
  HOME="$work" "$client" --server "127.0.0.1:$port" --user alice --password-stdin --plaintext <"$work/clientsig.in" >"$work/clientsig-client.log" 2>&1 &
  cpid=$!; pids+=("$cpid")
  exec 7>"$work/clientsig.in"
  printf 'pw-alice\n/join r1\nhello\n' >&7
  wait_for 'hello' 10 "$work/clientsig-client.log" || { fail "client-signal: the client did not chat: $(tail -3 "$work/clientsig-client.log")"; exec 7>&-; return; }
  kill -9 "$spid"; wait "$spid" 2>/dev/null
  # A command that needs the server, while the client waits to reconnect; then the signal a script's timeout sends.
  printf '/join r2\n' >&7
  wait_for 'reconnecting to' 10 "$work/clientsig-client.log"
  kill -TERM "$cpid"
  for ((i = 0; i < 200; i++)); do kill -0 "$cpid" 2>/dev/null || break; sleep 0.05; done
  exec 7>&-
  if kill -0 "$cpid" 2>/dev/null; then
    fail "client-signal: the piped client ignored SIGTERM while reconnecting: $(tail -2 "$work/clientsig-client.log")"
    kill -9 "$cpid"
  else
    pass "client-signal: the piped client stops on SIGTERM while its server is gone"
  fi
}

# ---- 9. standard output and standard error into one file (>server.log 2>&1, nohup) ----
# The console queue wrote standard output with pwrite at a position of its own, so what went to standard error
# through the shared offset (a start-up error, "logging failed") was overwritten or glued into a log line.
stage_shared_output() {
  local d1 d2 code bad
  d1=$(new_data shared1); d2=$(new_data shared2)
  start_server "$d1" "$work/shared1.log" --plaintext || { fail "shared-output: first server: $(tail -2 "$work/shared1.log")"; return; }
  # A second server on the same port: INFO lines on standard output, then the error on standard error.
  timeout 20 "$server" --data "$d2" --listen 127.0.0.1 --port "$port" --plaintext </dev/null >"$work/shared2.log" 2>&1; code=$?
  stop_server
  bad=$(grep -cvE '^([0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:.]{12} [A-Z]+ |lantalk-server: )' "$work/shared2.log")
  if [ $code -eq 3 ] && [ "$bad" -eq 0 ] && grep -q '^lantalk-server: error: .*'"$port" "$work/shared2.log" \
      && grep -q 'INFO  lantalk-server .* starting, pid' "$work/shared2.log"; then
    pass "shared-output: one file for both streams keeps every line whole ($(wc -l <"$work/shared2.log") lines, exit 3: port in use)"
  else
    fail "shared-output: exit $code, $bad line(s) not whole: $(head -c 600 "$work/shared2.log")"
  fi
}

# A low open-file limit at start: one clear line and exit 2. It crashed with a stack trace (exit 134) at 16-20, and at
# 22 blamed <ListenAddress> (fault injection, 2026-12-05).
stage_low_fd_limit() {
  local d code n
  for n in 12 20 40; do
    d=$(new_data "fd$n")
    (ulimit -n "$n"; exec timeout 20 "$server" --data "$d" --listen 127.0.0.1 --port 0 --plaintext) </dev/null >"$work/fd$n.log" 2>&1; code=$?
    if [ $code -eq 2 ] && grep -q "^lantalk-server: error: the open-file limit is $n .*ulimit -n" "$work/fd$n.log" && ! grep -q "   at " "$work/fd$n.log"; then
      pass "low-fd-limit: ulimit -n $n: exit 2 with the limit and the fix"
    else
      fail "low-fd-limit: ulimit -n $n: exit $code: $(tail -3 "$work/fd$n.log")"
    fi
  done
}

t_start=$(now_ms)
# faults.sh DIST [STAGE...]: only the named stages (e.g. file_kinds client_signal, which make test runs), else all.
if [ $# -gt 1 ]; then
  for stage in "${@:2}"; do "stage_$stage"; done
else
  stage_readonly_data
  stage_full_disk
  stage_no_openssl
  stage_readonly_logs
  stage_data_files
  stage_kill_first_start
  stage_file_kinds
  stage_client_signal
  stage_shared_output
  stage_low_fd_limit
fi
echo "faults: $(( ($(now_ms) - t_start) / 1000 )) s, $failures failure(s)"
exit $((failures > 0))

#!/usr/bin/env bash
# Issue 14's "done means", as a user sees it: a person who closes the laptop, comes back and reconnects sees what
# was missed. Starts the published server (fresh data directory, users alice and bob, a short keep-alive), opens
# two real terminals in tmux (a: alice, b: bob) chatting in the default room, and checks with capture-pane:
#   1. laptop sleep: alice's lantalk is frozen with kill -STOP until the server drops her as silent; bob says three
#      things; kill -CONT: alice's client reconnects by itself and shows bob's lines once each, in order, after a dim
#      "— missed while away —" and before "— now —", and nothing said before the sleep a second time;
#   2. server restart: alice is frozen again, the server is killed (-9) and started again on the same port and data
#      directory; bob's client reconnects by itself and bob says three more things; alice resumes, reconnects and
#      sees exactly those (ids survive the restart, so the catch-up asks for the right ones);
#   after each, live chat goes on both ways;
#   3. PageUp: a new window of alice's replays the lobby's last 3 messages; PageUp fetches the earlier ones from the
#      server under a dim "— earlier —", a line bob says meanwhile waits, and PageDown shows it after "— now —".
# Needs no root. Prints PASS/FAIL lines (the Makefile's history-tmux target tees them into artifacts/); exits 1 on a FAIL.
set -uo pipefail
dist=$(cd "${1:?usage: history-tmux.sh DIST_DIR}" && pwd)
stage=history-tmux
failures=0
pass() { echo "PASS $stage: $*"; }
fail() { echo "FAIL $stage: $*"; failures=$((failures + 1)); }

for bin in lantalk-server lantalk; do
  [ -x "$dist/$bin" ] || { fail "$dist/$bin is missing; run make publish-linux first"; exit 1; }
done
command -v tmux >/dev/null || { fail "tmux is missing (scripts/deps.sh installs it)"; exit 1; }

work=$(mktemp -d /tmp/lantalk-history-tmux.XXXXXX)
server_pid=""
frozen=""
T=(tmux -S "$work/tmux.sock")
cleanup() {
  # A frozen client would outlive tmux's SIGHUP: wake it so it can die.
  [ -n "$frozen" ] && kill -CONT "$frozen" 2>/dev/null
  "${T[@]}" kill-server 2>/dev/null
  [ -n "$server_pid" ] && { kill -9 "$server_pid" && wait "$server_pid"; } 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

# Waits up to $2 seconds for a regex in file $3.
wait_for() { local i; for ((i = 0; i < $2 * 10; i++)); do grep -Eq "$1" "$3" 2>/dev/null && return 0; sleep 0.1; done; return 1; }

mkdir -p "$work/data" "$work/home-alice" "$work/home-bob"
clean=(env -i PATH=/usr/bin:/bin LANG=C.UTF-8 TERM=xterm-256color)
# A short keep-alive (the smallest the server allows: a ping every 5 s, silent for 6 s drops) so a frozen client
# is dropped within seconds, not the default 45; fewer password iterations so the logins take milliseconds; a
# replay on join of 3 messages, so a new window has earlier history for PageUp to fetch.
cat >"$work/data/Settings.xml" <<'EOF'
<Settings>
  <PasswordIterations>1000</PasswordIterations>
  <PingIntervalSeconds>5</PingIntervalSeconds>
  <IdleTimeoutSeconds>6</IdleTimeoutSeconds>
  <HistoryOnJoin>3</HistoryOnJoin>
</Settings>
EOF
for user in alice bob; do
  printf 'pw-%s-secret\n' "$user" | "${clean[@]}" HOME="$work/home-$user" "$dist/lantalk-server" user add "$user" --password-stdin --data "$work/data" >>"$work/useradd.log" 2>&1 \
    || { fail "user add $user: $(cat "$work/useradd.log")"; exit 1; }
done

# Starts the server on port $1 (0 = any) and appends its output to server.log.
start_server() {
  "${clean[@]}" HOME="$work/home-alice" "$dist/lantalk-server" --data "$work/data" --listen 127.0.0.1 --port "$1" </dev/null >>"$work/server.log" 2>&1 &
  server_pid=$!
}
start_server 0
wait_for 'Listening on' 15 "$work/server.log" || { fail "server did not start: $(cat "$work/server.log")"; exit 1; }
port=$(grep -Eo 'Listening on [^ ]*:[0-9]+' "$work/server.log" | head -1 | grep -Eo '[0-9]+$')
fingerprint=$(grep -Eo 'SHA-256 fingerprint[^0-9A-Fa-f]*[0-9A-Fa-f:]{64,}' "$work/server.log" | grep -Eo '[0-9A-Fa-f:]{64,}' | head -1 || true)
trust=""; [ -n "$fingerprint" ] && trust="--trust $fingerprint"
pass "published server listening on 127.0.0.1:$port"

# A window: $1 its name, $2 the user. Wide enough that no checked line wraps.
open_window() {
  "${T[@]}" new-session -d -s "$1" -x 140 -y 50 \
    "${clean[*]} HOME=$work/home-$2 $dist/lantalk --server 127.0.0.1:$port --user $2 $trust; echo '[lantalk exited]'; sleep 60"
}
# Targets are "=NAME:", the session named exactly NAME: a bare "b" may match a window named "bash" in another session.
pane() { printf '=%s:' "$1"; }
screen() { "${T[@]}" capture-pane -p -J ${2:-} -S -500 -t "$(pane "$1")" 2>/dev/null; }
wait_screen() { local i; for ((i = 0; i < $3 * 10; i++)); do screen "$1" | grep -Eq -- "$2" && return 0; sleep 0.1; done; return 1; }
# Waits up to $4 seconds until regex $2 appears $3 times in window $1.
wait_count() { local i; for ((i = 0; i < $4 * 10; i++)); do [ "$(screen "$1" | grep -Ec -- "$2")" -ge "$3" ] && return 0; sleep 0.1; done; return 1; }
# Same as rooms-tmux.sh: true when text $1 is drawn dim (SGR 2) in capture-pane -e output on stdin.
is_dim() {
  awk -v want="$1" '
    function seen(text) { if (!found && index(text, want)) { found = 1; ok = dim } }
    {
      line = $0
      while (match(line, /\033\[[0-9;]*m/)) {
        seen(substr(line, 1, RSTART - 1))
        n = split(substr(line, RSTART + 2, RLENGTH - 3), codes, ";")
        for (i = 1; i <= n; i++) { if (codes[i] == "2") dim = 1; else if (codes[i] == "" || codes[i] == "0" || codes[i] == "22") dim = 0 }
        line = substr(line, RSTART + RLENGTH)
      }
      seen(line)
    }
    END { exit ok ? 0 : 1 }'
}
type_line() { "${T[@]}" send-keys -t "$(pane "$1")" -l "$2"; "${T[@]}" send-keys -t "$(pane "$1")" Enter; }
last_lines() { screen "$1" | grep -v '^\s*$' | tail -${2:-10} | sed 's/^/    | /'; }
check() {
  if wait_screen "$2" "$3" "${4:-10}"; then pass "$1"; else fail "$1: window $2 lacks /$3/:"; last_lines "$2"; fi
}
# The pid of the lantalk process running in window $1 (the pane's shell runs it as a child).
client_pid() { local pane; pane=$("${T[@]}" display-message -p -t "$(pane "$1")" '#{pane_pid}'); ps -o pid= --ppid "$pane" | tr -d ' ' | head -1; }
# How many lines of window $1 end with message text $2 (a literal).
count_of() { screen "$1" | grep -Fc -- ": $2"; }

for w in a:alice b:bob; do
  name=${w%%:*}; user=${w#*:}
  open_window "$name" "$user"
  if wait_screen "$name" "Password for $user" 15; then
    "${T[@]}" send-keys -t "$(pane "$name")" "pw-$user-secret" Enter
  else
    fail "window $name: no password prompt:"; last_lines "$name"
  fi
  check "window $name ($user) connects" "$name" "connected to 127.0.0.1:$port" 15
done

# --- before the laptop closes: a little chat both ways ----------------------------------------------------------
type_line a "morning bob"
check "bob sees alice's message live" b "^\[[0-9:]+\] alice: morning bob$"
type_line b "morning alice"
check "alice sees bob's message live" a "^\[[0-9:]+\] bob: morning alice$"

# The checks on what alice's window shows after a catch-up: $1 the variant, $2.. bob's missed lines in order.
check_catch_up() {
  local variant=$1; shift
  local last=${*: -1}
  check "$variant: alice's client reconnects by itself" a "reconnected as alice" 30
  if wait_screen a "^\[[0-9:]+\] bob: $last$" 15; then
    pass "$variant: alice's window shows bob's last missed line"
  else
    fail "$variant: alice's window lacks bob's missed lines:"; last_lines a 20
    return
  fi
  # The catch-up block: from the last "— missed while away —" to the "— now —" after it.
  local block
  block=$(screen a | awk '/^— missed while away —$/ { block = ""; inside = 1; next } inside && /^— now —$/ { inside = 0; done = block } inside { block = block $0 "\n" } END { printf "%s", done }')
  if [ -n "$block" ]; then pass "$variant: the missed lines come between '— missed while away —' and '— now —'"; else fail "$variant: no '— missed while away —' ... '— now —' block:"; last_lines a 20; fi
  local got want
  got=$(printf '%s' "$block" | grep -Eo 'bob: .*$' | sed 's/^bob: //')
  want=$(printf '%s\n' "$@")
  if [ "$got" = "$want" ]; then
    pass "$variant: the block holds exactly bob's $# missed lines, in order"
  else
    fail "$variant: the catch-up block is not bob's missed lines in order:"; printf '%s\n' "$block" | sed 's/^/    | /'
  fi
  local line n
  for line in "$@"; do
    n=$(count_of a "$line")
    [ "$n" -eq 1 ] || fail "$variant: '$line' is shown $n times in alice's window, wanted once"
  done
  if screen a -e | is_dim "— missed while away —"; then pass "$variant: the marker is dim"; else fail "$variant: the '— missed while away —' marker is not dim"; fi
}

# Checks that nothing said before is shown twice in window $1: every "bob:"/"alice:" message line is unique.
check_no_repeats() {
  local dup
  dup=$(screen "$1" | grep -Eo '(alice|bob): .*$' | sort | uniq -d)
  if [ -z "$dup" ]; then pass "$2: no message is shown twice in window $1"; else fail "$2: window $1 shows these twice: $(echo "$dup" | tr '\n' '|')"; fi
}

# Live chat both ways after a catch-up; $1 the variant, $2 a word that makes the lines unique.
check_live() {
  type_line a "back online $2"
  check "$1: bob sees alice's live message after her reconnect" b "^\[[0-9:]+\] alice: back online $2$"
  type_line b "welcome back $2"
  check "$1: alice sees bob's live message after her reconnect" a "^\[[0-9:]+\] bob: welcome back $2$"
}

# --- 1. laptop sleep --------------------------------------------------------------------------------------------
frozen=$(client_pid a)
if [ -z "$frozen" ]; then fail "cannot find alice's lantalk process"; exit 1; fi
drops_before=$(grep -c 'dropped: silent' "$work/server.log")
kill -STOP "$frozen"
if wait_for "alice.*dropped: silent|dropped: silent.*alice" 20 "$work/server.log" && [ "$(grep -c 'dropped: silent' "$work/server.log")" -gt "$drops_before" ]; then
  pass "sleep: the server drops alice's frozen client as silent"
else
  fail "sleep: the server did not drop alice's frozen client: $(tail -5 "$work/server.log")"
fi
check "sleep: bob is told alice went offline" b "alice went offline" 10
sleep_lines=("did you see the build" "it is green again" "lunch at noon, alice")
for line in "${sleep_lines[@]}"; do
  type_line b "$line"
  check "sleep: bob's '$line' is acknowledged in his window" b "^\[[0-9:]+\] bob: $line$"
done
kill -CONT "$frozen"; frozen=""
check_catch_up sleep "${sleep_lines[@]}"
check_no_repeats a sleep
check_live sleep one
[ "$(count_of a "morning alice")" -eq 1 ] && pass "sleep: the line from before the sleep is still shown once" || fail "sleep: 'morning alice' is shown $(count_of a "morning alice") times"

# --- 2. server restart while the laptop sleeps -------------------------------------------------------------------
frozen=$(client_pid a)
kill -STOP "$frozen"
kill -9 "$server_pid"; wait "$server_pid" 2>/dev/null; server_pid=""
check "restart: bob's client notices the server is gone" b "reconnecting to 127.0.0.1:$port" 15
listening_before=$(grep -c 'Listening on' "$work/server.log")
start_server "$port"
for ((i = 0; i < 150; i++)); do [ "$(grep -c 'Listening on' "$work/server.log")" -gt "$listening_before" ] && break; sleep 0.1; done
if [ "$(grep -c 'Listening on' "$work/server.log")" -gt "$listening_before" ]; then pass "restart: the server is back on port $port"; else fail "restart: the server did not start again: $(tail -5 "$work/server.log")"; exit 1; fi
if wait_count b "reconnected as bob" 1 30; then pass "restart: bob's client reconnects by itself"; else fail "restart: bob's client did not reconnect:"; last_lines b; fi
restart_lines=("server was down a moment" "all fine now" "ping me when you are back")
for line in "${restart_lines[@]}"; do
  type_line b "$line"
  check "restart: bob's '$line' is acknowledged in his window" b "^\[[0-9:]+\] bob: $line$"
done
kill -CONT "$frozen"; frozen=""
# The first "reconnected as alice" came after the sleep; this one is the second.
if wait_count a "reconnected as alice" 2 30; then pass "restart: alice's client reconnects to the restarted server"; else fail "restart: alice's client did not reconnect:"; last_lines a; fi
check_catch_up restart "${restart_lines[@]}"
check_no_repeats a restart
check_no_repeats b restart
check_live restart two

# --- 3. PageUp in a new window ----------------------------------------------------------------------------------
open_window c alice
if wait_screen c "Password for alice" 15; then "${T[@]}" send-keys -t "$(pane c)" "pw-alice-secret" Enter; fi
check "pageup: a new window c of alice's connects" c "connected to 127.0.0.1:$port" 15
check "pageup: c replays the lobby's last 3 messages (HistoryOnJoin)" c "^\[[0-9:]+\] bob: welcome back two$" 15
if screen c | grep -q "bob: morning alice$"; then fail "pageup: c shows 'morning alice' before PageUp; the replay was not cut to 3"; fi
"${T[@]}" send-keys -t "$(pane c)" PPage
check "pageup: PageUp fetches the earlier page from the server" c "^\[[0-9:]+\] bob: morning alice$"
check "pageup: the page ends with a note that PageDown returns" c "^— PageDown: back to now —$"
if [ "$(screen c | grep -c '^— earlier —$')" -eq 2 ]; then pass "pageup: the page sits under its own dim '— earlier —'"; else fail "pageup: wanted two '— earlier —' lines (replay and page) in c:"; last_lines c 30; fi
type_line b "said while c reads"
check "pageup: alice's live window a sees bob's new line" a "^\[[0-9:]+\] bob: said while c reads$"
if screen c | grep -q "said while c reads"; then fail "pageup: c, scrolled back, shows the new line at once"; else pass "pageup: c, scrolled back, holds bob's new line"; fi
"${T[@]}" send-keys -t "$(pane c)" NPage
check "pageup: PageDown shows the held line" c "^\[[0-9:]+\] bob: said while c reads$"
if screen c | grep -v '^\s*$' | grep -B1 'bob: said while c reads$' | head -1 | grep -q '^— now —$'; then pass "pageup: the held line comes right after '— now —'"; else fail "pageup: the held line does not follow '— now —':"; last_lines c 8; fi
check_no_repeats c pageup

if [ -n "${HISTORY_TMUX_SCREENS:-}" ]; then
  mkdir -p "$HISTORY_TMUX_SCREENS"
  for w in a b c; do screen "$w" >"$HISTORY_TMUX_SCREENS/$w.txt"; done
fi
for w in a b c; do type_line "$w" "/quit"; done
for w in a b c; do check "window $w quits cleanly" "$w" "logged out\. Bye\." 10; done

if [ "$failures" -eq 0 ]; then echo "history-tmux: all checks passed"; else echo "history-tmux: $failures check(s) failed"; exit 1; fi

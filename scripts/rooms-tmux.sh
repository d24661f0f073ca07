#!/usr/bin/env bash
# Issue 13's "done means", as a user sees it: two people, each with two `lantalk` windows, chat in two rooms.
# Starts the published server (fresh data directory, users alice and bob), opens four real terminals in tmux
# (a1, a2: alice; b1, b2: bob), types into them with send-keys and checks with capture-pane what each window shows:
#   - every window lands in the default room, shown in the prompt (alice #lobby>);
#   - /join dev makes dev current; text goes to the current room;
#   - the same user's other window sees the message too (mirroring), and so does the other user;
#   - a window whose current room is another one shows the message prefixed with the room and dimmed;
#   - Alt+1 switches room; /who lists the room's members; /part leaves; /rooms lists both rooms;
#   - `lantalk send` by alice while alice chats in two windows works, and all four windows see it;
#   - rejoining a room replays its history between dim "— earlier —" and "— now —" lines; /search finds a message.
# Prints PASS/FAIL lines (the Makefile's rooms-tmux target tees them into artifacts/rooms-tmux.log); exits 1 on a FAIL.
set -uo pipefail
dist=$(cd "${1:?usage: rooms-tmux.sh DIST_DIR}" && pwd)
stage=rooms-tmux
failures=0
pass() { echo "PASS $stage: $*"; }
fail() { echo "FAIL $stage: $*"; failures=$((failures + 1)); }

for bin in lantalk-server lantalk; do
  [ -x "$dist/$bin" ] || { fail "$dist/$bin is missing; run make publish-linux first"; exit 1; }
done
command -v tmux >/dev/null || { fail "tmux is missing (scripts/deps.sh installs it)"; exit 1; }

work=$(mktemp -d /tmp/lantalk-rooms-tmux.XXXXXX)
server_pid=""
T=(tmux -S "$work/tmux.sock")
cleanup() {
  "${T[@]}" kill-server 2>/dev/null
  [ -n "$server_pid" ] && { kill -9 "$server_pid" && wait "$server_pid"; } 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

# Waits up to $2 seconds for a regex in a file.
wait_for() { local i; for ((i = 0; i < $2 * 10; i++)); do grep -Eq "$1" "$3" 2>/dev/null && return 0; sleep 0.1; done; return 1; }

mkdir -p "$work/data" "$work/home-alice" "$work/home-bob"
clean=(env -i PATH=/usr/bin:/bin LANG=C.UTF-8 TERM=xterm-256color)
# Fewer password iterations than the default: four logins plus a send should take milliseconds, not seconds.
printf '<Settings>\n  <PasswordIterations>1000</PasswordIterations>\n</Settings>\n' >"$work/data/Settings.xml"
for user in alice bob; do
  printf 'pw-%s-secret\n' "$user" | "${clean[@]}" HOME="$work/home-$user" "$dist/lantalk-server" user add "$user" --password-stdin --data "$work/data" >>"$work/useradd.log" 2>&1 \
    || { fail "user add $user: $(cat "$work/useradd.log")"; exit 1; }
done

"${clean[@]}" HOME="$work/home-alice" "$dist/lantalk-server" --data "$work/data" --listen 127.0.0.1 --port 0 </dev/null >"$work/server.log" 2>&1 &
server_pid=$!
wait_for 'Listening on' 15 "$work/server.log" || { fail "server did not start: $(cat "$work/server.log")"; exit 1; }
port=$(grep -Eo 'Listening on [^ ]*:[0-9]+' "$work/server.log" | head -1 | grep -Eo '[0-9]+$')
fingerprint=$(grep -Eo 'SHA-256 fingerprint[^0-9A-Fa-f]*[0-9A-Fa-f:]{64,}' "$work/server.log" | grep -Eo '[0-9A-Fa-f:]{64,}' | head -1 || true)
trust=""; [ -n "$fingerprint" ] && trust="--trust $fingerprint"
pass "published server listening on 127.0.0.1:$port"

# --- the four windows ------------------------------------------------------------------------------------------
# A window: $1 its name, $2 the user. Wide enough that no checked line wraps.
open_window() {
  "${T[@]}" new-session -d -s "$1" -x 140 -y 40 \
    "${clean[*]} HOME=$work/home-$2 $dist/lantalk --server 127.0.0.1:$port --user $2 $trust; echo '[lantalk exited]'; sleep 60"
}
# What window $1 shows (screen and scrollback), plain; with $2 = -e, with its colours as escape sequences.
screen() { "${T[@]}" capture-pane -p -J ${2:-} -S -200 -t "$1" 2>/dev/null; }
# Waits up to $3 seconds for regex $2 in window $1.
wait_screen() { local i; for ((i = 0; i < $3 * 10; i++)); do screen "$1" | grep -Eq -- "$2" && return 0; sleep 0.1; done; return 1; }
# The input row: the last non-blank row of the visible screen.
prompt_row() { "${T[@]}" capture-pane -p -t "$1" | grep -v '^\s*$' | tail -1; }
wait_prompt() { local i; for ((i = 0; i < $3 * 10; i++)); do prompt_row "$1" | grep -Eq -- "$2" && return 0; sleep 0.1; done; return 1; }
# Reads capture-pane -e output: true when text $1 is drawn with the dim attribute (SGR 2). tmux writes an
# attribute once for a run of lines that share it, so the state is followed from line to line.
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
type_line() { "${T[@]}" send-keys -t "$1" -l "$2"; "${T[@]}" send-keys -t "$1" Enter; }
last_lines() { screen "$1" | grep -v '^\s*$' | tail -8 | sed 's/^/    | /'; }
# check DESCRIPTION WINDOW REGEX [SECONDS]
check() {
  if wait_screen "$2" "$3" "${4:-10}"; then pass "$1"; else fail "$1: window $2 lacks /$3/:"; last_lines "$2"; fi
}
check_prompt() {
  if wait_prompt "$2" "$3" "${4:-10}"; then pass "$1"; else fail "$1: window $2's prompt is '$(prompt_row "$2")', wanted /$3/"; fi
}

for w in a1:alice a2:alice b1:bob b2:bob; do
  name=${w%%:*}; user=${w#*:}
  open_window "$name" "$user"
  if wait_screen "$name" "Password for $user" 15; then
    "${T[@]}" send-keys -t "$name" "pw-$user-secret" Enter
  else
    fail "window $name: no password prompt:"; last_lines "$name"
  fi
  check "window $name ($user) connects" "$name" "connected to 127.0.0.1:$port" 15
done

for w in a1:alice a2:alice b1:bob b2:bob; do
  check_prompt "window ${w%%:*} starts in the default room, shown in the prompt" "${w%%:*}" "^${w#*:} #lobby.*>"
done
if grep -Eq 'alice.*(logged in|session)' "$work/server.log" && [ "$(grep -c 'AlreadyLoggedIn\|TooManySessions' "$work/server.log")" -eq 0 ]; then
  pass "two sessions per user, no AlreadyLoggedIn"
else
  fail "the server refused a second session: $(grep -E 'AlreadyLoggedIn|TooManySessions' "$work/server.log" | head -3)"
fi

# --- two rooms ------------------------------------------------------------------------------------------------
for w in a1 a2 b1 b2; do type_line "$w" "/join dev"; done
for w in a1:alice a2:alice b1:bob b2:bob; do
  check_prompt "/join dev in window ${w%%:*} makes #dev current" "${w%%:*}" "^${w#*:} #dev.*>"
done
type_line b2 "/go lobby"
check_prompt "/go lobby switches window b2 back" b2 "^bob #lobby.*>"

type_line a1 "hello dev from a1"
check "a1 sees its own message in dev" a1 "^\[[0-9:]+\] alice: hello dev from a1"
check "a2, alice's other window, sees it mirrored" a2 "^\[[0-9:]+\] alice: hello dev from a1"
check "b1, bob in dev, sees it" b1 "^\[[0-9:]+\] alice: hello dev from a1"
check "b2, bob in lobby, sees it prefixed with #dev" b2 "^\[[0-9:]+\] #dev alice: hello dev from a1"
if screen b2 -e | is_dim "#dev alice: hello dev from a1"; then
  pass "b2 shows the other room's message dimmed"
else
  fail "b2 does not dim the other room's message:"; screen b2 -e | grep -v '^\s*$' | tail -6 | cat -v | sed 's/^/    | /'
fi

type_line b2 "lobby news from b2"
check "b2 sees its own lobby message plainly" b2 "^\[[0-9:]+\] bob: lobby news from b2"
check "a1 (in dev) sees the lobby message prefixed with #lobby" a1 "^\[[0-9:]+\] #lobby bob: lobby news from b2"
check "b1, bob's other window, sees it mirrored with #lobby" b1 "^\[[0-9:]+\] #lobby bob: lobby news from b2"

"${T[@]}" send-keys -t a2 M-1
check_prompt "Alt+1 switches window a2 to the first room, #lobby" a2 "^alice #lobby.*>"
type_line a2 "reply in lobby from a2"
check "b2 sees alice's lobby reply" b2 "^\[[0-9:]+\] alice: reply in lobby from a2"
check "a1 sees its other window's lobby reply with #lobby" a1 "^\[[0-9:]+\] #lobby alice: reply in lobby from a2"

type_line a2 "/me waves"
check "/me shows as an action" b2 "^\[[0-9:]+\] \* alice waves"

type_line a1 "/who"
check "/who in a1 lists dev's members" a1 "#dev.*(alice.*bob|bob.*alice)"
type_line b1 "/rooms"
check "/rooms lists both rooms with member counts" b1 "#dev.*2" 
check "/rooms lists the lobby" b1 "#lobby"

# --- lantalk send while the same user chats in two windows ----------------------------------------------------------
if printf 'pw-alice-secret\n' | "${clean[@]}" HOME="$work/home-alice" "$dist/lantalk" send --server "127.0.0.1:$port" --user alice --password-stdin $trust "sent by a script" >"$work/send.log" 2>&1; then
  pass "lantalk send succeeds while alice chats in two windows"
else
  fail "lantalk send while alice is logged in twice: $(cat "$work/send.log")"
fi
check "b2 (lobby) sees the script's message" b2 "alice: sent by a script"
check "a1 sees the script's message mirrored" a1 "alice: sent by a script"
check "a2 sees the script's message mirrored" a2 "alice: sent by a script"

type_line b1 "/part dev"
check_prompt "/part dev in b1 leaves the room and shows the lobby" b1 "^bob #lobby.*>"
# Rejoining: the replay holds only what b1 has shown already, so nothing is shown twice.
type_line b1 "/join dev"
check_prompt "/join dev in b1 makes #dev current again" b1 "^bob #dev.*>"
check "b1 says it is in #dev again" b1 "^-- now in #dev"
if [ "$(screen b1 | grep -c 'alice: hello dev from a1$')" -eq 1 ]; then
  pass "rejoining shows no message twice in b1"
else
  fail "b1 shows 'hello dev from a1' $(screen b1 | grep -c 'alice: hello dev from a1$') times after rejoining, wanted 1"
fi
# A new window replays the room's recent history between dim markers.
open_window b3 bob
if wait_screen b3 "Password for bob" 15; then "${T[@]}" send-keys -t b3 "pw-bob-secret" Enter; fi
check "a new window b3 connects" b3 "connected to 127.0.0.1:$port" 15
check "b3 replays the lobby's history after a dim '— earlier —'" b3 "^— earlier —$"
check "b3's replay holds the lobby messages" b3 "bob: lobby news from b2$"
check "b3's replay ends with '— now —'" b3 "^— now —$"
if screen b3 -e | is_dim "— earlier —"; then pass "the history marker is dim"; else fail "the '— earlier —' marker is not dim"; fi
type_line a1 "/search lobby news"
check "/search answers with its header" a1 "^— search: lobby news \([0-9]+ found\) —$" 20
check "/search finds the lobby message, naming its room" a1 "^— search: lobby news" 1
if screen a1 | sed -n '/^— search: lobby news/,/^— end of search —$/p' | grep -q '#lobby bob: lobby news from b2$'; then
  pass "the search hit names its room"
else
  fail "the search result lacks the lobby message:"; screen a1 | sed -n '/^— search/,$p' | sed 's/^/    | /'
fi

# What each window showed, for a person to look at (the Makefile target keeps them under artifacts/).
if [ -n "${ROOMS_TMUX_SCREENS:-}" ]; then
  mkdir -p "$ROOMS_TMUX_SCREENS"
  for w in a1 a2 b1 b2 b3; do screen "$w" >"$ROOMS_TMUX_SCREENS/$w.txt"; done
fi
for w in a1 a2 b1 b2 b3; do type_line "$w" "/quit"; done
for w in a1 a2 b1 b2 b3; do
  check "window $w quits cleanly" "$w" "logged out\. Bye\." 10
done

if [ "$failures" -eq 0 ]; then echo "rooms-tmux: all checks passed"; else echo "rooms-tmux: $failures check(s) failed"; exit 1; fi

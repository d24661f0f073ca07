#!/usr/bin/env bash
# irssi, a real IRC client, chats with a `lantalk` user through the IRC gateway (issue 17), both in tmux:
# irssi logs in with SASL PLAIN and joins #lobby; public messages, /me and private messages go both ways; each
# step is asserted on what the two screens show (tmux capture-pane). PASS/FAIL/SKIP lines; exit 1 on any FAIL.
#   scripts/irc-irssi.sh DIST_DIR
set -uo pipefail
dist=$(cd "${1:?usage: irc-irssi.sh DIST_DIR}" && pwd)
stage=irc-irssi
failures=0
pass() { echo "PASS $stage: $*"; }
fail() { echo "FAIL $stage: $*"; failures=$((failures + 1)); }
skip() { echo "SKIP $stage: $*"; }
for tool in irssi tmux; do
  command -v "$tool" >/dev/null || { fail "$tool is missing (scripts/deps.sh installs it)"; exit 1; }
done

work=$(mktemp -d /tmp/lantalk-irssi.XXXXXX)
server_pid=""
T=(tmux -S "$work/tmux.sock")
cleanup() {
  "${T[@]}" kill-server 2>/dev/null
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
# Every wait is bounded: up to $2 seconds for a regex in a file.
wait_for() { local i; for ((i = 0; i < $2 * 10; i++)); do grep -Eq "$1" "$3" 2>/dev/null && return 0; sleep 0.1; done; return 1; }
screen() { "${T[@]}" capture-pane -p -J -S -200 -t "$1" >"$work/$1.txt" 2>/dev/null; }
wait_screen() { local i; for ((i = 0; i < $3 * 10; i++)); do screen "$1"; grep -Eq "$2" "$work/$1.txt" && return 0; sleep 0.1; done; return 1; }
check() { # $1 pane, $2 regex, $3 what
  if wait_screen "$1" "$2" 10; then pass "$3"; else fail "$3: $1 shows: $(tail -8 "$work/$1.txt" | tr '\n' '|')"; fi
}

mkdir -p "$work/data" "$work/home" "$work/irssi"
source "$(dirname "$0")/irc-server.sh"
pass "server up: LanTalk port $port, IRC port $irc_port"

# irssi with its own home: SASL PLAIN with alice's LanTalk account, auto-join #lobby, no query windows (private
# messages then show in the active window, where capture-pane sees them).
cat >"$work/irssi/config" <<CFG
servers = ( { address = "127.0.0.1"; chatnet = "LanTalk"; port = "$irc_port"; use_tls = "no"; autoconnect = "yes"; } );
chatnets = { LanTalk = { type = "IRC"; sasl_mechanism = "PLAIN"; sasl_username = "alice"; sasl_password = "pw-alice-secret"; }; };
channels = ( { name = "#lobby"; chatnet = "LanTalk"; autojoin = "yes"; } );
settings = {
  core = { real_name = "Alice"; user_name = "alice"; nick = "alice"; };
  "fe-common/core" = { autocreate_query_level = "NONE"; theme = "default"; };
};
CFG

"${T[@]}" new-session -d -s irssi -x 160 -y 50 "TERM=screen irssi --home=$work/irssi; sleep 30"
check irssi 'You are now logged in as alice' "irssi logs in with SASL PLAIN (900)"
# irssi opens #lobby in window 2 once the JOIN arrives; the status window stays active until we switch.
joined=no
for ((i = 0; i < 50; i++)); do
  "${T[@]}" send-keys -t irssi '/window goto #lobby' Enter
  if wait_screen irssi 'alice.*has joined #lobby' 1; then joined=yes; break; fi
done
if [ $joined = yes ]; then pass "irssi joins #lobby"; else fail "irssi joins #lobby: $(tail -8 "$work/irssi.txt" | tr '\n' '|')"; fi

"${T[@]}" new-session -d -s lantalk -x 160 -y 50 "HOME=$work/home $dist/lantalk --server 127.0.0.1:$port --user bob --plaintext; sleep 30"
if wait_screen lantalk 'Password for bob' 15; then "${T[@]}" send-keys -t lantalk 'pw-bob-secret' Enter; fi
check lantalk 'connected to' "lantalk logs in as bob"
check irssi 'bob.*has joined #lobby' "irssi sees bob join #lobby"

"${T[@]}" send-keys -t irssi 'hello from irssi' Enter
check lantalk 'alice: hello from irssi' "a public message from irssi reaches lantalk"
"${T[@]}" send-keys -t lantalk 'hello from lantalk' Enter
check irssi '<.?bob> hello from lantalk' "a public message from lantalk reaches irssi in #lobby"

"${T[@]}" send-keys -t irssi '/me waves from irssi' Enter
# An action travels with the v3 message Kind; lantalk shows it as '* alice waves ...' (a v2 client, its text).
check lantalk '(\* alice|alice:) (/me )?waves from irssi' "irssi's /me reaches lantalk"
"${T[@]}" send-keys -t lantalk '/me nods from lantalk' Enter
check irssi '\* bob nods from lantalk' "a /me line from lantalk shows as an action in irssi"

"${T[@]}" send-keys -t irssi '/msg bob psst from irssi' Enter
check lantalk 'alice.*psst from irssi' "a private message from irssi reaches lantalk"
"${T[@]}" send-keys -t lantalk '/msg alice psst from lantalk' Enter
# With no query windows, irssi may show a private message in the status window: look in both.
if wait_screen irssi 'bob.*psst from lantalk' 5; then
  pass "a private message from lantalk reaches irssi"
else
  "${T[@]}" send-keys -t irssi '/window goto 1' Enter
  check irssi 'bob.*psst from lantalk' "a private message from lantalk reaches irssi (status window)"
  "${T[@]}" send-keys -t irssi '/window goto #lobby' Enter
fi

# Topics: irssi creates a room (a channel that does not exist yet is created, owned by its creator) and sets its
# topic; irssi shows the TOPIC the server sends back to the room's members.
"${T[@]}" send-keys -t irssi '/join #plans' Enter
check irssi 'alice.*has joined #plans' "irssi creates and joins the room #plans"
"${T[@]}" send-keys -t irssi '/topic #plans release on friday' Enter
check irssi 'alice changed the topic of #plans to: release on friday' "a topic change from irssi comes back as TOPIC"
# lantalk (v3) joins the room irssi made and is told its topic.
"${T[@]}" send-keys -t lantalk '/join plans' Enter
check lantalk 'release on friday' "lantalk joining #plans sees the topic irssi set"

"${T[@]}" send-keys -t irssi '/quit bye' Enter
if wait_for 'alice@.* disconnected' 10 "$work/server.log"; then pass "irssi's QUIT ends its session on the server"; else fail "no disconnect logged for alice"; fi
if [ "$failures" -eq 0 ]; then echo "irc-irssi: all checks passed"; exit 0; fi
echo "irc-irssi: $failures check(s) failed"
exit 1

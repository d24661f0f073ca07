#!/usr/bin/env bash
# weechat, a second real IRC client (issue 17 names it next to irssi), chats with a `lantalk` user through the IRC
# gateway. weechat-headless has no screen to read, so it is driven through its FIFO and checked through its logger
# files, which keep each line with the time weechat shows (server-time); `lantalk` runs in tmux as in irc-irssi.sh.
# Covers SASL, #lobby both ways, /me, private messages both ways, the replay of a room's history on JOIN, a topic set
# on the LanTalk side, and AWAY (301). PASS/FAIL lines; exit 1 on any FAIL.
#   scripts/irc-weechat.sh DIST_DIR
set -uo pipefail
dist=$(cd "${1:?usage: irc-weechat.sh DIST_DIR}" && pwd)
stage=irc-weechat
failures=0
pass() { echo "PASS $stage: $*"; }
fail() { echo "FAIL $stage: $*"; failures=$((failures + 1)); }
for tool in weechat-headless tmux; do
  command -v "$tool" >/dev/null || { fail "$tool is missing (scripts/deps.sh installs it)"; exit 1; }
done

work=$(mktemp -d /tmp/lantalk-weechat.XXXXXX)
server_pid=""
weechat_pid=""
T=(tmux -S "$work/tmux.sock")
cleanup() {
  "${T[@]}" kill-server 2>/dev/null
  [ -n "$weechat_pid" ] && kill "$weechat_pid" 2>/dev/null
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null
  wait 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
# Every wait is bounded: up to $2 seconds for a regex in a file.
wait_for() { local i; for ((i = 0; i < $2 * 10; i++)); do grep -Eq "$1" "$3" 2>/dev/null && return 0; sleep 0.1; done; return 1; }
screen() { "${T[@]}" capture-pane -p -J -S -200 -t "$1" >"$work/$1.txt" 2>/dev/null; }
wait_screen() { local i; for ((i = 0; i < $3 * 10; i++)); do screen "$1"; grep -Eq "$2" "$work/$1.txt" && return 0; sleep 0.1; done; return 1; }
check_screen() { # $1 regex, $2 what: on the lantalk window
  if wait_screen lantalk "$1" 10; then pass "$2"; else fail "$2: lantalk shows: $(tail -8 "$work/lantalk.txt" | tr '\n' '|')"; fi
}
logs="$work/weechat/logs"
check_log() { # $1 log file name (in weechat's logs), $2 regex, $3 what
  if wait_for "$2" 10 "$logs/$1"; then pass "$3"; else fail "$3: $1 holds: $(tail -5 "$logs/$1" 2>/dev/null | tr '\n\t' '| ')"; fi
}
# A line into weechat's FIFO: "BUFFER *TEXT" sends TEXT (or a /command) in that buffer.
fifo_say() { local f; f=$(ls "$work"/weechat/weechat_fifo_* 2>/dev/null | head -1); [ -p "$f" ] && printf '%s *%s\n' "$1" "$2" >"$f"; }

mkdir -p "$work/data" "$work/home" "$work/weechat"
source "$(dirname "$0")/irc-server.sh"
pass "server up: LanTalk port $port, IRC port $irc_port"

# bob (lantalk) first, so that he is in #lobby when weechat arrives, and opens #plans with a message said before
# weechat is there: its JOIN must replay it.
"${T[@]}" new-session -d -s lantalk -x 160 -y 50 "HOME=$work/home $dist/lantalk --server 127.0.0.1:$port --user bob --plaintext; sleep 60"
if wait_screen lantalk 'Password for bob' 15; then "${T[@]}" send-keys -t lantalk 'pw-bob-secret' Enter; fi
check_screen 'connected to' "lantalk logs in as bob"
"${T[@]}" send-keys -t lantalk '/join plans' Enter
check_screen 'joined #?plans|#plans>|plans>' "lantalk opens the room #plans"
"${T[@]}" send-keys -t lantalk 'agenda said before weechat came' Enter
check_screen 'agenda said before weechat came' "bob says something in #plans"
"${T[@]}" send-keys -t lantalk '/go lobby' Enter

# weechat with its own directory: SASL PLAIN with alice's account, autojoin #lobby, log files written at once.
timeout 120 weechat-headless --dir "$work/weechat" -r "/set logger.file.flush_delay 0;/server add lantalk 127.0.0.1/$irc_port;/set irc.server.lantalk.ssl off;/set irc.server.lantalk.sasl_mechanism plain;/set irc.server.lantalk.sasl_username alice;/set irc.server.lantalk.sasl_password pw-alice-secret;/set irc.server.lantalk.nicks alice;/set irc.server.lantalk.autojoin #lobby;/connect lantalk" \
  </dev/null >"$work/weechat.out" 2>&1 &
weechat_pid=$!
check_log irc.server.lantalk.weechatlog 'SASL authentication successful' "weechat logs in with SASL PLAIN"
check_log 'irc.lantalk.#lobby.weechatlog' 'alice \(alice@lantalk\) has joined #lobby' "weechat joins #lobby"
check_log 'irc.lantalk.#lobby.weechatlog' 'Channel #lobby: 2 nicks' "weechat's #lobby lists bob and alice (NAMES)"

fifo_say 'irc.lantalk.#lobby' 'hello from weechat'
check_screen 'alice: hello from weechat' "a public message from weechat reaches lantalk"
"${T[@]}" send-keys -t lantalk 'hello from lantalk' Enter
check_log 'irc.lantalk.#lobby.weechatlog' $'\tbob\thello from lantalk' "a public message from lantalk reaches weechat in #lobby"

fifo_say 'irc.lantalk.#lobby' '/me waves from weechat'
check_screen '\* alice waves from weechat' "weechat's /me reaches lantalk as an action"
"${T[@]}" send-keys -t lantalk '/me nods from lantalk' Enter
check_log 'irc.lantalk.#lobby.weechatlog' $'\t \\*\tbob nods from lantalk' "lantalk's /me shows as an action in weechat"

fifo_say 'irc.server.lantalk' '/msg bob psst from weechat'
check_screen 'alice.*psst from weechat' "a private message from weechat reaches lantalk"
"${T[@]}" send-keys -t lantalk '/msg alice psst from lantalk' Enter
check_log 'irc.lantalk.bob.weechatlog' $'\tbob\tpsst from lantalk' "a private message from lantalk reaches weechat in a query buffer"

# History: weechat joins #plans after bob spoke there; the JOIN replays it with its original time (server-time).
fifo_say 'irc.server.lantalk' '/join #plans'
check_log 'irc.lantalk.#plans.weechatlog' $'\t@?bob\tagenda said before weechat came' "joining #plans replays what bob said there before"
"${T[@]}" send-keys -t lantalk '/go plans' Enter
"${T[@]}" send-keys -t lantalk '/topic ship it on friday' Enter
check_log 'irc.lantalk.#plans.weechatlog' 'bob has changed topic for #plans to "ship it on friday"' "bob's topic change (the owner, in lantalk) reaches weechat"

"${T[@]}" send-keys -t lantalk '/away at lunch' Enter
check_screen '[Aa]way' "lantalk marks bob away"
fifo_say 'irc.server.lantalk' '/msg bob are you there'
check_log 'irc.lantalk.bob.weechatlog' 'is away: at lunch|at lunch' "a private message to an away bob answers with his away text (301)"

fifo_say 'irc.server.lantalk' '/quit bye'
if wait_for 'alice@.* disconnected' 10 "$work/server.log"; then pass "weechat's QUIT ends its session on the server"; else fail "no disconnect logged for alice"; fi
if [ "$failures" -eq 0 ]; then echo "irc-weechat: all checks passed"; exit 0; fi
echo "irc-weechat: $failures check(s) failed"
exit 1

#!/usr/bin/env bash
# Discovery on real network stacks (issue 16). Builds a two-host LAN from two Linux network namespaces joined by a
# veth pair (not a bridge: bridges with multicast snooping can drop mDNS), then checks with the published binaries:
#   - the server announces itself and 'lantalk servers' in the other namespace finds it (text and --json);
#   - Debian's avahi, an independent implementation, sees and resolves our service (name, host, port, TXT), and our
#     browser sees a service announced by avahi-publish; a stopped server's goodbye clears avahi's cache;
#   - 'lantalk' with no address, on a terminal (tmux), finds the server, shows the announced fingerprint, and chats;
#     from a pipe, pin=auto alone is refused and the same chat works once the user passes --trust-announced; an
#     announcement never replaces a fingerprint the user already trusted;
#   - 'lantalk doctor' in every failure case: refused, dropped packets (iptables), wrong port, fingerprint changed,
#     plaintext/TLS mismatch, and a clean pass.
# Prints PASS/FAIL/SKIP lines. Needs root (namespaces); without it, or without iproute2, it prints SKIP and exits 0.
# Traffic stays inside the two namespaces; everything is removed on exit (trap).
set -uo pipefail
dist=$(cd "${1:?usage: discovery-test.sh DIST_DIR}" && pwd)
stage=discovery
failures=0
pass() { echo "PASS $stage: $*"; }
fail() { echo "FAIL $stage: $*"; failures=$((failures + 1)); }
skip() { echo "SKIP $stage: $*"; }

if [ "$(id -u)" -ne 0 ]; then skip "needs root to create network namespaces (run as root, as .ci/run does)"; exit 0; fi
for tool in ip unshare; do
  command -v "$tool" >/dev/null || { skip "'$tool' is missing (apt-get install iproute2 util-linux)"; exit 0; }
done
for bin in lantalk-server lantalk; do
  [ -x "$dist/$bin" ] || { fail "$dist/$bin is missing; run make publish-linux first"; exit 1; }
done

id=$$
A=ltdisc-a-$id; B=ltdisc-b-$id
VA=vlta$((id % 100000)); VB=vltb$((id % 100000))
ADDR_A=10.231.0.1; ADDR_B=10.231.0.2
work=$(mktemp -d /tmp/lantalk-discovery.XXXXXX)
server_pid=""; publish_pid=""; avahi_up=""

cleanup() {
  [ -n "$publish_pid" ] && kill "$publish_pid" 2>/dev/null
  [ -n "$server_pid" ] && kill -9 "$server_pid" 2>/dev/null
  tmux -S "$work/tmux.sock" kill-server 2>/dev/null
  if [ -n "$avahi_up" ]; then
    [ -f "$work/avahi/avahi.pid" ] && kill "$(cat "$work/avahi/avahi.pid")" 2>/dev/null
    [ -f "$work/avahi/dbus.pid" ] && kill "$(cat "$work/avahi/dbus.pid")" 2>/dev/null
  fi
  # Deleting a namespace removes its end of the veth pair, and with it the other end.
  ip netns del "$A" 2>/dev/null
  ip netns del "$B" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

# Waits up to $2 seconds for a regex in a file.
wait_for() { local i; for ((i = 0; i < $2 * 10; i++)); do grep -Eq "$1" "$3" 2>/dev/null && return 0; sleep 0.1; done; return 1; }

# --- the LAN ---------------------------------------------------------------------------------------------------
if ! ip netns add "$A" 2>"$work/netns.err"; then skip "cannot create a network namespace: $(cat "$work/netns.err")"; exit 0; fi
ip netns add "$B"
ip link add "$VA" type veth peer name "$VB"
ip link set "$VA" netns "$A"; ip link set "$VB" netns "$B"
ip -n "$A" addr add "$ADDR_A/24" dev "$VA"; ip -n "$B" addr add "$ADDR_B/24" dev "$VB"
for ns in "$A" "$B"; do ip -n "$ns" link set lo up; done
ip -n "$A" link set "$VA" up; ip -n "$B" link set "$VB" up
pass "two namespaces joined by a veth pair ($ADDR_A, $ADDR_B)"

mkdir -p "$work/data" "$work/homeB" "$work/homeC" "$work/homeA" "$work/homeFresh"
clean=(env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 TERM=xterm-256color)
settings() { printf '<Settings>\n  <PasswordIterations>1000</PasswordIterations>\n%s\n</Settings>\n' "${1:-}" >"$work/data/Settings.xml"; }
settings
printf 'pw-alice\n' | "${clean[@]}" HOME="$work/homeA" "$dist/lantalk-server" user add alice --password-stdin --data "$work/data" >/dev/null 2>&1

# The server gets its own host name (a UTS namespace), so it and avahi do not both claim one name.
start_server() {
  local log=$1; shift
  : >"$log"
  ip netns exec "$A" unshare --uts sh -c 'hostname lt-server && exec "$@"' sh \
    "${clean[@]}" HOME="$work/homeA" "$dist/lantalk-server" --data "$work/data" "$@" </dev/null >"$log" 2>&1 &
  server_pid=$!
  wait_for 'Discovery: announced|Discovery:.*not announced|error' 15 "$log"
}
stop_server() {
  [ -n "$server_pid" ] && kill -TERM "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  server_pid=""
}
inB() { local home=$1; shift; ip netns exec "$B" "${clean[@]}" HOME="$home" "$@"; }
inA() { local home=$1; shift; ip netns exec "$A" "${clean[@]}" HOME="$home" "$@"; }

start_server "$work/server1.log"
fp=$(grep -Eo 'fingerprint [0-9A-F:]{95}' "$work/server1.log" | head -1 | cut -d' ' -f2)
if grep -q 'Discovery: announced as "lt-server"' "$work/server1.log"; then pass "server probes and announces itself"; else fail "server did not announce: $(tail -5 "$work/server1.log")"; fi
if grep -q "Clients can connect to: lantalk $ADDR_A  (or lt-server.local)" "$work/server1.log"; then pass "server prints the address LAN clients can use"; else fail "no 'Clients can connect to' line: $(grep -i connect "$work/server1.log")"; fi

# --- lantalk servers ------------------------------------------------------------------------------------------
inB "$work/homeB" "$dist/lantalk" servers >"$work/servers.txt" 2>&1
if grep -q "lt-server  ->  lantalk $ADDR_A " "$work/servers.txt"; then pass "lantalk servers in the other namespace finds the server"; else fail "lantalk servers: $(cat "$work/servers.txt")"; fi
inB "$work/homeB" "$dist/lantalk" servers --json >"$work/servers.json" 2>&1
if python3 - "$work/servers.json" "$fp" "$ADDR_A" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
s = [x for x in doc["servers"] if x["name"] == "lt-server"]
assert s, doc
s = s[0]
assert s["connect"] == sys.argv[3] and s["port"] == 65534 and s["tls"] is True and s["protocol"] == 2, s
assert s["fingerprint"] == sys.argv[2] and s["host"] == "lt-server.local" and s["pinOnFirstUse"] is False, s
PY
then pass "lantalk servers --json: name, host, port, TLS, protocol and fingerprint"; else fail "lantalk servers --json: $(cat "$work/servers.json")"; fi

# --- avahi as an independent peer -----------------------------------------------------------------------------
if command -v avahi-daemon >/dev/null && command -v avahi-browse >/dev/null && command -v dbus-daemon >/dev/null; then
  mkdir -p "$work/avahi"
  cat >"$work/avahi/dbus.conf" <<EOF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN" "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>system</type>
  <listen>unix:path=$work/avahi/bus</listen>
  <auth>EXTERNAL</auth>
  <policy context="default"><allow user="*"/><allow own="*"/><allow send_destination="*"/><allow receive_sender="*"/></policy>
</busconfig>
EOF
  cat >"$work/avahi/avahi-daemon.conf" <<EOF
[server]
host-name=lt-avahi
use-ipv4=yes
use-ipv6=no
allow-interfaces=$VB
[wide-area]
enable-wide-area=no
[publish]
publish-workstation=no
publish-hinfo=no
EOF
  # A private system bus on its own socket (the host's bus, if any, is left alone) and a private /run inside the
  # namespace's own mount namespace for avahi's pid file. Everything in one shell that stays in namespace B.
  cat >"$work/avahi/session.sh" <<EOF
set -u
mount -t tmpfs tmpfs /run && mkdir -p /run/avahi-daemon || exit 90
export DBUS_SYSTEM_BUS_ADDRESS=unix:path=$work/avahi/bus
dbus-daemon --config-file=$work/avahi/dbus.conf --fork --print-pid >$work/avahi/dbus.pid || exit 91
avahi-daemon -f $work/avahi/avahi-daemon.conf --no-chroot --no-drop-root --no-rlimits >$work/avahi/daemon.log 2>&1 &
echo \$! >$work/avahi/avahi.pid
for i in \$(seq 1 50); do avahi-browse -apt >/dev/null 2>&1 && break; sleep 0.1; done
# Commands arrive on a FIFO, so they all run in this mount namespace with this bus.
while read -r cmd; do eval "\$cmd"; done <$work/avahi/cmd
EOF
  mkfifo "$work/avahi/cmd"
  ip netns exec "$B" sh "$work/avahi/session.sh" >"$work/avahi/session.log" 2>&1 &
  exec 8>"$work/avahi/cmd"
  avahi_up=1
  avahi() { echo "$1; echo DONE-$2 >>$work/avahi/done" >&8; wait_for "DONE-$2" "${3:-20}" "$work/avahi/done"; }

  avahi "avahi-browse -rpt _lantalk._tcp >$work/avahi/browse.txt 2>&1" browse
  line=$(grep '^=;' "$work/avahi/browse.txt" | grep ';lt-server;_lantalk._tcp;local;' | head -1)
  if [[ $line == *";lt-server.local;$ADDR_A;65534;"* && $line == *"\"fp=$fp\""* && $line == *'"tls=on"'* && $line == *'"proto=2"'* ]]; then
    pass "avahi-browse resolves our service: name, host, address, port, TXT"
  else
    fail "avahi-browse did not resolve lt-server: $(cat "$work/avahi/browse.txt" "$work/avahi/daemon.log" "$work/avahi/session.log" 2>/dev/null | tail -8)"
  fi

  avahi "avahi-publish -s 'Avahi Chat' _lantalk._tcp 7000 proto=2 tls=off >$work/avahi/publish.log 2>&1 & echo \$! >$work/avahi/publish.pid" publish
  wait_for 'Established' 10 "$work/avahi/publish.log"
  publish_pid=$(cat "$work/avahi/publish.pid")
  inA "$work/homeA" "$dist/lantalk" servers >"$work/servers-a.txt" 2>&1
  if grep -q "Avahi Chat  ->  lantalk $ADDR_B:7000   (lt-avahi.local, plaintext)" "$work/servers-a.txt"; then
    pass "our browser sees a service announced by avahi-publish"
  else
    fail "lantalk servers did not see avahi-publish's service: $(cat "$work/servers-a.txt" "$work/avahi/publish.log")"
  fi
  kill "$publish_pid" 2>/dev/null; publish_pid=""
else
  skip "avahi: avahi-daemon, avahi-utils or dbus missing (scripts/deps.sh installs them)"
fi

# --- Done means: 'lantalk' with no address, on a terminal -----------------------------------------------------
if command -v tmux >/dev/null; then
  T=(tmux -S "$work/tmux.sock")
  ip netns exec "$B" "${clean[@]}" HOME="$work/homeB" tmux -S "$work/tmux.sock" new-session -d -x 150 -y 40 "$dist/lantalk -u alice; sleep 30"
  screen() { "${T[@]}" capture-pane -p -J -S -100 >"$work/screen.txt" 2>/dev/null; }
  wait_screen() { local i; for ((i = 0; i < $2 * 10; i++)); do screen; grep -Eq "$1" "$work/screen.txt" && return 0; sleep 0.1; done; return 1; }
  # The order a user sees: the search, the trust question (connect and check first, as ssh does), then the password.
  if wait_screen 'Trust this server' 15 && grep -q "Found one: lt-server at $ADDR_A" "$work/screen.txt"; then
    pass "lantalk with no address finds the one server on the LAN and uses it"
    if grep -q 'The same fingerprint was announced on the LAN' "$work/screen.txt"; then
      pass "the trust question shows the fingerprint as announced on the LAN"
    else
      fail "trust question: $(tail -15 "$work/screen.txt")"
    fi
    "${T[@]}" send-keys y Enter
    if wait_screen 'Password for alice@' 10; then "${T[@]}" send-keys pw-alice Enter; else fail "no password prompt after trusting: $(tail -15 "$work/screen.txt")"; fi
    if wait_screen 'connected to' 10 && "${T[@]}" send-keys 'hello from the other namespace' Enter && wait_screen 'alice: hello from the other namespace' 10; then
      pass "chatting from the second namespace without typing an address"
    else
      fail "no chat after the trust question: $(tail -15 "$work/screen.txt")"
    fi
    "${T[@]}" send-keys /quit Enter
  else
    fail "lantalk with no address: $(tail -15 "$work/screen.txt")"
  fi
  if grep -q '<Server>lt-server.local</Server>' "$work/homeB/.config/LanTalk/Settings.xml" 2>/dev/null && grep -q '^lt-server.local' "$work/homeB/.config/LanTalk/known_servers"; then
    pass "a server found on the LAN is remembered, and trusted, by its .local name (not its address)"
  else
    fail "remembered server: $(cat "$work/homeB/.config/LanTalk/Settings.xml" "$work/homeB/.config/LanTalk/known_servers" 2>&1)"
  fi
  "${T[@]}" kill-server 2>/dev/null
else
  skip "terminal chat: tmux missing"
fi

# --- the server's address changes (a new DHCP lease): lantalk, remembering the name, follows it ----------------
ADDR_MOVED=10.231.0.3
ip -n "$A" addr del "$ADDR_A/24" dev "$VA"; ip -n "$A" addr add "$ADDR_MOVED/24" dev "$VA"
# The server re-reads its addresses at most every 10 s; wait (bounded) until the name resolves to the new one.
moved=""
for i in $(seq 1 25); do
  inB "$work/homeB" "$dist/lantalk" doctor lt-server.local >"$work/doctor-moved.txt" 2>&1
  grep -q "lt-server.local is $ADDR_MOVED" "$work/doctor-moved.txt" && { moved=1; break; }
  sleep 1
done
if [ -n "$moved" ] && printf 'pw-alice\nhello after the move\n' | inB "$work/homeB" "$dist/lantalk" -u alice --password-stdin >"$work/moved.txt" 2>&1 \
  && grep -q 'alice: hello after the move' "$work/moved.txt"; then
  pass "after the server's address changed, lantalk with no address reaches it at $ADDR_MOVED by its remembered name"
else
  fail "server moved (resolved: ${moved:-no}): $(cat "$work/doctor-moved.txt" "$work/moved.txt" 2>&1 | tail -15)"
fi
ip -n "$A" addr del "$ADDR_MOVED/24" dev "$VA"; ip -n "$A" addr add "$ADDR_A/24" dev "$VA"
for i in $(seq 1 25); do
  inB "$work/homeB" "$dist/lantalk" doctor lt-server.local >"$work/doctor-moved.txt" 2>&1
  grep -q "lt-server.local is $ADDR_A" "$work/doctor-moved.txt" && break
  sleep 1
done

# --- lantalk doctor -------------------------------------------------------------------------------------------
doctor() { local home=$1; shift; inB "$home" "$dist/lantalk" doctor "$@" >"$work/doctor.txt" 2>&1; echo $? >"$work/doctor.code"; }
check_doctor() { # $1 name, $2 expected exit, $3 regex expected in output
  local code; code=$(cat "$work/doctor.code")
  if [ "$code" = "$2" ] && grep -Eq "$3" "$work/doctor.txt"; then pass "doctor, $1: exit $code, '$3'"; else fail "doctor, $1: exit $code (want $2): $(cat "$work/doctor.txt")"; fi
}
printf 'pw-alice\n' | doctor "$work/homeB" --user alice --password-stdin
check_doctor "all fine (the remembered server)" 0 'ok +discovery +announced on the LAN as "lt-server"'
grep -Eq 'ok +login +logged in as alice' "$work/doctor.txt" && grep -Eq 'ok +tls +.*the one you trusted' "$work/doctor.txt" && pass "doctor logs in and matches the trusted fingerprint" || fail "doctor pass details: $(cat "$work/doctor.txt")"
doctor "$work/homeB" lt-server.local
check_doctor "a .local name" 0 "ok +name +lt-server.local is $ADDR_A \\(multicast DNS\\)"
# The client resolves NAME.local itself over multicast DNS, as doctor does: this namespace has no avahi or nss-mdns,
# and the name the server prints at start failed with "cannot find host" (an ops audit, 2026-12-05).
if printf 'pw-alice\n' | inB "$work/homeFresh" "$dist/lantalk" send --server lt-server.local --user alice --password-stdin --trust "$fp" "hello via .local" >"$work/send-local.txt" 2>&1; then
  pass "lantalk send --server lt-server.local: the client resolves the .local name itself (no avahi here)"
else
  fail "lantalk send --server lt-server.local: $(cat "$work/send-local.txt")"
fi
doctor "$work/homeB" "$ADDR_A" --json
python3 -c "import json,sys; d=json.load(open('$work/doctor.txt')); assert d['ok'] and [s['step'] for s in d['steps']][:3]==['name','connect','tls'], d" \
  && pass "doctor --json" || fail "doctor --json: $(cat "$work/doctor.txt")"

doctor "$work/homeB" "$ADDR_A:65000"
check_doctor "wrong port" 3 'FAIL +connect +connection refused .*nothing listens on port 65000'

ip netns exec "$A" iptables -A INPUT -p tcp --dport 65534 -j DROP
doctor "$work/homeB" "$ADDR_A"
check_doctor "packets dropped by a firewall" 3 'FAIL +connect +no answer .*firewall'
grep -q 'sudo ufw allow 65534/tcp' "$work/doctor.txt" && grep -q 'firewall-cmd --add-port=65534/tcp' "$work/doctor.txt" && grep -q 'New-NetFirewallRule' "$work/doctor.txt" \
  && pass "doctor gives the ufw, firewalld and Windows firewall commands" || fail "doctor firewall advice: $(cat "$work/doctor.txt")"
ip netns exec "$A" iptables -D INPUT -p tcp --dport 65534 -j DROP

doctor "$work/homeB" "$ADDR_A" --plaintext
check_doctor "plaintext client, TLS server" 3 'FAIL +hello +the server requires TLS'

stop_server
if [ -n "$avahi_up" ]; then
  # Without a goodbye avahi would keep the PTR cached for its 75-minute TTL. With one, RFC 6762 §10.1 has the
  # record expire one second later; allow a few seconds on a busy machine.
  gone=""
  for i in 1 2 3 4 5 6; do
    sleep 1
    avahi "avahi-browse -pt _lantalk._tcp >$work/avahi/after.txt 2>&1" "after$i"
    grep -q ';lt-server;' "$work/avahi/after.txt" || { gone=1; break; }
  done
  if [ -n "$gone" ] && grep -q 'Discovery: sent goodbye' "$work/server1.log"; then pass "goodbye on stop: avahi's cache dropped the service"
  else fail "avahi still lists lt-server after it stopped: $(grep -i discovery "$work/server1.log" | tail -3)"; fi
fi
doctor "$work/homeB" "$ADDR_A"
check_doctor "server stopped" 3 'FAIL +connect +connection refused'

start_server "$work/server2.log" --plaintext
doctor "$work/homeB" "$ADDR_A"
check_doctor "TLS client, plaintext server" 3 'FAIL +tls +.*WITHOUT TLS'
stop_server

# A new certificate, and the operator now asks clients to pin the announced fingerprint on first use (pin=auto).
rm -f "$work/data/server.crt" "$work/data/server.key"
settings '  <DiscoveryPinOnFirstUse>true</DiscoveryPinOnFirstUse>'
start_server "$work/server3.log"
fp2=$(grep -Eo 'fingerprint [0-9A-F:]{95}' "$work/server3.log" | head -1 | cut -d' ' -f2)
doctor "$work/homeB" lt-server.local
check_doctor "fingerprint changed" 3 "FAIL +tls +the server's certificate fingerprint CHANGED"

# homeB trusted the old fingerprint. Forget the remembered server (so lantalk browses) but keep known_servers:
# the announcement (with pin=auto, even with the user's --trust-announced) must not replace the trusted fingerprint.
rm -f "$work/homeB/.config/LanTalk/Settings.xml"
printf 'pw-alice\nshould not arrive\n' | inB "$work/homeB" "$dist/lantalk" -u alice --password-stdin --trust-announced >"$work/pinned.txt" 2>&1
code=$?
if [ $code -ne 0 ] && grep -q "IDENTITY HAS CHANGED" "$work/pinned.txt" && grep -q "$fp" "$work/homeB/.config/LanTalk/known_servers"; then
  pass "an announced fingerprint never replaces a trusted one"
else
  fail "announcement vs trusted fingerprint (exit $code): $(cat "$work/pinned.txt")"
fi

# A fresh user, from a pipe: pin=auto alone (anyone on the LAN can announce it) is no consent, so it is refused.
printf 'pw-alice\nshould not arrive\n' | inB "$work/homeC" "$dist/lantalk" -u alice --password-stdin >"$work/pipe0.txt" 2>&1
code=$?
if [ $code -ne 0 ] && grep -q -- "--trust-announced" "$work/pipe0.txt" && ! grep -qs "$fp2" "$work/homeC/.config/LanTalk/known_servers"; then
  pass "pin=auto without the user's --trust-announced is not trusted from a pipe"
else
  fail "pin=auto without --trust-announced (exit $code): $(cat "$work/pipe0.txt")"
fi

# With the user's consent: no address, no question, chatting.
printf 'pw-alice\nhello from a pipe\n' | inB "$work/homeC" "$dist/lantalk" -u alice --password-stdin --trust-announced >"$work/pipe.txt" 2>&1
code=$?
if [ $code -eq 0 ] && grep -q 'alice: hello from a pipe' "$work/pipe.txt" && grep -q "$fp2" "$work/homeC/.config/LanTalk/known_servers"; then
  pass "lantalk --trust-announced from a pipe with no address pins the announced fingerprint (pin=auto) and chats"
else
  fail "pipe chat with no address (exit $code): $(cat "$work/pipe.txt")"
fi
stop_server

if [ $failures -eq 0 ]; then echo "discovery: all passed"; else echo "discovery: $failures failed"; fi
[ $failures -eq 0 ]

# Sourced by the real-IRC-client stages (irc-irssi.sh, irc-weechat.sh): a published lantalk-server on loopback with
# its IRC gateway on, accounts alice and bob (passwords pw-alice-secret, pw-bob-secret), no TLS, no discovery.
# Needs $dist, $work, and the stage's fail() and wait_for(); sets server_pid, port and irc_port, and exits the
# stage when the server does not come up.
mkdir -p "$work/data"
cat >"$work/data/Settings.xml" <<XML
<Settings>
  <ListenAddress>127.0.0.1</ListenAddress>
  <Port>0</Port>
  <TlsMode>Off</TlsMode>
  <Discovery>Off</Discovery>
  <IrcPort>0</IrcPort>
  <PasswordIterations>1000</PasswordIterations>
</Settings>
XML
for u in alice bob; do
  printf 'pw-%s-secret\n' "$u" | "$dist/lantalk-server" user add "$u" --password-stdin --data "$work/data" >/dev/null 2>&1 \
    || { fail "user add $u"; exit 1; }
done
"$dist/lantalk-server" run --data "$work/data" </dev/null >"$work/server.log" 2>&1 &
server_pid=$!
if ! wait_for 'IRC gateway listening on' 15 "$work/server.log"; then fail "server did not start: $(tail -5 "$work/server.log")"; exit 1; fi
port=$(grep -Eo 'Listening on [^ ]*:[0-9]+' "$work/server.log" | head -1 | grep -Eo '[0-9]+$')
irc_port=$(grep -Eo 'IRC gateway listening on [^ ]*:[0-9]+' "$work/server.log" | head -1 | grep -Eo '[0-9]+$')

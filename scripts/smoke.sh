#!/usr/bin/env bash
# Copies each published binary ALONE into a fresh directory, with a clean HOME and no .NET on PATH, then:
# starts the server on built-in defaults, adds a user with the CLI, sends with `lantalk send`, checks that a
# second client received it, and stops the server with SIGTERM. Prints PASS/FAIL lines (counted by .ci/run).
set -uo pipefail
dist=$(cd "${1:?usage: smoke.sh DIST_DIR}" && pwd)
work=$(mktemp -d /tmp/lantalk-smoke.XXXXXX)
server_pid=""; reader_pid=""
cleanup() {
  [ -n "$reader_pid" ] && kill "$reader_pid" 2>/dev/null
  [ -n "$server_pid" ] && kill -9 "$server_pid" 2>/dev/null
  exec 7>&- 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
failures=0
pass() { echo "PASS smoke: $*"; }
fail() { echo "FAIL smoke: $*"; failures=$((failures + 1)); }
# Waits up to $2 seconds for a regex in a file.
wait_for() { local i; for ((i = 0; i < $2 * 10; i++)); do grep -Eq "$1" "$3" 2>/dev/null && return 0; sleep 0.1; done; return 1; }

mkdir -p "$work/server" "$work/alice" "$work/bob" "$work/home"
cp "$dist/lantalk-server" "$work/server/"
cp "$dist/lantalk" "$work/alice/"
cp "$dist/lantalk" "$work/bob/"
clean_env=(env -i HOME="$work/home" PATH=/usr/bin:/bin LANG=C.UTF-8 TERM=dumb)

# Nothing but the file itself: it must not need the SDK, a runtime or any file beside it.
if ldd "$work/server/lantalk-server" | grep -qi dotnet; then fail "server binary links a .NET runtime"; else pass "server binary is self-contained"; fi

cd "$work/server"
printf 'secret-pw\n' | "${clean_env[@]}" ./lantalk-server user add alice --password-stdin >"$work/useradd.log" 2>&1 \
  && printf 'secret-pw\n' | "${clean_env[@]}" ./lantalk-server user add bob --password-stdin >>"$work/useradd.log" 2>&1 \
  && pass "user add via CLI" || { fail "user add via CLI: $(cat "$work/useradd.log")"; exit 1; }

"${clean_env[@]}" ./lantalk-server --listen 127.0.0.1 --port 0 </dev/null >"$work/server.log" 2>&1 &
server_pid=$!
if wait_for 'Listening on' 10 "$work/server.log"; then pass "server starts on built-in defaults"; else fail "server did not start: $(cat "$work/server.log")"; exit 1; fi
port=$(grep -Eo 'Listening on [^ ]*:[0-9]+' "$work/server.log" | head -1 | grep -Eo '[0-9]+$')
fingerprint=$(grep -Eo 'SHA-256 fingerprint[^0-9A-Fa-f]*[0-9A-Fa-f:]{64,}' "$work/server.log" | grep -Eo '[0-9A-Fa-f:]{64,}' | head -1 || true)
trust=(); [ -n "$fingerprint" ] && trust=(--trust "$fingerprint")

# Bob listens: stdin is a pipe we hold open, so the client runs in its line mode and prints what it receives.
mkfifo "$work/bob.in"
(cd "$work/bob" && "${clean_env[@]}" ./lantalk --server "127.0.0.1:$port" --user bob --password-stdin "${trust[@]}" <"$work/bob.in" >"$work/bob.out" 2>&1) &
reader_pid=$!
exec 7>"$work/bob.in"
printf 'secret-pw\n' >&7
if wait_for 'bob' 10 "$work/bob.out" && wait_for 'bob@[^ ]* logged in' 10 "$work/server.log"; then pass "second client logs in"; else fail "bob did not log in: $(cat "$work/bob.out")"; fi

cd "$work/alice"
if printf 'secret-pw\n' | "${clean_env[@]}" ./lantalk send --server "127.0.0.1:$port" --user alice --password-stdin "${trust[@]}" "hello from the smoke test" >"$work/send.log" 2>&1; then
  pass "lantalk send exits 0 after the server confirms"
else
  fail "lantalk send: $(cat "$work/send.log")"
fi
if wait_for 'hello from the smoke test' 10 "$work/bob.out"; then pass "the second client received the message"; else fail "bob never saw the message: $(cat "$work/bob.out")"; fi

kill -TERM "$server_pid"
for ((i = 0; i < 30; i++)); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$server_pid" 2>/dev/null; then fail "server still running 3 s after SIGTERM"; else
  wait "$server_pid"; code=$?; server_pid=""
  [ $code -eq 0 ] && pass "server stops cleanly on SIGTERM" || fail "server exit code $code after SIGTERM"
fi
if grep -q '   at ' "$work/server.log"; then fail "stack trace in server output"; fi
ls "$work/server"
exit $((failures > 0))

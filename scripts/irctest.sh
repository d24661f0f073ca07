#!/usr/bin/env bash
# Runs irctest's selected modules against lantalk-server's IRC gateway (issue 17).
#   scripts/irctest.sh SERVER_BINARY IRCTEST_DIR "MODULES"
# irctest stays in its pinned, read-only folder: our controller module is put on PYTHONPATH, and nothing is cached
# or written there. Debian's interpreter (/usr/bin/python3) has python3-pytest 7.2, which this irctest commit needs.
set -euo pipefail
server=$(realpath "$1")
irctest=$(realpath -m "$2")
modules=$3
here=$(cd "$(dirname "$0")" && pwd)

[ -x "$server" ] || { echo "FAIL irctest: no server binary at $server (run make publish-linux)"; exit 1; }
[ -d "$irctest/irctest" ] || { echo "FAIL irctest: irctest not found at $irctest (set IRCTEST_DIR; from the repo root it is ../shared/vendor/irctest)"; exit 1; }
/usr/bin/python3 -c 'import pytest' 2>/dev/null || { echo "FAIL irctest: /usr/bin/python3 has no pytest (apt-get install python3-pytest)"; exit 1; }

files=()
for m in $modules; do
  files+=("irctest/server_tests/$m.py")
done

cd "$irctest"
# -p no:cacheprovider and PYTHONDONTWRITEBYTECODE: the vendor folder is read-only in CI.
# Bounded: each test starts its own server; the whole selection is killed after 6 minutes at most.
set +e
LANTALK_SERVER="$server" PYTHONPATH="$here/irctest:$irctest" PYTHONDONTWRITEBYTECODE=1 \
  timeout 360 /usr/bin/python3 -m pytest -p no:cacheprovider -q -rfE --tb=line \
  --controller lantalk_controller "${files[@]}" 2>&1 | tee /tmp/irctest-$$.out | sed 's/^/  /'
rc=${PIPESTATUS[0]}
set -e
summary=$(grep -E '^=+ .*(passed|failed).* =+$|^[0-9]+ (passed|failed)' /tmp/irctest-$$.out | tail -1)
rm -f /tmp/irctest-$$.out
echo "irctest score: ${summary:-no summary (rc $rc)}"
# Failures are recorded as known deviations in README; the target fails only when pytest itself could not run.
if [ "$rc" -ne 0 ] && [ "$rc" -ne 1 ]; then
  echo "FAIL irctest: pytest exited with $rc"
  exit "$rc"
fi
# A floor under the score, so a regression in the gateway fails the stage although single failures are known
# deviations. Some known failures depend on timing (see README), so the floor sits a little under the recorded score.
passed=$(grep -oE '[0-9]+ passed' <<<"$summary" | grep -oE '[0-9]+' || echo 0)
if [ "$passed" -lt "${IRCTEST_MIN_PASSED:-108}" ]; then
  echo "FAIL irctest: $passed passed, below the floor of ${IRCTEST_MIN_PASSED:-108} (README records the score and each known failure)"
  exit 1
fi
echo "PASS irctest: the selection ran, $passed passed (floor ${IRCTEST_MIN_PASSED:-108})"

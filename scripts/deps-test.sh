#!/usr/bin/env bash
# Shows issue 18's promise: on a machine without clang, a normal user's `make test` names the missing package
# in one `sudo apt-get install` line and stops before anything is built. Runs `make test` for real, with a PATH
# that holds everything this machine has except clang, as an unprivileged user (nobody) when run as root.
# Prints PASS/FAIL lines (counted by .ci/run).
set -uo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d /tmp/lantalk-deps-test.XXXXXX)
chmod 755 "$work"
trap 'rm -rf "$work"' EXIT

# A PATH without clang: links to every command in the usual directories but clang's.
mkdir "$work/bin"
for dir in /usr/local/bin /usr/bin /bin; do
  for cmd in "$dir"/*; do
    name=$(basename "$cmd")
    case $name in clang|clang-*|clang++*) continue ;; esac
    [ -e "$work/bin/$name" ] || ln -s "$cmd" "$work/bin/$name"
  done
done
dotnet_path=$(command -v dotnet || true)
[ -n "$dotnet_path" ] && ln -sf "$dotnet_path" "$work/bin/dotnet"

run_as=()
if [ "$(id -u)" -eq 0 ]; then
  run_as=(setpriv --reuid=65534 --regid=65534 --clear-groups)
fi
# A copy of the Makefile and scripts, so the unprivileged user can run make without touching the checkout.
mkdir "$work/repo"
cp -r "$repo/Makefile" "$repo/scripts" "$work/repo/"
chmod -R a+rX "$work"

"${run_as[@]}" env -i HOME="$work" PATH="$work/bin" LANG=C.UTF-8 make -C "$work/repo" test >"$work/out.txt" 2>&1
status=$?
cat "$work/out.txt" | sed 's/^/  | /'

fails=0
if [ $status -ne 0 ]; then echo "PASS deps: make test stops (exit $status) when clang is missing"; else echo "FAIL deps: make test passed without clang"; fails=1; fi
if grep -Eq '^ *sudo apt-get install .*\bclang\b' "$work/out.txt"; then
  echo "PASS deps: the missing package is named in one 'sudo apt-get install' line"
else
  echo "FAIL deps: no 'sudo apt-get install ... clang' line"; fails=1
fi
if grep -Eq 'dotnet (build|test|publish|run)' "$work/out.txt" || [ -d "$work/repo/artifacts" ]; then
  echo "FAIL deps: something was built before the dependency check failed"; fails=1
else
  echo "PASS deps: nothing was built before the dependency check"
fi
exit $fails

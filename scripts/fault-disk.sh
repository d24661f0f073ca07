#!/usr/bin/env bash
# A real full disk: mounts a 4 MiB tmpfs and runs the FaultDisk tests in it, then unmounts.
#  - DiskFullTests: the history store fills it up; appends are refused with StorageUnavailable, nothing refused was
#    acknowledged, and writing resumes by itself once space is freed.
#  - CrashedStoreOnFullDiskTests: a store left by a kill -9 does not open on a full disk (the start waits for space).
#  - LogDiskFullTests: the server's log file target fills it up; a line the full disk cut short is not glued to the
#    next line, so every line of the log file still parses.
# Needs root for mount: prints SKIP otherwise. PASS/FAIL/SKIP lines are counted by .ci/run.
set -uo pipefail
cd "$(dirname "$0")/.."
if [ "$(id -u)" -ne 0 ]; then
  echo "SKIP fault-disk: mounting a tmpfs needs root"
  exit 0
fi
mnt=$(mktemp -d /tmp/lantalk-fault-disk.XXXXXX)
if ! mount -t tmpfs -o size=4m,mode=0700 tmpfs "$mnt" 2>/tmp/lantalk-fault-disk-mount.log; then
  echo "SKIP fault-disk: cannot mount a tmpfs here: $(cat /tmp/lantalk-fault-disk-mount.log)"
  rmdir "$mnt"
  exit 0
fi
trap 'umount "$mnt"; rmdir "$mnt"' EXIT
log=/tmp/lantalk-fault-disk.log
# Normal console verbosity prints one "Passed NAME" / "Failed NAME" line per test.
LANTALK_FAULT_DIR="$mnt" dotnet test tests/LanTalk.Server.Tests/LanTalk.Server.Tests.csproj --nologo \
  --filter "TestCategory=FaultDisk" --logger "console;verbosity=normal" >"$log" 2>&1
failed=0
# check TEST DESCRIPTION: one PASS or FAIL line for a test of the run.
check() {
  if grep -Eq "^\s*Passed $1( |$)" "$log"; then
    echo "PASS fault-disk: $2"
  else
    echo "FAIL fault-disk: $1: $(grep -A3 -E "Failed $1|error" "$log" | grep -E 'Failed|Error Message|Expected|error' | head -4 | cut -c1-400)"
    failed=1
  fi
}
check On_a_full_disk_nothing_unstored_is_acknowledged_and_writing_resumes_when_space_returns \
  "a full disk refuses appends with StorageUnavailable, acknowledges nothing unstored, and writing resumes by itself"
check A_store_left_by_a_crash_does_not_open_on_a_full_disk \
  "a store left by a kill -9 does not open on a full disk, so the server waits for space before it listens"
check A_line_cut_short_by_a_full_disk_is_never_glued_to_the_next_one \
  "a log line a full disk cut short is not glued to the next one: every line of the log file parses"
exit $failed

#!/usr/bin/env bash
# A real full disk under the history store: mounts a 4 MiB tmpfs, runs DiskFullTests in it (fill it up, check
# that appends are refused with StorageUnavailable and nothing refused was acknowledged, free space, check that
# writing resumes by itself), unmounts. Needs root for mount: prints SKIP otherwise. PASS/FAIL/SKIP lines are
# counted by .ci/run.
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
if LANTALK_FAULT_DIR="$mnt" dotnet test tests/LanTalk.Server.Tests/LanTalk.Server.Tests.csproj --nologo \
    --filter "TestCategory=FaultDisk" 2>&1 | tee /tmp/lantalk-fault-disk.log | grep -Eq 'Passed!.*Passed: +1,'; then
  echo "PASS fault-disk: a full disk refuses appends with StorageUnavailable, acknowledges nothing unstored, and writing resumes by itself"
else
  echo "FAIL fault-disk: $(grep -E 'Failed|Error Message|Expected' /tmp/lantalk-fault-disk.log | head -5)"
  exit 1
fi

#!/bin/bash
# bench-ab.sh BASE_SERVER NEW_SERVER HARNESS OUT [RUNS]: every BENCHMARKS.md scenario against an older server
# (BASE), a newer one (NEW) and the newer one with the history store off, interleaved per scenario so all three
# share each stretch of the window; medians per variant with scripts/bench-median.py. A base without rooms skips
# rooms and sessions (set BASE_HAS_ROOMS=1 to run them). Used for issue 12's "no scenario worse by > 10 %" check.
set -u
base=$1 new=$2 harness=$3 out=$4 runs=${5:-3}
scenarios=${SCENARIOS:-design-32 burst-32 crowd slow-consumer private churn server-full rooms sessions capacity}
mkdir -p "$out"/{base,new,off}
for i in $(seq 1 "$runs"); do
  for s in $scenarios; do
    for v in base new off; do
      case $v in
        base) srv=$base; extra=() ;;
        new) srv=$new; extra=() ;;
        off) srv=$new; extra=(--set History=false) ;;
      esac
      if [ "$v" = base ] && [ "${BASE_HAS_ROOMS:-0}" != 1 ] && { [ "$s" = rooms ] || [ "$s" = sessions ]; }; then continue; fi
      echo "$(date +%T) run $i $s $v"
      timeout 900 "$harness" load --spawn "$srv" --scenario "$s" "${extra[@]}" --no-progress --json "$out/$v/$s-$i.json" >"$out/$v/$s-$i.log" 2>&1
      tail -2 "$out/$v/$s-$i.log" | head -1
    done
  done
done
here=$(dirname "$0")
for v in base new off; do echo "== $v"; python3 "$here/bench-median.py" "$out/$v"/*.json; done | tee "$out/median.txt"

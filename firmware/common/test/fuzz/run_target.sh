#!/usr/bin/env bash
# Fuzzes one target for a bounded time: run_target.sh BUILD TARGET SECONDS [libFuzzer flags...]
# Starts from the committed corpus (corpus/TARGET, read only) and what earlier runs found
# (BUILD/corpus/TARGET, where new inputs go). SECONDS 0 replays the corpus only. Prints one
# summary line; on a crash, libFuzzer's report and where the input was saved, and exits 1.
set -uo pipefail
build=$1 target=$2 seconds=$3
shift 3
bin=$build/fuzz_$target
log=$build/logs/$target.log
mkdir -p "$build/corpus/$target" "$build/artifacts/$target" "$build/logs" "corpus/$target"
if [[ $seconds == 0 ]]; then
  limit=(-runs=0)
else
  limit=(-max_total_time="$seconds")
fi
start=$SECONDS
"$bin" "${limit[@]}" "$@" -artifact_prefix="$build/artifacts/$target/" \
  "$build/corpus/$target" "corpus/$target" >"$log" 2>&1
rc=$?
if [[ $rc -ne 0 ]]; then
  tail -60 "$log"
  echo "fuzz $target: FAILED after $((SECONDS - start)) s (exit $rc); input saved in $build/artifacts/$target/;" \
       "replay: $bin $build/artifacts/$target/<file>; full log: $PWD/$log" >&2
  exit 1
fi
# libFuzzer's last status line (#runs ... cov: N ft: N corp: N/size ...) and its final stats.
last=$(grep -E '^#[0-9]+' "$log" | tail -1)
runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
corp=$(sed -n 's/.* corp: \([0-9]*\).*/\1/p' <<<"$last")
echo "fuzz $target: ok, $((SECONDS - start)) s, ${runs:-0} executions, cov ${cov:-?} ft ${ft:-?}, corpus ${corp:-?} inputs"

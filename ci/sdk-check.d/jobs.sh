# Compile jobs: each compile is written down first (a script beside its log, so that one compile
# can be repeated by hand: bash $W/jobs/<column>/<name>.sh), listed in $CELLS (then gathered
# into $W/cells.tsv) with the table cell it belongs to, and run later, in parallel. Sourced by
# ci/sdk-check; uses W, CELLS.

# job PHASE COLUMN ROW NAME EXPECT -- COMMAND...
#   PHASE   ctrl (the SDK's own code: must compile) or ours (the project: must be clean)
#   COLUMN  the SDK column id; ROW "section|row label"; NAME unique within the column
#   EXPECT  "-", or "napt-error:FILE": the only acceptable error is a #error about NAPT in FILE,
#           or "core-error:FILE|FILE...": the only acceptable error is the library's #error about
#           the ESP8266 core version, in one of these files (its public headers)
job() {
  local phase=$1 col=$2 row=$3 name=$4 expect=$5; shift 6
  local script=$W/jobs/$col/$name.sh log=$W/logs/$col/$name.log
  [[ -d ${script%/*} && -d ${log%/*} && -d $W/obj/$col ]] || mkdir -p "${script%/*}" "${log%/*}" "$W/obj/$col"
  {
    echo '#!/bin/bash'
    echo "# sdk-check: ${row#*|} [$col]"
    printf '%q ' "$@"; printf '>%q 2>&1\n' "$log"
    printf 'echo $? >%q\n' "$log.rc"
  } > "$script"
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$phase" "$col" "$row" "$expect" "$script" "$log" >> "$CELLS"
}

# run_jobs PHASE : runs every job of PHASE, $JOBS at a time.
run_jobs() {
  local n
  n=$(awk -F'\t' -v p="$1" '$1 == p' "$W/cells.tsv" | wc -l)
  echo "sdk-check: compiling $n files ($1, $JOBS at a time; ${SECONDS}s so far)" >&2
  awk -F'\t' -v p="$1" '$1 == p { print $5 }' "$W/cells.tsv" | xargs -r -d '\n' -P "$JOBS" -n 1 bash
}

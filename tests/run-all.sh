#!/usr/bin/env bash
# run-all.sh BUILD_DIR -- run every test group of inro against one build.
#
#   make test        ->  tests/run-all.sh build
#   make test-asan   ->  tests/run-all.sh build/asan
#
# Each group is a function step_NAME listed in STEPS.  A step prints its
# own report and adds its counts with `tally PASSED FAILED [SKIPPED]`; a
# program that ends with its own "N passed, M failed" line can simply be
# run with `run_counted NAME COMMAND...`.  A step that cannot run at all
# (missing binary, missing test data) is a failure, never a skip.  The last
# line is "N passed, M failed" and the exit status is 1 if anything failed.
#
# The spec suite lives in ../shared/spectest beside the repository; only the
# non-SIMD scripts are run (inro_value cannot carry v128).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$here")
if [[ $# -ne 1 ]]; then
  echo "usage: tests/run-all.sh BUILD_DIR" >&2
  exit 2
fi
build=$1
[[ $build == /* ]] || build=$PWD/$build
spectest=$root/../shared/spectest
jobs=2             # the CI machine has 2 cores
limit=900          # seconds for one spec script or the fuzz run (no hangs)

STEPS=(spec fuzz probes snapshots)

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

passed=0 failed=0 skipped=0
tally() {
  passed=$((passed + $1))
  failed=$((failed + $2))
  skipped=$((skipped + ${3:-0}))
}
broken() {
  echo "run-all: FAIL: $*" >&2
  tally 0 1
}

# The interesting part of a crashed run's output: the sanitizer's first
# report, or else the end of the output.
excerpt() {
  local pat='ERROR: [A-Za-z]*Sanitizer|runtime error:|^SUMMARY:'
  if [[ ! -s $1 ]]; then
    echo "(no output)"
  elif grep -Eq "$pat" "$1"; then
    grep -E -m1 -A10 "$pat" "$1"
  else
    tail -n 10 "$1"
  fi | sed 's/^/    /'
}

# The non-SIMD spec scripts, one per line, sorted.
spec_scripts() {
  find "$spectest/json" -name '*.json' ! -name 'simd_*' | LC_ALL=C sort
}

have_spectest() {
  if [[ ! -d $spectest/json ]]; then
    broken "spec suite not found at $spectest (expected ../shared/spectest)"
    return 1
  fi
}

# Run `inro spec --verbose` on each script, $jobs at a time, one output file
# per script so parallel output never interleaves; then report in order.
step_spec() {
  local inro=$build/inro
  [[ -x $inro ]] || { broken "$inro is not built"; return 0; }
  have_spectest || return 0
  local -a files
  mapfile -t files < <(spec_scripts)
  if ((${#files[@]} == 0)); then
    broken "no spec scripts in $spectest/json"
    return 0
  fi
  mkdir -p "$tmp/spec"
  # A missing .rc file (the worker died) shows up below as a failure.
  printf '%s\0' "${files[@]}" |
    INRO=$inro OUT=$tmp/spec LIMIT=$limit xargs -0 -n1 -P"$jobs" bash -c '
      name=$(basename "$1" .json)
      rc=0
      timeout "$LIMIT" "$INRO" spec --verbose "$1" >"$OUT/$name.out" 2>&1 ||
        rc=$?
      echo "$rc" >"$OUT/$name.rc"' _ || true
  local f name out rc p=0 fl=0 s=0 sp=0 sf=0 ss=0
  local re='^([0-9]+) passed, ([0-9]+) failed, ([0-9]+) skipped$'
  for f in "${files[@]}"; do
    name=$(basename "$f" .json)
    out=$tmp/spec/$name.out
    rc=$(cat "$tmp/spec/$name.rc" 2>/dev/null || echo 255)
    if [[ $(tail -n1 "$out" 2>/dev/null) =~ $re ]]; then
      p=${BASH_REMATCH[1]} fl=${BASH_REMATCH[2]} s=${BASH_REMATCH[3]}
      grep -m1 "^$name.json: [0-9]* passed" "$out" || true
      grep -m5 "^$name.json:[0-9]" "$out" | sed 's/^/    /' || true
      if ((rc != (fl > 0 ? 1 : 0))); then
        echo "    $name.json: exit status $rc (crash, timeout or sanitizer):"
        excerpt "$out"
        fl=$((fl + 1))
      fi
    else
      echo "$name.json: no summary, exit status $rc (crash or timeout):"
      excerpt "$out"
      p=0 fl=1 s=0
    fi
    sp=$((sp + p)) sf=$((sf + fl)) ss=$((ss + s))
  done
  echo "spec: $sp passed, $sf failed, $ss skipped (${#files[@]} scripts)"
  tally "$sp" "$sf" "$ss"
}

# Run a test program whose last line is "N passed, M failed", show its
# output (up to 60 lines) and tally it.  A run without that line (crash,
# timeout) or whose exit status disagrees with it is one more failure.
run_counted() {
  local name=$1 rc=0 out=$tmp/$1.out
  shift
  timeout "$limit" "$@" >"$out" 2>&1 || rc=$?
  local re='^([0-9]+) passed, ([0-9]+) failed'
  if [[ $(tail -n1 "$out") =~ $re ]]; then
    local p=${BASH_REMATCH[1]} fl=${BASH_REMATCH[2]}
    sed '$d' "$out" | head -n 60 | sed 's/^/    /'
    if ((rc != 0 && fl == 0)) || ((rc == 0 && fl > 0)); then
      echo "    $name: exit status $rc disagrees with its counts:"
      excerpt "$out"
      fl=$((fl + 1))
    fi
    echo "$name: $p passed, $fl failed"
    tally "$p" "$fl"
  else
    excerpt "$out"
    broken "$name crashed or timed out (exit status $rc)"
  fi
}

# Truncate and mutate every valid module of the spec scripts (each module
# is one test).
step_fuzz() {
  local bin=$build/tests/fuzz_modules
  [[ -x $bin ]] || { broken "$bin is not built"; return 0; }
  have_spectest || return 0
  local -a files
  mapfile -t files < <(spec_scripts)
  run_counted fuzz "$bin" "${files[@]}"
}

# The probe API against figures known by construction.
step_probes() {
  local bin=$build/tests/probe_test
  [[ -x $bin ]] || { broken "$bin is not built"; return 0; }
  run_counted probes "$bin" "$build/tests/wat/probes.wasm"
}

# Checkpoint at many positions, restore, compare; corrupted snapshots.
step_snapshots() {
  local bin=$build/tests/snapshot_test
  [[ -x $bin ]] || { broken "$bin is not built"; return 0; }
  run_counted snapshots "$bin" "$build/tests/wat/snap.wasm"
}

for step in "${STEPS[@]}"; do
  echo "== $step"
  "step_$step"
done
echo "== total ($skipped skipped)"
echo "$passed passed, $failed failed"
((failed == 0))

#!/usr/bin/env bash
# run-all.sh [--quick | --steps "NAME..."] BUILD_DIR -- run the test groups
# of inro against one build.
#
#   make test        ->  tests/run-all.sh build
#   make test-asan   ->  tests/run-all.sh build/asan
#   make check       ->  tests/run-all.sh --quick build: native only, the
#                        spec suite, the unit tests and the guests
#
# Each group is a function step_NAME listed in STEPS.  A step prints its
# own report and adds its counts with `tally PASSED FAILED [SKIPPED]`; a
# program that ends with its own "N passed, M failed" line can simply be
# run with `run_counted NAME COMMAND...`.  A step that cannot run at all
# (missing binary, missing test data) is a failure, never a skip.  The last
# line is "N passed, M failed" and the exit status is 1 if anything failed.
#
# The spec suite (WebAssembly 3.0) lives in ../shared/spectest3 beside the
# repository; every script runs, those of its sub-folders too (steps
# spec3, spec3_node and spec3_self).  A command that needs what inro does
# not support (GC: its module fails to load as unsupported) counts as
# unsupported, not failed, and each script with such commands is listed as
# "not supported" in the report.  The 2.0 suite (../shared/spectest) runs
# too, natively (step spec): the few assertions of it that 3.0 reverses
# (two memories are valid, memory limits are u64, ...) are listed by
# script and line in tests/spec2_superseded.txt and reported as
# "superseded by 3.0"; every other one counts.
#
# Self-hosting (docs/self-hosting.md): build/inro.wasm does not depend on
# BUILD_DIR, so its steps run only for the primary build dir (build, i.e.
# `make test`) and not again for `make test-asan`.  They run the spec suite
# and the guests with inro.wasm on node (tools/inro-node.mjs) and hosted by
# native inro (tools/inro-self.sh), each counted on its own.
#
# Snapshots across builds (step snapshot_compat, primary build dir only):
# an older commit of this repository is built once into build/compat (it
# must be in the clone: a shallow clone fails this step) and it and this
# build restore each other's snapshots (tests/snapshot_compat.sh).
set -euo pipefail

# Physical paths (pwd -P) throughout: inro.wasm hosted by inro follows no
# symlink with an absolute target, as in wasmtime (docs/self-hosting.md).
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
root=$(dirname "$here")
usage() {
  echo 'usage: tests/run-all.sh [--quick | --steps "NAME..."] BUILD_DIR' >&2
  exit 2
}
only=
quick=0            # make check: native only, nothing that needs inro.wasm
case ${1:-} in
  --quick) only="spec spec3 fuzz numeric simd probes snapshots streams wasi_snapshots api guests fused_traps"
           quick=1; shift ;;
  --steps) [[ $# -ge 2 ]] || usage; only=$2; shift 2 ;;
esac
[[ $# -eq 1 ]] || usage
build=$1
[[ $build == /* ]] || build=$PWD/$build
[[ -d $build ]] && build=$(cd "$build" && pwd -P)
spectest=$root/../shared/spectest3
[[ -d $spectest ]] && spectest=$(cd "$spectest" && pwd -P)
spectest2=$root/../shared/spectest
[[ -d $spectest2 ]] && spectest2=$(cd "$spectest2" && pwd -P)
jobs=2             # the CI machine has 2 cores
limit=900          # seconds for one spec script or the fuzz run (no hangs)

STEPS=(spec spec3 fuzz difffuzz numeric simd forms ir_dump probes slices snapshots
       streams wasi_snapshots api embed guests debug monitors checkpoint triggers
       migrate fused_traps)
if [[ $build == "$root/build" ]]; then
  STEPS+=(ir_coverage spec3_node spec3_self guests_node guests_self
          self_node numeric_wasm portable snapshot_compat hermetic hosts browser)
fi
[[ -z $only ]] || read -r -a STEPS <<<"$only"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Sanitizer builds report leaks too (LeakSanitizer, as an exit status of
# 23 that the steps count as a failure), whatever the environment says.
export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=1

passed=0 failed=0 skipped=0 unsupported=0 superseded=0
tally() {
  passed=$((passed + $1))
  failed=$((failed + $2))
  skipped=$((skipped + ${3:-0}))
  unsupported=$((unsupported + ${4:-0}))
  superseded=$((superseded + ${5:-0}))
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

# The spec scripts of the suite in $SPEC_DIR (default: the 3.0 one), one
# per line, sorted; only those named in $SPEC_ONLY (script names without
# .json, space-separated) if it is set.
spec_scripts() {
  find "${SPEC_DIR:-$spectest}/json" -name '*.json' | LC_ALL=C sort |
    if [[ -n ${SPEC_ONLY:-} ]]; then
      grep -E "/($(tr ' ' '|' <<<"$SPEC_ONLY"))\.json$"
    else
      cat
    fi
}

# A script's name for reports: its path below json/ without the folder of
# its own name ("legacy/throw", "throw").
spec_name() {
  local rel=${1#"${SPEC_DIR:-$spectest}/json/"}
  rel=${rel%.json}
  echo "${rel%/*}"
}

have_spectest() {
  local dir=${SPEC_DIR:-$spectest}
  if [[ ! -d $dir/json ]]; then
    broken "spec suite not found at $dir (expected ../shared/spectest3 and ../shared/spectest)"
    return 1
  fi
}

# The failing lines of script NAME listed in $SUPERSEDED, given the
# failing lines (one per line on stdin): "LINE REASON" each; and, on fd 3,
# the listed lines that did not fail.
superseded_lines() {
  awk -v name="$1" -v list="$SUPERSEDED" '
    BEGIN {
      while ((getline l < list) > 0)
        if (l !~ /^#/ && split(l, f, " ") >= 2 && f[1] == name) {
          listed[f[2]] = l
          sub(/^[^ ]+ +[0-9]+ +/, "", listed[f[2]])
        }
    }
    { failing[$1] = 1; if ($1 in listed) print $1, listed[$1] }
    END { for (k in listed) if (!(k in failing)) print k > "/dev/fd/3" }'
}

# run_spec LABEL COMMAND...: run `COMMAND spec --verbose SCRIPT` on each
# script, $jobs at a time, one output file per script so parallel output
# never interleaves; then report in order and tally as LABEL.
run_spec() {
  local label=$1
  shift
  have_spectest || return 0
  local -a files
  mapfile -t files < <(spec_scripts)
  if ((${#files[@]} == 0)); then
    broken "no spec scripts in $spectest/json"
    return 0
  fi
  mkdir -p "$tmp/$label"
  # xargs appends the script to COMMAND; a missing .rc file (the worker
  # died) shows up below as a failure.
  printf '%s\0' "${files[@]}" |
    OUT=$tmp/$label LIMIT=$limit JSON=${SPEC_DIR:-$spectest}/json/ xargs -0 -n1 -P"$jobs" bash -c '
      script=${!#}
      set -- "${@:1:$#-1}"
      name=${script#"$JSON"}
      name=${name%/*}
      name=${name//\//__}
      rc=0
      timeout "$LIMIT" "$@" spec --verbose "$script" >"$OUT/$name.out" 2>&1 ||
        rc=$?
      echo "$rc" >"$OUT/$name.rc"' _ "$@" || true
  local f name file out rc p=0 fl=0 s=0 u=0 sp=0 sf=0 ss=0 su=0 sup=0 n
  local re='^([0-9]+) passed, ([0-9]+) failed, ([0-9]+) skipped, ([0-9]+) unsupported$'
  local -a unsup=() lines stale
  for f in "${files[@]}"; do
    name=$(spec_name "$f")
    file=$(basename "$f")
    out=$tmp/$label/${name//\//__}.out
    rc=$(cat "$tmp/$label/${name//\//__}.rc" 2>/dev/null || echo 255)
    if [[ $(tail -n1 "$out" 2>/dev/null) =~ $re ]]; then
      p=${BASH_REMATCH[1]} fl=${BASH_REMATCH[2]} s=${BASH_REMATCH[3]} u=${BASH_REMATCH[4]}
      lines=() stale=()
      if [[ -n ${SUPERSEDED:-} ]]; then
        mapfile -t lines < <(grep -o "^$file:[0-9]*" "$out" | cut -d: -f2 |
                               superseded_lines "$name" 3>"$tmp/stale")
        mapfile -t stale <"$tmp/stale"
      fi
      grep -m1 "^$file: [0-9]* passed" "$out" | sed "s|^$file|$name|" |
        if ((${#lines[@]})); then sed "s|\$| (${#lines[@]} of the failed superseded by 3.0)|"; else cat; fi || true
      if ((rc != (fl > 0 ? 1 : 0))); then
        echo "    $name: exit status $rc (crash, timeout or sanitizer):"
        excerpt "$out"
        fl=$((fl + 1))
      fi
      grep "^$file:[0-9]" "$out" | sed "s|^$file|    $name|" |
        grep -v -E "^    $name:($(printf '%s|' "${lines[@]%% *}")x):" || true
      if ((${#lines[@]})); then
        echo "    $name: ${#lines[@]} superseded by 3.0 (tests/spec2_superseded.txt):"
        printf '%s\n' "${lines[@]}" | awk '{ l = $1; $1 = ""; r[$0] = r[$0] " " l }
          END { for (k in r) print "       " r[k] ":" k }' | LC_ALL=C sort
        fl=$((fl - ${#lines[@]})) sup=$((sup + ${#lines[@]}))
      fi
      for n in "${stale[@]}"; do
        echo "    $name:$n: listed as superseded by 3.0 (tests/spec2_superseded.txt) but passes"
        fl=$((fl + 1))
      done
      ((u == 0)) || unsup+=("$name ($u)")
    else
      echo "$name: no summary, exit status $rc (crash or timeout):"
      excerpt "$out"
      p=0 fl=1 s=0 u=0
    fi
    sp=$((sp + p)) sf=$((sf + fl)) ss=$((ss + s)) su=$((su + u))
  done
  if [[ -n ${SUPERSEDED:-} ]]; then # a listed script that no longer exists
    while read -r n; do
      [[ -f ${SPEC_DIR:-$spectest}/json/$n/$n.json ]] ||
        { echo "    $n: listed in tests/spec2_superseded.txt, not in the suite"; sf=$((sf + 1)); }
    done < <(grep -v '^#' "$SUPERSEDED" | awk 'NF { print $1 }' | sort -u)
  fi
  if ((${#unsup[@]})); then
    echo "$label: not supported (GC): ${#unsup[@]} scripts with unsupported commands:"
    printf '%s\n' "${unsup[@]}" | fmt -w 100 | sed 's/^/    /'
  fi
  if [[ -n ${SUPERSEDED:-} ]]; then
    echo "$label: $sp passed, $sf failed, $ss skipped, $su unsupported, $sup superseded by 3.0 (${#files[@]} scripts)"
  else
    echo "$label: $sp passed, $sf failed, $ss skipped, $su unsupported (${#files[@]} scripts)"
  fi
  tally "$sp" "$sf" "$ss" "$su" "$sup"
}

# The whole 2.0 suite, natively, less what 3.0 reverses
# (tests/spec2_superseded.txt); its 56 simd_* scripts among them.
step_spec() {
  local inro=$build/inro
  [[ -x $inro ]] || { broken "$inro is not built"; return 0; }
  SPEC_DIR=$spectest2 SUPERSEDED=$here/spec2_superseded.txt run_spec spec "$inro"
}

# The whole 3.0 suite, natively (relaxed SIMD: "either" results; inro
# picks the deterministic profile's).
step_spec3() {
  local inro=$build/inro
  [[ -x $inro ]] || { broken "$inro is not built"; return 0; }
  run_spec spec3 "$inro"
}

# Run a test program whose last line is "N passed, M failed", show its
# output (the first 60 lines, and every FAIL line after them) and tally it.  A run without that line (crash,
# timeout) or whose exit status disagrees with it is one more failure.
run_counted() {
  local name=$1 rc=0 out=$tmp/$1.out
  shift
  timeout "$limit" "$@" >"$out" 2>&1 || rc=$?
  local re='^([0-9]+) passed, ([0-9]+) failed'
  if [[ $(tail -n1 "$out") =~ $re ]]; then
    local p=${BASH_REMATCH[1]} fl=${BASH_REMATCH[2]}
    sed '$d' "$out" | awk -v max=60 '
      NR <= max || /FAIL/ { print "    " $0; next }
      { cut++ }
      END { if (cut) printf "    (%d more lines without FAIL not shown)\n", cut }'
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

# Differential fuzzing against V8 (tests/difffuzz.mjs): 300 random modules
# (fixed seeds) run by node directly and by inro, natively and, for the
# primary build dir, as inro.wasm on node too.
step_difffuzz() {
  [[ -x $build/inro ]] || { broken "$build/inro is not built"; return 0; }
  have_node || return 0
  local -a engines=(--native "$build/inro")
  if [[ $build == "$root/build" ]]; then
    have_wasm || return 0
    engines+=(--wasm)
  fi
  run_counted difffuzz node "$here/difffuzz.mjs" --count 300 "${engines[@]}" \
    --save "$build/fuzz-failures"
}

# Truncate and mutate every valid module of the spec scripts (each module
# is one test), SIMD immediates on purpose (tests/fuzz_modules.c).
step_fuzz() {
  local bin=$build/tests/fuzz_modules
  [[ -x $bin ]] || { broken "$bin is not built"; return 0; }
  have_spectest || return 0
  local -a files
  mapfile -t files < <(spec_scripts)
  run_counted fuzz "$bin" "${files[@]}"
}

# The v128 lane functions against their portable C (tests/simd_test.c),
# and v128 values in the API, frames, snapshots, monitors and the command
# line (tests/simd.sh).
step_simd() {
  local bin=$build/tests/simd_test
  [[ -x $bin ]] || { broken "$bin is not built"; return 0; }
  local node=0
  [[ $build == "$root/build" && $quick == 0 ]] && node=1
  run_counted simd "$bin"
  SIMD_NODE=$node run_counted simd-state bash "$here/simd.sh" "$build"
}

# Every operand form of the IR against the plain form (tests/forms_test.c).
step_forms() {
  local bin=$build/tests/forms_test
  [[ -x $bin ]] || { broken "$bin is not built"; return 0; }
  run_counted forms "$bin"
}

# The IR of small functions as expected (tests/ir_dump.sh).
step_ir_dump() {
  run_counted ir_dump bash "$here/ir_dump.sh" "$build"
}

# Fuel, interruption and the slice callback (tests/slice_test.c).
step_slices() {
  local bin=$build/tests/slice_test
  [[ -x $bin ]] || { broken "$bin is not built"; return 0; }
  run_counted slices "$bin" "$build/tests/wat/slices.wasm"
}

# Every op of the IR runs in the suite (tests/ir_coverage.sh), counted by
# the build of `make irstats`.
step_ir_coverage() {
  have_spectest || return 0
  run_counted ir_coverage bash "$here/ir_coverage.sh" "$root/build/irstats" "$spectest"
}

# The probe API against figures known by construction.
step_probes() {
  local bin=$build/tests/probe_test
  [[ -x $bin ]] || { broken "$bin is not built"; return 0; }
  run_counted probes "$bin" "$build/tests/wat/probes.wasm"
}

# The numeric operators against their portable forms (tests/numeric_test.c).
step_numeric() {
  local bin=$build/tests/numeric_test
  [[ -x $bin ]] || { broken "$bin is not built"; return 0; }
  run_counted numeric "$bin"
}

# Checkpoint at many positions, restore, compare; corrupted snapshots;
# the state WebAssembly 3.0 added (exceptions, tail calls, 64-bit and
# multiple memories: tests/snapshot_wasm3_test.c).
step_snapshots() {
  local bin=$build/tests/snapshot_test bin3=$build/tests/snapshot_wasm3_test
  [[ -x $bin ]] || { broken "$bin is not built"; return 0; }
  [[ -x $bin3 ]] || { broken "$bin3 is not built"; return 0; }
  run_counted snapshots "$bin" "$build/tests/wat/snap.wasm"
  run_counted snapshots-wasm3 "$bin3"
}

# Snapshots as streams, pre-copy rounds, CRC-32C (tests/stream_test.c).
step_streams() {
  local bin=$build/tests/stream_test
  [[ -x $bin ]] || { broken "$bin is not built"; return 0; }
  run_counted streams "$bin" "$build/tests/wat/dirty.wasm"
}

# WASI state in snapshots: save, restore, continue; refusals; corruption.
step_wasi_snapshots() {
  local bin=$build/tests/wasi_snapshot_test
  [[ -x $bin ]] || { broken "$bin is not built"; return 0; }
  run_counted wasi-snapshots "$bin"
}

# The DWARF line reader against llvm-dwarfdump-19 and llvm-symbolizer-19
# (tests/debug_lines.sh).
step_debug() {
  [[ -x $build/tests/debug_test ]] || { broken "$build/tests/debug_test is not built"; return 0; }
  run_counted debug bash "$here/debug_lines.sh" "$build"
}

# The embedding API through inro.h alone (tests/api_test.c): types, the
# memory accessor, error conventions, WASI set-up with the guests, stores
# in several threads.
step_api() {
  local bin=$build/tests/api_test
  [[ -x $bin ]] || { broken "$bin is not built"; return 0; }
  run_counted api "$bin" "$build/tests/wat/api.wasm" "$build/tests/wat/snap.wasm" \
    "$root/build/guests"
}

# examples/embed.c built against the installed library (tests/embed.sh).
step_embed() {
  [[ -x $build/embed/embed ]] || { broken "$build/embed/embed is not built (make embed-example)"; return 0; }
  run_counted embed bash "$here/embed.sh" "$build"
}

# The monitors (tests/monitors.sh): figures known by construction, and the
# same JSON from inro.wasm on node, compared only for the primary build
# dir (inro.wasm does not depend on BUILD_DIR).
step_monitors() {
  [[ -x $build/inro ]] || { broken "$build/inro is not built"; return 0; }
  local node=0
  [[ $build == "$root/build" && $quick == 0 ]] && node=1
  MONITORS_NODE=$node run_counted monitors bash "$here/monitors.sh" "$build"
}

# Checkpoint / restore from the command line (tests/checkpoint.sh): 20
# positions per guest; across hosts (native, node, self-on-self) only for
# the primary build dir.
step_checkpoint() {
  [[ -x $build/inro ]] || { broken "$build/inro is not built"; return 0; }
  local cross=0
  [[ $build == "$root/build" ]] && cross=1
  CROSS=$cross run_counted checkpoint bash "$here/checkpoint.sh" "$build"
}

# Checkpoint triggers, post-mortem snapshots, corrupted snapshots through
# the command line (tests/checkpoint_triggers.sh); fewer mutations for a
# sanitizer build, whose runs are slower.
step_triggers() {
  [[ -x $build/inro ]] || { broken "$build/inro is not built"; return 0; }
  local n=3000
  [[ $build == "$root/build" ]] || n=500
  MUTATIONS=$n run_counted triggers bash "$here/checkpoint_triggers.sh" "$build"
}

# Snapshot streams and live migration (tests/migrate.sh): across hosts
# (native -> node through a pipe) only for the primary build dir; a
# sanitizer build cuts the migration stream inside every third section
# rather than every one.
step_migrate() {
  [[ -x $build/inro ]] || { broken "$build/inro is not built"; return 0; }
  local cross=0 every=1
  [[ $build == "$root/build" ]] && cross=1 || every=3
  CROSS=$cross CUT_EVERY=$every run_counted migrate bash "$here/migrate.sh" "$build"
}

# Snapshots written by an older build (tests/snapshot_compat.sh: 47fb6ae,
# built once into build/compat, about a minute) restore on this one and
# the other way round, with the output of an uninterrupted run.
step_snapshot_compat() {
  [[ -x $build/inro ]] || { broken "$build/inro is not built"; return 0; }
  run_counted snapshot-compat bash "$here/snapshot_compat.sh" "$build"
}

# Traps inside fused instructions: reported as if nothing were fused
# (tests/fused_traps.sh).
step_fused_traps() {
  [[ -x $build/inro ]] || { broken "$build/inro is not built"; return 0; }
  run_counted fused_traps bash "$here/fused_traps.sh" "$build"
}

# The WASI guests and the command line (tests/guests.sh).
step_guests() {
  [[ -x $build/inro ]] || { broken "$build/inro is not built"; return 0; }
  run_counted guests bash "$here/guests.sh" "$build"
}

# ------------------------------------------------ self-hosting: inro.wasm

have_wasm() {
  [[ -f $root/build/inro.wasm ]] && return 0
  broken "$root/build/inro.wasm is not built (make wasm)"
  return 1
}
have_node() {
  command -v node >/dev/null && return 0
  broken "node is needed to run inro.wasm"
  return 1
}

# The whole 3.0 suite run by inro.wasm on node's WASI, and hosted by
# native inro (its v128 lane functions are the host's v128 instructions);
# both take seconds, not minutes.
step_spec3_node() {
  have_wasm && have_node || return 0
  run_spec spec3-node node "$root/tools/inro-node.mjs"
}
step_spec3_self() {
  [[ -x $build/inro ]] || { broken "$build/inro is not built"; return 0; }
  have_wasm || return 0
  run_spec spec3-self "$root/tools/inro-self.sh"
}

# The guests and the command line in inro.wasm, each case compared with
# native inro byte for byte (and with node as in the native step).
step_guests_node() {
  have_wasm && have_node || return 0
  INRO_CMD="node $root/tools/inro-node.mjs" \
    run_counted guests-node bash "$here/guests.sh" "$build"
}
step_guests_self() {
  have_wasm || return 0
  INRO_CMD="$root/tools/inro-self.sh" \
    run_counted guests-self bash "$here/guests.sh" "$build"
}

# The numeric and SIMD tests built with inro.wasm's flags (its profile's
# forms are the host's instructions), run by node, by native inro, and by
# inro.wasm on node and on inro.  simd_test.wasm is itself a SIMD program:
# run by inro, it also checks inro's v128 instructions against the
# portable C run as scalar code.
step_numeric_wasm() {
  local t name
  have_wasm && have_node || return 0
  for name in numeric simd; do
    t=$root/build/wasm/${name}_test.wasm
    [[ -f $t ]] || { broken "$t is not built (make test builds it)"; continue; }
    run_counted $name-node node "$root/tools/node-wasi-run.mjs" "$t"
    run_counted $name-inro "$build/inro" run "$t"
    run_counted $name-inro.wasm-node node "$root/tools/inro-node.mjs" run "$t"
    run_counted $name-inro.wasm-inro "$root/tools/inro-self.sh" run "$t"
  done
}

# The other build profile of inro.wasm (make wasm-portable: the C forms
# of exec/numeric.h and exec/simd_c.h, no SIMD instruction of its own,
# docs/performance.md): on node, the whole 3.0 suite (its numeric and
# SIMD scripts test those forms), checkpoints across hosts
# (tests/checkpoint.sh) and the monitors' probes (tests/monitors.sh).
step_portable() {
  local w=$root/build/inro-portable.wasm
  [[ -f $w ]] || { broken "$w is not built (make test builds it)"; return 0; }
  have_node || return 0
  INRO_WASM=$w run_spec spec3-portable node "$root/tools/inro-node.mjs"
  INRO_WASM=$w CROSS=1 run_counted checkpoint-portable bash "$here/checkpoint.sh" "$build"
  INRO_WASM=$w MONITORS_NODE=1 run_counted monitors-portable bash "$here/monitors.sh" "$build"
}

# The Wasm programs of the tests do not depend on whether binaryen's
# wasm-opt is on PATH (tests/hermetic.sh).
step_hermetic() {
  [[ -x $build/inro ]] || { broken "$build/inro is not built"; return 0; }
  run_counted hermetic bash "$here/hermetic.sh" "$build"
}

# inro.wasm hosting inro.wasm on node, for a few small guests (a run is
# two interpreters deep on top of node): stdout, stderr (backtrace
# included) and exit status must be native inro's.
step_self_node() {
  have_wasm && have_node || return 0
  local g=$root/build/guests p=0 fl=0 c d what
  local -a cases=("hello" "args one two" "exitcode 3" "trap" "recursion") w
  for c in "${cases[@]}"; do
    read -r -a w <<<"$c"
    d=$tmp/self-node/${w[0]}
    mkdir -p "$d"
    (cd "$d" || exit; rc=0
     "$build/inro" run "$g/${w[0]}.wasm" "${w[@]:1}" </dev/null \
       >native.out 2>native.err || rc=$?
     echo "$rc" >native.rc; rc=0
     INRO_HOST=node timeout "$limit" "$root/tools/inro-self.sh" \
       run "$g/${w[0]}.wasm" "${w[@]:1}" </dev/null >self.out 2>self.err || rc=$?
     echo "$rc" >self.rc)
    for what in out err rc; do
      if ! cmp -s "$d/native.$what" "$d/self.$what"; then
        echo "FAIL self-node $c: std$what differs from native inro" |
          sed 's/stdrc/exit status/'
        diff "$d/native.$what" "$d/self.$what" | head -10 | sed 's/^/    /'
        fl=$((fl + 1))
        continue 2
      fi
    done
    p=$((p + 1))
  done
  echo "self-node: $p passed, $fl failed"
  tally "$p" "$fl"
}

# The same checks on every host of inro.wasm outside a browser
# (tests/hosts.sh): node with and without V8 flags, inro, inro on inro.
step_hosts() {
  have_wasm && have_node || return 0
  run_counted hosts bash "$here/hosts.sh" "$build"
}

# The page of `make web` in Chromium and Firefox (tests/browser.mjs):
# the example, snapshots between the page and native inro both ways,
# monitors switched while running, and native -> page -> node -> native.
step_browser() {
  have_node || return 0
  if [[ ! -f $root/build/web/index.html ]]; then
    broken "$root/build/web is not built (make web)"
    return 0
  fi
  run_counted browser node "$here/browser.mjs" "$build"
}

for step in "${STEPS[@]}"; do
  declare -F "step_$step" >/dev/null || { echo "run-all: no step '$step'" >&2; exit 2; }
done
for step in "${STEPS[@]}"; do
  echo "== $step"
  "step_$step"
done
echo "== total ($skipped skipped, $unsupported unsupported: not supported, $superseded superseded by 3.0, see above)"
echo "$passed passed, $failed failed"
((failed == 0))

#!/usr/bin/env bash
# tests/checkpoint.sh BUILD_DIR -- checkpoint / restore through the command
# line, end to end.
#
# For each guest (compute only, files read and written, deep recursion,
# call_indirect through a table) the uninterrupted run is the reference.
# Then for 20 positions spread over the run (in executed instructions):
#   inro run --snapshot S --checkpoint-after N ...   (must exit 75)
#   inro restore --dir sb::/sandbox S
# and stdout and stderr of the two runs, concatenated, and every file the
# guest wrote must equal the reference byte for byte.
#
# With CROSS=1 (run-all.sh sets it for the primary build) the same is done
# across hosts for a few positions: checkpoint native -> restore in
# inro.wasm on node, checkpoint on node -> restore native, checkpoint in
# inro.wasm hosted by inro -> restore native.
#
# Last line: "N passed, M failed".
set -u
BUILD=${1:-build}
ROOT=$(cd "$(dirname "$0")/.." && pwd -P)
NATIVE=$(cd "$BUILD" && pwd -P)/inro
NODE="node $ROOT/tools/inro-node.mjs"
SELF=$ROOT/tools/inro-self.sh
G=$ROOT/build/guests
TMP=$(mktemp -d "${TMPDIR:-/tmp}/inro-ckpt.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
passed=0 failed=0
ok() { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); echo "FAIL: $*"; }

# A fresh sandbox with the input file, as the guest's /sandbox.
fresh() {
  rm -rf "$1" && mkdir -p "$1"
  seq 1 120 | sed 's/^/line number /' >"$1/input.txt"
}

# run_guest CMD OUTDIR NAME ARGS...: run in OUTDIR/sb, output to OUTDIR/{out,err,rc}
run_guest() {
  local cmd=$1 dir=$2 name=$3
  shift 3
  fresh "$dir/sb"
  (cd "$dir" && $cmd run --dir sb::/sandbox "$@" "$G/$name.wasm" >out 2>err; echo $? >rc)
}

same_files() { # reference dir, candidate dir
  local f
  for f in upper.txt log.txt; do
    [ -e "$1/sb/$f" ] || continue
    cmp -s "$1/sb/$f" "$2/sb/$f" || return 1
  done
  return 0
}

# Instructions the guest executes: the smallest N for which
# --checkpoint-after N no longer stops it (doubling, then bisection).
count_instructions() {
  local name=$1 lo=0 hi=1000 mid
  while :; do
    run_guest "$NATIVE" "$TMP/count" "$name" --snapshot "$TMP/count/s" --checkpoint-after $hi
    [ "$(cat "$TMP/count/rc")" = 75 ] || break
    lo=$hi
    hi=$((hi * 2))
  done
  while [ $((hi - lo)) -gt 1 ]; do
    mid=$(((lo + hi) / 2))
    run_guest "$NATIVE" "$TMP/count" "$name" --snapshot "$TMP/count/s" --checkpoint-after $mid
    if [ "$(cat "$TMP/count/rc")" = 75 ]; then lo=$mid; else hi=$mid; fi
  done
  echo $hi
}

# checkpoint_restore NAME N RUNCMD RESTORECMD LABEL
checkpoint_restore() {
  local name=$1 n=$2 runcmd=$3 rescmd=$4 label=$5 d=$TMP/case
  rm -rf "$d" && mkdir -p "$d"
  run_guest "$runcmd" "$d" "$name" --snapshot "$d/snap" --checkpoint-after "$n"
  if [ "$(cat "$d/rc")" != 75 ]; then
    bad "$label: checkpoint run exited $(cat "$d/rc") (want 75)"
    return
  fi
  mv "$d/out" "$d/out1"
  mv "$d/err" "$d/err1"
  (cd "$d" && $rescmd restore --dir sb::/sandbox "$d/snap" >out2 2>err2; echo $? >rc2)
  cat "$d/out1" "$d/out2" >"$d/out"
  cat "$d/err1" "$d/err2" >"$d/err"
  if [ "$(cat "$d/rc2")" != "$(cat "$TMP/ref/rc")" ]; then
    bad "$label: restore exited $(cat "$d/rc2"), reference $(cat "$TMP/ref/rc")"
  elif ! cmp -s "$d/out" "$TMP/ref/out" || ! cmp -s "$d/err" "$TMP/ref/err"; then
    bad "$label: output differs from the uninterrupted run"
  elif ! same_files "$TMP/ref" "$d"; then
    bad "$label: files differ from the uninterrupted run"
  else
    ok
  fi
}

for name in ckpt_compute ckpt_files ckpt_recursion ckpt_indirect; do
  if [ ! -f "$G/$name.wasm" ]; then
    bad "$G/$name.wasm is not built (make guests)"
    continue
  fi
  run_guest "$NATIVE" "$TMP/ref" "$name"
  total=$(count_instructions "$name")
  echo "$name: $total instructions"
  for k in $(seq 1 20); do
    checkpoint_restore "$name" $((total * k / 21)) "$NATIVE" "$NATIVE" "$name @$k/21"
  done
  if [ "${CROSS:-0}" = 1 ]; then
    for k in 5 13; do
      n=$((total * k / 21))
      checkpoint_restore "$name" $n "$NATIVE" "$NODE" "$name @$k/21 native -> node"
      checkpoint_restore "$name" $n "$NODE" "$NATIVE" "$name @$k/21 node -> native"
    done
    checkpoint_restore "$name" $((total / 2)) "$SELF" "$NATIVE" "$name @1/2 self-on-self -> native"
  fi
done

# Bad snapshots: one-line errors, exit 1, never a crash.
printf 'not a snapshot' >"$TMP/junk"
"$NATIVE" restore "$TMP/junk" 2>"$TMP/e"; rc=$?
if [ $rc = 1 ] && [ "$(wc -l <"$TMP/e")" = 1 ]; then ok; else bad "junk snapshot: exit $rc"; fi
"$NATIVE" restore "$TMP/nothere" 2>"$TMP/e"; rc=$?
if [ $rc = 1 ]; then ok; else bad "missing snapshot: exit $rc"; fi
echo "$passed passed, $failed failed"
[ $failed = 0 ]

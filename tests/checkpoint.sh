#!/usr/bin/env bash
# tests/checkpoint.sh BUILD_DIR -- checkpoint / restore through the command
# line, end to end.
#
# For each guest (compute only, files read and written, deep recursion,
# call_indirect through a table, an interpreter dispatching by tail
# calls, C++ throwing and catching) the uninterrupted run is the
# reference.
# Then for 20 positions spread over the run (in executed instructions):
#   inro run --snapshot S --checkpoint-after N ...   (must exit 75)
#   inro restore S
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
# fresh, run_guest, count_instructions, checkpoint_restore, ok, bad
. "$ROOT/tests/ckpt_lib.sh"

for name in ckpt_compute ckpt_files ckpt_recursion ckpt_indirect tailcall cxx_eh; do
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

#!/usr/bin/env bash
# tests/checkpoint.sh BUILD_DIR -- checkpoint / restore through the command
# line, end to end.
#
# For each guest (compute only, files read and written, deep recursion,
# call_indirect through a table, an interpreter dispatching by tail
# calls, C++ throwing and catching, SIMD with v128 values in locals, on
# the operand stack and across calls) the uninterrupted run is the
# reference.
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
# fresh, run_guest, count_instructions, checkpoint_restore, ok, bad
. "$ROOT/tests/ckpt_lib.sh"

for name in ckpt_compute ckpt_files ckpt_recursion ckpt_indirect tailcall cxx_eh ckpt_simd; do
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

# A 64-bit memory (tests/guests/mem64.c, through --invoke): run(n, base)
# checkpointed and restored must print the uninterrupted run's checksum,
# with its table above 4 GiB natively (the snapshot holds the pages
# written, a few MiB, not the 4.25 GiB), 64 MiB up across hosts; a
# snapshot of the big memory is refused cleanly where it cannot be mapped
# (inro.wasm: a 32-bit host).
m64_case() { # label checkpoint-after base runcmd rescmd [want-restore-status]
  local label=$1 n=$2 base=$3 run=$4 res=$5 want=${6:-0} d=$TMP/m64
  rm -rf "$d" && mkdir -p "$d"
  local ref
  ref=$("$NATIVE" run --invoke run "$G/mem64.wasm" 200000 "$base")
  (cd "$d" && $run run --snapshot "$d/snap" --checkpoint-after "$n" --invoke run \
     "$G/mem64.wasm" 200000 "$base" >out1 2>err1; echo $? >rc1)
  (cd "$d" && $res restore "$d/snap" >out2 2>err2; echo $? >rc2)
  if [ "$(cat "$d/rc1")" != 75 ]; then
    bad "mem64 $label: checkpoint run exited $(cat "$d/rc1") (want 75)"
  elif [ "$(cat "$d/rc2")" != "$want" ]; then
    bad "mem64 $label: restore exited $(cat "$d/rc2"), want $want: $(head -1 "$d/err2")"
  elif [ "$want" != 0 ]; then
    if [ "$(wc -l <"$d/err2")" = 1 ] && [ ! -s "$d/out2" ]; then ok
    else bad "mem64 $label: not a one-line error"; fi
  elif [ "$(cat "$d/out2")" != "$ref" ] || [ -s "$d/err2" ]; then
    bad "mem64 $label: restored run printed '$(cat "$d/out2")', want '$ref'"
  elif [ "$(wc -c <"$d/snap")" -gt $((8 << 20)) ]; then
    bad "mem64 $label: snapshot of $(wc -c <"$d/snap") bytes, not sparse"
  else
    ok
  fi
}
if [ ! -f "$G/mem64.wasm" ]; then
  bad "$G/mem64.wasm is not built (make guests)"
else
  for n in 1000000 3000000 5000000 7000000; do
    m64_case "@$n native, above 4 GiB" $n 4096 "$NATIVE" "$NATIVE"
  done
  if [ "${CROSS:-0}" = 1 ]; then
    m64_case "native -> node" 3000000 64 "$NATIVE" "$NODE"
    m64_case "node -> native" 3000000 64 "$NODE" "$NATIVE"
    m64_case "self-on-self -> native" 1000000 64 "$SELF" "$NATIVE"
    m64_case "above 4 GiB, native -> node: refused" 3000000 4096 "$NATIVE" "$NODE" 1
  fi
fi

# Bad snapshots: one-line errors, exit 1, never a crash.
printf 'not a snapshot' >"$TMP/junk"
"$NATIVE" restore "$TMP/junk" 2>"$TMP/e"; rc=$?
if [ $rc = 1 ] && [ "$(wc -l <"$TMP/e")" = 1 ]; then ok; else bad "junk snapshot: exit $rc"; fi
"$NATIVE" restore "$TMP/nothere" 2>"$TMP/e"; rc=$?
if [ $rc = 1 ]; then ok; else bad "missing snapshot: exit $rc"; fi
echo "$passed passed, $failed failed"
[ $failed = 0 ]

#!/bin/bash
# fused_traps.sh -- a trap inside an IR instruction that carries out
# several Wasm instructions is reported exactly as if each ran on its own.
# The exports of tests/wat/fused_traps.wat trap in a load joined to the
# i32.add of its address, an interpreter's operand fetch (two loads), a
# switch loop's head, or an instruction whose operands, or operands below
# them, are still in locals or constants (exec/ir.h; a v128 takes two
# slots, and so two records to recover it); a run with a global
# probe (--monitor count) has the Wasm state in the frame before every
# instruction.  Both runs must give the same backtrace, and their
# --checkpoint-on-trap snapshots the same frames (offset, locals, operands:
# the address the load found on the stack, a store's operands).  The
# snapshot restores into the same trap.
# Usage: tests/fused_traps.sh [BUILD]; last line "N passed, M failed".
set -u
BUILD=${1:-build}
INRO=$(cd "$BUILD" && pwd -P)/inro
WASM=$(cd "$BUILD" && pwd -P)/tests/wat/fused_traps.wasm
TMP=$(mktemp -d "${TMPDIR:-/tmp}/inro-fused.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
. "$(dirname "$0")/lib.sh"
cd "$TMP" || exit 1
same_text() { [ -n "$1" ] && [ "$1" = "$2" ]; }
frames() { "$INRO" inspect "$1" | sed -n '/^frames/,/^memory/p'; }

while read -r name args; do
  # shellcheck disable=SC2086
  "$INRO" run --snapshot f.snap --checkpoint-on-trap --invoke "$name" "$WASM" $args 2>f.err
  check "$name: traps (134)" [ $? = 134 ]
  # shellcheck disable=SC2086
  "$INRO" run --snapshot u.snap --checkpoint-on-trap --monitor-out /dev/null \
    --monitor count --invoke "$name" "$WASM" $args 2>u.err
  check "$name: traps unfused (134)" [ $? = 134 ]
  check "$name: a trap" grep -q "^inro: trap: " f.err
  check "$name: same backtrace" cmp -s f.err u.err
  frames f.snap >f.frames
  frames u.snap >u.frames
  check "$name: same frames" cmp -s f.frames u.frames
  check "$name: the operands are on the stack" grep -Eq "operands: .*[if](32|64):" f.frames
  "$INRO" restore f.snap 2>r.err
  check "$name: restore traps again (134)" [ $? = 134 ]
  check "$name: at the same place" cmp -s f.err r.err
done <<'CASES'
L 65530
LT 65535
LL 65530 4
LC 65540
SL 32768 0
SC 32718
IX 65530 0
IX 0 65530
I2 65530 0
I2 0 65530
I2 65524 0
I2 0 402156043
AX 65533 1
LS 0 1 2
TS 7 0
ST 65530 1
SLL 65530 -2
SSL 65535 77
SW 65534
SW 65520
UL nan
RC 9 0
SR 16383 65536
M 0 5 -1
M 65530 5 6
MF 65530 16 9
VL 65530
VLL 65535
VS 65525
VSL 65529
CASES

# In bounds, the same loads compute the same values as unfused.
while read -r name args; do
  # shellcheck disable=SC2086
  a=$("$INRO" run --invoke "$name" "$WASM" $args)
  # shellcheck disable=SC2086
  b=$("$INRO" run --monitor-out /dev/null --monitor count --invoke "$name" "$WASM" $args)
  check "$name $args: same result ($a, unfused $b)" same_text "$a" "$b"
done <<'CASES'
L 10
LT 9
LL 8 5
LC 13
SL 3 2
SC -45
IX 0 402156043
I2 65520 0
AX 0 5
A2 0 7
LS 4 0 0
LS 100 30 2
LF 1.5 2 3.25
TS 7 2
ST 16 41
SLL 16 -81985529216486896
SSL 9 -1234
SW 200
UL -2147483648.9
RC 9 4
SR 5 16
VL 16
VLL 3
VS 40
VSL 8
M 16 5 30
M 65528 -1 1
MF 65520 16 9
CASES
echo "$passed passed, $failed failed"

#!/usr/bin/env bash
# tests/simd.sh BUILD_DIR -- v128 values in the embedding API and on the
# command line:
#   - BUILD_DIR/tests/simd_state_test (tests/simd_state_test.c): inro_call,
#     host functions, globals, probe frame accessors, snapshots at every
#     instruction of a v128 loop, the frame and backtrace of a trap;
#   - `inro run --invoke` with v128 arguments and results, and refusing a
#     malformed one (one line, exit 2);
#   - the memory monitor's count and bytes of v128 loads and stores;
#   - a trap inside v128 code: message and backtrace;
#   - bad SIMD immediates and opcodes (`inro validate`): a lane index out
#     of range, a shuffle index of 32 or more, an unknown SIMD opcode, an
#     immediate cut short: one line each, exit 1.
# With SIMD_NODE=1 (run-all.sh, primary build) every `inro run` output is
# also required byte-identical from inro.wasm on node.
# Last line: "N passed, M failed".
set -u
BUILD=${1:-build}
ROOT=$(cd "$(dirname "$0")/.." && pwd -P)
BUILD=$(cd "$BUILD" 2>/dev/null && pwd -P)
INRO=$BUILD/inro
W=$BUILD/tests/wat/simd_cli.wasm
TMP=$(mktemp -d "${TMPDIR:-/tmp}/inro-simd.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
passed=0 failed=0
ok() { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); echo "FAIL: $*"; }

for f in "$INRO" "$W" "$BUILD/tests/simd_state_test" "$BUILD/tests/wat/simd.wasm"; do
  [ -e "$f" ] || { echo "FAIL: $f is not built (make all testbins)"; echo "0 passed, 1 failed"; exit 1; }
done

out=$("$BUILD/tests/simd_state_test" "$BUILD/tests/wat/simd.wasm")
echo "$out" | sed 's/^/    /'
re='^([0-9]+) passed, ([0-9]+) failed$'
if [[ $(tail -n1 <<<"$out") =~ $re ]]; then
  passed=$((passed + BASH_REMATCH[1])) failed=$((failed + BASH_REMATCH[2]))
else
  bad "simd_state_test crashed"
fi

# expect LABEL WANT_STATUS WANT_STDOUT ARGS...: run `inro ARGS`, compare
# stdout and the exit status (and inro.wasm on node's stdout, stderr and
# status with native inro's).
expect() {
  local label=$1 want_rc=$2 want_out=$3 rc=0
  shift 3
  "$INRO" "$@" >"$TMP/out" 2>"$TMP/err" || rc=$?
  if [ "$rc" != "$want_rc" ] || [ "$(cat "$TMP/out")" != "$want_out" ]; then
    bad "$label: exit $rc, stdout:"
    sed 's/^/    /' "$TMP/out" "$TMP/err"
    return
  fi
  if [ "$want_rc" != 0 ] && [ "$(wc -l <"$TMP/err")" != 1 ] && [ "$want_rc" != 134 ]; then
    bad "$label: not a one-line error"
    sed 's/^/    /' "$TMP/err"
    return
  fi
  ok
  if [ "${SIMD_NODE:-0}" = 1 ]; then
    rc=0
    node "$ROOT/tools/inro-node.mjs" "$@" >"$TMP/nout" 2>"$TMP/nerr" || rc=$?
    if [ "$rc" = "$want_rc" ] && cmp -s "$TMP/out" "$TMP/nout" && cmp -s "$TMP/err" "$TMP/nerr"; then
      ok
    else
      bad "$label: inro.wasm on node differs (exit $rc)"
      diff "$TMP/out" "$TMP/nout" | head -5 | sed 's/^/    /'
      diff "$TMP/err" "$TMP/nerr" | head -5 | sed 's/^/    /'
    fi
  fi
}

expect "--invoke v128 arguments and result" 0 "v128:i32x4:0x00000005,0x00000007,0xfffffffe,0x00000000" \
  run --invoke add "$W" i32x4:1,2,3,-1 i16x8:4,0,5,0,-5,-1,1,0
expect "--invoke i32 v128 f64 -> f64 v128 i32" 0 "f64:2.75
v128:i32x4:0x00000000,0xc1080000,0x00000000,0xc0fe0000
i32:3" run --invoke mixed "$W" 3 f64x2:1.5,2.25 0.5
expect "--invoke f32x4 lanes" 0 "v128:i32x4:0x3f800000,0x7fc00000,0x00000001,0x3f800001" \
  run --invoke add "$W" f32x4:1,nan,0,1 i32x4:0,0,1,1
expect "--invoke: too few lanes" 2 "" run --invoke add "$W" i32x4:1,2,3 i32x4:1,2,3,4
expect "--invoke: a lane out of range" 2 "" run --invoke add "$W" i8x16:1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,256 \
  i32x4:1,2,3,4
expect "--invoke: no shape" 2 "" run --invoke add "$W" 1,2,3,4 i32x4:1,2,3,4

# The memory monitor: the widths of v128 accesses (see simd_cli.wat).
expect "memory monitor on v128 accesses" 0 "i32:2" \
  run --invoke accesses --monitor memory --monitor-out "$TMP/m.json" "$W"
tr -d ' \n' <"$TMP/m.json" >"$TMP/m1"
if grep -q '"loads":{"bytes":49,"count":6}' "$TMP/m1" && grep -q '"stores":{"bytes":22,"count":3}' "$TMP/m1"; then
  ok
else
  bad "memory monitor: v128 loads and stores not counted with their widths"
  sed 's/^/    /' "$TMP/m.json"
fi

# A trap in a v128 load, two frames deep.
expect "trap in v128 code" 134 "" run --invoke trap "$W" 65532
if grep -q '^inro: trap: out of bounds memory access$' "$TMP/err" &&
   [ "$(grep -c '^ *[0-9]: 0x[0-9a-f]* - func\[' "$TMP/err")" = 2 ]; then
  ok
else
  bad "trap in v128 code: message or backtrace"
  sed 's/^/    /' "$TMP/err"
fi

# Bad modules, written byte by byte: one function () -> () whose body is
# BODY (hex), in a module with one memory.
unhex() { local h; read -r h; printf '%b' "$(sed 's/../\\x&/g' <<<"$h")"; }
module() { # BODY_HEX -> $TMP/m.wasm
  local body="00$1""0b"
  local n=$((${#body} / 2))
  local code
  code=$(printf '01%02x%s' "$n" "$body")
  printf '0061736d01000000010401600000030201000503010001'"0a%02x%s" $((${#code} / 2)) "$code" |
    unhex >"$TMP/m.wasm"
}
CONST=fd0c00000000000000000000000000000000 # v128.const 0
validate() { # LABEL WANT_KIND BODY
  module "$3"
  local rc=0
  "$INRO" validate "$TMP/m.wasm" >"$TMP/out" 2>"$TMP/err" || rc=$?
  if [ $rc = 1 ] && [ "$(wc -l <"$TMP/err")" = 1 ] && grep -q "$2" "$TMP/err"; then
    ok
  else
    bad "$1: exit $rc"
    sed 's/^/    /' "$TMP/out" "$TMP/err"
  fi
}
module "${CONST}fd150f1a" # i8x16.extract_lane_s 15: valid
if "$INRO" validate "$TMP/m.wasm" >/dev/null 2>&1; then ok; else bad "a valid lane index refused"; fi
validate "extract_lane index 16" "invalid lane index" "${CONST}fd15101a"
validate "i64x2.replace_lane index 2" "invalid lane index" "${CONST}4200fd1e021a"
validate "i8x16.shuffle index 32" "invalid lane index" \
  "${CONST}${CONST}fd0d000102030405060708090a0b0c0d0e201a"
validate "v128.load8_lane index 16" "invalid lane index" "4100${CONST}fd540000101a"
validate "v128.store64_lane index 2" "invalid lane index" "4100${CONST}fd5b030002"
validate "v128.load align 32 bytes" "alignment must not be larger than natural" "4100fd0005001a"
validate "an unknown SIMD opcode" "illegal opcode" "${CONST}fd9a011a"
validate "v128.const cut short" "unexpected end\|size mismatch" "fd0c0000"
validate "i8x16.shuffle cut short" "unexpected end\|size mismatch" "${CONST}${CONST}fd0d0001"
validate "a lane index byte missing" "END opcode expected" "${CONST}fd15"

echo "$passed passed, $failed failed"
[ $failed = 0 ]

#!/usr/bin/env bash
# tests/hermetic.sh BUILD_DIR -- the Wasm programs the tests run are the
# same whether binaryen's wasm-opt is on PATH or not.
#
# clang runs wasm-opt after a link that has an -O option whenever it finds
# it on PATH, and wasm-opt strips the name section that backtraces,
# monitor reports and `inro inspect` print names from; so the make rules
# compile with -O2 and link without any -O (mk/guests.mk).  This script
# builds a guest (tests/guests/trap.c, by the guests' rule) and a program
# by the rule of inro.wasm's own flags (build/wasm/numeric_test.wasm)
# twice each: with PATH as it is, which must hold wasm-opt (.ci/deps
# installs binaryen for the differential fuzz test), and with a PATH that
# holds only the tools the rules run.  The two builds must be the same
# bytes, and the guest's backtrace must name its functions.
# Last line: "N passed, M failed".
set -u
BUILD=${1:-build}
ROOT=$(cd "$(dirname "$0")/.." && pwd -P)
INRO=$(cd "$BUILD" && pwd -P)/inro
TMP=$(mktemp -d "${TMPDIR:-/tmp}/inro-hermetic.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
passed=0 failed=0
check() { # NAME CONDITION...
  local name=$1
  shift
  if "$@"; then
    passed=$((passed + 1))
    echo "PASS $name"
  else
    failed=$((failed + 1))
    echo "FAIL $name"
  fi
}

on_path() { command -v "$1" >/dev/null; }
check "wasm-opt is on PATH (binaryen, .ci/deps)" on_path wasm-opt

# A PATH without wasm-opt: only what the rules call.
mkdir -p "$TMP/bin"
for tool in make clang-19 wasm-ld-19 mkdir sh; do
  if on_path "$tool"; then
    ln -s "$(command -v "$tool")" "$TMP/bin/$tool"
  else
    check "$tool is on PATH" false
  fi
done

# build LABEL PATH TARGET MAKE-ARGS...: make TARGET with that PATH.
build() {
  local label=$1 path=$2 target=$3
  shift 3
  if ! PATH=$path make -s --no-print-directory -C "$ROOT" "$@" "$target" \
         >"$TMP/$label.log" 2>&1; then
    sed 's/^/    /' "$TMP/$label.log" | head -10
    return 1
  fi
}

for what in guest numeric; do
  for situation in with without; do
    path=$PATH label="wasm-opt on PATH"
    [ $situation = without ] && path=$TMP/bin label="no wasm-opt on PATH"
    dir=$TMP/$what-$situation
    if [ $what = guest ]; then
      target=$dir/trap.wasm
      build "$what-$situation" "$path" "$target" GUEST_DIR="$dir"
    else
      target=$dir/numeric_test.wasm
      build "$what-$situation" "$path" "$target" WASM_DIR="$dir"
    fi
    check "$what built ($label)" [ -s "$target" ]
  done
done

check "guest: the same bytes with or without wasm-opt" \
  cmp -s "$TMP/guest-with/trap.wasm" "$TMP/guest-without/trap.wasm"
check "numeric_test.wasm: the same bytes with or without wasm-opt" \
  cmp -s "$TMP/numeric-with/numeric_test.wasm" "$TMP/numeric-without/numeric_test.wasm"
"$INRO" run "$TMP/guest-with/trap.wasm" >/dev/null 2>"$TMP/trap.err"
check "guest: the backtrace names its functions" \
  grep -q '^ *[0-9]*: 0x[0-9a-f]* - fail$' "$TMP/trap.err"

echo "$passed passed, $failed failed"
[ $failed = 0 ]

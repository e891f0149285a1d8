#!/usr/bin/env bash
# ir_dump.sh BUILD -- the IR that `inro inspect --ir` prints for the small
# functions of tests/ir/*.wat equals tests/ir/*.txt: what the translator
# makes of the usual shapes of compiled code (exec/ir.h).  After a change
# to the translator that is meant, regenerate a .txt with
#   build/inro inspect --ir build/tests/ir/NAME.wasm > tests/ir/NAME.txt
# and read the difference.  Last line: "N passed, M failed".
set -u
build=$1
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
passed=0 failed=0
for wat in "$here"/ir/*.wat; do
  name=$(basename "$wat" .wat)
  wasm=$build/tests/ir/$name.wasm
  if [[ ! -f $wasm ]]; then
    echo "FAIL: $wasm is not built (make testbins)"
    failed=$((failed + 1))
    continue
  fi
  if diff -u "$here/ir/$name.txt" <("$build/inro" inspect --ir "$wasm"); then
    passed=$((passed + 1))
  else
    echo "FAIL: the IR of tests/ir/$name.wat differs from tests/ir/$name.txt"
    failed=$((failed + 1))
  fi
done
echo "$passed passed, $failed failed"

#!/usr/bin/env bash
# tests/debug_lines.sh BUILD_DIR -- the DWARF line reader (src/debug)
# against LLVM's own readers, on C programs built by clang-19 for
# wasm32-wasi with -gdwarf-4 and with -gdwarf-5 (at -O0 and -O2; wasi-libc
# brings DWARF 4 units of its own into both):
#
#   * every row of every line table, as `llvm-dwarfdump-19 --debug-line`
#     prints them, must be the reader's (BUILD_DIR/tests/debug_test rows);
#   * for every instruction of every function, the file, line and column
#     must be what `llvm-symbolizer-19 --no-inlines` says for its address
#     (debug_test lookup): this checks paths (compilation and include
#     directories) and the choice of row;
#   * corrupted copies of a module read without a crash (run this under
#     the sanitizers: make test-asan), and a module without DWARF has none.
#
# Prints PASS/FAIL per check and "N passed, M failed" last.
set -u

BUILD=${1:-build}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=$(cd "$BUILD" 2>/dev/null && pwd)
T=$BUILD/tests/debug_test
TMP=$(mktemp -d "${TMPDIR:-/tmp}/inro-debug.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

passed=0
failed=0
pass() { echo "PASS $1"; passed=$((passed + 1)); }
fail() { echo "FAIL $1"; failed=$((failed + 1)); }

for tool in clang-19 llvm-dwarfdump-19 llvm-symbolizer-19; do
  command -v $tool >/dev/null ||
    { echo "debug_lines.sh: $tool is missing (.ci/deps installs llvm-19)" >&2; exit 1; }
done
[ -x "$T" ] || { echo "debug_lines.sh: $T is not built (make testbins)" >&2; exit 1; }

# build NAME SOURCE OPT VERSION: compile, then link without -O (clang
# would run binaryen's wasm-opt, when installed, on an optimised link).
build() {
  local name=$1 src=$2 opt=$3 v=$4
  clang-19 --target=wasm32-wasi --sysroot=/usr "$opt" -g -gdwarf-"$v" -c \
    -o "$TMP/$name.o" "$src" &&
  clang-19 --target=wasm32-wasi --sysroot=/usr -g -o "$TMP/$name.wasm" "$TMP/$name.o"
}

# LLVM's rows, in debug_test's layout: the unit header and its version,
# then the rows as printed.
llvm_rows() {
  llvm-dwarfdump-19 --debug-line "$1" |
    awk '/^debug_line\[/ {h = $1} /^ +version: / {print h " version " $2}
         /^0x[0-9a-f]+ / {print}'
}

# llvm-symbolizer's answer per address of debug_test lookup, in its layout.
llvm_lookup() {
  awk '{print $1}' "$1" | llvm-symbolizer-19 --obj="$2" --no-inlines |
    awk 'NF { if (f == "") f = $0; else { print $0; f = "" } }' |
    paste -d' ' <(awk '{print $1}' "$1") -
}

for src in tests/guests/monitor_calls.c examples/mandelbrot.c tests/guests/recursion.c; do
  for opt in -O0 -O2; do
    for v in 4 5; do
      name=$(basename "$src" .c)$opt-dwarf$v
      if ! build "$name" "$ROOT/$src" "$opt" "$v" 2>"$TMP/$name.err"; then
        fail "$name: clang-19 failed: $(head -1 "$TMP/$name.err")"
        continue
      fi
      w=$TMP/$name.wasm
      "$T" rows "$w" >"$TMP/$name.rows" 2>&1
      llvm_rows "$w" >"$TMP/$name.llvm-rows"
      n=$(grep -c '^0x' "$TMP/$name.llvm-rows")
      units=$(grep -c '^debug_line' "$TMP/$name.llvm-rows")
      versions=$(grep '^debug_line' "$TMP/$name.llvm-rows" | awk '{print $3}' | sort -u | tr '\n' ' ')
      if [ "$n" -gt 0 ] && cmp -s "$TMP/$name.rows" "$TMP/$name.llvm-rows"; then
        pass "$name: $n rows of $units units (DWARF ${versions% }) as llvm-dwarfdump-19"
      else
        fail "$name: rows differ from llvm-dwarfdump-19 ($n rows)"
        diff "$TMP/$name.llvm-rows" "$TMP/$name.rows" | head -6 | sed 's/^/    /'
      fi
      "$T" lookup "$w" >"$TMP/$name.lookup" 2>&1
      # debug_test prints "ADDRESS FUNCTION FILE:LINE:COLUMN"; the
      # function names come from the name section, which LLVM does not
      # read, so only addresses and positions are compared.
      awk '{print $1, $3}' "$TMP/$name.lookup" >"$TMP/$name.ours"
      llvm_lookup "$TMP/$name.lookup" "$w" >"$TMP/$name.sym"
      n=$(wc -l <"$TMP/$name.ours")
      mine=$(grep -c "$(basename "$src"):" "$TMP/$name.ours")
      if [ "$mine" -gt 0 ] && cmp -s "$TMP/$name.ours" "$TMP/$name.sym"; then
        pass "$name: $n instructions at llvm-symbolizer-19's FILE:LINE:COLUMN ($mine in $(basename "$src"))"
      else
        fail "$name: positions differ from llvm-symbolizer-19 ($mine in $(basename "$src"))"
        diff "$TMP/$name.sym" "$TMP/$name.ours" | head -6 | sed 's/^/    /'
      fi
    done
  done
done

if out=$("$T" mutate "$TMP/monitor_calls-O2-dwarf5.wasm" 3000 2>&1); then
  pass "mutate: $out"
else
  fail "mutate: exit status $?: $(echo "$out" | tail -3)"
fi

rc=0
out=$("$T" rows "$BUILD/tests/wat/monitor.wasm" 2>&1) || rc=$?
if [ $rc = 1 ] && [[ $out == *"no line table"* ]]; then
  pass "no DWARF: $out"
else
  fail "no DWARF: exit status $rc: $out"
fi

echo "$passed passed, $failed failed"
[ $failed = 0 ]

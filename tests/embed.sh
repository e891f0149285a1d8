#!/usr/bin/env bash
# embed.sh BUILD_DIR -- examples/embed.c, built by `make embed-example`
# against the library installed in BUILD_DIR/embed/prefix through
# pkg-config: the install holds what an embedder needs, and the example's
# checkpointed and restored run of examples/primes.c gives the output of
# an uninterrupted one.  Prints PASS/FAIL per check, "N passed, M failed"
# last.
set -u
BUILD=$(cd "$1" && pwd -P)
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
EMBED=$BUILD/embed/embed
PREFIX=$BUILD/embed/prefix
GUEST=$ROOT/build/examples/primes.wasm
passed=0 failed=0
check() {
  local name=$1
  shift
  if "$@"; then passed=$((passed + 1)); echo "PASS: $name"
  else failed=$((failed + 1)); echo "FAIL: $name"; fi
}
for f in "$EMBED" "$GUEST"; do
  [ -f "$f" ] || { echo "FAIL: $f is not built (make embed-example guests)"; echo "0 passed, 1 failed"; exit 1; }
done
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

for f in bin/inro lib/libinro.a include/inro.h lib/pkgconfig/inro.pc; do
  check "installed: $f" [ -s "$PREFIX/$f" ]
done
flags=$(PKG_CONFIG_PATH=$PREFIX/lib/pkgconfig pkg-config --cflags --libs inro)
check "pkg-config: flags of the installed prefix" \
  [ "$(echo $flags)" = "-I$PREFIX/include -L$PREFIX/lib -linro -lm" ]
check "installed inro runs" "$PREFIX/bin/inro" --help

mkdir "$TMP/ck" "$TMP/straight"
"$EMBED" "$GUEST" "$TMP/ck" >"$TMP/ck.out" 2>"$TMP/ck.err"
check "checkpointed run: exit status 0" [ $? = 0 ]
"$EMBED" --straight "$GUEST" "$TMP/straight" >"$TMP/straight.out" 2>"$TMP/straight.err"
check "straight run: exit status 0" [ $? = 0 ]
check "checkpoint taken after report 3" grep -q "^embed: checkpoint of [0-9]* bytes taken after report 3$" "$TMP/ck.err"
check "restored, and reports go on from 4" \
  grep -A1 -q "^embed: restored after report 3$" "$TMP/ck.err"
check "report 4 comes after the restore" \
  [ "$(grep -A1 '^embed: restored' "$TMP/ck.err" | tail -1 | cut -c1-16)" = "embed: report 4:" ]
check "no checkpoint in the straight run" [ "$(grep -c checkpoint "$TMP/straight.err")" = 0 ]
check "the result: 9592 primes below 100000" \
  [ "$(tail -n1 "$TMP/ck.out")" = "primes below 100000: 9592" ]
check "stdout: the same with and without the checkpoint" cmp -s "$TMP/ck.out" "$TMP/straight.out"
check "/out/primes.txt: the same with and without the checkpoint" \
  cmp -s "$TMP/ck/primes.txt" "$TMP/straight/primes.txt"
check "/out/primes.txt: every block" [ "$(wc -l <"$TMP/ck/primes.txt")" = 10 ]

"$EMBED" "$GUEST" "$TMP/missing" >/dev/null 2>"$TMP/bad.err"
rc=$?
check "a missing directory: exit 1, one line" [ $rc = 1 -a "$(wc -l <"$TMP/bad.err")" = 1 ]

echo "$passed passed, $failed failed"
[ $failed = 0 ]

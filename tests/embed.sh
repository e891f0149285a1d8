#!/usr/bin/env bash
# embed.sh BUILD_DIR -- examples/embed.c, built by `make embed-example`
# against the library installed in BUILD_DIR/embed/prefix through
# pkg-config: the install holds what an embedder needs; the library's
# only global symbols are inro.h's functions, so a program with names of
# its own that inro uses inside (tests/embed/collide.c) links with it; and
# the example's run of examples/primes.c on a fuel budget, interrupted by
# a watchdog thread, checkpointed and restored, reports each of these
# outcomes and gives the output of a straight one.  Prints PASS/FAIL per
# check, "N passed, M failed" last.
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
for f in "$EMBED" "$BUILD/embed/collide" "$GUEST"; do
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

# Only inro.h's names leave the library: check-exports lists every other
# global symbol of the archive (docs/embedding.md).
"$ROOT/tools/check-exports.sh" "$PREFIX/lib/libinro.a" >"$TMP/exports" 2>&1
check "libinro.a: no global symbol but inro.h's inro_* (tools/check-exports.sh)" \
  [ $? = 0 -a "$(grep -vc '^check-exports:' "$TMP/exports")" = 0 ]
# ... and every function inro.h declares is one of them.
grep -o 'INRO_API[^(]*(' "$PREFIX/include/inro.h" | grep -o '[a-z_][a-z0-9_]*($' | tr -d '(' |
  grep -v '^__attribute__$' | sort -u >"$TMP/api"
readelf -sW "$PREFIX/lib/libinro.a" | awk '$5 == "GLOBAL" && $7 != "UND" { print $8 }' |
  sort -u >"$TMP/globals"
check "libinro.a: its global symbols are the $(wc -l <"$TMP/api") functions inro.h declares" \
  [ -s "$TMP/api" -a "$(comm -3 "$TMP/api" "$TMP/globals" | wc -l)" = 0 ]
# ... and each of inro's own names that its objects share across files
# is in the archive only with the internal prefix, inro__ (a local symbol).
for o in "$BUILD"/obj/*/*.o; do
  case $o in */obj/cli/*) continue ;; esac
  readelf -sW "$o" | awk '$5 == "GLOBAL" && $6 == "HIDDEN" && $7 != "UND" { print $8 }'
done | sort -u >"$TMP/internal"
readelf -sW "$PREFIX/lib/libinro.a" | awk '$7 != "UND" && $8 != "" { print $5, $8 }' |
  sort -u >"$TMP/archived"
unprefixed=$(awk 'NR == FNR { want[$1] = 1; next } ($2 in want) { print $2 }' \
  "$TMP/internal" "$TMP/archived" | head -3)
prefixed=$(awk 'NR == FNR { want["inro__" $1] = 1; next } $1 == "LOCAL" && ($2 in want)' \
  "$TMP/internal" "$TMP/archived" | wc -l)
check "libinro.a: the $(wc -l <"$TMP/internal") internal names are local and named inro__NAME${unprefixed:+ (not: $unprefixed)}" \
  [ -s "$TMP/internal" -a -z "$unprefixed" -a "$prefixed" = "$(wc -l <"$TMP/internal")" ]
ar rc "$TMP/raw.a" "$BUILD/obj/binary/error.o"
check "check-exports lists the internal names of an object not localized" \
  [ "$("$ROOT/tools/check-exports.sh" "$TMP/raw.a" 2>/dev/null | grep -cx err_set)" = 1 ]
"$BUILD/embed/collide" >"$TMP/collide.out" 2>&1
check "a program defining err_set, memory_grow, wasi_new, sha256 links and runs" \
  [ $? = 0 -a "$(grep -c "^collide: err_set 2, wasi_new mine, memory_grow 7; inro's: \"..*\", 196608 bytes$" "$TMP/collide.out")" = 1 ]

mkdir "$TMP/ck" "$TMP/straight"
"$EMBED" "$GUEST" "$TMP/ck" >"$TMP/ck.out" 2>"$TMP/ck.err"
check "budgeted, interrupted and restored run: exit status 0" [ $? = 0 ]
"$EMBED" --straight "$GUEST" "$TMP/straight" >"$TMP/straight.out" 2>"$TMP/straight.err"
check "straight run: exit status 0" [ $? = 0 ]
# The budgeted run: out of fuel (checkpointed, resumed in place) before
# the watchdog's interruption after report 3 (checkpointed, dropped), then
# restored from that checkpoint, out of fuel again and resumed.
grep -n '^embed: \(out of fuel\|interrupted\|restored\)' "$TMP/ck.err" >"$TMP/stops"
first=$(head -n1 "$TMP/stops")
check "out of fuel before the interruption, checkpointed there" \
  [ "$(echo "$first" | grep -c '^[0-9]*:embed: out of fuel after report [12]: checkpoint of [0-9]* bytes$')" = 1 ]
check "interrupted once, after report 3, checkpointed there" \
  [ "$(grep -c '^embed: interrupted after report 3: checkpoint of [0-9]* bytes$' "$TMP/ck.err")" = 1 \
    -a "$(grep -c interrupted "$TMP/ck.err")" = 1 ]
check "restored after report 3, and the next report is 4" \
  [ "$(grep -A1 '^embed: interrupted' "$TMP/ck.err" | tail -1)" = "embed: restored after report 3" \
    -a "$(sed -n '/^embed: restored/,$p' "$TMP/ck.err" | grep -m1 '^embed: report' | cut -c1-16)" = "embed: report 4:" ]
check "the restored run: out of fuel and resumed too" \
  [ "$(sed -n '/^embed: restored/,$p' "$TMP/ck.err" | grep -c '^embed: out of fuel after report [4-9]: checkpoint of [0-9]* bytes$')" -ge 1 ]
check "reports 1 to 10, each once, across the stops and the restore" \
  [ "$(grep -o '^embed: report [0-9]*:' "$TMP/ck.err" | tr -d : | awk '{print $3}' | tr '\n' ' ')" = "1 2 3 4 5 6 7 8 9 10 " ]
check "the straight run: no budget, interruption or checkpoint" \
  [ "$(grep -c 'out of fuel\|interrupted\|checkpoint\|restored' "$TMP/straight.err")" = 0 \
    -a "$(grep -c '^embed: report' "$TMP/straight.err")" = 10 ]
check "the result: 9592 primes below 100000" \
  [ "$(tail -n1 "$TMP/ck.out")" = "primes below 100000: 9592" ]
check "stdout: the same as the straight run's" cmp -s "$TMP/ck.out" "$TMP/straight.out"
check "/out/primes.txt: the same as the straight run's" \
  cmp -s "$TMP/ck/primes.txt" "$TMP/straight/primes.txt"
check "/out/primes.txt: every block" [ "$(wc -l <"$TMP/ck/primes.txt")" = 10 ]

"$EMBED" "$GUEST" "$TMP/missing" >/dev/null 2>"$TMP/bad.err"
rc=$?
check "a missing directory: exit 1, one line" [ $rc = 1 -a "$(wc -l <"$TMP/bad.err")" = 1 ]

echo "$passed passed, $failed failed"
[ $failed = 0 ]

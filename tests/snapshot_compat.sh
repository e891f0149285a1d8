#!/usr/bin/env bash
# tests/snapshot_compat.sh BUILD_DIR [COMMIT] -- snapshots are portable
# across builds of inro: they hold the Wasm state, not the interpreter's.
#
# Builds COMMIT of this repository (default $COMPAT_COMMIT, else 47fb6ae,
# the last commit of the stack IR) natively, as `make build/inro` from a
# `git archive` of it, and keeps the binary in build/compat/SHA/inro, so
# only the first run pays for the build (about a minute on 2 cores).  The
# commit must be in the clone: if it is not (a shallow clone), the test
# fails and says so; it never skips.
#
# For each checkpoint guest (the ones of tests/checkpoint.sh), at the same
# 20 positions (in executed Wasm instructions, counted by BUILD_DIR/inro):
#   old build: inro run --snapshot S --checkpoint-after N ... (exit 75)
#   this build: inro restore --dir sb::/sandbox S
# and the other way round, this build checkpointing and the old one
# restoring.  Stdout and stderr of the two runs, concatenated, and the files
# the guest wrote must equal the uninterrupted run byte for byte.  Also
# checked per guest: both builds' uninterrupted runs agree, and both count
# the same number of instructions.  Whether the two builds wrote
# byte-identical snapshots is reported, not required.
#
# Last line: "N passed, M failed".
set -u
BUILD=${1:-build}
COMMIT=${2:-${COMPAT_COMMIT:-47fb6ae}}
ROOT=$(cd "$(dirname "$0")/.." && pwd -P)
NATIVE=$(cd "$BUILD" && pwd -P)/inro
G=$ROOT/build/guests
TMP=$(mktemp -d "${TMPDIR:-/tmp}/inro-compat.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
# fresh, run_guest, count_instructions, checkpoint_restore, ok, bad
. "$ROOT/tests/ckpt_lib.sh"

give_up() {
  echo "FAIL: $*"
  echo "0 passed, 1 failed"
  exit 1
}

# The old build, built once per commit into build/compat/SHA/inro.
sha=$(git -C "$ROOT" rev-parse --verify --quiet "$COMMIT^{commit}") ||
  give_up "commit $COMMIT is not in this clone of $ROOT (a shallow clone? git fetch --unshallow)"
OLD=$ROOT/build/compat/$sha/inro
if [ ! -x "$OLD" ]; then
  mkdir -p "$ROOT/build/compat"
  src=$(mktemp -d "$ROOT/build/compat/src.XXXXXX")
  log=$ROOT/build/compat/$sha.log
  echo "building $COMMIT ($sha) in $src (log: $log)"
  start=$SECONDS
  # The outer make's flags (jobserver, BUILD=...) are not the old tree's.
  if ! { git -C "$ROOT" archive "$sha" | tar -x -C "$src"; } >"$log" 2>&1 ||
     ! (cd "$src" && env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -j2 build/inro) >>"$log" 2>&1; then
    tail -n 20 "$log" | sed 's/^/    /'
    rm -rf "$src"
    give_up "could not build $COMMIT (log: $log)"
  fi
  mkdir -p "$(dirname "$OLD")"
  cp "$src/build/inro" "$OLD.tmp" && mv "$OLD.tmp" "$OLD"
  rm -rf "$src"
  echo "built $COMMIT in $((SECONDS - start)) s"
fi
echo "old build: $COMMIT = $sha ($("$OLD" --version 2>&1 | head -n 1))"

identical=0 compared=0
for name in ckpt_compute ckpt_files ckpt_recursion ckpt_indirect; do
  if [ ! -f "$G/$name.wasm" ]; then
    bad "$G/$name.wasm is not built (make guests)"
    continue
  fi
  run_guest "$NATIVE" "$TMP/ref" "$name"
  run_guest "$OLD" "$TMP/ref-old" "$name"
  if cmp -s "$TMP/ref/out" "$TMP/ref-old/out" && cmp -s "$TMP/ref/err" "$TMP/ref-old/err" &&
     cmp -s "$TMP/ref/rc" "$TMP/ref-old/rc" && same_files "$TMP/ref" "$TMP/ref-old"; then
    ok
  else
    bad "$name: the old build's uninterrupted run differs from this build's"
  fi
  total=$(count_instructions "$name")
  echo "$name: $total instructions"
  run_guest "$OLD" "$TMP/count" "$name" --snapshot "$TMP/count/s" --checkpoint-after $((total - 1))
  rc_before=$(cat "$TMP/count/rc")
  run_guest "$OLD" "$TMP/count" "$name" --snapshot "$TMP/count/s" --checkpoint-after "$total"
  if [ "$rc_before" = 75 ] && [ "$(cat "$TMP/count/rc")" != 75 ]; then
    ok
  else
    bad "$name: the old build does not count $total instructions"
  fi
  for k in $(seq 1 20); do
    n=$((total * k / 21))
    checkpoint_restore "$name" $n "$OLD" "$NATIVE" "$name @$k/21 old -> this build"
    [ -f "$TMP/case/snap" ] && mv "$TMP/case/snap" "$TMP/snap-old"
    checkpoint_restore "$name" $n "$NATIVE" "$OLD" "$name @$k/21 this build -> old"
    if [ -f "$TMP/snap-old" ] && [ -f "$TMP/case/snap" ]; then
      compared=$((compared + 1))
      cmp -s "$TMP/snap-old" "$TMP/case/snap" && identical=$((identical + 1))
    fi
    rm -f "$TMP/snap-old"
  done
done
echo "snapshots byte-identical between the two builds: $identical of $compared"
echo "$passed passed, $failed failed"
[ $failed = 0 ]

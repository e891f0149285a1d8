#!/usr/bin/env bash
# bench/snapshot.sh -- snapshot size and checkpoint / restore time for a
# guest using 64 MiB of memory (bench/bigmem.c), natively (build/inro) and
# on node (inro.wasm through tools/inro-node.mjs).
#
# The run is asked to checkpoint (--checkpoint-trigger) once the guest has
# filled its memory; measured: the time from the trigger to the snapshot
# written and the process gone (poll latency + capture + atomic write),
# the snapshot's size, and the time of `inro restore` to the end (parse,
# restore, and the guest's remaining checksum passes), next to the time of
# those passes in an uninterrupted run.  The restored output must equal
# the uninterrupted run's.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd -P)
make -s -C "$ROOT" build/inro build/bench/bigmem.wasm >/dev/null
[ -f "$ROOT/build/inro.wasm" ] || make -s -C "$ROOT" wasm >/dev/null
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
cd "$TMP"
now() { date +%s.%N; }
ms() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.0f", (b - a) * 1000 }'; }

measure() { # LABEL CMD...
  local label=$1
  shift
  local t0 t1 t2 t3
  t0=$(now)
  "$@" run "$ROOT/build/bench/bigmem.wasm" 2 >ref.out
  t1=$(now)
  rm -f trig s out
  "$@" run --snapshot s --checkpoint-trigger trig "$ROOT/build/bench/bigmem.wasm" 2 >out &
  local pid=$!
  until grep -q filled out 2>/dev/null; do sleep 0.01; done
  t2=$(now)
  touch trig
  wait $pid || true
  t3=$(now)
  local size
  size=$(wc -c <s)
  local r0 r1
  r0=$(now)
  "$@" restore s >>out
  r1=$(now)
  cmp -s out ref.out || { echo "$label: restored output differs" >&2; exit 1; }
  printf '| %-6s | %8.1f MiB | %8s ms | %8s ms | %8s ms |\n' "$label" \
    "$(awk -v s="$size" 'BEGIN { print s / 1048576 }')" "$(ms "$t2" "$t3")" \
    "$(ms "$r0" "$r1")" "$(ms "$t0" "$t1")"
}

echo "| host   | snapshot     | trigger -> written | restore to end | whole run |"
echo "|--------|-------------:|------------:|------------:|------------:|"
measure native "$ROOT/build/inro"
measure node node "$ROOT/tools/inro-node.mjs"

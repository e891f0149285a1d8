#!/usr/bin/env bash
# bench/probes.sh -- what instrumentation support costs when no probe is
# inserted, and after probes were inserted and all removed again.
#
# Columns, interleaved, median of RUNS (default 5) wall times:
#   compiled out   build/noprobes/inro, built with -DINRO_NO_PROBES
#   none inserted  build/inro, no probe ever inserted
#   removed        build/inro --monitor count@1..1000: a global probe for
#                  the first 1000 instructions, then removed
# and the ratios none/compiled-out and removed/compiled-out (aim <= 1.02).
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd -P)
RUNS=${RUNS:-5}
cd "$ROOT"
make -s build/inro bench-progs >/dev/null
make -s BUILD=build/noprobes CFLAGS="-O2 -g -DINRO_NO_PROBES" build/noprobes/inro >/dev/null
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

time_ms() { # CMD... -> wall ms
  local t0 t1
  t0=$(date +%s%N)
  "$@" >/dev/null 2>&1
  t1=$(date +%s%N)
  echo $(((t1 - t0) / 1000000))
}
median() { tr ' ' '\n' | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

printf '| %-34s | %12s | %13s | %8s | %10s | %9s |\n' benchmark "compiled out" "none inserted" removed "none/out" "removed/out"
printf '|%s|\n' "------------------------|-------------:|--------------:|---------:|-----------:|----------:"
for b in "mandelbrot 600" "leibniz 40000000" "fib 34" "nbody 80000" "hashsort 400000" "transpose 2048 1"; do
  set -- $b
  prog=build/bench/$1.wasm
  shift
  out=() none=() rem=()
  for _ in $(seq "$RUNS"); do
    out+=("$(time_ms build/noprobes/inro run "$prog" "$@")")
    none+=("$(time_ms build/inro run "$prog" "$@")")
    rem+=("$(time_ms build/inro run --monitor count@1..1000 --monitor-out "$TMP/m.json" "$prog" "$@")")
  done
  o=$(echo "${out[*]}" | median) n=$(echo "${none[*]}" | median) r=$(echo "${rem[*]}" | median)
  printf '| %-34s | %9s ms | %10s ms | %5s ms | %10s | %9s |\n' "$prog $*" "$o" "$n" "$r" \
    "$(awk -v a="$n" -v b="$o" 'BEGIN { printf "%.3f", a / b }')" \
    "$(awk -v a="$r" -v b="$o" 'BEGIN { printf "%.3f", a / b }')"
done

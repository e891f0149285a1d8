#!/usr/bin/env bash
# bench/monitors.sh -- the cost of each monitor (docs/instrumentation.md):
# every benchmark program run without monitors and with each monitor in
# turn, interleaved, in the same invocation; prints the uninstrumented time
# and each monitor's slowdown factor (median of the runs).  A monitor must
# not change what the program prints: a difference fails the script.
#
#   bench/monitors.sh [--runs N] [--inro PATH] [--monitors a,b,...]
#
# Programs: build/bench/*.wasm (make bench-progs) with the arguments
# below, smaller than bench/run's (count and coverage see every
# instruction), or build/examples/mandelbrot.wasm when those are absent.
# The reports go to /dev/null: as text on stderr, or as JSON for trace
# (which keeps up to 8 Mi records and formats them all at exit).
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
runs=3
inro=$root/build/inro
monitors=count,calls,coverage,memory,profile,branches,trace
while [ $# -gt 0 ]; do
  case $1 in
    --runs) runs=$2; shift 2 ;;
    --inro) inro=$2; shift 2 ;;
    --monitors) monitors=$2; shift 2 ;;
    -h|--help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench/monitors.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
[ -x "$inro" ] || { echo "bench/monitors.sh: no inro at $inro (make)" >&2; exit 1; }
IFS=, read -r -a mons <<<"$monitors"

# name|module|args
progs=()
b=$root/build/bench
for spec in "mandelbrot|300" "leibniz|10000000" "fib|30" "nbody|20000" \
            "hashsort|100000" "transpose|1024 1"; do
  name=${spec%%|*}
  [ -f "$b/$name.wasm" ] && progs+=("$name|$b/$name.wasm|${spec#*|}")
done
if [ ${#progs[@]} = 0 ]; then
  m=$root/build/examples/mandelbrot.wasm
  [ -f "$m" ] || { echo "bench/monitors.sh: build the programs (make bench-progs or make guests)" >&2; exit 1; }
  progs=("mandelbrot|$m|300")
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/inro-bench-mon.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

now() { date +%s%N; }

# one KEY MODULE ARGS MONITOR: one run; appends its milliseconds to
# $tmp/KEY.times and checks stdout against the uninstrumented run's.
status=0
one() {
  local key=$1 module=$2 args=$3 mon=$4 t0 t1 out=$tmp/$1.out
  local -a opts=()
  [ "$mon" = none ] || opts=(--monitor "$mon")
  [ "$mon" = trace ] && opts+=(--monitor-out /dev/null)
  t0=$(now)
  # shellcheck disable=SC2086 # args are words
  "$inro" run "${opts[@]}" "$module" $args >"$out" 2>/dev/null
  t1=$(now)
  echo $(((t1 - t0) / 1000000)) >>"$tmp/$key.times"
  if [ "$mon" != none ] && ! cmp -s "$out" "$tmp/${key%%:*}:none.out"; then
    echo "bench/monitors.sh: $key: the program's output changed" >&2
    status=1
  fi
}

median() { sort -n "$1" | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }

for ((r = 1; r <= runs; r++)); do
  for p in "${progs[@]}"; do
    IFS='|' read -r name module args <<<"$p"
    one "$name:none" "$module" "$args" none
    for m in "${mons[@]}"; do one "$name:$m" "$module" "$args" "$m"; done
  done
done

printf '%-12s %9s' program "none ms"
for m in "${mons[@]}"; do printf ' %9s' "$m"; done
printf '\n'
for p in "${progs[@]}"; do
  IFS='|' read -r name module args <<<"$p"
  base=$(median "$tmp/$name:none.times")
  printf '%-12s %9s' "$name" "$base"
  for m in "${mons[@]}"; do
    t=$(median "$tmp/$name:$m.times")
    awk -v t="$t" -v b="$base" 'BEGIN {printf " %8.1fx", (b > 0 ? t / b : 0)}'
  done
  printf '\n'
done
echo "(slowdown = median time with the monitor / median time without;" \
     "$runs runs each, process start included)"
exit $status

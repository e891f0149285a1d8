#!/usr/bin/env bash
# bench/monitors.sh -- the cost of each monitor (docs/instrumentation.md):
# every benchmark program run without monitors and with each monitor in
# turn, interleaved, in the same invocation; prints the uninstrumented time
# and each monitor's slowdown factor (median of the runs), one table per
# host.  A monitor must not change what the program prints: a difference
# fails the script.
#
#   bench/monitors.sh [--runs N] [--inro PATH] [--monitors a,b,...]
#   bench/monitors.sh --all [--scale F] [--hosts native,node] [--runs N]
#                     [--monitors a,b,...]
#
# Default: natively (build/inro), the programs of build/bench (make
# bench-progs) with the arguments below, smaller than bench/run's, or
# build/examples/mandelbrot.wasm when those are absent.
# --all: every benchmark of bench/run with its arguments at --scale F
# (bench/run --list; default 0.2, since count and trace see every
# instruction), natively and as inro.wasm on node (tools/inro-node.mjs,
# INRO_WASM to pick another build), or the hosts given.
# Process start is included (node's, and its compilation of inro.wasm:
# the plain time says how much of a run that is).  The reports are
# written as JSON to /dev/null: their formatting is part of the cost.
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
runs=3
inro=$root/build/inro
monitors=count,calls,coverage,memory,profile,branches,trace
all=0
scale=0.2
hosts=
while [ $# -gt 0 ]; do
  case $1 in
    --runs) runs=$2; shift 2 ;;
    --inro) inro=$2; shift 2 ;;
    --monitors) monitors=$2; shift 2 ;;
    --all) all=1; shift ;;
    --scale) scale=$2; shift 2 ;;
    --hosts) hosts=$2; shift 2 ;;
    -h|--help) sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench/monitors.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
[ -n "$hosts" ] || { [ $all = 1 ] && hosts=native,node || hosts=native; }
IFS=, read -r -a mons <<<"$monitors"
IFS=, read -r -a hostlist <<<"$hosts"
for h in "${hostlist[@]}"; do
  case $h in
    native) [ -x "$inro" ] || { echo "bench/monitors.sh: no inro at $inro (make)" >&2; exit 1; } ;;
    node) wasm=${INRO_WASM:-$root/build/inro.wasm}
          [ -f "$wasm" ] || { echo "bench/monitors.sh: no $wasm (make wasm)" >&2; exit 1; } ;;
    *) echo "bench/monitors.sh: unknown host $h (native, node)" >&2; exit 2 ;;
  esac
done

# name|module|args
progs=()
b=$root/build/bench
if [ $all = 1 ]; then
  list=$(node "$root/bench/run" --list --scale "$scale") || exit 1
  while read -r name prog args; do
    [ -f "$b/$prog.wasm" ] || { echo "bench/monitors.sh: no $b/$prog.wasm (make bench-progs)" >&2; exit 1; }
    progs+=("$name|$b/$prog.wasm|$args")
  done <<<"$list"
else
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
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/inro-bench-mon.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
# Private copies, so that a rebuild while this runs cannot mix versions.
cp "$inro" "$tmp/inro" 2>/dev/null
[ -n "${wasm:-}" ] && cp "$wasm" "$tmp/inro.wasm"

now() { date +%s%N; }

# one HOST KEY MODULE ARGS MONITOR: one run; appends its milliseconds to
# $tmp/HOST:KEY.times and checks stdout against the uninstrumented run's.
status=0
one() {
  local host=$1 key=$2 module=$3 args=$4 mon=$5 t0 t1 out=$tmp/$1:$2.out
  local -a cmd opts=()
  [ "$mon" = none ] || opts=(--monitor "$mon" --monitor-out /dev/null)
  case $host in
    native) cmd=("$tmp/inro" run) ;;
    node) cmd=(env INRO_WASM="$tmp/inro.wasm" node --single-threaded-gc "$root/tools/inro-node.mjs" run) ;;
  esac
  t0=$(now)
  # shellcheck disable=SC2086 # args are words
  "${cmd[@]}" "${opts[@]}" "$module" $args >"$out" 2>"$tmp/err"
  local rc=$?
  t1=$(now)
  echo $(((t1 - t0) / 1000000)) >>"$tmp/$host:$key.times"
  if [ $rc != 0 ]; then
    echo "bench/monitors.sh: $host $key: exit status $rc: $(head -1 "$tmp/err")" >&2
    status=1
  elif [ "$mon" != none ] && ! cmp -s "$out" "$tmp/$host:${key%%:*}:none.out"; then
    echo "bench/monitors.sh: $host $key: the program's output changed" >&2
    status=1
  fi
}

median() { sort -n "$1" | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }

for ((r = 1; r <= runs; r++)); do
  for p in "${progs[@]}"; do
    IFS='|' read -r name module args <<<"$p"
    for h in "${hostlist[@]}"; do
      one "$h" "$name:none" "$module" "$args" none
      for m in "${mons[@]}"; do one "$h" "$name:$m" "$module" "$args" "$m"; done
    done
  done
done

for h in "${hostlist[@]}"; do
  case $h in
    native) echo "native (build/inro):" ;;
    node) echo "inro.wasm on node:" ;;
  esac
  printf '%-12s %9s' program "none ms"
  for m in "${mons[@]}"; do printf ' %9s' "$m"; done
  printf '\n'
  for p in "${progs[@]}"; do
    IFS='|' read -r name module args <<<"$p"
    base=$(median "$tmp/$h:$name:none.times")
    printf '%-12s %9s' "$name" "$base"
    for m in "${mons[@]}"; do
      t=$(median "$tmp/$h:$name:$m.times")
      awk -v t="$t" -v b="$base" 'BEGIN {printf " %8.2fx", (b > 0 ? t / b : 0)}'
    done
    printf '\n'
  done
done
echo "(slowdown = median time with the monitor / median time without;" \
     "$runs runs each, process start included)"
exit $status

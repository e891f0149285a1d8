#!/usr/bin/env bash
# bench/memory.sh -- inro's memory overhead: the peak RSS of build/inro
# running a guest that uses M bytes of linear memory, against the target
# "peak RSS <= M + 4 MiB" (docs/performance.md), next to the same program
# compiled natively and, for comparison only, node.
#
#   bench/memory.sh [--sizes 0,16,64,256]      (RUNS=N, default 3)
#
# Guests, one row per size (MiB): 0 is build/bench/fib.wasm 1 (start-up
# only); any other M is build/bench/transpose.wasm N 1 with
# N = floor(sqrt(M MiB / 8)): two N x N matrices of 32-bit words, both
# written in full.  (bench/bigmem.c always uses 64 MiB, so it cannot make
# the other sizes.)
#
# M counts the bytes of linear memory the guest touches (loads or stores),
# in 4 KiB pages: pages_4k_touched of `inro run --monitor memory`, in a
# run of its own (the monitor's memory is not measured).  Linear memory
# never touched need not be resident, so touched bytes is what RSS can be
# held to; for these guests it is within a few pages of memory.size.
#
# Peak RSS is GNU time's %M, the median of RUNS runs (interleaved), of
#   native     build/bench/PROG ARGS
#   inro       build/inro run build/bench/PROG.wasm ARGS
#   node WASI  node tools/node-wasi-run.mjs ...   (if node is installed)
#   inro.wasm  node tools/inro-node.mjs run ...   (and build/inro.wasm exists)
# node runs with --single-threaded-gc, as in bench/run.  Every run's output
# must equal the native run's: a failing run or a difference stops the
# script with exit status 1.  The target is reported per row, not
# asserted: the exit status is 0 whenever all runs succeeded.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd -P)
RUNS=${RUNS:-3}
SIZES=0,16,64,256
die() { echo "bench/memory.sh: $*" >&2; exit 1; }
usage() { echo "bench/memory.sh: $1" >&2; echo "usage: bench/memory.sh [--sizes M,M,...] [--help]" >&2; exit 2; }
while [ $# -gt 0 ]; do
  case $1 in
    --sizes) [ $# -ge 2 ] || usage "--sizes needs a value"; SIZES=$2; shift 2 ;;
    --sizes=*) SIZES=${1#*=}; shift ;;
    -h | --help) sed -n '2,/^set /{/^set /d; s/^# \{0,1\}//; p}' "$0"; exit 0 ;;
    *) usage "unknown option $1" ;;
  esac
done
[[ $SIZES =~ ^[0-9]+(,[0-9]+)*$ ]] || usage "--sizes wants MiB numbers separated by commas, e.g. 16,64,256"
for m in ${SIZES//,/ }; do ((10#$m <= 512)) || usage "size $m: at most 512 (MiB)"; done
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || usage "RUNS must be a positive number"
/usr/bin/time -f %M -o /dev/null true 2>/dev/null ||
  die "GNU time is needed at /usr/bin/time for peak RSS (apt-get install time)"

cd "$ROOT"
make -s build/inro bench-progs >/dev/null
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
COLS=(native inro) skipped=
if command -v node >/dev/null; then
  COLS+=(node)
  if [ -f build/inro.wasm ]; then COLS+=(inro.wasm); else skipped="inro.wasm on node (no build/inro.wasm: make wasm)"; fi
else
  skipped="node WASI and inro.wasm on node (no node)"
fi

RSS=0
rss() { # LABEL CMD... -> RSS (peak, KiB); stdout must equal $TMP/ref (the first run's)
  local label=$1
  shift
  /usr/bin/time -f %M -o "$TMP/rss" "$@" >"$TMP/out" 2>"$TMP/err" ||
    die "FAIL ($label): $*: $(head -n 1 "$TMP/rss")$(tail -n 3 "$TMP/err" | tr '\n' ' ' | sed 's/^/: /; s/ *$//')"
  [ -f "$TMP/ref" ] || cp "$TMP/out" "$TMP/ref"
  cmp -s "$TMP/out" "$TMP/ref" || die "FAIL ($label): $*: output differs from native's"
  RSS=$(tail -n 1 "$TMP/rss")
}
median() { printf '%s\n' "$@" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
mib() { if [ "$1" = - ]; then echo -; else awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; fi; }

printf '| %8s | %-22s | %7s | %7s | %8s | %13s | %9s | %9s | %-14s |\n' "M (MiB)" guest native inro "inro - M" "inro - native" \
  "node WASI" inro.wasm "<= M + 4 MiB"
echo "|---------:|------------------------|--------:|--------:|---------:|--------------:|----------:|----------:|----------------|"
for m in ${SIZES//,/ }; do
  m=$((10#$m))
  if [ "$m" -eq 0 ]; then
    prog=fib args=(1)
  else
    prog=transpose args=("$(awk -v m="$m" 'BEGIN { print int(sqrt(m * 131072)) }')" 1)
  fi
  wasm=build/bench/$prog.wasm
  build/inro run --monitor memory --monitor-out "$TMP/mon.json" "$wasm" "${args[@]}" >/dev/null ||
    die "FAIL: build/inro run --monitor memory $wasm ${args[*]}"
  mk=$(($(sed -n 's/.*"pages_4k_touched": *\([0-9]*\).*/\1/p' "$TMP/mon.json") * 4)) # M in KiB
  declare -A got=([native]="" [inro]="" [node]="" [inro.wasm]="")
  rm -f "$TMP/ref"
  for _ in $(seq "$RUNS"); do
    for c in "${COLS[@]}"; do
      case $c in
        native) rss "$c" "build/bench/$prog" "${args[@]}" ;;
        inro) rss "$c" build/inro run "$wasm" "${args[@]}" ;;
        node) rss "$c" node --single-threaded-gc --no-warnings tools/node-wasi-run.mjs "$wasm" "${args[@]}" ;;
        inro.wasm) rss "$c" node --single-threaded-gc tools/inro-node.mjs run "$wasm" "${args[@]}" ;;
      esac
      got[$c]+=" $RSS"
    done
  done
  for c in native inro node inro.wasm; do
    # shellcheck disable=SC2086 # the runs' values, split on purpose
    if [ -n "${got[$c]}" ]; then got[$c]=$(median ${got[$c]}); else got[$c]=-; fi
  done
  over=$((got[inro] - mk))
  if [ "$over" -le 4096 ]; then verdict="target met"; else verdict="target NOT met"; fi
  printf '| %8s | %-22s | %7s | %7s | %8s | %13s | %9s | %9s | %-14s |\n' "$(mib "$mk")" "$prog ${args[*]}" \
    "$(mib "${got[native]}")" "$(mib "${got[inro]}")" "$(mib "$over")" "$(mib $((got[inro] - got[native])))" \
    "$(mib "${got[node]}")" "$(mib "${got[inro.wasm]}")" "$verdict"
done
echo
echo "peak RSS in MiB, median of $RUNS runs; M = linear memory touched (4 KiB pages)${skipped:+; skipped: $skipped}"

#!/usr/bin/env bash
# bench/tailcall.sh -- would WebAssembly's tail calls make inro.wasm
# faster on the hosts that have them?  Two measurements, each A/B in the
# same run, interleaved, median of RUNS (default 5) wall times:
#
#  1. dispatch: the interpreter of tests/guests/tailcall.c, whose
#     handlers end in a musttail call (return_call_indirect), against the
#     same interpreter dispatching with a loop around a switch
#     (-DDISPATCH_SWITCH), as inro.wasm's own interpreter does; on node
#     and on inro.
#  2. inro.wasm built with -mtail-call (its calls in tail position become
#     return_call; nothing else changes) against the default inro.wasm,
#     running bench/ programs on node.
#
# Prints one table per measurement with the ratio tail/switch and
# tail-call build/default (lower is faster).
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd -P)
RUNS=${RUNS:-5}
cd "$ROOT"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
CPU="-mcpu=mvp -mmutable-globals -msign-ext -mnontrapping-fptoint -mbulk-memory"
make -s build/inro wasm bench-progs >/dev/null
make -s wasm WASM_CPU="$CPU -mtail-call" WASM_DIR=build/wasm-tail WASM_OUT=build/inro-tail.wasm >/dev/null
for v in tail switch; do
  flags=-mtail-call
  [ $v = switch ] && flags=-DDISPATCH_SWITCH
  clang-19 --target=wasm32-wasi --sysroot=/usr -O2 $flags -c -o "$TMP/$v.o" tests/guests/tailcall.c
  clang-19 --target=wasm32-wasi --sysroot=/usr -o "$TMP/$v.wasm" "$TMP/$v.o"
done

time_ms() { # CMD... -> wall ms
  local t0 t1
  t0=$(date +%s%N)
  "$@" >/dev/null 2>&1
  t1=$(date +%s%N)
  echo $(((t1 - t0) / 1000000))
}
median() { tr ' ' '\n' | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

echo "1. dispatch: tests/guests/tailcall.c, its programs 20 times"
printf '| %-6s | %9s | %9s | %11s |\n' host "tail call" switch "tail/switch"
printf '|%s|\n' "--------|----------:|----------:|------------:"
for host in node inro; do
  a=() b=()
  for _ in $(seq "$RUNS"); do
    for v in tail switch; do
      if [ $host = node ]; then t=$(time_ms node tools/node-wasi-run.mjs "$TMP/$v.wasm" 20)
      else t=$(time_ms build/inro run "$TMP/$v.wasm" 20); fi
      if [ $v = tail ]; then a+=("$t"); else b+=("$t"); fi
    done
  done
  ta=$(echo "${a[*]}" | median) tb=$(echo "${b[*]}" | median)
  printf '| %-6s | %6s ms | %6s ms | %11s |\n' $host "$ta" "$tb" "$(ratio "$ta" "$tb")"
done

echo
echo "2. inro.wasm built with -mtail-call against the default, on node"
printf '| %-20s | %10s | %10s | %13s |\n' benchmark "-mtail-call" default "tail/default"
printf '|%s|\n' "----------------------|-----------:|-----------:|--------------:"
for b in "fib 30" "mandelbrot 300" "bytecode 3000" "btree 10000"; do
  set -- $b
  prog=build/bench/$1.wasm
  shift
  a=() d=()
  for _ in $(seq "$RUNS"); do
    a+=("$(INRO_WASM=build/inro-tail.wasm time_ms node tools/inro-node.mjs run "$prog" "$@")")
    d+=("$(INRO_WASM=build/inro.wasm time_ms node tools/inro-node.mjs run "$prog" "$@")")
  done
  ta=$(echo "${a[*]}" | median) td=$(echo "${d[*]}" | median)
  printf '| %-20s | %7s ms | %7s ms | %13s |\n' "$b" "$ta" "$td" "$(ratio "$ta" "$td")"
done

#!/usr/bin/env bash
# bench/snapshot.sh -- checkpoints, restores and live migrations of guests
# with 64 MiB of live memory (docs/performance.md, docs/migration.md).
#
#   bench/snapshot.sh [--baseline REV] [--runs N] [--skip-node]
#
# 1. Checkpoint and restore of bench/bigmem.c (64 MiB, no page zero),
#    natively and on node (inro.wasm through tools/inro-node.mjs), with
#    build/inro and, given --baseline, inro built at git revision REV (in
#    build/baseline-REV, from `git archive`): the figures to compare with,
#    measured in the same run.
#      checkpoint  from the trigger file appearing to the snapshot written
#                  and the process gone: the poll for the trigger, capture,
#                  atomic write with its fsync, and exit
#      restore     `inro restore` from its start to its exit; the guest has
#                  nothing left to do by then (it waits on the clock past
#                  the checkpoint), so this is the restore and the exit
#    and, where the build has --timing, inro's own account: the checkpoint
#    from its start to the rename, the restore from the command's start to
#    the guest's first instruction, each with the CPU time it took (which
#    other jobs on the machine disturb less than wall time).  The restored
#    output must equal the uninterrupted run's.
# 2. Live migration of tests/guests/ckpt_writer.c with 64 MiB, writing 1 KiB
#    blocks at 1 MiB/s at pseudo-random places (3000 of them), started once
#    it has filled its memory:
#      tcp           inro run --migrate-to 127.0.0.1:PORT -> inro listen
#      stop-and-copy the same with --migrate-rounds 0: the program stops at
#                    once and all of its state is sent (a plain checkpoint
#                    written into the connection: the checkpoint plus the
#                    copy in one)
#      pipe to node  inro run --migrate-to - | node tools/inro-node.mjs
#                    restore -
#    From --timing: the downtime (the target's clock at its first guest
#    instruction minus the source's at its last, one machine, one clock),
#    the source's part of it (its stop to the last byte sent) and the CPU
#    time of that part, the migration's total time at the source (its start
#    to the last byte sent), rounds, MiB sent.  The outputs must equal the
#    uninterrupted run's.
# Every figure is the median of N runs (default 3).  Timings on a shared
# machine are noisy: compare figures of one run of this script.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd -P)
RUNS=3 BASE="" NODE=1
while [ $# -gt 0 ]; do
  case $1 in
  --baseline) BASE=$2; shift 2 ;;
  --runs) RUNS=$2; shift 2 ;;
  --skip-node) NODE=0; shift ;;
  *) echo "usage: bench/snapshot.sh [--baseline REV] [--runs N] [--skip-node]" >&2; exit 2 ;;
  esac
done
make -s -C "$ROOT" build/inro build/bench/bigmem.wasm build/guests/ckpt_writer.wasm >/dev/null
[ $NODE = 0 ] || [ -f "$ROOT/build/inro.wasm" ] || make -s -C "$ROOT" wasm >/dev/null
if [ -n "$BASE" ]; then
  rev=$(git -C "$ROOT" rev-parse --short "$BASE")
  BDIR=$ROOT/build/baseline-$rev
  if [ ! -x "$BDIR/build/inro" ]; then
    rm -rf "$BDIR" && mkdir -p "$BDIR"
    git -C "$ROOT" archive "$rev" | tar -x -C "$BDIR"
    nice make -s -C "$BDIR" -j2 build/inro >/dev/null
    [ $NODE = 0 ] || nice make -s -C "$BDIR" -j2 wasm >/dev/null
  fi
fi
TMP=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$TMP"' EXIT
cd "$TMP"
now() { date +%s%N; }
ms() { echo $((($2 - $1) / 1000000)); }
median() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)]; else print "-" }'; }
# The figure after "WORD" (up to "ms") in a --timing line.
timing() { sed -n "s/.*$1 \([0-9.]*\) ms.*/\1/p" "$2" | head -1; }
# The CPU time of the --timing line that has WORD.
cpu() { grep "$1" "$2" | sed -n 's/.*[(;] \{0,1\}\([0-9.]*\) ms of CPU time).*/\1/p' | head -1; }

BIGMEM=$ROOT/build/bench/bigmem.wasm
# measure_ckpt LABEL CMD...: one row for checkpoint and restore.
measure_ckpt() {
  local label=$1 c=() r=() ic=() ir=() cc=() cr=() size=0 k timing=""
  shift
  "$@" run "$BIGMEM" 0 >ref.out
  "$@" run --help | grep -q -- --timing && timing=--timing
  for k in $(seq "$RUNS"); do
    rm -f trig s out err
    "$@" run --snapshot s --checkpoint-trigger trig $timing "$BIGMEM" 0 400 >out 2>err &
    local pid=$! t0 t1 t2 t3
    until grep -q filled out 2>/dev/null; do
      kill -0 $pid 2>/dev/null || { echo "$label: the run failed: $(cat err)" >&2; exit 1; }
      sleep 0.005
    done
    sleep 0.05
    t0=$(now)
    touch trig
    wait $pid || true
    t1=$(now)
    size=$(wc -c <s)
    sleep 0.45 # past the guest's wait
    t2=$(now)
    "$@" restore $timing s >>out 2>rerr || true
    t3=$(now)
    cmp -s out ref.out || { echo "$label: restored output differs" >&2; exit 1; }
    c+=("$(ms "$t0" "$t1")") r+=("$(ms "$t2" "$t3")")
    if [ -n "$timing" ]; then
      ic+=("$(timing "written in" err)") ir+=("$(timing "resumed" rerr)")
      cc+=("$(cpu "written in" err)") cr+=("$(cpu "resumed" rerr)")
    fi
  done
  printf '| %-16s | %6.1f MiB | %8s ms | %8s ms | %8s ms (%s) | %8s ms (%s) |\n' "$label" \
    "$(awk -v s="$size" 'BEGIN { print s / 1048576 }')" \
    "$(echo "${c[@]}" | median)" "$(echo "${r[@]}" | median)" \
    "$(echo "${ic[@]}" | median)" "$(echo "${cc[@]}" | median)" \
    "$(echo "${ir[@]}" | median)" "$(echo "${cr[@]}" | median)"
}

echo "Checkpoint and restore, 64 MiB of live memory (bench/bigmem.c), median of $RUNS:"
echo
echo "| inro, host       | snapshot   | checkpoint  | restore     | inro: checkpoint (CPU) | inro: restore (CPU) |"
echo "|------------------|-----------:|------------:|------------:|-----------------:|-----------------:|"
if [ -n "$BASE" ]; then
  measure_ckpt "$rev, native" "$BDIR/build/inro"
fi
measure_ckpt "this, native" "$ROOT/build/inro"
if [ $NODE = 1 ]; then
  if [ -n "$BASE" ]; then
    INRO_WASM=$BDIR/build/inro.wasm measure_ckpt "$rev, node" node "$ROOT/tools/inro-node.mjs"
  fi
  measure_ckpt "this, node" node "$ROOT/tools/inro-node.mjs"
fi

# ------------------------------------------------------------ migration

WRITER=$ROOT/build/guests/ckpt_writer.wasm
ARGS="64 3000 1"
INRO=$ROOT/build/inro
"$INRO" run "$WRITER" $ARGS >wref.out

# migrate LABEL MODE (tcp, stop, pipe): one row.
migrate() {
  local label=$1 mode=$2 d=() t=() rounds=() sent=() st=() sc=() k
  for k in $(seq "$RUNS"); do
    rm -f port trig s.out s.err t.out t.err
    local lp="" opts="--timing --checkpoint-trigger trig"
    (until grep -q filled s.out s.err 2>/dev/null; do sleep 0.01; done
     sleep 0.3; touch trig) &
    if [ "$mode" = pipe ]; then
      { "$INRO" run --migrate-to - $opts "$WRITER" $ARGS 2>s.err || true; } |
        node "$ROOT/tools/inro-node.mjs" restore --timing - >t.out 2>t.err || true
      mv s.err s.all
      grep -v '^inro: ' s.all >s.out || true
      grep '^inro: ' s.all >s.err || true
    else
      "$INRO" listen --timing --port-file port 127.0.0.1:0 >t.out 2>t.err &
      lp=$!
      until [ -s port ]; do sleep 0.01; done
      [ "$mode" = stop ] && opts="$opts --migrate-rounds 0"
      "$INRO" run --migrate-to "127.0.0.1:$(cat port)" $opts "$WRITER" $ARGS >s.out 2>s.err || true
      wait $lp || true
    fi
    cat s.out t.out | cmp -s - wref.out || { echo "$label: migrated output differs" >&2; exit 1; }
    d+=("$(timing downtime t.err)")
    st+=("$(sed -n 's/.*, \([0-9.]*\) ms stopped.*/\1/p' s.err)")
    sc+=("$(cpu "ms stopped" s.err)")
    t+=("$(sed -n 's/.*, \([0-9.]*\) ms in all.*/\1/p' s.err)")
    rounds+=("$(sed -n 's/.*migration: \([0-9]*\) rounds.*/\1/p' s.err)")
    sent+=("$(sed -n 's/.*rounds, \([0-9.]*\) MiB sent.*/\1/p' s.err)")
  done
  printf '| %-14s | %8s ms | %6s ms (%s) | %9s ms | %6s | %8s MiB |\n' "$label" \
    "$(echo "${d[@]}" | median)" "$(echo "${st[@]}" | median)" "$(echo "${sc[@]}" | median)" \
    "$(echo "${t[@]}" | median)" "$(echo "${rounds[@]}" | median)" "$(echo "${sent[@]}" | median)"
}

echo
echo "Live migration of 64 MiB written at 1 MiB/s (tests/guests/ckpt_writer.c $ARGS), median of $RUNS:"
echo
echo "| migration      | downtime    | source's stop (CPU) | total        | rounds | sent         |"
echo "|----------------|------------:|--------------------:|-------------:|-------:|-------------:|"
migrate "stop-and-copy" stop
migrate "tcp, pre-copy" tcp
[ $NODE = 0 ] || migrate "pipe to node" pipe

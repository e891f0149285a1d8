#!/usr/bin/env bash
# tests/checkpoint_triggers.sh BUILD_DIR -- the ways to take a checkpoint
# besides --checkpoint-after (tests/checkpoint.sh), and corrupted snapshots
# fed to the command line:
#   --checkpoint-trigger PATH, a `checkpoint` line in --control FILE,
#   `report count` / `off count` lines for monitors,
#   SIGUSR1 (native only), --checkpoint-continue, --checkpoint-on-trap with
#   inspect / inspect --json, --snapshot-module=ref with restore --module,
#   and tests/snapshot_mutate.mjs (MUTATIONS cases, default 3000, and a
#   third as many of a migration stream through standard input).
# Last line: "N passed, M failed".
set -u
BUILD=${1:-build}
ROOT=$(cd "$(dirname "$0")/.." && pwd -P)
INRO=$(cd "$BUILD" && pwd -P)/inro
G=$ROOT/build/guests
TMP=$(mktemp -d "${TMPDIR:-/tmp}/inro-trig.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
cd "$TMP"
passed=0 failed=0
check() { # NAME CONDITION...
  local name=$1
  shift
  if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL: $name"; fi
}
same() { cmp -s "$1" "$2"; }
COMPUTE=$G/ckpt_compute.wasm

# The reference: the uninterrupted run.
"$INRO" run "$COMPUTE" 4000 >ref.out 2>ref.err

# A stop by some trigger, then a restore: together the reference output.
stop_and_restore() { # NAME RUN-OPTIONS...
  local name=$1
  shift
  rm -f s o1 e1 o2 e2
  "$INRO" run --snapshot s "$@" "$COMPUTE" 4000 >o1 2>e1
  local rc=$?
  check "$name: stops with 75 (got $rc)" [ $rc = 75 ]
  "$INRO" restore s >o2 2>e2
  cat o1 o2 >o
  cat e1 e2 >e
  check "$name: restored output is the reference" same o ref.out
  check "$name: restored stderr is the reference" same e ref.err
}

touch trigger
stop_and_restore trigger --checkpoint-trigger trigger
check "trigger file is removed" [ ! -e trigger ]

printf 'checkpoint\n' >control
stop_and_restore control --control control

# --checkpoint-continue: the run completes, the snapshot replays its tail.
rm -f s
"$INRO" run --snapshot s --checkpoint-continue --checkpoint-after 500000 "$COMPUTE" 4000 >o 2>e
check "continue: run completes" [ $? = 0 ]
check "continue: output unchanged" same o ref.out
"$INRO" restore s >tail.out 2>/dev/null
check "continue: restore prints the tail" [ -s tail.out ]
check "continue: the tail ends the reference" \
  [ "$(tail -c "$(wc -c <tail.out)" ref.out | md5sum)" = "$(md5sum <tail.out)" ]

# A restored run checkpoints again: quietly stops with 75, and a second
# restore finishes the run.
rm -f s s2
"$INRO" run --snapshot s --checkpoint-after 100000 "$COMPUTE" 4000 >o1 2>e1
"$INRO" restore --snapshot s2 --checkpoint-after 100000 s >o2 2>e2
check "chained: restore stops again with 75" [ $? = 75 ]
"$INRO" restore s2 >o3 2>e3
cat o1 o2 o3 >o
cat e1 e2 e3 >e
check "chained: output is the reference" same o ref.out
check "chained: stderr is the reference" same e ref.err

# --snapshot-module=ref: restore needs --module, and checks its hash.
rm -f s
"$INRO" run --snapshot s --snapshot-module=ref --checkpoint-after 300000 "$COMPUTE" 4000 >o1 2>e1
"$INRO" restore s >/dev/null 2>err
check "ref: restore without --module refused" [ $? = 1 ]
"$INRO" restore --module "$G/ckpt_indirect.wasm" s >/dev/null 2>err
check "ref: restore with the wrong module refused" [ $? = 1 ]
"$INRO" restore --module "$COMPUTE" s >o2 2>e2
cat o1 o2 >o
check "ref: restore with --module" same o ref.out

# --checkpoint-on-trap: a post-mortem snapshot at the trapping instruction.
rm -f s
"$INRO" run --snapshot s --checkpoint-on-trap "$G/trap.wasm" >o 2>e
check "on-trap: the run traps (134)" [ $? = 134 ]
check "on-trap: snapshot written" [ -s s ]
"$INRO" inspect s >i.txt
check "on-trap: inspect" grep -q "fail" i.txt
"$INRO" inspect --json s >i.json
check "on-trap: inspect --json is JSON" node -e "JSON.parse(require('fs').readFileSync('i.json','utf8'))"
"$INRO" restore s >o2 2>e2
check "on-trap: restore traps again (134)" [ $? = 134 ]
check "on-trap: the same trap" grep -q "inro: trap: unreachable" e2

# SIGUSR1, natively: a long run, interrupted from outside.
if [ -z "${NO_SIGNALS:-}" ]; then
  "$INRO" run "$COMPUTE" 150000 >big.out 2>big.err
  rm -f s
  "$INRO" run --snapshot s "$COMPUTE" 150000 >o1 2>e1 &
  pid=$!
  sleep 0.3
  kill -USR1 $pid 2>/dev/null
  wait $pid
  rc=$?
  if [ $rc = 0 ]; then
    echo "note: the run ended before SIGUSR1 arrived; not counted"
  else
    check "SIGUSR1: stops with 75 (got $rc)" [ $rc = 75 ]
    "$INRO" restore s >o2 2>e2
    cat o1 o2 >o
    check "SIGUSR1: restored output is the reference" same o big.out
  fi
fi

# --control FILE for monitors: a report while running, and "off".
printf 'report count\n' >mon.ctl
"$INRO" run --monitor count --control mon.ctl "$COMPUTE" 20000 >/dev/null 2>mon.err
check "control: report while running, then at exit" [ "$(grep -c '^== monitor count' mon.err)" = 2 ]
printf 'off count\n' >mon.ctl
"$INRO" run --monitor count --monitor-out off.json --control mon.ctl "$COMPUTE" 20000 >/dev/null 2>&1
"$INRO" run --monitor count --monitor-out on.json "$COMPUTE" 20000 >/dev/null 2>&1
total() { node -e "const m = JSON.parse(require('fs').readFileSync('$1', 'utf8')); console.log(m.monitors.count.report.total)"; }
off=$(total off.json) on=$(total on.json)
check "control: off stops counting early ($off < $on)" [ "$off" -gt 0 -a "$off" -lt "$on" ]

# Corrupted snapshots through the command line; and a migration stream
# (pre-copied pages, tests/guests/ckpt_writer.c) through standard input.
"$INRO" run --snapshot good.snap --checkpoint-after 200000 "$COMPUTE" 4000 >/dev/null 2>&1
node "$ROOT/tests/snapshot_mutate.mjs" "$INRO" good.snap "${MUTATIONS:-3000}" >mut.txt
rc=$?
cat mut.txt | head -5
check "mutated snapshots: clean refusals" [ $rc = 0 ]
"$INRO" run --migrate-to - --checkpoint-after 2000000 "$G/ckpt_writer.wasm" 2 200 0 \
  >good.stream 2>/dev/null
check "a migration stream for the mutations" grep -q "INROSNAP" good.stream
node "$ROOT/tests/snapshot_mutate.mjs" "$INRO" good.stream $((${MUTATIONS:-3000} / 3)) stdin >mut2.txt
rc=$?
head -5 mut2.txt
check "mutated migration streams through stdin: clean refusals" [ $rc = 0 ]

echo "$passed passed, $failed failed"
[ $failed = 0 ]

#!/usr/bin/env bash
# tests/checkpoint_triggers.sh BUILD_DIR -- the ways to take a checkpoint
# besides --checkpoint-after (tests/checkpoint.sh), and corrupted snapshots
# fed to the command line:
#   --checkpoint-trigger PATH, a `checkpoint` line in --control FILE,
#   `report count` / `off count` lines for monitors,
#   SIGUSR1 (native only), --checkpoint-continue, --checkpoint-on-trap with
#   inspect / inspect --json, --snapshot-module=ref with restore --module,
#   triggers while the guest waits, the control channel, snapshot targets,
#   tests/snapshot_mutate.mjs (MUTATIONS cases, default 3000, and a third
#   as many of a migration stream through standard input) and
#   tests/snapshot_forge.mjs (forged snapshots).
# Last line: "N passed, M failed".
set -u
BUILD=${1:-build}
ROOT=$(cd "$(dirname "$0")/.." && pwd -P)
INRO=$(cd "$BUILD" && pwd -P)/inro
G=$ROOT/build/guests
TMP=$(mktemp -d "${TMPDIR:-/tmp}/inro-trig.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
cd "$TMP"
. "$ROOT/tests/lib.sh"
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
# Restored with the same control file, the run reads it on from where it
# had (the snapshot says): its "checkpoint" line is not applied again.
"$INRO" restore --control control s >o2 2>e2
check "control: restored with the same file, the run goes on (got $?)" [ $? = 0 ]
cat o1 o2 >o
check "control: ... to the reference output" same o ref.out
check "control: inspect shows how much of the file was read" \
  grep -qx 'control file: 11 bytes read' <("$INRO" inspect s)
printf 'checkpoint\n' >>control
"$INRO" restore --snapshot s3 --control control s >o2 2>e2
check "control: a line appended after the snapshot's applies (got $?)" [ $? = 75 -a -s s3 ]

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

# --invoke: the restored run prints the export's results, as the
# uninterrupted one does (it printed nothing).
INVOKE=$(dirname "$INRO")/tests/wat/invoke.wasm
for call in "sum 1000" "pair 1001"; do
  read -r name arg <<<"$call"
  "$INRO" run --invoke $name "$INVOKE" $arg >ref.inv 2>&1
  rm -f s
  "$INRO" run --snapshot s --checkpoint-after 500 --invoke $name "$INVOKE" $arg >o1 2>&1
  rc=$?
  "$INRO" restore s >o2 2>&1
  cat o1 o2 >o
  check "invoke $name: stops (75, got $rc), the restore prints its results" \
    [ $rc = 75 -a "$(cat o)" = "$(cat ref.inv)" ]
done

# A reactor checkpointed in its _initialize (tests/wat/reactor.wat): the
# snapshot records the --invoke call still to come, and the restore makes
# it; so does the restore of a second checkpoint, taken in the restored
# _initialize.
REACTOR=$(dirname "$INRO")/tests/wat/reactor.wasm
"$INRO" run --invoke get "$REACTOR" 5 >ref.re 2>&1
rm -f s s2
"$INRO" run --snapshot s --checkpoint-after 1000 --invoke get "$REACTOR" 5 >o1 2>&1
rc=$?
check "reactor: stops in _initialize (75, got $rc)" [ $rc = 75 -a ! -s o1 ]
check "reactor: inspect shows the call to come" grep -qx 'then: invoke "get" "5"' <("$INRO" inspect s)
"$INRO" restore s >o2 2>&1
check "reactor: the restore finishes _initialize and makes the call" same o2 ref.re
"$INRO" restore --snapshot s2 --checkpoint-after 1000 s >o2 2>&1
rc=$?
"$INRO" restore s2 >o3 2>&1
check "reactor: checkpointed again in the restored _initialize (75, got $rc)" [ $rc = 75 -a ! -s o2 ]
check "reactor: ... and that snapshot restored makes the call" same o3 ref.re

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

# Triggers seen while the guest waits (tests/guests/waiter.c): in one
# long sleep, in a read from a pipe that has nothing yet, and between
# short naps; each within the 10 s the test allows (the sleep is 60 s).
# A checkpoint taken in a wait stands before the WASI call, which the
# restored run makes again.
W=$G/waiter.wasm
wait_stop() { # NAME GUEST-ARGS... (stdin: the guest's)
  local name=$1
  shift
  rm -f s t
  (sleep 0.3; touch t) &
  timeout 10 "$INRO" run --snapshot s --checkpoint-trigger t "$W" "$@" >o1 2>e1
  local rc=$?
  wait
  check "$name: the trigger stops the waiting guest (75, got $rc)" [ $rc = 75 ]
}
wait_stop "sleep" sleep 60 </dev/null
"$INRO" inspect s >i.txt
check "sleep: the snapshot stands in the guest's sleep" grep -q "__clock_nanosleep\|nanosleep\|sleep" i.txt
# A pipe with a writer that writes nothing (this shell holds it open).
mkfifo idle.fifo
exec 8<>idle.fifo
wait_stop "read" read <idle.fifo
exec 8>&-
check "read: nothing was read before the checkpoint" [ "$(cat o1)" = reading ]
echo "from the restoring run" | "$INRO" restore s >o2 2>e2
check "read: the restored run reads its own stdin" [ "$(cat o2)" = "read: from the restoring run" ]
"$INRO" run "$W" naps 20 >naps.ref 2>&1
wait_stop "naps" naps 20 </dev/null
"$INRO" restore s >o2 2>&1
cat o1 o2 >o
check "naps: restored output is the reference" same o naps.ref
rm -f s
"$INRO" run --snapshot s "$W" sleep 60 >o1 2>e1 &
pid=$!
sleep 0.3
kill -USR1 $pid 2>/dev/null
( sleep 10; kill $pid 2>/dev/null ) &
killer=$!
wait $pid
rc=$?
kill $killer 2>/dev/null
check "SIGUSR1 stops a sleeping guest (75, got $rc)" [ $rc = 75 ]

# SIGUSR1 before the guest starts (here while inro waits to read the
# module from a pipe) is held until the guest runs, not the default
# action, which killed inro.
rm -f s
mkfifo module.fifo
"$INRO" run --snapshot s module.fifo 4000 >o1 2>e1 &
pid=$!
for ((i = 0; i < 600; i++)); do  # until SIGUSR1 (bit 9) is caught (ASan under load: slow)
  mask=$(sed -n 's/^SigCgt:\t//p' /proc/$pid/status 2>/dev/null)
  [ -n "$mask" ] && (( (0x$mask >> 9) & 1 )) && break
  sleep 0.1
done
kill -USR1 $pid
timeout 30 sh -c 'cat "$0" >"$1"' "$COMPUTE" module.fifo &
writer=$!
wait $pid
rc=$?
kill $writer 2>/dev/null  # inro died before reading the module
wait $writer 2>/dev/null
check "early SIGUSR1: held, then a checkpoint (75, got $rc)" [ $rc = 75 ]

# A checkpoint that cannot be written is reported, and the guest goes on;
# the run then exits 1 instead of 0.
"$INRO" run --snapshot nodir/s --checkpoint-after 100000 "$COMPUTE" 4000 >o 2>e
rc=$?
check "failed checkpoint: the run goes on (exit 1, got $rc)" [ $rc = 1 ]
check "failed checkpoint: the guest's output is complete" same o ref.out
check "failed checkpoint: one line about it" \
  [ "$(grep -c '^inro: checkpoint: cannot write nodir/s' e)" = 1 ]
rm -f s
"$INRO" run --snapshot s --checkpoint-continue --checkpoint-after 100000 \
  --checkpoint-trigger nodir/t "$COMPUTE" 4000 >o 2>e
check "continue: the run completes (0)" [ $? = 0 ]

# The snapshot's path must be a regular file or nothing: a rename over a
# device (--snapshot /dev/null, as root) replaced the device.  A FIFO
# stands in for the device here; a symlink is refused too.  And a symlink
# where the temporary file goes must not be followed.
mkfifo target.fifo
ln -s target.fifo target.link
for t in target.fifo target.link; do
  "$INRO" run --snapshot $t --checkpoint-after 1000 "$COMPUTE" 10 >o 2>e
  rc=$?
  check "snapshot $t: refused (1, got $rc)" [ $rc = 1 ]
  check "snapshot $t: one line" \
    [ "$(cat e)" = "inro: --snapshot $t: it exists and is not a regular file$([ $t = target.link ] && echo ' (a symlink)')" ]
done
check "snapshot target.fifo: still a FIFO" [ -p target.fifo ]
echo precious >victim
ln -s victim s.tmp
rm -f s
"$INRO" run --snapshot s --checkpoint-after 1000 "$COMPUTE" 10 >/dev/null 2>&1
check "snapshot: a symlink at its temporary name is not followed" \
  [ "$(cat victim)" = precious ]
check "snapshot: written all the same" [ -f s -a ! -L s ]

# --control FILE for monitors: a report while running, and "off".
printf 'report count\n' >mon.ctl
"$INRO" run --monitor count --control mon.ctl "$COMPUTE" 20000 >/dev/null 2>mon.err
check "control: report while running, then at exit" [ "$(grep -c '^== monitor count' mon.err)" = 2 ]
: >mon.ctl
"$INRO" run --monitor count --monitor-out off.json --control mon.ctl "$W" naps 20 >naps.out 2>&1 &
pid=$!
for ((i = 0; i < 100; i++)); do
  grep -q '^nap 1$' naps.out && break
  sleep 0.1
done
printf 'off count\n' >mon.ctl
wait $pid
"$INRO" run --monitor count --monitor-out on.json "$W" naps 20 >/dev/null 2>&1
total() { node -e "const m = JSON.parse(require('fs').readFileSync('$1', 'utf8')); console.log(m.monitors.count.report.total)"; }
off=$(total off.json) on=$(total on.json)
check "control: off stops counting early ($off < $on)" [ "$off" -gt 0 -a "$off" -lt "$on" ]
# "on NAME" without any --monitor: --control alone makes the set, and
# --monitor-out takes its report.
printf 'on count\n' >mon.ctl
"$INRO" run --monitor count --monitor-out full.json "$COMPUTE" 20000 >/dev/null 2>&1
"$INRO" run --monitor-out alone.json --control mon.ctl "$COMPUTE" 20000 >/dev/null 2>&1
full=$(total full.json) alone=$(total alone.json)
check "control: on without --monitor counts ($alone <= $full)" [ "$alone" -gt 0 -a "$alone" -le "$full" ]
# "on NAME" applied at the first safe point (the entry of _start, before
# anything counted) observes what the monitor given from the start does:
# the probes it inserts at the instruction the run stands at fire there.
printf 'on calls\non coverage\non memory\non branches\non trace\non profile\n' >early.ctl
"$INRO" run --monitor count --monitor-out early.json --control early.ctl "$COMPUTE" 2000 >/dev/null 2>&1
"$INRO" run --monitor count --monitor calls --monitor coverage --monitor memory \
  --monitor branches --monitor trace --monitor profile \
  --monitor-out start.json "$COMPUTE" 2000 >/dev/null 2>&1
for m in count calls coverage memory branches trace profile; do
  check "control: on $m at the first safe point equals $m from the start" node -e "
    const f = require('fs'), r = (p) => JSON.parse(f.readFileSync(p, 'utf8')).monitors['$m'].report;
    process.exit(require('util').isDeepStrictEqual(r('early.json'), r('start.json')) ? 0 : 1)"
done
# The same in a restored run whose snapshot has no monitors, and
# restore --monitor-out writes JSON.
"$INRO" run --snapshot nomon.snap --checkpoint-after 100000 "$COMPUTE" 20000 >/dev/null 2>&1
"$INRO" restore --monitor-out restored.json --control mon.ctl nomon.snap >/dev/null 2>&1
restored=$(total restored.json)
check "control: on in a restored run counts ($restored < $full)" [ "$restored" -gt 0 -a "$restored" -lt "$full" ]

# The control channel: a line too long is refused with a message and
# skipped (it wedged the channel), a truncated file is read again from
# its start.
{ head -c 300 /dev/zero | tr '\0' x; printf '\nreport count\n'; } >long.ctl
"$INRO" run --monitor count --control long.ctl "$W" naps 30 >/dev/null 2>long.err &
pid=$!
for ((i = 0; i < 100; i++)); do
  [ "$(grep -c '^== monitor count' long.err)" -ge 1 ] && break
  sleep 0.1
done
printf 'report count\n' >long.ctl
wait $pid
check "control: an overlong line is refused" \
  grep -q '^inro: control: a line longer than 255 bytes, ignored$' long.err
check "control: lines after it, and after truncation, still count" \
  [ "$(grep -c '^== monitor count' long.err)" = 3 ]

# A snapshot file of more than the 4 MiB after which its write-back
# begins while it is written (platform/snapfile.c): 16 MiB of written
# memory, restored to the uninterrupted run's output.
"$INRO" run "$G/ckpt_writer.wasm" 16 1000 0 >wb.ref 2>/dev/null
rm -f wb.trig
"$INRO" run --snapshot wb.snap --checkpoint-trigger wb.trig "$G/ckpt_writer.wasm" 16 1000 1 \
  >wb.out 2>/dev/null &
pid=$!
for ((i = 0; i < 300; i++)); do
  grep -q filled wb.out 2>/dev/null && break
  sleep 0.05
done
touch wb.trig
wait $pid
check "a 16 MiB checkpoint to a file stops with 75" [ $? = 75 ]
check "the 16 MiB snapshot holds the memory" [ "$(wc -c <wb.snap)" -gt $((16 << 20)) ]
"$INRO" restore wb.snap >>wb.out 2>/dev/null
check "the 16 MiB snapshot restores to the reference output" same wb.out wb.ref

# Corrupted snapshots through the command line; and a migration stream
# (pre-copied pages, tests/guests/ckpt_writer.c) through standard input.
"$INRO" run --snapshot good.snap --checkpoint-after 200000 "$COMPUTE" 4000 >/dev/null 2>&1
node "$ROOT/tests/snapshot_mutate.mjs" "$INRO" good.snap "${MUTATIONS:-3000}" >mut.txt
rc=$?
sed '$d' mut.txt  # the FAIL lines (at most 5) and the count of refusals
check "mutated snapshots: clean refusals" [ $rc = 0 ]
"$INRO" run --migrate-to - --checkpoint-after 2000000 "$G/ckpt_writer.wasm" 2 200 0 \
  >good.stream 2>/dev/null
check "a migration stream for the mutations" grep -q "INROSNAP" good.stream
node "$ROOT/tests/snapshot_mutate.mjs" "$INRO" good.stream $((${MUTATIONS:-3000} / 3)) stdin >mut2.txt
rc=$?
sed '$d' mut2.txt  # the FAIL lines (at most 5) and the count of refusals
check "mutated migration streams through stdin: clean refusals" [ $rc = 0 ]

# Forged snapshots: valid CRCs, hostile content (tests/snapshot_forge.mjs).
node "$ROOT/tests/snapshot_forge.mjs" "$INRO" "$G" >forge.txt
rc=$?
grep -v '^[0-9]* passed' forge.txt | head -20
tail -n1 forge.txt
check "forged snapshots: refused in one line or restored safely" [ $rc = 0 ]

echo "$passed passed, $failed failed"
[ $failed = 0 ]

#!/usr/bin/env bash
# tests/migrate.sh BUILD_DIR -- snapshot streams and live migration through
# the command line (docs/migration.md), end to end.
#
#   - live migration over TCP (`inro run --migrate-to` -> `inro listen`) of
#     the checkpoint guests and of WebAssembly 3.0's (tail calls, C++
#     exceptions: streams of snapshot version 2), with pre-copy rounds
#     from a quarter of their run and with none at three quarters, of the
#     64-bit memory guest (its table above 4 GiB, stopped and copied; 64
#     MiB up, with rounds: u64 page indices), and of ckpt_writer,
#     which keeps writing its memory, and of a guest asleep in a WASI call
#     (migrated from the wait): the source's output and the target's, one
#     after the other, and the files written must be the uninterrupted
#     run's;
#   - interrupted migrations: a relay (tests/migrate_relay.mjs) closes the
#     connection after each section of the stream and in the middle of
#     each, or never passes the receiver's answer back, or the receiver
#     refuses the state: the receiver must refuse with one line and resume
#     nothing, and the source must either go on to the end (its output
#     then complete) or stop with status 75 and a snapshot that completes
#     the run; never both running, never lost; a reader that closes its
#     end early makes the source go on, an answer lost makes it stop;
#   - streams: `--snapshot -` into `inro restore -`, a cut stream refused
#     with one line and nothing resumed, a guest reading on from where the
#     snapshot ends on standard input, `inspect -`;
#   - bad arguments and unreachable targets: one line, the program goes on;
#   - with CROSS=1 (the primary build): native -> inro.wasm on node through
#     a pipe (C++ exceptions and a 64-bit memory among them), and inro.wasm
#     refusing what WASI cannot do.
# CUT_EVERY=N cuts inside every N-th section only (default 1: every one).
#
# Last line: "N passed, M failed".
set -u
BUILD=${1:-build}
ROOT=$(cd "$(dirname "$0")/.." && pwd -P)
INRO=$(cd "$BUILD" && pwd -P)/inro
NODE_INRO="node $ROOT/tools/inro-node.mjs"
RELAY=$ROOT/tests/migrate_relay.mjs
G=$ROOT/build/guests
TMP=$(mktemp -d "${TMPDIR:-/tmp}/inro-migrate.XXXXXX")
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$TMP"' EXIT
. "$ROOT/tests/ckpt_lib.sh"

for f in ckpt_compute ckpt_files ckpt_recursion ckpt_indirect ckpt_simd ckpt_writer stdin waiter \
         tailcall cxx_eh mem64; do
  [ -f "$G/$f.wasm" ] || bad "$G/$f.wasm is not built (make guests)"
done
command -v node >/dev/null || bad "node is needed for the relay"

# A fresh directory with the sandbox ckpt_files reads (ckpt_lib.sh).
fresh_dir() { rm -rf "$1" && fresh "$1/sb"; }
# Wait for a file to appear (a port number); 1 after 10 s.
await() {
  local i=0
  until [ -s "$1" ]; do
    sleep 0.02
    i=$((i + 1))
    [ $i -lt 500 ] || return 1
  done
}
one_line() { [ "$(wc -l <"$1")" = 1 ]; }

# reference NAME ARGS...: the uninterrupted run, in $TMP/ref-NAME
reference() {
  local name=$1 d=$TMP/ref-$1
  shift
  fresh_dir "$d"
  (cd "$d" && "$INRO" run --dir sb::/sandbox "$G/$name.wasm" "$@" >out 2>err; echo $? >rc)
}

# Executed instructions of a reference run (the count monitor).
instructions() { # NAME ARGS...
  local name=$1 d=$TMP/count
  shift
  fresh_dir "$d"
  (cd "$d" && "$INRO" run --dir sb::/sandbox --monitor count --monitor-out c.json \
     "$G/$name.wasm" "$@" >/dev/null 2>&1)
  node -e 'const j = JSON.parse(require("fs").readFileSync(process.argv[1]));
           console.log(j.monitors.count.report.total)' "$d/c.json"
}

# listen DIR [OPTIONS]: an `inro listen` in DIR on a free port; sets LPID
# and LPORT.
listen() {
  local d=$1
  shift
  rm -f "$d/lport"
  (cd "$d" && exec "$INRO" listen --port-file lport --dir sb::/sandbox "$@" 127.0.0.1:0 \
     >t.out 2>t.err) &
  LPID=$!
  await "$d/lport" || { bad "inro listen did not start"; return 1; }
  LPORT=$(cat "$d/lport")
}

# The source's and the target's output together equal the reference, as
# do the files and the exit status (--timing lines aside).
migrated_as_reference() { # LABEL NAME DIR
  local label=$1 ref=$TMP/ref-$2 d=$3
  cat "$d/s.out" "$d/t.out" >"$d/out"
  cat "$d/s.err" "$d/t.err" | grep -Ev '^inro: (migration|restore): .* ms' >"$d/err"
  if [ "$(cat "$d/s.rc")" != 75 ]; then
    bad "$label: the source exited $(cat "$d/s.rc"), not 75: $(head -c 300 "$d/s.err")"
  elif [ "$(cat "$d/t.rc")" != "$(cat "$ref/rc")" ]; then
    bad "$label: the target exited $(cat "$d/t.rc"), the reference $(cat "$ref/rc"): $(head -c 300 "$d/t.err")"
  elif ! cmp -s "$d/out" "$ref/out" || ! cmp -s "$d/err" "$ref/err"; then
    bad "$label: the output differs from the uninterrupted run"
  elif ! same_files "$ref" "$d"; then
    bad "$label: the files differ from the uninterrupted run"
  else
    ok
  fi
}

# migrate_tcp LABEL NAME "SOURCE OPTIONS" ARGS...: over TCP on 127.0.0.1.
migrate_tcp() {
  local label=$1 name=$2 opts=$3 d=$TMP/tcp
  shift 3
  fresh_dir "$d"
  listen "$d" || return
  # shellcheck disable=SC2086
  (cd "$d" && "$INRO" run --dir sb::/sandbox --migrate-to "127.0.0.1:$LPORT" $opts \
     "$G/$name.wasm" "$@" >s.out 2>s.err; echo $? >s.rc)
  wait "$LPID"
  echo $? >"$d/t.rc"
  migrated_as_reference "$label" "$name" "$d"
}

# ------------------------------------------------- migrations that work

for name in ckpt_compute ckpt_files ckpt_recursion ckpt_indirect ckpt_simd tailcall cxx_eh; do
  [ -f "$G/$name.wasm" ] || continue
  reference "$name"
  total=$(instructions "$name")
  echo "$name: $total instructions"
  # Pre-copy from a quarter on, the guest left with time enough for the
  # rounds (they share the time with it); stop and copy at three quarters.
  migrate_tcp "$name @1/4, pre-copy" "$name" "--checkpoint-after $((total / 4))"
  migrate_tcp "$name @3/4, no pre-copy rounds" "$name" \
    "--checkpoint-after $((total * 3 / 4)) --migrate-rounds 0"
done

# A 64-bit memory (tests/guests/mem64.c, by --invoke): run(n, base) with
# its table at base MiB.  Above 4 GiB the rounds would hash 4.25 GiB each
# while the short run ends first, so it stops and copies (the pages that
# are not zero, sparsely); at 64 MiB the rounds go on as the run does.
mem64_tcp() { # LABEL N BASE "SOURCE OPTIONS"
  local d=$TMP/ref-mem64
  fresh_dir "$d"
  (cd "$d" && "$INRO" run --dir sb::/sandbox --invoke run "$G/mem64.wasm" "$2" "$3" >out 2>err
   echo $? >rc)
  migrate_tcp "$1" mem64 "$4 --invoke run" "$2" "$3"
}
if [ -f "$G/mem64.wasm" ]; then
  mem64_tcp "mem64 above 4 GiB, no pre-copy rounds" 200000 4096 "--checkpoint-after 3000000 --migrate-rounds 0"
  mem64_tcp "mem64 at 64 MiB, pre-copy" 2000000 64 "--checkpoint-after 10000000 --timing"
  grep -q "migration: [1-9][0-9]* rounds" "$TMP/tcp/s.err" && ok ||
    bad "mem64 at 64 MiB: no pre-copy round was sent"
fi

# A guest that keeps writing its memory while the pre-copy goes on: from
# the start (its memory still growing) and, by a trigger, once filled.
WRITER="8 3000 16"
reference ckpt_writer $WRITER
# shellcheck disable=SC2086
migrate_tcp "ckpt_writer from the start" ckpt_writer "--timing" $WRITER
grep -q "migration: .* rounds" "$TMP/tcp/s.err" && ok || bad "--timing prints the rounds"

# The trigger appears once the guest says "filled".
trigger_when_filled() { # DIR
  (until grep -q filled "$1/s.out" "$1/s.err" 2>/dev/null; do sleep 0.01; done
   touch "$1/trig") &
}
d=$TMP/tcp
fresh_dir "$d"
if listen "$d"; then
  trigger_when_filled "$d"
  # shellcheck disable=SC2086
  (cd "$d" && "$INRO" run --dir sb::/sandbox --migrate-to "127.0.0.1:$LPORT" \
     --checkpoint-trigger trig "$G/ckpt_writer.wasm" $WRITER >s.out 2>s.err; echo $? >s.rc)
  wait "$LPID"
  echo $? >"$d/t.rc"
  migrated_as_reference "ckpt_writer once filled" ckpt_writer "$d"
fi

# A guest asleep in a WASI call: the migration begins, goes on and stops
# in the wait (the target makes the call again).
reference waiter sleep 1
d=$TMP/tcp
fresh_dir "$d"
if listen "$d"; then
  (sleep 0.3; touch "$d/trig") &
  (cd "$d" && "$INRO" run --dir sb::/sandbox --migrate-to "127.0.0.1:$LPORT" \
     --checkpoint-trigger trig "$G/waiter.wasm" sleep 1 >s.out 2>s.err; echo $? >s.rc)
  wait "$LPID"
  echo $? >"$d/t.rc"
  migrated_as_reference "waiter asleep, migrated from its wait" waiter "$d"
fi

# ------------------------------------------------ interrupted migrations

# relay_case LABEL MODE K: source -> relay -> inro listen, ckpt_writer
# migrating once it has filled its memory; the outcome in $TMP/cut.
RELAYED="4 1500 16"
relay_case() {
  local d=$TMP/cut
  fresh_dir "$d"
  listen "$d" || return 1
  rm -f "$d/rport"
  node "$RELAY" "$d/rport" "$LPORT" "$2" "$3" >"$d/relay.log" 2>&1 &
  local rpid=$!
  await "$d/rport" || { bad "$1: the relay did not start"; return 1; }
  trigger_when_filled "$d"
  # shellcheck disable=SC2086
  (cd "$d" && "$INRO" run --dir sb::/sandbox --snapshot s.snap \
     --migrate-to "127.0.0.1:$(cat rport)" --checkpoint-trigger trig \
     "$G/ckpt_writer.wasm" $RELAYED >s.out 2>s.err; echo $? >s.rc)
  wait "$LPID"
  echo $? >"$d/t.rc"
  wait "$rpid"
}

# The outcome of a broken migration: the receiver resumed nothing; the
# source went on, or stopped with a snapshot that completes the run.
never_both_never_lost() { # LABEL
  local d=$TMP/cut ref=$TMP/ref-relayed src
  src=$(cat "$d/s.rc")
  if [ "$(cat "$d/t.rc")" != 1 ] || ! one_line "$d/t.err" || [ -s "$d/t.out" ]; then
    bad "$1: the receiver did not refuse with one line (status $(cat "$d/t.rc")): $(head -c 300 "$d/t.err")"
  elif [ "$src" = "$(cat "$ref/rc")" ]; then
    if [ -e "$d/s.snap" ] || ! cmp -s "$d/s.out" "$ref/out"; then
      bad "$1: the source went on but its output is not the uninterrupted run's"
    else
      ok
    fi
  elif [ "$src" = 75 ]; then
    (cd "$d" && "$INRO" restore --dir sb::/sandbox s.snap >r.out 2>r.err; echo $? >r.rc)
    cat "$d/s.out" "$d/r.out" >"$d/out"
    if [ ! -s "$d/s.snap" ] || ! cmp -s "$d/out" "$ref/out" || [ "$(cat "$d/r.rc")" != 0 ]; then
      bad "$1: the source stopped but its snapshot does not complete the run"
    else
      ok
    fi
  else
    bad "$1: the source exited $src: $(head -c 300 "$d/s.err")"
  fi
}

d=$TMP/ref-relayed
fresh_dir "$d"
# shellcheck disable=SC2086
(cd "$d" && "$INRO" run "$G/ckpt_writer.wasm" $RELAYED >out 2>err; echo $? >rc)
relay_case "count" count 0
sections=$(sed -n 's/^sections //p' "$TMP/cut/relay.log")
echo "a migration stream of ckpt_writer $RELAYED: ${sections:-?} sections"
[ "$(cat "$TMP/cut/s.rc")" = 75 ] && [ "$(cat "$TMP/cut/t.rc")" = 0 ] && ok ||
  bad "a migration through the relay"
# Cut inside every section (so in every round), and after a few; the
# number of rounds varies from run to run, so a cut past the end of a
# shorter stream is a migration that must simply work.
went_on=0 stopped=0 whole=0
cases=""
for k in $(seq 1 "${CUT_EVERY:-1}" "${sections:-0}"); do cases="$cases cut-inside:$k"; done
for k in 1 2 $(( ${sections:-4} / 2 )) $(( ${sections:-4} - 2 )) $(( ${sections:-4} - 1 )); do
  cases="$cases cut-after:$k"
done
for c in $cases; do
  mode=${c%:*} k=${c#*:}
  relay_case "$mode $k" "$mode" "$k" || continue
  if grep -q '^whole' "$TMP/cut/relay.log"; then
    whole=$((whole + 1))
    [ "$(cat "$TMP/cut/s.rc")" = 75 ] && [ "$(cat "$TMP/cut/t.rc")" = 0 ] && ok ||
      bad "$mode $k: the stream passed whole but the migration failed"
    continue
  fi
  never_both_never_lost "connection closed ($mode section $k)"
  case $(cat "$TMP/cut/s.rc") in
  0) went_on=$((went_on + 1)) ;;
  75) stopped=$((stopped + 1)) ;;
  esac
done
# Which outcome a cut gives depends on how much of the stream the kernel
# had taken when the relay closed: timing, so only counted here; the two
# cases below reach each outcome for certain.
echo "interrupted: the source went on $went_on times, stopped with a snapshot $stopped times ($whole streams passed whole)"

# The reader gone early: a pipe holds 64 KiB, the stream megabytes, so a
# write fails before the handover and the source goes on to the end.
d=$TMP/pipe-cut
fresh_dir "$d"
# shellcheck disable=SC2086
(cd "$d" && { "$INRO" run --migrate-to - "$G/ckpt_writer.wasm" $RELAYED 2>s.err; echo $? >s.rc; } |
   head -c 100000 >/dev/null)
grep -v '^inro: migration to - failed' "$d/s.err" >"$d/s.out"
if [ "$(cat "$d/s.rc")" = 0 ] && cmp -s "$d/s.out" "$TMP/ref-relayed/out" &&
   [ "$(grep -c 'goes on here' "$d/s.err")" = 1 ]; then ok
else bad "a stream cut early: the source did not go on (status $(cat "$d/s.rc")): $(head -c 300 "$d/s.err")"
fi

# The answer lost: the receiver resumed; the source, not knowing, stops
# with a snapshot and says so.
relay_case "no-answer" no-answer 0
d=$TMP/cut
cat "$d/s.out" "$d/t.out" >"$d/out"
if [ "$(cat "$d/s.rc")" = 75 ] && [ -s "$d/s.snap" ] && grep -q "no answer" "$d/s.err" &&
   [ "$(cat "$d/t.rc")" = 0 ] && cmp -s "$d/out" "$TMP/ref-relayed/out"; then ok
else bad "answer lost: source $(cat "$d/s.rc"), target $(cat "$d/t.rc"): $(head -c 300 "$d/s.err")"
fi

# The receiver refuses the state (the wrong module): the source goes on.
d=$TMP/refuse
fresh_dir "$d"
if listen "$d" --module "$G/ckpt_compute.wasm"; then
  # shellcheck disable=SC2086
  (cd "$d" && "$INRO" run --dir sb::/sandbox --snapshot-module=ref --migrate-to "127.0.0.1:$LPORT" \
     "$G/ckpt_writer.wasm" $RELAYED >s.out 2>s.err; echo $? >s.rc)
  wait "$LPID"
  echo $? >"$d/t.rc"
  if [ "$(cat "$d/s.rc")" = 0 ] && cmp -s "$d/s.out" "$TMP/ref-relayed/out" &&
     grep -q "refused" "$d/s.err" && [ "$(cat "$d/t.rc")" = 1 ] && one_line "$d/t.err"; then ok
  else bad "a refusing receiver: source $(cat "$d/s.rc"), target $(cat "$d/t.rc")"
  fi
fi

# ------------------------------------------------------------- streams

reference stdin
d=$TMP/stream
fresh_dir "$d"
(cd "$d" && "$INRO" run --dir sb::/sandbox --snapshot - --checkpoint-after 200000 \
   "$G/ckpt_files.wasm" >snap 2>s.err; echo $? >s.rc)
(cd "$d" && "$INRO" restore --dir sb::/sandbox - <snap >t.out 2>t.err; echo $? >t.rc)
cp "$d/s.err" "$d/s.out" && : >"$d/s.err" # the guest's stdout went to stderr
migrated_as_reference "--snapshot - into restore -" ckpt_files "$d"
(cd "$d" && "$INRO" inspect - <snap >i.txt 2>&1)
check "inspect -" grep -q "^frames" "$d/i.txt"
for n in 10 5000 $(($(wc -c <"$d/snap") - 1)); do
  head -c "$n" "$d/snap" | (cd "$d" && "$INRO" restore --dir sb::/sandbox - >c.out 2>c.err; echo $? >c.rc)
  check "a stream cut after $n bytes: refused with one line, nothing resumed" \
    eval '[ "$(cat "$d/c.rc")" = 1 ] && one_line "$d/c.err" && [ ! -s "$d/c.out" ]'
done
# What follows the snapshot on standard input is the guest's.
(cd "$d" && "$INRO" run --snapshot s2 --checkpoint-after 50 "$G/stdin.wasm" </dev/null >/dev/null 2>&1)
(cd "$d" && { cat s2; printf 'hello\nworld\n'; } | "$INRO" restore - >in.out 2>&1)
printf 'hello\nworld\n' | "$INRO" run "$G/stdin.wasm" >"$d/in.ref" 2>&1
check "the guest reads standard input on from the end of the snapshot" cmp -s "$d/in.out" "$d/in.ref"

# ------------------------------------------------------ refusals, errors

d=$TMP/err
fresh_dir "$d"
for target in nohost 127.0.0.1:1; do
  (cd "$d" && "$INRO" run --migrate-to "$target" "$G/ckpt_compute.wasm" >o 2>e; echo $? >rc)
  check "--migrate-to $target: the program goes on, one line" \
    eval '[ "$(cat "$d/rc")" = 0 ] && cmp -s "$d/o" "$TMP/ref-ckpt_compute/out" &&
          [ "$(grep -c "^inro: migration" "$d/e")" = 1 ] &&
          grep -v "^inro: migration" "$d/e" | cmp -s - "$TMP/ref-ckpt_compute/err"'
done
(cd "$d" && "$INRO" run --snapshot - --migrate-to - "$G/ckpt_compute.wasm" >/dev/null 2>e; echo $? >rc)
check "--snapshot - with --migrate-to -: refused" eval '[ "$(cat "$d/rc")" = 1 ] && one_line "$d/e"'
(cd "$d" && "$INRO" run --migrate-rounds many "$G/ckpt_compute.wasm" >/dev/null 2>e; echo $? >rc)
check "--migrate-rounds many: usage error" eval '[ "$(cat "$d/rc")" = 2 ] && one_line "$d/e"'
(cd "$d" && "$INRO" listen 99999999 >/dev/null 2>e; echo $? >rc)
check "listen on a port that cannot be: usage error, one line" eval '[ "$(cat "$d/rc")" = 2 ] && one_line "$d/e"'

# --------------------------------------------------- across builds (node)

if [ "${CROSS:-0}" = 1 ]; then
  d=$TMP/pipe
  for name in ckpt_compute ckpt_files ckpt_simd cxx_eh; do
    total=$(instructions "$name")
    fresh_dir "$d"
    (cd "$d" && { "$INRO" run --dir sb::/sandbox --migrate-to - --checkpoint-after $((total / 2)) \
       "$G/$name.wasm" 2>s.err; echo $? >s.rc; } |
       $NODE_INRO restore --dir sb::/sandbox - >t.out 2>t.err; echo $? >t.rc)
    cp "$d/s.err" "$d/s.out" && : >"$d/s.err"
    migrated_as_reference "$name native -> node through a pipe" "$name" "$d"
  done
  if [ -f "$G/mem64.wasm" ]; then # the reference of "mem64 at 64 MiB" above
    fresh_dir "$d"
    (cd "$d" && { "$INRO" run --dir sb::/sandbox --migrate-to - --checkpoint-after 10000000 \
       --invoke run "$G/mem64.wasm" 2000000 64 2>s.err; echo $? >s.rc; } |
       $NODE_INRO restore --dir sb::/sandbox - >t.out 2>t.err; echo $? >t.rc)
    cp "$d/s.err" "$d/s.out" && : >"$d/s.err"
    migrated_as_reference "mem64 at 64 MiB native -> node through a pipe" mem64 "$d"
  fi
  fresh_dir "$d"
  # shellcheck disable=SC2086
  (cd "$d" && { "$INRO" run --migrate-to - "$G/ckpt_writer.wasm" $WRITER 2>s.err; echo $? >s.rc; } |
     $NODE_INRO restore - >t.out 2>t.err; echo $? >t.rc)
  cp "$d/s.err" "$d/s.out" && : >"$d/s.err"
  migrated_as_reference "ckpt_writer native -> node through a pipe" ckpt_writer "$d"
  (cd "$d" && $NODE_INRO run --snapshot - "$G/ckpt_compute.wasm" >/dev/null 2>e; echo $? >rc)
  check "inro.wasm: --snapshot - refused (no dup in WASI), one line" \
    eval '[ "$(cat "$d/rc")" = 1 ] && one_line "$d/e"'
  (cd "$d" && $NODE_INRO listen 0 >/dev/null 2>e; echo $? >rc)
  check "inro.wasm: listen refused (no sockets in WASI), one line" \
    eval '[ "$(cat "$d/rc")" = 1 ] && one_line "$d/e"'
fi

echo "$passed passed, $failed failed"
[ $failed = 0 ]

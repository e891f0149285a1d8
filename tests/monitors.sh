#!/usr/bin/env bash
# tests/monitors.sh BUILD_DIR -- the monitors of `inro run --monitor`
# (docs/instrumentation.md) against figures known by construction: the
# scenarios of tests/wat/monitor.wat (run with --invoke) and the C guest
# tests/guests/monitor_calls.c.  Each JSON report is checked natively
# (BUILD_DIR/inro) and must be byte-identical when inro.wasm produces it on
# node (tools/inro-node.mjs).  Coverage is checked against a trace of the
# same run (tests/wat/coverage.wat, every WASI guest, windows), source
# lines on the guest built with -g; the other formats against the tools
# that read them: the lcov tracefile with lcov and genhtml, the speedscope
# profile with its published schema (ajv, package.json), Chrome trace events
# for well-formed spans.  Reports after a checkpoint and a restore (also
# on node) must be those of the uninterrupted run.  A function name that
# JSON must escape comes back from the report whole.  Also runs
# BUILD_DIR/tests/monitor_test (the C API: save/load, windows across a
# load, control).
#
# MONITORS_NODE=0 skips the node half (tests/run-all.sh does so for builds
# other than the primary one: inro.wasm does not depend on BUILD_DIR).
# Prints PASS/FAIL per check and "N passed, M failed" last.
set -u

BUILD=${1:-build}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=$(cd "$BUILD" 2>/dev/null && pwd)
INRO=$BUILD/inro
W=$BUILD/tests/wat/monitor.wasm
W3=$BUILD/tests/wat3/calls3.wasm
F3=$BUILD/tests/wat3/flow3.wasm
G=$ROOT/build/guests/monitor_calls.wasm
C=$BUILD/tests/wat/coverage.wasm
NPM=$ROOT/node_modules
NODE=${MONITORS_NODE:-1}
TMP=$(mktemp -d "${TMPDIR:-/tmp}/inro-monitors.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

passed=0
failed=0
pass() { echo "PASS $1"; passed=$((passed + 1)); }
fail() { echo "FAIL $1"; failed=$((failed + 1)); }

for f in "$INRO" "$W" "$W3" "$F3" "$C" "$BUILD/tests/monitor_test"; do
  [ -e "$f" ] || { echo "monitors.sh: $f is not built (make all testbins)" >&2; exit 1; }
done
for tool in lcov genhtml clang-19; do
  command -v $tool >/dev/null || { echo "monitors.sh: $tool is missing (.ci/deps)" >&2; exit 1; }
done
[ -d "$NPM/ajv" ] && [ -d "$NPM/speedscope" ] ||
  { echo "monitors.sh: $NPM lacks ajv or speedscope (.ci/deps runs npm ci)" >&2; exit 1; }
if ! make -s --no-print-directory -C "$ROOT" build/guests/monitor_calls.wasm >/dev/null; then
  echo "monitors.sh: could not build the monitor guest (need clang-19, wasi-libc)" >&2
  exit 1
fi
if [ "$NODE" = 1 ] && { ! command -v node >/dev/null || [ ! -f "$ROOT/build/inro.wasm" ]; }; then
  echo "monitors.sh: the node half needs node and build/inro.wasm (make wasm)" >&2
  exit 1
fi

# run NAME EXT STATUS ARGS... : `inro run ARGS` with --monitor-out
# $TMP/NAME.EXT, natively and (unless MONITORS_NODE=0) with inro.wasm on
# node; the exit status must be STATUS and the two reports identical.
run() {
  local name=$1 ext=$2 want=$3 rc=0
  shift 3
  (cd "$TMP" && "$INRO" run --monitor-out "$name.$ext" "$@" >"$name.out" 2>"$name.err") || rc=$?
  if [ "$rc" != "$want" ]; then
    fail "$name: exit status $rc, want $want"
    sed 's/^/    /' "$TMP/$name.err" | head -5
    return
  fi
  [ "$NODE" = 1 ] || return 0
  rc=0
  (cd "$TMP" && node "$ROOT/tools/inro-node.mjs" run --monitor-out "$name.node.$ext" "$@" \
     >"$name.node.out" 2>"$name.node.err") || rc=$?
  if [ "$rc" = "$want" ] && cmp -s "$TMP/$name.$ext" "$TMP/$name.node.$ext"; then
    pass "$name: inro.wasm on node reports the same, byte for byte"
  else
    fail "$name: inro.wasm on node differs (exit status $rc)"
    diff "$TMP/$name.$ext" "$TMP/$name.node.$ext" | head -10 | sed 's/^/    /'
  fi
}

# want NAME EXPR VALUE [EXPR VALUE]... : each JavaScript EXPR, evaluated
# with m = the report's "monitors" object, must give VALUE (as JSON).
# Helpers: fn(report, name), edge(report, caller, callee), site(report,
# func name, op).
want() {
  local name=$1
  shift
  node -e '
    const fs = require("fs");
    const [file, ...pairs] = process.argv.slice(1);
    let m;
    try { m = JSON.parse(fs.readFileSync(file, "utf8")).monitors; } catch (e) {
      console.log(`FAIL ${file}: ${e.message}`); process.exit(1); }
    const fn = (r, name) => r.functions.find((f) => f.name === name);
    const executed = (r) => r.functions.flatMap((f) => f.executed).sort((a, b) => a - b);
    const traced = (r) => [...new Set(r.events.map((e) => e[1]))].sort((a, b) => a - b);
    const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
    const edge = (r, a, b) => r.edges.find((e) => e.caller_name === a && e.callee_name === b);
    const site = (r, name, op) => r.sites.filter((s) => s.name === name && s.op === op);
    let bad = 0;
    for (let i = 0; i < pairs.length; i += 2) {
      let got;
      try { got = JSON.stringify(eval(pairs[i])); } catch (e) { got = `error: ${e.message}`; }
      const ok = got === pairs[i + 1];
      bad += !ok;
      console.log(`${ok ? "PASS" : "FAIL"} ${file.replace(/.*\//, "")}: ${pairs[i]} = ${got}` +
                  (ok ? "" : `, want ${pairs[i + 1]}`));
    }
    process.exit(bad ? 1 : 0);' "$TMP/$name.json" "$@" >"$TMP/$name.checks"
  cat "$TMP/$name.checks"
  passed=$((passed + $(grep -c '^PASS' "$TMP/$name.checks")))
  failed=$((failed + $(grep -c '^FAIL' "$TMP/$name.checks")))
}

# expect_err NAME STATUS REGEX ARGS... : `inro run ARGS` fails with STATUS
# and a first stderr line matching REGEX.
expect_err() {
  local name=$1 status=$2 re=$3 rc=0
  shift 3
  (cd "$TMP" && "$INRO" run "$@" >/dev/null 2>"$name.err") || rc=$?
  if [ "$rc" = "$status" ] && head -1 "$TMP/$name.err" | grep -Eq -- "$re"; then
    pass "$name: exit status $status, $(head -1 "$TMP/$name.err")"
  else
    fail "$name: exit status $rc, stderr: $(head -1 "$TMP/$name.err")"
  fi
}

# --- calls, count, profile, coverage: leafs(n) is 15n + 7 instructions
run leafs json 0 --monitor count,calls,profile,coverage --invoke leafs "$W" 21891
want leafs \
  'm.count.report.total' 328372 \
  'm.count.report.opcodes.call' 21891 \
  'edge(m.calls.report, "leafs", "leaf").count' 21891 \
  'edge(m.calls.report, "leafs", "leaf").kind' '"direct"' \
  'm.calls.report.totals' '{"direct":21891,"host":0,"indirect":0,"ref":0,"tail":0}' \
  'fn(m.profile.report, "leaf").calls' 21891 \
  'fn(m.profile.report, "leaf").self' 87564 \
  'fn(m.profile.report, "leafs").self' 240808 \
  'fn(m.profile.report, "leafs").total' 328372 \
  'fn(m.coverage.report, "leaf").percent' 100 \
  'm.count.window' null

# --- calls: tail calls, and the exceptions thrown and caught
# (tests/wat3/calls3.wat: n rounds of five calls, n/2 throws and catches)
run calls3 json 0 --monitor calls,profile --invoke calls3 "$W3" 1000
want calls3 \
  'edge(m.calls.report, "tail", "leaf").kind' '"tail"' \
  'edge(m.calls.report, "tail", "leaf").count' 1000 \
  'edge(m.calls.report, "tail_ind", "leaf").kind' '"tail_indirect"' \
  'edge(m.calls.report, "calls3", "thrower").count' 1000 \
  'm.calls.report.totals' '{"direct":4000,"host":0,"indirect":1000,"ref":0,"tail":2000}' \
  'm.calls.report.exceptions.throws' 500 \
  'm.calls.report.exceptions.catches' 500 \
  'm.calls.report.exceptions.by_function.map((f) => [f.func_name, f.throws, f.catches])' \
  '[["thrower",500,0],["calls3",0,500]]' \
  'fn(m.profile.report, "leaf").calls' 2000

# --- calls: call_ref and return_call_ref (wabt 1.0.32 cannot write them:
# the bytes of (type $t (func (param i32) (result i32))) (func $leaf
# (type $t) (local.get 0)) (func $tail (type $t) (return_call_ref $t
# (local.get 0) (ref.func $leaf))) (func (export "refs") (param $n i32)
# (result i32) (local $i i32): n times (call_ref $t (local.get $i)
# (ref.func $leaf)) and (call $tail (local.get $i)); returns n)
R=$TMP/refs.wasm
node -e 'require("fs").writeFileSync(process.argv[1], Buffer.from([0,97,115,109,1,0,0,0,1,6,
  1,96,1,127,1,127,3,4,3,0,0,0,7,8,1,4,114,101,102,115,0,2,9,5,1,3,0,1,0,10,56,3,4,0,32,0,11,
  8,0,32,0,210,0,21,0,11,40,1,1,127,2,64,3,64,32,1,32,0,79,13,1,32,1,210,0,20,0,26,32,1,16,
  1,26,32,1,65,1,106,33,1,12,0,11,11,32,1,11]))' "$R"
run refs json 0 --monitor calls --invoke refs "$R" 1000
want refs \
  'edge(m.calls.report, "refs", "func[0]").kind' '"ref"' \
  'edge(m.calls.report, "refs", "func[0]").count' 1000 \
  'edge(m.calls.report, "func[1]", "func[0]").kind' '"tail_ref"' \
  'm.calls.report.totals' '{"direct":1000,"host":0,"indirect":0,"ref":2000,"tail":1000}'

run indirect json 0 --monitor calls --invoke indirect "$W" 1000
want indirect \
  'edge(m.calls.report, "indirect", "leaf").count' 500 \
  'edge(m.calls.report, "indirect", "other").count' 500 \
  'edge(m.calls.report, "indirect", "other").kind' '"indirect"' \
  'm.calls.report.totals.indirect' 1000

run host json 0 --monitor calls --invoke host "$W" 5
want host \
  'edge(m.calls.report, "host", "wasi_snapshot_preview1.sched_yield").count' 5 \
  'edge(m.calls.report, "host", "wasi_snapshot_preview1.sched_yield").host' true \
  'm.calls.report.totals.host' 5

# --- memory: 37 distinct 4 KiB pages, in 64 KiB pages 2..4
run pages json 0 --monitor memory --invoke pages "$W" 37
want pages \
  'm.memory.report.pages_4k_touched' 37 \
  'm.memory.report.pages_64k_touched' 3 \
  'm.memory.report.pages_64k' '[[2,32],[3,32],[4,10]]' \
  'm.memory.report.loads' '{"bytes":148,"count":37}' \
  'm.memory.report.stores' '{"bytes":148,"count":37}' \
  'm.memory.report.pages_4k.every(([p, n]) => n === 2)' true

run fill json 0 --monitor memory --invoke fill "$W" 65530 10000
want fill \
  'm.memory.report.bulk' '{"bytes":20000,"count":2}' \
  'm.memory.report.pages_4k.map(([p]) => p)' '[15,16,17,18,19,20]' \
  'm.memory.report.pages_64k' '[[0,2],[1,3]]'

# --- branches: 1,000 of 3,000; 1,500 of 3,000; 750 per br_table target
run branchy json 0 --monitor branches --invoke branchy "$W" 3000
want branchy \
  'site(m.branches.report, "branchy", "br_if").map((s) => [s.taken, s.not_taken])' '[[1000,2000],[2999,1]]' \
  'site(m.branches.report, "branchy", "if").map((s) => [s.taken, s.not_taken])' '[[1500,1500]]' \
  'site(m.branches.report, "branchy", "br_table")[0].targets' '[750,750,750,750]' \
  'm.branches.report.executed_sites' 4

# --- coverage: cover(1) runs 5 of its 9 instructions
run cover json 0 --monitor coverage --invoke cover "$W" 1
want cover \
  'fn(m.coverage.report, "cover").covered' 5 \
  'fn(m.coverage.report, "cover").instructions' 9 \
  'fn(m.coverage.report, "cover").percent' 55.56 \
  'm.coverage.report.covered' 5

# --- profile: self and total, calling contexts, recursion counted once
run prof json 0 --monitor profile --invoke prof "$W" 1000
want prof \
  'm.profile.report.functions.map((f) => [f.name, f.self, f.total, f.calls])' \
    '[["b",4000,4000,2000],["a",4000,8000,1000],["prof",12007,20007,1]]' \
  'm.profile.report.contexts.map((c) => [c.id, c.name, c.parent, c.total])' \
    '[[1,"prof",null,20007],[2,"a",1,8000],[3,"b",2,4000]]' \
  'm.profile.report.instructions' 20007
run folded folded 0 --monitor profile --invoke prof "$W" 1000
if printf 'prof 12007\nprof;a 4000\nprof;a;b 4000\n' | cmp -s - "$TMP/folded.folded"; then
  pass "folded: folded stacks of prof(1000)"
else
  fail "folded: folded stacks of prof(1000)"
  sed 's/^/    /' "$TMP/folded.folded" | head -5
fi

run rec json 0 --monitor profile --invoke rec "$W" 1000
want rec \
  'fn(m.profile.report, "rec")' '{"calls":1001,"func":13,"name":"rec","self":11006,"source":null,"total":11006}' \
  'm.profile.report.contexts.length' 1001

# --- windows: instructions START..END of the run
run window json 0 --monitor count@100..1100,calls@7..1507,trace@10..20 --invoke leafs "$W" 1000
want window \
  'm["count@100..1100"].report.total' 1000 \
  'm["count@100..1100"].window' '{"end":1100,"start":100}' \
  'edge(m["calls@7..1507"].report, "leafs", "leaf").count' 100 \
  'm["trace@10..20"].report.events.length' 10
run window2 json 0 --monitor profile@7.. --monitor count@1000000..2000000 --invoke prof "$W" 1000
want window2 \
  'm["profile@7.."].report.functions.map((f) => [f.name, f.self, f.total, f.calls])' \
    '[["b",4000,4000,2000],["a",4000,8000,1000],["prof",12000,20000,0]]' \
  'm["profile@7.."].window' '{"end":null,"start":7}' \
  'm["count@1000000..2000000"].report.total' 0

# --- trace of one function
run trace json 0 --monitor trace=leaf --invoke leafs "$W" 3
want trace \
  'm["trace=leaf"].report.events.length' 12 \
  'm["trace=leaf"].report.events.slice(0, 4).map((e) => e[2])' '["local.get","i32.const","i32.add","end"]' \
  'm["trace=leaf"].report.filter' '"leaf"'

# --- a C guest
run guest json 0 --monitor calls,profile,branches "$G"
want guest \
  'm.calls.report.edges.filter((e) => e.callee_name === "step").map((e) => e.count)' '[21891]' \
  'fn(m.profile.report, "step").calls' 21891 \
  'site(m.branches.report, "third", "br_if").concat(site(m.branches.report, "third", "if")).some((s) => s.executed === 3000 && (s.taken === 1000 || s.not_taken === 1000))' true

# --- every monitor at once, reports at exit after a trap and proc_exit
run all json 0 --monitor count,calls,coverage,memory,profile,branches,trace "$G"
want all 'Object.keys(m)' '["branches","calls","count","coverage","memory","profile","trace"]' \
  'm.trace.report.events.length === m.count.report.total' true \
  'm.profile.report.instructions === m.count.report.total' true
run trap json 134 --monitor count,profile "$ROOT/build/guests/trap.wasm"
want trap 'm.count.report.total > 0' true
run exit json 3 --monitor calls "$ROOT/build/guests/exitcode.wasm" 3
want exit 'm.calls.report.totals.host > 0' true

# --- text reports on stderr
rc=0
"$INRO" run --monitor count --invoke leafs "$W" 10 >/dev/null 2>"$TMP/text.err" || rc=$?
if [ $rc = 0 ] && [ "$(sed -n 1,2p "$TMP/text.err")" = "== monitor count
157 instructions executed" ]; then
  pass "text: count report on stderr"
else
  fail "text: count report on stderr (exit status $rc)"
  sed 's/^/    /' "$TMP/text.err" | head -3
fi

# --- coverage: what the probes mark is what a trace of the same run saw,
# through every kind of branch and trap (coverage.wat), in the WASI
# guests, and in windows (with an end: counted by the dispatcher; open:
# probes from the window's start, the segment it starts in marked then).
# Blocks: cover(1) enters 3 of cover's 4 basic blocks, not the else arm.
want cover 'fn(m.coverage.report, "cover").blocks.total' 4 \
  'fn(m.coverage.report, "cover").blocks.covered' 3 \
  'fn(m.coverage.report, "cover").blocks.missed.length' 1 \
  'm.coverage.report.lines' null \
  'fn(m.coverage.report, "cover").source' null
# The trace by record probes is the trace by the dispatcher's ticks (a
# window that ends makes it tick).
FAR=1000000000000000000
for args in "flow 0" "flow 1" "flow 2" "flow 3" "flow 7" "flow 9" "loops 0" "loops 3" \
            "loops 5" "traps 0" "traps 1" "traps 2" "traps 3" "traps 4"; do
  read -r f a <<<"$args"
  status=0
  [ "$f" = traps ] && [ "$a" != 0 ] && status=134
  NODE=0 run "cov-$f-$a" json $status --monitor "coverage,trace,trace@0..$FAR" --invoke "$f" "$C" "$a"
  want "cov-$f-$a" 'same(executed(m.coverage.report), traced(m.trace.report))' true \
    "same(m.trace.report, m['trace@0..$FAR'].report)" true
done
for g in "$ROOT"/build/guests/*.wasm; do
  name=cov-$(basename "$g" .wasm)
  [ "$name" = cov-memory ] && continue # a billion instructions: too long traced
  rc=0 ticked=",trace@0..$FAR" same_trace="same(m.trace.report, m['trace@0..$FAR'].report)"
  if [ "$name" = cov-dirs ]; then # 9 M instructions: two traces too large for node's JSON
    ticked= same_trace=true
  fi
  (cd "$TMP" && "$INRO" run --dir . --monitor "coverage,trace$ticked" --monitor-out "$name.json" \
     "$g" one two </dev/null >/dev/null 2>&1) || rc=$?
  if [ ! -s "$TMP/$name.json" ]; then
    fail "$name: no report (exit status $rc)"
    continue
  fi
  want "$name" 'm.trace.report.dropped > 0 || same(executed(m.coverage.report), traced(m.trace.report))' true \
    "$same_trace" true
done
# count and profile by counter probes (one per run, monitor/runs.c),
# calls by counter probes on direct calls and throws, branches by edge
# probes and memory by access probes against the same by the
# dispatcher's ticks and by callbacks (a window that ends makes them tick and call back), in one
# run: the same figures for every guest, trapping ones included, and in
# the traps and flows of the test module.
for g in "$ROOT"/build/guests/*.wasm; do
  name=count-$(basename "$g" .wasm)
  [ "$name" = count-memory ] && continue # a billion instructions: too long ticked
  [ "$name" = count-mem64 ] && continue # no _start: with --invoke below
  (cd "$TMP" && "$INRO" run --dir . \
     --monitor "count,count@0..$FAR,profile,profile@0..$FAR,branches,branches@0..$FAR,calls,calls@0..$FAR,memory,memory@0..$FAR" \
     --monitor-out "$name.json" "$g" one two </dev/null >/dev/null 2>&1) || true
  want "$name" "same(m.count.report, m['count@0..$FAR'].report)" true \
    "same(m.profile.report, m['profile@0..$FAR'].report)" true \
    "same(m.branches.report, m['branches@0..$FAR'].report)" true \
    "same(m.calls.report, m['calls@0..$FAR'].report)" true \
    "same(m.memory.report, m['memory@0..$FAR'].report)" true
done
# The same for the test module's flows and traps; for what WebAssembly
# 3.0 added: the tail calls and exceptions of calls3.wat and flow3.wat
# (legacy try, catch_all, rethrow, delegate, throws over two frames and
# in the same function, an uncaught one, a trap in a try body, 64-bit and
# multiple memories), try_table, exnref, br_on_null and throw_ref
# (tests/wat3/try_table.mjs), call_ref and return_call_ref ($R, above);
# and the 64-bit memory guest.
TT=$TMP/try_table.wasm
node "$ROOT/tests/wat3/try_table.mjs" "$TT"
for args in "flow 9 $C" "loops 5 $C" "traps 1 $C" "traps 2 $C" "traps 3 $C" "traps 4 $C" \
            "calls3 300 $W3" "flow3 0 $F3" "flow3 1 $F3" "flow3 2 $F3" "flow3 3 $F3" \
            "flow3 4 $F3" "flow3 5 $F3" "flow3 6 $F3" "tt 300 $TT" "refs 300 $R"; do
  read -r f a mod <<<"$args"
  status=0
  case "$f $a" in traps*|"flow3 5"|"flow3 6") status=134 ;; esac
  NODE=0 run "count-$f-$a" json $status \
    --monitor "count,count@0..$FAR,profile,profile@0..$FAR,branches,branches@0..$FAR,calls,calls@0..$FAR,memory,memory@0..$FAR" \
    --invoke "$f" "$mod" "$a"
  want "count-$f-$a" "same(m.count.report, m['count@0..$FAR'].report)" true \
    "same(m.profile.report, m['profile@0..$FAR'].report)" true \
    "same(m.branches.report, m['branches@0..$FAR'].report)" true \
    "same(m.calls.report, m['calls@0..$FAR'].report)" true \
    "same(m.memory.report, m['memory@0..$FAR'].report)" true \
    "m.count.report.total > 0" true
done
# Memories other than 0 (flow3 4: 300 rounds of an i32 store and load of
# $m32, memory 0, and an i64 store and load of $m64, memory 1, then past
# $m32's end in $m64: a store, a fill of 100 bytes and two loads): each
# access in its own memory's bounds, pages for memory 0's alone.
want "count-flow3-4" 'm.memory.report.out_of_bounds' 0 \
  'm.memory.report.stores' '{"bytes":3608,"count":601}' \
  'm.memory.report.loads' '{"bytes":3609,"count":602}' \
  'm.memory.report.bulk' '{"bytes":100,"count":1}' \
  'm.memory.report.pages_4k' '[[0,600]]'
# Catch probes where counters stand too: a catch clause to the function's
# label lands before the final end's counter, an exact position
# (tests/wat3/try_table.mjs: 150 catches in $tofn, 450 in tt).
NODE=0 run catches-counted json 0 --monitor calls,count,profile --invoke tt "$TT" 300
want catches-counted 'm.calls.report.exceptions.by_function.map((f) => [f.func_name, f.throws, f.catches])' \
  '[["func[0]",450,0],["func[1]",0,150],["tt",150,450]]'
NODE=0 run count-mem64 json 0 \
  --monitor "count,count@0..$FAR,profile,profile@0..$FAR,branches,branches@0..$FAR,memory,memory@0..$FAR" \
  --invoke run "$ROOT/build/guests/mem64.wasm" 20000 64
want count-mem64 "same(m.count.report, m['count@0..$FAR'].report)" true \
  "same(m.branches.report, m['branches@0..$FAR'].report)" true \
  "same(m.memory.report, m['memory@0..$FAR'].report)" true \
  "same(m.profile.report, m['profile@0..$FAR'].report)" true "m.count.report.total > 100000" true
H=$ROOT/build/guests/hello.wasm
for w in 1 250 1000 4321 9999; do
  e=$((3 * w + 17))
  NODE=0 run "covwin-$w" json 0 --monitor "coverage@$w..,trace@$w..,coverage@$w..$e,trace@$w..$e" "$H"
  want "covwin-$w" "same(executed(m['coverage@$w..'].report), traced(m['trace@$w..'].report))" true \
    "same(executed(m['coverage@$w..$e'].report), traced(m['trace@$w..$e'].report))" true
done
# branches from a window's start on by edge probes, started at the fire
# for the instruction before the window (a branch now and then), against
# callbacks from the same start: every instruction of the first 400 of
# the branchy function as the window's start.
ws=
for w in $(seq 1 400); do ws="$ws,branches@$w..,branches@$w..$FAR"; done
NODE=0 run brwin json 0 --monitor "${ws#,}" --invoke branchy "$W" 30
want brwin "[...Array(400).keys()].map((i) => i + 1).filter((w) => !same(m['branches@' + w + '..'].report, m['branches@' + w + '..$FAR'].report)).length" 0 \
  "m['branches@7..'].report.executed_sites" 4

# --- source lines: the C guest built with -g (DWARF 5), compiled and then
# linked without -O (clang would run binaryen's wasm-opt, if installed).
GD=$TMP/monitor_calls-g.wasm
if clang-19 --target=wasm32-wasi --sysroot=/usr -O1 -g -c -o "$TMP/mc.o" "$ROOT/tests/guests/monitor_calls.c" &&
   clang-19 --target=wasm32-wasi --sysroot=/usr -g -o "$GD" "$TMP/mc.o"; then
  run lines json 0 --monitor coverage,profile "$GD"
  want lines 'fn(m.coverage.report, "step").source.endsWith("tests/guests/monitor_calls.c:12")' true \
    'fn(m.profile.report, "third").source.endsWith("tests/guests/monitor_calls.c:16")' true \
    'm.coverage.report.lines.files.filter((f) => f.file.endsWith("/monitor_calls.c")).map((f) => [f.covered, f.total])' '[[11,11]]' \
    'm.coverage.report.lines.covered > 11 && m.coverage.report.lines.covered < m.coverage.report.lines.total' true
  # lcov: the same lines; lcov reads it, genhtml renders the guest's file.
  run lcov info 0 --monitor coverage:lcov "$GD"
  node -e '
    const fs = require("fs");
    const [json, info] = process.argv.slice(1).map((f) => fs.readFileSync(f, "utf8"));
    const want = JSON.parse(json).monitors.coverage.report.lines.files
      .map((f) => `SF:${f.file}\n` + f.lines.map(([l, c]) => `DA:${l},${c}\n`).join("")).join("");
    const got = info.split("\n").filter((l) => /^(SF|DA):/.test(l)).map((l) => l + "\n").join("");
    process.exit(got === want ? 0 : 1);' "$TMP/lines.json" "$TMP/lcov.info" &&
    pass "lcov: its SF/DA lines are the JSON report's source lines" ||
    fail "lcov: its SF/DA lines differ from the JSON report's"
  if lcov --summary "$TMP/lcov.info" >"$TMP/lcov.sum" 2>&1 &&
     grep -Eq 'lines\.+: [0-9.]+% \([0-9]+ of [0-9]+ lines\)' "$TMP/lcov.sum" &&
     lcov --extract "$TMP/lcov.info" '*/monitor_calls.c' -o "$TMP/own.info" >"$TMP/lcov.ext" 2>&1 &&
     grep -q '^LH:11$' "$TMP/own.info"; then
    pass "lcov: lcov --summary reads it ($(grep -o '[0-9.]*% ([0-9]* of [0-9]* lines)' "$TMP/lcov.sum"))"
  else
    fail "lcov: lcov cannot read it"
    cat "$TMP/lcov.sum" "$TMP/lcov.ext" 2>/dev/null | head -5 | sed 's/^/    /'
  fi
  page=$TMP/html/guests/monitor_calls.c.gcov.html
  if genhtml "$TMP/own.info" -o "$TMP/html" >"$TMP/genhtml.out" 2>&1 &&
     grep -q 'static int third' "$page" && grep -q '11 of 11 lines' "$TMP/genhtml.out"; then
    pass "lcov: genhtml renders it: monitor_calls.c, its source, 11 of 11 lines hit"
  else
    fail "lcov: genhtml failed"
    tail -5 "$TMP/genhtml.out" | sed 's/^/    /'
  fi
else
  fail "lines: clang-19 could not build monitor_calls.c with -g"
fi

# --- speedscope: valid by the schema speedscope publishes, and the same
# stacks and counts as the folded stacks, in the same order.
run speedscope json 0 --monitor profile:speedscope "$G"
run folded-guest folded 0 --monitor profile "$G"
if NODE_PATH=$NPM node -e '
    const fs = require("fs"), Ajv = require("ajv");
    const [file, folded, schemaFile] = process.argv.slice(1);
    const d = JSON.parse(fs.readFileSync(file, "utf8"));
    const ok = new Ajv({ strict: false }).compile(JSON.parse(fs.readFileSync(schemaFile, "utf8")));
    if (!ok(d)) { console.error(JSON.stringify(ok.errors).slice(0, 300)); process.exit(1); }
    const p = d.profiles[0], frames = d.shared.frames;
    const lines = p.samples.map((s, i) => s.map((k) => frames[k].name).join(";") + " " + p.weights[i]);
    const sum = p.weights.reduce((a, b) => a + b, 0);
    const want = fs.readFileSync(folded, "utf8").trimEnd().split("\n");
    process.exit(JSON.stringify(lines) === JSON.stringify(want) && sum === p.endValue ? 0 : 1);' \
    "$TMP/speedscope.json" "$TMP/folded-guest.folded" "$NPM/speedscope/dist/release/file-format-schema.json"; then
  pass "speedscope: valid (file-format-schema.json), the folded stacks' stacks and counts"
else
  fail "speedscope: invalid, or not the folded stacks"
fi

# --- Chrome trace events: spans nest, time runs forward, one span per
# call (step is called 21891 times); and the ring buffer keeps the last
# 8 Mi records: leafs(800000) traced alone is 11 * 800000 + 7 records.
chrome_ok='
  const fs = require("fs");
  const [file, name, calls, from, to] = process.argv.slice(1);
  const t = JSON.parse(fs.readFileSync(file, "utf8")), ev = t.traceEvents;
  let stack = [], last = 0, bad = "", count = 0, first = null, end = null;
  for (const e of ev) {
    if (e.ph === "M") continue;
    if (e.ts < last) bad = "time goes back";
    last = e.ts;
    if (e.ph === "B") { stack.push(e.name); count += e.name === name; if (first === null) first = e.ts; }
    else if (e.ph === "E") { if (stack.pop() !== e.name) bad = "E does not close the last B"; end = e.ts; }
    else bad = "unexpected ph " + e.ph;
  }
  if (stack.length) bad = "spans left open";
  if (count !== Number(calls)) bad = `${count} spans of ${name}, want ${calls}`;
  if (from && (first !== Number(from) || end !== Number(to) || t.otherData.dropped !== Number(from)))
    bad = `spans from ${first} to ${end}, dropped ${t.otherData.dropped}`;
  if (bad) { console.log(bad); process.exit(1); }'
run chrome json 0 --monitor trace:chrome "$G"
if out=$(node -e "$chrome_ok" "$TMP/chrome.json" step 21891); then
  pass "chrome: spans nest, time runs forward, 21891 spans of step"
else
  fail "chrome: $out"
fi
run ring json 0 --monitor trace:chrome=leafs --invoke leafs "$W" 800000
if out=$(node -e "$chrome_ok" "$TMP/ring.json" leafs 1 $((11 * 800000 + 7 - 8388608)) $((11 * 800000 + 7))); then
  pass "chrome: the ring kept the last 8 Mi records of 8800007"
else
  fail "chrome ring: $out"
fi
# trace:binary: the records of the JSON report, as the header says.
run binary-trace bin 0 --monitor trace:binary --invoke leafs "$W" 30
run json-trace json 0 --monitor trace --invoke leafs "$W" 30
if node -e '
    const fs = require("fs");
    const b = fs.readFileSync(process.argv[1]), j = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
    const ev = j.monitors.trace.report.events, n = Number(b.readBigUInt64LE(16));
    const got = [];
    for (let i = 0; i < n; i++) got.push([b.readUInt32LE(24 + 8 * i), b.readUInt32LE(28 + 8 * i)]);
    process.exit(b.toString("latin1", 0, 8) === "INROTRC1" && Number(b.readBigUInt64LE(8)) === 0 &&
                 b.length === 24 + 8 * n && n === ev.length &&
                 JSON.stringify(got) === JSON.stringify(ev.map((e) => [e[0], e[1]])) ? 0 : 1);' \
    "$TMP/binary-trace.bin" "$TMP/json-trace.json"; then
  pass "trace:binary: header and records equal the JSON report's events"
else
  fail "trace:binary differs from the JSON report"
fi

# --- checkpoint and restore: the reports of a run stopped at a checkpoint
# and resumed (natively, and with inro.wasm on node) are those of the run
# without a stop.
all_mons=count,calls,coverage,memory,profile,branches,trace
run whole json 0 --monitor "$all_mons" "$GD"
run whole-lcov info 0 --monitor coverage:lcov "$GD"
for at in 1000 150000 400000; do
  for host in native node; do
    [ "$host" = node ] && [ "$NODE" != 1 ] && continue
    for what in "json $all_mons" "info coverage:lcov"; do
      read -r ext mons <<<"$what"
      name=restore-$at-$host.$ext
      rm -f "$TMP/s.snap"
      rc=0
      # stdout to a file, as for the uninterrupted run: the guest's stdio
      # takes other paths for a character device
      (cd "$TMP" && "$INRO" run --snapshot s.snap --checkpoint-after $at --monitor "$mons" \
         --monitor-out unused "$GD" >s.out 2>&1) || rc=$?
      if [ $rc != 75 ]; then
        fail "$name: the checkpointed run ended with $rc, want 75"
        continue
      fi
      rc=0
      if [ "$host" = node ]; then
        (cd "$TMP" && node "$ROOT/tools/inro-node.mjs" restore --monitor-out "$name" s.snap \
           >>s.out 2>&1) || rc=$?
      else
        (cd "$TMP" && "$INRO" restore --monitor-out "$name" s.snap >>s.out 2>&1) || rc=$?
      fi
      whole=$TMP/whole.json
      [ "$ext" = info ] && whole=$TMP/whole-lcov.info
      if [ $rc = 0 ] && cmp -s "$whole" "$TMP/$name"; then
        pass "$name: checkpoint after $at, restore on $host: the uninterrupted run's report"
      else
        fail "$name: restore on $host (exit status $rc) differs from the uninterrupted run"
        diff "$whole" "$TMP/$name" 2>&1 | head -6 | sed 's/^/    /'
      fi
    done
  done
done

# --- usage errors
expect_err bad-name 2 "^inro: --monitor: unknown monitor 'nope'" --monitor nope "$W"
expect_err bad-window 2 "^inro: --monitor: bad window" --monitor count@9..3 "$W"
expect_err no-func 1 "^inro: --monitor: trace: no function 'nosuch'" --monitor trace=nosuch "$W"
expect_err out-alone 2 "^inro: --monitor-out needs --monitor" --monitor-out x.json "$W"
expect_err folded-needs-profile 1 "folded stacks need the profile monitor" \
  --monitor count --monitor-out x.folded --invoke leafs "$W" 1
expect_err bad-format 2 "^inro: --monitor: monitor 'coverage' has no format 'html' \(json, lcov\)" \
  --monitor coverage:html --monitor-out x "$W"
expect_err no-format 2 "^inro: --monitor: monitor 'count' has no format 'lcov' \(json\)" \
  --monitor count:lcov --monitor-out x "$W"
expect_err two-formats 2 "^inro: --monitor: monitors 'coverage:lcov' and 'profile:folded' both have a format" \
  --monitor coverage:lcov,profile:folded --monitor-out x "$W"
expect_err format-needs-file 2 "^inro: --monitor: monitor 'trace:chrome' needs --monitor-out FILE" \
  --monitor trace:chrome "$W"
expect_err lcov-needs-dwarf 1 "^inro: --monitor: coverage:lcov needs DWARF line tables" \
  --monitor coverage:lcov --monitor-out x.info --invoke leafs "$W" 1

# A function name that JSON must escape (a quote, a backslash, a control
# character, DEL) around plain and multibyte characters: the report
# parses, and gives the name back.
node -e '
  const name = Buffer.from([0x61, 0x22, 0x62, 0x5c, 0x01, 0x63, 0xc3, 0xa9, 0x7f, 0x64]);
  const sec = (id, b) => Buffer.concat([Buffer.from([id, b.length]), b]);
  const names = Buffer.concat([Buffer.from([0x01, 0x00, name.length]), name]);
  process.stdout.write(Buffer.concat([
    Buffer.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]),
    sec(1, Buffer.from([0x01, 0x60, 0x00, 0x01, 0x7f])), sec(3, Buffer.from([0x01, 0x00])),
    sec(7, Buffer.from([0x01, 0x01, 0x66, 0x00, 0x00])),
    sec(10, Buffer.from([0x01, 0x04, 0x00, 0x41, 0x07, 0x0b])),
    sec(0, Buffer.concat([Buffer.from([0x04]), Buffer.from("name"),
                          Buffer.from([0x01, names.length]), names]))]));
' >"$TMP/names.wasm"
run names json 0 --monitor coverage --invoke f "$TMP/names.wasm"
want names 'm.coverage.report.functions[0].name === "a\"b\\\u0001c\u00e9\u007fd"' true

# --- the C API
if "$BUILD/tests/monitor_test" "$W" >"$TMP/api.out" 2>&1; then :; fi
sed '$d' "$TMP/api.out" | sed 's/^ok: /PASS api: /; s/^FAIL: /FAIL api: /'
if [[ $(tail -n1 "$TMP/api.out") =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed$ ]]; then
  passed=$((passed + BASH_REMATCH[1]))
  failed=$((failed + BASH_REMATCH[2]))
else
  fail "api: monitor_test crashed"
  tail -5 "$TMP/api.out" | sed 's/^/    /'
fi

echo "$passed passed, $failed failed"
[ $failed = 0 ]

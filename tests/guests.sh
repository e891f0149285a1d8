#!/usr/bin/env bash
# tests/guests.sh BUILD_DIR -- run the WASI guests of tests/guests/ (and the
# examples) under BUILD_DIR/inro and under node's own WASI, and require the
# same stdout, stderr and exit status from both.
#
# Each run gets a fresh copy of a small directory tree, preopened as
# /sandbox, with a directory `outside` next to it that the guest must never
# reach.  Cases whose correct answer node does not give (node's WASI is not
# a sandbox: it follows symlinks out of its preopens) are compared with an
# expected-output file instead, and node's answer is only reported.
#
# stderr is compared after dropping inro's "wasm backtrace:" block, which
# node cannot print; tools/node-wasi-run.mjs prints traps in inro's words.
#
# Prints PASS/FAIL per case and a final "N passed, M failed" line; exits
# non-zero if any case failed.  Needs clang-19 and wasi-libc to build the
# guests (`make guests`) and node for the comparison.
#
# INRO_CMD replaces BUILD_DIR/inro by another command that behaves like it,
# e.g. INRO_CMD="node tools/inro-node.mjs" runs the guests in inro.wasm on
# node, INRO_CMD=tools/inro-self.sh in inro.wasm hosted by inro (see
# tests/run-all.sh).  Each case is then also run by BUILD_DIR/inro, and the
# two must agree byte for byte, backtrace included; node's own run is
# skipped for the cases where node is only reported.
set -u

BUILD=${1:-build}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
INRO=$(cd "$BUILD" 2>/dev/null && pwd)/inro
NATIVE=$INRO  # BUILD_DIR/inro, the reference when INRO_CMD is set
GUESTS=$ROOT/build/guests
EXAMPLES=$ROOT/build/examples
EXPECTED=$ROOT/tests/guests
TIMEOUT=${GUEST_TIMEOUT:-120}  # seconds per run; a hung guest fails

TMP=$(mktemp -d "${TMPDIR:-/tmp}/inro-guests.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

if [ -n "${INRO_CMD:-}" ]; then
  # A wrapper script, so that $INRO stays one word that `timeout` can run;
  # words naming files of the repository become absolute paths, since each
  # case runs in its own directory.
  read -r -a words <<<"$INRO_CMD"
  for i in "${!words[@]}"; do
    [ -e "$ROOT/${words[$i]}" ] && words[$i]=$ROOT/${words[$i]}
  done
  INRO=$TMP/inro
  printf '#!/usr/bin/env bash\nexec %s "$@"\n' "$(printf '%q ' "${words[@]}")" >"$INRO"
  chmod +x "$INRO"
fi
if [ ! -x "$INRO" ] || [ ! -x "$NATIVE" ]; then
  echo "guests.sh: no inro at $BUILD/inro (run make first)" >&2
  exit 1
fi
if ! make -s --no-print-directory -C "$ROOT" guests >/dev/null; then
  echo "guests.sh: could not build the guests (need clang-19, wasi-libc)" >&2
  exit 1
fi
HAVE_NODE=1
command -v node >/dev/null || HAVE_NODE=0

# A byte-for-byte known stdin.
printf 'first line\nsecond line\n\tthird, with a tab\nfourth\n' >"$TMP/stdin.txt"
for i in $(seq 1 200); do echo "line $i of the long tail"; done >>"$TMP/stdin.txt"

passed=0
failed=0

# fixture DIR: the tree every run starts from.
fixture() {
  mkdir -p "$1/sandbox/sub" "$1/outside"
  echo secret >"$1/outside/secret.txt"
  echo inside >"$1/sandbox/inside.txt"
  ln -s inside.txt "$1/sandbox/link_ok"
  ln -s ../inside.txt "$1/sandbox/sub/link_ok2"
  ln -s ../outside "$1/sandbox/link_up"
  ln -s ../../outside/secret.txt "$1/sandbox/sub/link_up2"
  ln -s "$(cd "$1/outside" && pwd)" "$1/sandbox/link_abs"
}

# run_in DIR STDIN SECONDS COMMAND... : run in a fresh fixture under DIR,
# killed after SECONDS.
run_in() {
  local dir=$1 input=$2 limit=$3
  shift 3
  fixture "$dir"
  # The outer 2>/dev/null hides the shell's own "Aborted" / "Terminated".
  (cd "$dir" && timeout "$limit" "$@" <"$input" >stdout 2>stderr.raw) 2>/dev/null
  echo $? >"$dir/status"
  # Drop inro's backtrace: "wasm backtrace:" and the indented frames.
  awk '/^wasm backtrace:$/ {skip = 1; next}
       skip && /^ / {next}
       {skip = 0; print}' "$dir/stderr.raw" >"$dir/stderr"
  # The guest must not have touched the outside.
  if [ "$(ls "$dir/outside")" != "secret.txt" ] ||
     [ "$(cat "$dir/outside/secret.txt")" != secret ]; then
    echo "guest changed the directory outside its sandbox" >>"$dir/stderr"
  fi
}

# same NAME WHAT A B: compare two files, print a diff on mismatch.
same() {
  if cmp -s "$3" "$4"; then return 0; fi
  echo "FAIL $1: $2 differs"
  diff "$3" "$4" | head -20 | sed 's/^/    /'
  return 1
}

# check NAME MODE [--stdin FILE] [OPTIONS...] MODULE [ARGS...]
#   MODE node:   inro and node must agree on stdout, stderr and status.
#   MODE expect: inro's stdout must equal tests/guests/NAME.expected, its
#                stderr be empty and its status 0; node is only reported.
check() {
  local name=$1 mode=$2 input=/dev/null
  shift 2
  if [ "${1:-}" = --stdin ]; then
    input=$2
    shift 2
  fi
  local d=$TMP/$name ok=1
  run_in "$d/inro" "$input" "$TIMEOUT" "$INRO" run --dir sandbox::/sandbox "$@"
  if [ -n "${INRO_CMD:-}" ]; then
    run_in "$d/native" "$input" "$TIMEOUT" "$NATIVE" run --dir sandbox::/sandbox "$@"
    for what in stdout stderr.raw status; do
      same "$name" "$what (against native inro)" "$d/native/$what" \
        "$d/inro/$what" || { ok=0; break; }
    done
  fi
  if [ $HAVE_NODE = 1 ] && { [ -z "${INRO_CMD:-}" ] || [ "$mode" != expect ]; }; then
    # Where node is known to go wrong it may also hang: do not wait long.
    run_in "$d/node" "$input" "$([ "$mode" = expect ] && echo 5 || echo "$TIMEOUT")" \
      node "$ROOT/tools/node-wasi-run.mjs" --dir sandbox::/sandbox "$@"
  fi
  if [ "$mode" = expect ]; then
    echo 0 >"$d/want-status"
    : >"$d/want-stderr"
    same "$name" stdout "$EXPECTED/$name.expected" "$d/inro/stdout" || ok=0
    [ $ok = 1 ] && { same "$name" stderr "$d/want-stderr" "$d/inro/stderr" || ok=0; }
    [ $ok = 1 ] && { same "$name" status "$d/want-status" "$d/inro/status" || ok=0; }
    if [ $ok = 1 ] && [ -s "$d/node/status" ] &&
       ! cmp -s "$EXPECTED/$name.expected" "$d/node/stdout"; then
      echo "     (as known, node's WASI differs on $name: exit status" \
           "$(cat "$d/node/status"), $(diff "$EXPECTED/$name.expected" \
           "$d/node/stdout" | grep -c '^<') of" \
           "$(wc -l <"$EXPECTED/$name.expected") lines differ)"
    fi
  elif [ $HAVE_NODE = 0 ]; then
    echo "FAIL $name: node is needed for the comparison"
    ok=0
  elif [ $ok = 1 ]; then
    for what in stdout stderr status; do
      same "$name" "$what" "$d/node/$what" "$d/inro/$what" || { ok=0; break; }
    done
  fi
  if [ $ok = 1 ]; then
    echo "PASS $name"
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
  fi
}

G=$GUESTS
check hello      node "$G/hello.wasm"
check args       node "$G/args.wasm" one "two words" "" "ünïcödé" -- --dir x
check env        node --env GREETING="hi there" --env EMPTY= --env A=1 "$G/env.wasm"
check exit-0     node "$G/exitcode.wasm" 0
check exit-3     node "$G/exitcode.wasm" 3
check exit-255   node "$G/exitcode.wasm" 255
check return-7   node "$G/exitcode.wasm" return 7
check stdin      node --stdin "$TMP/stdin.txt" "$G/stdin.wasm"
check stdin-empty node "$G/stdin.wasm"
check clocks     node "$G/clocks.wasm"
check random     node "$G/random.wasm"
check memory     node "$G/memory.wasm"
check files      node "$G/files.wasm"
check dirs       node "$G/dirs.wasm"
check fdops      node "$G/fdops.wasm"
check poll-clocks node "$G/poll.wasm" clocks
check poll-strict expect --stdin "$TMP/stdin.txt" "$G/poll.wasm" strict
check poll-saturate node "$G/poll.wasm" saturate
check trap       node "$G/trap.wasm"
check recursion  node "$G/recursion.wasm"
check escape     expect "$G/escape.wasm"
check strict     expect "$G/strict.wasm"
check mandelbrot node "$EXAMPLES/mandelbrot.wasm" 64
check tailcall   node "$G/tailcall.wasm"
check cxx_eh     node "$G/cxx_eh.wasm"

# A 64-bit memory (tests/guests/mem64.c, not a WASI command): run(n, base)
# with its table above 4 GiB natively, 64 MiB up in inro.wasm (a 32-bit
# host cannot map 4 GiB more), must give node's checksum (node's 64-bit
# memories stop at 4 GiB: 2 GiB up there).
m64() {
  local d=$TMP/mem64 base=4096 ok=1
  [ -n "${INRO_CMD:-}" ] && base=64
  run_in "$d/inro" /dev/null "$TIMEOUT" "$INRO" run --invoke run "$G/mem64.wasm" 200000 $base
  run_in "$d/node" /dev/null "$TIMEOUT" node --experimental-wasm-memory64 \
    "$ROOT/tools/node-invoke.mjs" "$G/mem64.wasm" run 200000 2048
  if [ $HAVE_NODE = 0 ]; then
    echo "FAIL mem64: node is needed for the comparison"
    ok=0
  elif [ "$(cat "$d/node/stdout")" = "i64:0" ]; then
    echo "FAIL mem64: node could not give the memory"
    ok=0
  else
    for what in stdout stderr status; do
      same mem64 "$what" "$d/node/$what" "$d/inro/$what" || { ok=0; break; }
    done
  fi
  if [ $ok = 1 ]; then
    echo "PASS mem64 (base $base MiB)"
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
  fi
}
m64

# ------------------------------------------------------- WASI edge cases

# pass NAME / fail NAME WHY: count a case checked outside check().
pass() { echo "PASS $1"; passed=$((passed + 1)); }
fail() { echo "FAIL $1: $2"; failed=$((failed + 1)); }

# A write of more than 2 GiB (tests/guests/iovec_big.c) to a pipe: only
# the last 16 bytes are kept (2 GiB would not fit the test's files), and
# they must end a prefix of the guest's three buffers as long as the
# count it printed, under inro and under node (whose short writes are
# shorter).  Native inro only: inro.wasm holds a guest's memory in its own
# heap, where 2 GiB more do not fit.
big_write() { # LABEL ENGINE...
  local label=$1 d=$TMP/iovec-big-$1 n
  shift
  mkdir -p "$d"
  (cd "$d" && "$@" "$G/iovec_big.wasm" 2>err | tail -c 16 >tail)
  n=$(sed -n 's/^wrote \([0-9]*\) of [0-9]* bytes$/\1/p' "$d/err")
  if [ -z "$n" ] || [ "$n" -lt 1 ]; then
    fail "iovec-big-$label" "no count: $(head -c 200 "$d/err")"
    return
  fi
  local p z=$((0x7FFF0000)) b=$((0x10000))
  for ((p = n > 16 ? n - 16 : 0; p < n; p++)); do
    if ((p < z)); then printf '\000'
    elif ((p < z + b)); then printf B
    else printf '%s' "${hello:p - z - b:1}"
    fi
  done >"$d/want"
  if cmp -s "$d/want" "$d/tail"; then
    pass "iovec-big-$label"
  else
    fail "iovec-big-$label" "the last bytes of $n written are not those of a prefix"
    od -c "$d/tail" | head -3 | sed 's/^/    /'
  fi
}
hello=HELLO
if [ -z "${INRO_CMD:-}" ]; then
  big_write inro "$INRO" run
  big_write node node "$ROOT/tools/node-wasi-run.mjs"
fi

# Waiting for ever on deadlines that saturate (tests/guests/poll.c
# "forever") must sleep, as node does, not spin: once the guest says it
# waits, the thread that runs it may use at most 5 clock ticks of CPU time
# in a second.  Only that thread's: node's others may still be compiling
# inro.wasm with TurboFan then.
ticks() { awk '{print $14 + $15}' "/proc/$1/task/$1/stat" 2>/dev/null; }
sleeps_forever() { # LABEL ENGINE...
  local label=$1 d=$TMP/forever-$1 pid t0 t1 i
  shift
  mkdir -p "$d"
  (cd "$d" && exec "$@" "$G/poll.wasm" forever </dev/null >out 2>err) &
  pid=$!
  for ((i = 0; i < TIMEOUT * 10; i++)); do
    grep -q '^waiting$' "$d/out" 2>/dev/null && break
    kill -0 $pid 2>/dev/null || break
    sleep 0.1
  done
  t0=$(ticks $pid)
  sleep 1
  t1=$(ticks $pid)
  kill $pid 2>/dev/null
  wait $pid 2>/dev/null
  if [ -z "$t0" ] || [ -z "$t1" ]; then
    fail "poll-forever-$label" "it did not wait: $(cat "$d/out" "$d/err" | head -3)"
  elif [ $((t1 - t0)) -gt 5 ]; then
    fail "poll-forever-$label" "$((t1 - t0)) ticks of CPU time in a second of waiting"
  else
    pass "poll-forever-$label"
  fi
}
sleeps_forever inro "$INRO" run
[ -z "${INRO_CMD:-}" ] && sleeps_forever node node "$ROOT/tools/node-wasi-run.mjs"

# Flags a guest sets on its stdin and stdout (tests/guests/stdio_flags.c)
# are set on open file descriptions its parent shares (here a FIFO that
# this shell holds open, and a pipe): when the run is over they must be
# as before.  node puts NONBLOCK back but leaves APPEND on stdout, and
# reports NONBLOCK as not set: its answers are only shown.
mkfifo "$TMP/idle.fifo"
exec 8<>"$TMP/idle.fifo"
stdio_flags() { # LABEL ENGINE...
  local label=$1 d=$TMP/stdio-flags-$1
  shift
  mkdir -p "$d"
  (exec <"$TMP/idle.fifo"
   timeout "$TIMEOUT" "$@" "$G/stdio_flags.wasm" 2>"$d/err"
   echo $? >"$d/status"
   for fd in 0 1; do
     sed -n 's/^flags:[[:space:]]*//p' /proc/$BASHPID/fdinfo/$fd
   done >"$d/flags") | cat >/dev/null
  local f bad=
  for f in $(cat "$d/flags"); do
    (( (8#$f & 06000) == 0 )) || bad="$bad $f"
  done
  if [ "$label" = node ]; then
    [ -n "$bad" ] && echo "     (as known, node leaves flags (octal)$bad on the parent's stdio)"
    return
  fi
  printf '%s\n' "fd 0: set flags 4: errno 0; now 4 (errno 0)" \
    "fd 1: set flags 5: errno 0; now 5 (errno 0)" >"$d/want"
  if [ "$(cat "$d/status")" != 0 ] || ! cmp -s "$d/want" "$d/err"; then
    fail "stdio-flags" "status $(cat "$d/status"): $(head -c 300 "$d/err")"
  elif [ -n "$bad" ] || [ "$(wc -w <"$d/flags")" != 2 ]; then
    fail "stdio-flags" "the parent's stdio keeps flags (octal)$bad"
  else
    pass "stdio-flags"
  fi
}
stdio_flags inro "$INRO" run
[ -z "${INRO_CMD:-}" ] && stdio_flags node node "$ROOT/tools/node-wasi-run.mjs"
exec 8>&-

# ------------------------------------------------- the command line itself

# cli NAME STATUS STDOUT STDERR COMMAND...: run COMMAND (in a scratch
# directory, stdin empty) and check its exit status, its stdout (exact text
# with a final newline added, "" for none, or ~REGEX for some line) and the
# first line of its stderr (~REGEX, or "" for none).  An error must be one
# line.
cli() {
  local name=$1 want_status=$2 want_out=$3 want_err=$4
  shift 4
  local d=$TMP/cli-$name why=
  mkdir -p "$d"
  (cd "$d" && timeout "$TIMEOUT" "$@" </dev/null >stdout 2>stderr) 2>/dev/null
  local status=$?
  if [ "$status" != "$want_status" ]; then
    why="exit status $status, want $want_status"
  elif [ "${want_out#\~}" != "$want_out" ]; then
    grep -Eq -- "${want_out#\~}" "$d/stdout" || why="stdout lacks /${want_out#\~}/"
  elif [ -n "$want_out" ]; then
    [ "$(cat "$d/stdout")" = "$want_out" ] || why="stdout is not '$want_out'"
  elif [ -s "$d/stdout" ]; then
    why="unexpected stdout"
  fi
  if [ -z "$why" ] && [ -z "$want_err" ] && [ -s "$d/stderr" ]; then
    why="unexpected stderr"
  elif [ -z "$why" ] && [ -n "$want_err" ]; then
    head -1 "$d/stderr" | grep -Eq -- "${want_err#\~}" ||
      why="stderr lacks /${want_err#\~}/"
    if [ "$want_status" = 1 ] || [ "$want_status" = 2 ]; then
      [ "$(wc -l <"$d/stderr")" = 1 ] || why="error message is not one line"
    fi
  fi
  if [ -z "$why" ]; then
    echo "PASS cli-$name"
    passed=$((passed + 1))
  else
    echo "FAIL cli-$name: $why"
    sed 's/^/    /' "$d/stdout" "$d/stderr" | head -10
    failed=$((failed + 1))
  fi
}

# Modules too small to need a compiler, as bytes.
M=$TMP/modules
mkdir -p "$M"
head='\0asm\1\0\0\0'
printf "$head" >"$M/empty.wasm"
printf 'this is not wasm' >"$M/text.wasm"
# (import "env" "nope" (func)), which nothing defines
printf "$head\1\4\1\x60\0\0\2\x0c\1\3env\4nope\0\0" >"$M/import.wasm"
# (func unreachable) (start 0)
printf "$head\1\4\1\x60\0\0\3\2\1\0\x08\1\0\x0a\5\1\3\0\0\x0b" >"$M/start-trap.wasm"
# a data count section saying 1, or 0, and no data section
printf "$head\x0c\1\1" >"$M/datacount-1.wasm"
printf "$head\x0c\1\0" >"$M/datacount-0.wasm"

X=$G/exports.wasm
cli help           0 "~--dir HOST\[::GUEST\]" "" "$INRO" run --help
cli help-short     0 "~--invoke NAME" "" "$INRO" run -h
cli no-module      2 "" "~^inro: missing MODULE" "$INRO" run
cli bad-option     2 "" "~^inro: unknown option '--bogus'" "$INRO" run --bogus "$X"
cli no-value       2 "" "~^inro: --dir needs a value" "$INRO" run --dir
cli bad-dir-spec   2 "" "~^inro: bad --dir" "$INRO" run --dir ::x "$X"
cli missing-file   1 "" "~^inro: cannot read nothere.wasm" "$INRO" run nothere.wasm
cli not-wasm       1 "" "~^inro: .*text.wasm" "$INRO" run "$M/text.wasm"
cli missing-dir    1 "" "~^inro: --dir /nonexistent.*ENOENT" "$INRO" run --dir /nonexistent "$X"
cli link-error     1 "" "~^inro: .*nope" "$INRO" run "$M/import.wasm"
cli no-start       0 "" "" "$INRO" run "$M/empty.wasm"
cli start-trap   134 "" "~^inro: trap: unreachable" "$INRO" run "$M/start-trap.wasm"
cli datacount-alone 1 "" "~malformed module: data count and data section have inconsistent lengths" \
  "$INRO" validate "$M/datacount-1.wasm"
cli datacount-zero 0 "~datacount-0.wasm: valid$" "" "$INRO" validate "$M/datacount-0.wasm"
# Inputs that never end are refused, not read until memory runs out.
cli validate-device 1 "" "~^inro: cannot read /dev/zero: not a regular file" \
  "$INRO" validate /dev/zero
cli inspect-device 1 "" "~^inro: cannot read /dev/zero: not a regular file" \
  "$INRO" inspect /dev/zero
cli validate-dir   1 "" "~^inro: cannot read .*: it is a directory" "$INRO" validate "$M"
cli dashdash       0 "~^argv\[1\]=\"--help\"" "" "$INRO" run -- "$G/args.wasm" --help
cli dir-dot        0 "" "~, wrote m.pbm$" "$INRO" run --dir=. "$EXAMPLES/mandelbrot.wasm" 8 m.pbm
cli argv0          0 "~^argv\[0\] ends in .wasm: no" "" "$INRO" run --argv0 prog "$G/args.wasm"
cli env-inherit    0 "~^INRO_TEST_VAR=from the host$" "" \
  env INRO_TEST_VAR="from the host" "$INRO" run --env INRO_TEST_VAR --env=UNSET_INRO_VAR "$G/env.wasm"
cli invoke-i32     0 "i32:5" "" "$INRO" run --invoke add "$X" 2 3
cli invoke-wrap    0 "i32:2147483647" "" "$INRO" run --invoke add "$X" -1 -2147483648
cli invoke-hex     0 "i32:15" "" "$INRO" run --invoke=add "$X" 0x10 0xffffffff
cli invoke-i64     0 "i64:-12000000000" "" "$INRO" run --invoke mul64 "$X" -3 4000000000
cli invoke-f64     0 "f64:1.5" "" "$INRO" run --invoke half "$X" 3
cli invoke-f64-neg0 0 "f64:-0" "" "$INRO" run --invoke half "$X" -0
cli invoke-f64-inf 0 "f64:inf" "" "$INRO" run --invoke half "$X" inf
cli invoke-f32     0 "f32:4.5" "" "$INRO" run --invoke scale "$X" 1.5 3
cli invoke-void    0 "" "" "$INRO" run --invoke nothing "$X"
cli invoke-wasi    0 "hello from an export
i32:42" "" "$INRO" run --invoke greet "$X"
cli invoke-trap  134 "" "~^inro: trap: integer divide by zero" "$INRO" run --invoke div "$X" 1 0
cli invoke-arity   2 "" "~^inro: 'add' takes 2 arguments, got 1" "$INRO" run --invoke add "$X" 1
cli invoke-value   2 "" "~^inro: argument 1 of 'add': 'x' is not a valid i32" "$INRO" run --invoke add "$X" x 1
cli invoke-range   2 "" "~not a valid i32" "$INRO" run --invoke add "$X" 4294967296 1
cli invoke-missing 1 "" "~^inro: .*no exported function 'nosuch'" "$INRO" run --invoke nosuch "$X"
# Numbers are decimal or 0x hex, never octal, and never wrap silently.
cli invoke-decimal-0 0 "i32:19" "" "$INRO" run --invoke add "$X" 010 09
cli invoke-space   2 "" "~not a valid i32" "$INRO" run --invoke add "$X" " 5" 1
cli invoke-i64-over 2 "" "~^inro: argument 1 of 'mul64': '18446744073709551616' is not a valid i64" \
  "$INRO" run --invoke mul64 "$X" 18446744073709551616 1
cli invoke-i64-huge 2 "" "~not a valid i64" "$INRO" run --invoke mul64 "$X" 1 99999999999999999999999
cli invoke-i64-min 0 "i64:-9223372036854775808" "" "$INRO" run --invoke mul64 "$X" -9223372036854775808 1
cli invoke-f64-over 2 "" "~not a valid f64" "$INRO" run --invoke half "$X" 1e999
cli after-overflow 2 "" "~^inro: --checkpoint-after wants a count" \
  "$INRO" run --checkpoint-after 99999999999999999999999 "$X"

echo "$passed passed, $failed failed"
[ $failed = 0 ]

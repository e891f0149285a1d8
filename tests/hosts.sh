#!/usr/bin/env bash
# tests/hosts.sh BUILD_DIR -- the hosts of inro.wasm outside a browser, each
# put through the same checks against native inro (BUILD_DIR/inro) on the
# Mandelbrot example (tests/browser.mjs does the same in Chromium and
# Firefox; docs/self-hosting.md has the table):
#
#   node           node tools/inro-node.mjs (V8 with its fast-API workaround)
#   node-noflags   the same on stock V8: INRO_NODE_FLAGS= (no V8 flags)
#   inro           native inro hosting inro.wasm (tools/inro-self.sh)
#   inro-on-inro   native inro hosting inro.wasm hosting inro.wasm
#
# Checks per host: the example's output (stdout, stderr, the image) equals
# native's; a snapshot taken natively restores on the host and the output
# continues; a snapshot taken on the host restores natively; monitors with
# windows (count, coverage, calls, profile) write byte-identical JSON.
# Last line: "N passed, M failed".
set -u
BUILD=${1:-build}
ROOT=$(cd "$(dirname "$0")/.." && pwd -P)
INRO=$(cd "$BUILD" && pwd -P)/inro
WASM=$ROOT/build/inro.wasm
MANDEL=$ROOT/build/examples/mandelbrot.wasm
SIZE=40           # inro on inro interprets an interpreter: keep it small
AFTER=500000      # of about 2.3 million instructions
# Monitors slow a run down most (a probe on every instruction, two
# interpreters deep for inro on inro): a smaller image, 376 542
# instructions, with windows inside.
MON_SIZE=16
WINDOWS=(--monitor count --monitor coverage@100000.. --monitor calls@100000..300000 --monitor profile)
TMP=$(mktemp -d "${TMPDIR:-/tmp}/inro-hosts.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
passed=0 failed=0
check() { # NAME CONDITION...
  local name=$1
  shift
  if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL: $name"; fi
}
same() { cmp -s "$1" "$2"; }

for f in "$INRO" "$WASM" "$MANDEL"; do
  [[ -e $f ]] || { echo "hosts.sh: $f is not built (make all wasm guests)" >&2; echo "0 passed, 1 failed"; exit 1; }
done
command -v node >/dev/null || { echo "hosts.sh: node is needed" >&2; echo "0 passed, 1 failed"; exit 1; }

host_native() { "$INRO" "$@"; }
host_node() { node "$ROOT/tools/inro-node.mjs" "$@"; }
host_node-noflags() { INRO_NODE_FLAGS= node "$ROOT/tools/inro-node.mjs" "$@"; }
host_inro() { "$ROOT/tools/inro-self.sh" "$@"; }
host_inro-on-inro() {
  PWD=$(pwd -P) "$INRO" run --env PWD --dir=/ "$WASM" run --env PWD --dir=/ "$WASM" "$@"
}
HOSTS=(node node-noflags inro inro-on-inro)

# run HOST DIR OUT-PREFIX ARGS...: in DIR, stdout/stderr/status to files.
run() {
  local host=$1 dir=$2 out=$3
  shift 3
  (cd "$dir" && { "host_$host" "$@" </dev/null >"$out.out" 2>"$out.err"; echo $? >"$out.rc"; })
}
example=(--dir . --argv0 mandelbrot.wasm "$MANDEL" "$SIZE" m.pbm)
monitored=("${WINDOWS[@]}" --monitor-out mon.json --dir . --argv0 mandelbrot.wasm "$MANDEL" "$MON_SIZE" m.pbm)

# The references: the uninterrupted run, its monitors, and a native
# checkpoint for the hosts to restore.
mkdir -p "$TMP/ref" "$TMP/ref-mon" "$TMP/native-stop"
run native "$TMP/ref" ref run "${example[@]}"
run native "$TMP/ref-mon" mon run "${monitored[@]}"
run native "$TMP/native-stop" stop run --snapshot s --checkpoint-after "$AFTER" "${example[@]}"
ref=$TMP/ref
check "native reference run" [ "$(cat "$ref/ref.rc")" = 0 ]
check "native checkpoint (75)" [ "$(cat "$TMP/native-stop/stop.rc")" = 75 ]

for h in "${HOSTS[@]}"; do
  d=$TMP/$h
  mkdir -p "$d/example" "$d/restore" "$d/stop" "$d/mon"
  # The example.
  run "$h" "$d/example" r run "${example[@]}"
  check "$h example: exit status 0" [ "$(cat "$d/example/r.rc")" = 0 ]
  check "$h example: stdout" same "$d/example/r.out" "$ref/ref.out"
  check "$h example: stderr" same "$d/example/r.err" "$ref/ref.err"
  check "$h example: image" same "$d/example/m.pbm" "$ref/m.pbm"
  # native -> host.
  cp "$TMP/native-stop/s" "$TMP/native-stop/m.pbm" "$d/restore/"
  run "$h" "$d/restore" r restore --dir . s
  check "$h native->host: exit status 0" [ "$(cat "$d/restore/r.rc")" = 0 ]
  check "$h native->host: stdout" same <(cat "$TMP/native-stop/stop.out" "$d/restore/r.out") "$ref/ref.out"
  check "$h native->host: stderr" same <(cat "$TMP/native-stop/stop.err" "$d/restore/r.err") "$ref/ref.err"
  check "$h native->host: image" same "$d/restore/m.pbm" "$ref/m.pbm"
  # host -> native.
  run "$h" "$d/stop" r run --snapshot s --checkpoint-after "$AFTER" "${example[@]}"
  check "$h host->native: the host checkpoints (75)" [ "$(cat "$d/stop/r.rc")" = 75 ]
  run native "$d/stop" n restore --dir . s
  check "$h host->native: exit status 0" [ "$(cat "$d/stop/n.rc")" = 0 ]
  check "$h host->native: stdout" same <(cat "$d/stop/r.out" "$d/stop/n.out") "$ref/ref.out"
  check "$h host->native: stderr" same <(cat "$d/stop/r.err" "$d/stop/n.err") "$ref/ref.err"
  check "$h host->native: image" same "$d/stop/m.pbm" "$ref/m.pbm"
  # Monitors.
  run "$h" "$d/mon" r run "${monitored[@]}"
  check "$h monitors: exit status 0" [ "$(cat "$d/mon/r.rc")" = 0 ]
  check "$h monitors: the JSON equals native's" same "$d/mon/mon.json" "$TMP/ref-mon/mon.json"
done

echo "$passed passed, $failed failed"
[ $failed = 0 ]

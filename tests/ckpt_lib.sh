# tests/ckpt_lib.sh -- checkpoint / restore through the command line, the
# helpers shared by tests/checkpoint.sh and tests/snapshot_compat.sh
# (sourced, not run).
#
# The caller sets G (the built guests), TMP (a scratch directory) and
# NATIVE (the inro that counts instructions), and runs each guest
# uninterrupted into $TMP/ref (`run_guest "$NATIVE" "$TMP/ref" NAME`)
# before comparing checkpointed runs with it.  `ok` and `bad` count into
# $passed and $failed.
passed=0 failed=0
ok() { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); echo "FAIL: $*"; }

# A fresh sandbox with the input file, as the guest's /sandbox.
fresh() {
  rm -rf "$1" && mkdir -p "$1"
  seq 1 120 | sed 's/^/line number /' >"$1/input.txt"
}

# run_guest CMD OUTDIR NAME ARGS...: run in OUTDIR/sb, output to OUTDIR/{out,err,rc}
run_guest() {
  local cmd=$1 dir=$2 name=$3
  shift 3
  fresh "$dir/sb"
  (cd "$dir" && $cmd run --dir sb::/sandbox "$@" "$G/$name.wasm" >out 2>err; echo $? >rc)
}

same_files() { # reference dir, candidate dir
  local f
  for f in upper.txt log.txt; do
    [ -e "$1/sb/$f" ] || continue
    cmp -s "$1/sb/$f" "$2/sb/$f" || return 1
  done
  return 0
}

# Instructions the guest executes: the smallest N for which
# --checkpoint-after N no longer stops it (doubling, then bisection).
count_instructions() {
  local name=$1 lo=0 hi=1000 mid
  while :; do
    run_guest "$NATIVE" "$TMP/count" "$name" --snapshot "$TMP/count/s" --checkpoint-after $hi
    [ "$(cat "$TMP/count/rc")" = 75 ] || break
    lo=$hi
    hi=$((hi * 2))
  done
  while [ $((hi - lo)) -gt 1 ]; do
    mid=$(((lo + hi) / 2))
    run_guest "$NATIVE" "$TMP/count" "$name" --snapshot "$TMP/count/s" --checkpoint-after $mid
    if [ "$(cat "$TMP/count/rc")" = 75 ]; then lo=$mid; else hi=$mid; fi
  done
  echo $hi
}

# checkpoint_restore NAME N RUNCMD RESTORECMD LABEL: checkpoint with RUNCMD
# after N instructions, restore with RESTORECMD, and compare both runs'
# output together with $TMP/ref.  The snapshot is left in $TMP/case/snap.
checkpoint_restore() {
  local name=$1 n=$2 runcmd=$3 rescmd=$4 label=$5 d=$TMP/case
  rm -rf "$d" && mkdir -p "$d"
  run_guest "$runcmd" "$d" "$name" --snapshot "$d/snap" --checkpoint-after "$n"
  if [ "$(cat "$d/rc")" != 75 ]; then
    bad "$label: checkpoint run exited $(cat "$d/rc") (want 75)"
    return
  fi
  mv "$d/out" "$d/out1"
  mv "$d/err" "$d/err1"
  (cd "$d" && $rescmd restore --dir sb::/sandbox "$d/snap" >out2 2>err2; echo $? >rc2)
  cat "$d/out1" "$d/out2" >"$d/out"
  cat "$d/err1" "$d/err2" >"$d/err"
  if [ "$(cat "$d/rc2")" != "$(cat "$TMP/ref/rc")" ]; then
    bad "$label: restore exited $(cat "$d/rc2"), reference $(cat "$TMP/ref/rc")"
  elif ! cmp -s "$d/out" "$TMP/ref/out" || ! cmp -s "$d/err" "$TMP/ref/err"; then
    bad "$label: output differs from the uninterrupted run"
  elif ! same_files "$TMP/ref" "$d"; then
    bad "$label: files differ from the uninterrupted run"
  else
    ok
  fi
}

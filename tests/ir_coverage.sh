#!/usr/bin/env bash
# ir_coverage.sh IRSTATS_BUILD SPECTEST -- every op of the IR (exec/ir.h)
# runs somewhere in the suite: the spec scripts (the 3.0 suite, sub-folders
# too), tests/forms_test.c (every operand form of every instruction),
# tests/fused_traps.sh, the probe test and the snapshot test of 3.0's state
# (v128 accesses of a 64-bit memory 1), run by a build that counts the ops
# it runs (`make irstats`, exec/irstats.c).  An op that never runs is
# untested code: the test fails and names it.  Then the monitors whose
# probes have no callback must leave the rest of the IR as it is: two
# guests run the same instructions under them as without, and a window
# that closed early costs no more on a longer run.  Last line:
# "N passed, M failed".
set -u
build=$1 spectest=$2
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
stats=$(mktemp)
trap 'rm -f "$stats"' EXIT
export INRO_IR_STATS=$stats
failed=0
for t in "$build/inro" "$build/tests/forms_test" "$build/tests/probe_test" \
         "$build/tests/snapshot_wasm3_test"; do
  [[ -x $t ]] || { echo "FAIL: $t is not built (make irstats)"; echo "0 passed, 1 failed"; exit 1; }
done
[[ -d $spectest/json ]] || { echo "FAIL: no spec suite at $spectest"; echo "0 passed, 1 failed"; exit 1; }
find "$spectest/json" -name '*.json' | LC_ALL=C sort |
  while read -r script; do "$build/inro" spec "$script" >/dev/null 2>&1; done
"$build/tests/forms_test" >/dev/null
"$build/tests/probe_test" "$build/tests/wat/probes.wasm" >/dev/null
"$build/tests/snapshot_wasm3_test" >/dev/null
bash "$here/fused_traps.sh" "$build" >/dev/null
total=$(grep -c '^op ' "$stats")
unused=$(awk '$1 == "op" && $3 == 0 { print $2 }' "$stats" | LC_ALL=C sort -u)
if [[ -n $unused ]]; then
  for op in $unused; do echo "FAIL: IR op $op never ran"; failed=$((failed + 1)); done
fi
# The monitors that count by probes without a callback add their
# instructions and change no other: a guest runs the same instructions,
# each as often, with them as without (a call.counted is a counter and a
# call, a ctx.return a context's exit event and a return).
stats_of() { # guest [monitor [args...]]: the IR counts of its run (exec/irstats.c)
  local s g=$1 m=${2:-}
  shift $(($# < 2 ? $# : 2))
  s=$(mktemp)
  INRO_IR_STATS=$s "$build/inro" run ${m:+--monitor "$m" --monitor-out /dev/null} "$g" "$@" \
    >/dev/null 2>&1
  cat "$s"
  rm -f "$s"
}
ops_run() { # guest [monitor]: "op count" of the ops it runs, probes' left out
  stats_of "$@" |
    awk '$1 == "op" && $3 > 0 && $2 !~ /^(counter|edges|edges_jz|edges_jnz|records|access|ctx\.enter|ctx\.exit|probe)$/ {
      n[$2 == "call.counted" ? "call" : $2 == "ctx.return" ? "return" : $2] += $3 }
      END { for (op in n) print op, n[op] }' | LC_ALL=C sort
}
for g in ckpt_compute ckpt_recursion; do
  guest=$here/../build/guests/$g.wasm
  [[ -f $guest ]] || { echo "FAIL: $guest is not built (make guests)"; failed=$((failed + 1)); continue; }
  plain=$(ops_run "$guest")
  for mon in count profile trace:binary calls; do
    if [[ -n $plain && $(ops_run "$guest" "$mon") == "$plain" ]]; then total=$((total + 1))
    else echo "FAIL: $g under --monitor $mon runs other instructions than without"; failed=$((failed + 1))
    fi
  done
done
# A closed window leaves nothing behind: its probes go, and so do the
# barriers where the frame stood when it closed (probe/probe.c,
# probe_unbar), so what it adds does not grow with what runs after it.
ops_total() { # guest monitor args...: IR instructions run
  stats_of "$@" | awk '$1 == "op" { t += $3 } END { print t + 0 }'
}
guest=$here/../build/guests/ckpt_compute.wasm
added=()
for n in 2000 4000; do
  added+=($(($(ops_total "$guest" count@1..20000 $n) - $(ops_total "$guest" "" $n))))
done
if [[ ${added[0]} -gt 0 && ${added[0]} == "${added[1]}" ]]; then total=$((total + 1))
else echo "FAIL: a window closed after 20000 instructions adds ${added[0]} IR instructions to ckpt_compute 2000, ${added[1]} to ckpt_compute 4000"; failed=$((failed + 1))
fi
echo "$((total - failed)) passed, $failed failed"
[[ $failed -eq 0 ]]

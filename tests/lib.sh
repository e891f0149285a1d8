# tests/lib.sh -- what the shell tests share (sourced, not run): the
# counters of checks, and how a check is counted and reported.  A failed
# check prints "FAIL: WHAT"; the test's last line is `summary`'s
# "N passed, M failed".
passed=0 failed=0
ok() { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); echo "FAIL: $*"; }
check() { # NAME CONDITION...
  local name=$1
  shift
  if "$@"; then ok; else bad "$name"; fi
}
same() { cmp -s "$1" "$2"; }

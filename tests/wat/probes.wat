;; Module for tests/probe_test.c: figures below are known by construction.
(module
  (memory (export "memory") 1)
  ;; sum(n): loop n times; returns n*(n+1)/2
  (func $sum (export "sum") (param $n i32) (result i32) (local $acc i32)
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $acc (i32.add (local.get $acc) (local.get $n)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $next)))
    (local.get $acc))
  ;; calls $leaf n times
  (func $leaf (param i32) (result i32) (i32.mul (local.get 0) (i32.const 2)))
  (func (export "caller") (param $n i32) (result i32) (local $r i32)
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $r (i32.add (local.get $r) (call $leaf (local.get $n))))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $next)))
    (local.get $r))
  (func $fac (export "fac") (param i64) (result i64)
    (if (result i64) (i64.eqz (local.get 0))
      (then (i64.const 1))
      (else (i64.mul (local.get 0) (call $fac (i64.sub (local.get 0) (i64.const 1)))))))
  ;; ends(n): n rounds through two `end`s in a row, the outer one a branch
  ;; target and (after an `end`) where a run of the count monitor starts,
  ;; as does the instruction after it: their counters follow each other
  ;; with no code between; returns 10 per odd n ... plus 1 per round
  (func (export "ends") (param $n i32) (result i32) (local $acc i32)
    (loop $next
      (block $o
        (block $i
          (br_if $i (i32.and (local.get $n) (i32.const 1)))
          (local.set $acc (i32.add (local.get $acc) (i32.const 10)))))
      (local.set $acc (i32.add (local.get $acc) (i32.const 1)))
      (br_if $next (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (local.get $acc))
)

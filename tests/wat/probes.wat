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
;; pick(n): 1 for n = 0, 2 for n = 1, else n + 3, carried out of its
  ;; block by a br_if with a value below it (a BR_IF that moves it): a
  ;; br_table and such a br_if for edge probes
  (func (export "pick") (param $n i32) (result i32)
    (block $d (result i32)
      (block $two
        (block $one
          (block $zero
            (br_table $zero $one $two (local.get $n)))
          (return (i32.const 1)))
        (return (i32.const 2)))
      (i32.const 9)
      (i32.add (local.get $n) (i32.const 3))
      (br_if $d (local.get $n))
      (drop)
      (drop)
      (i32.const 0)))
;; poke(a): stores 7 at a and loads it back (an access at 4094
  ;; straddles 4 KiB pages 0 and 1, one at 65534 traps)
  (func (export "poke") (param $a i32) (result i32)
    (i32.store (local.get $a) (i32.const 7))
    (i32.load (local.get $a)))
)


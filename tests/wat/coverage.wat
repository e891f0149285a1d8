;; Module for the coverage tests (tests/monitors.sh): control flow whose
;; every way in and out of straight-line code the coverage monitor's
;; probes must get right, checked against a trace of the same run.  Run
;; with `inro run --invoke NAME coverage.wasm ARG`.
(module
  (memory 1)
  (table 1 funcref)

  ;; 100 / x: traps (integer divide by zero) in the callee for x = 0
  (func $div (param $x i32) (result i32)
    (i32.div_u (i32.const 100) (local.get $x)))

  ;; flow(x): an if without else (taken for odd x), a br_table on x & 3
  ;; out of three nested blocks, an early return (x = 7), a br_if to the
  ;; function's label (x = 9, landing on its final end), a select.
  (func (export "flow") (param $x i32) (result i32) (local $r i32)
    (if (i32.and (local.get $x) (i32.const 1))
      (then (local.set $r (i32.const 1))))
    (block $a
      (block $b
        (block $c
          (br_table $a $b $c (i32.and (local.get $x) (i32.const 3))))
        (local.set $r (i32.add (local.get $r) (i32.const 10))))
      (local.set $r (i32.add (local.get $r) (i32.const 100))))
    (if (i32.eq (local.get $x) (i32.const 7))
      (then (return (i32.const 77))))
    (drop (br_if 0 (i32.const 5) (i32.eq (local.get $x) (i32.const 9))))
    (select (local.get $r) (i32.const -1) (local.get $x)))

  ;; loops(n): an inner loop left by br_if, an outer one by br_if, a
  ;; block left from inside the inner loop when n = 3.
  (func (export "loops") (param $n i32) (result i32) (local $i i32) (local $j i32) (local $s i32)
    (block $out
      (loop $outer
        (local.set $j (i32.const 0))
        (loop $inner
          (br_if $out (i32.and (i32.eq (local.get $n) (i32.const 3))
                               (i32.eq (local.get $j) (i32.const 2))))
          (local.set $s (i32.add (local.get $s) (local.get $j)))
          (local.set $j (i32.add (local.get $j) (i32.const 1)))
          (br_if $inner (i32.lt_u (local.get $j) (local.get $i))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $outer (i32.lt_u (local.get $i) (local.get $n)))))
    (local.get $s))

  ;; traps(k): straight code cut short by a trap in its middle: a load out
  ;; of bounds (k = 1), a divide by zero in a callee (k = 2), unreachable
  ;; (k = 3), a call_indirect of a null element (k = 4); the instructions
  ;; after the trapping one must not count.  k = 0 runs it all.
  (func (export "traps") (param $k i32) (result i32) (local $r i32)
    (local.set $r (i32.const 1))
    (if (i32.eq (local.get $k) (i32.const 1))
      (then
        (local.set $r (i32.load (i32.const 70000)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))))
    (local.set $r (i32.add (local.get $r)
                           (call $div (i32.sub (i32.const 2) (local.get $k)))))
    (local.set $r (i32.add (local.get $r) (i32.const 3)))
    (if (i32.eq (local.get $k) (i32.const 3))
      (then unreachable))
    (if (i32.eq (local.get $k) (i32.const 4))
      (then (local.set $r (call_indirect (result i32) (i32.const 0)))))
    (local.get $r))
)

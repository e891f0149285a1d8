;; slices.wat -- for tests/slice_test.c: loops long enough for many slices.
(module
  (import "host" "poke" (func $poke (result i32)))
  (import "host" "nested" (func $nested (result i32)))
  (memory 1)
  ;; 1 + 2 + ... + n, one loop iteration (one taken branch) per term
  (func $sum (export "sum") (param $n i32) (result i32) (local $acc i32)
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $acc (i32.add (local.get $acc) (local.get $n)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $next)))
    (local.get $acc))
  ;; the host interrupts the store, then the sum runs
  (func (export "poke_then_sum") (param $n i32) (result i32)
    (drop (call $poke))
    (call $sum (local.get $n)))
  ;; the host calls sum with little fuel and returns what it met
  (func (export "nested") (param i32) (result i32)
    (call $nested))
)

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
  ;; a function first called after $k taken branches: under little fuel the
  ;; call stops with it entered and nothing of it run, where its code is
  ;; still the stub that translates it (exec/module.c); its constants, a
  ;; local and operands show whether the frame moved to its translation whole
  (func $mix (param $a i32) (result i32) (local $b i32)
    (local.set $b (i32.mul (local.get $a) (i32.const 1000003)))
    (i32.xor (i32.add (local.get $b) (i32.const 12345))
             (i32.rotl (local.get $a) (i32.const 7))))
  (func (export "count_then_mix") (param $k i32) (result i32)
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $k)))
        (local.set $k (i32.sub (local.get $k) (i32.const 1)))
        (br $next)))
    (call $mix (i32.const 39)))
  ;; the host calls sum with little fuel and returns what it met
  (func (export "nested") (param i32) (result i32)
    (call $nested))
)

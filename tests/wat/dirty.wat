;; Module for tests/stream_test.c: a loop that keeps writing its memory at
;; pseudo-random places, grows the memory half-way, and returns a checksum
;; of all of it; pre-copy rounds run from a probe at the loop head.
(module
  (memory (export "mem") 4 64)
  (func (export "run") (param $n i32) (result i64)
    (local $i i32) (local $x i32) (local $a i32) (local $h i64) (local $pages i32)
    (local.set $x (i32.const 12345))
    (loop $write
      (if (i32.eq (local.get $i) (i32.div_u (local.get $n) (i32.const 2)))
        (then (drop (memory.grow (i32.const 3)))))
      ;; xorshift32
      (local.set $x (i32.xor (local.get $x) (i32.shl (local.get $x) (i32.const 13))))
      (local.set $x (i32.xor (local.get $x) (i32.shr_u (local.get $x) (i32.const 17))))
      (local.set $x (i32.xor (local.get $x) (i32.shl (local.get $x) (i32.const 5))))
      (local.set $a (i32.and
        (i32.rem_u (local.get $x) (i32.mul (memory.size) (i32.const 65536)))
        (i32.const -8)))
      (i64.store (local.get $a) (i64.extend_i32_u (i32.add (local.get $x) (local.get $i))))
      ;; now and then a whole page back to zero
      (if (i32.eqz (i32.and (local.get $i) (i32.const 1023)))
        (then (memory.fill (i32.and (local.get $a) (i32.const -65536)) (i32.const 0)
                           (i32.const 65536))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $write (i32.lt_u (local.get $i) (local.get $n))))
    (local.set $pages (i32.mul (memory.size) (i32.const 65536)))
    (local.set $a (i32.const 0))
    (local.set $h (i64.const 1469598103934665603))
    (loop $sum
      (local.set $h (i64.mul (i64.xor (local.get $h) (i64.load (local.get $a)))
                             (i64.const 1099511628211)))
      (local.set $a (i32.add (local.get $a) (i32.const 8)))
      (br_if $sum (i32.lt_u (local.get $a) (local.get $pages))))
    (local.get $h))
)

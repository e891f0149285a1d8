;; simd.wat -- v128 values wherever state is seen (tests/simd_state_test.c
;; and tests/simd.sh): arguments and results of exports and of a host
;; import, a mutable v128 global, v128 locals and operands under calls (for
;; probes and snapshots), v128 accesses for the memory monitor, and a trap
;; inside a v128 instruction.
(module
  (import "host" "swap" (func $swap (param v128 i32 v128) (result v128 i32)))
  (memory (export "mem") 1)
  (global $g (export "g") (mut v128) (v128.const i32x4 1 2 3 4))

  (func (export "add") (param v128 v128) (result v128)
    (i32x4.add (local.get 0) (local.get 1)))

  ;; values of one and two slots mixed: the v128s' slots follow from the
  ;; types before them
  (func (export "mixed") (param i32 v128 f64 v128 i64) (result i64 v128 f64)
    (i64.add (local.get 4) (i64.extend_i32_u (local.get 0)))
    (i64x2.add (local.get 1) (local.get 3))
    (f64.add (local.get 2) (f64x2.extract_lane 1 (local.get 3))))

  (func (export "call_host") (param v128 i32 v128) (result v128 i32)
    (call $swap (local.get 0) (local.get 1) (local.get 2)))

  (func (export "bump") (result v128)
    (global.set $g (i32x4.add (global.get $g) (v128.const i32x4 10 20 30 40)))
    (global.get $g))

  (func $step (param v128 i32) (result v128)
    (i32x4.add (local.get 0) (i32x4.splat (local.get 1))))

  ;; n rounds; each keeps its accumulator on the operand stack under a call
  ;; (call_site: the call to $step), selects between v128s, stores and
  ;; reloads memory; the result folds the accumulator's lanes.
  (func (export "loop") (param $n i32) (result i64)
    (local $acc v128) (local $i i32) (local $t v128)
    (local.set $acc (v128.const i32x4 7 11 13 17))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $acc
          (i32x4.add
            (local.get $acc)
            (call $step (local.get $acc) (local.get $i))))
        (local.set $t
          (select (result v128)
            (i8x16.shuffle 15 14 13 12 11 10 9 8 7 6 5 4 3 2 1 0
              (local.get $acc) (local.get $acc))
            (i16x8.mul (local.get $acc) (v128.const i16x8 3 3 3 3 3 3 3 3))
            (i32.and (local.get $i) (i32.const 1))))
        (v128.store offset=16 (i32.const 0) (local.get $t))
        (local.set $acc
          (v128.xor (local.get $acc)
            (v128.load16_lane offset=16 3 (i32.const 2) (local.get $t))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (i64.add (i64x2.extract_lane 0 (local.get $acc))
             (i64x2.extract_lane 1 (local.get $acc))))

  ;; v128 memory accesses: 2 v128.load (16 bytes), 1 v128.load8x8_s (8),
  ;; 1 v128.load32_splat (4), 1 v128.load8_lane (1); 1 v128.store (16),
  ;; 1 v128.store16_lane (2) and one i32.store (4)
  (func (export "accesses") (result i32)
    (v128.store (i32.const 32) (v128.const i32x4 1 2 3 4))
    (v128.store16_lane 1 (i32.const 100)
      (i32x4.add
        (i32x4.add (v128.load (i32.const 32)) (v128.load (i32.const 48)))
        (i16x8.add (v128.load8x8_s (i32.const 32)) (v128.load32_splat (i32.const 36)))))
    (i32.store (i32.const 200)
      (i8x16.extract_lane_u 0 (v128.load8_lane 0 (i32.const 33) (v128.const i64x2 0 0))))
    (i32.load (i32.const 200)))

  ;; traps in a v128 load whose address is an operand not yet home
  (func (export "trap") (param i32) (result v128)
    (v128.load offset=8 (i32.add (local.get 0) (i32.const 4))))
)

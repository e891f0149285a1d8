;; simd_cli.wat -- v128 on the command line (tests/simd.sh): --invoke
;; arguments and results, the memory monitor's v128 accesses, a trap and
;; its backtrace inside v128 code.  No imports, so `inro run` can load it.
(module
  (memory 1)
  (func (export "add") (param v128 v128) (result v128)
    (i32x4.add (local.get 0) (local.get 1)))
  (func (export "mixed") (param i32 v128 f64) (result f64 v128 i32)
    (f64.add (local.get 2) (f64x2.extract_lane 1 (local.get 1)))
    (i8x16.neg (local.get 1))
    (local.get 0))

  ;; 6 loads, 49 bytes: v128.load twice (16 each), v128.load8x8_s (8),
  ;; v128.load32_splat (4), v128.load8_lane (1), i32.load (4);
  ;; 3 stores, 22 bytes: v128.store (16), v128.store16_lane (2), i32.store (4)
  (func (export "accesses") (result i32)
    (v128.store (i32.const 32) (v128.const i32x4 1 2 3 4))
    (v128.store16_lane 1 (i32.const 100)
      (i32x4.add
        (i32x4.add (v128.load (i32.const 32)) (v128.load (i32.const 48)))
        (i16x8.add (v128.load8x8_s (i32.const 32)) (v128.load32_splat (i32.const 36)))))
    (i32.store (i32.const 200)
      (i8x16.extract_lane_u 1 (v128.load8_lane 1 (i32.const 36) (v128.const i64x2 0 0))))
    (i32.load (i32.const 200)))

  (func $inner (param i32) (result v128)
    (v128.load offset=8 (i32.add (local.get 0) (i32.const 4))))
  (func (export "trap") (param i32) (result i32)
    (i32x4.extract_lane 0 (call $inner (local.get 0))))
)

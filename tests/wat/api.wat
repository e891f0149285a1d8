;; Module for tests/api_test.c: one import of each kind (their types are
;; read back), exports of each kind, and functions that call the host.
(module
  (import "host" "sum" (func $sum (param i32 i32) (result i32)))
  (import "host" "fail" (func $fail (param i32 i64) (result f32)))
  (import "host" "table" (table 1 10 funcref))
  (import "host" "memory" (memory 1 4))
  (import "host" "counter" (global $counter (mut i32)))
  (global (export "k") f64 (f64.const 1.5))
  (table (export "refs") 2 externref)
  (export "memory" (memory 0))
  (data (i32.const 16) "\01\02\03\04\05")
  (func (export "sum") (param i32 i32) (result i32)
    (global.set $counter (i32.add (global.get $counter) (i32.const 1)))
    (call $sum (local.get 0) (local.get 1)))
  (func (export "fail") (param i32) (result f32)
    (call $fail (local.get 0) (i64.const -1)))
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
)

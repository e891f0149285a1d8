;; Module for tests/snapshot_test.c: recursion, memory, a mutable global,
;; a table and call_indirect, so a snapshot must carry all of them.
(module
  (type $t (func (param i32) (result i32)))
  (table 4 funcref)
  (elem (i32.const 0) $dbl $inc)
  (memory 1)
  (global $g (mut i32) (i32.const 0))
  (func $dbl (type $t) (i32.mul (local.get 0) (i32.const 2)))
  (func $inc (type $t) (i32.add (local.get 0) (i32.const 1)))
  (func $rec (param $n i32) (result i32) (local $r i32)
    (if (result i32) (i32.eqz (local.get $n))
      (then (i32.const 1))
      (else
        (local.set $r (call $rec (i32.sub (local.get $n) (i32.const 1))))
        (i32.store (i32.mul (local.get $n) (i32.const 4)) (local.get $r))
        (global.set $g (i32.add (global.get $g) (local.get $r)))
        (i32.add
          (call_indirect (type $t) (local.get $r) (i32.rem_u (local.get $n) (i32.const 2)))
          (i32.load (i32.mul (i32.sub (local.get $n) (i32.const 1)) (i32.const 4)))))))
  (func (export "run") (param $n i32) (result i32)
    (i32.add (call $rec (local.get $n)) (global.get $g)))
)

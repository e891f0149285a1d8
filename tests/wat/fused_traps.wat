;; fused_traps.wat -- instructions that trap where inro's IR joins several
;; Wasm instructions into one or leaves operands in locals and constants
;; (exec/ir.h), each made to trap by tests/fused_traps.sh.
(module
  (memory 1)
  (data (i32.const 0) "\01\82\03\f4\05\96\07\e8\09\0a\bb\0c\dd\0e\8f\10\11\92\13\a4\15\16\c7\18\19\1a\fb\1c\1d\1e")
  ;; each export ends in a load whose address comes from the instructions
  ;; fused into it: local.get (L), local.get + local.tee (LT), i32.add of
  ;; locals and constants (LL, LC, SL, SC)
  (func (export "L") (param i32) (result i32)
    (i32.const 7) (i32.load offset=8 (local.get 0)) (i32.add))
  (func (export "LT") (param i32) (result i32) (local i32)
    (i32.const 7) (i32.load offset=3 (local.tee 1 (local.get 0)))
    (i32.add) (local.get 1) (i32.add))
  (func (export "LL") (param i32 i32) (result i64)
    (i64.const 7) (i64.load (i32.add (local.get 0) (local.get 1))) (i64.add))
  (func (export "LC") (param i32) (result i32)
    (i32.const 7) (i32.load16_u offset=2 (i32.add (local.get 0) (i32.const -4))) (i32.add))
  (func (export "SL") (param i32 i32) (result f64)
    (f64.load (i32.add (i32.mul (local.get 0) (i32.const 2)) (local.get 1))))
  (func (export "SC") (param i32) (result i32)
    (i32.load8_s (i32.add (i32.mul (local.get 0) (i32.const 2)) (i32.const 100))))
  ;; an interpreter's operand fetch fp[pc[i]] (IX): an i32.load of a local,
  ;; plus a local, is the address of the next load
  (func (export "IX") (param i32 i32) (result f64)
    (f64.load offset=8 (i32.add (i32.load offset=4 (local.get 0)) (local.get 1))))
  ;; two such fetches in a row (I2), added
  (func (export "I2") (param i32 i32) (result f64)
    (f64.add
      (f64.load offset=8 (i32.add (i32.load offset=4 (local.get 0)) (local.get 1)))
      (f64.load offset=8 (i32.add (i32.load offset=12 (local.get 0)) (local.get 1)))))
  ;; the address of such a slot (AX): i32.load of a local, plus a local
  (func (export "AX") (param i32 i32) (result i32)
    (i32.add (i32.load offset=4 (local.get 0)) (local.get 1)))
  ;; two i32.add_LC_S in a row (A2, no trap), the second reading the first's
  (func (export "A2") (param i32 i32) (result i32)
    (local.set 0 (i32.add (local.get 1) (i32.const 3)))
    (local.set 1 (i32.add (local.get 0) (i32.const 5)))
    (i32.add (i32.mul (local.get 0) (i32.const 1000)) (local.get 1)))
  ;; a local pushed before a value computed from locals (LS): x - y*z
  ;; set, x < y+5 as a branch condition, x - 4z as an address; and LF,
  ;; the same in f64 (operand order matters)
  (func (export "LS") (param i32 i32 i32) (result i32) (local i32)
    (local.set 3 (i32.sub (local.get 0) (i32.mul (local.get 1) (local.get 2))))
    (block
      (br_if 0 (i32.lt_s (local.get 3) (i32.add (local.get 1) (i32.const 5))))
      (local.set 3 (i32.const 64)))
    (i32.load (i32.sub (local.get 3) (i32.mul (local.get 2) (i32.const 4)))))
  (func (export "LF") (param f64 f64 f64) (result f64)
    (f64.sub (local.get 0) (f64.mul (local.get 1) (local.get 2))))
  ;; a plain store and the i32.add_LC_S after it (ST: `*p = v; p += 8`)
  (func (export "ST") (param i32 i64) (result i64)
    (i64.store offset=8 (local.get 0) (i64.add (local.get 1) (i64.const 1)))
    (local.set 0 (i32.add (local.get 0) (i32.const 8)))
    (i64.load (local.get 0)))
  ;; a result teed to one local and set to another (TS): not pushed but
  ;; copied; the division traps for a zero divisor; then tee and set of the
  ;; same local
  (func (export "TS") (param i32 i32) (result i32) (local i32 i32)
    (local.set 3 (local.tee 2 (i32.div_s (local.get 0) (local.get 1))))
    (local.set 2 (local.tee 2 (i32.add (local.get 2) (local.get 3))))
    (i32.add (i32.mul (local.get 2) (i32.const 100)) (local.get 3)))
  ;; a plain binary instruction and the full-width store of its result,
  ;; in one dispatch (M, MF): the division traps for a zero divisor, the
  ;; store for an address out of bounds
  (func (export "M") (param i32 i32 i32) (result i32)
    (i32.store offset=4 (local.get 0)
      (i32.div_s (i32.clz (local.get 1)) (i32.clz (local.get 2))))
    (i32.load offset=4 (local.get 0)))
  (func (export "MF") (param i32 f64 f64) (result f64)
    (f64.store offset=8 (local.get 0)
      (f64.sub (f64.sqrt (local.get 1)) (f64.sqrt (local.get 2))))
    (f64.load offset=8 (local.get 0)))
  ;; stores whose operands come from local.get: address and value (SLL),
  ;; value only (SSL); each returns what it stored, loaded back
  (func (export "SLL") (param i32 i64) (result i64)
    (i64.store offset=4 (local.get 0) (local.get 1))
    (i64.load offset=4 (local.get 0)))
  (func (export "SSL") (param i32 i32) (result i32)
    (i32.store16 (i32.add (local.get 0) (i32.const 1)) (local.get 1))
    (i32.load16_u offset=1 (local.get 0)))
  ;; the head of a switch loop (SW), as clang compiles `switch (*p)`:
  ;; local.get; local.tee; i32.load; local.tee; br_table is one
  ;; instruction, and so is each br back to it, which computes the next
  ;; address from the instructions before it when it can (exec/ir.h).
  ;; Ops from address p: 0 skip (through a copy), 1 add one (the address
  ;; set first), 2 double (the address set last), 3 skip (then q changes),
  ;; 4 and above return.
  (data (i32.const 200) "\01\00\00\00\02\00\00\00\00\00\00\00\03\00\00\00\02\00\00\00\01\00\00\00\04\00\00\00")
  (func (export "SW") (param $p i32) (result i32)
    (local $q i32) (local $op i32) (local $acc i32) (local $t i32)
    (loop $next
      (block $ret (block $hop (block $double (block $add (block $skip
        (br_table $skip $add $double $hop $ret
          (local.tee $op (i32.load (local.tee $q (local.get $p))))))
        (local.set $t (i32.add (local.get $q) (i32.const 4)))
        (local.set $p (local.get $t))
        (br $next))
        (local.set $p (i32.add (local.get $q) (i32.const 4)))
        (local.set $acc (i32.add (local.get $acc) (i32.const 1)))
        (br $next))
        (local.set $acc (i32.mul (local.get $acc) (i32.const 2)))
        (local.set $p (i32.add (local.get $q) (i32.const 4)))
        (br $next))
        (local.set $p (i32.add (local.get $q) (i32.const 4)))
        (local.set $q (i32.add (local.get $acc) (i32.const 8)))
        (br $next)))
    (local.get $acc))
  ;; a conversion of a local (UL) that traps on NaN
  (func (export "UL") (param f64) (result i32)
    (i32.const 7) (i32.trunc_f64_s (local.get 0)) (i32.add))
  ;; a division (RC) with every operand on the stack, its own and the two
  ;; below, still a constant or a local when it traps
  (func (export "RC") (param i32 i32) (result i32)
    (i32.const 7) (local.get 1) (i32.div_u (local.get 0) (local.get 1)) (i32.add) (i32.add))
  ;; a load (SR) whose address adds a local to the value just computed
  (func (export "SR") (param i32 i32) (result i32)
    (i32.load (i32.add (local.get 1) (i32.shl (local.get 0) (i32.const 2)))))
  ;; v128 loads and stores (V*) under v128 operands still a constant and a
  ;; local (two slots each): a load, a lane load, a store, a lane store
  (func (export "VL") (param i32) (result i32) (local v128)
    (local.set 1 (v128.const i32x4 1 2 3 4))
    (v128.const i32x4 5 6 7 8) (local.get 1)
    (v128.load offset=4 (local.get 0))
    (i32x4.add) (i32x4.add) (i32x4.extract_lane 1))
  (func (export "VLL") (param i32) (result i32) (local v128)
    (local.set 1 (v128.const i32x4 1 2 3 4))
    (v128.const i64x2 5 6)
    (v128.load16_lane 5 (local.get 0) (local.get 1))
    (i32x4.add) (i32x4.extract_lane 2))
  (func (export "VS") (param i32) (result i32) (local v128)
    (local.set 1 (v128.const i32x4 1 2 3 4))
    (v128.const i32x4 9 9 9 9)
    (v128.store offset=2 (local.get 0) (local.get 1))
    (i32x4.extract_lane 0))
  (func (export "VSL") (param i32) (result i32) (local v128)
    (local.set 1 (v128.const i32x4 1 2 3 4))
    (i32.const 3) (local.get 1)
    (v128.store64_lane 1 (local.get 0) (v128.const i64x2 7 8))
    (i32x4.extract_lane 3) (i32.add))
)

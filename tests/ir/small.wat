;; small.wat -- small functions whose IR tests/ir_dump.sh compares with
;; tests/ir/small.txt (`inro inspect --ir`): what the translator makes of
;; the usual shapes of compiled code (exec/ir.h).
(module
  (memory 1)
  ;; a counted loop: locals as operands, constants in slots, the result
  ;; of an add straight into its local, the loop's test as a jump on R
  (func $sum (param $n i32) (result i32) (local $acc i32)
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $acc (i32.add (local.get $acc) (local.get $n)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $next)))
    (local.get $acc))
  ;; a chain of results, each read from R by the next: xorshift
  (func $xorshift (param $x i32) (result i32)
    (local.set $x (i32.xor (local.get $x) (i32.shl (local.get $x) (i32.const 13))))
    (local.set $x (i32.xor (local.get $x) (i32.shr_u (local.get $x) (i32.const 17))))
    (i32.xor (local.get $x) (i32.shl (local.get $x) (i32.const 5))))
  ;; loads: from a local, from an address added just before (joined),
  ;; from a local plus a computed value, an interpreter's operand fetch
  (func $loads (param $p i32) (param $i i32) (result i64)
    (i64.add
      (i64.add (i64.load (local.get $p)) (i64.load offset=8 (i32.add (local.get $p) (local.get $i))))
      (i64.add (i64.load (i32.add (local.get $p) (i32.shl (local.get $i) (i32.const 3))))
               (i64.load offset=16 (i32.add (local.get $i) (i32.load offset=4 (local.get $p)))))))
  ;; a comparison as a br_if, as an if (negated), and as a value
  (func $compare (param $a i32) (param $b f64) (result i32)
    (block
      (br_if 0 (i32.lt_s (local.get $a) (i32.const 10)))
      (local.set $a (i32.const 10)))
    (if (i32.gt_u (local.get $a) (i32.const 100)) (then (local.set $a (i32.const 100))))
    (i32.add (local.get $a) (f64.lt (local.get $b) (f64.const 0.5))))
  ;; a value teed to a local and set to another; a store of a computed value
  (func $tee (param $p i32) (param $x i32) (local $y i32)
    (local.set $y (local.tee $x (i32.mul (local.get $x) (i32.const 3))))
    (i32.store offset=4 (local.get $p) (i32.add (local.get $x) (local.get $y))))
)

;; flow3.wat -- the control flow WebAssembly 3.0 added, for the monitors
;; that count by runs (tests/monitors.sh compares count and profile by
;; counter probes with the same by the dispatcher's ticks).  flow3(mode):
;;   0  exceptions thrown two frames down ($thrower under $middle, which
;;      is unwound without returning), caught by a legacy catch and by
;;      catch_all
;;   1  a throw caught in the same function, in a loop
;;   2  rethrow to an outer try, and delegate to an outer try's handler
;;   3  tail calls: return_call and return_call_indirect counting down
;;   4  a 64-bit memory beside a 32-bit one: loads, stores, grow, size,
;;      and a store, a fill and loads past the end of the 32-bit one
;;   5  an uncaught exception ends the run (thrown two frames down)
;;   6  a trap inside a try body (not caught: traps are no exceptions)
(module
  (tag $e (param i32))
  (tag $f)
  (type $t (func (param i32) (result i32)))
  (memory $m32 1)
  (memory $m64 i64 1 4)
  (table 3 funcref)
  (elem (i32.const 0) $leaf $double $down)
  (func $leaf (type $t) (local.get 0))
  (func $double (type $t) (i32.add (local.get 0) (local.get 0)))
  ;; x odd: throw $e x; x = 2 mod 4: throw $f; else x
  (func $thrower (type $t)
    (if (i32.and (local.get 0) (i32.const 1)) (then (throw $e (local.get 0))))
    (if (i32.eq (i32.and (local.get 0) (i32.const 3)) (i32.const 2)) (then (throw $f)))
    (local.get 0))
  (func $middle (type $t) (i32.add (call $thrower (local.get 0)) (i32.const 1)))
  ;; 7 after x tail calls, odd x direct, even x through the table
  (func $down (type $t)
    (if (i32.eqz (local.get 0)) (then (return (i32.const 7))))
    (if (i32.and (local.get 0) (i32.const 1))
      (then (return_call $down (i32.sub (local.get 0) (i32.const 1)))))
    (return_call_indirect (type $t) (i32.sub (local.get 0) (i32.const 1)) (i32.const 2)))

  (func $two_frames (param $n i32) (result i32) (local $i i32) (local $acc i32)
    (loop $next
      (local.set $acc (i32.add (local.get $acc)
        (try (result i32)
          (do (call $middle (local.get $i)))
          (catch $e (i32.mul (i32.const 3)))
          (catch_all (i32.const 100)))))
      (br_if $next (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1)))
                             (local.get $n))))
    (local.get $acc))

  (func $same_function (param $n i32) (result i32) (local $i i32) (local $acc i32)
    (loop $next
      (local.set $acc (i32.add (local.get $acc)
        (try (result i32)
          (do
            (if (i32.and (local.get $i) (i32.const 1)) (then (throw $e (local.get $i))))
            (local.get $i))
          (catch $e (i32.const 1) (i32.add)))))
      (br_if $next (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1)))
                             (local.get $n))))
    (local.get $acc))

  (func $outer (param $n i32) (result i32) (local $i i32) (local $acc i32)
    (loop $next
      ;; rethrow from a catch body to the try around it
      (local.set $acc (i32.add (local.get $acc)
        (try (result i32)
          (do
            (try (result i32)
              (do (call $thrower (local.get $i)))
              (catch_all (rethrow 0))))
          (catch $e)
          (catch $f (i32.const 50)))))
      ;; delegate: the inner try's exceptions go to the outer one's handler
      (local.set $acc (i32.add (local.get $acc)
        (try (result i32)
          (do
            (try (result i32)
              (do (call $middle (local.get $i)))
              (delegate 0)))
          (catch_all (i32.const 9)))))
      (br_if $next (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1)))
                             (local.get $n))))
    (local.get $acc))

  (func $memories (param $n i32) (result i32) (local $i i32) (local $acc i32)
    (drop (memory.grow $m64 (i64.const 1)))
    (loop $next
      (i64.store $m64 (i64.mul (i64.extend_i32_u (local.get $i)) (i64.const 8))
                      (i64.extend_i32_u (local.get $i)))
      (i32.store $m32 (i32.mul (local.get $i) (i32.const 4)) (local.get $i))
      (local.set $acc (i32.add (local.get $acc)
        (i32.add (i32.wrap_i64 (i64.load $m64 (i64.mul (i64.extend_i32_u (local.get $i))
                                                       (i64.const 8))))
                 (i32.load $m32 (i32.mul (local.get $i) (i32.const 4))))))
      (br_if $next (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1)))
                             (local.get $n))))
    ;; Past the end of $m32, within the grown $m64: in bounds there.
    (i64.store $m64 (i64.const 70000) (i64.const 5))
    (memory.fill $m64 (i64.const 66000) (i32.const 7) (i64.const 100))
    (local.set $acc (i32.add (local.get $acc) (i32.wrap_i64 (i64.load $m64 (i64.const 70000)))))
    (local.set $acc (i32.add (local.get $acc) (i32.load8_u $m64 (i64.const 66099))))
    (i32.add (local.get $acc) (i32.wrap_i64 (memory.size $m64))))

  (func (export "flow3") (param $mode i32) (result i32)
    (block $bad
      (block $6 (block $5 (block $4 (block $3 (block $2 (block $1 (block $0
        (br_table $0 $1 $2 $3 $4 $5 $6 $bad (local.get $mode)))
        (return (call $two_frames (i32.const 200))))
        (return (call $same_function (i32.const 200))))
        (return (call $outer (i32.const 200))))
        (return (call $down (i32.const 300))))
        (return (call $memories (i32.const 300))))
        (return (call $middle (i32.const 5))))
      (return (try (result i32)
        (do (i32.div_u (i32.const 1) (i32.sub (local.get $mode) (i32.const 6))))
        (catch_all (i32.const 0)))))
    (unreachable)))

;; calls3.wat -- tail calls and exceptions for the calls monitor
;; (tests/monitors.sh).  calls3(n) runs n rounds; round i calls $tail
;; (which tail-calls $leaf), $tail_ind (which tail-calls $leaf through the
;; table) and, inside a legacy try, $thrower, which throws when i is odd:
;; so n calls of each of the five edges, n/2 throws (in $thrower) and n/2
;; catches (in calls3); calls3(n) returns the sum of the even i < n plus
;; the odd ones thrown and caught with their value: n(n-1)/2 in all.
(module
  (tag $e (param i32))
  (type $t (func (param i32) (result i32)))
  (table 1 funcref)
  (elem (i32.const 0) $leaf)
  (func $leaf (type $t) (local.get 0))
  (func $tail (type $t) (return_call $leaf (local.get 0)))
  (func $tail_ind (type $t) (return_call_indirect (type $t) (local.get 0) (i32.const 0)))
  (func $thrower (type $t)
    (if (i32.and (local.get 0) (i32.const 1)) (then (throw $e (local.get 0))))
    (local.get 0))
  (func (export "calls3") (param $n i32) (result i32) (local $i i32) (local $acc i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (drop (call $tail (local.get $i)))
        (drop (call $tail_ind (local.get $i)))
        (local.set $acc (i32.add (local.get $acc)
          (try (result i32)
            (do (call $thrower (local.get $i)))
            (catch $e))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (local.get $acc)))

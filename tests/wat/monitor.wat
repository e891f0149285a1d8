;; Module for the monitor tests (tests/monitors.sh, tests/monitor_test.c):
;; each export is one scenario whose figures are known by construction.
;; Run with `inro run --invoke NAME monitor.wasm ARGS`.
;;
;; Instruction counts follow inro's definition (docs/instrumentation.md):
;; an instruction counts when control passes through it; `block` and
;; `loop` count once on entry, a branch back to a loop does not re-count
;; it, and a branch out of a block skips the block's `end`.
(module
  (import "wasi_snapshot_preview1" "sched_yield" (func $yield (result i32)))
  (type $t (func (param i32) (result i32)))
  (memory 40)
  (table 2 funcref)
  (elem (i32.const 0) $leaf $other)

  ;; 4 instructions: local.get, i32.const, i32.add, end
  (func $leaf (export "leaf") (param i32) (result i32)
    (i32.add (local.get 0) (i32.const 1)))
  (func $other (export "other") (param i32) (result i32)
    (local.get 0))

  ;; leafs(n): n direct calls of leaf; 15n + 7 instructions in all
  ;; (11 per iteration here, 4 in leaf; block, loop, the last test (3),
  ;; local.get, end).  The call of iteration k is instruction 6 + 15k.
  (func $leafs (export "leafs") (param $n i32) (result i32) (local $acc i32)
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $acc (call $leaf (local.get $acc)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $next)))
    (local.get $acc))

  ;; indirect(n): n calls through the table, alternating leaf and other
  ;; (element n & 1 for n down to 1: n/2 each for even n)
  (func $indirect (export "indirect") (param $n i32) (result i32) (local $acc i32)
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $acc
          (call_indirect (type $t) (local.get $acc)
                         (i32.and (local.get $n) (i32.const 1))))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $next)))
    (local.get $acc))

  ;; host(n): n calls of an imported (host) function
  (func $host (export "host") (param $n i32)
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $n)))
        (drop (call $yield))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $next))))

  ;; pages(n): an i32.store then an i32.load at 0x20000 + 4096k for k < n:
  ;; n distinct 4 KiB pages, each accessed twice, 4 bytes at a time; for
  ;; n = 37 the last address is 0x44000, so 64 KiB pages 2, 3 and 4.
  (func $pages (export "pages") (param $n i32) (result i32) (local $k i32) (local $sum i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $k) (local.get $n)))
        (i32.store offset=0x20000 (i32.shl (local.get $k) (i32.const 12)) (local.get $k))
        (local.set $sum (i32.add (local.get $sum)
          (i32.load offset=0x20000 (i32.shl (local.get $k) (i32.const 12)))))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $next)))
    (local.get $sum))

  ;; fill(addr, n): one memory.fill of n bytes at addr, then one
  ;; memory.copy of those n bytes to addr + n
  (func $fill (export "fill") (param $a i32) (param $n i32)
    (memory.fill (local.get $a) (i32.const 7) (local.get $n))
    (memory.copy (i32.add (local.get $a) (local.get $n)) (local.get $a) (local.get $n)))

  ;; branchy(n) for i < n: a br_if taken when i % 3 == 0 (1000 of 3000),
  ;; an if taken when i is odd (1500 of 3000), a br_table on i % 4 with
  ;; three labels and a default (750 each), and the loop's own br_if
  ;; (taken n - 1 of n).
  (func $branchy (export "branchy") (param $n i32) (result i32) (local $i i32) (local $r i32)
    (loop $next
      (block $skip
        (br_if $skip (i32.eqz (i32.rem_u (local.get $i) (i32.const 3))))
        (local.set $r (i32.add (local.get $r) (i32.const 1))))
      (if (i32.and (local.get $i) (i32.const 1))
        (then (local.set $r (i32.add (local.get $r) (i32.const 2)))))
      (block $d (block $c (block $b (block $a
        (br_table $a $b $c $d (i32.rem_u (local.get $i) (i32.const 4))))
        (local.set $r (i32.add (local.get $r) (i32.const 3))))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $next (i32.lt_u (local.get $i) (local.get $n))))
    (local.get $r))

  ;; cover(x): 9 instructions (local.get, if, i32.const, else, i32.const,
  ;; i32.const, i32.add, end, end).  cover(1) runs 5 of them (the else
  ;; jumps past the if's end); cover(0) runs 7.
  (func $cover (export "cover") (param $x i32) (result i32)
    (if (result i32) (local.get $x)
      (then (i32.const 10))
      (else (i32.add (i32.const 20) (i32.const 1)))))

  ;; prof(n): calls a n times, a calls b twice.  Self: prof 12n + 7, a 4n,
  ;; b 4n; total: prof 20n + 7, a 8n, b 4n; calls: a n, b 2n.
  (func $b (export "b") (result i32) (i32.const 1))
  (func $a (export "a") (result i32) (i32.add (call $b) (call $b)))
  (func $prof (export "prof") (param $n i32) (result i32) (local $acc i32)
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $acc (i32.add (local.get $acc) (call $a)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $next)))
    (local.get $acc))

  ;; rec(n): recursion n deep.  11 instructions per level with n > 0, 6 at
  ;; the bottom: 11n + 6 in all, which is rec's self and its total (the
  ;; total counts an instruction once however deep the recursion).
  (func $rec (export "rec") (param $n i32) (result i32)
    (if (result i32) (i32.eqz (local.get $n))
      (then (i32.const 0))
      (else (i32.add (i32.const 1)
                     (call $rec (i32.sub (local.get $n) (i32.const 1)))))))
)

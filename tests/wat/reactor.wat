;; reactor.wat -- a WASI reactor whose _initialize runs long enough to be
;; checkpointed (tests/checkpoint_triggers.sh): it sums 0..99999 into $g;
;; get(k) returns $g + k.
(module
  (global $g (mut i32) (i32.const 0))
  (func (export "_initialize") (local $i i32)
    (loop $l
      (global.set $g (i32.add (global.get $g) (local.get $i)))
      (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1)))
                          (i32.const 100000)))))
  (func (export "get") (param $k i32) (result i32)
    (i32.add (global.get $g) (local.get $k))))

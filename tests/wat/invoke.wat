;; Exports for `inro run --invoke` across a checkpoint
;; (tests/checkpoint_triggers.sh): results must be printed by the restore.
(module
  ;; 1 + 2 + ... + n, as an i64
  (func (export "sum") (param $n i32) (result i64) (local $acc i64)
    block loop
      local.get $n i32.eqz br_if 1
      local.get $acc local.get $n i64.extend_i32_u i64.add local.set $acc
      local.get $n i32.const 1 i32.sub local.set $n
      br 0 end end
    local.get $acc)
  ;; n, and n / 4 as an f64, counted down to 0 first
  (func (export "pair") (param $n i32) (result i32 f64) (local $k i32)
    local.get $n local.set $k
    block loop
      local.get $k i32.eqz br_if 1
      local.get $k i32.const 1 i32.sub local.set $k
      br 0 end end
    local.get $n
    local.get $n f64.convert_i32_u f64.const 4 f64.div))

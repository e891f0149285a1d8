/*
** simd_state_test.c -- v128 values wherever the embedding API shows state
** (tests/wat/simd.wat): arguments and results of inro_call, of a host
** function (two slots per v128) and of exports with values of one and two
** slots mixed; a v128 global through the API; the probe frame accessors
** (locals, operands, height, raw slots) at a call with v128 operands under
** it, also writing one; snapshots taken at every instruction of a v128
** loop, restored into fresh stores and resumed; the backtrace and the
** frame of a trap inside a v128 load.  Expected values are computed here
** from the loop's definition, not taken from a run.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "inro.h"
#include "stopper.h"

static int passed, failed;
static inro_module *mod;

static void check(int ok, const char *what) {
  if (ok) passed++;
  else {
    failed++;
    printf("FAIL: %s\n", what);
  }
}

/* ------------------------------------------------------------- vectors */

static inro_value v128_i32x4(uint32_t a, uint32_t b, uint32_t c, uint32_t d) {
  inro_value v;
  uint32_t w[4] = {a, b, c, d};
  v.type = INRO_V128;
  for (int i = 0; i < 16; i++) v.of.v128[i] = (uint8_t)(w[i / 4] >> (8 * (i % 4)));
  return v;
}

static uint32_t lane32(const uint8_t *b, int i) {
  return (uint32_t)b[4 * i] | (uint32_t)b[4 * i + 1] << 8 | (uint32_t)b[4 * i + 2] << 16 |
         (uint32_t)b[4 * i + 3] << 24;
}

static int is_i32x4(inro_value v, uint32_t a, uint32_t b, uint32_t c, uint32_t d) {
  return v.type == INRO_V128 && lane32(v.of.v128, 0) == a && lane32(v.of.v128, 1) == b &&
         lane32(v.of.v128, 2) == c && lane32(v.of.v128, 3) == d;
}

/* The slots of a v128 (inro.h): bytes 0-7, then 8-15, little-endian. */
static uint64_t half(const uint8_t *b, int h) {
  uint64_t x = 0;
  for (int i = 7; i >= 0; i--) x = x << 8 | b[8 * h + i];
  return x;
}

/* "loop"(n) of simd.wat, computed in C. */
static uint64_t loop_expected(uint32_t n) {
  uint8_t acc[16], t[16];
  uint32_t w[4] = {7, 11, 13, 17};
  for (int i = 0; i < 16; i++) acc[i] = (uint8_t)(w[i / 4] >> (8 * (i % 4)));
  for (uint32_t i = 0; i < n; i++) {
    for (int k = 0; k < 4; k++) { /* acc + (acc + splat(i)) */
      uint32_t a = lane32(acc, k), r = a + (a + i);
      for (int j = 0; j < 4; j++) acc[4 * k + j] = (uint8_t)(r >> (8 * j));
    }
    if (i & 1) {
      for (int k = 0; k < 16; k++) t[k] = acc[15 - k];
    } else {
      for (int k = 0; k < 8; k++) {
        uint32_t x = (uint32_t)(acc[2 * k] | acc[2 * k + 1] << 8) * 3u;
        t[2 * k] = (uint8_t)x;
        t[2 * k + 1] = (uint8_t)(x >> 8);
      }
    }
    /* memory[16..32) = t; lane 3 of t replaced by memory[18..20) = t[2..4) */
    t[6] = t[2];
    t[7] = t[3];
    for (int k = 0; k < 16; k++) acc[k] ^= t[k];
  }
  return half(acc, 0) + half(acc, 1);
}

/* ---------------------------------------------------------------- host */

static int host_calls;

/* swap(a, n, c) = (c, n + lane 0 of a): checks the slot layout. */
static int host_swap(inro_call_ctx *ctx, void *env, const uint64_t *args, uint64_t *results) {
  (void)ctx, (void)env;
  host_calls++;
  uint64_t a0 = args[0], a1 = args[1], n = args[2], c0 = args[3], c1 = args[4];
  results[0] = c0;
  results[1] = c1;
  results[2] = (uint32_t)(n + (uint32_t)a0) + 0 * a1;
  return 1;
}

static inro_instance *instantiate(inro_store *s, inro_error *err) {
  static const inro_valtype params[] = {INRO_V128, INRO_I32, INRO_V128};
  static const inro_valtype results[] = {INRO_V128, INRO_I32};
  inro_extern imp;
  imp.kind = INRO_EXTERN_FUNC;
  imp.of.func = inro_func_new(s, params, 3, results, 2, host_swap, NULL, err);
  if (!imp.of.func) return NULL;
  return inro_instantiate(s, mod, &imp, 1, err);
}

static inro_func *export_func(inro_instance *inst, const char *name) {
  inro_extern e;
  return inro_instance_export(inst, name, &e) && e.kind == INRO_EXTERN_FUNC ? e.of.func : NULL;
}

/* ------------------------------------------------------------- values */

static void test_values(void) {
  inro_error err;
  inro_store *s = inro_store_new(NULL, &err);
  inro_instance *inst = instantiate(s, &err);
  check(inst != NULL, "instantiate simd.wat with a v128 host function");
  if (!inst) {
    printf("    %s\n", err.message);
    inro_store_free(s);
    return;
  }
  inro_value args[5], res[3];
  args[0] = v128_i32x4(1, 2, 3, 0xFFFFFFFFu);
  args[1] = v128_i32x4(10, 20, 30, 2);
  int ok = inro_call(s, export_func(inst, "add"), args, 2, res, 1, &err);
  check(ok && is_i32x4(res[0], 11, 22, 33, 1), "inro_call: v128 arguments and result");

  args[0].type = INRO_I32, args[0].of.i32 = 5;
  args[1] = v128_i32x4(1, 0, 2, 0);
  args[2].type = INRO_F64;
  double d = 0.5;
  memcpy(&args[2].of.f64, &d, 8);
  args[3] = v128_i32x4(3, 0, 0, 0x40000000u); /* lane 1 of f64x2: 2.0 */
  args[4].type = INRO_I64, args[4].of.i64 = 100;
  ok = inro_call(s, export_func(inst, "mixed"), args, 5, res, 3, &err);
  double f = 0;
  if (ok) memcpy(&f, &res[2].of.f64, 8);
  check(ok && res[0].type == INRO_I64 && res[0].of.i64 == 105 && is_i32x4(res[1], 4, 0, 2, 0x40000000u) &&
            res[2].type == INRO_F64 && f == 2.5,
        "inro_call: i32 v128 f64 v128 i64 -> i64 v128 f64, each in its slots");

  args[0] = v128_i32x4(40, 1, 1, 1);
  args[1].type = INRO_I32, args[1].of.i32 = 2;
  args[2] = v128_i32x4(5, 6, 7, 8);
  ok = inro_call(s, export_func(inst, "call_host"), args, 3, res, 2, &err);
  check(ok && host_calls == 1 && is_i32x4(res[0], 5, 6, 7, 8) && res[1].type == INRO_I32 &&
            res[1].of.i32 == 42,
        "a host function takes and returns v128s as two slots each");

  inro_extern g;
  check(inro_instance_export(inst, "g", &g) && g.kind == INRO_EXTERN_GLOBAL &&
            is_i32x4(inro_global_get(g.of.global), 1, 2, 3, 4),
        "inro_global_get of a v128 global");
  ok = inro_call(s, export_func(inst, "bump"), NULL, 0, res, 1, &err);
  check(ok && is_i32x4(res[0], 11, 22, 33, 44) &&
            is_i32x4(inro_global_get(g.of.global), 11, 22, 33, 44),
        "global.get / global.set of a v128 global");
  check(inro_global_set(g.of.global, v128_i32x4(100, 200, 300, 400), &err), "inro_global_set v128");
  ok = inro_call(s, export_func(inst, "bump"), NULL, 0, res, 1, &err);
  check(ok && is_i32x4(res[0], 110, 220, 330, 440), "a v128 set by the host, read by the guest");
  inro_global *own = inro_global_new(s, v128_i32x4(9, 8, 7, 6), 0, &err);
  check(own && is_i32x4(inro_global_get(own), 9, 8, 7, 6), "inro_global_new of a v128");

  args[0].type = INRO_I32, args[0].of.i32 = 9;
  ok = inro_call(s, export_func(inst, "loop"), args, 1, res, 1, &err);
  check(ok && res[0].of.i64 == loop_expected(9), "the v128 loop computes what its definition says");
  inro_store_free(s);
}

/* ------------------------------------------------------------- probes */

typedef struct at_call {
  long seen, bad;
  uint32_t change_round; /* at this round, write operand 1 (0: never) */
} at_call;

static int same_v128(inro_value a, inro_value b) {
  return a.type == INRO_V128 && b.type == INRO_V128 && !memcmp(a.of.v128, b.of.v128, 16);
}

/* Before each `call $step` in "loop": operands acc, acc, i. */
static int probe_call(inro_frame *f, void *env) {
  at_call *a = env;
  size_t size;
  const uint8_t *bytes = inro_module_bytes(mod, &size);
  if (bytes[inro_frame_offset(f)] != 0x10) return 1;
  a->seen++;
  inro_value n = inro_frame_local(f, 0), acc = inro_frame_local(f, 1), i = inro_frame_local(f, 2);
  inro_value top = inro_frame_operand(f, 0), o1 = inro_frame_operand(f, 1), o2 = inro_frame_operand(f, 2);
  int ok = inro_frame_local_count(f) == 4 && n.type == INRO_I32 && acc.type == INRO_V128 &&
           i.type == INRO_I32 && inro_frame_local(f, 3).type == INRO_V128 &&
           inro_frame_stack_height(f) == 3 && top.type == INRO_I32 && top.of.i32 == i.of.i32 &&
           same_v128(o1, acc) && same_v128(o2, acc) &&
           inro_frame_operand_bits(f, 0) == i.of.i32 &&
           inro_frame_operand_bits(f, 1) == half(acc.of.v128, 1) &&
           inro_frame_operand_bits(f, 2) == half(acc.of.v128, 0);
  if (!ok) a->bad++;
  if (i.of.i32 == a->change_round) {
    /* acc := 0 under the call: this round's acc + step(acc, i) is 0 + step */
    inro_value zero = v128_i32x4(0, 0, 0, 0);
    if (!inro_frame_set_operand(f, 2, zero) || !inro_frame_set_local(f, 3, zero)) a->bad++;
  }
  return 1;
}

static void test_probes(void) {
  inro_error err;
  for (uint32_t change = 0; change < 2; change++) {
    inro_store *s = inro_store_new(NULL, &err);
    inro_instance *inst = instantiate(s, &err);
    at_call a = {0, 0, change ? 3 : UINT32_MAX};
    inro_probe *p = inst ? inro_probe_global(inst, probe_call, &a, &err) : NULL;
    inro_value arg = {.type = INRO_I32, .of.i32 = 6}, res;
    int ok = p && inro_call(s, export_func(inst, "loop"), &arg, 1, &res, 1, &err);
    check(ok && a.seen == 6 && a.bad == 0,
          change ? "a probe writes a v128 operand and a v128 local"
                 : "probe accessors: v128 locals and operands, height, raw slots");
    if (!change) {
      check(ok && res.of.i64 == loop_expected(6), "a probed v128 loop computes the same");
    } else {
      /* Round 3 starts from acc + step(0, 3) = acc + splat(3). */
      uint64_t unchanged = loop_expected(6);
      check(ok && res.of.i64 != unchanged, "the written operand changes the result");
    }
    inro_store_free(s);
  }
}

/* ---------------------------------------------------------- snapshots */

/* Does the parsed snapshot hold a v128 operand or local? */
static int holds_v128(const uint8_t *bytes, size_t size) {
  inro_error err;
  inro_snapshot *snap = inro_snapshot_open(bytes, size, &err);
  int found = 0;
  for (size_t i = 0; snap && i < inro_snapshot_frame_count(snap); i++) {
    size_t nl, no;
    inro_snapshot_frame(snap, i, NULL, NULL, &nl, &no);
    for (size_t k = 0; k < no; k++) found |= inro_snapshot_frame_operand(snap, i, k).type == INRO_V128;
  }
  inro_snapshot_free(snap);
  return found;
}

static void test_snapshots(void) {
  const uint32_t n = 4;
  uint64_t want = loop_expected(n);
  long positions = 0, good = 0, with_v128 = 0, globals_ok = 0;
  for (long at = 1;; at++) {
    inro_error err;
    inro_store *s = inro_store_new(NULL, &err);
    inro_instance *inst = instantiate(s, &err);
    inro_value arg = {.type = INRO_I32, .of.i32 = n}, res;
    inro_call(s, export_func(inst, "bump"), NULL, 0, &res, 1, &err); /* g = 11 22 33 44 */
    stopper st = {0, at, NULL, 0};
    inro_probe_global(inst, count_and_stop, &st, &err);
    int ran = inro_call(s, export_func(inst, "loop"), &arg, 1, &res, 1, &err);
    inro_store_free(s);
    if (ran || !st.snap) break; /* past the end */
    positions++;
    with_v128 += holds_v128(st.snap, st.size);
    inro_snapshot *snap = inro_snapshot_open(st.snap, st.size, &err);
    s = inro_store_new(NULL, &err);
    static const inro_valtype params[] = {INRO_V128, INRO_I32, INRO_V128};
    static const inro_valtype results[] = {INRO_V128, INRO_I32};
    inro_extern imp;
    imp.kind = INRO_EXTERN_FUNC;
    imp.of.func = inro_func_new(s, params, 3, results, 2, host_swap, NULL, &err);
    inst = snap ? inro_snapshot_restore(s, snap, mod, &imp, 1, &err) : NULL;
    if (inst && inro_snapshot_resume(s, inst, snap, &res, 1, &err) && res.of.i64 == want) good++;
    else if (good + 5 > positions) printf("    position %ld: %s\n", at, err.message);
    inro_extern g;
    if (inst && inro_instance_export(inst, "g", &g) &&
        is_i32x4(inro_global_get(g.of.global), 11, 22, 33, 44))
      globals_ok++;
    inro_store_free(s);
    inro_snapshot_free(snap);
    free(st.snap);
  }
  printf("snapshots: %ld positions, %ld with a v128 operand\n", positions, with_v128);
  check(positions > 100 && good == positions,
        "a snapshot at every instruction of the v128 loop resumes to the same result");
  check(with_v128 > 10, "snapshots hold v128 operands");
  check(globals_ok == positions, "a v128 global is restored");
}

/* --------------------------------------------------------------- traps */

typedef struct trap_seen {
  int calls, height_ok;
} trap_seen;

static void on_trap(inro_frame *f, const inro_error *e, void *env) {
  trap_seen *t = env;
  (void)e;
  t->calls++;
  inro_value addr = inro_frame_operand(f, 0);
  t->height_ok = inro_frame_stack_height(f) == 1 && addr.type == INRO_I32 && addr.of.i32 == 65536;
}

static void test_trap(void) {
  inro_error err;
  inro_store *s = inro_store_new(NULL, &err);
  inro_instance *inst = instantiate(s, &err);
  trap_seen t = {0, 0};
  inro_store_on_trap(s, on_trap, &t);
  inro_value arg = {.type = INRO_I32, .of.i32 = 65532}, res;
  int ok = inro_call(s, export_func(inst, "trap"), &arg, 1, &res, 1, &err);
  inro_frame_info bt[4];
  size_t n = inro_backtrace(s, bt, 4);
  size_t size;
  const uint8_t *bytes = inro_module_bytes(mod, &size);
  check(!ok && err.kind == INRO_ERR_TRAP && err.trap == INRO_TRAP_MEMORY_OOB,
        "a v128.load out of bounds traps");
  check(n == 1 && bt[0].func_index == 8 && bt[0].offset + 1 < size && bytes[bt[0].offset] == 0xFD &&
            bytes[bt[0].offset + 1] == 0x00,
        "the backtrace names the v128.load");
  check(t.calls == 1 && t.height_ok, "the trapping frame holds the load's address (recovered)");
  inro_store_free(s);
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: simd_state_test SIMD.wasm\n");
    return 2;
  }
  FILE *in = fopen(argv[1], "rb");
  static uint8_t bytes[1 << 16];
  size_t size = in ? fread(bytes, 1, sizeof bytes, in) : 0;
  if (in) fclose(in);
  inro_error err;
  mod = size ? inro_module_new(bytes, size, &err) : NULL;
  if (!mod) {
    printf("FAIL: cannot load %s\n0 passed, 1 failed\n", argv[1]);
    return 1;
  }
  test_values();
  test_probes();
  test_snapshots();
  test_trap();
  inro_module_free(mod);
  printf("%d passed, %d failed\n", passed, failed);
  return failed != 0;
}

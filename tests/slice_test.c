/*
** slice_test.c -- fuel, interruption and the slice callback (inro.h,
** "fuel and interruption") against tests/wat/slices.wat: a suspended call
** resumes where it stopped and computes what an uninterrupted one does; a
** call made by a host function cannot be suspended; the slice callback
** sees an exact frame and may take a snapshot there, which restores; a
** suspended call can be checkpointed (inro_suspended_frame), and a
** restored call under a budget is suspended and resumed like any.
** Prints one line per check and "N passed, M failed" at the end.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "inro.h"

static int passed, failed;

static void check(int ok, const char *what, long long got, long long want) {
  if (ok) passed++;
  else failed++;
  printf("%s: %s (got %lld, want %lld)\n", ok ? "ok" : "FAIL", what, got, want);
}
#define EXPECT_EQ(what, got, want) \
  check((long long)(got) == (long long)(want), what, (long long)(got), (long long)(want))

static inro_store *store;
static inro_instance *inst;

static inro_func *export_func(const char *name) {
  inro_extern e;
  return inro_instance_export(inst, name, &e) ? e.of.func : NULL;
}

static int call1(const char *name, uint32_t arg, inro_value *res, inro_error *err) {
  inro_value a = {.type = INRO_I32};
  a.of.i32 = arg;
  return inro_call(store, export_func(name), &a, 1, res, 1, err);
}

/* The import "host" "poke": interrupts the store (or calls back into the
** guest's "sum" while the store has no fuel, when env is set). */
static int poke(inro_call_ctx *ctx, void *env, const uint64_t *args, uint64_t *results) {
  (void)args;
  inro_store *s = inro_ctx_store(ctx);
  results[0] = 0;
  if (!env) {
    inro_store_interrupt(s);
    return 1;
  }
  inro_error err;
  inro_value r;
  uint64_t fuel = inro_store_fuel(s);
  inro_store_set_fuel(s, 10);
  int ok = call1("sum", 100000, &r, &err);
  inro_store_set_fuel(s, fuel);
  results[0] = ok ? 1u : 2u + (uint32_t)err.kind; /* what the nested call met */
  return 1;
}

static long slices, bad_frames;
static uint32_t last_offset;
static int on_slice(inro_frame *f, void *env) {
  (void)env;
  slices++;
  if (inro_frame_reason(f) != INRO_PROBE_AT_SLICE || inro_frame_local_count(f) < 1) bad_frames++;
  last_offset = inro_frame_offset(f);
  return 1;
}

static uint8_t *snap;
static size_t nsnap;
static int snap_once(inro_frame *f, void *env) {
  (void)env;
  inro_error err;
  if (!snap) snap = inro_snapshot_capture(f, 1, NULL, 0, &nsnap, &err);
  return 1;
}

/* For inro_suspended_frame: capture the suspended call into *env. */
typedef struct captured {
  uint8_t *bytes;
  size_t size;
  uint32_t depth;
} captured;
static int capture(inro_frame *f, void *env) {
  captured *c = env;
  inro_error err;
  c->depth = (uint32_t)inro_frame_depth(f);
  c->bytes = inro_snapshot_capture(f, 1, NULL, 0, &c->size, &err);
  return c->bytes != NULL && inro_frame_reason(f) == INRO_PROBE_AT_SLICE;
}

/* Restore c in a new store with `fuel` units per run and resume it until
** it returns: its result, and in *stops the times it ran out of fuel. */
static int restore_budgeted(const captured *c, const inro_module *m, const inro_extern *imports,
                            uint64_t fuel, int *stops, inro_value *r) {
  inro_error err;
  inro_snapshot *s = inro_snapshot_open(c->bytes, c->size, &err);
  inro_store *st = inro_store_new(NULL, &err);
  inro_instance *i = s && st ? inro_snapshot_restore(st, s, m, imports, 2, &err) : NULL;
  int ok = 0;
  *stops = 0;
  if (i) {
    inro_store_set_fuel(st, fuel);
    ok = inro_snapshot_resume(st, i, s, r, 1, &err);
    while (!ok && err.kind == INRO_ERR_FUEL && inro_store_suspended(st) && ++*stops < 1000) {
      inro_store_set_fuel(st, fuel);
      ok = inro_resume(st, r, 1, &err);
    }
  }
  inro_store_free(st);
  inro_snapshot_free(s);
  return ok;
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: slice_test slices.wasm\n");
    return 2;
  }
  FILE *fp = fopen(argv[1], "rb");
  if (!fp) {
    perror(argv[1]);
    return 1;
  }
  static uint8_t bytes[1 << 16];
  size_t n = fread(bytes, 1, sizeof bytes, fp);
  fclose(fp);
  inro_error err;
  inro_module *m = inro_module_new(bytes, n, &err);
  store = inro_store_new(NULL, &err);
  if (!m || !store) {
    fprintf(stderr, "slice_test: %s\n", err.message);
    return 1;
  }
  inro_valtype i32 = INRO_I32;
  static int nested = 1;
  inro_extern imports[2];
  imports[0].kind = INRO_EXTERN_FUNC;
  imports[0].of.func = inro_func_new(store, NULL, 0, &i32, 1, poke, NULL, &err);
  imports[1].kind = INRO_EXTERN_FUNC;
  imports[1].of.func = inro_func_new(store, NULL, 0, &i32, 1, poke, &nested, &err);
  inst = inro_instantiate(store, m, imports, 2, &err);
  if (!inst) {
    fprintf(stderr, "slice_test: %s\n", err.message);
    return 1;
  }
  inro_value r;
  const uint32_t N = 1000000; /* sum 1..N, one loop iteration each */
  int ok = call1("sum", N, &r, &err);
  uint32_t want = r.of.i32;
  EXPECT_EQ("sum without limits", ok && want == (uint32_t)((uint64_t)N * (N + 1) / 2), 1);
  EXPECT_EQ("fuel unlimited by default", inro_store_fuel(store) == INRO_FUEL_UNLIMITED, 1);

  /* 1. Fuel: the call stops, stays suspended, and resumes to the same sum. */
  inro_store_set_fuel(store, 100000);
  ok = call1("sum", N, &r, &err);
  EXPECT_EQ("out of fuel: the call fails", ok, 0);
  EXPECT_EQ("out of fuel: INRO_ERR_FUEL", err.kind, INRO_ERR_FUEL);
  EXPECT_EQ("out of fuel: suspended", inro_store_suspended(store), 1);
  EXPECT_EQ("out of fuel: no fuel left", inro_store_fuel(store), 0);
  EXPECT_EQ("a suspended store takes no other call", call1("sum", 3, &r, &err), 0);
  int stops = 1;
  for (;;) {
    inro_store_set_fuel(store, 100000);
    if (inro_resume(store, &r, 1, &err)) break;
    if (err.kind != INRO_ERR_FUEL || ++stops > 100) break;
  }
  EXPECT_EQ("resumed to the same sum", r.of.i32, want);
  EXPECT_EQ("stopped once per 100000 units (one per iteration)", stops, 10);
  EXPECT_EQ("no longer suspended", inro_store_suspended(store), 0);
  inro_store_set_fuel(store, INRO_FUEL_UNLIMITED);

  /* 2. Interruption, here by a host function the guest calls. */
  ok = call1("poke_then_sum", N, &r, &err);
  EXPECT_EQ("interrupted: the call fails", ok, 0);
  EXPECT_EQ("interrupted: INRO_ERR_INTERRUPTED", err.kind, INRO_ERR_INTERRUPTED);
  EXPECT_EQ("interrupted: suspended", inro_store_suspended(store), 1);
  ok = inro_resume(store, &r, 1, &err);
  EXPECT_EQ("resumed after the interruption", ok && r.of.i32 == want, 1);

  /* 3. A call made by a host function is not suspended: it ends. */
  ok = call1("nested", 0, &r, &err);
  EXPECT_EQ("nested call: the outer call goes on", ok, 1);
  EXPECT_EQ("nested call: ended by INRO_ERR_FUEL", r.of.i32, 2 + INRO_ERR_FUEL);
  EXPECT_EQ("nested call: nothing suspended", inro_store_suspended(store), 0);

  /* 4. Abandoning a suspended call frees the store for the next. */
  inro_store_set_fuel(store, 10);
  call1("sum", N, &r, &err);
  inro_abandon(store);
  inro_store_set_fuel(store, INRO_FUEL_UNLIMITED);
  EXPECT_EQ("abandoned: not suspended", inro_store_suspended(store), 0);
  EXPECT_EQ("abandoned: the next call runs", call1("sum", 10, &r, &err) && r.of.i32 == 55, 1);

  /* 5. The slice callback: one per 65536 units, at an exact frame. */
  inro_store_on_slice(store, on_slice, NULL);
  call1("sum", N, &r, &err);
  EXPECT_EQ("slices of 65536 units", slices, N / 65536);
  EXPECT_EQ("slice frames are the guest's", bad_frames, 0);
  EXPECT_EQ("at the loop's head", bytes[last_offset] != 0, 1);

  /* 6. A snapshot taken at the end of a slice restores to the same sum. */
  inro_store_on_slice(store, snap_once, NULL);
  call1("sum", N, &r, &err);
  inro_store_on_slice(store, NULL, NULL);
  EXPECT_EQ("snapshot taken at a slice", snap != NULL, 1);
  if (snap) {
    inro_snapshot *s = inro_snapshot_open(snap, nsnap, &err);
    inro_store *st2 = inro_store_new(NULL, &err);
    inro_instance *i2 = s ? inro_snapshot_restore(st2, s, m, imports, 2, &err) : NULL;
    ok = i2 && inro_snapshot_resume(st2, i2, s, &r, 1, &err);
    EXPECT_EQ("restored from the slice's snapshot to the same sum", ok && r.of.i32 == want, 1);
    inro_store_free(st2);
    inro_snapshot_free(s);
  }

  /* 7. A suspended call can be checkpointed (inro_suspended_frame), here
  ** one interrupted two frames deep; the snapshot restores into a store
  ** with a budget, where it stops out of fuel and resumes (inro_resume) to
  ** the same sum; the call suspended in place resumes to it too. */
  captured c = {NULL, 0, 0};
  int shown = inro_suspended_frame(store, capture, &c); /* (EXPECT_EQ evaluates twice) */
  EXPECT_EQ("nothing suspended: inro_suspended_frame -1", shown, -1);
  ok = call1("poke_then_sum", N, &r, &err);
  EXPECT_EQ("interrupted two frames deep", !ok && err.kind == INRO_ERR_INTERRUPTED, 1);
  shown = inro_suspended_frame(store, capture, &c);
  EXPECT_EQ("the suspended call's frame: captured", shown, 1);
  EXPECT_EQ("the suspended call's frame: the inner one", c.depth, 1);
  if (c.bytes) {
    int restored_stops;
    ok = restore_budgeted(&c, m, imports, 100000, &restored_stops, &r);
    EXPECT_EQ("restored under a budget, resumed to the same sum", ok && r.of.i32 == want, 1);
    EXPECT_EQ("the restored call stopped out of fuel 9 times", restored_stops, 9);
  }
  ok = inro_resume(store, &r, 1, &err);
  EXPECT_EQ("the call checkpointed in place resumes to the same sum", ok && r.of.i32 == want, 1);
  free(c.bytes);

  /* 8. A call stopped as it began shows no frame; a restored call is
  ** refused while another is suspended. */
  inro_store_set_fuel(store, 0);
  ok = call1("sum", N, &r, &err);
  EXPECT_EQ("no fuel at all: suspended", !ok && inro_store_suspended(store), 1);
  c.bytes = NULL;
  shown = inro_suspended_frame(store, capture, &c);
  EXPECT_EQ("stopped as it began: inro_suspended_frame -1", shown, -1);
  if (snap) {
    inro_snapshot *s = inro_snapshot_open(snap, nsnap, &err);
    inro_instance *i2 = s ? inro_snapshot_restore(store, s, m, imports, 2, &err) : NULL;
    ok = i2 && inro_snapshot_resume(store, i2, s, &r, 1, &err);
    EXPECT_EQ("inro_snapshot_resume refused while a call is suspended",
              !ok && err.kind == INRO_ERR_ARG, 1);
    inro_snapshot_free(s);
  }
  inro_store_set_fuel(store, INRO_FUEL_UNLIMITED);
  ok = inro_resume(store, &r, 1, &err);
  EXPECT_EQ("given fuel, it runs from its start", ok && r.of.i32 == want, 1);

  printf("%d passed, %d failed\n", passed, failed);
  inro_store_free(store);
  inro_module_free(m);
  free(snap);
  return failed != 0;
}

/*
** probe_test.c -- the probe API against figures known by construction
** (tests/wat/probes.wat).  Prints one line per check and "N passed, M
** failed" at the end.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "inro.h"

static int passed, failed;
static uint8_t *bytes;
static size_t nbytes;

static void check(int ok, const char *what, long got, long want) {
  if (ok) passed++;
  else failed++;
  printf("%s: %s (got %ld, want %ld)\n", ok ? "ok" : "FAIL", what, got, want);
}
#define EXPECT_EQ(what, got, want) check((long)(got) == (long)(want), what, (long)(got), (long)(want))

static inro_store *store;
static inro_instance *inst;

static inro_value i32(uint32_t v) { inro_value x = {.type = INRO_I32}; x.of.i32 = v; return x; }
static inro_value i64(uint64_t v) { inro_value x = {.type = INRO_I64}; x.of.i64 = v; return x; }

static int call(const char *name, inro_value arg, inro_value *res, inro_error *err) {
  inro_extern e;
  if (!inro_instance_export(inst, name, &e)) return 0;
  return inro_call(store, e.of.func, &arg, 1, res, 1, err);
}

/* --- probes used below --- */
/* A calling-context tree in fixed arrays; child counts what it made. */
static struct {
  inro_contexts t;
  inro_context_node nodes[16];
  uint32_t n, made;
} ctx_tree;
static uint32_t ctx_child(inro_contexts *t, uint32_t func) {
  uint32_t parent = t->top;
  for (uint32_t i = 1; i < ctx_tree.n; i++)
    if (t->nodes[i].parent == parent && t->nodes[i].func == func) return i;
  if (ctx_tree.n == 16) return UINT32_MAX;
  ctx_tree.made++;
  t->nodes[ctx_tree.n] = (inro_context_node){parent, func, 0, 0, UINT32_MAX, 0};
  return ctx_tree.n++;
}
static int first_offset(inro_frame *f, void *env) {
  *(uint32_t *)env = inro_frame_offset(f);
  return 1;
}

static long count;
static int count_probe(inro_frame *f, void *env) { (void)f; (void)env; count++; return 1; }

static uint32_t add_offset; /* first i32.add of function 0, found by a global probe */
static int find_add(inro_frame *f, void *env) {
  (void)env;
  uint32_t off = inro_frame_offset(f);
  if (!add_offset && inro_frame_func_index(f) == 0 && bytes[off] == 0x6a) add_offset = off;
  return 1;
}

/* In ends(): the second of two `end`s in a row, and the instruction
** after it (found by a global probe, on a round that falls through). */
static uint32_t end2_offset, after_offset, last_offsets[2];
static int find_ends(inro_frame *f, void *env) {
  (void)env;
  uint32_t off = inro_frame_offset(f);
  if (!end2_offset && bytes[off] == 0x20 && bytes[last_offsets[1]] == 0x0b &&
      bytes[last_offsets[0]] == 0x0b) {
    end2_offset = last_offsets[1];
    after_offset = off;
  }
  last_offsets[0] = last_offsets[1];
  last_offsets[1] = off;
  return 1;
}

/* The first br_if of function 0 and the first if of function 3 ($fac),
** found by a global probe; edges[] is the br_if's edge counters, which a
** local probe at the br_if reads before the br_if runs. */
static uint32_t br_if_offset, if_offset, table_offset, moving_br_if_offset;
static uint32_t poke_offsets[2]; /* the i32.store and the i32.load of poke */
static uint64_t edges[2], seen_before;
static int find_branches(inro_frame *f, void *env) {
  (void)env;
  uint32_t off = inro_frame_offset(f), fn = inro_frame_func_index(f);
  if (!br_if_offset && fn == 0 && bytes[off] == 0x0d) br_if_offset = off;
  if (!if_offset && fn == 3 && bytes[off] == 0x04) if_offset = off;
  if (!table_offset && fn == 5 && bytes[off] == 0x0e) table_offset = off;
  if (!moving_br_if_offset && fn == 5 && bytes[off] == 0x0d) moving_br_if_offset = off;
  if (!poke_offsets[0] && fn == 6 && bytes[off] == 0x36) poke_offsets[0] = off;
  if (!poke_offsets[1] && fn == 6 && bytes[off] == 0x28) poke_offsets[1] = off;
  return 1;
}
static int before_edge(inro_frame *f, void *env) {
  (void)f;
  (void)env;
  seen_before = edges[0] + edges[1];
  return 1;
}

/* A probe that removes itself, re-translating its function while the
** frame stands at it. */
static int remove_self(inro_frame *f, void *env) {
  (void)f;
  inro_probe_remove(*(inro_probe **)env);
  return 1;
}

/* In caller(): its call of leaf and the instruction after its first
** br_if, where the run (monitor/runs.c) holding the call starts; a probe
** there or at the call sees how far the counters there have counted. */
static uint32_t call_offset, run_offset, run_next_offset;
static int find_call(inro_frame *f, void *env) {
  (void)env;
  uint32_t off = inro_frame_offset(f);
  if (inro_frame_func_index(f) != 2) return 1;
  if (!call_offset && bytes[off] == 0x10) call_offset = off;
  if (run_offset && !run_next_offset) run_next_offset = off;
  if (!run_offset && last_offsets[1] && bytes[last_offsets[1]] == 0x0d) run_offset = off;
  last_offsets[1] = off;
  return 1;
}
/* In fac: the i64.mul after its call and its final `end`. */
static uint32_t fac_mul, fac_end;
static int find_fac(inro_frame *f, void *env) {
  (void)env;
  uint32_t off = inro_frame_offset(f);
  if (inro_frame_func_index(f) != 3) return 1;
  if (!fac_mul && bytes[off] == 0x7e) fac_mul = off;
  if (bytes[off] == 0x0b && off > fac_end) fac_end = off;
  return 1;
}
static uint64_t at_run, at_call;
static long calls_seen, counted_before;
static int check_counted(inro_frame *f, void *env) {
  (void)f;
  (void)env;
  calls_seen++;
  counted_before += at_run == (uint64_t)calls_seen && at_call == (uint64_t)calls_seen -
                    (inro_frame_offset(f) != call_offset);
  return 1;
}

static long operand_sum, bad_types;
static int at_add(inro_frame *f, void *env) {
  (void)env;
  inro_value top = inro_frame_operand(f, 0), below = inro_frame_operand(f, 1);
  inro_value n = inro_frame_local(f, 0);
  if (top.type != INRO_I32 || below.type != INRO_I32 || top.of.i32 != n.of.i32) bad_types++;
  operand_sum += top.of.i32;
  return 1;
}

static long entries, exits, bad_caller;
static int on_entry(inro_frame *f, void *env) {
  (void)env;
  inro_frame *c = inro_frame_caller(f);
  if (!c || inro_frame_func_index(c) != 2 || inro_frame_depth(f) != 1) bad_caller++;
  if (!(inro_frame_reason(f) & INRO_PROBE_AT_ENTRY)) bad_caller++;
  entries++;
  return 1;
}
static int on_exit_(inro_frame *f, void *env) {
  (void)env;
  if (inro_frame_stack_height(f) != 1) bad_caller++;
  exits++;
  return 1;
}

static inro_probe *self_removing;
static long self_fires;
static int remove_self_after_5(inro_frame *f, void *env) {
  (void)f; (void)env;
  if (++self_fires == 5) inro_probe_remove(self_removing);
  return 1;
}

static inro_probe *late_global;
static int insert_global_once(inro_frame *f, void *env) {
  (void)f, (void)env;
  if (!late_global) {
    inro_error err;
    late_global = inro_probe_global(inst, count_probe, NULL, &err);
  }
  return 1;
}

static struct { uint32_t func, offset; } stop_at;
static int where_stopped(inro_frame *f, void *env) {
  (void)env;
  stop_at.func = inro_frame_func_index(f);
  stop_at.offset = inro_frame_offset(f);
  return 1;
}

static long fac_entries;
static int trap_on_third(inro_frame *f, void *env) {
  (void)env;
  if (++fac_entries == 3) return inro_frame_trap(f, "probe says stop");
  return 1;
}

static int double_local(inro_frame *f, void *env) {
  (void)env;
  inro_value v = inro_frame_operand(f, 0);
  v.of.i32 *= 2;
  return inro_frame_set_operand(f, 0, v);
}

#ifdef INRO_IR_STATS
void ir_stats_save(void); /* exec/irstats.c: tests/ir_coverage.sh counts this test's ops */
#endif

int main(int argc, char **argv) {
#ifdef INRO_IR_STATS
  atexit(ir_stats_save);
#endif
  if (argc != 2) {
    fprintf(stderr, "usage: probe_test probes.wasm\n");
    return 2;
  }
  FILE *fp = fopen(argv[1], "rb");
  if (!fp) { perror(argv[1]); return 1; }
  bytes = malloc(1 << 16);
  nbytes = fread(bytes, 1, 1 << 16, fp);
  fclose(fp);
  inro_error err;
  inro_module *m = inro_module_new(bytes, nbytes, &err);
  store = inro_store_new(NULL, &err);
  inst = m && store ? inro_instantiate(store, m, NULL, 0, &err) : NULL;
  if (!inst) { fprintf(stderr, "probe_test: %s\n", err.message); return 1; }
  inro_value r;

  /* 1. a global probe sees every executed instruction: 12n + 7 for sum(n) */
  inro_probe *g = inro_probe_global(inst, count_probe, NULL, &err);
  count = 0;
  call("sum", i32(10), &r, &err);
  EXPECT_EQ("global probe counts sum(10) instructions", count, 12 * 10 + 7);
  EXPECT_EQ("sum(10) result under probes", r.of.i32, 55);
  inro_probe_remove(g);
  count = 0;
  call("sum", i32(10), &r, &err);
  EXPECT_EQ("no fire after removal", count, 0);

  /* 2. a local probe with operand access */
  g = inro_probe_global(inst, find_add, NULL, &err);
  call("sum", i32(1), &r, &err);
  inro_probe_remove(g);
  check(add_offset != 0, "found the i32.add offset", (long)add_offset, 1);
  inro_probe *p = inro_probe_local(inst, 0, add_offset, at_add, NULL, &err);
  check(p != NULL, "insert a local probe", p != NULL, 1);
  call("sum", i32(100), &r, &err);
  EXPECT_EQ("local probe: sum of top operands", operand_sum, 5050);
  EXPECT_EQ("local probe: operand types and values", bad_types, 0);
  inro_probe_remove(p);
  /* add_offset - 1 is the immediate of the local.get before the add */
  check(inro_probe_local(inst, 0, add_offset - 1, at_add, NULL, &err) == NULL,
        "mid-instruction offset refused", 0, 0);
  check(inro_probe_local(inst, 1, add_offset, at_add, NULL, &err) == NULL,
        "another function's instruction refused", 0, 0);
  {
    inro_probe *two[2];
    uint32_t down[2] = {add_offset, add_offset - 2}, up[2] = {add_offset - 2, add_offset};
    check(!inro_probe_locals(inst, 0, down, 2, at_add, NULL, two, &err),
          "decreasing offsets refused", 0, 0);
    int ok = inro_probe_locals(inst, 0, up, 2, count_probe, NULL, two, &err);
    check(ok, "the local.get and the add probed", ok, 1);
    if (ok) inro_probe_remove_n(two, 2);
  }

  /* 3. entry and exit probes, caller frames */
  inro_probe *en = inro_probe_entry(inst, 1, on_entry, NULL, &err);
  inro_probe *ex = inro_probe_exit(inst, 1, on_exit_, NULL, &err);
  call("caller", i32(21891), &r, &err);
  EXPECT_EQ("entry probe fires per call", entries, 21891);
  EXPECT_EQ("exit probe fires per return", exits, 21891);
  EXPECT_EQ("caller frame and reason", bad_caller, 0);
  inro_probe_remove(en);
  inro_probe_remove(ex);

  /* 4. removal from inside a firing probe */
  self_removing = inro_probe_local(inst, 0, add_offset, remove_self_after_5, NULL, &err);
  call("sum", i32(50), &r, &err);
  EXPECT_EQ("a probe removing itself fires no more", self_fires, 5);
  EXPECT_EQ("result after self-removal", r.of.i32, 1275);

  /* 5. insertion from inside a probe: counts from the next instruction.
  ** Inserted at the i32.add of iteration 1 of sum(3): the rest of that
  ** iteration is 6 instructions (local.set .. br), then 2 full iterations
  ** (24) and the exit (3 + 2). */
  p = inro_probe_local(inst, 0, add_offset, insert_global_once, NULL, &err);
  count = 0;
  call("sum", i32(3), &r, &err);
  EXPECT_EQ("global probe inserted mid-run counts from the next instruction", count, 6 + 24 + 5);
  inro_probe_remove(p);
  inro_probe_remove(late_global);

  /* 6. a probe that traps */
  p = inro_probe_entry(inst, 3, trap_on_third, NULL, &err);
  int ok = call("fac", i64(10), &r, &err);
  check(!ok && err.kind == INRO_ERR_TRAP && strstr(err.message, "probe says stop"),
        "a probe can trap", ok, 0);
  inro_frame_info bt[8];
  EXPECT_EQ("backtrace depth at the trapping probe", inro_backtrace(store, bt, 8), 3);
  inro_probe_remove(p);
  ok = call("fac", i64(20), &r, &err);
  check(ok && r.of.i64 == 2432902008176640000ull, "fac(20) after removing all probes", ok, 1);

  /* 7. writing an operand */
  p = inro_probe_local(inst, 0, add_offset, double_local, NULL, &err);
  call("sum", i32(4), &r, &err);
  EXPECT_EQ("operand written by a probe", r.of.i32, 20);
  inro_probe_remove(p);

  /* 8. counter probes: no callback; one at the add counts the loop's
  ** iterations, alongside a local probe there and a global probe; removal
  ** stops it; a bad offset or a missing cell is refused. */
  uint64_t at_add_cell = 0, twice[2] = {0, 0};
  inro_probe *cp = inro_probe_counter(inst, 0, add_offset, &at_add_cell, &err);
  check(cp != NULL, "insert a counter probe", cp != NULL, 1);
  call("sum", i32(100), &r, &err);
  EXPECT_EQ("counter probe: one per iteration", at_add_cell, 100);
  EXPECT_EQ("sum(100) under a counter probe", r.of.i32, 5050);
  p = inro_probe_local(inst, 0, add_offset, count_probe, NULL, &err);
  g = inro_probe_global(inst, count_probe, NULL, &err);
  count = 0;
  call("sum", i32(10), &r, &err);
  EXPECT_EQ("counter beside a local and a global probe", at_add_cell, 110);
  EXPECT_EQ("the probes beside it still fire", count, 12 * 10 + 7 + 10);
  inro_probe_remove(g);
  inro_probe_remove(p);
  inro_probe_remove(cp);
  call("sum", i32(10), &r, &err);
  EXPECT_EQ("no count after removal", at_add_cell, 110);
  uint32_t offs[2] = {add_offset, add_offset};
  uint64_t *cells[2] = {&twice[0], &twice[1]};
  inro_probe *cps[2];
  uint32_t adds[2] = {1, 1000};
  check(inro_probe_counters(inst, 0, offs, 2, cells, adds, cps, &err), "two counters at one offset", 1, 1);
  call("sum", i32(7), &r, &err);
  EXPECT_EQ("both counters count, each by its amount", twice[0] + twice[1], 7 + 7000);
  inro_probe_remove_n(cps, 2);
  check(inro_probe_counter(inst, 0, add_offset - 1, &at_add_cell, &err) == NULL &&
            err.kind == INRO_ERR_ARG,
        "counter at a mid-instruction offset refused", 0, 0);
  check(inro_probe_counter(inst, 0, add_offset, NULL, &err) == NULL && err.kind == INRO_ERR_ARG,
        "counter without a cell refused", 0, 0);

  /* 9. counters at an `end` that emits no code and at the instruction
  ** after it, and a probe at the `end` that re-translates the function
  ** while the frame stands there: the frame goes on after the `end`'s
  ** counter, not after the next instruction's too. */
  g = inro_probe_global(inst, find_ends, NULL, &err);
  call("ends", i32(2), &r, &err);
  inro_probe_remove(g);
  check(end2_offset != 0, "found two ends in a row", (long)end2_offset, 1);
  uint64_t at_end = 0, after_end = 0;
  uint32_t ends_offs[2] = {end2_offset, after_offset};
  uint64_t *ends_cells[2] = {&at_end, &after_end};
  uint32_t ones[2] = {1, 1};
  inro_probe *remover = NULL;
  check(inro_probe_counters(inst, 4, ends_offs, 2, ends_cells, ones, cps, &err) &&
            (remover = inro_probe_local(inst, 4, end2_offset, remove_self, &remover, &err)),
        "counters at an end and after it, a probe removing itself at the end", 1, 1);
  call("ends", i32(6), &r, &err);
  EXPECT_EQ("ends(6)", r.of.i32, 36);
  EXPECT_EQ("the end's counter", at_end, 6);
  EXPECT_EQ("the next instruction's counter, across the re-translation at the end", after_end, 6);
  inro_probe_remove_n(cps, 2);

  /* 10. edge probes: the way a br_if (its compare joined to it without
  ** one) and an if take, counted after the probes at the branch fire;
  ** refused at an instruction that is not a branch. */
  g = inro_probe_global(inst, find_branches, NULL, &err);
  call("sum", i32(1), &r, &err);
  call("fac", i64(1), &r, &err);
  call("pick", i32(5), &r, &err);
  call("poke", i32(0), &r, &err);
  inro_probe_remove(g);
  check(br_if_offset && if_offset && table_offset && moving_br_if_offset,
        "found a br_if, an if, a br_table and a br_if carrying a value", (long)br_if_offset, 1);
  uint64_t if_edges[2] = {0, 0};
  uint64_t *edge_cells[1] = {edges}, *if_cells[1] = {if_edges};
  inro_probe *ep = NULL, *ip = NULL;
  check(inro_probe_edges(inst, 0, &br_if_offset, 1, edge_cells, &ep, &err) &&
            inro_probe_edges(inst, 3, &if_offset, 1, if_cells, &ip, &err) &&
            (p = inro_probe_local(inst, 0, br_if_offset, before_edge, NULL, &err)),
        "edge probes at a br_if and an if, a local probe at the br_if", 1, 1);
  call("sum", i32(10), &r, &err);
  EXPECT_EQ("sum(10) with an edge probe", r.of.i32, 55);
  EXPECT_EQ("br_if taken (n == 0) once", edges[0], 1);
  EXPECT_EQ("br_if not taken 10 times", edges[1], 10);
  EXPECT_EQ("the local probe fired before the last way was counted", seen_before, 10);
  call("fac", i64(5), &r, &err);
  EXPECT_EQ("fac(5) with an edge probe", (long)r.of.i64, 120);
  EXPECT_EQ("if taken (n == 0) once", if_edges[0], 1);
  EXPECT_EQ("if not taken 5 times", if_edges[1], 5);
  inro_probe_remove(p);
  inro_probe_remove(ep);
  inro_probe_remove(ip);
  call("sum", i32(10), &r, &err);
  EXPECT_EQ("no count after removal", edges[0] + edges[1], 11);
  uint64_t pick_edges[2][3] = {{0, 0, 0}, {0, 0, 0}};
  uint32_t pick_offs[2] = {table_offset, moving_br_if_offset};
  uint64_t *pick_cells[2] = {pick_edges[0], pick_edges[1]};
  check(inro_probe_edges(inst, 5, pick_offs, 2, pick_cells, cps, &err), "edge probes in pick", 1, 1);
  for (uint32_t n = 0; n < 6; n++) call("pick", i32(n), &r, &err);
  EXPECT_EQ("pick(5) with edge probes", r.of.i32, 8);
  EXPECT_EQ("br_table: label 0 once", pick_edges[0][0], 1);
  EXPECT_EQ("br_table: label 1 once", pick_edges[0][1], 1);
  EXPECT_EQ("br_table: the default 4 times", pick_edges[0][2], 4);
  EXPECT_EQ("br_if carrying a value: taken 4 times", pick_edges[1][0], 4);
  EXPECT_EQ("br_if carrying a value: never not taken", pick_edges[1][1], 0);
  inro_probe_remove_n(cps, 2);
  check(!inro_probe_edges(inst, 0, &add_offset, 1, edge_cells, &ep, &err) &&
            err.kind == INRO_ERR_ARG && strstr(err.message, "br_if"),
        "an edge probe at an i32.add refused", 0, 0);

  /* 11. record probes: at the br_if and the i32.add of sum, the latest 4
  ** records kept; refused without a ring of 2^k records. */
  uint64_t ring_buf[4] = {0, 0, 0, 0};
  inro_ring ring = {ring_buf, 4, 0};
  uint32_t rec_offs[2] = {br_if_offset < add_offset ? br_if_offset : add_offset,
                          br_if_offset < add_offset ? add_offset : br_if_offset};
  uint64_t rec_vals[2] = {rec_offs[0], rec_offs[1]};
  const uint64_t *rec_seqs[2] = {&rec_vals[0], &rec_vals[1]};
  uint32_t rec_counts[2] = {1, 1};
  check(inro_probe_records(inst, 0, rec_offs, 2, rec_seqs, rec_counts, &ring, cps, &err),
        "record probes at sum's br_if and i32.add", 1, 1);
  call("sum", i32(3), &r, &err);
  EXPECT_EQ("sum(3) with record probes", r.of.i32, 6);
  EXPECT_EQ("records: 4 br_if, 3 i32.add", ring.next, 7);
  EXPECT_EQ("the last record is the br_if that ends the loop", ring_buf[(ring.next - 1) % 4],
            br_if_offset);
  inro_probe_remove_n(cps, 2);
  call("sum", i32(3), &r, &err);
  EXPECT_EQ("no record after removal", ring.next, 7);
  ring.cap = 3;
  check(!inro_probe_records(inst, 0, rec_offs, 2, rec_seqs, rec_counts, &ring, cps, &err) &&
            err.kind == INRO_ERR_ARG,
        "a ring of 3 refused", 0, 0);

  /* 12. access probes: a store and a load straddling 4 KiB pages 0 and
  ** 1, then a store past the memory's end (one page: a trap); refused at an
  ** instruction that is not a load or store. */
  static uint64_t pages_4k[1 << 20], pages_64k[1 << 16];
  inro_access_counts acc = {0, 0, 0, 0, 0, pages_4k, pages_64k};
  check(poke_offsets[0] && poke_offsets[1] &&
            inro_probe_accesses(inst, 6, poke_offsets, 2, &acc, cps, &err),
        "access probes at poke's store and load", 1, 1);
  call("poke", i32(4094), &r, &err);
  EXPECT_EQ("poke(4094) with access probes", r.of.i32, 7);
  EXPECT_EQ("one load of 4 bytes", acc.loads * 10 + acc.load_bytes, 14);
  EXPECT_EQ("one store of 4 bytes", acc.stores * 10 + acc.store_bytes, 14);
  EXPECT_EQ("4 KiB pages 0 and 1 touched twice each", pages_4k[0] * 10 + pages_4k[1], 22);
  EXPECT_EQ("64 KiB page 0 touched twice", pages_64k[0], 2);
  check(!call("poke", i32(65534), &r, &err), "poke(65534) traps", 0, 0);
  EXPECT_EQ("the store past the end is out of bounds", acc.out_of_bounds, 1);
  EXPECT_EQ("and counted nowhere else", acc.stores * 10 + pages_64k[0], 12);
  inro_probe_remove_n(cps, 2);
  check(!inro_probe_accesses(inst, 0, &add_offset, 1, &acc, cps, &err) &&
            err.kind == INRO_ERR_ARG && strstr(err.message, "load or store"),
        "an access probe at an i32.add refused", 0, 0);

  /* 13. batches: probes of several kinds inserted in one (nested) batch
  ** fire as if inserted one by one once it ends; removed in one, they fire
  ** no more; an end without a begin is refused. */
  uint64_t batch_cell = 0;
  entries = exits = 0;
  check(inro_probe_batch_begin(inst, &err) && inro_probe_batch_begin(inst, &err),
        "two nested batches begin", 1, 1);
  g = inro_probe_global(inst, count_probe, NULL, &err);
  cp = inro_probe_counter(inst, 0, add_offset, &batch_cell, &err);
  check(inro_probe_batch_end(inst, &err), "the inner batch ends", 1, 1);
  en = inro_probe_entry(inst, 1, on_entry, NULL, &err);
  check(g && cp && en && inro_probe_batch_end(inst, &err), "the outer batch ends", 1, 1);
  count = 0;
  call("sum", i32(10), &r, &err);
  EXPECT_EQ("batch: the global probe counts sum(10) instructions", count, 12 * 10 + 7);
  EXPECT_EQ("batch: the counter counts the iterations", batch_cell, 10);
  call("caller", i32(7), &r, &err);
  EXPECT_EQ("batch: the entry probe fires per call", entries, 7);
  check(inro_probe_batch_begin(inst, &err), "a batch of removals begins", 1, 1);
  inro_probe_remove(g);
  inro_probe_remove(cp);
  inro_probe_remove(en);
  check(inro_probe_batch_end(inst, &err), "the batch of removals ends", 1, 1);
  count = 0;
  call("sum", i32(10), &r, &err);
  call("caller", i32(7), &r, &err);
  EXPECT_EQ("batch: removed probes fire no more", count * 100 + (long)batch_cell + entries, 10 + 7);
  EXPECT_EQ("sum(10) after the batches", (call("sum", i32(10), &r, &err), r.of.i32), 55);
  check(!inro_probe_batch_end(inst, &err) && err.kind == INRO_ERR_ARG,
        "an end without a begin is refused", 0, 0);

  /* 14. context probes: fac(3) from the host makes root -> fac -> fac ->
  ** fac -> fac, each node called once; a counter at fac's entry is the
  ** clock, one ahead there, so each fac node gets one instruction of self
  ** (the clock's step from one entry to the next); the entry event adds
  ** that counter itself (exec/translate.c).  Run again, every child
  ** comes from the cache; caller(5) adds caller -> leaf, 5 calls.
  ** Removed, the tree stays. */
  uint32_t fac_at = 0;
  en = inro_probe_entry(inst, 3, first_offset, &fac_at, &err);
  call("fac", i64(1), &r, &err);
  inro_probe_remove(en);
  uint64_t clock = 0;
  uint32_t ahead[8] = {0, 0, 0, 1};
  cp = inro_probe_counter(inst, 3, fac_at, &clock, &err);
  ctx_tree.t = (inro_contexts){ctx_tree.nodes, 0, &clock, 0, ahead, 0, ctx_child, NULL};
  ctx_tree.nodes[0] = (inro_context_node){0, UINT32_MAX, 0, 0, UINT32_MAX, 0};
  ctx_tree.n = 1;
  inro_probe *ctx = inro_probe_contexts(inst, &ctx_tree.t, &err);
  check(fac_at && cp && ctx, "a context probe and a clock at fac's entry", 1, 1);
  call("fac", i64(3), &r, &err);
  EXPECT_EQ("fac(3) under a context probe", (long)r.of.i64, 6);
  EXPECT_EQ("five nodes, four made by child", ctx_tree.n * 10 + ctx_tree.made, 54);
  EXPECT_EQ("back at the root", ctx_tree.t.top, 0);
  long selves = 0, calls = 0;
  for (uint32_t i = 1; i < ctx_tree.n; i++)
    selves = selves * 10 + (long)ctx_tree.nodes[i].self, calls = calls * 10 + (long)ctx_tree.nodes[i].calls;
  EXPECT_EQ("each fac node: self 1", selves, 1111);
  EXPECT_EQ("each fac node: called once", calls, 1111);
  EXPECT_EQ("the clock: its counter ran at each entry (in the entry event)", (long)clock, 4);
  call("fac", i64(3), &r, &err);
  calls = 0;
  for (uint32_t i = 1; i < ctx_tree.n; i++) calls = calls * 10 + (long)ctx_tree.nodes[i].calls;
  EXPECT_EQ("again: each fac node called twice, no child made", calls * 10 + ctx_tree.made, 22224);
  call("caller", i32(5), &r, &err);
  EXPECT_EQ("caller(5): caller -> leaf, 5 calls",
            ctx_tree.n * 100 + (long)ctx_tree.nodes[5].calls * 10 + (long)ctx_tree.nodes[6].calls, 715);
  EXPECT_EQ("the root's self: nothing ran outside fac", ctx_tree.nodes[0].self, 0);
  /* With an exit probe at fac's return, the exit event is an instruction
  ** of its own before the probe (CTX_EXIT), not the return's. */
  exits = 0;
  inro_probe *fac_exit = inro_probe_exit(inst, 3, on_exit_, NULL, &err);
  call("fac", i64(3), &r, &err);
  calls = 0;
  for (uint32_t i = 1; i < 5; i++) calls = calls * 10 + (long)ctx_tree.nodes[i].calls;
  EXPECT_EQ("with an exit probe: each fac node called once more, the exit probe at each return",
            calls * 10 + exits, 33334);
  EXPECT_EQ("with an exit probe: back at the root", ctx_tree.t.top, 0);
  inro_probe_remove(fac_exit);
  /* A counter on the clock after fac's call, so that each return charges
  ** its own node; then a probe at fac's final `end` that removes itself,
  ** re-translating fac while the innermost frame stands there (a
  ** barrier): that frame goes on after the exit event it has run, not
  ** before one that the return carries (exec/translate.c), so each node's
  ** self is as without the probe. */
  g = inro_probe_global(inst, find_fac, NULL, &err);
  call("fac", i64(1), &r, &err);
  inro_probe_remove(g);
  inro_probe *after_call = inro_probe_counter(inst, 3, fac_mul, &clock, &err);
  check(fac_mul && fac_end > fac_mul && after_call, "a clock counter after fac's call", 1, 1);
  long selves_by[2] = {0, 0};
  for (int k = 0; k < 2; k++) {
    uint64_t before[5];
    for (uint32_t i = 0; i < 5; i++) before[i] = ctx_tree.nodes[i].self;
    remover = k ? inro_probe_local(inst, 3, fac_end, remove_self, &remover, &err) : NULL;
    call("fac", i64(3), &r, &err);
    for (uint32_t i = 1; i < 5; i++)
      selves_by[k] = selves_by[k] * 10 + (long)(ctx_tree.nodes[i].self - before[i]);
  }
  EXPECT_EQ("fac(3)'s selves, re-translated at its end or not", selves_by[1], selves_by[0]);
  EXPECT_EQ("each fac node's self: its entry and, but the last, its step after the call",
            selves_by[0], 2221);
  inro_probe_remove(after_call);
  inro_probe_remove_n((inro_probe *[]){ctx, cp}, 2);
  call("fac", i64(3), &r, &err);
  EXPECT_EQ("removed: the tree stays", (long)ctx_tree.nodes[1].calls * 10 + ctx_tree.n, 67);
  check(!inro_probe_contexts(inst, &(inro_contexts){0}, &err) && err.kind == INRO_ERR_ARG,
        "a context probe without nodes is refused", 0, 0);

  /* 15. a batch's functions with no live frame are translated at their
  ** first call (probe/probe.c): with fuel 1 every call ends a slice, so
  ** caller(3) stops at leaf's start before leaf's translation; it stands
  ** there at leaf's first instruction, and goes on to the same result,
  ** leaf's entry probe firing at each call. */
  entries = 0;
  uint32_t leaf_at = 0;
  check(inro_probe_batch_begin(inst, &err), "a batch for leaf begins", 1, 1);
  en = inro_probe_entry(inst, 1, on_entry, NULL, &err);
  inro_probe *at_leaf = inro_probe_entry(inst, 1, first_offset, &leaf_at, &err);
  check(en && at_leaf && inro_probe_batch_end(inst, &err), "the batch for leaf ends", 1, 1);
  long stops = 0, at_start = 0;
  uint32_t in_leaf[100];
  inro_store_set_fuel(store, 1);
  int done = call("caller", i32(3), &r, &err);
  while (!done && err.kind == INRO_ERR_FUEL && stops < 100) {
    stop_at.func = stop_at.offset = UINT32_MAX;
    inro_suspended_frame(store, where_stopped, NULL);
    in_leaf[stops++] = stop_at.func == 1 ? stop_at.offset : UINT32_MAX;
    inro_store_set_fuel(store, 1);
    done = inro_resume(store, &r, 1, &err);
  }
  inro_store_set_fuel(store, INRO_FUEL_UNLIMITED);
  for (long i = 0; i < stops; i++) at_start += leaf_at && in_leaf[i] == leaf_at;
  EXPECT_EQ("caller(3) in slices of one call: the result", done ? (long)r.of.i32 : -1L, 6 + 4 + 2);
  EXPECT_EQ("leaf's entry probe at each call", entries, 3);
  EXPECT_EQ("a slice stopped at each call's start, the first before leaf's translation",
            at_start, 3);
  inro_probe_remove_n((inro_probe *[]){en, at_leaf}, 2);

  /* 16. a counter at the start of the run that holds caller's call, and
  ** one at the call: with nothing between that can look, the first is
  ** part of the call's instruction (exec/translate.c, held_counter);
  ** with a probe at the call or between, each has counted before the
  ** probe fires, as a counter at its own instruction does. */
  last_offsets[1] = 0;
  g = inro_probe_global(inst, find_call, NULL, &err);
  call("caller", i32(1), &r, &err);
  inro_probe_remove(g);
  check(call_offset && run_offset && run_next_offset && run_next_offset < call_offset,
        "found caller's call and its run", (long)call_offset, 1);
  uint32_t run_offs[2] = {run_offset, call_offset};
  uint64_t *run_cells[2] = {&at_run, &at_call};
  check(inro_probe_counters(inst, 2, run_offs, 2, run_cells, ones, cps, &err),
        "counters at the run's start and at its call", 1, 1);
  call("caller", i32(5), &r, &err);
  EXPECT_EQ("caller(5) with its run's counters", r.of.i32, 30);
  EXPECT_EQ("the run's and the call's counts", (long)(at_run * 10 + at_call), 55);
  uint32_t looks[2] = {call_offset, run_next_offset};
  for (int i = 0; i < 2; i++) {
    at_run = at_call = 0;
    calls_seen = counted_before = 0;
    p = inro_probe_local(inst, 2, looks[i], check_counted, NULL, &err);
    call("caller", i32(4), &r, &err);
    EXPECT_EQ(i ? "a probe inside the run: the run's counter has counted"
                : "a probe at the call: both counters have counted",
              counted_before * 10 + calls_seen, 44);
    inro_probe_remove(p);
  }
  inro_probe_remove_n(cps, 2);

  inro_store_free(store);
  inro_module_free(m);
  free(bytes);
  printf("%d passed, %d failed\n", passed, failed);
  return failed != 0;
}

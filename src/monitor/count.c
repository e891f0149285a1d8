/*
** count.c -- the count monitor: executed instructions, total and per
** opcode.
**
** Without a window that ends, it counts with counter probes (no callback,
** one IR instruction each), one at the start of every run (monitor/
** runs.c): the run's counter is the count of each of its instructions,
** but for what follows a trap.  With a window that ends, it ticks with
** the dispatcher (the global probe) instead, which knows the instruction
** clock.  Both keep per-offset counts (hits.c); counter cells are added
** in when reporting and saving.
**
** What a run counted ahead of the program (mon_ahead_of) comes off a
** report made there, off the counts when the monitor stops there, and
** onto them when it starts there.  A snapshot keeps the counts as they
** are, ahead included: the restored program resumes after the counter.
** A trap at X ran X; the rest of its run comes off (count_trapped).
*/
#include <stdlib.h>
#include <string.h>

#include "binary/opcodes.h"
#include "monitor/hits.h"

typedef struct count_st {
  mon_hits h;          /* first: the hits.c functions take a count_st */
  int counting;        /* counter probes in (not ticking) */
  uint64_t *cells;     /* per run */
  uint32_t *run;       /* per instruction of the module: its run */
  uint32_t nruns;
} count_st;

typedef struct op_count {
  const char *name;
  uint64_t n;
} op_count;

static void *count_create(void) { return calloc(1, sizeof(count_st)); }

static void count_destroy(void *p) {
  count_st *st = p;
  free(st->cells);
  free(st->run);
  free(st->h.n);
  free(st);
}

/* --------------------------------------------------------------- runs */

/* The run of every instruction, and a zeroed cell per run. */
static int build_runs(monitor *m) {
  count_st *st = m->st;
  free(st->run);
  free(st->cells);
  st->run = mon_runs(&m->set->mm, &st->nruns);
  st->cells = calloc(st->nruns + 1, sizeof *st->cells);
  return st->run && st->cells;
}

/* Counts plus cells: the executions of instruction i. */
static uint64_t executed(const count_st *st, const mon_module *mm, size_t i) {
  uint64_t n = mon_hits_at(&st->h, mm->instrs[i].offset);
  return st->counting ? n + st->cells[st->run[i]] : n;
}

/* Move the cells into the counts (the probes are gone or about to be). */
static void fold(count_st *st, const mon_module *mm) {
  for (size_t i = 0; st->counting && i < mm->ninstrs; i++)
    st->h.n[mm->instrs[i].offset - st->h.lo] += st->cells[st->run[i]];
  if (st->cells) memset(st->cells, 0, st->nruns * sizeof *st->cells);
}

static void add_range(count_st *st, const mon_module *mm, size_t a, size_t b, int sign) {
  for (size_t i = a; i < b; i++) {
    uint64_t *n = &st->h.n[mm->instrs[i].offset - st->h.lo];
    *n = sign > 0 ? *n + 1 : *n - 1; /* modulo 2^64: a credit may come first */
  }
}

static int count_start(monitor *m, inro_error *err) {
  count_st *st = m->st;
  if (!mon_hits_start(m, err)) return 0;
  if (m->windowed) return 1; /* ticking */
  m->ticking = 0;
  const mon_module *mm = &m->set->mm;
  if (!build_runs(m)) return 0;
  st->counting = 1;
  if (m->set->here) { /* under way: the rest of this run is not counted */
    size_t a, b;
    mon_ahead_of(&m->set->mm, m->set->here, m->set->here_past, &a, &b);
    add_range(st, mm, a, b, 1);
  }
  return mon_probe_runs(m, st->run, st->cells, 1, NULL, err);
}

static void count_stopped(monitor *m) {
  count_st *st = m->st;
  if (!st->counting) return;
  const mon_module *mm = &m->set->mm;
  fold(st, mm);
  st->counting = 0;
  if (m->set->here) { /* what the run counted ahead does not happen now */
    size_t a, b;
    mon_ahead_of(&m->set->mm, m->set->here, 0, &a, &b);
    add_range(st, mm, a, b, -1);
  }
}

static void count_trapped(monitor *m, uint32_t funcidx, uint32_t offset) {
  count_st *st = m->st;
  if (!st->counting) return;
  size_t a, b;
  mon_ahead_at(&m->set->mm, funcidx, offset, 1, &a, &b);
  add_range(st, &m->set->mm, a, b, -1);
}

/* ---------------------------------------------------------- reporting */

static int by_name(const void *a, const void *b) {
  return strcmp(((const op_count *)a)->name, ((const op_count *)b)->name);
}

static int by_count(const void *a, const void *b) {
  const op_count *x = a, *y = b;
  if (x->n != y->n) return x->n < y->n ? 1 : -1;
  return strcmp(x->name, y->name);
}

/* Executed opcodes by name (two opcodes may share one: select), sorted by
** name; returns how many, *total gets the sum.  From a probe (a report by
** control), what is counted ahead of the run is left out. */
static size_t tally(const monitor *m, op_count *out, uint64_t *total) {
  const count_st *st = m->st;
  uint64_t per_op[OP_COUNT];
  memset(per_op, 0, sizeof per_op);
  const mon_module *mm = &m->set->mm;
  size_t a = 0, b = 0;
  if (st->counting && m->set->here) mon_ahead_of(&m->set->mm, m->set->here, 0, &a, &b);
  *total = 0;
  for (size_t i = 0; m->set->have_mm && i < mm->ninstrs; i++) {
    uint64_t n = executed(st, mm, i) - (i >= a && i < b);
    per_op[mm->instrs[i].op] += n;
    *total += n;
  }
  size_t k = 0;
  for (unsigned op = 0; op < OP_COUNT; op++)
    if (per_op[op]) out[k++] = (op_count){mon_op_name(op), per_op[op]};
  qsort(out, k, sizeof *out, by_name);
  size_t merged = 0;
  for (size_t i = 0; i < k; i++) {
    if (merged && !strcmp(out[merged - 1].name, out[i].name)) out[merged - 1].n += out[i].n;
    else out[merged++] = out[i];
  }
  return merged;
}

static void count_text(monitor *m, FILE *out) {
  op_count ops[OP_COUNT];
  uint64_t total;
  size_t n = tally(m, ops, &total);
  qsort(ops, n, sizeof *ops, by_count);
  fprintf(out, "%llu instructions executed\n", (unsigned long long)total);
  for (size_t i = 0; i < n; i++) {
    char pct[32];
    mon_percent(pct, sizeof pct, ops[i].n, total);
    fprintf(out, "  %-20s %14llu  %6s%%\n", ops[i].name, (unsigned long long)ops[i].n, pct);
  }
}

/* "opcodes": {NAME: count, ...}, "total": N */
static void count_json(monitor *m, mon_json *j) {
  op_count ops[OP_COUNT];
  uint64_t total;
  size_t n = tally(m, ops, &total);
  js_key(j, "opcodes");
  js_begin_obj(j);
  for (size_t i = 0; i < n; i++) {
    js_key(j, ops[i].name);
    js_u64(j, ops[i].n);
  }
  js_end_obj(j);
  js_key(j, "total");
  js_u64(j, total);
}

/* As mon_hits_save, with the cells added in. */
static void count_save(const monitor *m, mon_buf *b) {
  const count_st *st = m->st;
  if (!st->counting) {
    mon_hits_save(m, b);
    return;
  }
  const mon_module *mm = &m->set->mm;
  uint32_t nz = 0;
  for (size_t i = 0; i < mm->ninstrs; i++) nz += executed(st, mm, i) != 0;
  mon_put_u32(b, st->h.lo);
  mon_put_u32(b, st->h.hi);
  mon_put_u32(b, nz);
  for (size_t i = 0; i < mm->ninstrs; i++) {
    uint64_t n = executed(st, mm, i);
    if (!n) continue;
    mon_put_u32(b, mm->instrs[i].offset);
    mon_put_u64(b, n);
  }
}

const mon_ops mon_count_ops = {
  .name = "count",
  .wants_offset = 1,
  .create = count_create,
  .start = count_start,
  .stopped = count_stopped,
  .trapped = count_trapped,
  .tick = mon_hits_tick,
  .text = count_text,
  .json = count_json,
  .save = count_save,
  .load = mon_hits_load,
  .destroy = count_destroy,
};

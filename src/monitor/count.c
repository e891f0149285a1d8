/*
** count.c -- the count monitor: executed instructions, total and per
** opcode.  It needs every instruction, so it ticks with the dispatcher
** (the global probe) and counts per offset; opcodes are looked up only
** when reporting.
*/
#include <stdlib.h>
#include <string.h>

#include "binary/opcodes.h"
#include "monitor/hits.h"

typedef struct op_count {
  const char *name;
  uint64_t n;
} op_count;

static int by_name(const void *a, const void *b) {
  return strcmp(((const op_count *)a)->name, ((const op_count *)b)->name);
}

static int by_count(const void *a, const void *b) {
  const op_count *x = a, *y = b;
  if (x->n != y->n) return x->n < y->n ? 1 : -1;
  return strcmp(x->name, y->name);
}

/* Executed opcodes by name (two opcodes may share one: select), sorted by
** name; returns how many, *total gets the sum. */
static size_t tally(const monitor *m, op_count *out, uint64_t *total) {
  uint64_t per_op[OP_COUNT];
  memset(per_op, 0, sizeof per_op);
  const mon_module *mm = &m->set->mm;
  *total = 0;
  for (size_t i = 0; m->set->have_mm && i < mm->ninstrs; i++) {
    uint64_t n = mon_hits_at(m->st, mm->instrs[i].offset);
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

const mon_ops mon_count_ops = {
  .name = "count",
  .wants_offset = 1,
  .create = mon_hits_create,
  .start = mon_hits_start,
  .tick = mon_hits_tick,
  .text = count_text,
  .json = count_json,
  .save = mon_hits_save,
  .load = mon_hits_load,
  .destroy = mon_hits_destroy,
};

/*
** coverage.c -- the coverage monitor: which instructions ran at least
** once, per function and in total.  Like count it ticks with the
** dispatcher and keeps per-offset counts (a flag would be no cheaper: the
** cost is the probe, not the increment).
*/
#include <stdlib.h>

#include "monitor/hits.h"

/* Covered instructions of defined function d. */
static uint32_t covered(const monitor *m, uint32_t d) {
  const mon_module *mm = &m->set->mm;
  const mon_func *f = &mm->funcs[d];
  uint32_t n = 0;
  for (uint32_t i = 0; i < f->count; i++)
    n += mon_hits_at(m->st, mm->instrs[f->first + i].offset) != 0;
  return n;
}

static uint32_t ndefined(const monitor *m) {
  return m->set->have_mm ? m->set->mm.nfuncs - m->set->mm.nimports : 0;
}

static void totals(const monitor *m, uint64_t *cov, uint64_t *all, uint32_t *entered) {
  *cov = *all = 0;
  *entered = 0;
  for (uint32_t d = 0; d < ndefined(m); d++) {
    uint32_t c = covered(m, d);
    *cov += c;
    *all += m->set->mm.funcs[d].count;
    *entered += c != 0;
  }
}

static void cov_text(monitor *m, FILE *out) {
  uint64_t cov, all;
  uint32_t entered;
  char pct[32];
  totals(m, &cov, &all, &entered);
  mon_percent(pct, sizeof pct, cov, all);
  fprintf(out, "%llu of %llu instructions covered (%s%%), %u of %u functions entered\n",
          (unsigned long long)cov, (unsigned long long)all, pct, entered, ndefined(m));
  for (uint32_t d = 0; d < ndefined(m); d++) {
    uint32_t c = covered(m, d), n = m->set->mm.funcs[d].count;
    if (!c) continue;
    mon_percent(pct, sizeof pct, c, n);
    fprintf(out, "  %7s%%  %6u/%-6u  %s\n", pct, c, n,
            mon_func_name(&m->set->mm, m->set->mm.nimports + d));
  }
}

/* "covered", "functions": [{"covered", "executed": [offsets], "func",
** "instructions", "name", "percent"}], "instructions", "percent" */
static void cov_json(monitor *m, mon_json *j) {
  const mon_module *mm = &m->set->mm;
  uint64_t cov, all;
  uint32_t entered;
  char pct[32];
  totals(m, &cov, &all, &entered);
  js_key(j, "covered");
  js_u64(j, cov);
  js_key(j, "functions");
  js_begin_arr(j);
  uint64_t *offs = NULL;
  size_t cap = 0;
  for (uint32_t d = 0; d < ndefined(m); d++) {
    const mon_func *f = &mm->funcs[d];
    size_t n = 0;
    if (!MON_GROW(offs, cap, 0, f->count)) {
      j->failed = 1;
      break;
    }
    for (uint32_t i = 0; i < f->count; i++)
      if (mon_hits_at(m->st, mm->instrs[f->first + i].offset))
        offs[n++] = mm->instrs[f->first + i].offset;
    js_begin_obj(j);
    js_key(j, "covered");
    js_u64(j, n);
    js_key(j, "executed");
    js_u64s(j, offs, n);
    js_key(j, "func");
    js_u64(j, mm->nimports + d);
    js_key(j, "instructions");
    js_u64(j, f->count);
    js_key(j, "name");
    js_str(j, mon_func_name(mm, mm->nimports + d));
    js_key(j, "percent");
    mon_percent(pct, sizeof pct, n, f->count);
    js_raw(j, pct);
    js_end_obj(j);
  }
  free(offs);
  js_end_arr(j);
  js_key(j, "instructions");
  js_u64(j, all);
  js_key(j, "percent");
  mon_percent(pct, sizeof pct, cov, all);
  js_raw(j, pct);
}

const mon_ops mon_coverage_ops = {
  "coverage", 0, 1, mon_hits_create, mon_hits_start, NULL, mon_hits_tick,
  cov_text, cov_json, mon_hits_save, mon_hits_load, mon_hits_destroy,
};

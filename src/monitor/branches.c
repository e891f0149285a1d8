/*
** branches.c -- the branches monitor: for every if, br_if and br_table,
** how often each way was taken.
**
** Probes: one edge probe per branch site (inro_probe_edges), counting
** into the site's counters with no callback: if and br_if taken when
** the condition is non-zero; br_table target i, or the default for an
** index past the labels.  With a window that ends, a local probe per site
** instead, whose callback reads the same off the operand stack and knows
** the instruction clock.  The sites and their counters are built once,
** at the first start, from the module's code (the edge probes count into
** them, so they stay where they are); counters loaded from a snapshot
** before that are matched to them by offset.
*/
#include <stdlib.h>
#include <string.h>

#include "binary/opcodes.h"
#include "monitor/mon.h"

typedef struct br_site {
  monitor *m;
  uint32_t func, offset;
  uint16_t op;
  uint32_t ntargets;   /* if/br_if: 2 (taken, not taken); br_table: labels + 1 */
  size_t at;           /* its counters in pool */
} br_site;

typedef struct br_st {
  br_site *sites;
  size_t nsites, capsites;
  uint64_t *pool;      /* the counters of all sites */
  size_t npool, cappool;
  int built;           /* sites are the module's (not just loaded ones) */
  size_t next;         /* br_start: the site of the next branch instruction */
} br_st;

static void *br_create(void) { return calloc(1, sizeof(br_st)); }

static void br_destroy(void *p) {
  br_st *st = p;
  free(st->sites);
  free(st->pool);
  free(st);
}

static int add_site(br_st *st, uint32_t func, uint32_t offset, unsigned op, uint32_t ntargets) {
  if (!MON_GROW(st->sites, st->capsites, st->nsites, 1) ||
      !MON_GROW(st->pool, st->cappool, st->npool, ntargets))
    return 0;
  st->sites[st->nsites++] = (br_site){NULL, func, offset, (uint16_t)op, ntargets, st->npool};
  memset(st->pool + st->npool, 0, ntargets * sizeof *st->pool);
  st->npool += ntargets;
  return 1;
}

/* The counter of the way the branch at f takes. */
static uint64_t *way(const br_st *st, const br_site *site, inro_frame *f) {
  uint32_t v = (uint32_t)inro_frame_operand_bits(f, 0);
  uint64_t *c = st->pool + site->at;
  if (site->op == OP_BR_TABLE) return &c[v < site->ntargets - 1 ? v : site->ntargets - 1];
  return &c[v == 0];
}

static int on_branch(inro_frame *f, void *env) {
  br_site *site = env;
  if (mon_done_ahead(site->m) || !mon_in_now(site->m)) return 1;
  ++*way(site->m->st, site, f);
  return 1;
}

static int is_branch(unsigned op) {
  return op == OP_IF || op == OP_BR_IF || op == OP_BR_TABLE;
}

/* Replace loaded sites by the module's, carrying loaded counters over.
** Both are in offset order, so the loaded ones are matched in one pass. */
static int build(monitor *m, inro_error *err) {
  br_st *st = m->st, old = *st;
  const mon_module *mm = &m->set->mm;
  memset(st, 0, sizeof *st);
  st->built = 1;
  int ok = 1;
  size_t k = 0;  /* the first loaded site not before this instruction */
  for (uint32_t d = 0; ok && d < mm->nfuncs - mm->nimports; d++) {
    const mon_func *fn = &mm->funcs[d];
    for (uint32_t i = fn->first; ok && i < fn->first + fn->count; i++) {
      unsigned op = mm->instrs[i].op;
      uint32_t offset = mm->instrs[i].offset;
      if (!is_branch(op)) continue;
      uint32_t labels = 0;
      if (op == OP_BR_TABLE) mon_imm(mm, offset, NULL, NULL, &labels);
      uint32_t n = op == OP_BR_TABLE ? labels + 1 : 2;
      ok = add_site(st, mm->nimports + d, offset, op, n);
      while (k < old.nsites && old.sites[k].offset < offset) k++;
      const br_site *was = ok && k < old.nsites && old.sites[k].offset == offset ? &old.sites[k] : NULL;
      if (was && (was->ntargets != n || was->op != op)) {
        ok = 0;
        mon_err(err, INRO_ERR_ARG, "monitor state was saved for another module");
      } else if (was) {
        memcpy(st->pool + st->sites[st->nsites - 1].at, old.pool + was->at, n * sizeof *st->pool);
      }
    }
  }
  free(old.sites);
  free(old.pool);
  return ok;
}

/* Built sites are the module's branch instructions in offset order, the
** order mon_probe_sites visits them in. */
static int pick_branch(monitor *m, uint32_t funcidx, const mon_instr *in, void **env) {
  (void)funcidx;
  br_st *st = m->st;
  if (!is_branch(in->op) || st->next >= st->nsites) return 0;
  br_site *site = &st->sites[st->next++];
  site->m = m;
  *env = site;
  return 1;
}

/* The site at offset, or NULL. */
static br_site *site_at(const br_st *st, uint32_t offset) {
  size_t lo = 0, hi = st->nsites;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (st->sites[mid].offset < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo < st->nsites && st->sites[lo].offset == offset ? &st->sites[lo] : NULL;
}

/* An edge probe at every site, function by function. */
static int count_edges(monitor *m, inro_error *err) {
  br_st *st = m->st;
  uint32_t *offsets = malloc((st->nsites + 1) * sizeof *offsets);
  uint64_t **cells = malloc((st->nsites + 1) * sizeof *cells);
  int ok = offsets && cells;
  for (size_t i = 0, n = 0; ok && i < st->nsites; i++) {
    offsets[n] = st->sites[i].offset;
    cells[n++] = st->pool + st->sites[i].at;
    if (i + 1 == st->nsites || st->sites[i + 1].func != st->sites[i].func) {
      ok = mon_probe_edges(m, st->sites[i].func, offsets, cells, n, err);
      n = 0;
    }
  }
  free(offsets);
  free(cells);
  /* Started at the fire for the instruction before the window, which its
  ** edge probe, about to run, counts: a credit (modulo 2^64) first. */
  br_site *site = ok && m->set->here && m->set->here_past
                      ? site_at(st, inro_frame_offset(m->set->here)) : NULL;
  if (site) --*way(st, site, m->set->here);
  return ok;
}

static int br_start(monitor *m, inro_error *err) {
  br_st *st = m->st;
  if (!st->built && !build(m, err)) return 0;
  if (!m->windowed) return count_edges(m, err);
  st->next = 0;
  return mon_probe_sites(m, pick_branch, on_branch, err);
}

static uint64_t executed(const br_st *st, const br_site *s) {
  uint64_t n = 0;
  for (uint32_t k = 0; k < s->ntargets; k++) n += st->pool[s->at + k];
  return n;
}

/* How many sites were executed at least once. */
static size_t executed_sites(const br_st *st) {
  size_t used = 0;
  for (size_t i = 0; i < st->nsites; i++) used += executed(st, &st->sites[i]) != 0;
  return used;
}

static void br_text(monitor *m, FILE *out) {
  br_st *st = m->st;
  size_t used = executed_sites(st);
  fprintf(out, "%zu of %zu branch sites executed\n", used, st->nsites);
  for (size_t i = 0; i < st->nsites; i++) {
    const br_site *s = &st->sites[i];
    const uint64_t *c = st->pool + s->at;
    uint64_t n = executed(st, s);
    if (!n) continue;
    fprintf(out, "  0x%06x %-8s %s: ", (unsigned)s->offset, mon_op_name(s->op),
            mon_func_name(&m->set->mm, s->func));
    if (s->op != OP_BR_TABLE) {
      char pct[32];
      mon_percent(pct, sizeof pct, c[0], n);
      fprintf(out, "taken %llu of %llu (%s%%)\n", (unsigned long long)c[0],
              (unsigned long long)n, pct);
      continue;
    }
    fputs("targets", out);
    for (uint32_t k = 0; k + 1 < s->ntargets; k++) fprintf(out, " %llu", (unsigned long long)c[k]);
    fprintf(out, ", default %llu\n", (unsigned long long)c[s->ntargets - 1]);
  }
}

/* "executed_sites", "sites": [{"executed", "func", "name", "not_taken",
** "offset", "op", "taken"} or, for br_table, {..., "targets": [...]}] */
static void br_json(monitor *m, mon_json *j) {
  br_st *st = m->st;
  js_key(j, "executed_sites");
  js_u64(j, executed_sites(st));
  js_key(j, "sites");
  js_begin_arr(j);
  for (size_t i = 0; i < st->nsites; i++) {
    const br_site *s = &st->sites[i];
    const uint64_t *c = st->pool + s->at;
    int table = s->op == OP_BR_TABLE;
    js_begin_obj(j);
    js_key(j, "executed");
    js_u64(j, executed(st, s));
    js_key(j, "func");
    js_u64(j, s->func);
    js_key(j, "name");
    js_str(j, mon_func_name(&m->set->mm, s->func));
    if (!table) {
      js_key(j, "not_taken");
      js_u64(j, c[1]);
    }
    js_key(j, "offset");
    js_u64(j, s->offset);
    js_key(j, "op");
    js_str(j, mon_op_name(s->op));
    if (table) {
      js_key(j, "targets");
      js_u64s(j, c, s->ntargets);
    } else {
      js_key(j, "taken");
      js_u64(j, c[0]);
    }
    js_end_obj(j);
  }
  js_end_arr(j);
}

static void br_save(const monitor *m, mon_buf *b) {
  const br_st *st = m->st;
  mon_put_u32(b, (uint32_t)st->nsites);
  for (size_t i = 0; i < st->nsites; i++) {
    const br_site *s = &st->sites[i];
    mon_put_u32(b, s->func);
    mon_put_u32(b, s->offset);
    mon_put_u32(b, s->op == OP_BR_TABLE ? 2 : s->op == OP_BR_IF);
    mon_put_u32(b, s->ntargets);
    for (uint32_t k = 0; k < s->ntargets; k++) mon_put_u64(b, st->pool[s->at + k]);
  }
}

static int br_load(monitor *m, mon_rd *r) {
  static const uint16_t ops[3] = {OP_IF, OP_BR_IF, OP_BR_TABLE};
  br_st *st = m->st;
  uint32_t n = mon_get_count(r, 16);
  uint32_t last = 0;
  for (uint32_t i = 0; i < n && !r->failed; i++) {
    uint32_t func = mon_get_u32(r), offset = mon_get_u32(r);
    uint32_t kind = mon_get_u32(r), ntargets = mon_get_count(r, 8);
    /* Sites come in offset order (build matches them in one pass). */
    if (r->failed || kind > 2 || !ntargets || (kind < 2 && ntargets != 2) ||
        (i && offset <= last))
      return 0;
    last = offset;
    if (!add_site(st, func, offset, ops[kind], ntargets)) return 0;
    for (uint32_t k = 0; k < ntargets; k++) st->pool[st->sites[i].at + k] = mon_get_u64(r);
  }
  return !r->failed;
}

const mon_ops mon_branches_ops = {
  .name = "branches",
  .create = br_create,
  .start = br_start,
  .text = br_text,
  .json = br_json,
  .save = br_save,
  .load = br_load,
  .destroy = br_destroy,
};

/*
** coverage.c -- the coverage monitor: which instructions ran at least
** once, reported per function, per basic block and, where the module has
** DWARF line tables, per source line; as text, JSON or an lcov tracefile
** (coverage:lcov).
**
** Probes: a local probe at the first instruction of every segment not yet
** covered (module.c: a segment is entered only at its first instruction
** and left only after its last, so when that one executes they all do).
** Once a probe has fired it has nothing more to learn and goes, but not
** at once: each removal re-translates its function.  Instead, when the
** function's fired probes have fired again as often as one
** re-translation of it costs (FIRES_PER_BYTE), they all go together: a
** ski-rental rule, so the firings wasted never cost more than the
** re-translations saved, and a loop loses its probes after a few
** iterations.  Code that has run carries no probe in steady state.
**
** A window with an end (coverage@A..B) is counted instead with the
** dispatcher's tick, which runs until B anyway: a segment entered before
** B may run past it.  Where the probes go in while code is running (a
** window opening, "on" by control), the rest of the segment the run
** stands in is marked at once.
*/
#include <stdlib.h>
#include <string.h>

#include "monitor/mon.h"

/* What re-translating a function costs, in firings of a probe, per byte
** of its code: callgrind counts some 255 instructions per byte
** translated and some 350 per firing (natively, x86-64). */
#define FIRES_PER_BYTE(bytes) ((uint32_t)((uint64_t)(bytes) * 3 / 4))

#define NO_SLOT SIZE_MAX

typedef struct cov_seg {
  monitor *m;
  uint32_t first, end;   /* its instructions: mm->instrs[first .. end) */
  uint32_t def;          /* defined-function index */
  size_t slot;           /* its probe in m->probes, or NO_SLOT */
  int fired;
} cov_seg;

typedef struct cov_func {
  uint32_t first_seg, nsegs;
  uint32_t refires, budget;  /* fired probes firing again, since the last
                                removal; what a re-translation is worth */
} cov_func;

typedef struct cov_st {
  uint8_t *covered;      /* per code byte in [lo, hi): 1 = executed */
  uint32_t lo, hi;
  cov_seg *segs;
  size_t nsegs;
  cov_func *funcs;       /* per defined function */
  inro_probe **doomed;   /* room for one function's probes */
  uint32_t most_segs;    /* segments of the function with most, at least 1 */
} cov_st;

static void *cov_create(void) { return calloc(1, sizeof(cov_st)); }

static void drop_segments(cov_st *st) {
  free(st->segs);
  free(st->funcs);
  free(st->doomed);
  st->segs = NULL;
  st->funcs = NULL;
  st->doomed = NULL;
  st->nsegs = 0;
}

static void cov_destroy(void *p) {
  cov_st *st = p;
  drop_segments(st);
  free(st->covered);
  free(st);
}

static int is_covered(const cov_st *st, uint32_t offset) {
  return st->covered && offset >= st->lo && offset < st->hi && st->covered[offset - st->lo];
}

/* Mark instructions [i, end) of the module covered. */
static void mark(cov_st *st, const mon_module *mm, uint32_t i, uint32_t end) {
  for (; i < end; i++) {
    uint32_t off = mm->instrs[i].offset;
    if (off >= st->lo && off < st->hi) st->covered[off - st->lo] = 1;
  }
}

/* The end of the segment holding instruction i of defined function d. */
static uint32_t segment_end(const mon_module *mm, uint32_t d, uint32_t i) {
  const mon_func *f = &mm->funcs[d];
  for (i++; i < f->first + f->count; i++)
    if (mm->instrs[i].flags & MON_SEGMENT) break;
  return i;
}

/* The run stands before the instruction at f: mark it (unless `past`:
** then it is not observed) and the rest of its segment, which will run. */
static void mark_from(monitor *m, inro_frame *f, int past) {
  cov_st *st = m->st;
  const mon_module *mm = &m->set->mm;
  uint32_t func = inro_frame_func_index(f);
  const mon_instr *in = mon_instr_at(mm, inro_frame_offset(f));
  if (!in || func < mm->nimports || func >= mm->nfuncs) return;
  uint32_t d = func - mm->nimports, i = (uint32_t)(in - mm->instrs);
  uint32_t end = segment_end(mm, d, i);
  if (past) i++;
  if (i < end) mark(st, mm, i, end);
}

/* ------------------------------------------------------------- probes */

/* Remove the probes of defined function d that have fired: one
** re-translation for all of them. */
static void retire(monitor *m, uint32_t d) {
  cov_st *st = m->st;
  cov_func *cf = &st->funcs[d];
  size_t n = 0;
  for (uint32_t k = cf->first_seg; k < cf->first_seg + cf->nsegs; k++) {
    cov_seg *g = &st->segs[k];
    if (!g->fired || g->slot == NO_SLOT) continue;
    st->doomed[n++] = m->probes[g->slot];
    m->probes[g->slot] = NULL;
    g->slot = NO_SLOT;
  }
  inro_probe_remove_n(st->doomed, n);
  cf->refires = 0;
}

static int on_segment(inro_frame *f, void *env) {
  (void)f;
  cov_seg *g = env;
  cov_st *st = g->m->st;
  if (mon_done_ahead(g->m)) return 1;
  if (!g->fired) {
    g->fired = 1;
    mark(st, &g->m->set->mm, g->first, g->end);
    return 1;
  }
  cov_func *cf = &st->funcs[g->def];
  if (++cf->refires >= cf->budget) retire(g->m, g->def);
  return 1;
}

/* Segments and per-function records for the module of the set. */
static int build(monitor *m) {
  cov_st *st = m->st;
  const mon_module *mm = &m->set->mm;
  uint32_t ndef = mm->nfuncs - mm->nimports, most = 1;
  size_t n = 0;
  for (size_t i = 0; i < mm->ninstrs; i++) n += (mm->instrs[i].flags & MON_SEGMENT) != 0;
  drop_segments(st);
  st->segs = calloc(n + 1, sizeof *st->segs);
  st->funcs = calloc((size_t)ndef + 1, sizeof *st->funcs);
  if (!st->segs || !st->funcs) return 0;
  for (uint32_t d = 0; d < ndef; d++) {
    const mon_func *f = &mm->funcs[d];
    cov_func *cf = &st->funcs[d];
    cf->first_seg = (uint32_t)st->nsegs;
    for (uint32_t i = f->first; i < f->first + f->count; i++) {
      if (!(mm->instrs[i].flags & MON_SEGMENT)) continue;
      uint32_t end = segment_end(mm, d, i);
      st->segs[st->nsegs++] = (cov_seg){m, i, end, d, NO_SLOT, 0};
    }
    cf->nsegs = (uint32_t)st->nsegs - cf->first_seg;
    if (cf->nsegs > most) most = cf->nsegs;
    uint32_t bytes = f->count ? mm->instrs[f->first + f->count - 1].offset - mm->instrs[f->first].offset + 1 : 1;
    cf->budget = FIRES_PER_BYTE(bytes) + 1;
  }
  st->most_segs = most;
  st->doomed = malloc(most * sizeof *st->doomed);
  return st->doomed != NULL;
}

/* Probes at the segments of defined function d that are not all covered. */
static int probe_function(monitor *m, uint32_t d, uint32_t *offsets, void **envs,
                          inro_error *err) {
  cov_st *st = m->st;
  const mon_module *mm = &m->set->mm;
  const cov_func *cf = &st->funcs[d];
  size_t n = 0, base = m->nprobes;
  for (uint32_t k = cf->first_seg; k < cf->first_seg + cf->nsegs; k++) {
    cov_seg *g = &st->segs[k];
    uint32_t i = g->first;
    while (i < g->end && is_covered(st, mm->instrs[i].offset)) i++;
    if (i == g->end) continue;
    g->slot = base + n;
    offsets[n] = mm->instrs[g->first].offset;
    envs[n++] = g;
  }
  return mon_probe_locals(m, mm->nimports + d, offsets, (void *const *)envs, n, on_segment, err);
}

static int cov_start(monitor *m, inro_error *err) {
  cov_st *st = m->st;
  monitor_set *s = m->set;
  const mon_module *mm = &s->mm;
  if (st->covered) {
    if (st->lo != mm->code_lo || st->hi != mm->code_hi) {
      mon_err(err, INRO_ERR_ARG, "monitor state was saved for another module");
      return 0;
    }
  } else {
    st->lo = mm->code_lo;
    st->hi = mm->code_hi;
    st->covered = calloc((size_t)(st->hi - st->lo) + 1, 1);
    if (!st->covered) return 0;
  }
  if (m->format && !mon_has_source(&s->mm)) {
    mon_err(err, INRO_ERR_ARG,
            "coverage:lcov needs DWARF line tables: build the module with -g");
    return 0;
  }
  if (m->hi != UINT64_MAX) { /* a window with an end */
    m->ticking = 1;
    return 1;
  }
  if (!build(m)) return 0;
  if (s->here) mark_from(m, s->here, s->here_past);
  uint32_t *offsets = malloc(st->most_segs * sizeof *offsets);
  void **envs = malloc(st->most_segs * sizeof *envs);
  int ok = offsets && envs;
  for (uint32_t d = 0; ok && d < mm->nfuncs - mm->nimports; d++)
    ok = probe_function(m, d, offsets, envs, err);
  free(offsets);
  free(envs);
  return ok;
}

static void cov_stopped(monitor *m) { drop_segments(m->st); }

static void cov_tick(monitor *m, inro_frame *f, uint32_t offset) {
  (void)f;
  cov_st *st = m->st;
  if (offset >= st->lo && offset < st->hi) st->covered[offset - st->lo] = 1;
}

/* ------------------------------------------------------------ figures */

typedef struct cov_counts {
  uint64_t covered, instructions;
  uint32_t blocks, blocks_covered, entered;
} cov_counts;

static uint32_t ndefined(const monitor *m) {
  return m->set->have_mm ? m->set->mm.nfuncs - m->set->mm.nimports : 0;
}

/* The counts of defined function d, added to *c. */
static void count_function(const monitor *m, uint32_t d, cov_counts *c) {
  const mon_module *mm = &m->set->mm;
  const mon_func *f = &mm->funcs[d];
  for (uint32_t i = f->first; i < f->first + f->count; i++) {
    int yes = is_covered(m->st, mm->instrs[i].offset);
    c->covered += yes;
    if (mm->instrs[i].flags & MON_BLOCK) {
      c->blocks++;
      c->blocks_covered += yes;
    }
  }
  c->instructions += f->count;
  c->entered += f->count && is_covered(m->st, mm->instrs[f->first].offset);
}

static void totals(const monitor *m, cov_counts *c) {
  memset(c, 0, sizeof *c);
  for (uint32_t d = 0; d < ndefined(m); d++) count_function(m, d, c);
}

/* One source line: covered if any of its instructions ran. */
typedef struct cov_line {
  const char *file;
  uint32_t rank, line;     /* rank: the file's place in path order */
  uint8_t covered;
} cov_line;

static uint64_t line_key(const cov_line *l) { return (uint64_t)l->rank << 32 | l->line; }

/* Sort lines[0..n) by file and line, a byte of the key at a time from the
** lowest, skipping the bytes that all keys share: a few passes over the
** lines, where qsort's comparisons cost more than all the rest of the
** report on a Wasm host.  0 without memory. */
static int sort_lines(cov_line *lines, size_t n) {
  cov_line *tmp = malloc((n + 1) * sizeof *tmp), *from = lines, *to = tmp;
  if (!tmp) return 0;
  uint64_t any = 0, all = UINT64_MAX;
  for (size_t i = 0; i < n; i++) {
    any |= line_key(&lines[i]);
    all &= line_key(&lines[i]);
  }
  for (unsigned shift = 0; shift < 64; shift += 8) {
    if (!((any ^ all) >> shift & 0xff)) continue;
    size_t at[257] = {0};
    for (size_t i = 0; i < n; i++) at[(line_key(&from[i]) >> shift & 0xff) + 1]++;
    for (unsigned b = 0; b < 256; b++) at[b + 1] += at[b];
    for (size_t i = 0; i < n; i++) to[at[line_key(&from[i]) >> shift & 0xff]++] = from[i];
    cov_line *t = from;
    from = to;
    to = t;
  }
  if (from != lines) memcpy(lines, from, n * sizeof *lines);
  free(tmp);
  return 1;
}

/* The source lines of the module's code, by file and line, into *out
** (malloc'd); how many (0 without line tables), or -1 without memory. */
static long collect_lines(monitor *m, cov_line **out) {
  mon_module *mm = &m->set->mm;
  *out = NULL;
  if (!m->set->have_mm || !mon_has_source(mm)) return 0;
  cov_line *lines = malloc((mm->ninstrs + 1) * sizeof *lines);
  if (!lines) return -1;
  size_t n = 0;
  for (size_t i = 0; i < mm->ninstrs; i++) {
    cov_line *l = &lines[n];
    if (mon_instr_source(mm, i, &l->file, &l->line, &l->rank)) {
      l->covered = (uint8_t)is_covered(m->st, mm->instrs[i].offset);
      /* A line's instructions mostly follow each other: merged at once,
      ** they leave a few times fewer entries to sort. */
      if (n && line_key(l - 1) == line_key(l)) l[-1].covered |= l->covered;
      else n++;
    }
  }
  if (!sort_lines(lines, n)) {
    free(lines);
    return -1;
  }
  size_t k = 0;
  for (size_t i = 0; i < n; i++) {
    if (k && line_key(&lines[k - 1]) == line_key(&lines[i])) lines[k - 1].covered |= lines[i].covered;
    else lines[k++] = lines[i];
  }
  *out = lines;
  return (long)k;
}

/* -------------------------------------------------------------- text */

static void cov_text(monitor *m, FILE *out) {
  mon_module *mm = &m->set->mm;
  cov_counts c;
  char pct[32], where[MON_WHERE_MAX];
  totals(m, &c);
  mon_percent(pct, sizeof pct, c.covered, c.instructions);
  fprintf(out, "%llu of %llu instructions covered (%s%%), %u of %u functions entered\n",
          (unsigned long long)c.covered, (unsigned long long)c.instructions, pct, c.entered,
          ndefined(m));
  mon_percent(pct, sizeof pct, c.blocks_covered, c.blocks);
  fprintf(out, "%u of %u basic blocks (%s%%)", c.blocks_covered, c.blocks, pct);
  cov_line *lines;
  long nl = collect_lines(m, &lines);
  if (nl > 0) {
    long hit = 0;
    for (long i = 0; i < nl; i++) hit += lines[i].covered;
    mon_percent(pct, sizeof pct, (uint64_t)hit, (uint64_t)nl);
    fprintf(out, ", %ld of %ld source lines (%s%%)", hit, nl, pct);
  }
  free(lines);
  fputs("\n", out);
  for (uint32_t d = 0; d < ndefined(m); d++) {
    cov_counts fc;
    memset(&fc, 0, sizeof fc);
    count_function(m, d, &fc);
    if (!fc.covered) continue;
    const mon_func *f = &mm->funcs[d];
    mon_percent(pct, sizeof pct, fc.covered, fc.instructions);
    fprintf(out, "  %7s%%  %6llu/%-6llu  %s  %s\n", pct, (unsigned long long)fc.covered,
            (unsigned long long)fc.instructions, mon_func_name(mm, mm->nimports + d),
            mon_where(mm, mm->nimports + d, mm->instrs[f->first].offset, where, sizeof where));
  }
}

/* --------------------------------------------------------------- JSON */


/* {"blocks": {"covered", "missed": [leader offsets], "total"}, "covered",
**  "executed": [offsets], "func", "instructions", "name", "percent",
**  "source": "FILE:LINE" | null} */
static void json_function(monitor *m, mon_json *j, uint32_t d, uint64_t *offs) {
  mon_module *mm = &m->set->mm;
  const mon_func *f = &mm->funcs[d];
  cov_counts c;
  memset(&c, 0, sizeof c);
  count_function(m, d, &c);
  char text[32];
  size_t n = 0;
  js_begin_obj(j);
  js_key(j, "blocks");
  js_begin_obj(j);
  js_key(j, "covered");
  js_u64(j, c.blocks_covered);
  for (uint32_t i = f->first; i < f->first + f->count; i++)
    if ((mm->instrs[i].flags & MON_BLOCK) && !is_covered(m->st, mm->instrs[i].offset))
      offs[n++] = mm->instrs[i].offset;
  js_key(j, "missed");
  js_u64s(j, offs, n);
  js_key(j, "total");
  js_u64(j, c.blocks);
  js_end_obj(j);
  n = 0;
  for (uint32_t i = f->first; i < f->first + f->count; i++)
    if (is_covered(m->st, mm->instrs[i].offset)) offs[n++] = mm->instrs[i].offset;
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
  mon_percent(text, sizeof text, n, f->count);
  js_raw(j, text);
  js_key(j, "source");
  char where[MON_WHERE_MAX];
  js_str(j, mon_func_where(mm, mm->nimports + d, where, sizeof where));
  js_end_obj(j);
}

/* null, or {"covered", "files": [{"covered", "file", "lines": [[line,
** 0 | 1]], "total"}], "total"} */
static void json_lines(monitor *m, mon_json *j) {
  cov_line *lines;
  long n = collect_lines(m, &lines);
  if (n < 0) j->failed = 1;
  if (n <= 0) {
    js_null(j);
    return;
  }
  long hit = 0;
  for (long i = 0; i < n; i++) hit += lines[i].covered;
  js_begin_obj(j);
  js_key(j, "covered");
  js_u64(j, (uint64_t)hit);
  js_key(j, "files");
  js_begin_arr(j);
  for (long i = 0; i < n;) {
    long end = i, fhit = 0;
    while (end < n && lines[end].file == lines[i].file) fhit += lines[end++].covered;
    js_begin_obj(j);
    js_key(j, "covered");
    js_u64(j, (uint64_t)fhit);
    js_key(j, "file");
    js_str(j, lines[i].file);
    js_key(j, "lines");
    js_begin_arr(j);
    for (long k = i; k < end; k++) {
      const uint64_t pair[2] = {lines[k].line, lines[k].covered};
      js_u64s(j, pair, 2);
    }
    js_end_arr(j);
    js_key(j, "total");
    js_u64(j, (uint64_t)(end - i));
    js_end_obj(j);
    i = end;
  }
  js_end_arr(j);
  js_key(j, "total");
  js_u64(j, (uint64_t)n);
  js_end_obj(j);
  free(lines);
}

/* "blocks": {"covered", "total"}, "covered", "functions": [...],
** "instructions", "lines", "percent" */
static void cov_json(monitor *m, mon_json *j) {
  const mon_module *mm = &m->set->mm;
  cov_counts c;
  char pct[32];
  totals(m, &c);
  js_key(j, "blocks");
  js_begin_obj(j);
  js_key(j, "covered");
  js_u64(j, c.blocks_covered);
  js_key(j, "total");
  js_u64(j, c.blocks);
  js_end_obj(j);
  js_key(j, "covered");
  js_u64(j, c.covered);
  js_key(j, "functions");
  js_begin_arr(j);
  uint64_t *offs = malloc(mm->most_instrs * sizeof *offs);
  if (!offs) j->failed = 1;
  for (uint32_t d = 0; offs && d < ndefined(m); d++) json_function(m, j, d, offs);
  free(offs);
  js_end_arr(j);
  js_key(j, "instructions");
  js_u64(j, c.instructions);
  js_key(j, "lines");
  json_lines(m, j);
  js_key(j, "percent");
  mon_percent(pct, sizeof pct, c.covered, c.instructions);
  js_raw(j, pct);
}

/* --------------------------------------------------------------- lcov */

/* An lcov tracefile (geninfo(1) describes the format): per source file,
** its functions (FN, FNDA: entered or not), and its lines (DA: 1 if any
** of the line's code ran, else 0).  Counts are 0 or 1: the probes are
** gone after the first execution. */
static int cov_lcov(monitor *m, FILE *out) {
  mon_module *mm = &m->set->mm;
  cov_line *lines;
  long n = collect_lines(m, &lines);
  if (n < 0) return 0;
  fputs("TN:\n", out);
  for (long i = 0; i < n;) {
    const char *file = lines[i].file;
    long end = i, hit = 0;
    while (end < n && lines[end].file == file) hit += lines[end++].covered;
    fprintf(out, "SF:%s\n", file);
    uint32_t nfn = 0, fnhit = 0;
    for (int pass = 0; pass < 2; pass++)
      for (uint32_t d = 0; d < ndefined(m); d++) {
        const char *ffile;
        uint32_t line, func = mm->nimports + d;
        if (!mon_func_source(mm, func, &ffile, &line) || ffile != file) continue;
        int entered = is_covered(m->st, mm->instrs[mm->funcs[d].first].offset);
        if (pass == 0) {
          fprintf(out, "FN:%u,%s\n", (unsigned)line, mon_func_name(mm, func));
          nfn++;
          fnhit += entered;
        } else {
          fprintf(out, "FNDA:%d,%s\n", entered, mon_func_name(mm, func));
        }
      }
    fprintf(out, "FNF:%u\nFNH:%u\n", (unsigned)nfn, (unsigned)fnhit);
    for (long k = i; k < end; k++)
      fprintf(out, "DA:%u,%u\n", (unsigned)lines[k].line, (unsigned)lines[k].covered);
    fprintf(out, "LF:%ld\nLH:%ld\nend_of_record\n", end - i, hit);
    i = end;
  }
  free(lines);
  return 1;
}

/* -------------------------------------------------------- persistence */

/* As count's counters (hits.c): code range, then (offset, 1) for each
** covered instruction. */
static void cov_save(const monitor *m, mon_buf *b) {
  const cov_st *st = m->st;
  uint32_t nz = 0;
  for (uint32_t i = 0; st->covered && i < st->hi - st->lo; i++) nz += st->covered[i];
  mon_put_u32(b, st->lo);
  mon_put_u32(b, st->hi);
  mon_put_u32(b, nz);
  for (uint32_t i = 0; st->covered && i < st->hi - st->lo; i++)
    if (st->covered[i]) {
      mon_put_u32(b, st->lo + i);
      mon_put_u64(b, 1);
    }
}

static int cov_load(monitor *m, mon_rd *r) {
  cov_st *st = m->st;
  st->lo = mon_get_u32(r);
  st->hi = mon_get_u32(r);
  uint32_t nz = mon_get_count(r, 12);
  if (r->failed || st->hi < st->lo) return 0;
  free(st->covered);
  st->covered = calloc((size_t)(st->hi - st->lo) + 1, 1);
  if (!st->covered) return 0;
  for (uint32_t i = 0; i < nz; i++) {
    uint32_t off = mon_get_u32(r);
    uint64_t n = mon_get_u64(r);
    if (r->failed || off < st->lo || off >= st->hi) return 0;
    st->covered[off - st->lo] = n != 0;
  }
  return 1;
}

static const mon_format cov_formats[] = {{"lcov", cov_lcov}, {NULL, NULL}};

const mon_ops mon_coverage_ops = {
  .name = "coverage",
  .wants_offset = 1,
  .create = cov_create,
  .start = cov_start,
  .stopped = cov_stopped,
  .tick = cov_tick,
  .text = cov_text,
  .json = cov_json,
  .save = cov_save,
  .load = cov_load,
  .destroy = cov_destroy,
  .formats = cov_formats,
};

/*
** memory.c -- the memory monitor: loads and stores (count, bytes), bulk
** operations (memory.fill, memory.copy, memory.init), and the 4 KiB and
** 64 KiB pages of memory 0 they touch, with an access count per page.
** Accesses of other memories count (and are in or out of their own
** bounds) but touch no page of the report.
**
** Probes: an access probe (inro_probe_accesses) on each load and store of
** a number in a 32-bit memory 0, counting with no callback into `acc`
** (added in when reporting and saving); a local probe on the others (v128
** accesses, bulk operations, other memories), and on all of them under a
** window that ends or one that opens at the fire for the instruction
** before it (whose access probe would count it).  The effective address
** is the address operand (below the value for stores and the v128 of lane
** loads, the destination and length for bulk operations) plus the memarg
** offset decoded at start.  v128 accesses count with their width: 16
** bytes, 8 for the extending loads, a lane's for lane and splat loads.  An
** access that will trap (out of bounds) is counted as such and touches no
** page.  An access straddling a page boundary counts for both pages.
*/
#include <stdlib.h>
#include <string.h>

#include "binary/opcodes.h"
#include "monitor/mon.h"

enum { MK_LOAD, MK_STORE, MK_BULK };

typedef struct mem_site {
  monitor *m;
  uint32_t mem, src; /* memory indices (src: memory.copy's source) */
  uint64_t imm;      /* memarg offset */
  uint8_t width;     /* bytes */
  uint8_t addr_slot; /* slots above the address on the operand stack */
  uint8_t kind;
  uint16_t op;
} mem_site;

typedef struct pages {
  uint64_t *n;       /* accesses per page */
  size_t len, cap;
} pages;

typedef struct mem_st {
  uint64_t count[3], bytes[3];
  uint64_t oob;
  pages p4k, p64k;
  inro_access_counts acc;  /* the access probes' (pages: p4k's and p64k's) */
  int counting;            /* access probes in */
  mem_site *sites;
  size_t nsites;
} mem_st;

static void *mem_create(void) { return calloc(1, sizeof(mem_st)); }

static void mem_destroy(void *p) {
  mem_st *st = p;
  free(st->p4k.n);
  free(st->p64k.n);
  free(st->sites);
  free(st);
}

/* Pages p with at least n counters (an access probe indexes all of
** them directly). */
static int pages_all(pages *p, size_t n) {
  if (n <= p->len) return 1;
  if (!MON_GROW(p->n, p->cap, p->len, n - p->len)) return 0;
  memset(p->n + p->len, 0, (n - p->len) * sizeof *p->n);
  p->len = n;
  return 1;
}

static int pages_touch(pages *p, uint64_t first, uint64_t last) {
  if (!pages_all(p, (size_t)last + 1)) return 0;
  for (uint64_t i = first; i <= last; i++) p->n[i]++;
  return 1;
}

/* Bytes [a, a + n) of memory `mem` accessed: pages are memory 0's only.
** 0 without memory for counters. */
static int touch(mem_st *st, uint32_t mem, uint64_t a, uint64_t n) {
  if (!n || mem != 0) return 1;
  return pages_touch(&st->p4k, a >> 12, (a + n - 1) >> 12) &&
         pages_touch(&st->p64k, a >> 16, (a + n - 1) >> 16);
}

static int in_bounds(const inro_memory *mem, uint64_t a, uint64_t n) {
  uint64_t size = mem ? inro_memory_size(mem) : 0;
  return a <= size && n <= size - a;
}

static int is64(const inro_memory *mem) { return mem && inro_memory_is64(mem); }

static int on_bulk(inro_frame *f, mem_site *site);

static int on_access(inro_frame *f, void *env) {
  mem_site *site = env;
  if (mon_done_ahead(site->m) || !mon_in_now(site->m)) return 1;
  if (site->kind == MK_BULK) return on_bulk(f, site);
  mem_st *st = site->m->st;
  inro_memory *mem = inro_frame_memory_at(f, site->mem);
  uint64_t a = inro_frame_operand_bits(f, site->addr_slot);
  if (!is64(mem)) a = (uint32_t)a; /* an i32 address */
  /* A 64-bit address plus the offset past 2^64 is out of bounds. */
  if (a + site->imm < a || !in_bounds(mem, a + site->imm, site->width)) {
    st->oob++;
    return 1;
  }
  a += site->imm;
  st->count[site->kind]++;
  st->bytes[site->kind] += site->width;
  return touch(st, site->mem, a, site->width) ? 1
                                              : inro_frame_trap(f, "memory monitor: out of memory");
}

/* memory.fill (d, value, n), memory.copy (d, s, n), memory.init (d, s,
** n): d and a fill's n are addresses of the destination memory (i64 in a
** 64-bit one), s of the source, a copy's n i64 only between two 64-bit
** memories, an init's s and n i32. */
static int on_bulk(inro_frame *f, mem_site *site) {
  mem_st *st = site->m->st;
  inro_memory *dm = inro_frame_memory_at(f, site->mem), *sm = inro_frame_memory_at(f, site->src);
  int copy = site->op == OP_MEMORY_COPY, fill = site->op == OP_MEMORY_FILL;
  uint64_t n = inro_frame_operand_bits(f, 0);
  uint64_t src = inro_frame_operand_bits(f, 1);
  uint64_t dst = inro_frame_operand_bits(f, 2);
  if (!is64(dm)) dst = (uint32_t)dst;
  if (!(copy ? is64(dm) && is64(sm) : fill && is64(dm))) n = (uint32_t)n;
  if (!(copy && is64(sm))) src = (uint32_t)src;
  if (!in_bounds(dm, dst, n) || (copy && !in_bounds(sm, src, n))) {
    st->oob++;
    return 1;
  }
  st->count[MK_BULK]++;
  st->bytes[MK_BULK] += n;
  if (!touch(st, site->mem, dst, n) || (copy && !touch(st, site->src, src, n)))
    return inro_frame_trap(f, "memory monitor: out of memory");
  return 1;
}

/* Width in bytes from the text name: i64.load8_s -> 1, f64.store -> 8,
** v128.store -> 16, v128.load16x4_s -> 8. */
static unsigned access_width(const char *name) {
  const char *dot = strchr(name, '.'), *p = dot;
  while (p && *p && (*p < '0' || *p > '9')) p++;
  unsigned bits = p && *p ? (unsigned)atoi(p) : (unsigned)atoi(name + 1);
  while (p && *p >= '0' && *p <= '9') p++;
  if (p && *p == 'x') bits *= (unsigned)atoi(p + 1); /* lanes of the extending loads */
  return bits / 8;
}

/* Slots of the operands after the address (sig "iV:" -> 2): a v128 takes
** two. */
static unsigned slots_after_address(const char *sig) {
  unsigned n = 0;
  for (const char *p = sig + 1; *p && *p != ':'; p++) n += *p == 'V' ? 2 : 1;
  return n;
}

static int pick_access(monitor *m, uint32_t funcidx, const mon_instr *in, void **env) {
  (void)funcidx;
  mem_st *st = m->st;
  unsigned op = in->op;
  int access = op_table[op].imm == IMM_MEMARG || op_table[op].imm == IMM_MEMARG_LANE;
  int bulk = op == OP_MEMORY_FILL || op == OP_MEMORY_COPY || op == OP_MEMORY_INIT;
  if (!access && !bulk) return 0;
  const char *name = mon_op_name(op);
  mem_site *site = &st->sites[st->nsites++];
  site->m = m;
  site->op = (uint16_t)op;
  site->kind = bulk ? MK_BULK : strstr(name, "store") ? MK_STORE : MK_LOAD;
  mon_memories(&m->set->mm, in->offset, &site->mem, &site->src);
  if (access) {
    mon_imm(&m->set->mm, in->offset, NULL, &site->imm, NULL);
    site->width = (uint8_t)access_width(name);
    site->addr_slot = (uint8_t)slots_after_address(op_table[op].sig);
  }
  *env = site;
  return 1;
}

/* While counting, the sites the callback sees: those of no access probe. */
static int pick_called_back(monitor *m, uint32_t funcidx, const mon_instr *in, void **env) {
  if (mon_plain_access(&m->set->mm, in->offset)) return 0;
  return pick_access(m, funcidx, in, env);
}


/* Move the access probes' counts into the monitor's. */
static void fold(mem_st *st) {
  inro_access_counts *a = &st->acc;
  st->count[MK_LOAD] += a->loads;
  st->bytes[MK_LOAD] += a->load_bytes;
  st->count[MK_STORE] += a->stores;
  st->bytes[MK_STORE] += a->store_bytes;
  st->oob += a->out_of_bounds;
  a->loads = a->load_bytes = a->stores = a->store_bytes = a->out_of_bounds = 0;
}

/* An access probe on each plain access, function by function. */
static int count_accesses(monitor *m, inro_error *err) {
  mem_st *st = m->st;
  const mon_module *mm = &m->set->mm;
  if (!pages_all(&st->p4k, (size_t)1 << 20) || !pages_all(&st->p64k, (size_t)1 << 16)) return 0;
  st->acc.pages_4k = st->p4k.n;
  st->acc.pages_64k = st->p64k.n;
  uint32_t *offsets = malloc(mm->most_instrs * sizeof *offsets);
  int ok = offsets != NULL;
  for (uint32_t d = 0; ok && d < mm->nfuncs - mm->nimports; d++) {
    const mon_func *fn = &mm->funcs[d];
    size_t n = 0;
    for (uint32_t i = fn->first; i < fn->first + fn->count; i++)
      if (mon_plain_access(mm, mm->instrs[i].offset)) offsets[n++] = mm->instrs[i].offset;
    ok = mon_probe_accesses(m, mm->nimports + d, offsets, n, &st->acc, err);
  }
  free(offsets);
  return ok;
}

static int mem_start(monitor *m, inro_error *err) {
  mem_st *st = m->st;
  free(st->sites);
  st->sites = calloc(m->set->mm.ninstrs + 1, sizeof *st->sites);
  st->nsites = 0;
  if (!st->sites) return 0;
  if (m->windowed || (m->set->here && m->set->here_past))
    return mon_probe_sites(m, pick_access, on_access, err);
  st->counting = 1;
  return count_accesses(m, err) && mon_probe_sites(m, pick_called_back, on_access, err);
}

static void mem_stopped(monitor *m) {
  mem_st *st = m->st;
  fold(st);
  st->counting = 0;
  free(st->sites);
  st->sites = NULL;
}

static uint64_t touched(const pages *p) {
  uint64_t n = 0;
  for (size_t i = 0; i < p->len; i++) n += p->n[i] != 0;
  return n;
}

typedef struct page_count {
  uint64_t page, n;
} page_count;

static int by_accesses(const void *a, const void *b) {
  const page_count *x = a, *y = b;
  if (x->n != y->n) return x->n < y->n ? 1 : -1;
  return x->page < y->page ? -1 : x->page > y->page;
}

static void mem_text(monitor *m, FILE *out) {
  mem_st *st = m->st;
  fold(st);
  static const char *const what[3] = {"loads", "stores", "bulk operations"};
  for (int k = 0; k < 3; k++)
    fprintf(out, "%14llu %s (%llu bytes)\n", (unsigned long long)st->count[k], what[k],
            (unsigned long long)st->bytes[k]);
  if (st->oob) fprintf(out, "%14llu out of bounds (trapped)\n", (unsigned long long)st->oob);
  fprintf(out, "pages touched: %llu of 4 KiB, %llu of 64 KiB\n",
          (unsigned long long)touched(&st->p4k), (unsigned long long)touched(&st->p64k));
  page_count *pc = malloc((st->p64k.len + 1) * sizeof *pc);
  if (!pc) return;
  size_t n = 0;
  for (size_t i = 0; i < st->p64k.len; i++)
    if (st->p64k.n[i]) pc[n++] = (page_count){i, st->p64k.n[i]};
  qsort(pc, n, sizeof *pc, by_accesses);
  for (size_t i = 0; i < n && i < 16; i++)
    fprintf(out, "  64 KiB page %6llu (0x%08llx): %llu accesses\n",
            (unsigned long long)pc[i].page, (unsigned long long)(pc[i].page << 16),
            (unsigned long long)pc[i].n);
  if (n > 16) fprintf(out, "  ... and %zu more pages\n", n - 16);
  free(pc);
}

static void json_pages(mon_json *j, const pages *p) {
  js_begin_arr(j);
  for (size_t i = 0; i < p->len; i++)
    if (p->n[i]) {
      uint64_t pair[2] = {i, p->n[i]};
      js_u64s(j, pair, 2);
    }
  js_end_arr(j);
}

static void json_kind(mon_json *j, const mem_st *st, int k) {
  js_begin_obj(j);
  js_key(j, "bytes");
  js_u64(j, st->bytes[k]);
  js_key(j, "count");
  js_u64(j, st->count[k]);
  js_end_obj(j);
}

/* "bulk", "loads": {"bytes", "count"}, "out_of_bounds", "pages_4k":
** [[page, accesses]], "pages_4k_touched", "pages_64k", "pages_64k_touched",
** "stores" */
static void mem_json(monitor *m, mon_json *j) {
  mem_st *st = m->st;
  fold(st);
  js_key(j, "bulk");
  json_kind(j, st, MK_BULK);
  js_key(j, "loads");
  json_kind(j, st, MK_LOAD);
  js_key(j, "out_of_bounds");
  js_u64(j, st->oob);
  js_key(j, "pages_4k");
  json_pages(j, &st->p4k);
  js_key(j, "pages_4k_touched");
  js_u64(j, touched(&st->p4k));
  js_key(j, "pages_64k");
  json_pages(j, &st->p64k);
  js_key(j, "pages_64k_touched");
  js_u64(j, touched(&st->p64k));
  js_key(j, "stores");
  json_kind(j, st, MK_STORE);
}

static void save_pages(mon_buf *b, const pages *p) {
  mon_put_u32(b, (uint32_t)touched(p));
  for (size_t i = 0; i < p->len; i++)
    if (p->n[i]) {
      mon_put_u32(b, (uint32_t)i);
      mon_put_u64(b, p->n[i]);
    }
}

static int load_pages(mon_rd *r, pages *p) {
  uint32_t n = mon_get_count(r, 12);
  for (uint32_t i = 0; i < n && !r->failed; i++) {
    uint32_t page = mon_get_u32(r);
    uint64_t count = mon_get_u64(r);
    if (r->failed || page >= (1u << 20) || !pages_touch(p, page, page)) return 0;
    p->n[page] += count - 1;
  }
  return !r->failed;
}

static void mem_save(const monitor *m, mon_buf *b) {
  fold(m->st);
  const mem_st *st = m->st;
  for (int k = 0; k < 3; k++) {
    mon_put_u64(b, st->count[k]);
    mon_put_u64(b, st->bytes[k]);
  }
  mon_put_u64(b, st->oob);
  save_pages(b, &st->p4k);
  save_pages(b, &st->p64k);
}

static int mem_load(monitor *m, mon_rd *r) {
  mem_st *st = m->st;
  for (int k = 0; k < 3; k++) {
    st->count[k] = mon_get_u64(r);
    st->bytes[k] = mon_get_u64(r);
  }
  st->oob = mon_get_u64(r);
  return load_pages(r, &st->p4k) && load_pages(r, &st->p64k);
}

const mon_ops mon_memory_ops = {
  .name = "memory",
  .create = mem_create,
  .start = mem_start,
  .stopped = mem_stopped,
  .text = mem_text,
  .json = mem_json,
  .save = mem_save,
  .load = mem_load,
  .destroy = mem_destroy,
};

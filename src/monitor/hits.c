/*
** hits.c -- executions per instruction, shared by count and coverage: one
** 64-bit counter per byte offset of the code, so a tick is one indexed
** increment (8 bytes per code byte; the code section of a large C program
** is a few hundred KiB).  Saved sparsely, as (offset, count) pairs.
*/
#include <stdlib.h>
#include <string.h>

#include "monitor/mon.h"
#include "monitor/hits.h"

void *mon_hits_create(void) { return calloc(1, sizeof(mon_hits)); }

void mon_hits_destroy(void *st) {
  mon_hits *h = st;
  free(h->n);
  free(h);
}

/* Allocate for the module's code, or check that loaded counters fit it. */
int mon_hits_start(monitor *m, inro_error *err) {
  mon_hits *h = m->st;
  const mon_module *mm = &m->set->mm;
  if (h->n) {
    if (h->lo != mm->code_lo || h->hi != mm->code_hi) {
      mon_err(err, INRO_ERR_ARG, "monitor state was saved for another module");
      return 0;
    }
  } else {
    h->lo = mm->code_lo;
    h->hi = mm->code_hi;
    h->n = calloc((size_t)(h->hi - h->lo) + 1, sizeof *h->n);
    if (!h->n) return 0;
  }
  m->ticking = 1;
  return 1;
}

void mon_hits_tick(monitor *m, inro_frame *f, uint32_t offset) {
  (void)f;
  mon_hits *h = m->st;
  uint32_t i = offset - h->lo;
  if (i < h->hi - h->lo) h->n[i]++;
}

void mon_hits_save(const monitor *m, mon_buf *b) {
  const mon_hits *h = m->st;
  uint32_t nz = 0;
  for (uint32_t i = 0; h->n && i < h->hi - h->lo; i++) nz += h->n[i] != 0;
  mon_put_u32(b, h->lo);
  mon_put_u32(b, h->hi);
  mon_put_u32(b, nz);
  for (uint32_t i = 0; h->n && i < h->hi - h->lo; i++)
    if (h->n[i]) {
      mon_put_u32(b, h->lo + i);
      mon_put_u64(b, h->n[i]);
    }
}

int mon_hits_load(monitor *m, mon_rd *r) {
  mon_hits *h = m->st;
  h->lo = mon_get_u32(r);
  h->hi = mon_get_u32(r);
  uint32_t nz = mon_get_count(r, 12);
  if (r->failed || h->hi < h->lo) return 0;
  free(h->n);
  h->n = calloc((size_t)(h->hi - h->lo) + 1, sizeof *h->n);
  if (!h->n) return 0;
  for (uint32_t i = 0; i < nz; i++) {
    uint32_t off = mon_get_u32(r);
    uint64_t n = mon_get_u64(r);
    if (r->failed || off < h->lo || off >= h->hi) return 0;
    h->n[off - h->lo] = n;
  }
  return 1;
}

uint64_t mon_hits_at(const mon_hits *h, uint32_t offset) {
  return h->n && offset >= h->lo && offset < h->hi ? h->n[offset - h->lo] : 0;
}

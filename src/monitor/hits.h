/*
** hits.h -- executions per instruction offset (count, coverage).
*/
#ifndef INRO_MON_HITS_H
#define INRO_MON_HITS_H

#include "monitor/mon.h"

typedef struct mon_hits {
  uint64_t *n;       /* per byte offset in [lo, hi) */
  uint32_t lo, hi;
} mon_hits;

/* Allocate for mm's code, or check that loaded counters fit it. */
int mon_hits_ready(mon_hits *h, const mon_module *mm, inro_error *err);
void mon_hits_save(const mon_hits *h, mon_buf *b);
int mon_hits_load(mon_hits *h, mon_rd *r);
uint64_t mon_hits_at(const mon_hits *h, uint32_t offset);

static inline void mon_hits_tick(mon_hits *h, uint32_t offset) {
  uint32_t i = offset - h->lo;
  if (i < h->hi - h->lo) h->n[i]++;
}

#endif

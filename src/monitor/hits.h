/*
** hits.h -- executions per instruction offset (count, coverage).
**
** Both monitors keep the same counters the same way; only their reports
** differ, so the rest of their mon_ops is shared from here.
*/
#ifndef INRO_MON_HITS_H
#define INRO_MON_HITS_H

#include "monitor/mon.h"

typedef struct mon_hits {
  uint64_t *n;       /* per byte offset in [lo, hi) */
  uint32_t lo, hi;
} mon_hits;

/* The executions of the instruction at offset (0 outside the code). */
uint64_t mon_hits_at(const mon_hits *h, uint32_t offset);

/* mon_ops members of a monitor whose state is a mon_hits: allocate it,
** count every instruction with the dispatcher's tick, save and load it. */
void *mon_hits_create(void);
void mon_hits_destroy(void *st);
int mon_hits_start(monitor *m, inro_error *err);
void mon_hits_tick(monitor *m, inro_frame *f, uint32_t offset);
void mon_hits_save(const monitor *m, mon_buf *b);
int mon_hits_load(monitor *m, mon_rd *r);

#endif

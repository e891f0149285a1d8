/*
** persist.c -- a set's state as portable bytes, for snapshots: which
** monitors (their labels, so windows and arguments come back), where their
** windows stand, the instruction clock and every counter.
**
**   "INMN"  u32 version (1)  u64 clock  u32 count
**   per monitor:
**     str label  u8 phase  u64 lo  u64 hi  u32 size  size bytes of counters
**
** Integers are little-endian, strings a u32 length and bytes.  The
** counters' layout belongs to each monitor (its save/load).
*/
#include <stdlib.h>
#include <string.h>

#include "monitor/mon.h"

#define MON_MAGIC "INMN"
#define MON_VERSION 1

int monitor_set_save(const monitor_set *s, uint8_t **bytes, size_t *size) {
  mon_buf b;
  memset(&b, 0, sizeof b);
  for (int i = 0; i < 4; i++) mon_put_u8(&b, (uint8_t)MON_MAGIC[i]);
  mon_put_u32(&b, MON_VERSION);
  mon_put_u64(&b, s->clock);
  mon_put_u32(&b, (uint32_t)s->n);
  for (size_t i = 0; i < s->n; i++) {
    const monitor *m = s->mons[i];
    mon_put_str(&b, m->label);
    mon_put_u8(&b, (uint8_t)m->phase);
    mon_put_u64(&b, m->lo);
    mon_put_u64(&b, m->hi);
    size_t at = b.len;
    mon_put_u32(&b, 0); /* the size, patched below */
    m->ops->save(m, &b);
    if (!b.failed) {
      uint32_t n = (uint32_t)(b.len - at - 4);
      for (int k = 0; k < 4; k++) b.data[at + (size_t)k] = (uint8_t)(n >> (8 * k));
    }
  }
  if (b.failed) {
    free(b.data);
    return -1;
  }
  *bytes = b.data;
  *size = b.len;
  return 0;
}

int monitor_set_load(monitor_set *s, const uint8_t *bytes, size_t size,
                     char *why, size_t whylen) {
  mon_rd r = {bytes, bytes + size, 0};
  if (s->n) {
    snprintf(why, whylen, "monitor state: the set is not empty");
    return -1;
  }
  char magic[4];
  for (int i = 0; i < 4; i++) magic[i] = (char)mon_get_u8(&r);
  uint32_t version = mon_get_u32(&r);
  if (r.failed || memcmp(magic, MON_MAGIC, 4) || version != MON_VERSION) {
    snprintf(why, whylen, "monitor state: not version %d monitor state", MON_VERSION);
    return -1;
  }
  s->clock = mon_get_u64(&r);
  uint32_t n = mon_get_count(&r, 4 + 1 + 8 + 8 + 4);
  for (uint32_t i = 0; i < n && !r.failed; i++) {
    char *label = mon_get_str(&r);
    if (!label) break;
    if (monitor_set_add(s, label, why, whylen) || s->n != i + 1) {
      free(label);
      return -1;
    }
    free(label);
    monitor *m = s->mons[i];
    uint8_t phase = mon_get_u8(&r);
    m->lo = mon_get_u64(&r);
    m->hi = mon_get_u64(&r);
    uint32_t len = mon_get_count(&r, 1);
    if (r.failed || phase > MON_OFF) break;
    m->phase = phase;
    mon_rd part = {r.p, r.p + len, 0};
    if (!m->ops->load(m, &part) || part.failed || part.p != part.end) {
      snprintf(why, whylen, "monitor state: bad counters for '%s'", m->label);
      return -1;
    }
    r.p += len;
  }
  if (r.failed || r.p != r.end) {
    snprintf(why, whylen, "monitor state: truncated or malformed");
    return -1;
  }
  return 0;
}

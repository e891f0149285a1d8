/*
** util.c -- small pieces for the monitors: error reasons, growable
** arrays, a hash map from 64-bit keys to 32-bit values, and the portable
** byte encoding of the counters saved into snapshots (little-endian, fixed
** widths, no pointers).
*/
#include <stdlib.h>
#include <string.h>

#include "monitor/mon.h"

int mon_fail(char *why, size_t whylen, const char *fmt, const char *what) {
  if (why && whylen) snprintf(why, whylen, fmt, what);
  return -1;
}

void mon_err(inro_error *err, inro_error_kind kind, const char *msg) {
  if (!err) return;
  err->kind = kind;
  snprintf(err->message, sizeof err->message, "%s", msg);
}

int mon_grow(void **items, size_t *cap, size_t len, size_t n, size_t size) {
  if (n <= *cap - len) return 1;
  size_t want = *cap ? *cap : 16;
  while (want - len < n) {
    if (want > (SIZE_MAX / 2) / size) return 0;
    want *= 2;
  }
  void *p = realloc(*items, want * size);
  if (!p) return 0;
  *items = p;
  *cap = want;
  return 1;
}

/* ------------------------------------------------------------------ map */

/* A 64-bit mix (splitmix64's finaliser): keys are small structured
** integers, so they need spreading over the table. */
static size_t map_slot(uint64_t key, size_t cap) {
  key ^= key >> 30;
  key *= 0xbf58476d1ce4e5b9ull;
  key ^= key >> 27;
  key *= 0x94d049bb133111ebull;
  key ^= key >> 31;
  return (size_t)(key & (cap - 1));
}

uint32_t mon_map_get(const mon_map *m, uint64_t key) {
  if (!m->cap) return UINT32_MAX;
  for (size_t i = map_slot(key, m->cap);; i = (i + 1) & (m->cap - 1)) {
    if (m->vals[i] == UINT32_MAX) return UINT32_MAX;
    if (m->keys[i] == key) return m->vals[i];
  }
}

static void map_set(uint64_t *keys, uint32_t *vals, size_t cap, uint64_t key,
                    uint32_t val) {
  size_t i = map_slot(key, cap);
  while (vals[i] != UINT32_MAX && keys[i] != key) i = (i + 1) & (cap - 1);
  keys[i] = key;
  vals[i] = val;
}

int mon_map_put(mon_map *m, uint64_t key, uint32_t val) {
  if ((m->n + 1) * 4 > m->cap * 3) { /* keep the load under 3/4 */
    size_t cap = m->cap ? m->cap * 2 : 64;
    uint64_t *keys = malloc(cap * sizeof *keys);
    uint32_t *vals = malloc(cap * sizeof *vals);
    if (!keys || !vals) {
      free(keys);
      free(vals);
      return 0;
    }
    memset(vals, 0xff, cap * sizeof *vals);
    for (size_t i = 0; i < m->cap; i++)
      if (m->vals[i] != UINT32_MAX) map_set(keys, vals, cap, m->keys[i], m->vals[i]);
    free(m->keys);
    free(m->vals);
    m->keys = keys;
    m->vals = vals;
    m->cap = cap;
  }
  if (mon_map_get(m, key) == UINT32_MAX) m->n++;
  map_set(m->keys, m->vals, m->cap, key, val);
  return 1;
}

void mon_map_free(mon_map *m) {
  free(m->keys);
  free(m->vals);
  memset(m, 0, sizeof *m);
}

/* ---------------------------------------------------------------- bytes */

static void put(mon_buf *b, uint64_t v, unsigned width) {
  if (b->failed || !MON_GROW(b->data, b->cap, b->len, width)) {
    b->failed = 1;
    return;
  }
  for (unsigned i = 0; i < width; i++) b->data[b->len++] = (uint8_t)(v >> (8 * i));
}

void mon_put_u8(mon_buf *b, uint8_t v) { put(b, v, 1); }
void mon_put_u32(mon_buf *b, uint32_t v) { put(b, v, 4); }
void mon_put_u64(mon_buf *b, uint64_t v) { put(b, v, 8); }

void mon_put_str(mon_buf *b, const char *s) {
  size_t n = s ? strlen(s) : 0;
  mon_put_u32(b, (uint32_t)n);
  for (size_t i = 0; i < n; i++) put(b, (uint8_t)s[i], 1);
}

static uint64_t get(mon_rd *r, unsigned width) {
  if (r->failed || (size_t)(r->end - r->p) < width) {
    r->failed = 1;
    return 0;
  }
  uint64_t v = 0;
  for (unsigned i = 0; i < width; i++) v |= (uint64_t)r->p[i] << (8 * i);
  r->p += width;
  return v;
}

uint8_t mon_get_u8(mon_rd *r) { return (uint8_t)get(r, 1); }
uint32_t mon_get_u32(mon_rd *r) { return (uint32_t)get(r, 4); }
uint64_t mon_get_u64(mon_rd *r) { return get(r, 8); }

uint32_t mon_get_count(mon_rd *r, size_t each) {
  uint32_t n = mon_get_u32(r);
  if (!r->failed && n > (size_t)(r->end - r->p) / each) r->failed = 1;
  return r->failed ? 0 : n;
}

char *mon_get_str(mon_rd *r) {
  uint32_t n = mon_get_count(r, 1);
  char *s = r->failed ? NULL : malloc((size_t)n + 1);
  if (!s) {
    r->failed = 1;
    return NULL;
  }
  memcpy(s, r->p, n);
  s[n] = 0;
  r->p += n;
  return s;
}

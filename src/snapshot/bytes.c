/*
** bytes.c -- little-endian writer and reader (independent of the host's
** byte order and pointer size).
*/
#include <stdlib.h>
#include <string.h>

#include "snapshot/bytes.h"

void bw_bytes(bwriter *w, const void *p, size_t n) {
  if (w->oom) return;
  if (n > w->cap - w->len) {
    size_t cap = w->cap ? w->cap : 4096;
    while (n > cap - w->len) {
      if (cap > SIZE_MAX / 2) {
        w->oom = 1;
        return;
      }
      cap *= 2;
    }
    uint8_t *d = realloc(w->data, cap);
    if (!d) {
      w->oom = 1;
      return;
    }
    w->data = d;
    w->cap = cap;
  }
  if (n) memcpy(w->data + w->len, p, n);
  w->len += n;
}

void bw_u8(bwriter *w, uint8_t v) { bw_bytes(w, &v, 1); }

void bw_u32(bwriter *w, uint32_t v) {
  uint8_t b[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
  bw_bytes(w, b, 4);
}

void bw_u64(bwriter *w, uint64_t v) {
  bw_u32(w, (uint32_t)v);
  bw_u32(w, (uint32_t)(v >> 32));
}

void bw_put_u32_at(bwriter *w, size_t at, uint32_t v) {
  if (w->oom || at + 4 > w->len) return;
  for (int i = 0; i < 4; i++) w->data[at + i] = (uint8_t)(v >> (8 * i));
}

void bw_put_u64_at(bwriter *w, size_t at, uint64_t v) {
  bw_put_u32_at(w, at, (uint32_t)v);
  bw_put_u32_at(w, at + 4, (uint32_t)(v >> 32));
}

const uint8_t *br_bytes(breader *r, size_t n) {
  if (r->bad || n > r->len - r->pos) {
    r->bad = 1;
    return NULL;
  }
  const uint8_t *p = r->data + r->pos;
  r->pos += n;
  return p;
}

uint8_t br_u8(breader *r) {
  const uint8_t *p = br_bytes(r, 1);
  return p ? p[0] : 0;
}

uint32_t br_u32(breader *r) {
  const uint8_t *p = br_bytes(r, 4);
  if (!p) return 0;
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

uint64_t br_u64(breader *r) {
  uint64_t lo = br_u32(r);
  return lo | (uint64_t)br_u32(r) << 32;
}

uint32_t br_count(breader *r, size_t unit) {
  uint32_t n = br_u32(r);
  if (!r->bad && unit && n > (r->len - r->pos) / unit) r->bad = 1;
  return r->bad ? 0 : n;
}

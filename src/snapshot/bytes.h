/*
** bytes.h -- little-endian byte buffers for the snapshot format: a
** growable writer and a bounds-checked reader whose first failure sticks.
*/
#ifndef INRO_BYTES_H
#define INRO_BYTES_H

#include <stddef.h>
#include <stdint.h>

typedef struct bwriter {
  uint8_t *data;
  size_t len, cap;
  int oom;
} bwriter;

void bw_bytes(bwriter *w, const void *p, size_t n);
void bw_u8(bwriter *w, uint8_t v);
void bw_u32(bwriter *w, uint32_t v);
void bw_u64(bwriter *w, uint64_t v);
/* Patch a u32/u64 at an earlier position. */
void bw_put_u32_at(bwriter *w, size_t at, uint32_t v);
void bw_put_u64_at(bwriter *w, size_t at, uint64_t v);

typedef struct breader {
  const uint8_t *data;
  size_t pos, len;
  int bad;
} breader;

uint8_t br_u8(breader *r);
uint32_t br_u32(breader *r);
uint64_t br_u64(breader *r);
const uint8_t *br_bytes(breader *r, size_t n);
/* A count of items of at least `unit` bytes each, checked against what is
** left, so a corrupted count cannot drive a huge allocation. */
uint32_t br_count(breader *r, size_t unit);

#endif

/*
** reader.c -- LEB128 and friends, exactly as the binary format specifies:
** an N-bit integer takes at most ceil(N/7) bytes, and the unused bits of
** the last byte must be zero (unsigned) or a sign extension (signed).
*/
#include <stdlib.h>
#include <string.h>

#include "binary/reader.h"

int rd_unsupported(const char *why) { return why == RD_GC; }

void rd_fail(reader *r, const char *why) {
  if (!r->failed) {
    r->failed = why;
    r->fail_pos = r->pos;
  }
  r->pos = r->end;
}

uint8_t rd_u8_at_end(reader *r) {
  rd_fail(r, "unexpected end");
  return 0;
}

/* Unsigned LEB128 of at most `bits` bits. */
static uint64_t rd_uleb(reader *r, unsigned bits) {
  uint64_t result = 0;
  unsigned shift = 0;
  for (;;) {
    if (r->pos >= r->end) {
      rd_fail(r, "unexpected end");
      return 0;
    }
    uint8_t b = r->base[r->pos++];
    unsigned remaining = bits - shift; /* bits still allowed */
    if (remaining < 7) {
      /* Last permitted byte: no continuation and no bits beyond `bits`. */
      if (b & 0x80) {
        rd_fail(r, "integer representation too long");
        return 0;
      }
      if (b >> remaining) {
        rd_fail(r, "integer too large");
        return 0;
      }
    }
    result |= (uint64_t)(b & 0x7F) << shift;
    shift += 7;
    if (!(b & 0x80)) return result;
    if (shift >= bits) {
      rd_fail(r, "integer representation too long");
      return 0;
    }
  }
}

/* Signed LEB128 of at most `bits` bits (bits <= 64). */
static int64_t rd_sleb(reader *r, unsigned bits) {
  uint64_t result = 0;
  unsigned shift = 0;
  uint8_t b;
  for (;;) {
    if (r->pos >= r->end) {
      rd_fail(r, "unexpected end");
      return 0;
    }
    b = r->base[r->pos++];
    unsigned remaining = bits - shift;
    if (remaining < 7) {
      if (b & 0x80) {
        rd_fail(r, "integer representation too long");
        return 0;
      }
      /* The bits from `remaining-1` up must all equal the sign bit. */
      int sign = (b >> (remaining - 1)) & 1;
      uint8_t high = (uint8_t)((b & 0x7F) >> (remaining - 1));
      uint8_t want = sign ? (uint8_t)(0x7F >> (remaining - 1)) : 0;
      if (high != want) {
        rd_fail(r, "integer too large");
        return 0;
      }
    }
    result |= (uint64_t)(b & 0x7F) << shift;
    shift += 7;
    if (!(b & 0x80)) break;
    if (shift >= bits) {
      rd_fail(r, "integer representation too long");
      return 0;
    }
  }
  if (shift < 64 && (b & 0x40)) result |= ~(uint64_t)0 << shift;
  /* Two's complement reinterpretation without implementation-defined
  ** conversion of out-of-range values. */
  if (result >> 63) return -(int64_t)(~result) - 1;
  return (int64_t)result;
}

uint32_t rd_u32_rest(reader *r) { return (uint32_t)rd_uleb(r, 32); }
int32_t rd_s32(reader *r) { return (int32_t)rd_sleb(r, 32); }
int64_t rd_s64(reader *r) { return rd_sleb(r, 64); }
uint64_t rd_u64(reader *r) { return rd_uleb(r, 64); }
int64_t rd_s33(reader *r) { return rd_sleb(r, 33); }

uint32_t rd_fixed32(reader *r) {
  const uint8_t *p = rd_bytes(r, 4);
  if (!p) return 0;
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
         (uint32_t)p[3] << 24;
}

uint64_t rd_fixed64(reader *r) {
  uint64_t lo = rd_fixed32(r);
  uint64_t hi = rd_fixed32(r);
  return lo | hi << 32;
}

const uint8_t *rd_bytes(reader *r, size_t n) {
  if (n > r->end - r->pos) {
    rd_fail(r, "unexpected end");
    return NULL;
  }
  const uint8_t *p = r->base + r->pos;
  r->pos += n;
  return p;
}

int utf8_valid(const uint8_t *s, size_t n) {
  size_t i = 0;
  while (i < n) {
    uint8_t c = s[i];
    uint32_t cp;
    size_t len;
    if (c < 0x80) {
      i++;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      len = 2, cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3, cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4, cp = c & 0x07;
    } else {
      return 0;
    }
    if (n - i < len) return 0;
    for (size_t k = 1; k < len; k++) {
      if ((s[i + k] & 0xC0) != 0x80) return 0;
      cp = cp << 6 | (s[i + k] & 0x3F);
    }
    static const uint32_t min_for_len[5] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < min_for_len[len] || cp > 0x10FFFF ||
        (cp >= 0xD800 && cp <= 0xDFFF))
      return 0;
    i += len;
  }
  return 1;
}

char *rd_name(reader *r, uint32_t *len) {
  uint32_t n = rd_u32(r);
  if (r->failed) return NULL;
  if (n > r->end - r->pos) {
    rd_fail(r, "length out of bounds");
    return NULL;
  }
  const uint8_t *p = rd_bytes(r, n);
  if (!p) return NULL;
  if (!utf8_valid(p, n)) {
    rd_fail(r, "malformed UTF-8 encoding");
    return NULL;
  }
  char *s = malloc((size_t)n + 1);
  if (!s) {
    rd_fail(r, "out of memory");
    return NULL;
  }
  memcpy(s, p, n);
  s[n] = 0;
  if (len) *len = n;
  return s;
}

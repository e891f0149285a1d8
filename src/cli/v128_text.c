/*
** v128_text.c -- v128 values as text on the command line (`inro run
** --invoke` arguments and results, `inro inspect`): SHAPE:LANE,LANE,...
** with lane 0 first.  Printed as i32x4 lanes in hexadecimal, which is
** exact and the same on every host; read in any shape (i8x16 i16x8
** i32x4 i64x2 f32x4 f64x2), integer lanes in decimal (with a sign) or 0x
** hexadecimal, float lanes as strtod reads them.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

void cli_v128_format(const uint8_t *b, char *buf, size_t len) {
  uint32_t w[4];
  for (int i = 0; i < 4; i++)
    w[i] = (uint32_t)b[4 * i] | (uint32_t)b[4 * i + 1] << 8 | (uint32_t)b[4 * i + 2] << 16 |
           (uint32_t)b[4 * i + 3] << 24;
  snprintf(buf, len, "i32x4:0x%08x,0x%08x,0x%08x,0x%08x", (unsigned)w[0], (unsigned)w[1],
           (unsigned)w[2], (unsigned)w[3]);
}

/* One integer lane of `bytes` bytes: its bits, or 0 when malformed or
** out of range for both readings (signed and unsigned). */
static int parse_int_lane(const char *s, const char *end, unsigned bytes, uint64_t *out) {
  char text[64];
  size_t n = (size_t)(end - s);
  if (n == 0 || n >= sizeof text) return 0;
  memcpy(text, s, n);
  text[n] = 0;
  int neg = text[0] == '-';
  if (text[neg] == '-' || text[neg] == '+' || text[neg] == ' ') return 0;
  char *stop;
  unsigned long long u = strtoull(text + neg, &stop, 0);
  if (stop == text + neg || *stop) return 0;
  unsigned long long max = bytes == 8 ? ~0ull : (1ull << (8 * bytes)) - 1;
  unsigned long long min = bytes == 8 ? 1ull << 63 : 1ull << (8 * bytes - 1);
  if (neg ? u > min : u > max) return 0;
  *out = neg ? 0 - u : u;
  return 1;
}

static int parse_float_lane(const char *s, const char *end, int is_f32, uint64_t *out) {
  char text[128];
  size_t n = (size_t)(end - s);
  if (n == 0 || n >= sizeof text) return 0;
  memcpy(text, s, n);
  text[n] = 0;
  char *stop;
  if (is_f32) {
    float f = strtof(text, &stop);
    uint32_t bits;
    memcpy(&bits, &f, 4);
    *out = bits;
  } else {
    double d = strtod(text, &stop);
    memcpy(out, &d, 8);
  }
  return stop != text && !*stop;
}

int cli_v128_parse(const char *s, uint8_t *b) {
  static const struct {
    const char *name;
    unsigned lanes;
    int is_float;
  } shapes[] = {{"i8x16", 16, 0}, {"i16x8", 8, 0}, {"i32x4", 4, 0},
                {"i64x2", 2, 0},  {"f32x4", 4, 1}, {"f64x2", 2, 1}};
  const char *colon = strchr(s, ':');
  if (!colon) return 0;
  for (size_t k = 0; k < sizeof shapes / sizeof *shapes; k++) {
    if (strlen(shapes[k].name) != (size_t)(colon - s) ||
        strncmp(s, shapes[k].name, (size_t)(colon - s)))
      continue;
    unsigned lanes = shapes[k].lanes, bytes = 16 / lanes;
    const char *p = colon + 1;
    for (unsigned i = 0; i < lanes; i++) {
      const char *end = strchr(p, ',');
      if (!end) end = p + strlen(p);
      if ((i + 1 < lanes) != (*end == ',')) return 0; /* too few or too many */
      uint64_t bits;
      int ok = shapes[k].is_float ? parse_float_lane(p, end, bytes == 4, &bits)
                                  : parse_int_lane(p, end, bytes, &bits);
      if (!ok) return 0;
      for (unsigned j = 0; j < bytes; j++) b[i * bytes + j] = (uint8_t)(bits >> (8 * j));
      p = end + 1;
    }
    return 1;
  }
  return 0;
}

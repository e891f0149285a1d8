/*
** str.c -- C string copies and number parsing (util/str.h).
*/
#include "util/str.h"

#include <stdlib.h>
#include <string.h>

char *str_ndup(const char *s, size_t n) {
  char *d = malloc(n + 1);
  if (d) {
    memcpy(d, s, n);
    d[n] = 0;
  }
  return d;
}

char *str_dup(const char *s) { return str_ndup(s, strlen(s)); }

int str_to_u64(const char *s, uint64_t *out) {
  unsigned base = 10;
  if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
    base = 16;
    s += 2;
  }
  if (!*s) return 0;
  uint64_t v = 0;
  for (; *s; s++) {
    unsigned d;
    if (*s >= '0' && *s <= '9') d = (unsigned)(*s - '0');
    else if (base == 16 && *s >= 'a' && *s <= 'f') d = (unsigned)(*s - 'a' + 10);
    else if (base == 16 && *s >= 'A' && *s <= 'F') d = (unsigned)(*s - 'A' + 10);
    else return 0;
    if (v > (UINT64_MAX - d) / base) return 0;
    v = v * base + d;
  }
  *out = v;
  return 1;
}

char *str_from_u64(char *buf, uint64_t v) {
  char *p = buf + STR_U64_MAX;
  do {
    *--p = (char)('0' + v % 10);
    v /= 10;
  } while (v);
  return p;
}

void str_cat(char *buf, size_t len, size_t *at, const char *s) {
  while (*s && *at + 1 < len) buf[(*at)++] = *s++;
  buf[*at < len ? *at : len - 1] = '\0';
}

void str_cat_u64(char *buf, size_t len, size_t *at, uint64_t v) {
  char num[STR_U64_MAX + 1];
  char *p = str_from_u64(num, v);
  num[STR_U64_MAX] = '\0';
  str_cat(buf, len, at, p);
}

void str_cat_hex(char *buf, size_t len, size_t *at, uint64_t v) {
  char num[2 + 16 + 1], *p = num + sizeof num - 1;
  *p = '\0';
  do {
    *--p = "0123456789abcdef"[v & 15];
    v >>= 4;
  } while (v);
  *--p = 'x';
  *--p = '0';
  str_cat(buf, len, at, p);
}

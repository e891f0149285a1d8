/*
** str.c -- C string copies (util/str.h).
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

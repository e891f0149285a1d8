/*
** file.c -- whole-file reads for the command line (standard C only).
*/
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platform/platform.h"

uint8_t *plat_read_file(const char *path, size_t *size, char *why,
                        size_t whylen) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    snprintf(why, whylen, "%s", strerror(errno));
    return NULL;
  }
  size_t cap = 1 << 16, len = 0;
  uint8_t *buf = malloc(cap);
  for (;;) {
    if (!buf) {
      snprintf(why, whylen, "out of memory");
      fclose(f);
      return NULL;
    }
    len += fread(buf + len, 1, cap - len, f);
    if (len < cap) break;
    uint8_t *bigger = realloc(buf, cap * 2);
    if (!bigger) free(buf);
    buf = bigger;
    cap *= 2;
  }
  int failed = ferror(f);
  fclose(f);
  if (failed) {
    snprintf(why, whylen, "read error (is it a directory?)");
    free(buf);
    return NULL;
  }
  *size = len;
  return buf;
}

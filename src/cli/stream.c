/*
** stream.c -- the command line's snapshot streams: platform handles as
** inro_write_fn / inro_read_fn, and clock readings for --timing.
*/
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

int cli_stream_write(void *env, const inro_iovec *iov, size_t n) {
  cli_stream *s = env;
  plat_iov v[64];
  while (n > 0 && !s->err) {
    size_t k = n < 64 ? n : 64;
    for (size_t i = 0; i < k; i++) {
      v[i].base = (void *)(uintptr_t)iov[i].base; /* plat_iov serves reads too */
      v[i].len = iov[i].len;
    }
    s->err = s->file ? plat_atomic_write(s->file, v, k) : plat_write_all(s->fd, v, k);
    iov += k;
    n -= k;
  }
  return !s->err;
}

int cli_stream_read(void *env, void *buf, size_t len, size_t *got) {
  cli_stream *s = env;
  *got = 0;
  if (!s->err) s->err = plat_read_some(s->fd, buf, len, got);
  return !s->err;
}

double cli_clock_ms(int clock) {
  uint64_t ns = 0;
  plat_clock_time((uint32_t)clock, &ns);
  return (double)ns / 1e6;
}

int cli_host_port(const char *spec, char *host, size_t hostlen, char *port,
                  size_t portlen) {
  const char *colon = strrchr(spec, ':');
  const char *p = colon ? colon + 1 : spec;
  size_t hl = colon ? (size_t)(colon - spec) : 0;
  if (hl >= 2 && spec[0] == '[' && spec[hl - 1] == ']') { /* [::1]:PORT */
    spec++;
    hl -= 2;
  }
  size_t pl = strlen(p);
  if (hl >= hostlen || pl == 0 || pl > 5 || pl >= portlen) return -1;
  unsigned long n = 0;
  for (size_t i = 0; i < pl; i++) {
    if (p[i] < '0' || p[i] > '9') return -1;
    n = n * 10 + (unsigned long)(p[i] - '0');
  }
  if (n > 65535) return -1;
  memcpy(host, spec, hl);
  host[hl] = 0;
  memcpy(port, p, pl + 1);
  return 0;
}

int cli_stream_at_end(cli_stream *s) {
  uint8_t byte;
  size_t got = 0;
  return cli_stream_read(s, &byte, 1, &got) && got == 0;
}

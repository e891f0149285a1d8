/*
** stream.c -- byte streams for snapshots and migration: writing all of a
** set of buffers, reading, moving the guest's standard output aside when
** standard output carries a snapshot.
**
** Writes and reads wait for a descriptor that is not ready (a pipe or
** socket set non-blocking by someone else) instead of failing.  POSIX
** calls that wasi-libc provides as well, except where marked.
*/
#include <errno.h>
#include <string.h>
#include <unistd.h>
#ifndef __wasi__
#include <signal.h>
#endif

#include "platform/platform.h"

static int wait_for(plat_fd fd, int want) {
  plat_pollfd p = {fd, want, 0};
  return plat_poll(&p, 1, -1);
}

int plat_write_all(plat_fd fd, const plat_iov *iov, size_t n) {
  plat_iov rest[64];
  while (n > 0) {
    size_t k = n < 64 ? n : 64, done;
    memcpy(rest, iov, k * sizeof *rest);
    size_t i = 0;
    while (i < k) {
      int rc = plat_write(fd, rest + i, k - i, &done);
      if (rc == PLAT_EAGAIN) rc = wait_for(fd, PLAT_POLL_WRITE);
      else if (!rc && done == 0 && rest[i].len > 0) rc = PLAT_EIO;
      if (rc) return rc;
      while (i < k && done >= rest[i].len) done -= rest[i++].len;
      if (i < k) {
        rest[i].base = (uint8_t *)rest[i].base + done;
        rest[i].len -= done;
      }
    }
    iov += k;
    n -= k;
  }
  return 0;
}

int plat_read_some(plat_fd fd, void *buf, size_t len, size_t *got) {
  plat_iov v = {buf, len};
  for (;;) {
    int rc = plat_read(fd, &v, 1, got);
    if (rc != PLAT_EAGAIN) return rc;
    if ((rc = wait_for(fd, PLAT_POLL_READ)) != 0) return rc;
  }
}

#ifndef __wasi__
int plat_stdout_aside(plat_fd *stream) {
  int fd = dup(1);
  if (fd < 0) return plat_error(errno);
  if (dup2(2, 1) < 0) {
    int e = errno;
    close(fd);
    return plat_error(e);
  }
  *stream = fd;
  return 0;
}

void plat_ignore_sigpipe(void) { signal(SIGPIPE, SIG_IGN); }
#else
/* WASI has no dup: fd 1 cannot point at stderr and stdout at once. */
int plat_stdout_aside(plat_fd *stream) {
  *stream = PLAT_NO_FD;
  return PLAT_ENOTSUP;
}

void plat_ignore_sigpipe(void) {}
#endif

/*
** os.c -- waiting: poll, sleep, yield.  POSIX calls that wasi-libc also
** provides, so this file serves the native build and inro.wasm alike.
*/
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <sched.h>
#include <stdlib.h>
#include <time.h>

#include "platform/platform.h"

int plat_sleep(uint64_t ns) {
  struct timespec t, left;
  t.tv_sec = (time_t)(ns / 1000000000u);
  t.tv_nsec = (long)(ns % 1000000000u);
  while (nanosleep(&t, &left) != 0) {
    if (errno != EINTR) return plat_error(errno);
    t = left;
  }
  return 0;
}

int plat_yield(void) { return sched_yield() == 0 ? 0 : plat_error(errno); }

int plat_poll(plat_pollfd *fds, size_t n, int64_t timeout_ns) {
  /* poll(2) counts milliseconds: round up so a wait is never cut short. */
  int ms = -1;
  if (timeout_ns >= 0) {
    int64_t m = timeout_ns / 1000000 + (timeout_ns % 1000000 != 0);
    ms = m > INT_MAX ? INT_MAX : (int)m;
  }
  if (n == 0) return ms < 0 ? PLAT_EINVAL : plat_sleep((uint64_t)timeout_ns);
  struct pollfd *p = calloc(n, sizeof *p);
  if (!p) return PLAT_ENOMEM;
  for (size_t i = 0; i < n; i++) {
    p[i].fd = fds[i].fd;
    p[i].events = (short)(((fds[i].want & PLAT_POLL_READ) ? POLLIN : 0) |
                          ((fds[i].want & PLAT_POLL_WRITE) ? POLLOUT : 0));
  }
  int rc;
  do rc = poll(p, (nfds_t)n, ms);
  while (rc < 0 && errno == EINTR);
  int err = rc < 0 ? plat_error(errno) : 0;
  for (size_t i = 0; i < n; i++) {
    short r = rc < 0 ? 0 : p[i].revents;
    fds[i].got = ((r & POLLIN) ? PLAT_POLL_READ : 0) |
                 ((r & POLLOUT) ? PLAT_POLL_WRITE : 0) |
                 ((r & POLLHUP) ? PLAT_POLL_HUP : 0) |
                 ((r & (POLLERR | POLLNVAL)) ? PLAT_POLL_ERR : 0);
  }
  free(p);
  return err;
}

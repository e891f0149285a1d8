/*
** os_posix.c -- clocks and entropy on a native POSIX host.
** (os_wasi.c is the counterpart when inro itself runs under WASI.)
*/
#ifndef __wasi__
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "platform/platform.h"

#ifndef O_CLOEXEC
#define O_CLOEXEC 0
#endif

/* WASI clock ids 0..3 -> POSIX clocks. */
static int plat_clock_id(uint32_t id, clockid_t *out) {
  static const clockid_t ids[] = {CLOCK_REALTIME, CLOCK_MONOTONIC,
                                  CLOCK_PROCESS_CPUTIME_ID,
                                  CLOCK_THREAD_CPUTIME_ID};
  if (id >= sizeof ids / sizeof ids[0]) return PLAT_EINVAL;
  *out = ids[id];
  return 0;
}

static int plat_clock(uint32_t id, uint64_t *ns, int res) {
  clockid_t c;
  struct timespec t;
  if (plat_clock_id(id, &c)) return PLAT_EINVAL;
  if ((res ? clock_getres(c, &t) : clock_gettime(c, &t)) != 0)
    return plat_error(errno);
  *ns = (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
  return 0;
}

int plat_clock_time(uint32_t id, uint64_t *ns) { return plat_clock(id, ns, 0); }
int plat_clock_res(uint32_t id, uint64_t *ns) { return plat_clock(id, ns, 1); }

/* /dev/urandom rather than getrandom/getentropy: it is on every POSIX
** host without feature macros, and guests ask for entropy rarely. */
int plat_random(void *buf, size_t len) {
  int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
  if (fd < 0) return plat_error(errno);
  unsigned char *p = buf;
  while (len > 0) {
    ssize_t n = read(fd, p, len);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      int e = n < 0 ? plat_error(errno) : PLAT_EIO;
      close(fd);
      return e;
    }
    p += n;
    len -= (size_t)n;
  }
  close(fd);
  return 0;
}

static volatile int *checkpoint_flag;

static void on_sigusr1(int sig) {
  (void)sig;
  if (checkpoint_flag) *checkpoint_flag = 1;
}

int plat_catch_checkpoint_signal(volatile int *flag) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_sigusr1;
  sigemptyset(&sa.sa_mask);
  checkpoint_flag = flag;
  return sigaction(SIGUSR1, &sa, NULL) == 0;
}

#else
typedef int plat_os_posix_unused; /* ISO C wants a non-empty file */
#endif

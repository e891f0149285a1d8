/*
** poll.c -- poll_oneoff made raw.
**   poll clocks: relative and absolute clock timeouts, several clocks at
**                once (only those due complete), a zero timeout, a bad
**                clock id, zero subscriptions;
**   poll strict: descriptors that are ready at once (a regular file on
**                stdin, stdout redirected to a file), a bad descriptor, a
**                bad clock, an absolute deadline already past;
**   poll saturate: timeouts whose deadline does not fit 64 bits (the
**                largest relative timeout, now plus nearly 2^64, the
**                largest absolute time) beside a short one, which alone
**                completes;
**   poll forever: prints "waiting", then waits on the relative ones
**                alone, for ever: tests/guests.sh checks that it sleeps (it spun
**                at 100% CPU) and kills it.
** Timings are printed as verdicts against generous bounds.  Node's WASI
** fails descriptor subscriptions on regular files (EPERM) and never
** returns from a deadline in the past, so "strict" is compared with an
** expected-output file.
*/
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <wasi/api.h>

static __wasi_timestamp_t now(__wasi_clockid_t id) {
  __wasi_timestamp_t t = 0;
  (void)__wasi_clock_time_get(id, 1, &t);
  return t;
}

static __wasi_subscription_t clock_sub(__wasi_userdata_t ud,
                                       __wasi_clockid_t id,
                                       __wasi_timestamp_t timeout,
                                       __wasi_subclockflags_t flags) {
  __wasi_subscription_t s;
  memset(&s, 0, sizeof s);
  s.userdata = ud;
  s.u.tag = __WASI_EVENTTYPE_CLOCK;
  s.u.u.clock.id = id;
  s.u.u.clock.timeout = timeout;
  s.u.u.clock.flags = flags;
  return s;
}

static __wasi_subscription_t fd_sub(__wasi_userdata_t ud, __wasi_fd_t fd,
                                    __wasi_eventtype_t type) {
  __wasi_subscription_t s;
  memset(&s, 0, sizeof s);
  s.userdata = ud;
  s.u.tag = type;
  s.u.u.fd_read.file_descriptor = fd;
  return s;
}

/* Poll and print the events; the call must take [min_ms, max_ms] (node
** may wake a millisecond early, so minimums leave some slack). */
static void run(const char *what, __wasi_subscription_t *subs, int n,
                unsigned min_ms, unsigned max_ms) {
  __wasi_event_t ev[8];
  __wasi_size_t got = 0;
  __wasi_timestamp_t t0 = now(__WASI_CLOCKID_MONOTONIC);
  __wasi_errno_t e = __wasi_poll_oneoff(subs, ev, (__wasi_size_t)n, &got);
  __wasi_timestamp_t ms = (now(__WASI_CLOCKID_MONOTONIC) - t0) / 1000000;
  printf("%s: errno %u, %u event(s), time %s\n", what, (unsigned)e,
         (unsigned)got, ms < min_ms ? "too short" : ms > max_ms ? "too long"
                                                               : "ok");
  for (__wasi_size_t i = 0; i < got; i++)
    printf("  userdata %llu type %u error %u\n",
           (unsigned long long)ev[i].userdata, ev[i].type, ev[i].error);
}

static void clocks(void) {
  __wasi_subscription_t s[4];
  s[0] = clock_sub(1, __WASI_CLOCKID_MONOTONIC, 30000000, 0);
  run("one clock, 30 ms", s, 1, 25, 3000);

  s[0] = clock_sub(2, __WASI_CLOCKID_MONOTONIC, 20000000000ull, 0);
  s[1] = clock_sub(3, __WASI_CLOCKID_MONOTONIC, 30000000, 0);
  run("clocks of 20 s and 30 ms", s, 2, 25, 3000);

  s[0] = clock_sub(4, __WASI_CLOCKID_REALTIME,
                   now(__WASI_CLOCKID_REALTIME) + 30000000,
                   __WASI_SUBCLOCKFLAGS_SUBSCRIPTION_CLOCK_ABSTIME);
  run("absolute realtime, 30 ms ahead", s, 1, 20, 3000);

  s[0] = clock_sub(6, __WASI_CLOCKID_MONOTONIC, 0, 0);
  run("clock, zero timeout", s, 1, 0, 1000);

  __wasi_event_t ev[1];
  __wasi_size_t got = 0;
  printf("zero subscriptions: errno %u\n",
         (unsigned)__wasi_poll_oneoff(s, ev, 0, &got));
}

static void strict(void) {
  __wasi_subscription_t s[4];
  s[0] = clock_sub(5, __WASI_CLOCKID_MONOTONIC,
                   now(__WASI_CLOCKID_MONOTONIC) - 1000,
                   __WASI_SUBCLOCKFLAGS_SUBSCRIPTION_CLOCK_ABSTIME);
  run("absolute monotonic, in the past", s, 1, 0, 1000);

  s[0] = fd_sub(7, 1, __WASI_EVENTTYPE_FD_WRITE);
  s[1] = clock_sub(8, __WASI_CLOCKID_MONOTONIC, 20000000000ull, 0);
  run("stdout writable, or 20 s", s, 2, 0, 1000);

  s[0] = fd_sub(9, 0, __WASI_EVENTTYPE_FD_READ);
  s[1] = clock_sub(10, __WASI_CLOCKID_MONOTONIC, 20000000000ull, 0);
  run("stdin (a file) readable, or 20 s", s, 2, 0, 1000);

  s[0] = fd_sub(11, 99, __WASI_EVENTTYPE_FD_READ);
  s[1] = clock_sub(12, __WASI_CLOCKID_MONOTONIC, 20000000000ull, 0);
  run("a descriptor that is not open, or 20 s", s, 2, 0, 1000);

  s[0] = clock_sub(13, 42, 1000, 0);
  run("a clock that does not exist", s, 1, 0, 1000);
}

/* The three deadlines that saturate, as subscriptions 20, 21, 22. */
static void saturating(__wasi_subscription_t *s) {
  s[0] = clock_sub(20, __WASI_CLOCKID_MONOTONIC, UINT64_MAX, 0);
  s[1] = clock_sub(21, __WASI_CLOCKID_MONOTONIC, UINT64_MAX - 5, 0);
  s[2] = clock_sub(22, __WASI_CLOCKID_REALTIME, UINT64_MAX,
                   __WASI_SUBCLOCKFLAGS_SUBSCRIPTION_CLOCK_ABSTIME);
}

static void saturate(void) {
  __wasi_subscription_t s[4];
  saturating(s);
  s[3] = clock_sub(23, __WASI_CLOCKID_MONOTONIC, 30000000, 0);
  run("deadlines past 2^64 ns, and 30 ms", s, 4, 25, 3000);
}

static void forever(void) {
  __wasi_subscription_t s[3];
  __wasi_event_t ev[3];
  __wasi_size_t got = 0;
  saturating(s);
  printf("waiting\n");
  fflush(stdout);
  /* The two relative ones: the absolute one is a (far) deadline. */
  __wasi_errno_t e = __wasi_poll_oneoff(s, ev, 2, &got);
  printf("woke up: errno %u, %u event(s)\n", (unsigned)e, (unsigned)got);
}

int main(int argc, char **argv) {
  const char *mode = argc > 1 ? argv[1] : "clocks";
  if (!strcmp(mode, "strict")) strict();
  else if (!strcmp(mode, "saturate")) saturate();
  else if (!strcmp(mode, "forever")) forever();
  else clocks();
  return 0;
}

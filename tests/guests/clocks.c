/*
** clocks.c -- clock_time_get and clock_res_get for every clock, and
** sleeping (nanosleep is poll_oneoff with a clock subscription).  Prints
** only verdicts: the values themselves differ from run to run.
*/
#include <stdio.h>
#include <sys/time.h>
#include <time.h>
#include <wasi/api.h>

static long long ns(struct timespec t) {
  return t.tv_sec * 1000000000LL + t.tv_nsec;
}

static const char *yes(int c) { return c ? "yes" : "NO"; }

int main(void) {
  struct timespec r, m1, m2, res;
  clock_gettime(CLOCK_REALTIME, &r);
  printf("realtime after 2020: %s\n", yes(r.tv_sec > 1577836800));
  printf("time() agrees: %s\n", yes(time(NULL) - r.tv_sec <= 2));
  struct timeval tv;
  gettimeofday(&tv, NULL);
  printf("gettimeofday agrees: %s\n", yes(tv.tv_sec - r.tv_sec <= 2));

  clock_gettime(CLOCK_MONOTONIC, &m1);
  clock_gettime(CLOCK_MONOTONIC, &m2);
  printf("monotonic does not go back: %s\n", yes(ns(m2) >= ns(m1)));
  printf("resolution realtime: %s\n",
         yes(clock_getres(CLOCK_REALTIME, &res) == 0 && ns(res) > 0 &&
             ns(res) <= 1000000));
  printf("resolution monotonic: %s\n",
         yes(clock_getres(CLOCK_MONOTONIC, &res) == 0 && ns(res) > 0 &&
             ns(res) <= 1000000));

  /* The CPU-time clocks need no emulation at the WASI level. */
  __wasi_timestamp_t t;
  printf("process cputime: %s\n",
         yes(__wasi_clock_time_get(__WASI_CLOCKID_PROCESS_CPUTIME_ID, 1, &t) ==
             0));
  printf("bad clock id: %d\n", __wasi_clock_time_get(42, 1, &t));
  printf("bad clock id (res): %d\n", __wasi_clock_res_get(42, &t));

  struct timespec nap = {0, 30 * 1000000};
  clock_gettime(CLOCK_MONOTONIC, &m1);
  int rc = nanosleep(&nap, NULL);
  clock_gettime(CLOCK_MONOTONIC, &m2);
  /* node wakes up to a millisecond early (libuv's timers count whole,
  ** cached milliseconds), hence the slack. */
  printf("nanosleep(30 ms) = %d, took >= 25 ms: %s, < 2 s: %s\n", rc,
         yes(ns(m2) - ns(m1) >= 25000000), yes(ns(m2) - ns(m1) < 2000000000));
  return 0;
}

/*
** waiter.c -- a guest that waits, for the checkpoint triggers
** (tests/checkpoint_triggers.sh), which must be seen while it does:
**   waiter naps N    N naps of 50 ms, printing their number after each
**   waiter sleep S   one sleep of S seconds, then "awake"
**   waiter read      "reading", then one line of stdin, echoed
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv) {
  const char *mode = argc > 1 ? argv[1] : "";
  long n = argc > 2 ? atol(argv[2]) : 0;
  if (!strcmp(mode, "naps")) {
    struct timespec nap = {0, 50000000};
    for (long i = 1; i <= n; i++) {
      nanosleep(&nap, NULL);
      printf("nap %ld\n", i);
      fflush(stdout);
    }
  } else if (!strcmp(mode, "sleep")) {
    sleep((unsigned)n);
    printf("awake\n");
  } else if (!strcmp(mode, "read")) {
    char line[256];
    printf("reading\n");
    fflush(stdout);
    if (!fgets(line, sizeof line, stdin)) return 1;
    printf("read: %s", line);
  } else {
    fprintf(stderr, "usage: waiter naps N | sleep S | read\n");
    return 2;
  }
  return 0;
}

/*
** stopper.h -- for the snapshot tests: a global probe that counts
** instructions and, at instruction `at` (1-based), captures a snapshot
** (with the module) into snap/size and stops the run with a trap.
*/
#ifndef INRO_TESTS_STOPPER_H
#define INRO_TESTS_STOPPER_H
#include <stdint.h>
#include <stdio.h>

#include "inro.h"

typedef struct stopper {
  long count, at;
  uint8_t *snap;
  size_t size;
} stopper;

static int count_and_stop(inro_frame *f, void *env) {
  stopper *st = env;
  if (++st->count != st->at) return 1;
  inro_error err;
  st->snap = inro_snapshot_capture(f, 1, NULL, 0, &st->size, &err);
  if (!st->snap) printf("capture failed: %s\n", err.message);
  return inro_frame_trap(f, "checkpoint taken");
}

#endif

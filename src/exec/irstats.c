/*
** irstats.c -- how often each IR op, and each pair of ops in a row, runs:
** only in a build with INRO_IR_STATS (`make irstats`), which `make test`
** uses to check that every op of the IR runs somewhere in the suite
** (tests/ir_coverage.sh), and which shows which ops and pairs are worth a
** faster form (docs/performance.md).  At exit the counts are added to the
** file named by the environment variable INRO_IR_STATS, lines
** "op NAME COUNT" and "pair NAME NAME COUNT".
*/
#ifdef INRO_IR_STATS
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exec/irstats.h"

uint64_t ir_stats_ops[IR_COUNT];
uint64_t ir_stats_pairs[IR_COUNT][IR_COUNT];

static int op_named(const char *name) {
  for (int i = 0; i < IR_COUNT; i++)
    if (!strcmp(ir_info[i].text, name)) return i;
  return -1;
}

void ir_stats_save(void) {
  const char *path = getenv("INRO_IR_STATS");
  if (!path || !*path) return;
  FILE *in = fopen(path, "r");
  if (in) {
    char kind[8], a[64], b[64];
    unsigned long long n;
    while (fscanf(in, "%7s", kind) == 1) {
      if (!strcmp(kind, "op") && fscanf(in, "%63s %llu", a, &n) == 2) {
        int i = op_named(a);
        if (i >= 0) ir_stats_ops[i] += n;
      } else if (!strcmp(kind, "pair") && fscanf(in, "%63s %63s %llu", a, b, &n) == 3) {
        int i = op_named(a), k = op_named(b);
        if (i >= 0 && k >= 0) ir_stats_pairs[i][k] += n;
      } else {
        break;
      }
    }
    fclose(in);
  }
  FILE *out = fopen(path, "w");
  if (!out) return;
  for (int i = 0; i < IR_COUNT; i++)
    fprintf(out, "op %s %llu\n", ir_info[i].text, (unsigned long long)ir_stats_ops[i]);
  for (int i = 0; i < IR_COUNT; i++)
    for (int k = 0; k < IR_COUNT; k++)
      if (ir_stats_pairs[i][k])
        fprintf(out, "pair %s %s %llu\n", ir_info[i].text, ir_info[k].text,
                (unsigned long long)ir_stats_pairs[i][k]);
  fclose(out);
}
#else
typedef int ir_stats_unused; /* ISO C wants something in a file */
#endif

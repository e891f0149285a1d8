/*
** runs.c -- runs: the stretches of a body that counter probes count
** whole (count, profile).  A run is a basic block of the module
** (monitor/module.c), also cut after each call, since a call may not come
** back (an exit, a trap or an exception in the callee).  Control enters a
** run only at its first instruction and leaves it after its last, or by a
** trap there.  An exception caught in the function lands on a label (a
** try_table's clause, a legacy catch body), which starts a run.
**
** A run's counter goes first in its first instruction's code, before any
** probe there (exec/translate.c), so a program standing at a probe before
** instruction X of a run has counted the whole run: X and what follows it
** in the run are counted ahead of the program (mon_ahead_of).
*/
#include <stdlib.h>

#include "binary/opcodes.h"
#include "monitor/mon.h"

/* The instructions after which control may not go on to the next one
** although module.c does not start a block there (the calls), and, so
** that runs hold whatever module.c marks, those after which it does:
** tail calls, throws and conditional branches of 3.0. */
static int ends_run(unsigned op) {
  switch (op) {
  case OP_CALL: case OP_CALL_INDIRECT: case OP_CALL_REF:
  case OP_RETURN_CALL: case OP_RETURN_CALL_INDIRECT: case OP_RETURN_CALL_REF:
  case OP_THROW: case OP_THROW_REF: case OP_RETHROW:
  case OP_BR_ON_NULL: case OP_BR_ON_NON_NULL:
    return 1;
  default:
    return 0;
  }
}

int mon_run_starts(const mon_module *mm, size_t i) {
  return i == 0 || (mm->instrs[i].flags & MON_BLOCK) || ends_run(mm->instrs[i - 1].op);
}

uint32_t *mon_runs(const mon_module *mm, uint32_t *nruns) {
  uint32_t *run = malloc((mm->ninstrs + 1) * sizeof *run);
  *nruns = 0;
  for (size_t i = 0; run && i < mm->ninstrs; i++) {
    if (mon_run_starts(mm, i)) (*nruns)++;
    run[i] = *nruns - 1;
  }
  return run;
}

void mon_ahead_at(const mon_module *mm, uint32_t funcidx, uint32_t offset, int past,
                  size_t *a, size_t *b) {
  const mon_instr *in = mon_instr_at(mm, offset);
  *a = *b = 0;
  if (!in || funcidx < mm->nimports || funcidx >= mm->nfuncs) return;
  const mon_func *fn = &mm->funcs[funcidx - mm->nimports];
  size_t i = (size_t)(in - mm->instrs), end = i + 1;
  if (i < fn->first || i >= (size_t)fn->first + fn->count) return;
  while (end < (size_t)fn->first + fn->count && !mon_run_starts(mm, end)) end++;
  *a = i + (past != 0);
  *b = end;
}

/* A call in progress (inro_ctx_frame) ran its instruction; at the end of
** a slice or at a catch the run's counter has not gone yet (a slice ends
** where a run starts: a label, a function's entry; a catch lands on a
** label). */
void mon_ahead_of(const mon_module *mm, inro_frame *f, int past, size_t *a, size_t *b) {
  unsigned why = inro_frame_reason(f);
  mon_ahead_at(mm, inro_frame_func_index(f), inro_frame_offset(f),
               past || (why & INRO_PROBE_AT_CALL), a, b);
  if (why & (INRO_PROBE_AT_SLICE | INRO_PROBE_AT_CATCH)) *a = *b;
}

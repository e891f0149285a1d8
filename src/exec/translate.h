/*
** translate.h -- from validated WebAssembly to IR (exec/ir.h).
**
** The translator walks a body with the validator's iterator
** (binary/validate.h), so a body is validated and translated in one pass.
** A probe_plan says where a translation puts probes and barriers
** (probe/probe.c re-translates a function whenever its probes change).
*/
#ifndef INRO_TRANSLATE_H
#define INRO_TRANSLATE_H

#include "binary/module.h"
#include "exec/ir.h"

/* Where a translation puts probes.  offsets: sorted module byte offsets
** of instructions with local probes. */
typedef struct probe_plan {
  int global, entry, exit;
  const uint32_t *offsets;
  uint32_t noffsets;
  /* Offsets where execution must be able to stop or resume although no
  ** probe is there (a frame stands there): the frame holds the Wasm state
  ** there (an exact position, see exec/ir.h).  Sorted. */
  const uint32_t *barriers;
  uint32_t nbarriers;
  /* Counter probes: an IR_COUNTER adding adds[i] to *cells[i] before the
  ** instruction at counters[i] (sorted, repeats allowed). */
  const uint32_t *counters;
  uint64_t *const *cells;
  const uint32_t *adds;
  uint32_t ncounters;
  /* Edge counter probes: an IR_EDGES counting the way the branch at
  ** edges[i] takes in edge_cells[i][...] (sorted, repeats allowed). */
  const uint32_t *edges;
  uint64_t *const *edge_cells;
  uint32_t nedges;
  /* Record probes: an IR_RECORDS writing values[i][0..nvalues[i]) to
  ** rings[i] before the instruction at records[i] (sorted, repeats
  ** allowed). */
  const uint32_t *records;
  inro_ring *const *rings;
  const uint64_t *const *values;
  const uint32_t *nvalues;
  uint32_t nrecords;
  /* Access probes: an IR_ACCESS counting the load or store at
  ** accesses[i] in access_counts[i] (sorted, repeats allowed). */
  const uint32_t *accesses;
  inro_access_counts *const *access_counts;
  uint32_t naccesses;
  /* Context probes: an IR_CTX_ENTER [K f k a] for each at the function's
  ** entry, k its ahead (inro.h), a the add of a counter there on its
  ** clock (that counter's IR_COUNTER left out), and an IR_CTX_EXIT [K a] at
  ** each exit, both after the counters there. */
  inro_contexts *const *contexts;
  uint32_t ncontexts;
} probe_plan;
enum { PROBE_LOCAL = 1, PROBE_GLOBAL = 2, PROBE_ENTRY = 4, PROBE_EXIT = 8,
       PROBE_TRANSLATE = 16 /* a stub's (probe/probe.c): translate the function */ };

/* Validate and translate body defidx with the probes of plan (NULL: none).
** Returns 1 with *out set, or 0 with err filled. */
int func_translate(const inro_module *m, uint32_t defidx,
                   const probe_plan *plan, code **out, inro_error *err);

#endif

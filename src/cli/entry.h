/*
** entry.h -- a run's entry call: `_start`, or the export --invoke names
** with its arguments given as text (its results printed).  `inro run`
** makes it after a reactor's `_initialize`; a snapshot taken while
** `_initialize` runs records it (section CKPT_SEC_THEN, see
** docs/snapshot-format.md), and `inro restore` makes it once the restored
** frames have returned.
*/
#ifndef INRO_CLI_ENTRY_H
#define INRO_CLI_ENTRY_H

#include "cli/checkpoint.h"

typedef struct entry_call {
  const char *name;    /* the export: "_start", or --invoke's NAME */
  int invoke;          /* 1: --invoke (arguments, results printed) */
  char **args;         /* invoke's arguments as text */
  int nargs;
  int own;             /* args and their strings are malloc'd (entry_load) */
} entry_call;

/* The call as a CKPT_SEC_THEN payload: malloc'd bytes (*size of them), or
** NULL without memory. */
uint8_t *entry_save(const entry_call *e, size_t *size);
/* The call from a CKPT_SEC_THEN payload, for export `name`: 1, or 0 if
** the bytes are malformed or memory is short.  entry_free after. */
int entry_load(entry_call *e, const char *name, const uint8_t *bytes, size_t size);
void entry_free(entry_call *e);

/* Make the call; the exit status (c's: a checkpoint stops the run with
** CKPT_EXIT_STATUS).  `what` names the module in messages. */
int entry_run(const entry_call *e, ckpt *c, inro_store *store, inro_instance *inst,
              const char *what);

#endif

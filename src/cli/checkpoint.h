/*
** checkpoint.h -- checkpoints and run-time control on the command line,
** shared by `inro run` and `inro restore`.
**
** Triggers: --checkpoint-after N (executed Wasm instructions, counted
** exactly with a global probe until N), --checkpoint-trigger PATH (the
** file appearing), SIGUSR1 (natively), a `checkpoint` line in the
** --control file, --checkpoint-on-trap.  Asynchronous triggers are
** looked at every 20 ms or so, from safe points (function entries and
** loop bodies, inserted only when such a trigger or a control file is
** asked for) and from the WASI calls where the guest waits; a checkpoint
** taken in such a call stands before it, and the restored run makes the
** call again.  A checkpoint that cannot be written is reported and the
** guest goes on (the exit status is then 1 if it would have been 0).
**
** Snapshots carry embedder sections (docs/snapshot-format.md):
**   0x100 WASI state    0x101 monitors    0x102 how the run was started
**   0x103 migration: when the source stopped
**
** --snapshot - writes to standard output, with the guest's standard
** output moved to stderr.  With --migrate-to, a trigger (or the start,
** without one) begins a live migration instead (cli/migrate.c), whose
** pre-copy runs from the same safe points and waits.
*/
#ifndef INRO_CLI_CHECKPOINT_H
#define INRO_CLI_CHECKPOINT_H

#include <stdint.h>

#include "inro.h"
#include "monitor/monitor.h"
#include "wasi/wasi.h"

/* Exit status of a run stopped after writing its checkpoint. */
#define CKPT_EXIT_STATUS 75

enum { CKPT_SEC_WASI = 0x100, CKPT_SEC_MONITORS = 0x101, CKPT_SEC_RUN = 0x102,
       CKPT_SEC_MIGRATION = 0x103, CKPT_SEC_CONTROL = 0x104, CKPT_SEC_THEN = 0x105 };

typedef struct ckpt_opts {
  const char *snapshot;   /* --snapshot FILE (default "inro.snapshot") */
  int module_ref;         /* --snapshot-module=ref */
  uint64_t after;         /* --checkpoint-after N, 0 = off */
  const char *trigger;    /* --checkpoint-trigger PATH */
  int on_trap;            /* --checkpoint-on-trap */
  int cont;               /* --checkpoint-continue */
  const char *control;    /* --control FILE */
  const char *migrate_to; /* --migrate-to HOST:PORT or - */
  uint32_t rounds;        /* --migrate-rounds N, most pre-copy rounds */
  int rounds_given;
  int timing;             /* --timing */
} ckpt_opts;

/* Parse option argv[*i] if it is one of ours; advances *i past a value.
** Returns 1 if consumed, 0 if not ours, -1 after printing a usage error. */
int ckpt_parse_option(ckpt_opts *o, int argc, char **argv, int *i);

/* Help text for those options. */
extern const char ckpt_help[];

/* Did the options ask for anything of ours? */
int ckpt_wanted(const ckpt_opts *o);
/* First thing after parsing: refuse a snapshot path that exists and is
** not a regular file (0, or 1 after a one-line error), and catch SIGUSR1
** if --snapshot or --migrate-to is given, so that a signal arriving before
** the guest runs (while a large module loads, say) is held until its
** first safe point.  A snapshot or migration stream on standard output
** (`-`) takes it over here, before the guest can write to it. */
int ckpt_start(const ckpt_opts *o);

typedef struct ckpt ckpt;

ckpt *ckpt_new(const ckpt_opts *o, wasi_state *wasi, monitor_set *mon,
               const char *entry /* export the run started with */);
void ckpt_free(ckpt *c);
/* Insert the probes and hooks the options need. 0 on error (err). */
int ckpt_attach(ckpt *c, inro_store *store, inro_instance *inst, inro_error *err);
/* Did a checkpoint stop the run?  (Then exit with CKPT_EXIT_STATUS.) */
int ckpt_stopped(const ckpt *c);
/* cli_outcome, except that a run stopped by its checkpoint (c may be
** NULL) is not a trap: CKPT_EXIT_STATUS, nothing printed. */
int ckpt_outcome(const ckpt *c, inro_store *store, int ok,
                 const inro_error *err, const char *what);
/* A failure while writing a snapshot, if any (already reported). */
int ckpt_failed(const ckpt *c);

/* The id of an embedder section flagged required that is not one of
** ours, which a restore must refuse; 0 if none. */
uint32_t ckpt_unknown_section(const inro_snapshot *snap);

/* Print a --timing line ("inro: WHAT: ...") on stderr. */
void ckpt_timing(const char *fmt, ...);

/* The entry call still to come while a reactor's `_initialize` runs
** (cli/entry.h): a snapshot taken meanwhile records it (CKPT_SEC_THEN),
** so that its restore makes the call.  NULL once the call is made.  0
** without memory. */
struct entry_call;
int ckpt_then(ckpt *c, const struct entry_call *call);

/* A restored run with --control reads the control file on from where
** the snapshot's run had read it to (its CKPT_SEC_CONTROL section), so
** that the line which checkpointed it is not applied again. */
void ckpt_resume_control(ckpt *c, const inro_snapshot *snap);
/* The snapshot's CKPT_SEC_CONTROL: how far the run had read its control
** file, and whether inside an overlong line.  0 if it has none (or a
** malformed one). */
int ckpt_control_read(const inro_snapshot *snap, uint64_t *pos, int *skipping);

/* The export the snapshot's run started with (its CKPT_SEC_RUN section,
** at most 100 bytes of it) into buf; 0 with buf "" if it has none. */
int ckpt_entry(const inro_snapshot *snap, char *buf, size_t len);

#endif

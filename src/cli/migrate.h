/*
** migrate.h -- the sending side of live migration for `inro run
** --migrate-to` (and `inro restore --migrate-to`): when to send pages,
** when to stop and copy, and the handover (docs/migration.md).
**
** The pre-copy work runs from safe-point probes (and from WASI calls where
** the guest waits), in slices of a few milliseconds between which the
** guest runs, so the guest keeps going at a reduced pace while its memory
** is sent.  After each round the policy
** stops and copies when what the round had to send is small, when rounds
** stop shrinking, or after --migrate-rounds rounds.
**
** Over TCP the receiver answers the handover ("INRO-OK\n": it resumes;
** "INRO-NO\n": it does not), so the source knows whether to stop.  Over a
** one-way stream (`-`: standard output, a pipe) the handover is complete
** once the last byte is written.
*/
#ifndef INRO_CLI_MIGRATE_H
#define INRO_CLI_MIGRATE_H

#include "inro.h"
#include "platform/platform.h"

typedef struct migration migration;

/* target: "HOST:PORT", or "-" for stream (already open, not owned).
** max_rounds: pre-copy rounds at most (0: stop and copy at once). */
migration *migrate_new(const char *target, plat_fd stream, uint32_t max_rounds,
                       int timing);
void migrate_free(migration *m);

/* Connect and send the module.  1, or 0 after printing why (the program
** goes on here). */
int migrate_begin(migration *m, inro_instance *inst, int include_module);

/* At a safe point, or in a WASI call where the guest waits (`waiting`:
** called every few tens of ms), while migrating: maybe send pages.  1
** when it is time to stop and copy, 0 to go on, -1 when the migration
** failed (printed; the program goes on here). */
int migrate_tick(migration *m, int waiting);

/* Outcomes of migrate_finish. */
enum {
  MIG_HANDED_OVER, /* the target has the program: stop here */
  MIG_NOT_SENT,    /* the target cannot resume: go on here (printed) */
  MIG_UNKNOWN      /* everything was sent but the answer did not come:
                      stop, keeping a snapshot (printed) */
};
/* Stop and copy, from the probe firing at f: the pages changed since
** their last round, the state and extra, then the handover. */
int migrate_finish(migration *m, inro_frame *f,
                   const inro_snapshot_section *extra, size_t nextra);

/* The receiver's answers. */
#define MIGRATE_ACK_OK "INRO-OK\n"
#define MIGRATE_ACK_NO "INRO-NO\n"
#define MIGRATE_ACK_LEN 8

#endif

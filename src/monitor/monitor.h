/*
** monitor.h -- monitors: analyses built only on the public probe API
** (inro.h), selected with `inro run --monitor NAME[,NAME...]`.
**
**   count     executed Wasm instructions, total and per opcode
**   calls     call graph: caller -> callee edges with counts (direct,
**             indirect, host)
**   coverage  executed instruction offsets per function, percentage
**   memory    loads/stores (count, bytes), 64 KiB and 4 KiB pages touched,
**             per-page access counts
**   profile   per function instructions self/total, calling-context tree,
**             folded stacks (--monitor-out X.folded)
**   branches  per if/br_if/br_table site: taken / not taken (per target)
**   trace     one line per executed instruction (trace=FUNC to filter)
**
** A monitor may carry a report format, NAME:FORMAT, and a window,
** NAME@START..END, in executed instructions.
** The set's state can be saved into a snapshot and loaded back, so a
** report after a restore covers the whole run.
*/
#ifndef INRO_MONITOR_H
#define INRO_MONITOR_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "inro.h"

typedef struct monitor_set monitor_set;

monitor_set *monitor_set_new(void);
void monitor_set_free(monitor_set *set);

/* Add the monitors of one --monitor value.  0 on success; otherwise a
** one-line reason in why. */
int monitor_set_add(monitor_set *set, const char *spec, char *why, size_t whylen);
/* Does the set hold any monitor? */
int monitor_set_active(const monitor_set *set);

/* Insert the probes of the active monitors into inst (a fresh instance,
** or one restored from a snapshot before it resumes).  The module is
** needed for names and opcodes.  Returns 1, or 0 with err filled. */
int monitor_set_attach(monitor_set *set, inro_instance *inst,
                       const inro_module *module, inro_error *err);
/* Remove every probe of the set from its instance (counters stay).  Needed
** before monitor_set_free only if the instance runs on afterwards: the
** probes point into the set.  Freeing the store frees them too. */
void monitor_set_detach(monitor_set *set);

/* Apply one control line: "on NAME", "off NAME" or "report NAME" (the
** report goes to out).  frame: when called from inside a probe, its frame
** (the run stands before its instruction, which a monitor turned on
** observes), else NULL.  0 on success, else a reason in why. */
int monitor_set_control(monitor_set *set, inro_frame *frame, const char *line,
                        FILE *out, char *why, size_t whylen);

/* The final reports: text on text_out, or, with out_path, JSON written to
** out_path; or, when a monitor was given a format (NAME:FORMAT, e.g.
** coverage:lcov, profile:speedscope, trace:chrome) or out_path ends in
** ".folded" (profile:folded), that monitor's report in that format (the
** other monitors then report as text).  0 on success, else a reason in
** why.  Formats and schemas: docs/instrumentation.md. */
int monitor_set_report(monitor_set *set, const char *out_path, FILE *text_out,
                       char *why, size_t whylen);
/* Before the run: can the set report to out_path (at most one monitor
** with a format, and then a file)?  0, or -1 with a reason in why. */
int monitor_set_check_output(const monitor_set *set, const char *out_path,
                             char *why, size_t whylen);

/* Snapshot support: serialise the set (which monitors, windows, all
** counters) into malloc'd bytes; load it back into an empty set. */
int monitor_set_save(const monitor_set *set, uint8_t **bytes, size_t *size);
int monitor_set_load(monitor_set *set, const uint8_t *bytes, size_t size,
                     char *why, size_t whylen);

/* Call from inside the probe that captures a snapshot, before
** monitor_set_save.  A restored frame resumes after the probes of its
** instruction, and the set's global probe fires after the entry and local
** probes of an instruction: without this call count, coverage, profile
** and trace would never see the instruction the snapshot stands at.  It
** is counted now (and not again if the run goes on).  Exact when called
** from an entry probe on INRO_ALL_FUNCS or a local probe inserted after
** monitor_set_attach (the set's own probes at that instruction have fired
** then), and from inro_ctx_frame (nothing to count: the call's probes
** have fired).  Called from an entry probe, it also fires the set's local
** probes at that instruction, which fire after entry probes (and not
** again if the run goes on).  Returns 1, or 0 (what the probe must then
** return: it traps). */
int monitor_set_checkpoint(monitor_set *set, inro_frame *frame);
/* The run of the attached instance ended in a trap (the store's last,
** inro_backtrace): tell the monitors where, before they report. */
void monitor_set_trapped(monitor_set *set, const inro_store *store);

#endif

/*
** spec.h -- internals of `inro spec`, the spec-test script runner.
**
** Split by job:
**   spec.c           the command: options, the list of scripts, totals
**   spec_script.c    one script's state, its module and register commands
**                    and the loop over its commands
**   spec_assert.c    actions and the assert_* commands
**   spec_value.c     wast2json values: parse arguments, match results
**   spectest_host.c  the "spectest" host module every script may import
** Only the public API (inro.h) is used to drive the runtime.
*/
#ifndef INRO_CLI_SPEC_H
#define INRO_CLI_SPEC_H

#include <stddef.h>

#include "inro.h"
#include "util/json.h"

typedef struct spec_counts {
  long passed, failed, skipped, unsupported;
} spec_counts;

/* Outcome of one test, and of parsing or matching one value. */
typedef enum spec_outcome {
  SPEC_PASS,
  SPEC_FAIL,
  SPEC_SKIP,         /* cannot be run by a binary-only C embedder */
  SPEC_NONE,         /* bookkeeping command that is not a test (register) */
  SPEC_UNSUPPORTED   /* needs a feature inro does not have (GC):
                        its module fails to load as INRO_ERR_UNSUPPORTED */
} spec_outcome;

/* The state that the commands of one script share: a fresh store, a
** linker holding "spectest" and the registered modules, the named instances
** and the current one.  A handler explains a failure or skip in `why`. */
typedef struct spec_binding {
  char *name;
  inro_instance *inst;  /* NULL: that module failed */
  inro_module *module;  /* a module definition (not instantiated) */
  int unsupported;      /* it failed as INRO_ERR_UNSUPPORTED */
} spec_binding;

typedef struct spec_script {
  const char *dir;  /* the JSON's folder, with its trailing separator */
  size_t dirlen;
  inro_store *store;
  inro_linker *linker;
  inro_module **modules;  /* every decoded module, freed after the store */
  size_t nmodules, capmodules;
  spec_binding *names;
  size_t nnames, capnames;
  inro_instance *current;
  int seen_module;  /* a module command has run (so current is meaningful) */
  int current_unsupported; /* the current module failed as unsupported */
  int target_unsupported;  /* set by spec_target: the module it could not
                              find failed as unsupported */
  char why[512];
} spec_script;

typedef spec_outcome (*spec_command)(spec_script *s, const json_value *cmd);

/* Run the script at json_path with a fresh store; add to *counts and print
** the per-file line, named `label` (and, when verbose, one line per
** failure). */
void spec_run_script(const char *json_path, const char *label, int verbose,
                     spec_counts *counts);

/* spec_script.c: helpers for command handlers. */
/* Set why from a format with one %s; return SPEC_FAIL. */
spec_outcome spec_fail(spec_script *s, const char *fmt, const char *arg);
spec_outcome spec_skip(spec_script *s, const char *why);
/* "malformed (message)", "trap \"...\" (message)", ... into buf. */
void spec_describe_err(const inro_error *err, char *buf, size_t len);
const char *spec_kind_name(inro_error_kind kind);
/* The instance called `name` ("$M"), or the current one for NULL; NULL
** with why set if there is none or it failed to load (and
** target_unsupported set if it failed as unsupported). */
inro_instance *spec_target(spec_script *s, const char *name);
/* The outcome of a command whose spec_target failed. */
spec_outcome spec_no_target(spec_script *s);
/* Decode cmd's "filename" (kept until the script ends).  An unreadable
** file comes back as an INRO_ERR_IO error. */
inro_module *spec_load(spec_script *s, const json_value *cmd,
                       inro_error *err);

/* spec_assert.c: the handlers of "action" and the assert_* commands. */
spec_outcome spec_action(spec_script *s, const json_value *cmd);
spec_outcome spec_assert_return(spec_script *s, const json_value *cmd);
spec_outcome spec_assert_trap(spec_script *s, const json_value *cmd);
spec_outcome spec_assert_exhaustion(spec_script *s, const json_value *cmd);
spec_outcome spec_assert_invalid(spec_script *s, const json_value *cmd);
spec_outcome spec_assert_malformed(spec_script *s, const json_value *cmd);
spec_outcome spec_assert_unlinkable(spec_script *s, const json_value *cmd);
spec_outcome spec_assert_uninstantiable(spec_script *s,
                                        const json_value *cmd);
spec_outcome spec_assert_exception(spec_script *s, const json_value *cmd);
/* assert_malformed_custom, assert_invalid_custom: text modules only. */
spec_outcome spec_assert_custom(spec_script *s, const json_value *cmd);

/* Define the "spectest" module's exports in linker, allocated in store. */
int spectest_define(inro_linker *linker, inro_store *store, inro_error *err);

/* Parse an argument {"type": T, "value": V} into *out.  SPEC_FAIL and
** SPEC_SKIP leave a reason in why. */
spec_outcome spec_parse_arg(const json_value *arg, inro_value *out,
                            char *why, size_t whylen);
/* Match a result against an expected {"type": T, "value": V}, where V may
** be a NaN pattern.  On SPEC_FAIL or SPEC_SKIP why says what differs. */
spec_outcome spec_match(const json_value *expected, const inro_value *got,
                        char *why, size_t whylen);
/* Write a value as "i32:42" / "f32:0x7fc00000 (nan)" etc. into buf. */
void spec_format_value(const inro_value *v, char *buf, size_t len);

#endif

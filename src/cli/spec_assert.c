/*
** spec_assert.c -- actions and assertions of the spec-test scripts.
**
** An action ("invoke" a function export, "get" a global export) is first
** performed, which may fail before reaching the runtime (unknown module or
** export, wrong arguments); only then is the runtime's answer judged:
**   action                 must not fail; results are ignored
**   assert_return          results must match (NaN patterns allowed), or
**                          with "either" (3.0 scripts) match one of the
**                          alternatives
**   assert_trap            must trap with the spec's wording of "text" (or
**                          of one of its strings, if it is an array)
**   assert_exhaustion      must trap with "call stack exhausted"
**   assert_invalid         decoding must fail validation
**   assert_malformed       decoding must fail (binary modules; text ones
**                          are skipped: inro has no text parser)
**   assert_unlinkable      must load, then fail to link
**   assert_uninstantiable  must load and link, then trap while
**                          instantiating (segments, start function)
**   assert_exception       must end by throwing a Wasm exception that
**                          nobody catches
**   assert_malformed_custom, assert_invalid_custom
**                          about custom-section annotations of the text
**                          format: skipped like text modules
** A module that needs what inro does not support (INRO_ERR_UNSUPPORTED:
** GC) makes its command "unsupported", neither passed nor failed.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/spec.h"

/* The "text" of an assertion, for messages. */
static const char *text_of(const json_value *cmd) {
  const char *text = json_get_string(cmd, "text");
  return text ? text : "";
}

/* The result of performing an action. */
typedef struct call {
  inro_value *results;
  size_t nresults;
  inro_error err;
} call;

static spec_outcome invoke(spec_script *s, inro_func *func,
                           const json_value *args, call *c) {
  size_t nparams = inro_func_param_count(func);
  size_t nresults = inro_func_result_count(func);
  if (json_array_len(args) != nparams) {
    snprintf(s->why, sizeof s->why, "%zu arguments for %zu parameters",
             json_array_len(args), nparams);
    return SPEC_FAIL;
  }
  inro_value *argv = calloc(nparams ? nparams : 1, sizeof *argv);
  c->results = calloc(nresults ? nresults : 1, sizeof *c->results);
  c->nresults = nresults;
  spec_outcome o = argv && c->results ? SPEC_PASS : SPEC_FAIL;
  if (o != SPEC_PASS) spec_fail(s, "%s", "out of memory");
  for (size_t i = 0; o == SPEC_PASS && i < nparams; i++) {
    inro_valtype want = inro_func_param(func, i);
    o = spec_parse_arg(json_at(args, i), &argv[i], s->why, sizeof s->why);
    if (o == SPEC_PASS && argv[i].type != want) {
      snprintf(s->why, sizeof s->why, "argument %zu is %s, parameter is %s",
               i, cli_type_name(argv[i].type), cli_type_name(want));
      o = SPEC_FAIL;
    }
  }
  if (o == SPEC_PASS)
    inro_call(s->store, func, argv, nparams, c->results, nresults, &c->err);
  free(argv);
  return o;
}

/* Perform cmd's "action".  SPEC_PASS means the runtime was asked and its
** answer is in c (c->err.kind is INRO_OK or the failure); SPEC_FAIL or
** SPEC_SKIP mean the action could not be attempted. */
static spec_outcome perform(spec_script *s, const json_value *cmd, call *c) {
  const json_value *act = json_get(cmd, "action");
  const char *type = json_get_string(act, "type");
  const json_value *field = json_get(act, "field");
  inro_extern ext;
  inro_error_clear(&c->err);
  if (!type || !field || field->type != JSON_STRING)
    return spec_fail(s, "%s", "malformed action");
  inro_instance *inst = spec_target(s, json_get_string(act, "module"));
  if (!inst) return spec_no_target(s);
  if (!inro_instance_export_n(inst, field->string, field->length, &ext))
    return spec_fail(s, "no export \"%s\"", field->string);
  if (!strcmp(type, "invoke")) {
    if (ext.kind != INRO_EXTERN_FUNC)
      return spec_fail(s, "export \"%s\" is not a function", field->string);
    return invoke(s, ext.of.func, json_get(act, "args"), c);
  }
  if (!strcmp(type, "get")) {
    if (ext.kind != INRO_EXTERN_GLOBAL)
      return spec_fail(s, "export \"%s\" is not a global", field->string);
    c->results = malloc(sizeof *c->results);
    if (!c->results) return spec_fail(s, "%s", "out of memory");
    c->results[0] = inro_global_get(ext.of.global);
    c->nresults = 1;
    return SPEC_PASS;
  }
  return spec_fail(s, "unknown action type \"%s\"", type);
}

spec_outcome spec_action(spec_script *s, const json_value *cmd) {
  call c = {NULL, 0, {INRO_OK, INRO_TRAP_NONE, 0, ""}};
  spec_outcome o = perform(s, cmd, &c);
  if (o == SPEC_PASS && c.err.kind != INRO_OK) {
    char what[400];
    spec_describe_err(&c.err, what, sizeof what);
    o = spec_fail(s, "failed: %s", what);
  }
  free(c.results);
  return o;
}

static spec_outcome check_results(spec_script *s, const json_value *cmd,
                                  const call *c) {
  const json_value *expected = json_get(cmd, "expected");
  char what[400];
  if (c->err.kind != INRO_OK) {
    spec_describe_err(&c->err, what, sizeof what);
    return spec_fail(s, "expected results, got %s", what);
  }
  if (json_array_len(expected) != c->nresults) {
    snprintf(s->why, sizeof s->why, "expected %zu results, got %zu",
             json_array_len(expected), c->nresults);
    return SPEC_FAIL;
  }
  for (size_t i = 0; i < c->nresults; i++) {
    spec_outcome o =
        spec_match(json_at(expected, i), &c->results[i], what, sizeof what);
    if (o != SPEC_PASS) {
      snprintf(s->why, sizeof s->why, "result %zu: %s", i, what);
      return o;
    }
  }
  return SPEC_PASS;
}

/* "either" (WebAssembly 3.0 scripts, relaxed SIMD): one result, which
** must match one of the alternatives. */
static spec_outcome check_either(spec_script *s, const json_value *either, const call *c) {
  char what[400];
  if (c->err.kind != INRO_OK) {
    spec_describe_err(&c->err, what, sizeof what);
    return spec_fail(s, "expected a result, got %s", what);
  }
  if (c->nresults != 1) return spec_fail(s, "%s", "expected one result");
  spec_outcome o = SPEC_FAIL;
  for (size_t i = 0; i < json_array_len(either) && o != SPEC_PASS; i++) {
    o = spec_match(json_at(either, i), &c->results[0], what, sizeof what);
    if (o == SPEC_SKIP || o == SPEC_UNSUPPORTED) {
      snprintf(s->why, sizeof s->why, "%s", what);
      return o;
    }
  }
  if (o != SPEC_PASS) snprintf(s->why, sizeof s->why, "no alternative matches: %s", what);
  return o;
}

spec_outcome spec_assert_return(spec_script *s, const json_value *cmd) {
  call c = {NULL, 0, {INRO_OK, INRO_TRAP_NONE, 0, ""}};
  const json_value *either = json_get(cmd, "either");
  spec_outcome o = perform(s, cmd, &c);
  if (o == SPEC_PASS) o = either ? check_either(s, either, &c) : check_results(s, cmd, &c);
  free(c.results);
  return o;
}

spec_outcome spec_assert_exception(spec_script *s, const json_value *cmd) {
  call c = {NULL, 0, {INRO_OK, INRO_TRAP_NONE, 0, ""}};
  spec_outcome o = perform(s, cmd, &c);
  if (o == SPEC_PASS && c.err.kind != INRO_ERR_EXCEPTION) {
    char what[400];
    if (c.err.kind == INRO_OK) snprintf(what, sizeof what, "results");
    else spec_describe_err(&c.err, what, sizeof what);
    o = spec_fail(s, "expected an uncaught exception, got %s", what);
  }
  free(c.results);
  return o;
}

spec_outcome spec_assert_custom(spec_script *s, const json_value *cmd) {
  (void)cmd;
  return spec_skip(s, "custom-section annotation of the text format (binary-only runtime)");
}

/* The spec's trap wording and the expected text agree when one is a
** prefix of the other ("unreachable" / "unreachable executed"; the test
** text "uninitialized element 2" carries an index inro does not). */
static int same_trap(inro_trap_code code, const char *text) {
  const char *msg = inro_trap_message(code);
  if (!msg) return 0;
  size_t n = strlen(msg) < strlen(text) ? strlen(msg) : strlen(text);
  return n > 0 && !strncmp(msg, text, n);
}

/* Does trap `code` have the wording of cmd's "text"?  Besides a string,
** "text" may be an array of alternatives: tests/difffuzz.mjs writes the
** spec wordings a V8 message can stand for ("null function or function
** signature mismatch" is "uninitialized element" or "indirect call type
** mismatch"). */
static int trap_text_matches(const json_value *cmd, inro_trap_code code) {
  const json_value *text = json_get(cmd, "text");
  if (!text || text->type != JSON_ARRAY) return same_trap(code, text_of(cmd));
  for (size_t i = 0; i < json_array_len(text); i++) {
    const json_value *alt = json_at(text, i);
    if (alt->type == JSON_STRING && same_trap(code, alt->string)) return 1;
  }
  return 0;
}

/* err must be a trap with the wording of cmd's "text" (and, if `code` is
** not INRO_TRAP_NONE, that very code). */
static spec_outcome expect_trap(spec_script *s, const json_value *cmd,
                                const inro_error *err, inro_trap_code code) {
  const char *text = text_of(cmd);
  char what[400];
  if (err->kind == INRO_ERR_TRAP && trap_text_matches(cmd, err->trap) &&
      (code == INRO_TRAP_NONE || err->trap == code))
    return SPEC_PASS;
  if (err->kind == INRO_OK)
    snprintf(what, sizeof what, "no trap");
  else
    spec_describe_err(err, what, sizeof what);
  snprintf(s->why, sizeof s->why, "expected trap \"%s\", got %s", text,
           what);
  return SPEC_FAIL;
}

static spec_outcome trap_action(spec_script *s, const json_value *cmd,
                                inro_trap_code code) {
  call c = {NULL, 0, {INRO_OK, INRO_TRAP_NONE, 0, ""}};
  spec_outcome o = perform(s, cmd, &c);
  if (o == SPEC_PASS) o = expect_trap(s, cmd, &c.err, code);
  free(c.results);
  return o;
}

spec_outcome spec_assert_trap(spec_script *s, const json_value *cmd) {
  return trap_action(s, cmd, INRO_TRAP_NONE);
}

spec_outcome spec_assert_exhaustion(spec_script *s, const json_value *cmd) {
  return trap_action(s, cmd, INRO_TRAP_STACK_EXHAUSTED);
}

static int is_text_module(const json_value *cmd) {
  const char *type = json_get_string(cmd, "module_type");
  return type && !strcmp(type, "text");
}

/* Decoding cmd's module must fail with `want`. */
static spec_outcome expect_load_error(spec_script *s, const json_value *cmd,
                                      inro_error_kind want) {
  inro_error err;
  char what[400];
  if (is_text_module(cmd))
    return spec_skip(s, "text-format module (binary-only runtime)");
  if (spec_load(s, cmd, &err)) {
    snprintf(s->why, sizeof s->why, "expected %s (%s), but it loaded",
             spec_kind_name(want), text_of(cmd));
    return SPEC_FAIL;
  }
  if (err.kind == want) return SPEC_PASS;
  if (err.kind == INRO_ERR_UNSUPPORTED) {
    snprintf(s->why, sizeof s->why, "unsupported: %s", err.message);
    return SPEC_UNSUPPORTED;
  }
  spec_describe_err(&err, what, sizeof what);
  snprintf(s->why, sizeof s->why, "expected %s (%s), got %s",
           spec_kind_name(want), text_of(cmd), what);
  return SPEC_FAIL;
}

spec_outcome spec_assert_invalid(spec_script *s, const json_value *cmd) {
  return expect_load_error(s, cmd, INRO_ERR_INVALID);
}

spec_outcome spec_assert_malformed(spec_script *s, const json_value *cmd) {
  return expect_load_error(s, cmd, INRO_ERR_MALFORMED);
}

/* cmd's module must load, then fail to instantiate with `want`. */
static spec_outcome expect_instantiate_error(spec_script *s,
                                             const json_value *cmd,
                                             inro_error_kind want) {
  inro_error err;
  char what[400];
  if (is_text_module(cmd))
    return spec_skip(s, "text-format module (binary-only runtime)");
  inro_module *m = spec_load(s, cmd, &err);
  if (m && inro_linker_instantiate(s->linker, s->store, m, &err)) {
    snprintf(s->why, sizeof s->why, "expected %s (%s), but it instantiated",
             spec_kind_name(want), text_of(cmd));
    return SPEC_FAIL;
  }
  if (m && want == INRO_ERR_TRAP)
    return expect_trap(s, cmd, &err, INRO_TRAP_NONE);
  if (m && err.kind == want) return SPEC_PASS;
  if (err.kind == INRO_ERR_UNSUPPORTED) {
    snprintf(s->why, sizeof s->why, "unsupported: %s", err.message);
    return SPEC_UNSUPPORTED;
  }
  spec_describe_err(&err, what, sizeof what);
  snprintf(s->why, sizeof s->why, "expected %s (%s), got %s%s",
           spec_kind_name(want), text_of(cmd),
           m ? "" : "a load failure: ", what);
  return SPEC_FAIL;
}

spec_outcome spec_assert_unlinkable(spec_script *s, const json_value *cmd) {
  return expect_instantiate_error(s, cmd, INRO_ERR_LINK);
}

spec_outcome spec_assert_uninstantiable(spec_script *s,
                                        const json_value *cmd) {
  return expect_instantiate_error(s, cmd, INRO_ERR_TRAP);
}

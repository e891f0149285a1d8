/*
** spec_script.c -- runs the commands of one wast2json script.
**
** The commands of a script share one state: a fresh store, a linker that
** holds "spectest" and every registered module, the named instances
** ("$M1" -> instance) and the current (most recent) instance.  Each command
** handler returns an outcome and, on failure or skip, a one-line reason in
** s->why.
**
** This file holds that state (see spec.h), the commands that change it
** (module, module definitions and instances, register) and the loop over
** a script's commands; the actions and assertions are in spec_assert.c.
**
** A module that fails to load or instantiate never becomes current, named
** or registered.  Its name (and "current") are bound to "failed" instead,
** so later commands that use it fail with that reason rather than quietly
** running against an older module.  A module that fails because it needs
** a feature inro does not have (GC: INRO_ERR_UNSUPPORTED) counts as
** unsupported, and so does every command that uses it.
**
** Every decoded module is kept until the store is freed: even a failed
** instantiation may have left functions of the module in a shared table.
*/
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/spec.h"
#include "platform/platform.h"

spec_outcome spec_fail(spec_script *s, const char *fmt, const char *arg) {
  snprintf(s->why, sizeof s->why, fmt, arg);
  return SPEC_FAIL;
}

spec_outcome spec_skip(spec_script *s, const char *why) {
  snprintf(s->why, sizeof s->why, "%s", why);
  return SPEC_SKIP;
}

const char *spec_kind_name(inro_error_kind kind) {
  static const char *const names[] = {
    "ok", "malformed", "invalid", "link error", "trap", "exit",
    "out of memory", "I/O error", "bad argument", "unsupported"};
  return (size_t)kind < sizeof names / sizeof names[0] ? names[kind]
                                                       : "unknown error";
}

void spec_describe_err(const inro_error *err, char *buf, size_t len) {
  if (err->kind == INRO_ERR_TRAP)
    snprintf(buf, len, "trap \"%s\" (%s)", inro_trap_message(err->trap),
             err->message);
  else
    snprintf(buf, len, "%s (%s)", spec_kind_name(err->kind), err->message);
}

/* ----------------------------------------------------------- bookkeeping */

static int grow(void **vec, size_t *cap, size_t count, size_t size) {
  if (count < *cap) return 1;
  size_t ncap = *cap ? *cap * 2 : 16;
  void *bigger = realloc(*vec, ncap * size);
  if (!bigger) return 0;
  *vec = bigger;
  *cap = ncap;
  return 1;
}

static int keep_module(spec_script *s, inro_module *m) {
  if (!grow((void **)&s->modules, &s->capmodules, s->nmodules,
            sizeof *s->modules)) {
    inro_module_free(m);
    return 0;
  }
  s->modules[s->nmodules++] = m;
  return 1;
}

static spec_binding *bind(spec_script *s, const char *name, inro_instance *inst) {
  for (size_t i = 0; i < s->nnames; i++)
    if (!strcmp(s->names[i].name, name)) {
      s->names[i].inst = inst;
      s->names[i].module = NULL;
      s->names[i].unsupported = 0;
      return &s->names[i];
    }
  size_t n = strlen(name) + 1;
  char *copy = malloc(n);
  if (!copy || !grow((void **)&s->names, &s->capnames, s->nnames,
                     sizeof *s->names)) {
    free(copy);
    return 0;
  }
  memcpy(copy, name, n);
  spec_binding *b = &s->names[s->nnames++];
  b->name = copy;
  b->inst = inst;
  b->module = NULL;
  b->unsupported = 0;
  return b;
}

static spec_binding *find_name(spec_script *s, const char *name) {
  for (size_t i = 0; i < s->nnames; i++)
    if (!strcmp(s->names[i].name, name)) return &s->names[i];
  return NULL;
}

spec_outcome spec_no_target(spec_script *s) {
  return s->target_unsupported ? SPEC_UNSUPPORTED : SPEC_FAIL;
}

inro_instance *spec_target(spec_script *s, const char *name) {
  s->target_unsupported = 0;
  if (!name) {
    if (!s->current) {
      spec_fail(s, "%s",
                s->seen_module ? "the current module failed to load"
                               : "no module loaded yet");
      s->target_unsupported = s->current_unsupported;
    }
    return s->current;
  }
  spec_binding *b = find_name(s, name);
  if (!b) {
    spec_fail(s, "unknown module %s", name);
    return NULL;
  }
  if (!b->inst) {
    spec_fail(s, "module %s failed to load", name);
    s->target_unsupported = b->unsupported;
  }
  return b->inst;
}

inro_module *spec_load(spec_script *s, const json_value *cmd,
                       inro_error *err) {
  const char *file = json_get_string(cmd, "filename");
  inro_error_clear(err);
  if (!file) {
    err->kind = INRO_ERR_IO;
    snprintf(err->message, sizeof err->message, "command has no filename");
    return NULL;
  }
  size_t flen = strlen(file);
  char *path = malloc(s->dirlen + flen + 1), why[128];
  uint8_t *bytes = NULL;
  size_t size = 0;
  if (path) {
    memcpy(path, s->dir, s->dirlen);
    memcpy(path + s->dirlen, file, flen + 1);
    bytes = plat_read_file(path, &size, why, sizeof why);
  } else {
    snprintf(why, sizeof why, "out of memory");
  }
  free(path);
  if (!bytes) {
    err->kind = INRO_ERR_IO;
    snprintf(err->message, sizeof err->message, "cannot read %s: %s", file,
             why);
    return NULL;
  }
  inro_module *m = inro_module_new(bytes, size, err);
  free(bytes);
  if (m && !keep_module(s, m)) {
    err->kind = INRO_ERR_NOMEM;
    snprintf(err->message, sizeof err->message, "out of memory");
    return NULL;
  }
  return m;
}

/* ------------------------------------------------------------- commands */

/* A module becomes current (and named): inst, or NULL after err. */
static spec_outcome set_current(spec_script *s, const char *name, inro_instance *inst,
                                int loaded, const inro_error *err) {
  spec_binding *b = NULL;
  s->current = inst;
  s->seen_module = 1;
  s->current_unsupported = !inst && err->kind == INRO_ERR_UNSUPPORTED;
  if (name && !(b = bind(s, name, inst))) return spec_fail(s, "%s", "out of memory");
  if (inst) return SPEC_PASS;
  if (b) b->unsupported = s->current_unsupported;
  char what[400];
  spec_describe_err(err, what, sizeof what);
  snprintf(s->why, sizeof s->why, "%s failed: %s", loaded ? "instantiation" : "loading",
           what);
  return s->current_unsupported ? SPEC_UNSUPPORTED : SPEC_FAIL;
}

/* A module, or with "definition" a module definition: decoded and
** validated, kept under its name for module_instance, not instantiated. */
static spec_outcome cmd_module(spec_script *s, const json_value *cmd) {
  const char *name = json_get_string(cmd, "name");
  const char *def = json_get_string(cmd, "definition");
  inro_error err;
  inro_instance *inst = NULL;
  inro_module *m = spec_load(s, cmd, &err);
  if (def && !strcmp(def, "true")) {
    spec_binding *b = name ? bind(s, name, NULL) : NULL;
    if (name && !b) return spec_fail(s, "%s", "out of memory");
    if (b) {
      b->module = m;
      b->unsupported = !m && err.kind == INRO_ERR_UNSUPPORTED;
    }
    if (m) return SPEC_PASS;
    char what[400];
    spec_describe_err(&err, what, sizeof what);
    snprintf(s->why, sizeof s->why, "loading failed: %s", what);
    return err.kind == INRO_ERR_UNSUPPORTED ? SPEC_UNSUPPORTED : SPEC_FAIL;
  }
  if (m) inst = inro_linker_instantiate(s->linker, s->store, m, &err);
  return set_current(s, name, inst, m != NULL, &err);
}

/* module_instance: instantiate the definition "module" as "instance". */
static spec_outcome cmd_module_instance(spec_script *s, const json_value *cmd) {
  const char *module = json_get_string(cmd, "module");
  spec_binding *def = module ? find_name(s, module) : NULL;
  inro_error err;
  if (!def || (!def->module && !def->unsupported))
    return spec_fail(s, "no module definition %s", module ? module : "(none)");
  if (!def->module) {
    inro_error_clear(&err);
    err.kind = INRO_ERR_UNSUPPORTED;
    snprintf(err.message, sizeof err.message, "its definition is not supported");
    return set_current(s, json_get_string(cmd, "instance"), NULL, 0, &err);
  }
  inro_instance *inst = inro_linker_instantiate(s->linker, s->store, def->module, &err);
  return set_current(s, json_get_string(cmd, "instance"), inst, 1, &err);
}

static spec_outcome cmd_register(spec_script *s, const json_value *cmd) {
  const char *as = json_get_string(cmd, "as");
  inro_error err;
  if (!as) return spec_fail(s, "%s", "register without \"as\"");
  inro_instance *inst = spec_target(s, json_get_string(cmd, "name"));
  if (!inst) return spec_no_target(s);
  if (!inro_linker_define_instance(s->linker, as, inst, &err))
    return spec_fail(s, "register failed: %s", err.message);
  return SPEC_NONE;
}

static const struct {
  const char *type;
  spec_command run;
} handlers[] = {
  {"module", cmd_module},
  {"module_instance", cmd_module_instance},
  {"register", cmd_register},
  {"assert_exception", spec_assert_exception},
  {"assert_malformed_custom", spec_assert_custom},
  {"assert_invalid_custom", spec_assert_custom},
  {"action", spec_action},
  {"assert_return", spec_assert_return},
  {"assert_trap", spec_assert_trap},
  {"assert_exhaustion", spec_assert_exhaustion},
  {"assert_invalid", spec_assert_invalid},
  {"assert_malformed", spec_assert_malformed},
  {"assert_unlinkable", spec_assert_unlinkable},
  {"assert_uninstantiable", spec_assert_uninstantiable},
};

/* ------------------------------------------------------------ the script */

/* snprintf at buf + *n, advancing *n but never past len. */
static void append(char *buf, size_t len, size_t *n, const char *fmt, ...) {
  va_list ap;
  if (*n >= len) return;
  va_start(ap, fmt);
  int k = vsnprintf(buf + *n, len - *n, fmt, ap);
  va_end(ap);
  *n = k < 0 ? len : *n + (size_t)k;
}

/* What a command is about, for failure lines: `field(type:value, ...)` for
** actions, the module file or registered name otherwise.  Bytes outside
** printable ASCII in export names are shown as \xNN. */
static void describe_command(const json_value *cmd, char *buf, size_t len) {
  const json_value *act = json_get(cmd, "action");
  const json_value *field = json_get(act, "field");
  const json_value *args = json_get(act, "args");
  size_t n = 0;
  buf[0] = '\0';
  if (!field || field->type != JSON_STRING) {
    const char *file = json_get_string(cmd, "filename");
    const char *as = json_get_string(cmd, "as");
    append(buf, len, &n, "%s", file ? file : as ? as : "");
    return;
  }
  for (size_t i = 0; i < field->length; i++) {
    unsigned char ch = (unsigned char)field->string[i];
    append(buf, len, &n, ch >= 0x20 && ch < 0x7f ? "%c" : "\\x%02x",
           (unsigned)ch);
  }
  append(buf, len, &n, "(");
  for (size_t i = 0; i < json_array_len(args); i++) {
    const char *t = json_get_string(json_at(args, i), "type");
    const char *v = json_get_string(json_at(args, i), "value");
    append(buf, len, &n, "%s%s:%s", i ? ", " : "", t ? t : "?", v ? v : "?");
  }
  append(buf, len, &n, ")");
}

static void run_command(spec_script *s, const json_value *cmd,
                        const char *file, int verbose, spec_counts *counts) {
  const char *type = json_get_string(cmd, "type");
  spec_outcome o = SPEC_FAIL;
  long line = 0;
  json_get_long(cmd, "line", &line);
  spec_fail(s, "unknown command type \"%s\"", type ? type : "");
  for (size_t i = 0; type && i < sizeof handlers / sizeof handlers[0]; i++)
    if (!strcmp(type, handlers[i].type)) o = handlers[i].run(s, cmd);
  if (o == SPEC_PASS) counts->passed++;
  if (o == SPEC_SKIP) counts->skipped++;
  if (o == SPEC_UNSUPPORTED) counts->unsupported++;
  if (o != SPEC_FAIL) return;
  counts->failed++;
  if (verbose) {
    char what[300];
    describe_command(cmd, what, sizeof what);
    printf("%s:%ld: %s %s: %s\n", file, line, type ? type : "?", what,
           s->why);
  }
}

/* file: where the name starts in json_path, after its folder. */
static int script_open(spec_script *s, const char *json_path,
                       const char *file, inro_error *err) {
  inro_config config = {0, 0};
  memset(s, 0, sizeof *s);
  s->dir = json_path;
  s->dirlen = (size_t)(file - json_path);
  s->store = inro_store_new(&config, err);
  if (!s->store || !(s->linker = inro_linker_new(err))) return 0;
  return spectest_define(s->linker, s->store, err);
}

static void script_close(spec_script *s) {
  if (s->linker) inro_linker_free(s->linker);
  if (s->store) inro_store_free(s->store);
  for (size_t i = 0; i < s->nmodules; i++) inro_module_free(s->modules[i]);
  for (size_t i = 0; i < s->nnames; i++) free(s->names[i].name);
  free(s->modules);
  free(s->names);
}

void spec_run_script(const char *json_path, const char *label, int verbose,
                     spec_counts *total) {
  spec_counts counts = {0, 0, 0, 0};
  const char *file = json_path;
  for (const char *p = json_path; *p; p++)
    if (*p == '/' || *p == '\\') file = p + 1;
  char why[256];
  size_t len;
  json_value *root = NULL;
  uint8_t *text = plat_read_file(json_path, &len, why, sizeof why);
  int readable = text != NULL;
  if (text) root = json_parse((const char *)text, len, why, sizeof why);
  free(text);
  const json_value *commands = json_get(root, "commands");
  if (!readable) {
    cli_error("%s: cannot read: %s", json_path, why);
  } else if (!root) {
    cli_error("%s: bad JSON: %s", json_path, why);
  } else if (!commands || commands->type != JSON_ARRAY) {
    cli_error("%s: no \"commands\" array", json_path);
  } else {
    spec_script s;
    inro_error err;
    inro_error_clear(&err);
    if (script_open(&s, json_path, file, &err)) {
      for (size_t i = 0; i < commands->count; i++)
        run_command(&s, &commands->items[i], label, verbose, &counts);
    } else {
      cli_error("%s: cannot set up the spectest module: %s", json_path,
                err.message);
      counts.failed++;
    }
    script_close(&s);
  }
  if (!commands || commands->type != JSON_ARRAY) counts.failed++;
  json_free(root);
  printf("%s: %ld passed, %ld failed, %ld skipped, %ld unsupported\n", label,
         counts.passed, counts.failed, counts.skipped, counts.unsupported);
  fflush(stdout);
  total->passed += counts.passed;
  total->failed += counts.failed;
  total->skipped += counts.skipped;
  total->unsupported += counts.unsupported;
}

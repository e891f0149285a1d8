/*
** run.c -- `inro run`: run a WASI command, or invoke one export, with a
** command line modelled on wasmtime's:
**
**   inro run [OPTIONS] MODULE.wasm [ARGS...]
**
** Options stop at the module path; what follows goes to the guest (or,
** with --invoke, is parsed as the export's arguments).  The exit status is
** the guest's (see cli.h for the shared conventions).
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/checkpoint.h"
#include "cli/entry.h"
#include "cli/cli.h"
#include "monitor/monitor.h"
#include "wasi/wasi.h"

static const char run_help[] =
  "usage: inro run [OPTIONS] MODULE.wasm [ARGS...]\n"
  "\n"
  "Run a WASI command: instantiate MODULE with WASI preview 1\n"
  "(wasi_snapshot_preview1) and call its _start export.  ARGS are the\n"
  "guest's arguments; its argv[0] is MODULE as written.  A module without\n"
  "_start is only instantiated (its start function runs).\n"
  "\n"
  "options (they end at MODULE; `--` ends them early):\n"
  "  --dir HOST[::GUEST]   let the guest use host directory HOST under the\n"
  "                        name GUEST (default: HOST itself); repeatable.\n"
  "                        The guest sees nothing else: `..`, absolute\n"
  "                        paths and symlinks cannot leave a directory.\n"
  "  --env NAME=VALUE      set a guest environment variable; repeatable.\n"
  "                        `--env NAME` passes the host's value of NAME.\n"
  "                        The guest gets no other variables.\n"
  "  --invoke NAME         call export NAME instead of _start; ARGS are its\n"
  "                        arguments, parsed by its parameter types\n"
  "                        (decimal or 0x hex integers, floats such as 1.5,\n"
  "                        inf, nan; a v128 as SHAPE:LANE,... such as\n"
  "                        i32x4:1,2,3,4 or f32x4:0.5,1,-2,nan), and each\n"
  "                        result is printed on its own line as TYPE:VALUE,\n"
  "                        e.g. i32:42, f64:1.5, v128:i32x4:0x1,... (hex)\n"
  "  --argv0 NAME          the guest's argv[0] instead of MODULE\n"
  "  --monitor NAME[,NAME...]  observe the run and report at its end (on\n"
  "                        stderr): count, calls, coverage, memory,\n"
  "                        profile, branches, trace (trace=FUNC: one\n"
  "                        function only); NAME@START..END observes only\n"
  "                        executed instructions START to END; repeatable\n"
  "  --monitor-out FILE    write the reports to FILE as JSON instead; one\n"
  "                        monitor may write its own format there, given\n"
  "                        as NAME:FORMAT (the others report on stderr):\n"
  "                        coverage:lcov (an lcov tracefile, for genhtml),\n"
  "                        profile:folded (for flamegraph.pl; also when\n"
  "                        FILE ends in .folded), profile:speedscope,\n"
  "                        trace:chrome (Chrome trace events, for Perfetto)\n"
  "                        (docs/instrumentation.md)\n"
  "  -h, --help            show this help\n"
  "\n"
  "A module that exports _initialize (a WASI reactor) has it called first.\n"
  "\n"
  "exit status:\n"
  "  the guest's proc_exit code, or 0 when _start (or NAME) returns\n"
  "  1    unreadable, malformed, invalid or unlinkable module;\n"
  "       a --dir that cannot be opened\n"
  "  2    usage error\n"
  "  134  the guest trapped: `inro: trap: REASON` and a wasm backtrace\n"
  "       are printed on stderr\n";

typedef struct run_opts {
  const char **dirs;
  size_t ndirs;
  const char **envs;
  size_t nenvs;
  const char *invoke;
  const char *argv0;
  const char **monitors;
  size_t nmonitors;
  const char *monitor_out;
  ckpt_opts ck;
  const char *module;
  char **args;  /* after the module path */
  int nargs;
} run_opts;

/* ---------------------------------------------------------- command line */

static int run_usage(const char *fmt, const char *what) {
  fputs("inro: ", stderr);
  fprintf(stderr, fmt, what);
  fputs(" (try: inro run --help)\n", stderr);
  return 2;
}

/* 0 = go on, else the exit status to return (-1: help was printed). */
static int run_parse(int argc, char **argv, run_opts *o) {
  static const char *const valued[] = {"--dir", "--env", "--invoke",
                                       "--argv0", "--monitor",
                                       "--monitor-out"};
  int i = 1;
  for (; i < argc && argv[i][0] == '-'; i++) {
    const char *a = argv[i];
    if (!strcmp(a, "--")) {
      i++;
      break;
    }
    if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
      fputs(run_help, stdout);
      fputs("\n", stdout);
      fputs(ckpt_help, stdout);
      return -1;
    }
    int ck = ckpt_parse_option(&o->ck, argc, argv, &i);
    if (ck < 0) return 2;
    if (ck > 0) continue;
    size_t k = 0, len = 0;
    for (; k < sizeof valued / sizeof valued[0]; k++) {
      len = strlen(valued[k]);
      if (!strncmp(a, valued[k], len) && (a[len] == 0 || a[len] == '='))
        break;
    }
    if (k == sizeof valued / sizeof valued[0])
      return run_usage("unknown option '%s'", a);
    const char *value = a[len] == '=' ? a + len + 1 : NULL;
    if (!value) {
      if (i + 1 >= argc) return run_usage("%s needs a value", valued[k]);
      value = argv[++i];
    }
    switch (k) {
    case 0: o->dirs[o->ndirs++] = value; break;
    case 1: o->envs[o->nenvs++] = value; break;
    case 2: o->invoke = value; break;
    case 3: o->argv0 = value; break;
    case 4: o->monitors[o->nmonitors++] = value; break;
    default: o->monitor_out = value; break;
    }
  }
  if (i >= argc) return run_usage("%s", "missing MODULE.wasm");
  o->module = argv[i];
  o->args = argv + i + 1;
  o->nargs = argc - i - 1;
  return 0;
}

/* The guest's view of the world from the options; 0 or an exit status. */
static int run_setup_wasi(const run_opts *o, wasi_state *st) {
  int rc = wasi_add_arg(st, o->argv0 ? o->argv0 : o->module);
  for (int i = 0; i < o->nargs && !rc; i++) rc = wasi_add_arg(st, o->args[i]);
  for (size_t i = 0; i < o->nenvs && !rc; i++) {
    const char *e = o->envs[i];
    if (strchr(e, '=')) {
      rc = wasi_add_env(st, e);
      continue;
    }
    const char *host = getenv(e);  /* --env NAME: inherit, if set */
    if (!host) continue;
    char *kv = malloc(strlen(e) + strlen(host) + 2);
    if (!kv) rc = PLAT_ENOMEM;
    else {
      sprintf(kv, "%s=%s", e, host);
      rc = wasi_add_env(st, kv);
      free(kv);
    }
  }
  if (rc) {
    cli_error("out of memory");
    return 1;
  }
  for (size_t i = 0; i < o->ndirs; i++) {
    const char *spec = o->dirs[i], *sep = strstr(spec, "::");
    size_t hlen = sep ? (size_t)(sep - spec) : strlen(spec);
    char *host = malloc(hlen + 1);
    if (!host) {
      cli_error("out of memory");
      return 1;
    }
    memcpy(host, spec, hlen);
    host[hlen] = 0;
    rc = hlen && (!sep || sep[2]) ? wasi_preopen(st, host, sep ? sep + 2 : host)
                                  : -1;
    if (rc == -1) {
      free(host);
      return run_usage("bad --dir '%s' (want HOST[::GUEST])", spec);
    }
    if (rc) cli_error("--dir %s: cannot open directory (%s)", host,
                      wasi_errno_name(rc));
    free(host);
    if (rc) return 1;
  }
  return 0;
}

/* ------------------------------------------------------------- execution */

/* The checkpointing of this run, if any options asked for it. */
static ckpt *run_ckpt;

/* The exit status for the outcome of instantiating or calling; a run
** stopped by its checkpoint is not a trap. */
static int run_outcome(inro_store *store, int ok, const inro_error *err,
                       const char *module) {
  return ckpt_outcome(run_ckpt, store, ok, err, module);
}

/* A reactor's `_initialize`, if the module exports one, into *status; a
** snapshot taken while it runs records the entry call still to come.  0
** without memory for that record (after a one-line error). */
static int run_initialize(inro_store *store, inro_instance *inst, const entry_call *entry,
                          const char *module, int *status) {
  inro_extern ext;
  if (!inro_instance_export(inst, "_initialize", &ext) || ext.kind != INRO_EXTERN_FUNC)
    return 1;
  if (run_ckpt && !ckpt_then(run_ckpt, entry)) {
    cli_error("out of memory");
    *status = 1;
    return 0;
  }
  inro_error err;
  inro_error_clear(&err);
  fflush(stdout);
  int ok = inro_call(store, ext.of.func, NULL, 0, NULL, 0, &err);
  *status = run_outcome(store, ok, &err, module);
  if (run_ckpt) ckpt_then(run_ckpt, NULL);
  return 1;
}

/* ------------------------------------------------------------- monitors */

/* The set of --monitor values; empty with --control, whose "on NAME" lines
** add monitors while the run goes on; NULL if neither.  0 or a usage error
** status. */
static int run_monitors(const run_opts *o, monitor_set **set) {
  char why[200];
  *set = NULL;
  if (!o->nmonitors && !o->ck.control) {
    if (o->monitor_out) return run_usage("%s", "--monitor-out needs --monitor or --control");
    return 0;
  }
  if (!(*set = monitor_set_new())) {
    cli_error("out of memory");
    return 1;
  }
  for (size_t i = 0; i < o->nmonitors; i++)
    if (monitor_set_add(*set, o->monitors[i], why, sizeof why))
      return run_usage("--monitor: %s", why);
  if (monitor_set_check_output(*set, o->monitor_out, why, sizeof why))
    return run_usage("--monitor: %s", why);
  return 0;
}

/* Report at the end of the run, whatever its outcome. */
static int run_report(monitor_set *mon, const run_opts *o, int status) {
  char why[200];
  fflush(stdout);
  if (monitor_set_report(mon, o->monitor_out, stderr, why, sizeof why) == 0)
    return status;
  cli_error("%s", why);
  return status ? status : 1;
}

static int run_module(const run_opts *o, wasi_state *st, monitor_set *mon) {
  size_t size;
  uint8_t *bytes = cli_read_file(o->module, &size);
  if (!bytes) return 1;
  inro_error err;
  inro_error_clear(&err);
  inro_module *mod = inro_module_new(bytes, size, &err);
  free(bytes);
  if (!mod) {
    cli_error("%s: %s", o->module, err.message);
    return 1;
  }
  int status = 1;
  inro_store *store = inro_store_new(NULL, &err);
  inro_linker *linker = inro_linker_new(NULL);
  inro_instance *inst = NULL;
  if (!store || !linker) {
    cli_error("out of memory");
  } else if (!wasi_define(st, store, linker, &err)) {
    cli_error("%s", err.message);
  } else {
    inst = inro_linker_instantiate(linker, store, mod, &err);
    status = run_outcome(store, inst != NULL, &err, o->module);
  }
  if (inst && mon && !monitor_set_attach(mon, inst, mod, &err)) {
    cli_error("--monitor: %s", err.message);
    status = 1;
    mon = NULL;
    inst = NULL;
  }
  if (inst && ckpt_wanted(&o->ck)) {
    run_ckpt = ckpt_new(&o->ck, st, mon, o->invoke ? o->invoke : "_start");
    if (!run_ckpt || !ckpt_attach(run_ckpt, store, inst, &err)) {
      cli_error("%s", run_ckpt ? err.message : "out of memory");
      status = 1;
      inst = NULL;
    }
  }
  entry_call entry = {o->invoke ? o->invoke : "_start", o->invoke != NULL,
                      o->invoke ? o->args : NULL, o->invoke ? o->nargs : 0, 0};
  if (inst && !run_initialize(store, inst, &entry, o->module, &status)) inst = NULL;
  if (inst && status == 0) status = entry_run(&entry, run_ckpt, store, inst, o->module);
  if (ckpt_failed(run_ckpt) && status == 0) status = 1;
  /* Stopped at a checkpoint: the restored run reports for the whole run. */
  if (mon && !ckpt_stopped(run_ckpt)) {
    if (status == 134) monitor_set_trapped(mon, store);
    status = run_report(mon, o, status);
  }
  ckpt_free(run_ckpt);
  run_ckpt = NULL;
  if (linker) inro_linker_free(linker);
  if (store) inro_store_free(store);
  inro_module_free(mod);
  return status;
}

int cli_run(int argc, char **argv) {
  run_opts o;
  memset(&o, 0, sizeof o);
  /* Every option takes at most one slot, so argc bounds every list. */
  o.dirs = calloc((size_t)argc, sizeof *o.dirs);
  o.envs = calloc((size_t)argc, sizeof *o.envs);
  o.monitors = calloc((size_t)argc, sizeof *o.monitors);
  wasi_state *st = wasi_new();
  monitor_set *mon = NULL;
  int status;
  if (!o.dirs || !o.envs || !o.monitors || !st) {
    cli_error("out of memory");
    status = 1;
  } else {
    status = run_parse(argc, argv, &o);
    if (status == 0) status = ckpt_start(&o.ck);
    if (status == -1) status = 0;
    else if (status == 0 && (status = run_monitors(&o, &mon)) == 0 &&
             (status = run_setup_wasi(&o, st)) == 0)
      status = run_module(&o, st, mon);
  }
  monitor_set_free(mon);
  wasi_free(st);
  free(o.dirs);
  free(o.envs);
  free(o.monitors);
  return status;
}

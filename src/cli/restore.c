/*
** restore.c -- `inro restore [OPTIONS] SNAPSHOT`: resume a checkpointed
** run, here or on another host, native or self-hosted; SNAPSHOT may be
** `-` (standard input, which the guest then reads on from where the
** snapshot ends).  `inro listen [OPTIONS] [HOST:]PORT`: the receiving end
** of a live migration over TCP, the same restore from a connection, which
** answers the sender before resuming (cli/migrate.h).
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/checkpoint.h"
#include "cli/entry.h"
#include "cli/cli.h"
#include "cli/migrate.h"

static const char restore_help[] =
  "usage: inro restore [OPTIONS] SNAPSHOT\n"
  "\n"
  "Resume a run checkpointed by `inro run --snapshot ...`: the module (from\n"
  "the snapshot, or --module), its memory, globals, tables, frames, the WASI\n"
  "state (arguments, environment, preopened directories, open files at\n"
  "their offsets) and the monitors' counters.  Output continues where the\n"
  "checkpointed run stopped.\n"
  "\n"
  "Directories: the restored guest gets only those granted here, as for\n"
  "inro run: each preopen the snapshot needs must be given with --dir (the\n"
  "host paths a snapshot names are not trusted, unless\n"
  "--trust-snapshot-dirs says so).  See docs/snapshot-format.md.\n"
  "\n"
  "options:\n"
  "  --dir HOST[::GUEST]    grant host directory HOST as the guest's\n"
  "                         preopen GUEST (default: HOST itself), where the\n"
  "                         run had it or elsewhere; repeatable.  A grant\n"
  "                         the snapshot does not need is ignored\n"
  "  --trust-snapshot-dirs  reopen the host directories the snapshot names\n"
  "                         for the preopens not granted with --dir\n"
  "  --module PATH          the module, for snapshots taken with\n"
  "                         --snapshot-module=ref (its SHA-256 must match)\n"
  "  --force                restore even if a file open in the snapshot is\n"
  "                         now shorter than its saved offset\n"
  "  --monitor-out FILE     where the monitors report (as for inro run)\n"
  "  -h, --help             show this help\n"
  "SNAPSHOT - reads standard input: a snapshot, or the migration stream of\n"
  "`inro run --migrate-to -`, through a pipe.  A stream cut short or\n"
  "corrupted is refused before anything resumes.\n"
  "and the checkpoint options of `inro run` (checkpoint again later):\n"
  "\n";

static const char listen_help[] =
  "usage: inro listen [OPTIONS] [HOST:]PORT\n"
  "\n"
  "Receive a live migration (`inro run --migrate-to HOST:PORT`, see\n"
  "docs/migration.md): wait for one connection on PORT, read the memory\n"
  "sent while the program still runs at the source, then its final state;\n"
  "answer the source, and resume the program here.  Nothing resumes if the\n"
  "stream is cut or corrupted, or the state cannot be set up (then the\n"
  "source goes on).  HOST limits the address listened on (default: all).\n"
  "\n"
  "options: those of `inro restore` (--dir grants the directories), and\n"
  "  --port-file FILE       once listening, write the port number to FILE\n"
  "                         (useful with PORT 0: any free port)\n"
  "\n";

typedef struct restore_opts {
  wasi_remap_entry *remaps;
  size_t nremaps;
  const char *module, *monitor_out, *snapshot;
  int force, trust_dirs;
  ckpt_opts ck;
  const char *command;   /* "restore" or "listen" */
  const char *port_file; /* listen --port-file */
  int whole_file;        /* the snapshot is a file: nothing may follow it */
  double started;        /* ms, monotonic */
} restore_opts;

static int usage(const char *what) {
  cli_error("restore: %s (try: inro restore --help)", what);
  return 2;
}

static int parse(int argc, char **argv, restore_opts *o) {
  int listening = !strcmp(o->command, "listen");
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
      fputs(listening ? listen_help : restore_help, stdout);
      fputs(ckpt_help, stdout);
      return -1;
    }
    if (listening && !strcmp(a, "--port-file")) {
      if (i + 1 >= argc) return usage("an option needs a value");
      o->port_file = argv[++i];
      continue;
    }
    if (!strcmp(a, "--force")) {
      o->force = 1;
      continue;
    }
    if (!strcmp(a, "--trust-snapshot-dirs")) {
      o->trust_dirs = 1;
      continue;
    }
    int r = ckpt_parse_option(&o->ck, argc, argv, &i);
    if (r < 0) return 2;
    if (r > 0) continue;
    static const char *const valued[] = {"--dir", "--module", "--monitor-out"};
    size_t k = 0, len = 0;
    for (; k < sizeof valued / sizeof valued[0]; k++) {
      len = strlen(valued[k]);
      if (!strncmp(a, valued[k], len) && (a[len] == 0 || a[len] == '=')) break;
    }
    if (k < sizeof valued / sizeof valued[0]) {
      char *v = a[len] == '=' ? argv[i] + len + 1 : NULL;
      if (!v) {
        if (i + 1 >= argc) return usage("an option needs a value");
        v = argv[++i];
      }
      if (k == 0) {
        char *sep = strstr(v, "::");
        if (sep == v || (sep && !sep[2])) return usage("--dir wants HOST[::GUEST]");
        if (sep) *sep = 0; /* argv's strings are ours to cut: HOST ends there */
        o->remaps[o->nremaps].host = v;
        o->remaps[o->nremaps].guest = sep ? sep + 2 : v;
        o->nremaps++;
      } else if (k == 1) {
        o->module = v;
      } else {
        o->monitor_out = v;
      }
      continue;
    }
    if (a[0] == '-' && a[1]) {
      cli_error("%s: unknown option '%s' (try: inro %s --help)", o->command, a, o->command);
      return 2;
    }
    if (o->snapshot) return usage(listening ? "one port at a time" : "one snapshot at a time");
    o->snapshot = a;
  }
  if (!o->snapshot) return usage(listening ? "missing [HOST:]PORT" : "missing SNAPSHOT");
  return 0;
}

/* The answer to a migration's source, given once: whether this side
** resumes the program (cli/migrate.h). */
typedef struct handover {
  cli_stream *peer; /* NULL: nobody to answer */
  int answered;
  double stopped;   /* the source's stop, ms on the real-time clock; 0 */
  int timing;
  double started;   /* the command's start (or the connection's), ms */
} handover;

static void answer(handover *h, int resuming) {
  if (!h->peer || h->answered) return;
  h->answered = 1;
  inro_iovec v = {resuming ? MIGRATE_ACK_OK : MIGRATE_ACK_NO, MIGRATE_ACK_LEN};
  cli_stream_write(h->peer, &v, 1); /* nobody to tell if this fails */
}

/* Everything is in place and checked: the guest's first instruction is
** next. */
static void ready(void *env) {
  handover *h = env;
  answer(h, 1);
  if (h->timing) {
    ckpt_timing("restore: resumed %.1f ms after the %s (%.1f ms of CPU time)",
                cli_clock_ms(CLI_CLOCK_MONO) - h->started,
                h->peer ? "connection came" : "command started", cli_clock_ms(CLI_CLOCK_CPU));
    if (h->stopped > 0)
      ckpt_timing("migration: downtime %.1f ms (from the source's stop to resuming here)",
                  cli_clock_ms(CLI_CLOCK_REAL) - h->stopped);
  }
}

static int resume(restore_opts *o, inro_snapshot *snap, inro_module *mod,
                  wasi_state *wasi, monitor_set *mon, const char *entry,
                  handover *h) {
  inro_error err;
  inro_error_clear(&err);
  inro_store *store = inro_store_new(NULL, &err);
  inro_linker *linker = inro_linker_new(NULL);
  inro_extern *imports = NULL;
  inro_value *res = NULL;
  ckpt *ck = NULL;
  int status = 1;
  /* Taken in a reactor's _initialize: the entry call is still to come. */
  entry_call then = {NULL, 0, NULL, 0, 0};
  size_t nthen = 0;
  const uint8_t *then_bytes = inro_snapshot_section_get(snap, CKPT_SEC_THEN, &nthen);
  if (then_bytes && !entry_load(&then, entry, then_bytes, nthen)) {
    cli_error("%s: malformed section 0x%x (the call after _initialize)", o->snapshot,
              CKPT_SEC_THEN);
    goto done;
  }
  if (!store || !linker || !wasi_define(wasi, store, linker, &err)) {
    cli_error("%s", store && linker ? err.message : "out of memory");
    goto done;
  }
  imports = inro_linker_resolve(linker, mod, &err);
  if (!imports) {
    cli_error("%s: %s", o->snapshot, err.message);
    goto done;
  }
  inro_instance *inst = inro_snapshot_restore_move(store, snap, mod, imports,
                                                   inro_module_import_count(mod), &err);
  if (!inst) {
    cli_error("%s: %s", o->snapshot, err.message);
    goto done;
  }
  /* Attached also when empty if a --control file may turn monitors on. */
  if ((monitor_set_active(mon) || o->ck.control) &&
      !monitor_set_attach(mon, inst, mod, &err)) {
    cli_error("monitor: %s", err.message);
    goto done;
  }
  ck = ckpt_new(&o->ck, wasi, mon, entry);
  if (ck) ckpt_resume_control(ck, snap);
  if (!ck || !ckpt_attach(ck, store, inst, &err) || (then_bytes && !ckpt_then(ck, &then))) {
    cli_error("%s", ck && err.kind != INRO_OK ? err.message : "out of memory");
    goto done;
  }
  /* A run of `inro run --invoke NAME` prints NAME's results at its end,
  ** after a restore too (for a command, _start has none). */
  inro_extern ext;
  size_t nres = 0;
  if (inro_instance_export(inst, entry, &ext) && ext.kind == INRO_EXTERN_FUNC)
    nres = inro_func_result_count(ext.of.func);
  res = calloc(nres + 1, sizeof *res);
  if (!res) {
    cli_error("out of memory");
    goto done;
  }
  fflush(stdout);
  h->timing = o->ck.timing;
  h->started = o->started;
  int ok = inro_snapshot_resume_ready(store, inst, snap, res, nres, ready, h, &err);
  for (size_t i = 0; ok && i < nres; i++)
    if (res[i].type) cli_print_value(&res[i]); /* set, as the frame had it */
  status = ckpt_outcome(ck, store, ok, &err, o->snapshot);
  int trapped = err.kind == INRO_ERR_TRAP;
  if (ok && then_bytes) { /* _initialize returned: the entry call */
    ckpt_then(ck, NULL);
    status = entry_run(&then, ck, store, inst, o->snapshot);
    trapped = status == 134;
  }
  if (ckpt_failed(ck) && status == 0) status = 1;
  /* The monitors report when the guest ran to its end (a trap or an exit
  ** included): not after a refusal of the snapshot's frames (one line
  ** says why), nor at a checkpoint, whose restore reports for the run. */
  int ran = ok || err.kind == INRO_ERR_TRAP || err.kind == INRO_ERR_EXIT;
  if (monitor_set_active(mon) && ran && !ckpt_stopped(ck)) {
    char why[160];
    if (trapped) monitor_set_trapped(mon, store);
    if (monitor_set_report(mon, o->monitor_out, stderr, why, sizeof why) != 0) {
      cli_error("monitor: %s", why);
      if (status == 0) status = 1;
    }
  }
done:
  entry_free(&then);
  ckpt_free(ck);
  free(res);
  free(imports);
  if (linker) inro_linker_free(linker);
  if (store) inro_store_free(store);
  return status;
}

/* Restore from a stream and resume; the exit status. */
static int restore_from(restore_opts *o, cli_stream *in, handover *h) {
  int status = 1;
  size_t msize = 0;
  uint8_t *given = NULL;
  inro_snapshot *snap = NULL;
  inro_module *mod = NULL;
  wasi_state *wasi = wasi_new();
  monitor_set *mon = monitor_set_new();
  inro_error err;
  if (!wasi || !mon) {
    cli_error("out of memory");
    goto done;
  }
  snap = inro_snapshot_read(cli_stream_read, in, &err);
  if (!snap) {
    cli_error("%s: %s", o->snapshot, in->err ? plat_strerror(in->err) : err.message);
    goto done;
  }
  if (o->whole_file && !cli_stream_at_end(in)) {
    cli_error("%s: trailing bytes after the snapshot", o->snapshot);
    goto done;
  }
  uint32_t unknown = ckpt_unknown_section(snap);
  if (unknown) {
    cli_error("%s: snapshot needs section 0x%x, unknown to this inro", o->snapshot,
              unknown);
    goto done;
  }
  size_t n = 0;
  const uint8_t *stamp = inro_snapshot_section_get(snap, CKPT_SEC_MIGRATION, &n);
  if (stamp && n == 8) {
    uint64_t ns = 0;
    for (int i = 0; i < 8; i++) ns |= (uint64_t)stamp[i] << (8 * i);
    h->stopped = (double)ns / 1e6;
  }
  const uint8_t *mbytes = inro_snapshot_module_bytes(snap, &msize);
  if (!mbytes) {
    if (!o->module) {
      cli_error("%s: the module is not in the snapshot: give it with --module PATH", o->snapshot);
      goto done;
    }
    if (!(given = cli_read_file(o->module, &msize))) goto done;
    mbytes = given;
  }
  mod = inro_module_new(mbytes, msize, &err);
  if (!mod) {
    cli_error("%s: module: %s", o->snapshot, err.message);
    goto done;
  }
  const uint8_t *sec = inro_snapshot_section_get(snap, CKPT_SEC_WASI, &n);
  char why[256];
  wasi_remap remap = {o->remaps, o->nremaps, !o->trust_dirs};
  if (!sec) {
    cli_error("%s: no WASI state in the snapshot", o->snapshot);
    goto done;
  }
  if (wasi_load(wasi, sec, n, &remap, o->force, why, sizeof why) != 0) {
    cli_error("%s: %s", o->snapshot, why);
    goto done;
  }
  sec = inro_snapshot_section_get(snap, CKPT_SEC_MONITORS, &n);
  if (sec && monitor_set_load(mon, sec, n, why, sizeof why) != 0) {
    cli_error("%s: monitors: %s", o->snapshot, why);
    goto done;
  }
  if (monitor_set_active(mon) && monitor_set_check_output(mon, o->monitor_out, why, sizeof why)) {
    cli_error("monitor: %s", why);
    goto done;
  }
  char entry[128];
  if (!ckpt_entry(snap, entry, sizeof entry)) strcpy(entry, "_start");
  status = resume(o, snap, mod, wasi, mon, entry, h);
done:
  answer(h, 0); /* if not answered yet: this side does not resume */
  inro_module_free(mod);
  inro_snapshot_free(snap);
  monitor_set_free(mon);
  if (wasi) wasi_free(wasi);
  free(given);
  return status;
}

/* Options common to both commands; 0 to go on, else the exit status
** (-1: help was printed). */
static int restore_setup(int argc, char **argv, restore_opts *o) {
  memset(o, 0, sizeof *o);
  o->started = cli_clock_ms(CLI_CLOCK_MONO);
  o->command = argv[0];
  o->remaps = calloc((size_t)argc + 1, sizeof *o->remaps);
  if (!o->remaps) {
    cli_error("out of memory");
    return 1;
  }
  int status = parse(argc, argv, o);
  if (!status) status = ckpt_start(&o->ck);
  return status;
}

static int restore_done(restore_opts *o, int status) {
  free(o->remaps);
  return status;
}

int cli_restore(int argc, char **argv) {
  restore_opts o;
  int status = restore_setup(argc, argv, &o);
  if (status) return restore_done(&o, status == -1 ? 0 : status);
  cli_stream in = {0, 0, NULL};
  handover h = {NULL, 0, 0, 0, 0};
  if (strcmp(o.snapshot, "-")) {
    char why[160];
    if (plat_open_read(o.snapshot, &in.fd, why, sizeof why) != 0) {
      cli_error("cannot read %s: %s", o.snapshot, why);
      return restore_done(&o, 1);
    }
    o.whole_file = 1;
  } else {
    o.snapshot = "standard input";
  }
  status = restore_from(&o, &in, &h);
  if (in.fd != 0) plat_close(in.fd);
  return restore_done(&o, status);
}

/* Write the port listened on to path, atomically. */
static int write_port(const char *path, plat_fd listener, const char *port) {
  char text[32], why[160];
  unsigned p = 0;
  if (plat_tcp_port(listener, &p) != 0) p = (unsigned)atoi(port);
  int n = snprintf(text, sizeof text, "%u\n", p);
  if (plat_write_file_atomic(path, (const uint8_t *)text, (size_t)n, why, sizeof why) != 0) {
    cli_error("listen: cannot write %s: %s", path, why);
    return 0;
  }
  return 1;
}

int cli_listen(int argc, char **argv) {
  restore_opts o;
  int status = restore_setup(argc, argv, &o);
  if (status) return restore_done(&o, status == -1 ? 0 : status);
  char host[256], port[8], why[200];
  if (cli_host_port(o.snapshot, host, sizeof host, port, sizeof port) != 0) {
    cli_error("listen: '%s' is not [HOST:]PORT with PORT from 0 to 65535", o.snapshot);
    return restore_done(&o, 2);
  }
  plat_fd listener;
  int rc = plat_tcp_listen(host, port, &listener, why, sizeof why);
  if (rc) {
    cli_error("listen: %s: %s", o.snapshot, why);
    return restore_done(&o, 1);
  }
  if (o.port_file && !write_port(o.port_file, listener, port)) {
    plat_close(listener);
    return restore_done(&o, 1);
  }
  cli_stream peer = {PLAT_NO_FD, 0, NULL};
  rc = plat_tcp_accept(listener, &peer.fd);
  plat_close(listener);
  if (rc) {
    cli_error("listen: %s: %s", o.snapshot, plat_strerror(rc));
    return restore_done(&o, 1);
  }
  plat_ignore_sigpipe();
  o.started = cli_clock_ms(CLI_CLOCK_MONO);
  handover h = {&peer, 0, 0, 0, 0};
  status = restore_from(&o, &peer, &h);
  plat_close(peer.fd);
  return restore_done(&o, status);
}

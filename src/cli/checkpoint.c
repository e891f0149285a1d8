/*
** checkpoint.c -- taking checkpoints from `inro run` / `inro restore`
** (see checkpoint.h), and the --control file.
*/
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/checkpoint.h"
#include "cli/cli.h"
#include "cli/migrate.h"
#include "platform/platform.h"

#define POLL_EVERY 4096 /* safe points between looks at files */

const char ckpt_help[] =
  "checkpoints (see docs/snapshot-format.md):\n"
  "  --snapshot FILE         where checkpoints are written (default\n"
  "                          inro.snapshot), atomically; - writes them to\n"
  "                          standard output, and the guest's standard\n"
  "                          output goes to stderr instead\n"
  "  --snapshot-module=ref   store only the module's SHA-256, not its bytes\n"
  "                          (restore then needs --module PATH)\n"
  "  --checkpoint-after N    checkpoint before the (N+1)-th executed Wasm\n"
  "                          instruction\n"
  "  --checkpoint-trigger PATH  checkpoint when PATH appears (it is then\n"
  "                          removed); natively SIGUSR1 does the same\n"
  "  --checkpoint-on-trap    on a trap, write a snapshot standing at the\n"
  "                          trapping instruction (for `inro inspect`)\n"
  "  --checkpoint-continue   keep running after a checkpoint (default: stop\n"
  "                          and exit with status 75)\n"
  "  --control FILE          apply lines appended to FILE while running:\n"
  "                          on NAME, off NAME, report NAME (monitors),\n"
  "                          checkpoint\n"
  "  --migrate-to HOST:PORT  live migration (docs/migration.md): a checkpoint\n"
  "                          trigger, or the start if none is given, begins\n"
  "                          sending memory to `inro listen` there while the\n"
  "                          guest runs, then stops it, sends the rest and\n"
  "                          exits with status 75 once the target resumed\n"
  "                          it; - sends to standard output (a pipe into\n"
  "                          `inro restore -`).  If the migration fails the\n"
  "                          guest goes on here\n"
  "  --migrate-rounds N      pre-copy rounds at most (default 8); 0 stops\n"
  "                          the guest and copies everything at once\n"
  "  --timing                print how long checkpoints, restores and\n"
  "                          migrations take (stderr)\n";

struct ckpt {
  ckpt_opts o;
  wasi_state *wasi;
  monitor_set *mon;
  char *entry;
  inro_probe *counter;
  inro_probe_group *safepoints;
  inro_instance *inst;
  plat_fd stream;         /* standard output, for --snapshot - */
  migration *mig;         /* while migrating */
  uint64_t executed;
  unsigned polls;
  long control_pos;
  volatile int signalled;
  int want_signal;        /* --snapshot given: SIGUSR1 checkpoints */
  int start_migration;    /* at the next safe point */
  int stopped, failed;
};

/* ------------------------------------------------------------- options */

int ckpt_parse_option(ckpt_opts *o, int argc, char **argv, int *i) {
  static const char *const valued[] = {"--snapshot", "--checkpoint-after",
                                       "--checkpoint-trigger", "--control",
                                       "--migrate-to", "--migrate-rounds"};
  const char *a = argv[*i];
  if (!strcmp(a, "--snapshot-module=ref")) return o->module_ref = 1;
  if (!strcmp(a, "--snapshot-module=embed")) return o->module_ref = 0, 1;
  if (!strcmp(a, "--checkpoint-on-trap")) return o->on_trap = 1;
  if (!strcmp(a, "--checkpoint-continue")) return o->cont = 1;
  if (!strcmp(a, "--timing")) return o->timing = 1;
  for (size_t k = 0; k < sizeof valued / sizeof valued[0]; k++) {
    size_t len = strlen(valued[k]);
    if (strncmp(a, valued[k], len) || (a[len] && a[len] != '=')) continue;
    const char *v = a[len] == '=' ? a + len + 1 : NULL;
    if (!v) {
      if (*i + 1 >= argc) {
        cli_error("%s needs a value", valued[k]);
        return -1;
      }
      v = argv[++*i];
    }
    switch (k) {
    case 0: o->snapshot = v; break;
    case 1: {
      char *end;
      unsigned long long n = strtoull(v, &end, 10);
      if (!*v || *end || v[0] == '-' || n == 0) {
        cli_error("--checkpoint-after wants a positive count, not '%s'", v);
        return -1;
      }
      o->after = n;
      break;
    }
    case 2: o->trigger = v; break;
    case 3: o->control = v; break;
    case 4: o->migrate_to = v; break;
    default: {
      char *end;
      unsigned long n = strtoul(v, &end, 10);
      if (!*v || *end || v[0] == '-' || n > 1000) {
        cli_error("--migrate-rounds wants a count from 0 to 1000, not '%s'", v);
        return -1;
      }
      o->rounds = (uint32_t)n;
      o->rounds_given = 1;
      break;
    }
    }
    return 1;
  }
  return 0;
}

/* ------------------------------------------------------------- writing */

ckpt *ckpt_new(const ckpt_opts *o, wasi_state *wasi, monitor_set *mon,
               const char *entry) {
  ckpt *c = calloc(1, sizeof *c);
  if (!c) return NULL;
  c->o = *o;
  c->stream = PLAT_NO_FD;
  c->want_signal = o->snapshot != NULL || o->migrate_to != NULL;
  if (!c->o.snapshot) c->o.snapshot = "inro.snapshot";
  c->wasi = wasi;
  c->mon = mon;
  c->entry = malloc(strlen(entry) + 1);
  if (!c->entry) {
    free(c);
    return NULL;
  }
  strcpy(c->entry, entry);
  return c;
}

/* Before the store is freed (the probes belong to its instance). */
void ckpt_free(ckpt *c) {
  if (!c) return;
  if (c->mig) cli_error("migration to %s: the program ended before it was moved", c->o.migrate_to);
  migrate_free(c->mig);
  inro_probe_group_remove(c->safepoints);
  free(c->entry);
  free(c);
}

int ckpt_stopped(const ckpt *c) { return c && c->stopped; }

int ckpt_outcome(const ckpt *c, inro_store *store, int ok,
                 const inro_error *err, const char *what) {
  if (!ok && ckpt_stopped(c)) return CKPT_EXIT_STATUS;
  return cli_outcome(store, ok, err, what);
}
int ckpt_failed(const ckpt *c) { return c && c->failed; }

int ckpt_entry(const inro_snapshot *snap, char *buf, size_t len) {
  size_t n = 0;
  const uint8_t *run = inro_snapshot_section_get(snap, CKPT_SEC_RUN, &n);
  snprintf(buf, len, "%.*s", run ? (int)(n < 100 ? n : 100) : 0,
           run ? (const char *)run : "");
  return run != NULL;
}

void ckpt_timing(const char *fmt, ...) {
  va_list ap;
  fputs("inro: ", stderr);
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fputc('\n', stderr);
}

/* The embedder sections of a snapshot of this run at frame f, into
** extra[0..3); *n of them; the buffers to free after.  0 after printing a
** failure. */
static int run_sections(ckpt *c, inro_frame *f, inro_snapshot_section *extra,
                        size_t *n, uint8_t **wasi_bytes, uint8_t **mon_bytes) {
  size_t wasi_size = 0, mon_size = 0;
  *n = 0;
  if (wasi_save(c->wasi, wasi_bytes, &wasi_size) != 0) {
    cli_error("checkpoint: cannot save the WASI state");
    return 0;
  }
  extra[(*n)++] = (inro_snapshot_section){CKPT_SEC_WASI, *wasi_bytes, wasi_size};
  if (c->mon && monitor_set_active(c->mon)) {
    monitor_set_checkpoint(c->mon, f); /* count the instruction at f */
    if (monitor_set_save(c->mon, mon_bytes, &mon_size) != 0) {
      cli_error("checkpoint: cannot save the monitors' state");
      return 0;
    }
    extra[(*n)++] = (inro_snapshot_section){CKPT_SEC_MONITORS, *mon_bytes, mon_size};
  }
  extra[(*n)++] = (inro_snapshot_section){CKPT_SEC_RUN, (const uint8_t *)c->entry,
                                          strlen(c->entry)};
  return 1;
}

/* Write a snapshot of the state at frame f, to standard output or
** atomically to a file.  1 on success. */
static int write_snapshot(ckpt *c, inro_frame *f) {
  uint8_t *wasi_bytes = NULL, *mon_bytes = NULL;
  inro_snapshot_section extra[3];
  size_t n = 0;
  int ok = 0;
  double t0 = cli_clock_ms(CLI_CLOCK_MONO), t1 = t0, cpu = cli_clock_ms(CLI_CLOCK_CPU);
  if (!run_sections(c, f, extra, &n, &wasi_bytes, &mon_bytes)) goto done;
  inro_error err;
  char why[160];
  int to_stdout = !strcmp(c->o.snapshot, "-");
  plat_atomic_file file;
  cli_stream st = {c->stream, 0};
  if (!to_stdout && plat_atomic_begin(&file, c->o.snapshot, why, sizeof why) != 0) {
    cli_error("checkpoint: cannot write %s: %s", c->o.snapshot, why);
    goto done;
  }
  if (!to_stdout) st.fd = file.fd;
  if (!inro_snapshot_write(f, !c->o.module_ref, extra, n, cli_stream_write, &st, &err)) {
    if (!to_stdout) plat_atomic_abort(&file);
    cli_error("checkpoint: %s%s%s", st.err ? "cannot write " : "",
              st.err ? (to_stdout ? "to standard output: " : c->o.snapshot) : "",
              st.err ? (to_stdout ? plat_strerror(st.err) : "") : err.message);
    goto done;
  }
  t1 = cli_clock_ms(CLI_CLOCK_MONO);
  if (!to_stdout && plat_atomic_commit(&file, why, sizeof why) != 0) {
    cli_error("checkpoint: cannot write %s: %s", c->o.snapshot, why);
    goto done;
  }
  ok = 1;
  if (c->o.timing) {
    double t2 = cli_clock_ms(CLI_CLOCK_MONO);
    ckpt_timing("checkpoint: written in %.1f ms (%.1f ms capture and write, %.1f ms sync; "
                "%.1f ms of CPU time)", t2 - t0, t1 - t0, t2 - t1,
                cli_clock_ms(CLI_CLOCK_CPU) - cpu);
  }
done:
  free(wasi_bytes);
  free(mon_bytes);
  if (!ok) c->failed = 1;
  return ok;
}

/* Stop and copy: the end of a migration.  The probe's return value. */
static int migration_stop(ckpt *c, inro_frame *f) {
  uint8_t *wasi_bytes = NULL, *mon_bytes = NULL;
  inro_snapshot_section extra[3];
  size_t n = 0;
  int how = MIG_NOT_SENT;
  if (run_sections(c, f, extra, &n, &wasi_bytes, &mon_bytes))
    how = migrate_finish(c->mig, f, extra, n);
  free(wasi_bytes);
  free(mon_bytes);
  migrate_free(c->mig);
  c->mig = NULL;
  if (how == MIG_NOT_SENT) return 0;
  if (how == MIG_UNKNOWN) {
    cli_error("migration to %s: no answer after the handover; stopped, with a snapshot in %s "
              "(restore it only if the target did not resume)", c->o.migrate_to, c->o.snapshot);
    if (!write_snapshot(c, f)) return inro_frame_trap(f, "checkpoint failed");
  }
  c->stopped = 1;
  return inro_frame_trap(f, "stopped after migration");
}

/* Begin a migration (on a trigger, or at the start). */
static int migration_begin(ckpt *c, inro_frame *f) {
  if (c->mig) return 0;
  c->mig = migrate_new(c->o.migrate_to, c->stream,
                       c->o.rounds_given ? c->o.rounds : 8, c->o.timing);
  if (!c->mig) {
    cli_error("migration: out of memory");
    return 0;
  }
  if (!migrate_begin(c->mig, c->inst, !c->o.module_ref)) {
    migrate_free(c->mig); /* a later trigger tries again */
    c->mig = NULL;
    return 0;
  }
  if (migrate_tick(c->mig) == 1) return migration_stop(c, f);
  return 0;
}

/* Take a checkpoint now; the probe's return value. */
static int checkpoint_now(ckpt *c, inro_frame *f) {
  if (c->o.migrate_to) return migration_begin(c, f);
  int ok = write_snapshot(c, f);
  if (ok && c->o.cont) return 0;
  c->stopped = ok;
  return inro_frame_trap(f, ok ? "stopped after checkpoint" : "checkpoint failed");
}

/* ------------------------------------------------------------- triggers */

static int count_probe(inro_frame *f, void *env) {
  ckpt *c = env;
  if (++c->executed <= c->o.after) return 0;
  inro_probe_remove(c->counter); /* fires no more; safe from inside */
  c->counter = NULL;
  return checkpoint_now(c, f);
}

/* New lines of the control file since the last look. */
static int poll_control(ckpt *c, inro_frame *f) {
  int64_t size = plat_file_size(c->o.control);
  if (size < 0 || size <= c->control_pos) return 0;
  FILE *fp = fopen(c->o.control, "r");
  if (!fp) return 0;
  int rc = 0;
  char line[256];
  if (fseek(fp, c->control_pos, SEEK_SET) == 0) {
    while (fgets(line, sizeof line, fp)) {
      size_t len = strlen(line);
      if (len == 0 || line[len - 1] != '\n') break; /* wait for the rest */
      c->control_pos += (long)len;
      line[len - 1] = 0;
      if (!strcmp(line, "checkpoint")) {
        rc = checkpoint_now(c, f);
        if (rc) break;
        continue;
      }
      char why[160];
      if (!line[0]) continue;
      if (!c->mon || monitor_set_control(c->mon, line, stderr, why, sizeof why) != 0)
        cli_error("control: %s", c->mon ? why : "no monitors");
    }
  }
  fclose(fp);
  return rc;
}

static int safepoint(inro_frame *f, void *env) {
  ckpt *c = env;
  if (c->mig) {
    int r = migrate_tick(c->mig);
    if (r == 1) return migration_stop(c, f);
    if (r < 0) {
      migrate_free(c->mig);
      c->mig = NULL;
    }
    return 0;
  }
  if (c->o.migrate_to && c->start_migration) {
    c->start_migration = 0;
    return checkpoint_now(c, f);
  }
  if (c->signalled) {
    c->signalled = 0;
    return checkpoint_now(c, f);
  }
  if (++c->polls < POLL_EVERY) return 0;
  c->polls = 0;
  if (c->o.trigger && plat_exists(c->o.trigger)) {
    remove(c->o.trigger);
    return checkpoint_now(c, f);
  }
  if (c->o.control) return poll_control(c, f);
  return 0;
}

static void on_trap(inro_frame *f, const inro_error *trap, void *env) {
  (void)trap;
  write_snapshot(env, f);
}

static int attach_error(inro_error *err, const char *message) {
  inro_error_clear(err);
  err->kind = INRO_ERR_ARG;
  snprintf(err->message, sizeof err->message, "%s", message);
  return 0;
}

int ckpt_attach(ckpt *c, inro_store *store, inro_instance *inst, inro_error *err) {
  c->inst = inst;
  int snap_out = c->o.snapshot && !strcmp(c->o.snapshot, "-");
  int mig_out = c->o.migrate_to && !strcmp(c->o.migrate_to, "-");
  if (snap_out && mig_out) {
    return attach_error(err, "--snapshot - and --migrate-to - cannot both use standard output");
  }
  if (snap_out || mig_out) {
    int rc = plat_stdout_aside(&c->stream);
    if (rc) {
      return attach_error(err, rc == PLAT_ENOTSUP
                                   ? "a stream on standard output needs a native build: this one cannot move the guest's output aside"
                                   : "cannot move the guest's standard output aside");
    }
    plat_ignore_sigpipe();
  }
  /* Without a trigger, a migration begins at the first safe point. */
  c->start_migration = c->o.migrate_to && !c->o.after && !c->o.trigger && !c->o.control;
  if (c->o.after) {
    c->counter = inro_probe_global(inst, count_probe, c, err);
    if (!c->counter) return 0;
  }
  int signal = c->want_signal && plat_catch_checkpoint_signal(&c->signalled);
  if (c->o.trigger || c->o.control || signal || c->o.migrate_to) {
    c->safepoints = inro_probe_safepoints(inst, safepoint, c, err);
    if (!c->safepoints) return 0;
  }
  if (c->o.on_trap) inro_store_on_trap(store, on_trap, c);
  return 1;
}

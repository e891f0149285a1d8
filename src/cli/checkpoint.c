/*
** checkpoint.c -- taking checkpoints from `inro run` / `inro restore`
** (see checkpoint.h), and the --control file.
*/
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/checkpoint.h"
#include "cli/entry.h"
#include "cli/cli.h"
#include "cli/migrate.h"
#include "snapshot/bytes.h"
#include "platform/platform.h"
#include "util/str.h"

/* Asynchronous triggers (the trigger file, the control file) are looked
** at every LOOK_EVERY_NS: from the safe points, which look at the clock
** about once a millisecond of guest time, and from the WASI calls where
** the guest waits (wasi_on_wait), so that a trigger is seen within some
** tens of milliseconds whatever the guest does.  SIGUSR1 is seen at the
** next safe point or wait slice. */
#define LOOK_EVERY_NS 20000000u
#define CLOCK_EVERY_NS 1000000u
#define POLLS_MAX 65536u
/* Longest line of a control file (longer ones are refused, skipped). */
#define CONTROL_LINE_MAX 255

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
  "                          removed); natively SIGUSR1 does the same.\n"
  "                          Both are seen within some 20 ms, also while\n"
  "                          the guest waits (a sleep, a read): the\n"
  "                          restored run then makes that call again\n"
  "  --checkpoint-on-trap    on a trap, write a snapshot standing at the\n"
  "                          trapping instruction (for `inro inspect`)\n"
  "  --checkpoint-continue   keep running after a checkpoint (default: stop\n"
  "                          and exit with status 75)\n"
  "  --control FILE          apply lines appended to FILE while running:\n"
  "                          on NAME, off NAME, report NAME (monitors),\n"
  "                          checkpoint; at most 255 bytes a line (longer\n"
  "                          ones are refused); a truncated FILE is read\n"
  "                          again from its start\n"
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
  "                          migrations take (stderr)\n"
  "A checkpoint that cannot be written is reported and the run goes on;\n"
  "its exit status is then 1 where it would have been 0.\n";

struct ckpt {
  ckpt_opts o;
  wasi_state *wasi;
  monitor_set *mon;
  char *entry;
  inro_probe *counter;
  inro_probe_group *safepoints;
  inro_instance *inst;
  migration *mig;             /* while migrating */
  int start_migration;        /* at the next safe point */
  uint64_t executed;
  unsigned polls, poll_every; /* safe points between looks at the clock */
  uint64_t last_clock, last_look;
  uint64_t control_pos;       /* bytes of the control file consumed */
  int control_skipping;       /* inside a line that is too long */
  uint8_t control_saved[9];   /* both, for CKPT_SEC_CONTROL: u64 LE, u8 */
  uint8_t *then;              /* CKPT_SEC_THEN's payload, while pending */
  size_t nthen;
  int want_signal;            /* --snapshot given: SIGUSR1 checkpoints */
  int stop_due;               /* a migration's stop waits for a safe point */
  int stopped, failed;
};

/* Set by SIGUSR1, from the moment the command line asked for it (a
** signal before the guest runs waits for its first safe point). */
static volatile int ckpt_signalled;
static int ckpt_signal_caught;
/* Standard output, for a stream there (`-`), once ckpt_start took it. */
static plat_fd ckpt_stream = PLAT_NO_FD;

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
      uint64_t n;
      if (!str_to_u64(v, &n) || n == 0) {
        cli_error("--checkpoint-after wants a count from 1 to %llu, not '%s'",
                  (unsigned long long)UINT64_MAX, v);
        return -1;
      }
      o->after = n;
      break;
    }
    case 2: o->trigger = v; break;
    case 3: o->control = v; break;
    case 4: o->migrate_to = v; break;
    default: {
      uint64_t n;
      if (!str_to_u64(v, &n) || n > 1000) {
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

int ckpt_wanted(const ckpt_opts *o) {
  static const ckpt_opts none;
  return memcmp(o, &none, sizeof none) != 0;
}

int ckpt_start(const ckpt_opts *o) {
  char why[160];
  const char *path = o->snapshot ? o->snapshot : "inro.snapshot";
  int snap_out = !strcmp(path, "-");
  int mig_out = o->migrate_to && !strcmp(o->migrate_to, "-");
  if (ckpt_wanted(o) && !snap_out && plat_check_target(path, why, sizeof why)) {
    cli_error("--snapshot %s: %s", path, why);
    return 1;
  }
  if (snap_out && mig_out) {
    cli_error("--snapshot - and --migrate-to - cannot both use standard output");
    return 1;
  }
  if ((snap_out || mig_out) && ckpt_stream == PLAT_NO_FD) {
    int rc = plat_stdout_aside(&ckpt_stream);
    if (rc) {
      cli_error(rc == PLAT_ENOTSUP
                    ? "a stream on standard output needs a native build: this one cannot move the guest's output aside"
                    : "cannot move the guest's standard output aside");
      return 1;
    }
    plat_ignore_sigpipe();
  }
  if ((o->snapshot || o->migrate_to) && !ckpt_signal_caught)
    ckpt_signal_caught = plat_catch_checkpoint_signal(&ckpt_signalled);
  return 0;
}

/* ------------------------------------------------------------- writing */

ckpt *ckpt_new(const ckpt_opts *o, wasi_state *wasi, monitor_set *mon,
               const char *entry) {
  ckpt *c = calloc(1, sizeof *c);
  if (!c) return NULL;
  c->o = *o;
  c->want_signal = (o->snapshot != NULL || o->migrate_to != NULL) && ckpt_signal_caught;
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
  if (c->safepoints) wasi_on_wait(c->wasi, NULL, NULL);
  inro_probe_group_remove(c->safepoints);
  free(c->entry);
  free(c->then);
  free(c);
}

int ckpt_then(ckpt *c, const entry_call *call) {
  free(c->then);
  c->then = NULL;
  c->nthen = 0;
  return !call || (c->then = entry_save(call, &c->nthen)) != NULL;
}

int ckpt_stopped(const ckpt *c) { return c && c->stopped; }

int ckpt_outcome(const ckpt *c, inro_store *store, int ok,
                 const inro_error *err, const char *what) {
  if (!ok && ckpt_stopped(c)) return CKPT_EXIT_STATUS;
  return cli_outcome(store, ok, err, what);
}
int ckpt_failed(const ckpt *c) { return c && c->failed; }

uint32_t ckpt_unknown_section(const inro_snapshot *snap) {
  for (size_t i = 0; i < inro_snapshot_section_count(snap); i++) {
    uint32_t flags, id = inro_snapshot_section_id(snap, i, &flags);
    if ((flags & 1) && id != CKPT_SEC_WASI && id != CKPT_SEC_MONITORS &&
        id != CKPT_SEC_RUN && id != CKPT_SEC_MIGRATION && id != CKPT_SEC_CONTROL &&
        id != CKPT_SEC_THEN)
      return id;
  }
  return 0;
}

int ckpt_entry(const inro_snapshot *snap, char *buf, size_t len) {
  size_t n = 0;
  const uint8_t *run = inro_snapshot_section_get(snap, CKPT_SEC_RUN, &n);
  snprintf(buf, len, "%.*s", run ? (int)(n < 100 ? n : 100) : 0,
           run ? (const char *)run : "");
  return run != NULL;
}

void ckpt_timing(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  cli_vline(fmt, ap);
  va_end(ap);
}

/* The embedder sections of a snapshot of this run at frame f, into
** extra[0..5); *n of them; the buffers to free after.  0 after printing a
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
  if (c->o.control) {
    for (int i = 0; i < 8; i++) c->control_saved[i] = (uint8_t)(c->control_pos >> (8 * i));
    c->control_saved[8] = (uint8_t)c->control_skipping;
    extra[(*n)++] = (inro_snapshot_section){CKPT_SEC_CONTROL, c->control_saved,
                                            sizeof c->control_saved};
  }
  if (c->then) extra[(*n)++] = (inro_snapshot_section){CKPT_SEC_THEN, c->then, c->nthen};
  return 1;
}

int ckpt_control_read(const inro_snapshot *snap, uint64_t *pos, int *skipping) {
  size_t n = 0;
  const uint8_t *b = inro_snapshot_section_get(snap, CKPT_SEC_CONTROL, &n);
  breader r = {b, 0, b ? n : 0, 0};
  *pos = br_u64(&r);
  *skipping = br_u8(&r) != 0;
  return b && !r.bad && r.pos == n;
}

void ckpt_resume_control(ckpt *c, const inro_snapshot *snap) {
  uint64_t pos;
  int skipping;
  if (!c->o.control || !ckpt_control_read(snap, &pos, &skipping)) return;
  c->control_pos = pos;
  c->control_skipping = skipping;
}

/* Write a snapshot of the state at frame f, to standard output or
** atomically to a file.  1 on success; a failure is reported (one line)
** and remembered for the exit status. */
static int write_snapshot(ckpt *c, inro_frame *f) {
  uint8_t *wasi_bytes = NULL, *mon_bytes = NULL;
  inro_snapshot_section extra[5];
  size_t n = 0;
  int ok = 0;
  double t0 = cli_clock_ms(CLI_CLOCK_MONO), t1 = t0, cpu = cli_clock_ms(CLI_CLOCK_CPU);
  if (!run_sections(c, f, extra, &n, &wasi_bytes, &mon_bytes)) goto done;
  inro_error err;
  char why[160];
  int to_stdout = !strcmp(c->o.snapshot, "-");
  plat_atomic_file file;
  cli_stream st = {ckpt_stream, 0, NULL};
  if (!to_stdout && plat_atomic_begin(&file, c->o.snapshot, why, sizeof why) != 0) {
    cli_error("checkpoint: cannot write %s: %s", c->o.snapshot, why);
    goto done;
  }
  if (!to_stdout) {
    st.fd = file.fd;
    st.file = &file;
  }
  if (!inro_snapshot_write(f, !c->o.module_ref, extra, n, cli_stream_write, &st, &err)) {
    if (!to_stdout) plat_atomic_abort(&file);
    if (!st.err) cli_error("checkpoint: %s", err.message);
    else cli_error("checkpoint: cannot write %s: %s", to_stdout ? "to standard output" : c->o.snapshot,
                   plat_strerror(st.err));
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
  inro_snapshot_section extra[5];
  size_t n = 0;
  int how = MIG_NOT_SENT;
  if (run_sections(c, f, extra, &n, &wasi_bytes, &mon_bytes))
    how = migrate_finish(c->mig, f, extra, n);
  free(wasi_bytes);
  free(mon_bytes);
  migrate_free(c->mig);
  c->mig = NULL;
  if (how == MIG_NOT_SENT) return 1;
  if (how == MIG_UNKNOWN) {
    cli_error("migration to %s: no answer after the handover; stopped, with a snapshot in %s "
              "(restore it only if the target did not resume)", c->o.migrate_to, c->o.snapshot);
    if (!write_snapshot(c, f)) return inro_frame_trap(f, "checkpoint failed");
  }
  c->stopped = 1;
  return inro_frame_trap(f, "stopped after migration");
}

/* Begin a migration (on a trigger, or at the start); a failed one leaves
** the guest running, and a later trigger tries again. */
static int migration_begin(ckpt *c, inro_frame *f) {
  if (c->mig) return 1;
  c->mig = migrate_new(c->o.migrate_to, ckpt_stream,
                       c->o.rounds_given ? c->o.rounds : 8, c->o.timing);
  if (!c->mig) {
    cli_error("migration: out of memory");
    return 1;
  }
  if (!migrate_begin(c->mig, c->inst, !c->o.module_ref)) {
    migrate_free(c->mig);
    c->mig = NULL;
    return 1;
  }
  if (migrate_tick(c->mig, 0) == 1) return migration_stop(c, f);
  return 1;
}

/* Take a checkpoint now; the probe's return value.  One that cannot be
** written is reported and the guest goes on. */
static int checkpoint_now(ckpt *c, inro_frame *f) {
  if (c->o.migrate_to) return migration_begin(c, f);
  if (!write_snapshot(c, f) || c->o.cont) return 1;
  c->stopped = 1;
  return inro_frame_trap(f, "stopped after checkpoint");
}

static int migration_stop_at_call(inro_frame *f, void *env) {
  return migration_stop(env, f);
}

/* A migration under way, at a safe point (f) or in a WASI call where the
** guest waits (ctx): maybe send pages, maybe stop and copy.  From a wait
** the stop stands before that call, which the target makes again
** (inro_ctx_frame); in a WASI function called by the host rather than by
** Wasm code (-1) it waits for the next safe point. */
static int migration_tick(ckpt *c, inro_frame *f, inro_call_ctx *ctx) {
  int r = c->stop_due ? 1 : migrate_tick(c->mig, f == NULL);
  if (r == 1) {
    if (f) {
      c->stop_due = 0;
      return migration_stop(c, f);
    }
    int rc = inro_ctx_frame(ctx, migration_stop_at_call, c);
    c->stop_due = rc < 0;
    return rc != 0;
  }
  if (r < 0) {
    migrate_free(c->mig);
    c->mig = NULL;
  }
  return 1;
}

/* ------------------------------------------------------------- triggers */

static int count_probe(inro_frame *f, void *env) {
  ckpt *c = env;
  if (++c->executed <= c->o.after) return 1;
  inro_probe_remove(c->counter); /* fires no more; safe from inside */
  c->counter = NULL;
  return checkpoint_now(c, f);
}

/* One complete line of the control file. */
static int control_line(ckpt *c, char *line, inro_frame *f) {
  char why[160];
  size_t len = strlen(line);
  if (len && line[len - 1] == '\r') line[--len] = 0;
  if (!len) return 1;
  if (!strcmp(line, "checkpoint")) return checkpoint_now(c, f);
  if (!c->mon || monitor_set_control(c->mon, f, line, stderr, why, sizeof why) != 0)
    cli_error("control: %s", c->mon ? why : "no monitors");
  return 1;
}

/* The lines appended to the control file since the last look.  A line
** counts once its newline is there; one longer than CONTROL_LINE_MAX
** bytes is refused with a message and skipped to its end; a file now
** shorter than what was read (truncated) is read again from its start. */
static int poll_control(ckpt *c, inro_frame *f) {
  int64_t size = plat_file_size(c->o.control);
  if (size < 0) return 1;
  if ((uint64_t)size < c->control_pos) {
    c->control_pos = 0;
    c->control_skipping = 0;
  }
  if ((uint64_t)size == c->control_pos || c->control_pos > LONG_MAX) return 1;
  FILE *fp = fopen(c->o.control, "rb");
  if (!fp) return 1;
  int rc = 1;
  if (fseek(fp, (long)c->control_pos, SEEK_SET) == 0) {
    char line[CONTROL_LINE_MAX + 1];
    size_t len = 0;
    uint64_t pending = 0; /* bytes of the line being read */
    int ch;
    while (rc && (ch = getc(fp)) != EOF) {
      pending++;
      if (ch != '\n') {
        if (len < CONTROL_LINE_MAX) line[len++] = (char)ch;
        else if (!c->control_skipping) {
          cli_error("control: a line longer than %d bytes, ignored",
                    CONTROL_LINE_MAX);
          c->control_skipping = 1;
        }
        continue;
      }
      c->control_pos += pending;
      pending = 0;
      line[len] = 0;
      len = 0;
      if (c->control_skipping) c->control_skipping = 0;
      else rc = control_line(c, line, f);
    }
    /* The part of an overlong line read so far is skipped for good. */
    if (c->control_skipping) c->control_pos += pending;
  }
  fclose(fp);
  return rc;
}

/* Look at every asynchronous trigger: SIGUSR1, the trigger file, the
** control file. */
static int look(ckpt *c, inro_frame *f) {
  if (ckpt_signalled && c->want_signal) {
    ckpt_signalled = 0;
    return checkpoint_now(c, f);
  }
  if (c->o.trigger && plat_exists(c->o.trigger)) {
    remove(c->o.trigger);
    return checkpoint_now(c, f);
  }
  if (c->o.control) return poll_control(c, f);
  return 1;
}

static uint64_t now_ns(void) {
  uint64_t t = 0;
  plat_clock_time(1 /* monotonic */, &t);
  return t;
}

static int safepoint(inro_frame *f, void *env) {
  ckpt *c = env;
  if (c->mig) return migration_tick(c, f, NULL);
  if (c->start_migration) {
    c->start_migration = 0;
    return checkpoint_now(c, f);
  }
  if (ckpt_signalled && c->want_signal) return look(c, f);
  if (++c->polls < c->poll_every) return 1;
  c->polls = 0;
  /* Read the clock about once a millisecond of guest time, whatever a
  ** safe point costs here. */
  uint64_t now = now_ns(), gap = now - c->last_clock;
  c->last_clock = now;
  if (gap < CLOCK_EVERY_NS && c->poll_every < POLLS_MAX) c->poll_every *= 2;
  else if (gap > 4 * CLOCK_EVERY_NS && c->poll_every > 1) c->poll_every /= 2;
  if (c->last_look && now - c->last_look < LOOK_EVERY_NS) return 1;
  c->last_look = now;
  return look(c, f);
}

static int look_at_call(inro_frame *f, void *env) {
  return look(env, f);
}

/* From a WASI call where the guest waits, every WASI_WAIT_SLICE_NS: the
** triggers are acted on before that call, which a restored run makes
** again (inro_ctx_frame).  A WASI function called by the host rather
** than by Wasm code (-1) leaves them to the next safe point. */
static int on_wait(inro_call_ctx *ctx, void *env) {
  ckpt *c = env;
  if (c->mig) return migration_tick(c, NULL, ctx);
  c->last_look = now_ns();
  return inro_ctx_frame(ctx, look_at_call, c) != 0;
}

static void on_trap(inro_frame *f, const inro_error *trap, void *env) {
  (void)trap;
  write_snapshot(env, f);
}

int ckpt_attach(ckpt *c, inro_store *store, inro_instance *inst, inro_error *err) {
  c->inst = inst;
  /* Without a trigger, a migration begins at the first safe point. */
  c->start_migration = c->o.migrate_to && !c->o.after && !c->o.trigger && !c->o.control;
  if (c->o.after) {
    c->counter = inro_probe_global(inst, count_probe, c, err);
    if (!c->counter) return 0;
  }
  if (c->o.trigger || c->o.control || c->want_signal || c->o.migrate_to) {
    c->poll_every = 1;
    c->safepoints = inro_probe_safepoints(inst, safepoint, c, err);
    if (!c->safepoints) return 0;
    wasi_on_wait(c->wasi, on_wait, c);
  }
  if (c->o.on_trap) inro_store_on_trap(store, on_trap, c);
  return 1;
}

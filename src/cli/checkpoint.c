/*
** checkpoint.c -- taking checkpoints from `inro run` / `inro restore`
** (see checkpoint.h), and the --control file.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/checkpoint.h"
#include "cli/cli.h"
#include "platform/platform.h"

#define POLL_EVERY 4096 /* safe points between looks at files */

const char ckpt_help[] =
  "checkpoints (see docs/snapshot-format.md):\n"
  "  --snapshot FILE         where checkpoints are written (default\n"
  "                          inro.snapshot), atomically\n"
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
  "                          checkpoint\n";

struct ckpt {
  ckpt_opts o;
  wasi_state *wasi;
  monitor_set *mon;
  char *entry;
  inro_probe *counter;
  inro_probe_group *safepoints;
  uint64_t executed;
  unsigned polls;
  long control_pos;
  volatile int signalled;
  int want_signal;        /* --snapshot given: SIGUSR1 checkpoints */
  int stopped, failed;
};

/* ------------------------------------------------------------- options */

int ckpt_parse_option(ckpt_opts *o, int argc, char **argv, int *i) {
  static const char *const valued[] = {"--snapshot", "--checkpoint-after",
                                       "--checkpoint-trigger", "--control"};
  const char *a = argv[*i];
  if (!strcmp(a, "--snapshot-module=ref")) return o->module_ref = 1;
  if (!strcmp(a, "--snapshot-module=embed")) return o->module_ref = 0, 1;
  if (!strcmp(a, "--checkpoint-on-trap")) return o->on_trap = 1;
  if (!strcmp(a, "--checkpoint-continue")) return o->cont = 1;
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
    default: o->control = v; break;
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
  c->want_signal = o->snapshot != NULL;
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

/* Write a snapshot of the state at frame f.  1 on success. */
static int write_snapshot(ckpt *c, inro_frame *f) {
  uint8_t *wasi_bytes = NULL, *mon_bytes = NULL;
  size_t wasi_size = 0, mon_size = 0;
  inro_snapshot_section extra[3];
  size_t n = 0;
  int ok = 0;
  if (wasi_save(c->wasi, &wasi_bytes, &wasi_size) != 0) {
    cli_error("checkpoint: cannot save the WASI state");
    goto done;
  }
  extra[n++] = (inro_snapshot_section){CKPT_SEC_WASI, wasi_bytes, wasi_size};
  if (c->mon && monitor_set_active(c->mon)) {
    monitor_set_checkpoint(c->mon, f); /* count the instruction at f */
    if (monitor_set_save(c->mon, &mon_bytes, &mon_size) != 0) {
      cli_error("checkpoint: cannot save the monitors' state");
      goto done;
    }
    extra[n++] = (inro_snapshot_section){CKPT_SEC_MONITORS, mon_bytes, mon_size};
  }
  extra[n++] = (inro_snapshot_section){CKPT_SEC_RUN, (const uint8_t *)c->entry,
                                       strlen(c->entry)};
  inro_error err;
  size_t size;
  uint8_t *bytes = inro_snapshot_capture(f, !c->o.module_ref, extra, n, &size, &err);
  if (!bytes) {
    cli_error("checkpoint: %s", err.message);
    goto done;
  }
  char why[160];
  if (plat_write_file_atomic(c->o.snapshot, bytes, size, why, sizeof why) != 0)
    cli_error("checkpoint: cannot write %s: %s", c->o.snapshot, why);
  else
    ok = 1;
  free(bytes);
done:
  free(wasi_bytes);
  free(mon_bytes);
  if (!ok) c->failed = 1;
  return ok;
}

/* Take a checkpoint now; the probe's return value. */
static int checkpoint_now(ckpt *c, inro_frame *f) {
  int ok = write_snapshot(c, f);
  if (ok && c->o.cont) return 1;
  c->stopped = ok;
  return inro_frame_trap(f, ok ? "stopped after checkpoint" : "checkpoint failed");
}

/* ------------------------------------------------------------- triggers */

static int count_probe(inro_frame *f, void *env) {
  ckpt *c = env;
  if (++c->executed <= c->o.after) return 1;
  inro_probe_remove(c->counter); /* fires no more; safe from inside */
  c->counter = NULL;
  return checkpoint_now(c, f);
}

/* New lines of the control file since the last look; the probe's return
** value. */
static int poll_control(ckpt *c, inro_frame *f) {
  int64_t size = plat_file_size(c->o.control);
  if (size < 0 || size <= c->control_pos) return 1;
  FILE *fp = fopen(c->o.control, "r");
  if (!fp) return 1;
  int rc = 1;
  char line[256];
  if (fseek(fp, c->control_pos, SEEK_SET) == 0) {
    while (fgets(line, sizeof line, fp)) {
      size_t len = strlen(line);
      if (len == 0 || line[len - 1] != '\n') break; /* wait for the rest */
      c->control_pos += (long)len;
      line[len - 1] = 0;
      if (!strcmp(line, "checkpoint")) {
        rc = checkpoint_now(c, f);
        if (!rc) break;
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
  if (c->signalled) {
    c->signalled = 0;
    return checkpoint_now(c, f);
  }
  if (++c->polls < POLL_EVERY) return 1;
  c->polls = 0;
  if (c->o.trigger && plat_exists(c->o.trigger)) {
    remove(c->o.trigger);
    return checkpoint_now(c, f);
  }
  if (c->o.control) return poll_control(c, f);
  return 1;
}

static void on_trap(inro_frame *f, const inro_error *trap, void *env) {
  (void)trap;
  write_snapshot(env, f);
}

int ckpt_attach(ckpt *c, inro_store *store, inro_instance *inst, inro_error *err) {
  if (c->o.after) {
    c->counter = inro_probe_global(inst, count_probe, c, err);
    if (!c->counter) return 0;
  }
  int signal = c->want_signal && plat_catch_checkpoint_signal(&c->signalled);
  if (c->o.trigger || c->o.control || signal) {
    c->safepoints = inro_probe_safepoints(inst, safepoint, c, err);
    if (!c->safepoints) return 0;
  }
  if (c->o.on_trap) inro_store_on_trap(store, on_trap, c);
  return 1;
}

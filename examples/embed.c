/*
** embed.c -- inro embedded in a C program; docs/embedding.md walks
** through it.
**
**   embed [--straight] GUEST.wasm OUTDIR [N]
**
** Runs the WASI command GUEST.wasm (examples/primes.c) with the argument N
** (default 100000), the environment BLOCK=10000, the host directory OUTDIR
** preopened as /out, and one host function of embed's own,
** host.progress(done, found).  The guest runs on a budget: FUEL_STEP calls
** and taken branches at a time; each time it runs out, embed gives it
** more and resumes it.  After the guest's third report a watchdog thread
** interrupts it, and embed checkpoints the interrupted call: the whole
** execution state, the WASI state and embed's own state go into a
** snapshot (kept in memory here; a file would do as well), and the call
** is dropped.  Then embed restores the snapshot into a fresh store with a
** fresh WASI state and lets the guest finish, on the same budget.  Its
** stdout and /out/primes.txt are those of a run without budget,
** interruption or checkpoint (--straight).
**
** Built against an installed inro as any embedder builds it:
**   cc embed.c $(pkg-config --cflags --libs inro) -pthread
** (`make embed-example` does, and `make test` runs it: tests/embed.sh.)
*/
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "inro.h"

#define FUEL_STEP 500000     /* calls and taken branches per budget */
#define INTERRUPT_AFTER 3    /* reports before the interruption */
#define EMBED_SECTION 0x200u /* embed's own state in the snapshot */

/* The watchdog: a thread that interrupts the guest, with the one store
** function another thread may call.  A real watchdog interrupts on a
** timer (a time limit, a shutdown); this one waits for the guest's
** INTERRUPT_AFTER-th report, and the guest waits for it, so that every
** run stops at the same place. */
typedef struct watchdog {
  pthread_mutex_t lock;
  pthread_cond_t changed;
  enum { WAITING, REPORTED, INTERRUPTED, DONE } state;
  inro_store *store;
  pthread_t thread;
} watchdog;

static void *watch(void *arg) {
  watchdog *w = arg;
  pthread_mutex_lock(&w->lock);
  while (w->state == WAITING) pthread_cond_wait(&w->changed, &w->lock);
  if (w->state == REPORTED) {
    inro_store_interrupt(w->store); /* the guest stops at its next slice */
    w->state = INTERRUPTED;
    pthread_cond_broadcast(&w->changed);
  }
  pthread_mutex_unlock(&w->lock);
  return NULL;
}

/* Move the watchdog from WAITING to `state` (REPORTED: and wait until it
** has interrupted; DONE: it ends without). */
static void watchdog_tell(watchdog *w, int state) {
  pthread_mutex_lock(&w->lock);
  if (w->state == WAITING) w->state = state;
  pthread_cond_broadcast(&w->changed);
  while (w->state == REPORTED) pthread_cond_wait(&w->changed, &w->lock);
  pthread_mutex_unlock(&w->lock);
}

/* What embed keeps between its callbacks. */
typedef struct host {
  inro_wasi *wasi;       /* the guest's WASI state, saved with a checkpoint */
  unsigned reports;      /* calls of host.progress so far */
  watchdog *watchdog;    /* NULL: no interruption */
  uint8_t *snapshot;     /* the latest checkpoint */
  size_t snapshot_size;
  inro_error error;      /* why a checkpoint failed */
} host;

/* host.progress(done, found): reports, and wakes the watchdog after the
** INTERRUPT_AFTER-th. */
static int progress(inro_call_ctx *ctx, void *env, const uint64_t *args,
                    uint64_t *results) {
  host *h = env;
  (void)ctx, (void)results;
  h->reports++;
  fprintf(stderr, "embed: report %u: %u numbers done, %u primes\n", h->reports,
          (unsigned)args[0], (unsigned)args[1]);
  if (h->watchdog && h->reports == INTERRUPT_AFTER) watchdog_tell(h->watchdog, REPORTED);
  return 1; /* go on */
}

/* Called with the innermost frame of the suspended call, where the
** guest's whole state is in inro's frames: take the checkpoint, with
** WASI's state and embed's own as sections. */
static int checkpoint(inro_frame *frame, void *env) {
  host *h = env;
  size_t wasi_size;
  free(h->snapshot);
  h->snapshot = NULL;
  uint8_t *wasi_state = inro_wasi_save(h->wasi, &wasi_size, &h->error);
  if (wasi_state) {
    /* Sections are bytes: write numbers in a fixed byte order so that the
    ** snapshot restores on any host. */
    uint8_t own[4] = {(uint8_t)h->reports, (uint8_t)(h->reports >> 8),
                      (uint8_t)(h->reports >> 16), (uint8_t)(h->reports >> 24)};
    inro_snapshot_section sections[2] = {{INRO_WASI_SECTION, wasi_state, wasi_size},
                                         {EMBED_SECTION, own, sizeof own}};
    h->snapshot = inro_snapshot_capture(frame, 1, sections, 2, &h->snapshot_size, &h->error);
    free(wasi_state);
  }
  return h->snapshot != NULL;
}

/* Carry a call on through its stops, and checkpoint it at each: out of
** fuel, give it FUEL_STEP more and resume it where it stopped; interrupted,
** leave it suspended.  1 when the call returned, or 0 with err
** (INRO_ERR_INTERRUPTED: suspended, h->snapshot taken there). */
static int drive(inro_store *store, host *h, int ok, inro_error *err) {
  while (!ok && (err->kind == INRO_ERR_FUEL || err->kind == INRO_ERR_INTERRUPTED)) {
    int taken = inro_suspended_frame(store, checkpoint, h);
    if (taken != 1) { /* -1: stopped before it ran (not here: it has fuel) */
      if (taken < 0) strcpy(h->error.message, "nothing to checkpoint");
      *err = h->error;
      return 0;
    }
    fprintf(stderr, "embed: %s after report %u: checkpoint of %zu bytes\n",
            err->kind == INRO_ERR_FUEL ? "out of fuel" : "interrupted", h->reports,
            h->snapshot_size);
    if (err->kind == INRO_ERR_INTERRUPTED) return 0;
    inro_store_set_fuel(store, FUEL_STEP);
    ok = inro_resume(store, NULL, 0, err);
  }
  return ok;
}

/* A linker with WASI and host.progress, as functions of store. */
static inro_linker *link_guest(inro_store *store, host *h, inro_error *err) {
  static const inro_valtype params[] = {INRO_I32, INRO_I32};
  inro_linker *linker = inro_linker_new(err);
  inro_extern fn = {.kind = INRO_EXTERN_FUNC};
  if (!linker) return NULL;
  fn.of.func = inro_func_new(store, params, 2, NULL, 0, progress, h, err);
  if (!fn.of.func || !inro_linker_define(linker, "host", "progress", fn, err) ||
      !inro_wasi_link(h->wasi, store, linker, err)) {
    inro_linker_free(linker);
    return NULL;
  }
  return linker;
}

/* The exit status of a finished guest: 0 when _start returned, proc_exit's
** status, or 1 after a trap or another failure (reported). */
static int guest_status(int ok, const inro_error *err) {
  if (ok) return 0;
  if (err->kind == INRO_ERR_EXIT) return err->exit_code;
  fprintf(stderr, "embed: %s\n", err->message);
  return 1;
}

/* Run the guest from its start.  Budgeted (not --straight): on FUEL_STEP
** units at a time, and watched; when the watchdog interrupts the guest,
** drop the call, keeping its checkpoint h->snapshot.  The guest's status
** (0 once interrupted and checkpointed). */
static int run(const inro_module *module, host *h, int budgeted) {
  inro_error err;
  inro_store *store = inro_store_new(NULL, &err);
  inro_linker *linker = store ? link_guest(store, h, &err) : NULL;
  inro_instance *inst = linker ? inro_linker_instantiate(linker, store, module, &err) : NULL;
  watchdog w = {.lock = PTHREAD_MUTEX_INITIALIZER, .changed = PTHREAD_COND_INITIALIZER,
                .state = WAITING, .store = store};
  inro_extern start;
  int status = 1;
  if (!inst) {
    fprintf(stderr, "embed: %s\n", err.message);
  } else if (!inro_instance_export(inst, "_start", &start) ||
             start.kind != INRO_EXTERN_FUNC) {
    fprintf(stderr, "embed: the guest has no _start\n");
  } else if (budgeted && pthread_create(&w.thread, NULL, watch, &w) != 0) {
    fprintf(stderr, "embed: cannot start the watchdog\n");
  } else {
    if (budgeted) {
      h->watchdog = &w;
      inro_store_set_fuel(store, FUEL_STEP);
    }
    int ok = inro_call(store, start.of.func, NULL, 0, NULL, 0, &err);
    ok = drive(store, h, ok, &err);
    if (!ok && err.kind == INRO_ERR_INTERRUPTED) {
      status = 0;
      inro_abandon(store); /* h->snapshot goes on with it */
    } else {
      status = guest_status(ok, &err);
      free(h->snapshot); /* a checkpoint the finished guest left behind */
      h->snapshot = NULL;
    }
    if (budgeted) {
      watchdog_tell(&w, DONE);
      pthread_join(w.thread, NULL);
      h->watchdog = NULL;
    }
  }
  inro_linker_free(linker);
  inro_store_free(store);
  return status;
}

/* Resume the checkpoint h->snapshot in a fresh store with a fresh WASI
** state, outdir granted as /out again, on the same budget.  The guest's
** status. */
static int restore(const inro_module *module, const host *taken,
                   const char *outdir) {
  inro_error err;
  host h = {.wasi = NULL};
  inro_snapshot *snap = inro_snapshot_open(taken->snapshot, taken->snapshot_size, &err);
  inro_store *store = NULL;
  inro_linker *linker = NULL;
  inro_extern *imports = NULL;
  inro_instance *inst = NULL;
  int status = 1;
  size_t wasi_size = 0, own_size = 0;
  const uint8_t *wasi_state = snap ? inro_snapshot_section_get(snap, INRO_WASI_SECTION, &wasi_size) : NULL;
  const uint8_t *own = snap ? inro_snapshot_section_get(snap, EMBED_SECTION, &own_size) : NULL;
  inro_wasi_dir out = {"/out", outdir};
  if (!snap) goto failed;
  if (!wasi_state || !own || own_size != 4) {
    fprintf(stderr, "embed: the snapshot lacks embed's sections\n");
    goto done;
  }
  h.reports = own[0] | (unsigned)own[1] << 8 | (unsigned)own[2] << 16 | (unsigned)own[3] << 24;
  if (!(h.wasi = inro_wasi_new(&err)) ||
      !inro_wasi_restore(h.wasi, wasi_state, wasi_size, &out, 1, 0, &err) ||
      !(store = inro_store_new(NULL, &err)) || !(linker = link_guest(store, &h, &err)) ||
      !(imports = inro_linker_resolve(linker, module, &err)) ||
      !(inst = inro_snapshot_restore(store, snap, module, imports,
                                     inro_module_import_count(module), &err)))
    goto failed;
  fprintf(stderr, "embed: restored after report %u\n", h.reports);
  inro_store_set_fuel(store, FUEL_STEP);
  status = guest_status(drive(store, &h, inro_snapshot_resume(store, inst, snap, NULL, 0, &err),
                              &err), &err);
  free(h.snapshot);
  goto done;
failed:
  fprintf(stderr, "embed: restore: %s\n", err.message);
done:
  free(imports);
  inro_linker_free(linker);
  inro_store_free(store);
  inro_wasi_free(h.wasi);
  inro_snapshot_free(snap);
  return status;
}

static uint8_t *read_file(const char *path, size_t *size) {
  FILE *f = fopen(path, "rb");
  uint8_t *bytes = NULL;
  long n = -1;
  if (f && fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
      (bytes = malloc((size_t)n + 1)) && fread(bytes, 1, (size_t)n, f) != (size_t)n) {
    free(bytes);
    bytes = NULL;
  }
  if (f) fclose(f);
  *size = (size_t)n;
  return bytes;
}

int main(int argc, char **argv) {
  int straight = argc > 1 && !strcmp(argv[1], "--straight");
  if (argc - straight < 3 || argc - straight > 4) {
    fprintf(stderr, "usage: embed [--straight] GUEST.wasm OUTDIR [N]\n");
    return 2;
  }
  const char *guest = argv[1 + straight], *outdir = argv[2 + straight];
  const char *n = argc - straight > 3 ? argv[3 + straight] : "100000";
  size_t size;
  uint8_t *bytes = read_file(guest, &size);
  if (!bytes) {
    fprintf(stderr, "embed: cannot read %s\n", guest);
    return 1;
  }
  inro_error err;
  inro_module *module = inro_module_new(bytes, size, &err);
  free(bytes);
  if (!module) {
    fprintf(stderr, "embed: %s: %s\n", guest, err.message);
    return 1;
  }
  host h = {.wasi = NULL};
  int status = 1;
  if (!(h.wasi = inro_wasi_new(&err)) || !inro_wasi_arg(h.wasi, "primes", &err) ||
      !inro_wasi_arg(h.wasi, n, &err) || !inro_wasi_env(h.wasi, "BLOCK", "10000", &err) ||
      !inro_wasi_preopen(h.wasi, outdir, "/out", &err)) {
    fprintf(stderr, "embed: %s\n", err.message);
  } else {
    fflush(stdout);
    status = run(module, &h, !straight);
    if (status == 0 && h.snapshot) {
      status = restore(module, &h, outdir);
    } else if (status == 0 && !straight) {
      fprintf(stderr, "embed: the guest ended before its interruption\n");
      status = 1;
    }
  }
  free(h.snapshot);
  inro_wasi_free(h.wasi);
  inro_module_free(module);
  return status;
}

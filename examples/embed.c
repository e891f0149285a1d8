/*
** embed.c -- inro embedded in a C program; docs/embedding.md walks
** through it.
**
**   embed [--straight] GUEST.wasm OUTDIR [N]
**
** Runs the WASI command GUEST.wasm (examples/primes.c) with the argument N
** (default 100000), the environment BLOCK=10000, the host directory OUTDIR
** preopened as /out, and one host function of embed's own,
** host.progress(done, found).  After the guest's third report embed
** checkpoints it at the next safe point: the whole execution state, the
** WASI state and embed's own state go into a snapshot (kept in memory
** here; a file would do as well) and the run stops.  Then embed restores
** the snapshot into a fresh store with a fresh WASI state and lets the
** guest finish.  Its stdout and /out/primes.txt are those of a run without
** the checkpoint (--straight).
**
** Built against an installed inro as any embedder builds it:
**   cc embed.c $(pkg-config --cflags --libs inro)
** (`make embed-example` does, and `make test` runs it: tests/embed.sh.)
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "inro.h"

#define CHECKPOINT_AFTER 3   /* reports before the checkpoint */
#define EMBED_SECTION 0x200u /* embed's own state in the snapshot */

/* What embed keeps between its callbacks. */
typedef struct host {
  inro_wasi *wasi;       /* the guest's WASI state, saved with a checkpoint */
  unsigned reports;      /* calls of host.progress so far */
  int want_checkpoint;   /* set by host.progress, done at a safe point */
  uint8_t *snapshot;     /* the checkpoint, once taken */
  size_t snapshot_size;
} host;

/* host.progress(done, found).  A snapshot cannot be taken from inside a
** host function, only from a probe: this one just asks for it. */
static int progress(inro_call_ctx *ctx, void *env, const uint64_t *args,
                    uint64_t *results) {
  host *h = env;
  (void)ctx, (void)results;
  h->reports++;
  fprintf(stderr, "embed: report %u: %u numbers done, %u primes\n", h->reports,
          (unsigned)args[0], (unsigned)args[1]);
  if (h->reports == CHECKPOINT_AFTER && !h->snapshot) h->want_checkpoint = 1;
  return 1; /* go on */
}

/* The probe at every safe point (function entries and loop bodies), where
** the guest's whole state is in inro's frames: take the checkpoint that
** progress asked for, with WASI's state and embed's own as sections, and
** stop the guest. */
static int at_safepoint(inro_frame *frame, void *env) {
  host *h = env;
  if (!h->want_checkpoint) return 1;
  h->want_checkpoint = 0;
  inro_error err;
  size_t wasi_size;
  uint8_t *wasi_state = inro_wasi_save(h->wasi, &wasi_size, &err);
  if (!wasi_state) return inro_frame_trap(frame, err.message);
  /* Sections are bytes: write numbers in a fixed byte order so that the
  ** snapshot restores on any host. */
  uint8_t own[4] = {(uint8_t)h->reports, (uint8_t)(h->reports >> 8),
                    (uint8_t)(h->reports >> 16), (uint8_t)(h->reports >> 24)};
  inro_snapshot_section sections[2] = {{INRO_WASI_SECTION, wasi_state, wasi_size},
                                       {EMBED_SECTION, own, sizeof own}};
  h->snapshot = inro_snapshot_capture(frame, 1, sections, 2, &h->snapshot_size, &err);
  free(wasi_state);
  if (!h->snapshot) return inro_frame_trap(frame, err.message);
  return inro_frame_trap(frame, "stopped for a checkpoint");
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

/* Run the guest from its start; with checkpoint, stop it after
** CHECKPOINT_AFTER reports with h->snapshot taken.  Its status. */
static int run(const inro_module *module, host *h, int checkpoint) {
  inro_error err;
  inro_store *store = inro_store_new(NULL, &err);
  inro_linker *linker = store ? link_guest(store, h, &err) : NULL;
  inro_instance *inst = linker ? inro_linker_instantiate(linker, store, module, &err) : NULL;
  inro_probe_group *safepoints = NULL;
  inro_extern start;
  int status = 1;
  if (inst && checkpoint)
    safepoints = inro_probe_safepoints(inst, at_safepoint, h, &err);
  if (!inst || (checkpoint && !safepoints)) {
    fprintf(stderr, "embed: %s\n", err.message);
  } else if (!inro_instance_export(inst, "_start", &start) ||
             start.kind != INRO_EXTERN_FUNC) {
    fprintf(stderr, "embed: the guest has no _start\n");
  } else {
    int ok = inro_call(store, start.of.func, NULL, 0, NULL, 0, &err);
    status = h->snapshot ? 0 : guest_status(ok, &err);
  }
  inro_probe_group_remove(safepoints);
  inro_linker_free(linker);
  inro_store_free(store);
  return status;
}

/* Resume the checkpoint h->snapshot in a fresh store with a fresh WASI
** state, outdir granted as /out again.  The guest's status. */
static int restore(const inro_module *module, const host *taken,
                   const char *outdir) {
  inro_error err;
  host h = {NULL, 0, 0, NULL, 0};
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
  status = guest_status(inro_snapshot_resume(store, inst, snap, NULL, 0, &err), &err);
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
  host h = {NULL, 0, 0, NULL, 0};
  int status = 1;
  if (!(h.wasi = inro_wasi_new(&err)) || !inro_wasi_arg(h.wasi, "primes", &err) ||
      !inro_wasi_arg(h.wasi, n, &err) || !inro_wasi_env(h.wasi, "BLOCK", "10000", &err) ||
      !inro_wasi_preopen(h.wasi, outdir, "/out", &err)) {
    fprintf(stderr, "embed: %s\n", err.message);
  } else {
    fflush(stdout);
    status = run(module, &h, !straight);
    if (status == 0 && h.snapshot) {
      fprintf(stderr, "embed: checkpoint of %zu bytes taken after report %u\n",
              h.snapshot_size, h.reports);
      status = restore(module, &h, outdir);
    } else if (status == 0 && !straight) {
      fprintf(stderr, "embed: the guest ended before its checkpoint\n");
      status = 1;
    }
  }
  free(h.snapshot);
  inro_wasi_free(h.wasi);
  inro_module_free(module);
  return status;
}

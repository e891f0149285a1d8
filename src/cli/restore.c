/*
** restore.c -- `inro restore [OPTIONS] SNAPSHOT`: resume a checkpointed
** run, here or on another host, native or self-hosted.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/checkpoint.h"
#include "cli/cli.h"

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
  "and the checkpoint options of `inro run` (checkpoint again later):\n"
  "\n";

typedef struct restore_opts {
  wasi_remap_entry *remaps;
  size_t nremaps;
  const char *module, *monitor_out, *snapshot;
  int force, trust_dirs;
  ckpt_opts ck;
} restore_opts;

static int usage(const char *what) {
  cli_error("restore: %s (try: inro restore --help)", what);
  return 2;
}

static int parse(int argc, char **argv, restore_opts *o) {
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
      fputs(restore_help, stdout);
      fputs(ckpt_help, stdout);
      return -1;
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
      cli_error("restore: unknown option '%s' (try: inro restore --help)", a);
      return 2;
    }
    if (o->snapshot) return usage("one snapshot at a time");
    o->snapshot = a;
  }
  if (!o->snapshot) return usage("missing SNAPSHOT");
  return 0;
}

static int resume(restore_opts *o, const inro_snapshot *snap, inro_module *mod,
                  wasi_state *wasi, monitor_set *mon, const char *entry) {
  inro_error err;
  inro_error_clear(&err);
  inro_store *store = inro_store_new(NULL, &err);
  inro_linker *linker = inro_linker_new(NULL);
  inro_extern *imports = NULL;
  inro_value *res = NULL;
  ckpt *ck = NULL;
  int status = 1;
  if (!store || !linker || !wasi_define(wasi, store, linker, &err)) {
    cli_error("%s", store && linker ? err.message : "out of memory");
    goto done;
  }
  imports = inro_linker_resolve(linker, mod, &err);
  if (!imports) {
    cli_error("%s: %s", o->snapshot, err.message);
    goto done;
  }
  inro_instance *inst = inro_snapshot_restore(store, snap, mod, imports,
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
  if (!ck || !ckpt_attach(ck, store, inst, &err)) {
    cli_error("%s", ck ? err.message : "out of memory");
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
  int ok = inro_snapshot_resume(store, inst, snap, res, nres, &err);
  for (size_t i = 0; ok && i < nres; i++)
    if (res[i].type) cli_print_value(&res[i]); /* set, as the frame had it */
  status = ckpt_outcome(ck, store, ok, &err, o->snapshot);
  if (ckpt_failed(ck) && status == 0) status = 1;
  /* The monitors report when the guest ran to its end (a trap or an exit
  ** included): not after a refusal of the snapshot's frames (one line
  ** says why), nor at a checkpoint, whose restore reports for the run. */
  int ran = ok || err.kind == INRO_ERR_TRAP || err.kind == INRO_ERR_EXIT;
  if (monitor_set_active(mon) && ran && !ckpt_stopped(ck)) {
    char why[160];
    if (monitor_set_report(mon, o->monitor_out, stderr, why, sizeof why) != 0) {
      cli_error("monitor: %s", why);
      if (status == 0) status = 1;
    }
  }
done:
  ckpt_free(ck);
  free(res);
  free(imports);
  if (linker) inro_linker_free(linker);
  if (store) inro_store_free(store);
  return status;
}

int cli_restore(int argc, char **argv) {
  restore_opts o;
  memset(&o, 0, sizeof o);
  o.remaps = calloc((size_t)argc + 1, sizeof *o.remaps);
  if (!o.remaps) {
    cli_error("out of memory");
    return 1;
  }
  int status = parse(argc, argv, &o);
  if (status) {
    free(o.remaps);
    return status == -1 ? 0 : status;
  }
  status = ckpt_start(&o.ck);
  if (status) {
    free(o.remaps);
    return status;
  }
  status = 1;
  size_t size = 0, msize = 0;
  uint8_t *bytes = cli_read_file(o.snapshot, &size), *given = NULL;
  inro_snapshot *snap = NULL;
  inro_module *mod = NULL;
  wasi_state *wasi = wasi_new();
  monitor_set *mon = monitor_set_new();
  inro_error err;
  if (!bytes) goto done;
  if (!wasi || !mon) {
    cli_error("out of memory");
    goto done;
  }
  snap = inro_snapshot_open(bytes, size, &err);
  if (!snap) {
    cli_error("%s: %s", o.snapshot, err.message);
    goto done;
  }
  uint32_t unknown = ckpt_unknown_section(snap);
  if (unknown) {
    cli_error("%s: snapshot needs section 0x%x, unknown to this inro", o.snapshot,
              unknown);
    goto done;
  }
  const uint8_t *mbytes = inro_snapshot_module_bytes(snap, &msize);
  if (!mbytes) {
    if (!o.module) {
      cli_error("%s: the module is not in the snapshot: give it with --module PATH", o.snapshot);
      goto done;
    }
    if (!(given = cli_read_file(o.module, &msize))) goto done;
    mbytes = given;
  }
  mod = inro_module_new(mbytes, msize, &err);
  if (!mod) {
    cli_error("%s: module: %s", o.snapshot, err.message);
    goto done;
  }
  size_t n = 0;
  const uint8_t *sec = inro_snapshot_section_get(snap, CKPT_SEC_WASI, &n);
  char why[256];
  wasi_remap remap = {o.remaps, o.nremaps, !o.trust_dirs};
  if (!sec) {
    cli_error("%s: no WASI state in the snapshot", o.snapshot);
    goto done;
  }
  if (wasi_load(wasi, sec, n, &remap, o.force, why, sizeof why) != 0) {
    cli_error("%s: %s", o.snapshot, why);
    goto done;
  }
  sec = inro_snapshot_section_get(snap, CKPT_SEC_MONITORS, &n);
  if (sec && monitor_set_load(mon, sec, n, why, sizeof why) != 0) {
    cli_error("%s: monitors: %s", o.snapshot, why);
    goto done;
  }
  if (monitor_set_active(mon) && monitor_set_check_output(mon, o.monitor_out, why, sizeof why)) {
    cli_error("monitor: %s", why);
    goto done;
  }
  char entry[128];
  if (!ckpt_entry(snap, entry, sizeof entry)) strcpy(entry, "_start");
  status = resume(&o, snap, mod, wasi, mon, entry);
done:
  inro_module_free(mod);
  inro_snapshot_free(snap);
  monitor_set_free(mon);
  if (wasi) wasi_free(wasi);
  free(given);
  free(bytes);
  free(o.remaps);
  return status;
}

/*
** inspect.c -- `inro inspect [--json] SNAPSHOT`: what a snapshot holds,
** readable: module hash, frames with function names and offsets, locals
** and operands, memory, globals, and the command-line sections.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/checkpoint.h"
#include "cli/entry.h"
#include "cli/cli.h"
#include "util/json.h"

static const char inspect_help[] =
  "usage: inro inspect [--json] SNAPSHOT\n"
  "       inro inspect --ir MODULE.wasm [--func N]\n"
  "\n"
  "Print a summary of a snapshot written by `inro run --snapshot ...`:\n"
  "the module's SHA-256, every frame (function name, byte offset, locals,\n"
  "operand stack), memory pages in use, globals, WASI descriptors and\n"
  "monitors.  --json prints the same as one JSON object.  Strings (names,\n"
  "arguments, environment, paths) are JSON strings in both forms; a byte\n"
  "that is not part of UTF-8 text is written \\uDCXX (XX: its value).\n"
  "SNAPSHOT - reads standard input (a snapshot or a migration stream).\n"
  "--ir prints the internal code inro translates a module's functions to\n"
  "(all of them, or function index N), see docs/design.md.\n"
  "Exit status: 0, 1 for an unreadable or corrupted snapshot, 2 usage.\n";

/* A value as "TYPE:BITS"; references as func[N]/null.  Bits, not decimal
** floats, so the output is exact and the same on every host. */
static void print_value(FILE *out, inro_value v, int json) {
  char buf[64];
  switch (v.type) {
  case INRO_I32: snprintf(buf, sizeof buf, "%u", (unsigned)v.of.i32); break;
  case INRO_F32: snprintf(buf, sizeof buf, "0x%08x", (unsigned)v.of.i32); break;
  case INRO_FUNCREF:
    if (v.of.i64) snprintf(buf, sizeof buf, "func[%llu]", (unsigned long long)v.of.i64 - 1);
    else snprintf(buf, sizeof buf, "null");
    break;
  case INRO_EXTERNREF: snprintf(buf, sizeof buf, "null"); break;
  case INRO_F64: snprintf(buf, sizeof buf, "0x%016llx", (unsigned long long)v.of.i64); break;
  case INRO_V128: cli_v128_format(v.of.v128, buf, sizeof buf); break;
  default: snprintf(buf, sizeof buf, "%llu", (unsigned long long)v.of.i64); break;
  }
  fprintf(out, json ? "\"%s:%s\"" : "%s:%s", cli_type_name(v.type), buf);
}

/* A snapshot taken in a reactor's _initialize: the entry call to come. */
static void print_then(FILE *out, const inro_snapshot *snap) {
  size_t n = 0;
  const uint8_t *b = inro_snapshot_section_get(snap, CKPT_SEC_THEN, &n);
  char name[101];
  entry_call e;
  if (!b) return;
  ckpt_entry(snap, name, sizeof name);
  if (!entry_load(&e, name, b, n)) {
    fprintf(out, "then: (malformed)\n");
  } else {
    fprintf(out, "then: %s", e.invoke ? "invoke " : "");
    json_write_string(out, name);
    for (int k = 0; k < e.nargs; k++) {
      fputc(' ', out);
      json_write_string(out, e.args[k]);
    }
    fputc('\n', out);
  }
  entry_free(&e);
}

int cli_inspect(int argc, char **argv) {
  int json = 0, ir = 0;
  long func = -1;
  const char *path = NULL;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
      fputs(inspect_help, stdout);
      return 0;
    }
    if (!strcmp(argv[i], "--json")) json = 1;
    else if (!strcmp(argv[i], "--ir")) ir = 1;
    else if (!strcmp(argv[i], "--func")) {
      char *end;
      if (i + 1 >= argc || (func = strtol(argv[i + 1], &end, 10)) < 0 || *end ||
          !argv[i + 1][0]) {
        cli_error("inspect: --func needs a function index (try: inro inspect --help)");
        return 2;
      }
      i++;
    }
    else if (argv[i][0] == '-' && argv[i][1]) {
      cli_error("inspect: unknown option '%s' (try: inro inspect --help)", argv[i]);
      return 2;
    } else if (path) {
      cli_error("inspect: one snapshot at a time (try: inro inspect --help)");
      return 2;
    } else {
      path = argv[i];
    }
  }
  if (!path || (func >= 0 && !ir) || (ir && json)) {
    fputs(inspect_help, stderr);
    return 2;
  }
  if (ir) return cli_inspect_ir(path, func);
  cli_stream in = {0, 0, NULL};
  char why[160];
  if (strcmp(path, "-") && plat_open_read(path, &in.fd, why, sizeof why) != 0) {
    cli_error("cannot read %s: %s", path, why);
    return 1;
  }
  inro_error err;
  inro_snapshot *snap = inro_snapshot_read(cli_stream_read, &in, &err);
  int trailing = snap && in.fd != 0 && !cli_stream_at_end(&in);
  if (in.fd != 0) plat_close(in.fd);
  if (!snap) {
    cli_error("%s: %s", path, in.err ? plat_strerror(in.err) : err.message);
    return 1;
  }
  if (trailing) {
    cli_error("%s: trailing bytes after the snapshot", path);
    inro_snapshot_free(snap);
    return 1;
  }
  size_t msize = 0;
  const uint8_t *mbytes = inro_snapshot_module_bytes(snap, &msize);
  inro_module *mod = mbytes ? inro_module_new(mbytes, msize, &err) : NULL;
  const uint8_t *hash = inro_snapshot_module_hash(snap);
  char hex[65];
  for (int i = 0; i < 32; i++) snprintf(hex + 2 * i, 3, "%02x", hash[i]);
  char entry[128];
  ckpt_entry(snap, entry, sizeof entry);
  uint32_t pages, stored;
  inro_snapshot_memory(snap, &pages, &stored);
  FILE *out = stdout;

  if (json) fprintf(out, "{\"module\":{\"sha256\":\"%s\",\"embedded\":%s,\"size\":%zu},\"entry\":",
                    hex, mbytes ? "true" : "false", msize);
  else fprintf(out, "snapshot %s\nmodule sha256 %s (%s, %zu bytes)\nentry %s\n", path, hex,
               mbytes ? "embedded" : "by reference", msize, entry[0] ? entry : "?");
  if (json) {
    json_write_string(out, entry);
    fprintf(out, ",\"frames\":[");
  } else {
    fprintf(out, "frames (outermost first):\n");
  }
  size_t nframes = inro_snapshot_frame_count(snap);
  for (size_t i = 0; i < nframes; i++) {
    uint32_t fidx, off;
    size_t nl, no;
    inro_snapshot_frame(snap, i, &fidx, &off, &nl, &no);
    const char *name = mod ? inro_module_func_name(mod, fidx) : NULL;
    char fname[160];
    if (name) snprintf(fname, sizeof fname, "%s", name);
    else snprintf(fname, sizeof fname, "func[%u]", fidx);
    if (json) {
      fprintf(out, "%s{\"function\":%u,\"name\":", i ? "," : "", fidx);
      json_write_string(out, fname);
      fprintf(out, ",\"offset\":%u,\"locals\":[", off);
    } else {
      fprintf(out, "  #%zu %s at 0x%06x\n    locals:", i, fname, off);
    }
    for (size_t k = 0; k < nl; k++) {
      fputs(json ? (k ? "," : "") : " ", out);
      print_value(out, inro_snapshot_frame_local(snap, i, k), json);
    }
    fputs(json ? "],\"operands\":[" : "\n    operands:", out);
    for (size_t k = 0; k < no; k++) {
      fputs(json ? (k ? "," : "") : " ", out);
      print_value(out, inro_snapshot_frame_operand(snap, i, k), json);
    }
    fputs(json ? "]}" : "\n", out);
  }
  if (json) fprintf(out, "],\"memory\":{\"pages\":%u,\"nonzero_pages\":%u},\"globals\":[", pages, stored);
  else fprintf(out, "memory %u pages (%u KiB), %u with data\nglobals:", pages, pages * 64, stored);
  size_t ng = inro_snapshot_global_count(snap);
  for (size_t i = 0; i < ng; i++) {
    fputs(json ? (i ? "," : "") : " ", out);
    print_value(out, inro_snapshot_global(snap, i), json);
  }
  size_t wsize = 0;
  const uint8_t *wasi = inro_snapshot_section_get(snap, CKPT_SEC_WASI, &wsize);
  size_t msz = 0;
  const uint8_t *mon = inro_snapshot_section_get(snap, CKPT_SEC_MONITORS, &msz);
  uint64_t ctl_read = 0;
  int ctl_skipping, ctl = ckpt_control_read(snap, &ctl_read, &ctl_skipping);
  if (json) {
    fprintf(out, "],\"wasi\":");
    if (!wasi || wasi_describe(wasi, wsize, out, 1) != 0) fputs("null", out);
    fprintf(out, ",\"monitors\":%s", mon ? "true" : "false");
    if (ctl) fprintf(out, ",\"control_read\":%llu", (unsigned long long)ctl_read);
    fprintf(out, ",\"other_sections\":[");
  } else {
    fprintf(out, "\nwasi:\n");
    if (!wasi || wasi_describe(wasi, wsize, out, 0) != 0) fprintf(out, "  (none)\n");
    fprintf(out, "monitors: %s\n", mon ? "state saved" : "none");
    if (ctl) fprintf(out, "control file: %llu bytes read\n", (unsigned long long)ctl_read);
    print_then(out, snap);
  }
  /* Embedder sections that are not ours (a restore refuses required ones). */
  for (size_t i = 0, k = 0; i < inro_snapshot_section_count(snap); i++) {
    uint32_t flags, id = inro_snapshot_section_id(snap, i, &flags);
    size_t n = 0;
    if (id == CKPT_SEC_WASI || id == CKPT_SEC_MONITORS || id == CKPT_SEC_RUN ||
        id == CKPT_SEC_MIGRATION || id == CKPT_SEC_CONTROL || id == CKPT_SEC_THEN)
      continue;
    inro_snapshot_section_get(snap, id, &n);
    if (json)
      fprintf(out, "%s{\"id\":%u,\"size\":%zu,\"required\":%s}", k++ ? "," : "",
              (unsigned)id, n, flags & 1 ? "true" : "false");
    else
      fprintf(out, "section 0x%x: %zu bytes, unknown%s\n", (unsigned)id, n,
              flags & 1 ? ", required (a restore refuses the snapshot)" : "");
  }
  if (json) fputs("]}\n", out);
  inro_module_free(mod);
  inro_snapshot_free(snap);
  return 0;
}

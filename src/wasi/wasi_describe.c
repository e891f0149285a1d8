/*
** wasi_describe.c -- print the WASI section of a snapshot for `inro
** inspect`: indented lines, or one JSON object.  The bytes are parsed and
** checked completely before anything is printed, so a malformed section
** prints nothing (and the caller can print "null" or "(none)").
*/
#include <stdio.h>

#include "util/json.h"
#include "wasi/wasi_snap.h"

/* A string in double quotes, escaped as JSON wants (the names are the
** guest's and the snapshot's: anything but NUL), in the text form too. */
static void wasi_put_str(FILE *out, const char *s) { json_write_string(out, s); }

static void wasi_put_list(FILE *out, char *const *list, size_t n, int json) {
  for (size_t i = 0; i < n; i++) {
    if (json && i) fputc(',', out);
    if (!json) fputc(' ', out);
    wasi_put_str(out, list[i]);
  }
}

static const char *const wasi_kind_names[] = {"stdio", "preopen",
                                              "directory", "file"};
static const char *const wasi_access_names[] = {"", "r", "w", "rw"};
static const char *const wasi_type_names[] = {
  "unknown", "block_device", "character_device", "directory",
  "regular_file", "socket_dgram", "socket_stream", "symbolic_link",
};

static void wasi_put_fd_json(FILE *out, const wasi_snap *s,
                             const wasi_snap_fd *f) {
  fprintf(out, "{\"fd\":%u,\"kind\":\"%s\",\"type\":\"%s\"", (unsigned)f->fd,
          wasi_kind_names[f->kind], wasi_type_names[f->type]);
  if (f->kind == WASI_SNAP_STDIO) {
    fprintf(out, ",\"stdio\":%u", (unsigned)f->ref);
  } else {
    fprintf(out, ",\"preopen\":");
    wasi_put_str(out, s->roots[f->ref].guest);
    fprintf(out, ",\"path\":");
    wasi_put_str(out, f->path);
  }
  fprintf(out,
          ",\"access\":\"%s\",\"fdflags\":%u,\"rights_base\":%llu,"
          "\"rights_inheriting\":%llu",
          wasi_access_names[f->oflags & 3], (unsigned)f->fdflags,
          (unsigned long long)f->rights_base,
          (unsigned long long)f->rights_inheriting);
  if (f->type == PLAT_FT_FILE && f->kind == WASI_SNAP_FILE)
    fprintf(out, ",\"offset\":%llu,\"size\":%llu",
            (unsigned long long)f->offset, (unsigned long long)f->size);
  fputc('}', out);
}

static void wasi_put_fd_text(FILE *out, const wasi_snap *s,
                             const wasi_snap_fd *f) {
  static const char *const stdio[] = {"stdin", "stdout", "stderr"};
  fprintf(out, "  fd %u: ", (unsigned)f->fd);
  if (f->kind == WASI_SNAP_STDIO) {
    fprintf(out, "%s\n", stdio[f->ref]);
    return;
  }
  fprintf(out, "%s ", f->kind == WASI_SNAP_PREOPEN ? "preopen"
                      : f->kind == WASI_SNAP_DIR   ? "directory"
                                                   : wasi_type_names[f->type]);
  wasi_put_str(out, s->roots[f->ref].guest);
  if (f->kind != WASI_SNAP_PREOPEN) {
    fputc(' ', out);
    wasi_put_str(out, f->path);
  }
  fprintf(out, " %s", wasi_access_names[f->oflags & 3]);
  if (f->fdflags) fprintf(out, " fdflags=%u", (unsigned)f->fdflags);
  if (f->type == PLAT_FT_FILE && f->kind == WASI_SNAP_FILE)
    fprintf(out, " offset %llu of %llu bytes", (unsigned long long)f->offset,
            (unsigned long long)f->size);
  fputc('\n', out);
}

int wasi_describe(const uint8_t *bytes, size_t size, FILE *out, int json) {
  wasi_snap s;
  int rc = wasi_snap_parse(bytes, size, &s, NULL, 0);
  if (rc) {
    wasi_snap_free(&s);
    return rc;
  }
  fputs(json ? "{\"args\":[" : "  args:", out);
  wasi_put_list(out, s.argv, s.argc, json);
  fputs(json ? "],\"env\":[" : "\n  env:", out);
  wasi_put_list(out, s.envv, s.envc, json);
  fputs(json ? "],\"preopens\":[" : "\n", out);
  for (size_t i = 0; i < s.nroots; i++) {
    fputs(json ? (i ? ",{\"guest\":" : "{\"guest\":") : "  preopen ", out);
    wasi_put_str(out, s.roots[i].guest);
    fputs(json ? ",\"host\":" : " = ", out);
    wasi_put_str(out, s.roots[i].host);
    fputs(json ? "}" : "\n", out);
  }
  if (json) fputs("],\"fds\":[", out);
  for (size_t i = 0; i < s.nfds; i++) {
    if (json) {
      if (i) fputc(',', out);
      wasi_put_fd_json(out, &s, &s.fds[i]);
    } else {
      wasi_put_fd_text(out, &s, &s.fds[i]);
    }
  }
  if (json) fputs("]}", out);
  wasi_snap_free(&s);
  return 0;
}

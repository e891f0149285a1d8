/*
** spec.c -- `inro spec [--verbose] PATH...`: run spec-test scripts.
**
** Each PATH is a script written by wast2json (1.0.32, or the newer one of
** the 3.0 suite: its "either" results, one of which must match, are
** understood; its .wasm files are relative to its folder), or a folder:
** every *.json in it and its sub-folders, in name order (`inro spec
** ../shared/spectest3/json` runs the whole suite).  Every script runs
** against a fresh store and prints "NAME.json: P passed, F failed, S
** skipped, U unsupported" (NAME its path below the folder given, or its
** file name); the last line sums all scripts the same way.  Skipped: what
** a binary-only embedder cannot run (text modules); unsupported: what
** needs a feature inro does not have (GC).  Exit status: 0 when nothing
** failed, 1 otherwise, 2 for a usage error.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/spec.h"
#include "platform/platform.h"

static void usage(FILE *out) {
  fprintf(out,
          "usage: inro spec [--verbose] PATH...\n\n"
          "Run spec-test scripts converted by wast2json: each PATH a script\n"
          "(.json) or a folder of them (searched with its sub-folders).\n"
          "  -v, --verbose  print each failure with its line and reason\n");
}

typedef struct path_list {
  char **items;
  size_t n, cap;
} path_list;

static int add_path(path_list *l, const char *dir, const char *name) {
  if (l->n == l->cap) {
    size_t cap = l->cap ? 2 * l->cap : 64;
    char **items = realloc(l->items, cap * sizeof *items);
    if (!items) return 0;
    l->items = items;
    l->cap = cap;
  }
  size_t n = strlen(dir) + strlen(name) + 2;
  char *p = malloc(n);
  if (!p) return 0;
  snprintf(p, n, "%s/%s", dir, name);
  l->items[l->n++] = p;
  return 1;
}

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static int ends_with(const char *s, const char *suffix) {
  size_t n = strlen(s), k = strlen(suffix);
  return n >= k && !strcmp(s + n - k, suffix);
}

/* Every *.json below folder `dir` into l; 0 if a folder cannot be read. */
static int walk(path_list *l, const char *dir, int depth) {
  plat_fd fd;
  plat_dirent *ents;
  size_t n;
  if (depth > 16 || plat_open_dir(dir, &fd) != 0) return 0;
  int ok = plat_list_dir(fd, &ents, &n) == 0;
  plat_close(fd);
  if (!ok) return 0;
  for (size_t i = 0; i < n && ok; i++) {
    const char *name = ents[i].name;
    if (name[0] == '.') continue;
    if (ents[i].type == PLAT_FT_DIR || (ents[i].type == PLAT_FT_UNKNOWN && !ends_with(name, ".json") &&
                                        !ends_with(name, ".wasm") && !ends_with(name, ".wat"))) {
      size_t len = strlen(dir) + strlen(name) + 2;
      char *sub = malloc(len);
      if (!sub) ok = 0;
      else {
        snprintf(sub, len, "%s/%s", dir, name);
        ok = walk(l, sub, depth + 1);
        free(sub);
      }
    } else if (ends_with(name, ".json")) {
      ok = add_path(l, dir, name);
    }
  }
  plat_free_dirents(ents, n);
  return ok;
}

/* Run PATH: a script, or every script below a folder. */
static void run_path(const char *path, int verbose, spec_counts *total) {
  plat_fd fd;
  if (plat_open_dir(path, &fd) != 0) { /* a file */
    const char *base = path;
    for (const char *p = path; *p; p++)
      if (*p == '/' || *p == '\\') base = p + 1;
    spec_run_script(path, base, verbose, total);
    return;
  }
  plat_close(fd);
  path_list l = {NULL, 0, 0};
  if (!walk(&l, path, 0)) {
    cli_error("spec: cannot read the folder %s", path);
    total->failed++;
  } else if (l.n == 0) {
    cli_error("spec: no .json scripts in %s", path);
    total->failed++;
  }
  qsort(l.items, l.n, sizeof *l.items, cmp_str);
  size_t skip = strlen(path) + 1;
  for (size_t i = 0; i < l.n; i++) spec_run_script(l.items[i], l.items[i] + skip, verbose, total);
  for (size_t i = 0; i < l.n; i++) free(l.items[i]);
  free(l.items);
}

int cli_spec(int argc, char **argv) {
  int verbose = 0, nfiles = 0, options = 1;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (!options || a[0] != '-' || a[1] == '\0') {
      nfiles++;
    } else if (!strcmp(a, "--")) {
      options = 0;
    } else if (!strcmp(a, "-v") || !strcmp(a, "--verbose")) {
      verbose = 1;
    } else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
      usage(stdout);
      return 0;
    } else {
      cli_error("spec: unknown option '%s'", a);
      usage(stderr);
      return 2;
    }
  }
  if (nfiles == 0) {
    usage(stderr);
    return 2;
  }
  spec_counts total = {0, 0, 0, 0};
  options = 1;
  for (int i = 1; i < argc; i++) {
    if (options && !strcmp(argv[i], "--")) options = 0;
    else if (!options || argv[i][0] != '-' || argv[i][1] == '\0')
      run_path(argv[i], verbose, &total);
  }
  printf("%ld passed, %ld failed, %ld skipped, %ld unsupported\n", total.passed,
         total.failed, total.skipped, total.unsupported);
  return total.failed ? 1 : 0;
}

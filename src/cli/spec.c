/*
** spec.c -- `inro spec [--verbose] FILE.json...`: run spec-test scripts.
**
** Each FILE.json is a script written by wast2json (1.0.32, or the newer
** one of the 3.0 suite: its "either" results, one of which must match,
** are understood); the .wasm files it names are relative to its folder.  Every script runs against a fresh
** store and prints "NAME.json: P passed, F failed, S skipped"; the last
** line sums all scripts as "P passed, F failed, S skipped".  Exit status: 0
** when nothing failed, 1 otherwise, 2 for a usage error.
*/
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/spec.h"

static void usage(FILE *out) {
  fprintf(out,
          "usage: inro spec [--verbose] FILE.json...\n\n"
          "Run spec-test scripts converted by wast2json.\n"
          "  -v, --verbose  print each failure with its line and reason\n");
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
  spec_counts total = {0, 0, 0};
  options = 1;
  for (int i = 1; i < argc; i++) {
    if (options && !strcmp(argv[i], "--")) options = 0;
    else if (!options || argv[i][0] != '-' || argv[i][1] == '\0')
      spec_run_script(argv[i], verbose, &total);
  }
  printf("%ld passed, %ld failed, %ld skipped\n", total.passed, total.failed,
         total.skipped);
  return total.failed ? 1 : 0;
}

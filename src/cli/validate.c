/*
** validate.c -- `inro validate MODULE.wasm...`: decode and validate.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

static const char *kind_word(inro_error_kind k) {
  switch (k) {
  case INRO_ERR_MALFORMED: return "malformed module";
  case INRO_ERR_INVALID: return "invalid module";
  case INRO_ERR_UNSUPPORTED: return "unsupported module";
  default: return "error";
  }
}

int cli_validate(int argc, char **argv) {
  if (argc < 2 || !strcmp(argv[1], "--help")) {
    FILE *out = argc < 2 ? stderr : stdout;
    fprintf(out, "usage: inro validate MODULE.wasm...\n\n"
                 "Decodes and validates each module (WebAssembly 3.0 without GC).\n"
                 "Prints 'PATH: valid' or one line naming the reason, with the\n"
                 "function index and byte offset for errors in code.\n"
                 "Exit status: 0 all valid, 1 otherwise, 2 usage error.\n");
    return argc < 2 ? 2 : 0;
  }
  int status = 0;
  for (int i = 1; i < argc; i++) {
    if (argv[i][0] == '-' && argv[i][1]) {
      cli_error("validate: unknown option '%s'", argv[i]);
      return 2;
    }
  }
  for (int i = 1; i < argc; i++) {
    size_t size;
    uint8_t *bytes = cli_read_file(argv[i], &size);
    if (!bytes) {
      status = 1;
      continue;
    }
    inro_error err;
    inro_module *m = inro_module_new(bytes, size, &err);
    free(bytes);
    if (!m) {
      cli_error("%s: %s: %s", argv[i], kind_word(err.kind), err.message);
      status = 1;
      continue;
    }
    printf("%s: valid\n", argv[i]);
    inro_module_free(m);
  }
  return status;
}

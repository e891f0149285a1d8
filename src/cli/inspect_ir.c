/*
** inspect_ir.c -- `inro inspect --ir MODULE.wasm [--func N]`: the IR each
** defined function is translated to (exec/disasm.c), for people working
** on the translator and for tests that compare the IR of small functions.
*/
#include <stdio.h>
#include <stdlib.h>

#include "cli/cli.h"
#include "exec/disasm.h"
#include "exec/runtime.h"

int cli_inspect_ir(const char *path, long func) {
  size_t size;
  uint8_t *bytes = cli_read_file(path, &size);
  if (!bytes) return 1;
  inro_error err;
  inro_module *m = inro_module_new(bytes, size, &err);
  free(bytes);
  if (!m) {
    cli_error("%s: %s", path, err.message);
    return 1;
  }
  int status = 0;
  if (func >= 0 && ((uint64_t)func < m->nfunc_imports || (uint64_t)func >= m->nfuncs)) {
    cli_error("inspect: function %ld is not defined in %s", func, path);
    status = 1;
  }
  for (uint32_t d = 0; !status && d < m->nfunc_defs; d++) {
    uint32_t index = m->nfunc_imports + d;
    if (func >= 0 && (uint64_t)func != index) continue;
    const code *c = m->funcs[d].code;
    const char *name = inro_module_func_name(m, index);
    printf("func[%u]%s%s: %u params, %u locals, %u results, %u slots\n", (unsigned)index,
           name ? " " : "", name ? name : "", (unsigned)c->nparams, (unsigned)c->nlocals,
           (unsigned)c->nresults, (unsigned)c->frame_slots);
    code_print(stdout, c);
  }
  inro_module_free(m);
  return status;
}

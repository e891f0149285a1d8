/*
** interp_cold.h -- one switch of the Wasm build's split dispatch
** (exec/interp.c, SPLIT_SWITCH): the cases of group GROUP, to which the
** main switch jumps at label cold<GROUP>.
*/
#define COLD_LABEL(g) COLD_LABEL_(g)
#define COLD_LABEL_(g) cold##g
COLD_LABEL(GROUP):
  switch (*pc) {
#include "exec/interp_ops.h"
#include "exec/interp_wasm3.h"
  default: /* cannot happen: the main switch sends only this group here */
    f->pc = pc + 1;
    err_set(err, INRO_ERR_UNSUPPORTED, "internal error: unknown IR op");
    goto failed;
  }
#undef GROUP

/*
** cwd.c -- the working directory of inro.wasm.
**
** WASI preview 1 has no working directory.  wasi-libc keeps one of its own
** (starting at "/") once chdir is linked in, turns every relative path into
** an absolute one with it, and then picks the preopened directory whose
** name is the longest prefix.  So a host that preopens directories under
** their absolute host names and passes the host's working directory as
** $PWD (tools/inro-node.mjs does) gets relative and absolute paths on
** inro's command line resolved exactly as a native inro resolves them.
**
** Without $PWD, or when $PWD is not reachable, the working directory stays
** "/" and wasi-libc matches relative paths against a preopen named "."
** (wasmtime's `--dir .`), as it always does.  Natively the process already
** has its working directory; there plat_start only makes a write to a
** closed pipe an EPIPE error the guest sees (as wasmtime does) instead of
** a SIGPIPE that would kill inro.
*/
#ifndef __wasi__
#include <signal.h> /* wasi-libc has none */
#endif
#include <stdlib.h>
#include <unistd.h>

#include "platform/platform.h"

void plat_start(void) {
#ifdef __wasi__
  const char *pwd = getenv("PWD");
  if (pwd && pwd[0] == '/') (void)chdir(pwd); /* failure: keep "/" */
#else
  signal(SIGPIPE, SIG_IGN);
#endif
}

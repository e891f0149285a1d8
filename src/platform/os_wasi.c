/*
** os_wasi.c -- clocks and entropy when inro itself runs under WASI: the
** host's own preview 1 calls, which (unlike wasi-libc's clock_gettime)
** also reach the CPU-time clocks without emulation libraries.
** (os_posix.c is the counterpart on a native host.)
*/
#ifdef __wasi__
#include <wasi/api.h>

#include "platform/platform.h"

/* PLAT_E* codes are WASI's errno numbers, so errors pass straight on. */
int plat_clock_time(uint32_t id, uint64_t *ns) {
  return __wasi_clock_time_get(id, 1, ns);
}

int plat_clock_res(uint32_t id, uint64_t *ns) {
  return __wasi_clock_res_get(id, ns);
}

int plat_random(void *buf, size_t len) {
  return __wasi_random_get(buf, len);
}

/* WASI has no signals: checkpoints come from triggers and control files. */
int plat_catch_checkpoint_signal(volatile int *flag) {
  (void)flag;
  return 0;
}
#else
typedef int plat_os_wasi_unused; /* ISO C wants a non-empty file */
#endif

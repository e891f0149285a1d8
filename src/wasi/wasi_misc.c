/*
** wasi_misc.c -- the WASI preview 1 functions that are not about files:
** arguments, environment, clocks, entropy, signals, scheduling, sockets.
**
** Sockets: inro preopens none, so no descriptor is ever a socket.  sock_*
** return EBADF for a descriptor that is not open and ENOTSUP for any
** other, as a runtime without socket support does.  proc_raise returns
** ENOSYS: preview 1 deprecated it and no runtime delivers signals.
** proc_exit lives in wasi.c because it ends the call (inro_exit).
*/
#include <string.h>

#include "wasi/wasi_impl.h"

#define ARG(x) WASI_U32(a[x])

/* args_get / environ_get: an array of pointers into one buffer of
** NUL-terminated strings. */
static uint32_t wasi_strings_get(const wasi_mem *m, char *const *list,
                                 size_t n, uint32_t ptrs, uint32_t buf) {
  uint64_t size = 0;
  for (size_t i = 0; i < n; i++) size += strlen(list[i]) + 1;
  uint8_t *pp = wasi_ptr(m, ptrs, (uint64_t)n * 4);
  uint8_t *bp = wasi_ptr(m, buf, size);
  if (!pp || !bp) return PLAT_EFAULT;
  uint32_t at = buf;
  for (size_t i = 0; i < n; i++) {
    size_t len = strlen(list[i]) + 1;
    wasi_le32(pp + 4 * i, at);
    memcpy(m->base + at, list[i], len);
    at += (uint32_t)len;
  }
  return 0;
}

static uint32_t wasi_strings_sizes(const wasi_mem *m, char *const *list,
                                   size_t n, uint32_t count_ptr,
                                   uint32_t size_ptr) {
  uint64_t size = 0;
  for (size_t i = 0; i < n; i++) size += strlen(list[i]) + 1;
  if (size > UINT32_MAX || n > UINT32_MAX) return PLAT_EOVERFLOW;
  if (!wasi_ptr(m, count_ptr, 4) || !wasi_ptr(m, size_ptr, 4))
    return PLAT_EFAULT;
  wasi_put32(m, count_ptr, (uint32_t)n);
  wasi_put32(m, size_ptr, (uint32_t)size);
  return 0;
}

static uint32_t wasi_args_get(wasi_state *st, const wasi_mem *m,
                              const uint64_t *a) {
  return wasi_strings_get(m, st->argv, st->argc, ARG(0), ARG(1));
}

static uint32_t wasi_args_sizes_get(wasi_state *st, const wasi_mem *m,
                                    const uint64_t *a) {
  return wasi_strings_sizes(m, st->argv, st->argc, ARG(0), ARG(1));
}

static uint32_t wasi_environ_get(wasi_state *st, const wasi_mem *m,
                                 const uint64_t *a) {
  return wasi_strings_get(m, st->envv, st->envc, ARG(0), ARG(1));
}

static uint32_t wasi_environ_sizes_get(wasi_state *st, const wasi_mem *m,
                                       const uint64_t *a) {
  return wasi_strings_sizes(m, st->envv, st->envc, ARG(0), ARG(1));
}

static uint32_t wasi_clock_res_get(wasi_state *st, const wasi_mem *m,
                                   const uint64_t *a) {
  (void)st;
  uint64_t ns;
  if (!wasi_ptr(m, ARG(1), 8)) return PLAT_EFAULT;
  int rc = plat_clock_res(ARG(0), &ns);
  return (uint32_t)(rc ? rc : wasi_put64(m, ARG(1), ns));
}

/* The precision argument is a hint; hosts give their best anyway. */
static uint32_t wasi_clock_time_get(wasi_state *st, const wasi_mem *m,
                                    const uint64_t *a) {
  (void)st;
  uint64_t ns;
  if (!wasi_ptr(m, ARG(2), 8)) return PLAT_EFAULT;
  int rc = plat_clock_time(ARG(0), &ns);
  return (uint32_t)(rc ? rc : wasi_put64(m, ARG(2), ns));
}

static uint32_t wasi_random_get(wasi_state *st, const wasi_mem *m,
                                const uint64_t *a) {
  (void)st;
  uint8_t *p = wasi_ptr(m, ARG(0), ARG(1));
  if (!p) return PLAT_EFAULT;
  return (uint32_t)plat_random(p, ARG(1));
}

static uint32_t wasi_proc_raise(wasi_state *st, const wasi_mem *m,
                                const uint64_t *a) {
  (void)st, (void)m, (void)a;
  return PLAT_ENOSYS;
}

static uint32_t wasi_sched_yield(wasi_state *st, const wasi_mem *m,
                                 const uint64_t *a) {
  (void)st, (void)m, (void)a;
  return (uint32_t)plat_yield();
}

/* Every sock_* call: no descriptor here is a socket. */
static uint32_t wasi_sock(wasi_state *st, const wasi_mem *m,
                          const uint64_t *a) {
  (void)m;
  wasi_fd *e;
  int rc = wasi_fd_get(st, ARG(0), 0, &e);
  return (uint32_t)(rc ? rc : PLAT_ENOTSUP);
}

const wasi_entry wasi_misc_entries[] = {
  {"args_get", "ii", wasi_args_get},
  {"args_sizes_get", "ii", wasi_args_sizes_get},
  {"environ_get", "ii", wasi_environ_get},
  {"environ_sizes_get", "ii", wasi_environ_sizes_get},
  {"clock_res_get", "ii", wasi_clock_res_get},
  {"clock_time_get", "iIi", wasi_clock_time_get},
  {"random_get", "ii", wasi_random_get},
  {"proc_raise", "i", wasi_proc_raise},
  {"sched_yield", "", wasi_sched_yield},
  {"sock_accept", "iii", wasi_sock},
  {"sock_recv", "iiiiii", wasi_sock},
  {"sock_send", "iiiii", wasi_sock},
  {"sock_shutdown", "ii", wasi_sock},
};
const size_t wasi_misc_nentries = WASI_COUNT(wasi_misc_entries);

/*
** vmem.c -- address space for linear memories.
**
** Natively (64-bit POSIX) a memory reserves its whole maximum up front as
** zero-filled, not-yet-committed pages: growing it costs nothing, its
** address never moves, and only the pages the guest touches take RAM (a
** realloc'd buffer would be copied, and glibc would keep the old copy's
** pages).  Under WASI, or on a 32-bit host, it returns NULL and the
** runtime uses malloc/realloc instead.
*/
#define _DEFAULT_SOURCE /* MAP_ANONYMOUS, MAP_NORESERVE (not in POSIX 2008) */
#include <stdint.h>

#include "platform/platform.h"

#if !defined(__wasi__) && UINTPTR_MAX > 0xFFFFFFFFu
#include <sys/mman.h>

#ifndef MAP_NORESERVE
#define MAP_NORESERVE 0
#endif
#ifndef MAP_ANONYMOUS
#define MAP_ANONYMOUS MAP_ANON
#endif

void *plat_mem_reserve(size_t bytes) {
  void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  return p == MAP_FAILED ? NULL : p;
}

void plat_mem_release(void *p, size_t bytes) { munmap(p, bytes); }

#else
void *plat_mem_reserve(size_t bytes) {
  (void)bytes;
  return NULL;
}

void plat_mem_release(void *p, size_t bytes) {
  (void)p;
  (void)bytes;
}

#endif

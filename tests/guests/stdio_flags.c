/*
** stdio_flags.c -- sets NONBLOCK on stdin and APPEND|NONBLOCK on stdout
** (fd_fdstat_set_flags), reads them back, and exits.  Those descriptors
** are the host process's own, shared with its parent: tests/guests.sh
** checks that the parent's pipes have their flags back afterwards, as
** node leaves them (inro left them non-blocking).
*/
#include <stdio.h>
#include <wasi/api.h>

static void set(__wasi_fd_t fd, __wasi_fdflags_t flags) {
  __wasi_errno_t e = __wasi_fd_fdstat_set_flags(fd, flags);
  __wasi_fdstat_t st;
  __wasi_errno_t g = __wasi_fd_fdstat_get(fd, &st);
  fprintf(stderr, "fd %u: set flags %u: errno %u; now %u (errno %u)\n",
          (unsigned)fd, (unsigned)flags, (unsigned)e,
          (unsigned)(st.fs_flags & flags), (unsigned)g);
}

int main(void) {
  set(0, __WASI_FDFLAGS_NONBLOCK);
  set(1, __WASI_FDFLAGS_APPEND | __WASI_FDFLAGS_NONBLOCK);
  return 0;
}

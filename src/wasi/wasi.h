/*
** wasi.h -- WASI preview 1 (wasi_snapshot_preview1) for inro.
**
** A wasi_state holds everything a WASI guest can observe of the outside
** world: its arguments, its environment and its descriptor table.  It is a
** plain data structure so that a snapshot can save it and a restore can
** rebuild it: every field above the "runtime only" marks is data (numbers
** and strings); the host handles below them are reopened from host_path.
**
** The state's host functions are defined into an inro_linker under
** "wasi_snapshot_preview1" by wasi_define.  A guest sees only its
** preopened directories: src/wasi/wasi_resolve.c walks every path one
** component at a time so that `..`, absolute paths and symlinks cannot
** lead out of them.
**
** Files: wasi.c (state, descriptor table, registration), wasi_resolve.c
** (the sandbox), wasi_fd.c (fd_*), wasi_path.c (path_*), wasi_poll.c
** (poll_oneoff), wasi_misc.c (args, environ, clocks, random, proc, sched,
** sock).
*/
#ifndef INRO_WASI_H
#define INRO_WASI_H

#include <stddef.h>
#include <stdint.h>

#include "inro.h"
#include "platform/platform.h"

/* One slot of the descriptor table; the guest's fd number is its index. */
typedef struct wasi_fd {
  int used;                    /* 0: a free slot */
  uint8_t type;                /* WASI filetype (PLAT_FT_*) */
  uint16_t fdflags;            /* WASI fdflags (WASI_FDFLAG_*) */
  int oflags;                  /* PLAT_O_READ/WRITE it was opened with */
  uint64_t rights_base;        /* WASI rights */
  uint64_t rights_inheriting;
  char *host_path;             /* NULL: inherited from the host (stdio) */
  char *preopen;               /* the name the guest sees, if a preopen */
  uint64_t offset;             /* file position as of wasi_sync() */
  /* runtime only */
  plat_fd host;                /* the open host handle */
  plat_dirent *dirents;        /* fd_readdir's listing, cookie = index */
  size_t ndirents;
} wasi_fd;

typedef struct wasi_binding wasi_binding;

typedef struct wasi_state {
  size_t argc;
  char **argv;
  size_t envc;
  char **envv;                 /* "NAME=VALUE" */
  size_t nfds;                 /* slots in fds, used or free */
  wasi_fd *fds;
  /* runtime only */
  size_t capfds;
  wasi_binding *bindings;      /* the env pointers of the host functions */
} wasi_state;

/* A state with fds 0, 1 and 2 bound to the host's stdio; NULL if out of
** memory. */
wasi_state *wasi_new(void);
void wasi_free(wasi_state *st);

/* 0 or PLAT_ENOMEM. */
int wasi_add_arg(wasi_state *st, const char *arg);
int wasi_add_env(wasi_state *st, const char *name_eq_value);
/* Preopen host directory `host`, seen by the guest as `guest`, as the next
** descriptor.  0 or a PLAT_E* code. */
int wasi_preopen(wasi_state *st, const char *host, const char *guest);

/* Define every wasi_snapshot_preview1 function into linker. */
int wasi_define(wasi_state *st, inro_store *store, inro_linker *linker,
                inro_error *err);

/* Record each open file's position in its `offset` (for a snapshot). */
void wasi_sync(wasi_state *st);

/* "ENOENT", ... for a PLAT_E* code. */
const char *wasi_errno_name(int code);

#endif

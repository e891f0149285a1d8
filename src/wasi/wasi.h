/*
** wasi.h -- WASI preview 1 (wasi_snapshot_preview1) for inro.
**
** A wasi_state holds everything a WASI guest can observe of the outside
** world: its arguments, its environment and its descriptor table.  It is a
** plain data structure so that a snapshot can save it and a restore can
** rebuild it: every field above the "runtime only" marks is data (numbers
** and strings); the host handles below them are reopened from (root, rel):
** a preopen's host directory and the path below it.
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
** sock), wasi_snapshot.c (the state as bytes, for snapshots),
** wasi_restore.c (rebuilding it), wasi_describe.c (printing it),
** wasi_api.c (the public inro_wasi_* of inro.h on top of this).
*/
#ifndef INRO_WASI_H
#define INRO_WASI_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

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
  uint32_t root;               /* the preopen it descends from: roots[root] */
  char *rel;                   /* its path below that preopen's directory,
                                  "." for the preopen itself; NULL: stdio */
  uint64_t offset;             /* file position as of wasi_sync() */
  uint8_t stream;              /* stdio (rel NULL): which of the
                                  embedder's stdin, stdout, stderr */
  /* runtime only */
  plat_fd host;                /* the open host handle */
  plat_dirent *dirents;        /* fd_readdir's listing, cookie = index */
  size_t ndirents;
} wasi_fd;

/* A preopened directory: every descriptor opened by path descends from one
** (wasi_fd.root), even after the preopen's own descriptor is closed or
** renumbered, so a restore can reopen it as (root, rel). */
typedef struct wasi_root {
  char *guest;                 /* the name the guest sees */
  char *host;                  /* the host directory */
} wasi_root;

typedef struct wasi_binding wasi_binding;

/* Called at least every WASI_WAIT_SLICE_NS while the guest waits in a
** WASI call (poll_oneoff, a read that would block), with that call's
** context: the embedder's chance to act on outside events, such as a
** checkpoint trigger (inro_ctx_frame gives the calling frame, standing
** before the call).  Return 1 to go on waiting; 0 ends the call at once,
** before it has had any effect, as a host function that returns 0 (after
** inro_trap or inro_exit, say). */
typedef int (*wasi_wait_fn)(inro_call_ctx *ctx, void *env);
#define WASI_WAIT_SLICE_NS 20000000u

/* The public inro_wasi (inro.h) is this structure. */
typedef struct inro_wasi {
  size_t argc;
  char **argv;
  size_t envc;
  char **envv;                 /* "NAME=VALUE" */
  size_t nfds;                 /* slots in fds, used or free */
  wasi_fd *fds;
  size_t nroots;               /* every wasi_preopen, in order */
  wasi_root *roots;
  /* runtime only */
  size_t capfds;
  wasi_binding *bindings;      /* the env pointers of the host functions */
  int stdio_flags[3];          /* the host's APPEND/NONBLOCK on 0, 1, 2 */
  int stdio_known[3];          /* ... as found by wasi_new, put back by
                                  wasi_free: they are the parent's too */
  wasi_wait_fn wait_fn;        /* wasi_on_wait */
  void *wait_env;
  inro_call_ctx *ctx;          /* the WASI call running, if any */
} wasi_state;

/* A state with fds 0, 1 and 2 bound to the host's stdio; NULL if out of
** memory. */
wasi_state *wasi_new(void);
/* Free st, and give the host's stdio the APPEND and NONBLOCK flags it had
** when st was made: a guest's fd_fdstat_set_flags changes them on open
** file descriptions that the parent process shares. */
void wasi_free(wasi_state *st);

/* 0 or PLAT_ENOMEM. */
int wasi_add_arg(wasi_state *st, const char *arg);
int wasi_add_env(wasi_state *st, const char *name_eq_value);
/* Preopen host directory `host`, seen by the guest as `guest`, as the next
** descriptor.  0 or a PLAT_E* code. */
int wasi_preopen(wasi_state *st, const char *host, const char *guest);

/* Make stdio stream fd (0..2) the host handle `host` (not closed by
** inro).  0, or PLAT_EINVAL if fd is not 0..2 or not stdio any more. */
int wasi_set_stdio(wasi_state *st, uint32_t fd, plat_fd host);
/* Call fn while the guest waits (see wasi_wait_fn); NULL: none. */
void wasi_on_wait(wasi_state *st, wasi_wait_fn fn, void *env);

/* Define every wasi_snapshot_preview1 function into linker. */
int wasi_define(wasi_state *st, inro_store *store, inro_linker *linker,
                inro_error *err);

/* Record each open file's position in its `offset` (for a snapshot). */
void wasi_sync(wasi_state *st);

/* -------------------------------------------------------------- snapshots
** The state as a portable byte string (the WASI section, id 0x100, of
** docs/snapshot-format.md): args, env, preopens and every open descriptor
** as (preopen, path below it, flags, rights, offset, size). */

/* Serialise st (after wasi_sync) into a malloc'd buffer (free it).
** 0 or PLAT_ENOMEM. */
int wasi_save(wasi_state *st, uint8_t **bytes, size_t *size);

/* `inro restore --dir HOST::GUEST`: the preopen the guest knows as `guest`
** is the host directory `host` now. */
typedef inro_wasi_dir wasi_remap_entry;

typedef struct wasi_remap {
  const wasi_remap_entry *entries;
  size_t n;
  int strict;  /* 1: the entries are what the restorer grants: every
                  preopen of the snapshot must have one (its own host
                  paths are not trusted), and one it has no preopen for
                  is ignored; 0: they move preopens, the others keep the
                  snapshot's paths */
} wasi_remap;

/* Rebuild a fresh state (from wasi_new, nothing added but wasi_set_stdio,
** whose handles the saved stdio descriptors get) from wasi_save's
** bytes: args, env, preopens (remap may be NULL) and every descriptor,
** reopened under its preopen through the sandbox with its number, flags,
** rights and offset (never creating or truncating anything).  A regular
** file now shorter than its saved offset is refused unless force.
** 0, or a PLAT_E* code with a one-line reason in why:
**   PLAT_EBADMSG   malformed or truncated bytes
**   PLAT_ESTALE    a file is shorter than its offset (force accepts it)
**   PLAT_EINVAL    st is not fresh, or a remap names no preopen (not
**                  strict) / misses one (strict)
**   other          reopening a directory or file failed (PLAT_ENOTCAPABLE:
**                  its path leads out of its preopen)
** On failure st is unchanged. */
int wasi_load(wasi_state *st, const uint8_t *bytes, size_t size,
              const wasi_remap *remap, int force, char *why, size_t whylen);

/* Print wasi_save's bytes for `inro inspect`: indented lines, or one JSON
** object.  0, or PLAT_EBADMSG (malformed; nothing printed). */
int wasi_describe(const uint8_t *bytes, size_t size, FILE *out, int json);

/* "ENOENT", ... for a PLAT_E* code. */
const char *wasi_errno_name(int code);

#endif

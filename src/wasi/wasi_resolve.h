/*
** wasi_resolve.h -- the sandbox: guest paths -> (host directory, name).
**
** A path is walked one component at a time from the descriptor it is
** relative to, opening each directory with plat_openat, which never
** follows a symlink.  `..` pops a directory and fails with ENOTCAPABLE
** above the start; absolute paths fail with ENOTCAPABLE; a symlink is read
** and its text spliced into the remaining path, so it is resolved by the
** same rules (an absolute target fails, `..` cannot climb out).  Every
** descriptor is its own sandbox, as in wasmtime and node.
*/
#ifndef INRO_WASI_RESOLVE_H
#define INRO_WASI_RESOLVE_H

#include "wasi/wasi_impl.h"

typedef struct wasi_path {
  plat_fd dir;         /* the directory holding the final component */
  int owned;           /* dir was opened by the walk: wasi_path_done closes */
  char *name;          /* the final component; "." for dir itself */
  size_t depth;        /* levels of dir below the start descriptor */
  int trailing_slash;  /* the path ended in '/' */
  char *rel;           /* dir/name relative to the start, for host paths */
} wasi_path;

/* Resolve path against descriptor `start`.  follow: follow a symlink in
** the final component too (intermediate ones are always followed).
** 0 or a PLAT_E* code; on success release with wasi_path_done. */
int wasi_resolve(const wasi_fd *start, const char *path, int follow,
                 wasi_path *out);
void wasi_path_done(wasi_path *p);

/* 0 if the text of a symlink created `depth` levels below its sandbox's
** root would stay inside it, else PLAT_ENOTCAPABLE. */
int wasi_check_link_target(const char *target, size_t depth);

#endif

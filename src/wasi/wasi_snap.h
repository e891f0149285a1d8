/*
** wasi_snap.h -- the WASI section of a snapshot (id 0x100), shared by
** wasi_snapshot.c (writer and parser), wasi_restore.c and wasi_describe.c.
** The format is specified in docs/snapshot-format.md; the parser checks
** every length and field, so the decoded form below is well formed (but
** still untrusted: its paths go through the sandbox when reopened).
*/
#ifndef INRO_WASI_SNAP_H
#define INRO_WASI_SNAP_H

#include "wasi/wasi_impl.h"

#define WASI_SNAP_VERSION 1u
/* Highest descriptor number a snapshot may hold, plus one: bounds the
** table a restore allocates. */
#define WASI_SNAP_MAX_FD 65536u

/* Descriptor kinds. */
enum {
  WASI_SNAP_STDIO = 0,    /* the host's stdin/stdout/stderr */
  WASI_SNAP_PREOPEN = 1,  /* a preopened directory */
  WASI_SNAP_DIR = 2,      /* a directory opened by path */
  WASI_SNAP_FILE = 3      /* anything else opened by path */
};

/* Open flags (the PLAT_O_* numbering, fixed here for the format). */
#define WASI_SNAP_O_READ      1u
#define WASI_SNAP_O_WRITE     2u
#define WASI_SNAP_O_CREATE    4u   /* never written; stripped when read */
#define WASI_SNAP_O_EXCL      8u   /* likewise */
#define WASI_SNAP_O_TRUNC     16u  /* likewise */
#define WASI_SNAP_O_DIRECTORY 32u  /* ignored when read: the kind says it */

typedef struct wasi_snap_fd {
  uint32_t fd;
  uint8_t kind, type;     /* WASI_SNAP_*, PLAT_FT_* */
  uint16_t fdflags;
  uint32_t oflags;        /* WASI_SNAP_O_READ / _WRITE only, once parsed */
  uint64_t rights_base, rights_inheriting;
  uint32_t ref;           /* stdio: 0, 1 or 2; else a preopen index */
  char *path;             /* "" for stdio, "." for a preopen */
  uint64_t offset, size;  /* regular files opened by path; else 0 */
} wasi_snap_fd;

typedef struct wasi_snap {
  size_t argc, envc, nroots, nfds;
  char **argv, **envv;
  wasi_root *roots;
  wasi_snap_fd *fds;
} wasi_snap;

/* Decode and check the bytes.  0, or PLAT_EBADMSG / PLAT_ENOMEM with a
** reason in why; free the result with wasi_snap_free either way. */
int wasi_snap_parse(const uint8_t *bytes, size_t size, wasi_snap *out,
                    char *why, size_t whylen);
void wasi_snap_free(wasi_snap *s);

#endif

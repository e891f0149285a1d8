/*
** wasi_impl.h -- shared by the files of src/wasi: WASI constants, guest
** memory access and the function tables each file contributes.
**
** Guest memory: every pointer and length a guest passes is checked against
** the memory's current size before use; a bad one makes the call return
** EFAULT, never touches host memory.  Values are stored little-endian byte
** by byte, so unaligned pointers and big-endian hosts are both fine.
*/
#ifndef INRO_WASI_IMPL_H
#define INRO_WASI_IMPL_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "util/str.h"
#include "wasi/wasi.h"

/* -------------------------------------------------------------- constants */

/* Rights (bit numbers from the preview 1 witx). */
#define WASI_RIGHT(bit) ((uint64_t)1 << (bit))
#define WASI_R_FD_DATASYNC              WASI_RIGHT(0)
#define WASI_R_FD_READ                  WASI_RIGHT(1)
#define WASI_R_FD_SEEK                  WASI_RIGHT(2)
#define WASI_R_FD_FDSTAT_SET_FLAGS      WASI_RIGHT(3)
#define WASI_R_FD_SYNC                  WASI_RIGHT(4)
#define WASI_R_FD_TELL                  WASI_RIGHT(5)
#define WASI_R_FD_WRITE                 WASI_RIGHT(6)
#define WASI_R_FD_ADVISE                WASI_RIGHT(7)
#define WASI_R_FD_ALLOCATE              WASI_RIGHT(8)
#define WASI_R_PATH_CREATE_DIRECTORY    WASI_RIGHT(9)
#define WASI_R_PATH_CREATE_FILE         WASI_RIGHT(10)
#define WASI_R_PATH_LINK_SOURCE         WASI_RIGHT(11)
#define WASI_R_PATH_LINK_TARGET         WASI_RIGHT(12)
#define WASI_R_PATH_OPEN                WASI_RIGHT(13)
#define WASI_R_FD_READDIR               WASI_RIGHT(14)
#define WASI_R_PATH_READLINK            WASI_RIGHT(15)
#define WASI_R_PATH_RENAME_SOURCE       WASI_RIGHT(16)
#define WASI_R_PATH_RENAME_TARGET       WASI_RIGHT(17)
#define WASI_R_PATH_FILESTAT_GET        WASI_RIGHT(18)
#define WASI_R_PATH_FILESTAT_SET_SIZE   WASI_RIGHT(19)
#define WASI_R_PATH_FILESTAT_SET_TIMES  WASI_RIGHT(20)
#define WASI_R_FD_FILESTAT_GET          WASI_RIGHT(21)
#define WASI_R_FD_FILESTAT_SET_SIZE     WASI_RIGHT(22)
#define WASI_R_FD_FILESTAT_SET_TIMES    WASI_RIGHT(23)
#define WASI_R_PATH_SYMLINK             WASI_RIGHT(24)
#define WASI_R_PATH_REMOVE_DIRECTORY    WASI_RIGHT(25)
#define WASI_R_PATH_UNLINK_FILE         WASI_RIGHT(26)
#define WASI_R_POLL_FD_READWRITE        WASI_RIGHT(27)
#define WASI_R_SOCK_SHUTDOWN            WASI_RIGHT(28)
#define WASI_R_SOCK_ACCEPT              WASI_RIGHT(29)
#define WASI_RIGHTS_ALL                 (WASI_RIGHT(30) - 1)

/* What a regular file or a character device can do. */
#define WASI_RIGHTS_FILE                                                     \
  (WASI_R_FD_DATASYNC | WASI_R_FD_READ | WASI_R_FD_SEEK |                    \
   WASI_R_FD_FDSTAT_SET_FLAGS | WASI_R_FD_SYNC | WASI_R_FD_TELL |            \
   WASI_R_FD_WRITE | WASI_R_FD_ADVISE | WASI_R_FD_ALLOCATE |                 \
   WASI_R_FD_FILESTAT_GET | WASI_R_FD_FILESTAT_SET_SIZE |                    \
   WASI_R_FD_FILESTAT_SET_TIMES | WASI_R_POLL_FD_READWRITE)
/* A terminal cannot seek: wasi-libc's isatty() looks for exactly that. */
#define WASI_RIGHTS_TTY                                                      \
  (WASI_RIGHTS_FILE & ~(WASI_R_FD_SEEK | WASI_R_FD_TELL))
/* What a directory can do: everything but reading and writing bytes. */
#define WASI_RIGHTS_DIR                                                      \
  (WASI_RIGHTS_ALL & ~(WASI_R_FD_READ | WASI_R_FD_SEEK | WASI_R_FD_TELL |    \
                       WASI_R_FD_WRITE | WASI_R_FD_ADVISE |                  \
                       WASI_R_FD_ALLOCATE | WASI_R_FD_FILESTAT_SET_SIZE |    \
                       WASI_R_SOCK_SHUTDOWN | WASI_R_SOCK_ACCEPT))

/* fdflags */
#define WASI_FDFLAG_APPEND   1u
#define WASI_FDFLAG_DSYNC    2u
#define WASI_FDFLAG_NONBLOCK 4u
#define WASI_FDFLAG_RSYNC    8u
#define WASI_FDFLAG_SYNC     16u

/* lookupflags */
#define WASI_LOOKUP_SYMLINK_FOLLOW 1u

/* oflags */
#define WASI_O_CREAT     1u
#define WASI_O_DIRECTORY 2u
#define WASI_O_EXCL      4u
#define WASI_O_TRUNC     8u

/* fstflags */
#define WASI_FST_ATIM     1u
#define WASI_FST_ATIM_NOW 2u
#define WASI_FST_MTIM     4u
#define WASI_FST_MTIM_NOW 8u

/* ---------------------------------------------------------- guest memory */

typedef struct wasi_mem {
  uint8_t *base;
  uint64_t size;
} wasi_mem;

/* Guest bytes [ptr, ptr+len), or NULL when any of them is out of bounds.
** A zero-length range at the very end is valid. */
static inline uint8_t *wasi_ptr(const wasi_mem *m, uint32_t ptr,
                                uint64_t len) {
  if ((uint64_t)ptr + len > m->size) return NULL;
  return m->base + ptr;
}

static inline void wasi_le16(uint8_t *p, uint16_t v) {
  p[0] = (uint8_t)v;
  p[1] = (uint8_t)(v >> 8);
}

static inline void wasi_le32(uint8_t *p, uint32_t v) {
  for (int i = 0; i < 4; i++) p[i] = (uint8_t)(v >> (8 * i));
}

static inline void wasi_le64(uint8_t *p, uint64_t v) {
  for (int i = 0; i < 8; i++) p[i] = (uint8_t)(v >> (8 * i));
}

static inline uint32_t wasi_get32(const uint8_t *p) {
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
         (uint32_t)p[3] << 24;
}

static inline uint64_t wasi_get64(const uint8_t *p) {
  return (uint64_t)wasi_get32(p) | (uint64_t)wasi_get32(p + 4) << 32;
}

/* Store a u32 / u64 result; 0 or PLAT_EFAULT. */
static inline int wasi_put32(const wasi_mem *m, uint32_t ptr, uint32_t v) {
  uint8_t *p = wasi_ptr(m, ptr, 4);
  if (!p) return PLAT_EFAULT;
  wasi_le32(p, v);
  return 0;
}

static inline int wasi_put64(const wasi_mem *m, uint32_t ptr, uint64_t v) {
  uint8_t *p = wasi_ptr(m, ptr, 8);
  if (!p) return PLAT_EFAULT;
  wasi_le64(p, v);
  return 0;
}

/* A guest string as a malloc'd C string (free it): PLAT_EFAULT out of
** bounds, PLAT_EILSEQ if it holds a NUL byte, which no host path can,
** PLAT_ENAMETOOLONG beyond WASI_MAX_STRING bytes (paths and symlink
** texts: hosts stop at 4 KiB). */
#define WASI_MAX_STRING 65536u
int wasi_string(const wasi_mem *m, uint32_t ptr, uint32_t len, char **out);

/* A guest iovec array as plat_iovs (free *out); PLAT_EFAULT if the array
** or any buffer is out of bounds.  Empty buffers are dropped, and the
** buffers beyond INT32_MAX bytes in all (a prefix is transferred, as a
** short writev does). */
int wasi_iovecs(const wasi_mem *m, uint32_t ptr, uint32_t n, plat_iov **out,
                size_t *count);

/* Write a 64-byte WASI filestat. */
void wasi_put_filestat(uint8_t *p, const plat_stat *s);
/* WASI (atim, mtim, fstflags) -> plat_set_times arguments; 0 or EINVAL. */
int wasi_times(uint64_t atim, uint64_t mtim, uint32_t flags, int64_t *at,
               int64_t *mt);

/* ------------------------------------------------------ descriptor table */

/* The open descriptor fd having every right in `need`: PLAT_EBADF if fd is
** not open, PLAT_ENOTCAPABLE if a right is missing. */
int wasi_fd_get(wasi_state *st, uint32_t fd, uint64_t need, wasi_fd **out);
/* Put a new descriptor into the lowest free slot; 0 or PLAT_ENOMEM/EMFILE.
** On failure the caller still owns e's handle and strings. */
int wasi_fd_insert(wasi_state *st, const wasi_fd *e, uint32_t *fd);
/* Close a slot's host handle (unless inherited) and free its data. */
int wasi_fd_release(wasi_fd *e);
/* The rights a descriptor of this file type can have at most. */
uint64_t wasi_rights_for(uint8_t type);
/* WASI fdflags -> the PLAT_O_* flags that open a file with them. */
int wasi_fdflags_to_plat(uint32_t fdflags);
/* "dir/rel", malloc'd (NULL if out of memory). */
char *wasi_join(const char *dir, const char *rel);

/* ------------------------------------------------------------- waiting */

/* What a WASI function returns when st->wait_fn ended the call: not an
** errno (those fit 16 bits); the trampoline then fails the call. */
#define WASI_STOPPED 0x10000u

/* Wait until one of fds (n may be 0) is ready or timeout_ns has passed
** (negative: for ever), calling st->wait_fn between slices of at most
** WASI_WAIT_SLICE_NS.  0, a PLAT_E* code, or WASI_STOPPED (wasi_poll.c). */
uint32_t wasi_wait(wasi_state *st, plat_pollfd *fds, size_t n,
                   int64_t timeout_ns);

/* ------------------------------------------------------- function tables */

/* A WASI function: a[] are the raw argument slots; returns a WASI errno. */
typedef uint32_t (*wasi_impl)(wasi_state *st, const wasi_mem *m,
                              const uint64_t *a);

/* params: one letter per parameter, 'i' i32, 'I' i64; every function in
** these tables returns one i32, the errno. */
typedef struct wasi_entry {
  const char *name;
  const char *params;
  wasi_impl fn;
} wasi_entry;

extern const wasi_entry wasi_fd_entries[];
extern const size_t wasi_fd_nentries;
extern const wasi_entry wasi_path_entries[];
extern const size_t wasi_path_nentries;
extern const wasi_entry wasi_misc_entries[];
extern const size_t wasi_misc_nentries;
extern const wasi_entry wasi_poll_entries[];
extern const size_t wasi_poll_nentries;

#define WASI_COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* Arguments are slots: an i32 in the low 32 bits. */
#define WASI_U32(x) ((uint32_t)(x))

#endif

/*
** wasi_fd.c -- the fd_* functions of WASI preview 1: operations on an
** open descriptor.  Each checks the descriptor's rights first, then every
** guest pointer, and only then acts, so a bad pointer never leaves a
** transfer half done.
*/
#include <stdlib.h>
#include <string.h>

#include "wasi/wasi_impl.h"

#define FD(x) WASI_U32(a[x])

/* --------------------------------------------------------------- helpers */

void wasi_put_filestat(uint8_t *p, const plat_stat *s) {
  memset(p, 0, 64);
  wasi_le64(p, s->dev);
  wasi_le64(p + 8, s->ino);
  p[16] = s->type;
  wasi_le64(p + 24, s->nlink);
  wasi_le64(p + 32, s->size);
  wasi_le64(p + 40, s->atim);
  wasi_le64(p + 48, s->mtim);
  wasi_le64(p + 56, s->ctim);
}

int wasi_times(uint64_t atim, uint64_t mtim, uint32_t flags, int64_t *at,
               int64_t *mt) {
  if (flags & ~15u) return PLAT_EINVAL;
  if ((flags & WASI_FST_ATIM) && (flags & WASI_FST_ATIM_NOW))
    return PLAT_EINVAL;
  if ((flags & WASI_FST_MTIM) && (flags & WASI_FST_MTIM_NOW))
    return PLAT_EINVAL;
  if (atim > INT64_MAX || mtim > INT64_MAX) return PLAT_EOVERFLOW;
  *at = (flags & WASI_FST_ATIM_NOW) ? PLAT_TIME_NOW
        : (flags & WASI_FST_ATIM) ? (int64_t)atim
                                  : PLAT_TIME_OMIT;
  *mt = (flags & WASI_FST_MTIM_NOW) ? PLAT_TIME_NOW
        : (flags & WASI_FST_MTIM) ? (int64_t)mtim
                                  : PLAT_TIME_OMIT;
  return 0;
}

/* The four read/write calls: one body.  offset < 0 means "at the current
** position". */
static uint32_t wasi_transfer(wasi_state *st, const wasi_mem *m,
                              uint32_t fd, uint32_t iovs, uint32_t niovs,
                              int64_t offset, uint32_t done_ptr,
                              int writing) {
  uint64_t need = writing ? WASI_R_FD_WRITE : WASI_R_FD_READ;
  if (offset >= 0) need |= WASI_R_FD_SEEK;
  wasi_fd *e;
  int rc = wasi_fd_get(st, fd, need, &e);
  if (rc) return (uint32_t)rc;
  if (!wasi_ptr(m, done_ptr, 4)) return PLAT_EFAULT;
  plat_iov *v;
  size_t n, done = 0;
  if ((rc = wasi_iovecs(m, iovs, niovs, &v, &n))) return (uint32_t)rc;
  /* A read that would block (a pipe, a terminal) waits in wasi_wait, where
  ** the embedder can act meanwhile, and then reads what is there. */
  if (!writing && offset < 0 && n > 0 && st->wait_fn &&
      e->type != PLAT_FT_FILE && e->type != PLAT_FT_DIR &&
      !(e->fdflags & WASI_FDFLAG_NONBLOCK)) {
    plat_pollfd pfd = {e->host, PLAT_POLL_READ, 0};
    uint32_t w = wasi_wait(st, &pfd, 1, -1);
    if (w) {
      free(v);
      return w;
    }
  }
  if (offset >= 0)
    rc = writing ? plat_pwrite(e->host, v, n, (uint64_t)offset, &done)
                 : plat_pread(e->host, v, n, (uint64_t)offset, &done);
  else if (n > 0)
    rc = writing ? plat_write(e->host, v, n, &done)
                 : plat_read(e->host, v, n, &done);
  free(v);
  if (rc) return (uint32_t)rc;
  return (uint32_t)wasi_put32(m, done_ptr, (uint32_t)done);
}

/* ----------------------------------------------------------------- calls */

static uint32_t wasi_fd_read(wasi_state *st, const wasi_mem *m,
                             const uint64_t *a) {
  return wasi_transfer(st, m, FD(0), FD(1), FD(2), -1, FD(3), 0);
}

static uint32_t wasi_fd_write(wasi_state *st, const wasi_mem *m,
                              const uint64_t *a) {
  return wasi_transfer(st, m, FD(0), FD(1), FD(2), -1, FD(3), 1);
}

static uint32_t wasi_fd_pread(wasi_state *st, const wasi_mem *m,
                              const uint64_t *a) {
  if (a[3] > INT64_MAX) return PLAT_EINVAL;
  return wasi_transfer(st, m, FD(0), FD(1), FD(2), (int64_t)a[3], FD(4), 0);
}

static uint32_t wasi_fd_pwrite(wasi_state *st, const wasi_mem *m,
                               const uint64_t *a) {
  if (a[3] > INT64_MAX) return PLAT_EINVAL;
  return wasi_transfer(st, m, FD(0), FD(1), FD(2), (int64_t)a[3], FD(4), 1);
}

static uint32_t wasi_fd_close(wasi_state *st, const wasi_mem *m,
                              const uint64_t *a) {
  (void)m;
  wasi_fd *e;
  int rc = wasi_fd_get(st, FD(0), 0, &e);
  return (uint32_t)(rc ? rc : wasi_fd_release(e));
}

static uint32_t wasi_fd_renumber(wasi_state *st, const wasi_mem *m,
                                 const uint64_t *a) {
  (void)m;
  wasi_fd *from, *to;
  int rc = wasi_fd_get(st, FD(0), 0, &from);
  if (!rc) rc = wasi_fd_get(st, FD(1), 0, &to);
  if (rc || from == to) return (uint32_t)rc;
  wasi_fd_release(to);
  *to = *from;
  memset(from, 0, sizeof *from);
  from->host = PLAT_NO_FD;
  return 0;
}

/* fd_seek and fd_tell, which is a seek by 0 from the current position
** and needs only the TELL right. */
static uint32_t wasi_seek(wasi_state *st, const wasi_mem *m, uint32_t fd,
                          int64_t off, uint32_t whence, uint32_t pos_ptr) {
  uint64_t need = off == 0 && whence == 1 ? WASI_R_FD_TELL : WASI_R_FD_SEEK;
  wasi_fd *e;
  int rc = wasi_fd_get(st, fd, need, &e);
  if (rc) return (uint32_t)rc;
  if (whence > 2) return PLAT_EINVAL;
  if (!wasi_ptr(m, pos_ptr, 8)) return PLAT_EFAULT;
  uint64_t pos;
  if ((rc = plat_seek(e->host, off, (int)whence, &pos))) return (uint32_t)rc;
  return (uint32_t)wasi_put64(m, pos_ptr, pos);
}

static uint32_t wasi_fd_seek(wasi_state *st, const wasi_mem *m,
                             const uint64_t *a) {
  return wasi_seek(st, m, FD(0), (int64_t)a[1], FD(2), FD(3));
}

static uint32_t wasi_fd_tell(wasi_state *st, const wasi_mem *m,
                             const uint64_t *a) {
  return wasi_seek(st, m, FD(0), 0, 1, FD(1));
}

/* The three calls that take nothing but the descriptor and one right. */
static uint32_t wasi_fd_simple(wasi_state *st, uint32_t fd, uint64_t right,
                               int (*op)(plat_fd)) {
  wasi_fd *e;
  int rc = wasi_fd_get(st, fd, right, &e);
  return (uint32_t)(rc ? rc : op(e->host));
}

static uint32_t wasi_fd_sync(wasi_state *st, const wasi_mem *m,
                             const uint64_t *a) {
  (void)m;
  return wasi_fd_simple(st, FD(0), WASI_R_FD_SYNC, plat_sync);
}

static uint32_t wasi_fd_datasync(wasi_state *st, const wasi_mem *m,
                                 const uint64_t *a) {
  (void)m;
  return wasi_fd_simple(st, FD(0), WASI_R_FD_DATASYNC, plat_datasync);
}

static uint32_t wasi_fd_advise(wasi_state *st, const wasi_mem *m,
                               const uint64_t *a) {
  (void)m;
  wasi_fd *e;
  int rc = wasi_fd_get(st, FD(0), WASI_R_FD_ADVISE, &e);
  if (rc) return (uint32_t)rc;
  if (WASI_U32(a[3]) > 5) return PLAT_EINVAL;
  return (uint32_t)plat_advise(e->host, a[1], a[2], (int)WASI_U32(a[3]));
}

/* Grow the file to cover [offset, offset+len), as node's uvwasi does: a
** portable stand-in for posix_fallocate, which many file systems lack. */
static uint32_t wasi_fd_allocate(wasi_state *st, const wasi_mem *m,
                                 const uint64_t *a) {
  (void)m;
  wasi_fd *e;
  int rc = wasi_fd_get(st, FD(0), WASI_R_FD_ALLOCATE, &e);
  if (rc) return (uint32_t)rc;
  if (a[2] > INT64_MAX - a[1] || a[1] > INT64_MAX) return PLAT_EFBIG;
  plat_stat s;
  if ((rc = plat_fstat(e->host, &s))) return (uint32_t)rc;
  if (s.type == PLAT_FT_DIR) return PLAT_EISDIR;
  if (a[1] + a[2] <= s.size) return 0;
  return (uint32_t)plat_truncate(e->host, a[1] + a[2]);
}

static uint32_t wasi_fd_fdstat_get(wasi_state *st, const wasi_mem *m,
                                   const uint64_t *a) {
  wasi_fd *e;
  int rc = wasi_fd_get(st, FD(0), 0, &e);
  if (rc) return (uint32_t)rc;
  uint8_t *p = wasi_ptr(m, FD(1), 24);
  if (!p) return PLAT_EFAULT;
  memset(p, 0, 24);
  p[0] = e->type;
  wasi_le16(p + 2, e->fdflags);
  wasi_le64(p + 8, e->rights_base);
  wasi_le64(p + 16, e->rights_inheriting);
  return 0;
}

static uint32_t wasi_fd_fdstat_set_flags(wasi_state *st, const wasi_mem *m,
                                         const uint64_t *a) {
  (void)m;
  const uint32_t syncs = WASI_FDFLAG_DSYNC | WASI_FDFLAG_RSYNC |
                         WASI_FDFLAG_SYNC;
  uint32_t flags = WASI_U32(a[1]);
  wasi_fd *e;
  int rc = wasi_fd_get(st, FD(0), WASI_R_FD_FDSTAT_SET_FLAGS, &e);
  if (rc) return (uint32_t)rc;
  if (flags & ~31u) return PLAT_EINVAL;
  /* Hosts cannot change synchronisation of an open file (Linux ignores
  ** it silently); say so rather than pretend. */
  if ((flags & syncs) != (e->fdflags & syncs)) return PLAT_ENOTSUP;
  /* plat_set_flags takes APPEND and NONBLOCK, the rest is left as it is. */
  if ((rc = plat_set_flags(e->host, wasi_fdflags_to_plat(flags))))
    return (uint32_t)rc;
  e->fdflags = (uint16_t)flags;
  return 0;
}

static uint32_t wasi_fd_fdstat_set_rights(wasi_state *st, const wasi_mem *m,
                                          const uint64_t *a) {
  (void)m;
  wasi_fd *e;
  int rc = wasi_fd_get(st, FD(0), 0, &e);
  if (rc) return (uint32_t)rc;
  /* Rights can only be dropped. */
  if ((a[1] & ~e->rights_base) || (a[2] & ~e->rights_inheriting))
    return PLAT_ENOTCAPABLE;
  e->rights_base = a[1];
  e->rights_inheriting = a[2];
  return 0;
}

static uint32_t wasi_fd_filestat_get(wasi_state *st, const wasi_mem *m,
                                     const uint64_t *a) {
  wasi_fd *e;
  int rc = wasi_fd_get(st, FD(0), WASI_R_FD_FILESTAT_GET, &e);
  if (rc) return (uint32_t)rc;
  uint8_t *p = wasi_ptr(m, FD(1), 64);
  if (!p) return PLAT_EFAULT;
  plat_stat s;
  if ((rc = plat_fstat(e->host, &s))) return (uint32_t)rc;
  wasi_put_filestat(p, &s);
  return 0;
}

static uint32_t wasi_fd_filestat_set_size(wasi_state *st, const wasi_mem *m,
                                          const uint64_t *a) {
  (void)m;
  wasi_fd *e;
  int rc = wasi_fd_get(st, FD(0), WASI_R_FD_FILESTAT_SET_SIZE, &e);
  return (uint32_t)(rc ? rc : plat_truncate(e->host, a[1]));
}

static uint32_t wasi_fd_filestat_set_times(wasi_state *st, const wasi_mem *m,
                                           const uint64_t *a) {
  (void)m;
  wasi_fd *e;
  int64_t at, mt;
  int rc = wasi_fd_get(st, FD(0), WASI_R_FD_FILESTAT_SET_TIMES, &e);
  if (!rc) rc = wasi_times(a[1], a[2], WASI_U32(a[3]), &at, &mt);
  return (uint32_t)(rc ? rc : plat_set_times(e->host, NULL, at, mt));
}

static uint32_t wasi_fd_prestat_get(wasi_state *st, const wasi_mem *m,
                                    const uint64_t *a) {
  wasi_fd *e;
  int rc = wasi_fd_get(st, FD(0), 0, &e);
  if (rc) return (uint32_t)rc;
  if (!e->preopen) return PLAT_EBADF;  /* wasi-libc's scan stops here */
  uint8_t *p = wasi_ptr(m, FD(1), 8);
  if (!p) return PLAT_EFAULT;
  memset(p, 0, 8);  /* tag 0: a directory */
  wasi_le32(p + 4, (uint32_t)strlen(e->preopen));
  return 0;
}

static uint32_t wasi_fd_prestat_dir_name(wasi_state *st, const wasi_mem *m,
                                         const uint64_t *a) {
  wasi_fd *e;
  int rc = wasi_fd_get(st, FD(0), 0, &e);
  if (rc) return (uint32_t)rc;
  if (!e->preopen) return PLAT_EBADF;
  size_t len = strlen(e->preopen);
  if (FD(2) < len) return PLAT_ENAMETOOLONG;
  uint8_t *p = wasi_ptr(m, FD(1), len);
  if (!p) return PLAT_EFAULT;
  memcpy(p, e->preopen, len);
  return 0;
}

/* Entries are listed once when the guest starts over (cookie 0) and then
** served from that listing: the cookie is simply an index into it. */
static uint32_t wasi_fd_readdir(wasi_state *st, const wasi_mem *m,
                                const uint64_t *a) {
  wasi_fd *e;
  int rc = wasi_fd_get(st, FD(0), WASI_R_FD_READDIR, &e);
  if (rc) return (uint32_t)rc;
  uint32_t len = FD(2);
  uint64_t cookie = a[3];
  uint8_t *buf = wasi_ptr(m, FD(1), len);
  if (!buf || !wasi_ptr(m, FD(4), 4)) return PLAT_EFAULT;
  if (cookie == 0 || !e->dirents) {
    plat_dirent *ents;
    size_t n;
    if ((rc = plat_list_dir(e->host, &ents, &n))) return (uint32_t)rc;
    plat_free_dirents(e->dirents, e->ndirents);
    e->dirents = ents;
    e->ndirents = n;
  }
  uint32_t used = 0;
  for (uint64_t i = cookie; i < e->ndirents && used < len; i++) {
    const plat_dirent *d = &e->dirents[i];
    uint8_t head[24] = {0};
    uint32_t namelen = (uint32_t)strlen(d->name);
    wasi_le64(head, i + 1);
    wasi_le64(head + 8, d->ino);
    wasi_le32(head + 16, namelen);
    head[20] = d->type;
    /* The last entry may be cut short: a full buffer tells the guest to
    ** ask again from that entry's cookie. */
    uint32_t n = len - used < 24 ? len - used : 24;
    memcpy(buf + used, head, n);
    used += n;
    n = len - used < namelen ? len - used : namelen;
    memcpy(buf + used, d->name, n);
    used += n;
  }
  return (uint32_t)wasi_put32(m, FD(4), used);
}

const wasi_entry wasi_fd_entries[] = {
  {"fd_advise", "iIIi", wasi_fd_advise},
  {"fd_allocate", "iII", wasi_fd_allocate},
  {"fd_close", "i", wasi_fd_close},
  {"fd_datasync", "i", wasi_fd_datasync},
  {"fd_fdstat_get", "ii", wasi_fd_fdstat_get},
  {"fd_fdstat_set_flags", "ii", wasi_fd_fdstat_set_flags},
  {"fd_fdstat_set_rights", "iII", wasi_fd_fdstat_set_rights},
  {"fd_filestat_get", "ii", wasi_fd_filestat_get},
  {"fd_filestat_set_size", "iI", wasi_fd_filestat_set_size},
  {"fd_filestat_set_times", "iIIi", wasi_fd_filestat_set_times},
  {"fd_pread", "iiiIi", wasi_fd_pread},
  {"fd_prestat_get", "ii", wasi_fd_prestat_get},
  {"fd_prestat_dir_name", "iii", wasi_fd_prestat_dir_name},
  {"fd_pwrite", "iiiIi", wasi_fd_pwrite},
  {"fd_read", "iiii", wasi_fd_read},
  {"fd_readdir", "iiiIi", wasi_fd_readdir},
  {"fd_renumber", "ii", wasi_fd_renumber},
  {"fd_seek", "iIii", wasi_fd_seek},
  {"fd_sync", "i", wasi_fd_sync},
  {"fd_tell", "ii", wasi_fd_tell},
  {"fd_write", "iiii", wasi_fd_write},
};
const size_t wasi_fd_nentries = WASI_COUNT(wasi_fd_entries);

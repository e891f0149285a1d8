/*
** fs.c -- handles, files and directories for the WASI layer.
**
** Written against the POSIX.1-2008 *at() family, which wasi-libc implements
** as well, so the same code serves the native build and inro.wasm.  Every
** call that takes a name gets exactly one path component and never follows
** a symlink in it (O_NOFOLLOW, AT_SYMLINK_NOFOLLOW): path walking and
** symlink resolution belong to src/wasi/wasi_path.c, which keeps them
** inside the sandbox.
*/
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>  /* renameat */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include "platform/platform.h"

#ifndef O_CLOEXEC
#define O_CLOEXEC 0
#endif
#ifndef O_RSYNC
#define O_RSYNC O_SYNC
#endif

/* At most this many buffers go to one readv/writev: a short transfer is
** always allowed, and it keeps the conversion array on the stack. */
#define PLAT_IOV_MAX 64

/* 0 when rc is not -1, else the PLAT_E* code of errno. */
static int plat_check(long rc) { return rc == -1 ? plat_error(errno) : 0; }

int plat_open_dir(const char *path, plat_fd *out) {
  int fd;
  do fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  while (fd < 0 && errno == EINTR);
  *out = fd;
  return plat_check(fd);
}

/* PLAT_O_* -> open(2) flags, one table row per flag. */
static const struct {
  int plat, host;
} plat_oflags[] = {
  {PLAT_O_CREATE, O_CREAT},     {PLAT_O_EXCL, O_EXCL},
  {PLAT_O_TRUNC, O_TRUNC},      {PLAT_O_DIRECTORY, O_DIRECTORY},
  {PLAT_O_APPEND, O_APPEND},    {PLAT_O_NONBLOCK, O_NONBLOCK},
  {PLAT_O_SYNC, O_SYNC},        {PLAT_O_DSYNC, O_DSYNC},
  {PLAT_O_RSYNC, O_RSYNC},
};
#define PLAT_NOFLAGS (sizeof plat_oflags / sizeof plat_oflags[0])

/* Under WASI the host may not honour "no follow": node's uvwasi opens, and
** sets the times of, the target of a symlink even without the
** SYMLINK_FOLLOW lookup flag.  A no-follow stat first catches a link that
** is already there (only the host itself could swap one in meanwhile). */
static int plat_is_link(plat_fd dir, const char *name) {
#ifdef __wasi__
  struct stat s;
  return fstatat(dir, name, &s, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(s.st_mode);
#else
  (void)dir, (void)name;
  return 0;  /* O_NOFOLLOW and AT_SYMLINK_NOFOLLOW are honoured */
#endif
}

int plat_openat(plat_fd dir, const char *name, int flags, plat_fd *out) {
  *out = PLAT_NO_FD;
  if (plat_is_link(dir, name)) return PLAT_ELOOP;
  int host = O_NOFOLLOW | O_CLOEXEC;
  if ((flags & PLAT_O_READ) && (flags & PLAT_O_WRITE)) host |= O_RDWR;
  else if (flags & PLAT_O_WRITE) host |= O_WRONLY;
  else host |= O_RDONLY;
  for (size_t i = 0; i < PLAT_NOFLAGS; i++)
    if (flags & plat_oflags[i].plat) host |= plat_oflags[i].host;
  int fd;
  do fd = openat(dir, name, host, 0666);
  while (fd < 0 && errno == EINTR);
  *out = fd;
  return plat_check(fd);
}

int plat_close(plat_fd fd) {
  /* After EINTR the descriptor's state is unspecified; POSIX hosts in
  ** practice have released it, so it is never retried. */
  return close(fd) == 0 || errno == EINTR ? 0 : plat_error(errno);
}

static int plat_to_iovec(const plat_iov *iov, size_t n, struct iovec *out) {
  if (n > PLAT_IOV_MAX) n = PLAT_IOV_MAX;
  for (size_t i = 0; i < n; i++) {
    out[i].iov_base = iov[i].base;
    out[i].iov_len = iov[i].len;
  }
  return (int)n;
}

/* readv or writev at the current position. */
static int plat_transfer(plat_fd fd, const plat_iov *iov, size_t n,
                         size_t *done, int writing) {
  struct iovec v[PLAT_IOV_MAX];
  int cnt = plat_to_iovec(iov, n, v);
  ssize_t r;
  do r = writing ? writev(fd, v, cnt) : readv(fd, v, cnt);
  while (r < 0 && errno == EINTR);
  *done = r < 0 ? 0 : (size_t)r;
  return plat_check(r);
}

int plat_read(plat_fd fd, const plat_iov *iov, size_t n, size_t *done) {
  return plat_transfer(fd, iov, n, done, 0);
}

int plat_write(plat_fd fd, const plat_iov *iov, size_t n, size_t *done) {
  return plat_transfer(fd, iov, n, done, 1);
}

/* pread/pwrite buffer by buffer: preadv is not POSIX.  Stops at the first
** short transfer; an error after some bytes moved reports the bytes. */
static int plat_ptransfer(plat_fd fd, const plat_iov *iov, size_t n,
                          uint64_t off, size_t *done, int writing) {
  *done = 0;
  for (size_t i = 0; i < n; i++) {
    if (iov[i].len == 0) continue;
    if (off > (uint64_t)INT64_MAX - *done) return PLAT_EINVAL;
    off_t at = (off_t)(off + *done);
    ssize_t r;
    do r = writing ? pwrite(fd, iov[i].base, iov[i].len, at)
                   : pread(fd, iov[i].base, iov[i].len, at);
    while (r < 0 && errno == EINTR);
    if (r < 0) return *done ? 0 : plat_error(errno);
    *done += (size_t)r;
    if ((size_t)r < iov[i].len) break;
  }
  return 0;
}

int plat_pread(plat_fd fd, const plat_iov *iov, size_t n, uint64_t off,
               size_t *done) {
  return plat_ptransfer(fd, iov, n, off, done, 0);
}

int plat_pwrite(plat_fd fd, const plat_iov *iov, size_t n, uint64_t off,
                size_t *done) {
  return plat_ptransfer(fd, iov, n, off, done, 1);
}

int plat_seek(plat_fd fd, int64_t off, int whence, uint64_t *pos) {
  static const int whences[] = {SEEK_SET, SEEK_CUR, SEEK_END};
  if (whence < 0 || whence > 2) return PLAT_EINVAL;
  /* Parenthesised: wasi-libc defines lseek as a GNU-extension macro. */
  off_t r = (lseek)(fd, (off_t)off, whences[whence]);
  if (r < 0) return plat_error(errno);
  *pos = (uint64_t)r;
  return 0;
}

int plat_sync(plat_fd fd) { return plat_check(fsync(fd)); }
int plat_datasync(plat_fd fd) { return plat_check(fdatasync(fd)); }

int plat_truncate(plat_fd fd, uint64_t size) {
  if (size > (uint64_t)INT64_MAX) return PLAT_EFBIG;
  return plat_check(ftruncate(fd, (off_t)size));
}

int plat_advise(plat_fd fd, uint64_t off, uint64_t len, int advice) {
  if (advice < 0 || advice > 5) return PLAT_EINVAL;
#ifdef POSIX_FADV_NORMAL
  static const int advices[] = {
    POSIX_FADV_NORMAL, POSIX_FADV_SEQUENTIAL, POSIX_FADV_RANDOM,
    POSIX_FADV_WILLNEED, POSIX_FADV_DONTNEED, POSIX_FADV_NOREUSE,
  };
  if (off > (uint64_t)INT64_MAX || len > (uint64_t)INT64_MAX)
    return PLAT_EINVAL;
  int rc = posix_fadvise(fd, (off_t)off, (off_t)len, advices[advice]);
  return rc ? plat_error(rc) : 0;  /* it returns the error, not -1 */
#else
  /* Advice is only advice: a host without posix_fadvise ignores it. */
  (void)fd, (void)off, (void)len;
  return 0;
#endif
}

int plat_get_flags(plat_fd fd, int *flags) {
  int fl = fcntl(fd, F_GETFL);
  if (fl < 0) return plat_error(errno);
  *flags = ((fl & O_APPEND) ? PLAT_O_APPEND : 0) |
           ((fl & O_NONBLOCK) ? PLAT_O_NONBLOCK : 0);
  return 0;
}

int plat_set_flags(plat_fd fd, int flags) {
  int fl = fcntl(fd, F_GETFL);
  if (fl < 0) return plat_error(errno);
  fl &= ~(O_APPEND | O_NONBLOCK);
  if (flags & PLAT_O_APPEND) fl |= O_APPEND;
  if (flags & PLAT_O_NONBLOCK) fl |= O_NONBLOCK;
  return plat_check(fcntl(fd, F_SETFL, fl));
}

static uint64_t plat_ns(struct timespec t) {
  if (t.tv_sec < 0) return 0;
  return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

static void plat_convert_stat(const struct stat *s, plat_stat *st) {
  st->dev = (uint64_t)s->st_dev;
  st->ino = (uint64_t)s->st_ino;
  st->nlink = (uint64_t)s->st_nlink;
  st->size = s->st_size < 0 ? 0 : (uint64_t)s->st_size;
  st->atim = plat_ns(s->st_atim);
  st->mtim = plat_ns(s->st_mtim);
  st->ctim = plat_ns(s->st_ctim);
  if (S_ISREG(s->st_mode)) st->type = PLAT_FT_FILE;
  else if (S_ISDIR(s->st_mode)) st->type = PLAT_FT_DIR;
  else if (S_ISLNK(s->st_mode)) st->type = PLAT_FT_SYMLINK;
  else if (S_ISCHR(s->st_mode)) st->type = PLAT_FT_CHAR;
  else if (S_ISBLK(s->st_mode)) st->type = PLAT_FT_BLOCK;
  else if (S_ISSOCK(s->st_mode)) st->type = PLAT_FT_SOCK_STREAM;
  else st->type = PLAT_FT_UNKNOWN;  /* FIFOs too: WASI has no such type */
}

int plat_fstat(plat_fd fd, plat_stat *st) {
  struct stat s;
  if (fstat(fd, &s) != 0) return plat_error(errno);
  plat_convert_stat(&s, st);
  return 0;
}

int plat_statat(plat_fd dir, const char *name, plat_stat *st) {
  struct stat s;
  if (fstatat(dir, name, &s, AT_SYMLINK_NOFOLLOW) != 0)
    return plat_error(errno);
  plat_convert_stat(&s, st);
  return 0;
}

static struct timespec plat_timespec(int64_t ns) {
  struct timespec t;
  if (ns == PLAT_TIME_NOW || ns == PLAT_TIME_OMIT) {
    t.tv_sec = 0;
    t.tv_nsec = ns == PLAT_TIME_NOW ? UTIME_NOW : UTIME_OMIT;
  } else {
    t.tv_sec = (time_t)(ns / 1000000000);
    t.tv_nsec = (long)(ns % 1000000000);
  }
  return t;
}

int plat_set_times(plat_fd fd, const char *name, int64_t atim, int64_t mtim) {
  struct timespec ts[2] = {plat_timespec(atim), plat_timespec(mtim)};
  if (!name) return plat_check(futimens(fd, ts));
  if (plat_is_link(fd, name)) return PLAT_ENOTSUP;
  return plat_check(utimensat(fd, name, ts, AT_SYMLINK_NOFOLLOW));
}

int plat_mkdirat(plat_fd dir, const char *name) {
  return plat_check(mkdirat(dir, name, 0777));
}

int plat_unlinkat(plat_fd dir, const char *name, int is_dir) {
  if (unlinkat(dir, name, is_dir ? AT_REMOVEDIR : 0) == 0) return 0;
  /* POSIX lets rmdir say EEXIST for a non-empty directory. */
  if (is_dir && errno == EEXIST) return PLAT_ENOTEMPTY;
  return plat_error(errno);
}

int plat_renameat(plat_fd from_dir, const char *from, plat_fd to_dir,
                  const char *to) {
  return plat_check(renameat(from_dir, from, to_dir, to));
}

int plat_linkat(plat_fd from_dir, const char *from, plat_fd to_dir,
                const char *to) {
  return plat_check(linkat(from_dir, from, to_dir, to, 0));
}

int plat_symlinkat(const char *target, plat_fd dir, const char *name) {
  return plat_check(symlinkat(target, dir, name));
}

int plat_readlinkat(plat_fd dir, const char *name, char **out, size_t *len) {
  /* readlinkat truncates silently, so grow until the text fits. */
  for (size_t cap = 256; cap <= ((size_t)1 << 20); cap *= 2) {
    char *buf = malloc(cap);
    if (!buf) return PLAT_ENOMEM;
    ssize_t n = readlinkat(dir, name, buf, cap);
    if (n < 0) {
      free(buf);
      return plat_error(errno);
    }
    if ((size_t)n < cap) {
      buf[n] = 0;
      *out = buf;
      *len = (size_t)n;
      return 0;
    }
    free(buf);
  }
  return PLAT_ENAMETOOLONG;
}

void plat_free_dirents(plat_dirent *ents, size_t n) {
  for (size_t i = 0; i < n; i++) free(ents[i].name);
  free(ents);
}

/* Append one entry; 0 or PLAT_ENOMEM. */
static int plat_push_dirent(plat_dirent **ents, size_t *n, size_t *cap,
                            const char *name, uint64_t ino, uint8_t type) {
  if (*n == *cap) {
    size_t ncap = *cap ? *cap * 2 : 16;
    plat_dirent *bigger = realloc(*ents, ncap * sizeof **ents);
    if (!bigger) return PLAT_ENOMEM;
    *ents = bigger;
    *cap = ncap;
  }
  size_t len = strlen(name);
  char *copy = malloc(len + 1);
  if (!copy) return PLAT_ENOMEM;
  memcpy(copy, name, len + 1);
  (*ents)[*n].name = copy;
  (*ents)[*n].ino = ino;
  (*ents)[*n].type = type;
  (*n)++;
  return 0;
}

int plat_list_dir(plat_fd dir, plat_dirent **out, size_t *n) {
  /* A fresh handle on the same directory, so that the caller's handle
  ** keeps its position and the stream can be closed afterwards. */
  int fd = openat(dir, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return plat_error(errno);
  DIR *d = fdopendir(fd);
  if (!d) {
    int e = plat_error(errno);
    close(fd);
    return e;
  }
  plat_dirent *ents = NULL;
  size_t cnt = 0, cap = 0;
  int rc = 0;
  for (;;) {
    errno = 0;
    struct dirent *de = readdir(d);
    if (!de) {
      if (errno) rc = plat_error(errno);
      break;
    }
    /* d_type is not POSIX; a stat per entry is. */
    plat_stat st;
    uint8_t type = plat_statat(fd, de->d_name, &st) ? PLAT_FT_UNKNOWN
                                                    : st.type;
    rc = plat_push_dirent(&ents, &cnt, &cap, de->d_name,
                          (uint64_t)de->d_ino, type);
    if (rc) break;
  }
  closedir(d);
  if (rc) {
    plat_free_dirents(ents, cnt);
    return rc;
  }
  *out = ents;
  *n = cnt;
  return 0;
}

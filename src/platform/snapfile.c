/*
** snapfile.c -- the file operations snapshots and run-time control need:
** atomic file writes (a temporary file beside the target, written,
** synced, renamed over it), existence and size checks.  POSIX calls that
** wasi-libc provides as well, so one file serves both sides.
**
** A snapshot replaces its target by a rename, so the target must be a
** regular file or nothing: renaming over a device (--snapshot /dev/null,
** as root) would replace the device itself.
*/
#ifdef __linux__
#define _GNU_SOURCE /* sync_file_range */
#endif
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "platform/platform.h"

#ifndef O_NOFOLLOW
#define O_NOFOLLOW 0
#endif

int plat_check_target(const char *path, char *why, size_t whylen) {
  struct stat st;
  if (lstat(path, &st) != 0 || S_ISREG(st.st_mode)) return 0;
  snprintf(why, whylen, "it exists and is not a regular file%s",
           S_ISLNK(st.st_mode) ? " (a symlink)" : "");
  return PLAT_EEXIST;
}

/* The temporary file is created new (O_EXCL, O_NOFOLLOW), so that what
** is written cannot land in whatever a symlink of that name points to;
** one left by an interrupted write is removed first (a symlink itself,
** never its target). */
static int plat_create_new(const char *tmp) {
  int flags = O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW;
  int fd = open(tmp, flags, 0644);
  if (fd < 0 && errno == EEXIST && unlink(tmp) == 0) fd = open(tmp, flags, 0644);
  return fd;
}

int plat_atomic_begin(plat_atomic_file *f, const char *path, char *why,
                      size_t whylen) {
  f->path = path;
  f->fd = PLAT_NO_FD;
  f->written = f->behind = 0;
  int rc = plat_check_target(path, why, whylen);
  if (rc) return rc;
  if (snprintf(f->tmp, sizeof f->tmp, "%s.tmp", path) >= (int)sizeof f->tmp) {
    snprintf(why, whylen, "path too long");
    return PLAT_ENAMETOOLONG;
  }
  f->fd = plat_create_new(f->tmp);
  if (f->fd < 0) {
    int e = errno;
    snprintf(why, whylen, "%s", strerror(e));
    return plat_error(e);
  }
  return 0;
}

/* Write-back begins every WRITE_BEHIND bytes (Linux: sync_file_range,
** which starts it and does not wait; elsewhere the sync at commit does
** all of it). */
#define WRITE_BEHIND ((uint64_t)4 << 20)

int plat_atomic_write(plat_atomic_file *f, const plat_iov *iov, size_t n) {
  int rc = plat_write_all(f->fd, iov, n);
  if (rc) return rc;
  for (size_t i = 0; i < n; i++) f->written += iov[i].len;
#if defined(__linux__) && defined(SYNC_FILE_RANGE_WRITE)
  if (f->written - f->behind >= WRITE_BEHIND) {
    /* Advisory: a failure here shows again at the sync. */
    (void)sync_file_range(f->fd, (off_t)f->behind, (off_t)(f->written - f->behind),
                          SYNC_FILE_RANGE_WRITE);
    f->behind = f->written;
  }
#endif
  return 0;
}

void plat_atomic_abort(plat_atomic_file *f) {
  if (f->fd == PLAT_NO_FD) return;
  close(f->fd);
  unlink(f->tmp);
  f->fd = PLAT_NO_FD;
}

int plat_atomic_commit(plat_atomic_file *f, char *why, size_t whylen) {
  int e = 0;
  if (fsync(f->fd) != 0) e = errno;
  if (close(f->fd) != 0 && !e) e = errno;
  f->fd = PLAT_NO_FD;
  if (!e && rename(f->tmp, f->path) != 0) e = errno;
  if (e) {
    unlink(f->tmp);
    snprintf(why, whylen, "%s", strerror(e));
    return plat_error(e);
  }
  return 0;
}

int plat_write_file_atomic(const char *path, const uint8_t *data, size_t size,
                           char *why, size_t whylen) {
  plat_atomic_file f;
  int rc = plat_atomic_begin(&f, path, why, whylen);
  if (rc) return rc;
  plat_iov iov = {(void *)(uintptr_t)data, size};
  if ((rc = plat_atomic_write(&f, &iov, 1)) != 0) {
    plat_atomic_abort(&f);
    snprintf(why, whylen, "%s", plat_strerror(rc));
    return rc;
  }
  return plat_atomic_commit(&f, why, whylen);
}

int plat_exists(const char *path) {
  struct stat st;
  return stat(path, &st) == 0;
}

int64_t plat_file_size(const char *path) {
  struct stat st;
  if (stat(path, &st) != 0) return -1;
  return (int64_t)st.st_size;
}

/*
** file.c -- whole-file reads for the command line (modules, snapshots,
** spec scripts).  POSIX calls that wasi-libc provides as well.
**
** A regular file is read to its end.  A pipe or socket has no size known
** in advance, so it is read up to PLAT_STREAM_MAX bytes; anything else
** (a directory, a device such as /dev/zero, which never ends) is refused
** before it is opened, since opening a device can have effects of its own.
*/
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "platform/platform.h"

#ifndef O_CLOEXEC
#define O_CLOEXEC 0
#endif

#define PLAT_STREAM_MAX ((size_t)256 << 20)

/* Why a file of this mode is not read, or NULL if it is. */
static const char *plat_unreadable(mode_t mode) {
  if (S_ISREG(mode) || S_ISFIFO(mode) || S_ISSOCK(mode)) return NULL;
  if (S_ISDIR(mode)) return "it is a directory";
  if (S_ISCHR(mode)) return "not a regular file (a character device)";
  if (S_ISBLK(mode)) return "not a regular file (a block device)";
  return "not a regular file";
}

int plat_open_read(const char *path, plat_fd *out, char *why, size_t whylen) {
  struct stat st;
  const char *bad = NULL;
  int fd = -1;
  *out = PLAT_NO_FD;
  if (stat(path, &st) != 0 || (bad = plat_unreadable(st.st_mode))) {
    int e = errno;
    snprintf(why, whylen, "%s", bad ? bad : strerror(e));
    return bad ? PLAT_EINVAL : plat_error(e);
  }
  do fd = open(path, O_RDONLY | O_CLOEXEC);
  while (fd < 0 && errno == EINTR);
  if (fd < 0 || fstat(fd, &st) != 0 || (bad = plat_unreadable(st.st_mode))) {
    int e = errno;
    snprintf(why, whylen, "%s", bad ? bad : strerror(e));
    if (fd >= 0) close(fd);
    return bad ? PLAT_EINVAL : plat_error(e);
  }
  *out = fd;
  return 0;
}

uint8_t *plat_read_file(const char *path, size_t *size, char *why,
                        size_t whylen) {
  struct stat st;
  const char *bad = NULL;
  int fd = -1;
  if (stat(path, &st) != 0 || (bad = plat_unreadable(st.st_mode))) {
    snprintf(why, whylen, "%s", bad ? bad : strerror(errno));
    return NULL;
  }
  do fd = open(path, O_RDONLY | O_CLOEXEC);
  while (fd < 0 && errno == EINTR);
  /* The file may have been replaced since stat: check what was opened. */
  if (fd < 0 || fstat(fd, &st) != 0 || (bad = plat_unreadable(st.st_mode))) {
    snprintf(why, whylen, "%s", bad ? bad : strerror(errno));
    if (fd >= 0) close(fd);
    return NULL;
  }
  int regular = S_ISREG(st.st_mode);
  size_t limit = regular ? SIZE_MAX : PLAT_STREAM_MAX;
  size_t cap = 1 << 16, len = 0;
  /* Its size plus one, so that the end is seen without growing. */
  if (regular && st.st_size > 0 && (uint64_t)st.st_size < SIZE_MAX)
    cap = (size_t)st.st_size + 1;
  uint8_t *buf = malloc(cap);
  for (;;) {
    if (!buf) {
      snprintf(why, whylen, "out of memory");
      break;
    }
    if (len == cap) {
      if (cap > limit / 2) {
        if (regular) snprintf(why, whylen, "too large");
        else snprintf(why, whylen, "larger than %zu MiB, the limit for a pipe",
                      PLAT_STREAM_MAX >> 20);
        break;
      }
      uint8_t *bigger = realloc(buf, cap * 2);
      if (!bigger) free(buf);
      buf = bigger;
      cap *= 2;
      continue;
    }
    ssize_t n = read(fd, buf + len, cap - len);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      snprintf(why, whylen, "%s", strerror(errno));
      break;
    }
    if (n == 0) {
      close(fd);
      *size = len;
      return buf;
    }
    len += (size_t)n;
  }
  free(buf);
  close(fd);
  return NULL;
}

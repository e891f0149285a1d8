/*
** snapfile.c -- the file operations snapshots and run-time control need:
** atomic whole-file writes, existence and size checks.  POSIX calls that
** wasi-libc provides as well, so one file serves both sides.
*/
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "platform/platform.h"

int plat_write_file_atomic(const char *path, const uint8_t *data, size_t size,
                           char *why, size_t whylen) {
  char tmp[4096];
  if (snprintf(tmp, sizeof tmp, "%s.tmp", path) >= (int)sizeof tmp) {
    snprintf(why, whylen, "path too long");
    return PLAT_ENAMETOOLONG;
  }
  int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) {
    int e = errno;
    snprintf(why, whylen, "%s", strerror(e));
    return plat_error(e);
  }
  size_t done = 0;
  int e = 0;
  while (done < size) {
    ssize_t n = write(fd, data + done, size - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      e = errno;
      break;
    }
    done += (size_t)n;
  }
  if (!e && fsync(fd) != 0) e = errno;
  if (close(fd) != 0 && !e) e = errno;
  if (!e && rename(tmp, path) != 0) e = errno;
  if (e) {
    unlink(tmp);
    snprintf(why, whylen, "%s", strerror(e));
    return plat_error(e);
  }
  return 0;
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

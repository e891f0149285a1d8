/*
** files.c -- regular files through wasi-libc: create, write, read, seek,
** pread/pwrite, truncate, append, sync, allocate, advise, times, rename,
** hard links, unlink, stdio streams, a megabyte round trip, and the
** errors of the usual mistakes.  Expects --dir SANDBOX::/sandbox.
*/
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Print a call's result, and errno's text when it failed. */
static long show(const char *what, long rc) {
  if (rc < 0) printf("%s = %ld (%s)\n", what, rc, strerror(errno));
  else printf("%s = %ld\n", what, rc);
  return rc;
}
#define SHOW(expr) show(#expr, (long)(expr))

static long size_of(const char *path) {
  struct stat st;
  return stat(path, &st) ? -1 : (long)st.st_size;
}

static void cat(const char *path) {
  char buf[128] = {0};
  int fd = open(path, O_RDONLY);
  ssize_t n = read(fd, buf, sizeof buf - 1);
  close(fd);
  printf("%s holds %zd bytes: \"%s\"\n", path, n, n > 0 ? buf : "");
}

int main(void) {
  char buf[64] = {0};
  int fd = SHOW(open("/sandbox/a.txt", O_CREAT | O_WRONLY | O_TRUNC, 0644));
  SHOW(write(fd, "hello world\n", 12));
  SHOW(close(fd));
  cat("/sandbox/a.txt");

  fd = SHOW(open("/sandbox/a.txt", O_RDONLY));
  SHOW(lseek(fd, 6, SEEK_SET));
  SHOW(read(fd, buf, 5));
  printf("read \"%s\"\n", buf);
  SHOW(lseek(fd, 0, SEEK_CUR));
  SHOW(lseek(fd, 0, SEEK_END));
  SHOW(lseek(fd, -3, SEEK_END));
  SHOW(lseek(fd, -100, SEEK_SET));
  SHOW(read(fd, buf, 0));
  SHOW(write(fd, "x", 1));
  SHOW(close(fd));

  fd = SHOW(open("/sandbox/a.txt", O_RDWR));
  SHOW(pwrite(fd, "HELLO", 5, 0));
  memset(buf, 0, sizeof buf);
  SHOW(pread(fd, buf, 5, 6));
  printf("pread \"%s\"\n", buf);
  SHOW(lseek(fd, 0, SEEK_CUR));
  SHOW(ftruncate(fd, 5));
  SHOW(size_of("/sandbox/a.txt"));
  SHOW(fsync(fd));
  SHOW(fdatasync(fd));
  SHOW(posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL));
  SHOW(posix_fallocate(fd, 0, 100));
  SHOW(size_of("/sandbox/a.txt"));
  SHOW(posix_fallocate(fd, 0, 10));
  SHOW(size_of("/sandbox/a.txt"));
  SHOW(ftruncate(fd, 5));
  SHOW(close(fd));

  fd = SHOW(open("/sandbox/a.txt", O_WRONLY | O_APPEND));
  SHOW(write(fd, "++", 2));
  int fl = fcntl(fd, F_GETFL);
  printf("O_APPEND set: %d, write-only: %d\n", (fl & O_APPEND) != 0,
         (fl & O_ACCMODE) == O_WRONLY);
  SHOW(fcntl(fd, F_SETFL, fl & ~O_APPEND));
  SHOW(lseek(fd, 0, SEEK_SET));
  SHOW(write(fd, "h", 1));
  SHOW(close(fd));
  cat("/sandbox/a.txt");

  /* Times: whole seconds only, which every runtime keeps exactly. */
  struct timespec ts[2] = {{1000000000, 0}, {1500000000, 0}};
  SHOW(utimensat(AT_FDCWD, "/sandbox/a.txt", ts, 0));
  struct stat st;
  SHOW(stat("/sandbox/a.txt", &st));
  printf("atime %lld mtime %lld nlink %llu size %lld regular %d\n",
         (long long)st.st_atim.tv_sec, (long long)st.st_mtim.tv_sec,
         (unsigned long long)st.st_nlink, (long long)st.st_size,
         S_ISREG(st.st_mode));
  fd = open("/sandbox/a.txt", O_RDWR);
  ts[0].tv_sec = 1200000000;
  ts[1].tv_nsec = UTIME_OMIT;
  SHOW(futimens(fd, ts));
  SHOW(fstat(fd, &st));
  printf("atime %lld mtime %lld\n", (long long)st.st_atim.tv_sec,
         (long long)st.st_mtim.tv_sec);
  close(fd);

  SHOW(rename("/sandbox/a.txt", "/sandbox/b.txt"));
  SHOW(size_of("/sandbox/a.txt"));
  SHOW(link("/sandbox/b.txt", "/sandbox/c.txt"));
  SHOW(stat("/sandbox/b.txt", &st));
  printf("nlink after link: %llu\n", (unsigned long long)st.st_nlink);
  SHOW(unlink("/sandbox/c.txt"));
  SHOW(stat("/sandbox/b.txt", &st));
  printf("nlink after unlink: %llu\n", (unsigned long long)st.st_nlink);

  /* Mistakes. */
  SHOW(open("/sandbox/missing.txt", O_RDONLY));
  SHOW(open("/sandbox/b.txt", O_CREAT | O_EXCL | O_WRONLY, 0644));
  SHOW(open("/sandbox/b.txt/x", O_RDONLY));
  SHOW(open("/sandbox", O_WRONLY));
  SHOW(read(fd, buf, 1));  /* closed above */
  SHOW(unlink("/sandbox/missing.txt"));
  SHOW(rename("/sandbox/missing.txt", "/sandbox/d.txt"));

  /* stdio streams. */
  FILE *f = fopen("/sandbox/s.txt", "w+");
  for (int i = 0; i < 5; i++) fprintf(f, "line %d\n", i);
  SHOW(ftell(f));
  rewind(f);
  char line[32];
  while (fgets(line, sizeof line, f)) fputs(line, stdout);
  SHOW(fseek(f, 7, SEEK_SET));
  SHOW(fgetc(f));
  SHOW(fclose(f));

  /* A megabyte in one write, read back in odd-sized pieces. */
  size_t big = 1u << 20;
  unsigned char *data = malloc(big), *back = malloc(big);
  for (size_t i = 0; i < big; i++) data[i] = (unsigned char)(i * 31 + 7);
  fd = open("/sandbox/big.bin", O_CREAT | O_RDWR | O_TRUNC, 0644);
  SHOW(write(fd, data, big));
  SHOW(lseek(fd, 0, SEEK_SET));
  size_t got = 0;
  for (ssize_t n; got < big && (n = read(fd, back + got, 4099)) > 0;)
    got += (size_t)n;
  printf("read back %zu bytes, equal: %d\n", got, !memcmp(data, back, big));
  close(fd);
  free(data);
  free(back);

  SHOW(unlink("/sandbox/big.bin"));
  SHOW(unlink("/sandbox/s.txt"));
  SHOW(unlink("/sandbox/b.txt"));
  SHOW(size_of("/sandbox/b.txt"));
  return 0;
}

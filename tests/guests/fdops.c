/*
** fdops.c -- descriptor-level calls made raw, as wasi-libc would not make
** them: preopen discovery, fdstat and rights (dropping, failing to regain),
** fdflags, renumber, close twice, seek/tell, advise, allocate, set_size,
** set_times flag checks, sched_yield.  Expects --dir SANDBOX::/sandbox.
*/
#include <stdio.h>
#include <string.h>
#include <wasi/api.h>

static __wasi_fd_t sandbox = 3;

static void show(const char *what, __wasi_errno_t e) {
  printf("%-40s errno %u\n", what, (unsigned)e);
}

static __wasi_fd_t open_file(const char *path, __wasi_oflags_t oflags) {
  __wasi_fd_t fd = (__wasi_fd_t)-1;
  __wasi_errno_t e = __wasi_path_open(
      sandbox, 0, path, oflags,
      __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_WRITE | __WASI_RIGHTS_FD_SEEK |
          __WASI_RIGHTS_FD_TELL | __WASI_RIGHTS_FD_FDSTAT_SET_FLAGS |
          __WASI_RIGHTS_FD_ADVISE | __WASI_RIGHTS_FD_ALLOCATE |
          __WASI_RIGHTS_FD_FILESTAT_GET | __WASI_RIGHTS_FD_FILESTAT_SET_SIZE |
          __WASI_RIGHTS_FD_FILESTAT_SET_TIMES,
      0, 0, &fd);
  if (e) show(path, e);
  return fd;
}

static __wasi_errno_t put(__wasi_fd_t fd, const char *s) {
  __wasi_ciovec_t iov = {(const uint8_t *)s, strlen(s)};
  __wasi_size_t n;
  return __wasi_fd_write(fd, &iov, 1, &n);
}

static void get(__wasi_fd_t fd, const char *label) {
  char buf[32] = {0};
  __wasi_iovec_t iov = {(uint8_t *)buf, sizeof buf - 1};
  __wasi_size_t n = 0;
  __wasi_errno_t e = __wasi_fd_read(fd, &iov, 1, &n);
  printf("%s: errno %u, \"%s\"\n", label, (unsigned)e, buf);
}

int main(void) {
  /* Preopens: names in order, then EBADF past the last. */
  for (__wasi_fd_t fd = 3;; fd++) {
    __wasi_prestat_t ps;
    __wasi_errno_t e = __wasi_fd_prestat_get(fd, &ps);
    if (e) {
      printf("prestat past the preopens: errno %u\n", (unsigned)e);
      break;
    }
    char name[64] = {0};
    show("prestat_dir_name (too short)", __wasi_fd_prestat_dir_name(fd, (uint8_t *)name, 1) ? 1 : 0);
    (void)__wasi_fd_prestat_dir_name(fd, (uint8_t *)name, ps.u.dir.pr_name_len);
    printf("preopen tag %u name \"%s\"\n", ps.tag, name);
  }
  __wasi_prestat_t ps;
  show("prestat_get on stdout", __wasi_fd_prestat_get(1, &ps) ? 1 : 0);

  __wasi_fdstat_t fs;
  show("fdstat_get sandbox", __wasi_fd_fdstat_get(sandbox, &fs));
  printf("sandbox is a directory: %d, may open paths: %d\n",
         fs.fs_filetype == __WASI_FILETYPE_DIRECTORY,
         (fs.fs_rights_base & __WASI_RIGHTS_PATH_OPEN) != 0);

  __wasi_fd_t a = open_file("a.txt", __WASI_OFLAGS_CREAT | __WASI_OFLAGS_TRUNC);
  __wasi_fd_t b = open_file("b.txt", __WASI_OFLAGS_CREAT | __WASI_OFLAGS_TRUNC);
  show("write a", put(a, "contents of a"));
  show("write b", put(b, "contents of b"));
  show("fdstat_get a", __wasi_fd_fdstat_get(a, &fs));
  printf("a is a regular file: %d\n",
         fs.fs_filetype == __WASI_FILETYPE_REGULAR_FILE);

  __wasi_filesize_t pos = 0;
  show("tell a", __wasi_fd_tell(a, &pos));
  printf("a at %llu\n", (unsigned long long)pos);
  show("seek a to 0", __wasi_fd_seek(a, 0, __WASI_WHENCE_SET, &pos));
  show("seek a to -1", __wasi_fd_seek(a, -1, __WASI_WHENCE_SET, &pos));
  show("seek a, bad whence", __wasi_fd_seek(a, 0, 7, &pos));
  show("advise a", __wasi_fd_advise(a, 0, 10, __WASI_ADVICE_WILLNEED));
  show("advise a, bad advice", __wasi_fd_advise(a, 0, 10, 99));
  show("allocate a to 64", __wasi_fd_allocate(a, 0, 64));
  __wasi_filestat_t st;
  show("filestat_get a", __wasi_fd_filestat_get(a, &st));
  printf("a size %llu\n", (unsigned long long)st.size);
  show("set_size a to 8", __wasi_fd_filestat_set_size(a, 8));
  show("filestat_get a", __wasi_fd_filestat_get(a, &st));
  printf("a size %llu\n", (unsigned long long)st.size);
  show("set_times a, ATIM and ATIM_NOW",
       __wasi_fd_filestat_set_times(a, 0, 0, __WASI_FSTFLAGS_ATIM |
                                                 __WASI_FSTFLAGS_ATIM_NOW));
  show("set_times a, MTIM=2000000000 s",
       __wasi_fd_filestat_set_times(a, 0, 2000000000ull * 1000000000ull,
                                    __WASI_FSTFLAGS_MTIM));
  show("filestat_get a", __wasi_fd_filestat_get(a, &st));
  printf("a mtime %llu s\n", (unsigned long long)(st.mtim / 1000000000ull));

  /* Flags: append on, then off. */
  show("set_flags a APPEND", __wasi_fd_fdstat_set_flags(a, __WASI_FDFLAGS_APPEND));
  show("seek a to 0", __wasi_fd_seek(a, 0, __WASI_WHENCE_SET, &pos));
  show("write a (appends)", put(a, "!"));
  show("tell a", __wasi_fd_tell(a, &pos));
  printf("a at %llu\n", (unsigned long long)pos);
  show("set_flags a 0", __wasi_fd_fdstat_set_flags(a, 0));

  /* Rights can be dropped, never regained. */
  show("fdstat_get b", __wasi_fd_fdstat_get(b, &fs));
  show("set_rights b without WRITE",
       __wasi_fd_fdstat_set_rights(b, fs.fs_rights_base & ~__WASI_RIGHTS_FD_WRITE,
                                   fs.fs_rights_inheriting));
  show("write b without WRITE", put(b, "x"));
  show("set_rights b with WRITE again",
       __wasi_fd_fdstat_set_rights(b, fs.fs_rights_base, fs.fs_rights_inheriting));

  /* renumber a onto b: b now reads a's contents, a is gone. */
  show("renumber a -> b", __wasi_fd_renumber(a, b));
  show("seek b to 0", __wasi_fd_seek(b, 0, __WASI_WHENCE_SET, &pos));
  get(b, "read b");
  show("close a (renumbered away)", __wasi_fd_close(a));
  show("renumber to a closed fd", __wasi_fd_renumber(b, 77));
  show("close b", __wasi_fd_close(b));
  show("close b again", __wasi_fd_close(b));
  show("fdstat_get closed", __wasi_fd_fdstat_get(b, &fs));
  show("sched_yield", __wasi_sched_yield());
  show("unlink a.txt", __wasi_path_unlink_file(sandbox, "a.txt"));
  show("unlink b.txt", __wasi_path_unlink_file(sandbox, "b.txt"));
  show("path_open on a file as dir",
       __wasi_path_open(sandbox, 0, "inside.txt/", 0, 0, 0, 0, &a));
  show("create_directory on an existing file",
       __wasi_path_create_directory(sandbox, "inside.txt"));
  __wasi_size_t used;
  show("readlink of a file",
       __wasi_path_readlink(sandbox, "inside.txt", (uint8_t *)&pos, 8, &used));
  return 0;
}

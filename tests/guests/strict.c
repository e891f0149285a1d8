/*
** strict.c -- answers that node's WASI gets wrong, so this guest is
** compared with strict.expected instead of with node:
**   - pointers and lengths outside linear memory: every call must fail
**     with EFAULT (21), and the host must not crash;
**   - memory.grow past 4 GiB must return -1 (node aborts the process);
**   - fdflags as WASI numbers them (node returns the host's O_* bits);
**   - the calls inro answers with a fixed errno: proc_raise (ENOSYS, 52)
**     and the sock_* family (ENOTSUP, 58; EBADF, 8, for a descriptor that
**     is not open).
** Expects --dir SANDBOX::/sandbox.
*/
#include <stdio.h>
#include <string.h>
#include <wasi/api.h>

/* Imports that wasi-libc does not declare, or only with a C string. */
__attribute__((import_module("wasi_snapshot_preview1"),
               import_name("proc_raise"))) extern uint32_t
raw_proc_raise(uint32_t sig);
__attribute__((import_module("wasi_snapshot_preview1"),
               import_name("path_create_directory"))) extern uint32_t
raw_path_create_directory(uint32_t fd, uint32_t path, uint32_t len);

/* An address past the end of memory, whatever its current size. */
#define FAR ((void *)0xfffffff0u)

static void show(const char *what, __wasi_errno_t e) {
  printf("%-36s errno %u\n", what, (unsigned)e);
}

int main(void) {
  __wasi_size_t n = 0;
  __wasi_ciovec_t bad_buf = {FAR, 8};
  __wasi_ciovec_t ok_buf = {(const uint8_t *)"x", 1};
  show("fd_write, iovec array out of memory",
       __wasi_fd_write(1, FAR, 1, &n));
  show("fd_write, buffer out of memory", __wasi_fd_write(1, &bad_buf, 1, &n));
  show("fd_write, result out of memory", __wasi_fd_write(1, &ok_buf, 1, FAR));
  __wasi_iovec_t bad_in = {FAR, 8};
  show("fd_read, buffer out of memory", __wasi_fd_read(0, &bad_in, 1, &n));
  show("args_sizes_get, out of memory", __wasi_args_sizes_get(FAR, &n));
  show("args_get, out of memory", __wasi_args_get(FAR, FAR));
  show("environ_get, out of memory", __wasi_environ_get(FAR, FAR));
  show("random_get, out of memory", __wasi_random_get(FAR, 16));
  show("clock_time_get, out of memory",
       __wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 1, FAR));
  show("fd_fdstat_get, out of memory", __wasi_fd_fdstat_get(1, FAR));
  show("fd_filestat_get, out of memory", __wasi_fd_filestat_get(1, FAR));
  show("fd_prestat_get, out of memory", __wasi_fd_prestat_get(3, FAR));
  show("fd_prestat_dir_name, out of memory",
       __wasi_fd_prestat_dir_name(3, FAR, 8));
  show("fd_readdir, out of memory", __wasi_fd_readdir(3, FAR, 64, 0, &n));
  show("path_open, result out of memory",
       __wasi_path_open(3, 0, "inside.txt", 0, __WASI_RIGHTS_FD_READ, 0, 0,
                        FAR));
  show("path_filestat_get, out of memory",
       __wasi_path_filestat_get(3, 0, "inside.txt", FAR));
  show("poll_oneoff, out of memory", __wasi_poll_oneoff(FAR, FAR, 1, &n));
  __wasi_filesize_t pos;
  show("proc_raise", (__wasi_errno_t)raw_proc_raise(15));
  __wasi_fd_t fd;
  show("sock_accept on stdin", __wasi_sock_accept(0, 0, &fd));
  show("sock_shutdown on stdin", __wasi_sock_shutdown(0, __WASI_SDFLAGS_WR));
  show("sock_shutdown on a closed fd", __wasi_sock_shutdown(99, __WASI_SDFLAGS_WR));
  __wasi_roflags_t ro;
  __wasi_iovec_t in = {(uint8_t *)&pos, 8};
  show("sock_recv on stdin", __wasi_sock_recv(0, &in, 1, 0, &n, &ro));
  show("sock_send on stdout", __wasi_sock_send(1, &ok_buf, 1, 0, &n));
  /* The path string itself out of memory: no libc wrapper will do it. */
  show("path_create_directory, path out of memory",
       (__wasi_errno_t)raw_path_create_directory(3, 0xfffffff0u, 8));

  /* fdflags: APPEND (1) given at open shows in fdstat, and can be unset. */
  __wasi_fdstat_t st;
  show("path_open a.txt with APPEND",
       __wasi_path_open(3, 0, "a.txt", __WASI_OFLAGS_CREAT,
                        __WASI_RIGHTS_FD_WRITE | __WASI_RIGHTS_FD_SEEK |
                            __WASI_RIGHTS_FD_FDSTAT_SET_FLAGS,
                        0, __WASI_FDFLAGS_APPEND, &fd));
  show("fd_fdstat_get", __wasi_fd_fdstat_get(fd, &st));
  printf("flags %u\n", st.fs_flags);
  show("fd_fdstat_set_flags 0", __wasi_fd_fdstat_set_flags(fd, 0));
  show("fd_fdstat_get", __wasi_fd_fdstat_get(fd, &st));
  printf("flags %u\n", st.fs_flags);
  show("fd_fdstat_set_flags NONBLOCK",
       __wasi_fd_fdstat_set_flags(fd, __WASI_FDFLAGS_NONBLOCK));
  show("fd_fdstat_get", __wasi_fd_fdstat_get(fd, &st));
  printf("flags %u\n", st.fs_flags);
  show("fd_seek, result out of memory", __wasi_fd_seek(fd, 0, 0, FAR));
  show("fd_close", __wasi_fd_close(fd));
  show("path_unlink_file a.txt", __wasi_path_unlink_file(3, "a.txt"));
  printf("memory.grow past 4 GiB: %ld\n",
         (long)__builtin_wasm_memory_grow(0, 65536));
  printf("still alive\n");
  return 0;
}

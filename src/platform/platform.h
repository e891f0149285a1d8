/*
** platform.h -- the only place inro talks to the operating system.
**
** Two implementations share this interface: POSIX (native builds) and WASI
** (the self-hosted inro.wasm, built against wasi-libc).  Everything outside
** src/platform uses only the C standard library plus these calls.
**
**   cwd.c       the working directory of inro.wasm ($PWD, see there)
**   file.c      whole-file reads (standard C only)
**   fs.c        handles, files and directories: the POSIX *at() family,
**               which wasi-libc provides too, so one file serves both sides
**   os.c        polling, sleeping, yielding (POSIX poll/nanosleep, likewise)
**   errno.c     host errno -> PLAT_E* codes
**   os_posix.c  clocks and entropy on a native host
**   os_wasi.c   clocks and entropy when inro itself runs under WASI
**   snapfile.c  atomic file writes, existence and size checks
**   stream.c    whole writes, reads, stdout moved aside (snapshot streams)
**   net.c       TCP connect / listen / accept (natively; not under WASI)
**   vmem.c      address space for linear memories
**
** Errors: calls return 0 or a positive PLAT_E* code.  The codes use the
** numbering of WASI preview 1's errno because that is a complete, portable
** list; the WASI layer hands them to guests unchanged.
*/
#ifndef INRO_PLATFORM_H
#define INRO_PLATFORM_H

#include <stddef.h>
#include <stdint.h>

/* Call first thing in main: under WASI, adopts $PWD as the working
** directory of relative paths (see cwd.c); natively does nothing. */
void plat_start(void);

/* Read a whole file.  Returns a malloc'd buffer (free it) or NULL with a
** short reason in why. */
uint8_t *plat_read_file(const char *path, size_t *size, char *why,
                        size_t whylen);

/* ---------------------------------------------------------------- errors */

enum {
  PLAT_OK = 0, PLAT_E2BIG = 1, PLAT_EACCES = 2, PLAT_EADDRINUSE = 3,
  PLAT_EADDRNOTAVAIL = 4, PLAT_EAFNOSUPPORT = 5, PLAT_EAGAIN = 6,
  PLAT_EALREADY = 7, PLAT_EBADF = 8, PLAT_EBADMSG = 9, PLAT_EBUSY = 10,
  PLAT_ECANCELED = 11, PLAT_ECHILD = 12, PLAT_ECONNABORTED = 13,
  PLAT_ECONNREFUSED = 14, PLAT_ECONNRESET = 15, PLAT_EDEADLK = 16,
  PLAT_EDESTADDRREQ = 17, PLAT_EDOM = 18, PLAT_EDQUOT = 19,
  PLAT_EEXIST = 20, PLAT_EFAULT = 21, PLAT_EFBIG = 22,
  PLAT_EHOSTUNREACH = 23, PLAT_EIDRM = 24, PLAT_EILSEQ = 25,
  PLAT_EINPROGRESS = 26, PLAT_EINTR = 27, PLAT_EINVAL = 28, PLAT_EIO = 29,
  PLAT_EISCONN = 30, PLAT_EISDIR = 31, PLAT_ELOOP = 32, PLAT_EMFILE = 33,
  PLAT_EMLINK = 34, PLAT_EMSGSIZE = 35, PLAT_EMULTIHOP = 36,
  PLAT_ENAMETOOLONG = 37, PLAT_ENETDOWN = 38, PLAT_ENETRESET = 39,
  PLAT_ENETUNREACH = 40, PLAT_ENFILE = 41, PLAT_ENOBUFS = 42,
  PLAT_ENODEV = 43, PLAT_ENOENT = 44, PLAT_ENOEXEC = 45, PLAT_ENOLCK = 46,
  PLAT_ENOLINK = 47, PLAT_ENOMEM = 48, PLAT_ENOMSG = 49,
  PLAT_ENOPROTOOPT = 50, PLAT_ENOSPC = 51, PLAT_ENOSYS = 52,
  PLAT_ENOTCONN = 53, PLAT_ENOTDIR = 54, PLAT_ENOTEMPTY = 55,
  PLAT_ENOTRECOVERABLE = 56, PLAT_ENOTSOCK = 57, PLAT_ENOTSUP = 58,
  PLAT_ENOTTY = 59, PLAT_ENXIO = 60, PLAT_EOVERFLOW = 61,
  PLAT_EOWNERDEAD = 62, PLAT_EPERM = 63, PLAT_EPIPE = 64, PLAT_EPROTO = 65,
  PLAT_EPROTONOSUPPORT = 66, PLAT_EPROTOTYPE = 67, PLAT_ERANGE = 68,
  PLAT_EROFS = 69, PLAT_ESPIPE = 70, PLAT_ESRCH = 71, PLAT_ESTALE = 72,
  PLAT_ETIMEDOUT = 73, PLAT_ETXTBSY = 74, PLAT_EXDEV = 75,
  PLAT_ENOTCAPABLE = 76
};

/* The PLAT_E* code for a host errno value (PLAT_EIO if unknown). */
int plat_error(int host_errno);
/* The host's text for a PLAT_E* code. */
const char *plat_strerror(int code);

/* ------------------------------------------------------ files, directories */

/* A host handle: a POSIX file descriptor on both sides. */
typedef int plat_fd;
#define PLAT_NO_FD (-1)

/* File types, numbered as WASI's filetype. */
enum {
  PLAT_FT_UNKNOWN = 0, PLAT_FT_BLOCK = 1, PLAT_FT_CHAR = 2, PLAT_FT_DIR = 3,
  PLAT_FT_FILE = 4, PLAT_FT_SOCK_DGRAM = 5, PLAT_FT_SOCK_STREAM = 6,
  PLAT_FT_SYMLINK = 7
};

typedef struct plat_stat {
  uint64_t dev, ino, nlink, size;
  uint64_t atim, mtim, ctim;  /* nanoseconds since the epoch */
  uint8_t type;               /* PLAT_FT_* */
} plat_stat;

/* Flags of plat_openat. */
enum {
  PLAT_O_READ = 1 << 0,  PLAT_O_WRITE = 1 << 1,   PLAT_O_CREATE = 1 << 2,
  PLAT_O_EXCL = 1 << 3,  PLAT_O_TRUNC = 1 << 4,   PLAT_O_DIRECTORY = 1 << 5,
  PLAT_O_APPEND = 1 << 6, PLAT_O_NONBLOCK = 1 << 7, PLAT_O_SYNC = 1 << 8,
  PLAT_O_DSYNC = 1 << 9, PLAT_O_RSYNC = 1 << 10
};

/* A buffer for vectored I/O. */
typedef struct plat_iov {
  void *base;
  size_t len;
} plat_iov;

/* An entry of plat_list_dir. */
typedef struct plat_dirent {
  char *name;
  uint64_t ino;
  uint8_t type;  /* PLAT_FT_* */
} plat_dirent;

/* Times for plat_set_times: nanoseconds, or one of these. */
#define PLAT_TIME_NOW  (-1)
#define PLAT_TIME_OMIT (-2)

/* Open a host directory by path (a preopen). */
int plat_open_dir(const char *path, plat_fd *out);
/* Open `name`, one path component, in directory dir.  A symlink in that
** place is never followed (it fails, typically with PLAT_ELOOP): callers
** resolve links themselves so that they cannot lead out of a sandbox. */
int plat_openat(plat_fd dir, const char *name, int flags, plat_fd *out);
int plat_close(plat_fd fd);

/* Vectored I/O; *done is the byte count.  The p* forms take an offset and
** leave the file position alone. */
int plat_read(plat_fd fd, const plat_iov *iov, size_t n, size_t *done);
int plat_write(plat_fd fd, const plat_iov *iov, size_t n, size_t *done);
int plat_pread(plat_fd fd, const plat_iov *iov, size_t n, uint64_t off,
               size_t *done);
int plat_pwrite(plat_fd fd, const plat_iov *iov, size_t n, uint64_t off,
                size_t *done);
/* whence: 0 = set, 1 = current, 2 = end (WASI's numbering). */
int plat_seek(plat_fd fd, int64_t off, int whence, uint64_t *pos);
int plat_sync(plat_fd fd);
int plat_datasync(plat_fd fd);
int plat_truncate(plat_fd fd, uint64_t size);
/* advice numbered as WASI's: normal, sequential, random, willneed,
** dontneed, noreuse. */
int plat_advise(plat_fd fd, uint64_t off, uint64_t len, int advice);
/* The PLAT_O_APPEND and PLAT_O_NONBLOCK flags of an open handle. */
int plat_get_flags(plat_fd fd, int *flags);
int plat_set_flags(plat_fd fd, int flags);

int plat_fstat(plat_fd fd, plat_stat *st);
/* Stat `name` in dir without following a final symlink. */
int plat_statat(plat_fd dir, const char *name, plat_stat *st);
/* Set times of fd itself (name NULL) or of `name` in dir (not following a
** final symlink). */
int plat_set_times(plat_fd fd, const char *name, int64_t atim, int64_t mtim);

int plat_mkdirat(plat_fd dir, const char *name);
/* Remove a file (is_dir 0) or an empty directory (is_dir 1). */
int plat_unlinkat(plat_fd dir, const char *name, int is_dir);
int plat_renameat(plat_fd from_dir, const char *from, plat_fd to_dir,
                  const char *to);
/* A hard link to `from` itself (a symlink there is not followed). */
int plat_linkat(plat_fd from_dir, const char *from, plat_fd to_dir,
                const char *to);
int plat_symlinkat(const char *target, plat_fd dir, const char *name);
/* A symlink's text as a malloc'd NUL-terminated string (free it), *len its
** length.  PLAT_EINVAL if name is not a symlink. */
int plat_readlinkat(plat_fd dir, const char *name, char **out, size_t *len);
/* Every entry of an open directory, "." and ".." included, in the host's
** order.  Free with plat_free_dirents.  The handle's position is unchanged. */
int plat_list_dir(plat_fd dir, plat_dirent **out, size_t *n);
void plat_free_dirents(plat_dirent *ents, size_t n);

/* --------------------------------------------------------- time, entropy */

/* Clock ids numbered as WASI's: realtime, monotonic, process and thread
** CPU time.  PLAT_EINVAL for any other. */
int plat_clock_time(uint32_t id, uint64_t *ns);
int plat_clock_res(uint32_t id, uint64_t *ns);
int plat_random(void *buf, size_t len);
int plat_sleep(uint64_t ns);
int plat_yield(void);

/* Wait until one of fds is ready or timeout_ns passes (negative: forever).
** `want` and `got` are PLAT_POLL_* masks. */
enum { PLAT_POLL_READ = 1, PLAT_POLL_WRITE = 2, PLAT_POLL_HUP = 4,
       PLAT_POLL_ERR = 8 };
typedef struct plat_pollfd {
  plat_fd fd;
  int want;
  int got;
} plat_pollfd;
int plat_poll(plat_pollfd *fds, size_t n, int64_t timeout_ns);

/* ------------------------------------------------------------ snapshots */

/* Write a whole file atomically: a temporary file beside it, written,
** synced, then renamed over path; on failure nothing is left behind.
** path must be a regular file or not exist (plat_check_target).  0 or
** PLAT_E*, with a short reason in why. */
int plat_write_file_atomic(const char *path, const uint8_t *data, size_t size,
                           char *why, size_t whylen);
/* The same in steps: begin (which checks the target as above), then
** plat_atomic_write, then commit (sync and rename) or abort (remove the
** temporary file).  Where the system can, plat_atomic_write starts the
** write-back of what it has written every few MiB, so that the sync at
** commit waits for the last few only. */
typedef struct plat_atomic_file {
  plat_fd fd;
  const char *path;
  uint64_t written, behind; /* bytes written; bytes whose write-back began */
  char tmp[4096];
} plat_atomic_file;
int plat_atomic_begin(plat_atomic_file *f, const char *path, char *why,
                      size_t whylen);
int plat_atomic_write(plat_atomic_file *f, const plat_iov *iov, size_t n);
int plat_atomic_commit(plat_atomic_file *f, char *why, size_t whylen);
void plat_atomic_abort(plat_atomic_file *f);
/* 0 if path does not exist or is a regular file (not a symlink); else
** PLAT_EEXIST with a short reason in why. */
int plat_check_target(const char *path, char *why, size_t whylen);
/* Does path exist?  (Checkpoint trigger files.) */
int plat_exists(const char *path);
/* Size of a file, or -1 (control files are read incrementally). */
int64_t plat_file_size(const char *path);
/* Arrange for SIGUSR1 to set *flag (natively; under WASI there are no
** signals and this does nothing).  Returns 1 if installed. */
int plat_catch_checkpoint_signal(volatile int *flag);

/* ------------------------------------------------------------- streams */

/* Write every byte of iov[0..n), waiting while fd is not ready.  0 or
** PLAT_E* (PLAT_EPIPE: the reader is gone; see plat_ignore_sigpipe). */
int plat_write_all(plat_fd fd, const plat_iov *iov, size_t n);
/* Read up to len bytes (*got 0: end of stream), waiting while fd is not
** ready. */
int plat_read_some(plat_fd fd, void *buf, size_t len, size_t *got);
/* Open a file to read as a stream: a regular file, a pipe or a socket,
** not a directory or a device (refused before it is opened, as
** plat_read_file does).  0, or PLAT_E* with a short reason in why. */
int plat_open_read(const char *path, plat_fd *out, char *why, size_t whylen);
/* Standard output becomes a stream of its own: *stream is a new handle
** for it, and fd 1 now writes where stderr does (so the guest's output
** cannot mix into a snapshot written to stdout).  PLAT_ENOTSUP under
** WASI, which cannot duplicate handles. */
int plat_stdout_aside(plat_fd *stream);
/* A write to a pipe or socket whose reader is gone fails with PLAT_EPIPE
** instead of ending the process (natively; nothing to do under WASI). */
void plat_ignore_sigpipe(void);

/* TCP, natively only (PLAT_ENOTSUP under WASI, with a reason in why).
** host NULL or "" listens on every address.  Connections do not delay
** small writes (TCP_NODELAY). */
int plat_tcp_connect(const char *host, const char *port, plat_fd *out,
                     char *why, size_t whylen);
int plat_tcp_listen(const char *host, const char *port, plat_fd *out,
                    char *why, size_t whylen);
int plat_tcp_accept(plat_fd listener, plat_fd *out);
/* The local port of a socket (the one chosen for port "0"). */
int plat_tcp_port(plat_fd sock, unsigned *port);

/* ------------------------------------------------------- linear memory */

/* Reserve `bytes` of zero-filled address space, committed page by page
** as it is touched; NULL where the host cannot (vmem.c). */
void *plat_mem_reserve(size_t bytes);
void plat_mem_release(void *p, size_t bytes);

#endif

/*
** escape.c -- tries to leave its preopen through `..`, absolute paths and
** symlinks, with raw WASI calls so that libc's own path handling cannot
** hide what the runtime does.  Every attempt must fail; the legitimate
** paths next to them (symlinks and `..` that stay inside) must work.
**
** Expects --dir SANDBOX::/sandbox laid out by tests/guests.sh:
**   /sandbox/inside.txt                 "inside"
**   /sandbox/sub/                       an empty directory
**   /sandbox/link_ok -> inside.txt      /sandbox/sub/link_ok2 -> ../inside.txt
**   /sandbox/link_up -> ../outside      /sandbox/sub/link_up2 -> ../../outside/secret.txt
**   /sandbox/link_abs -> HOST/outside   (absolute host path)
**   ../outside/secret.txt next to the sandbox on the host.
*/
#include <stdio.h>
#include <string.h>
#include <wasi/api.h>

static __wasi_fd_t sandbox = (__wasi_fd_t)-1;

/* Find the preopen named /sandbox the way wasi-libc does: by probing. */
static void find_sandbox(void) {
  for (__wasi_fd_t fd = 3; fd < 64; fd++) {
    __wasi_prestat_t ps;
    char name[64];
    if (__wasi_fd_prestat_get(fd, &ps) != 0) break;
    if (ps.u.dir.pr_name_len >= sizeof name) continue;
    if (__wasi_fd_prestat_dir_name(fd, (uint8_t *)name, ps.u.dir.pr_name_len))
      continue;
    name[ps.u.dir.pr_name_len] = 0;
    if (!strcmp(name, "/sandbox")) sandbox = fd;
  }
}

/* The verdict printed for an attempt: the content read, or why not. */
static void report(const char *what, __wasi_errno_t e, const char *content) {
  if (e == 0)
    printf("%-34s read \"%s\"\n", what, content);
  else if (e == __WASI_ERRNO_NOTCAPABLE || e == __WASI_ERRNO_PERM ||
           e == __WASI_ERRNO_NOENT || e == __WASI_ERRNO_ACCES)
    printf("%-34s blocked (errno %u)\n", what, (unsigned)e);
  else
    printf("%-34s error %u\n", what, (unsigned)e);
}

static void try_open(const char *path, __wasi_lookupflags_t follow) {
  __wasi_fd_t fd;
  char buf[64] = {0};
  __wasi_errno_t e = __wasi_path_open(sandbox, follow, path, 0,
                                      __WASI_RIGHTS_FD_READ, 0, 0, &fd);
  if (e == 0) {
    __wasi_iovec_t iov = {(uint8_t *)buf, sizeof buf - 1};
    __wasi_size_t n = 0;
    e = __wasi_fd_read(fd, &iov, 1, &n);
    buf[n] = 0;
    if (n && buf[n - 1] == '\n') buf[n - 1] = 0;
    (void)__wasi_fd_close(fd);
  }
  char what[80];
  snprintf(what, sizeof what, "open %s%s", path, follow ? "" : " (nofollow)");
  report(what, e, buf);
}

static void try_stat(const char *path) {
  __wasi_filestat_t st;
  char what[80];
  snprintf(what, sizeof what, "stat %s", path);
  report(what, __wasi_path_filestat_get(sandbox, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW,
                                        path, &st), "");
}

int main(void) {
  find_sandbox();
  if (sandbox == (__wasi_fd_t)-1) {
    puts("no /sandbox preopen");
    return 1;
  }
  static const char *const escapes[] = {
    "../outside/secret.txt", "sub/../../outside/secret.txt",
    "/etc/passwd", "/sandbox/inside.txt", "link_up/secret.txt",
    "link_abs/secret.txt", "sub/link_up2", "./sub/../../outside/secret.txt",
    "sub/../link_up/secret.txt",
  };
  static const char *const fine[] = {
    "inside.txt", "./inside.txt", "sub/../inside.txt", "link_ok",
    "sub/link_ok2", "sub/./../sub/link_ok2",
  };
  for (size_t i = 0; i < sizeof escapes / sizeof *escapes; i++)
    try_open(escapes[i], __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW);
  for (size_t i = 0; i < sizeof fine / sizeof *fine; i++)
    try_open(fine[i], __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW);
  try_open("link_ok", 0);
  try_stat("..");
  try_stat("link_up");
  try_stat("link_abs");
  try_stat("sub/link_up2");

  /* Making things outside, or links that lead there, must fail too. */
  report("mkdir ../evil", __wasi_path_create_directory(sandbox, "../evil"), "");
  report("rename inside.txt -> ../outside/x",
         __wasi_path_rename(sandbox, "inside.txt", sandbox, "../outside/x"), "");
  report("link ../outside/secret.txt -> stolen",
         __wasi_path_link(sandbox, 0, "../outside/secret.txt", sandbox, "stolen"), "");
  report("link link_up2 (follow) -> stolen",
         __wasi_path_link(sandbox, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW,
                          "sub/link_up2", sandbox, "stolen"), "");
  report("unlink ../outside/secret.txt",
         __wasi_path_unlink_file(sandbox, "../outside/secret.txt"), "");
  /* A symlink may hold any text, but following it must stay inside. */
  report("symlink mine -> ../outside/secret.txt",
         __wasi_path_symlink("../outside/secret.txt", sandbox, "mine"), "");
  try_open("mine", __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW);
  report("unlink mine", __wasi_path_unlink_file(sandbox, "mine"), "");
  return 0;
}

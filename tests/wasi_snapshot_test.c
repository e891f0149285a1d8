/*
** wasi_snapshot_test.c -- WASI state in snapshots (wasi_save, wasi_load,
** wasi_describe).  A guest's view is driven through the WASI host
** functions themselves (their tables, with a plain byte array as guest
** memory) in a temporary directory: files opened for reading and writing,
** a directory, append mode, dropped rights, a closed preopen, stdio closed
** and renumbered.  After save and load into a fresh state every descriptor
** must continue at its offset.  Then: remapped preopens, a file shortened
** below its offset (refused, accepted with force), a missing file, a file
** that became a directory, hand-made snapshots whose paths try to leave
** their preopen (`..`, absolute, symlinks), create/truncate flags that must
** not act again, and truncated and mutated bytes (fixed seed), which must
** be refused or restored without a crash; wasi_describe's two forms.  Last line: "N passed, M failed".
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wasi/wasi_impl.h"

static int passed, failed;

static void check(int ok, const char *what) {
  if (ok) {
    passed++;
  } else {
    failed++;
    printf("FAIL: %s\n", what);
  }
}

/* ------------------------------------------------------ guest, host calls */

static uint8_t mem[65536];
static const wasi_mem gm = {mem, sizeof mem};

enum { PATH_AT = 1024, OUT_AT = 2000, IOV_AT = 3000, DONE_AT = 3008,
       BUF_AT = 4096 };

static wasi_impl find(const char *name) {
  static const struct {
    const wasi_entry *e;
    const size_t *n;
  } tables[] = {{wasi_fd_entries, &wasi_fd_nentries},
                {wasi_path_entries, &wasi_path_nentries},
                {wasi_misc_entries, &wasi_misc_nentries}};
  for (size_t t = 0; t < 3; t++)
    for (size_t i = 0; i < *tables[t].n; i++)
      if (!strcmp(tables[t].e[i].name, name)) return tables[t].e[i].fn;
  fprintf(stderr, "no WASI function %s\n", name);
  exit(2);
}

#define CALL(st, name, ...) find(name)(st, &gm, (const uint64_t[]){__VA_ARGS__})

#define R_FILE                                                               \
  (WASI_R_FD_READ | WASI_R_FD_WRITE | WASI_R_FD_SEEK | WASI_R_FD_TELL |      \
   WASI_R_FD_FILESTAT_GET | WASI_R_FD_FDSTAT_SET_FLAGS)

/* path_open(dir, path); the new fd, or -errno. */
static long open_at(wasi_state *st, uint32_t dir, const char *path,
                    uint32_t oflags, uint64_t rights, uint32_t fdflags) {
  size_t len = strlen(path);
  memcpy(mem + PATH_AT, path, len);
  uint32_t rc = CALL(st, "path_open", dir, 0, PATH_AT, len, oflags, rights,
                     WASI_RIGHTS_ALL, fdflags, OUT_AT);
  return rc ? -(long)rc : (long)wasi_get32(mem + OUT_AT);
}

/* Read up to n bytes at the fd's position as a string ("" on error). */
static const char *rd(wasi_state *st, uint32_t fd, uint32_t n) {
  static char buf[256];
  wasi_le32(mem + IOV_AT, BUF_AT);
  wasi_le32(mem + IOV_AT + 4, n);
  buf[0] = 0;
  if (CALL(st, "fd_read", fd, IOV_AT, 1, DONE_AT) == 0) {
    uint32_t got = wasi_get32(mem + DONE_AT);
    memcpy(buf, mem + BUF_AT, got);
    buf[got] = 0;
  }
  return buf;
}

static uint32_t wr(wasi_state *st, uint32_t fd, const char *s) {
  size_t n = strlen(s);
  memcpy(mem + BUF_AT, s, n);
  wasi_le32(mem + IOV_AT, BUF_AT);
  wasi_le32(mem + IOV_AT + 4, (uint32_t)n);
  return CALL(st, "fd_write", fd, IOV_AT, 1, DONE_AT);
}

static uint64_t tell(wasi_state *st, uint32_t fd) {
  if (CALL(st, "fd_tell", fd, OUT_AT)) return UINT64_MAX;
  return wasi_get64(mem + OUT_AT);
}

/* fdstat: file type, fdflags, rights base; type 255 if fd is not open. */
static uint8_t fdstat(wasi_state *st, uint32_t fd, uint16_t *flags,
                      uint64_t *base) {
  if (CALL(st, "fd_fdstat_get", fd, OUT_AT)) return 255;
  if (flags) *flags = (uint16_t)(mem[OUT_AT + 2] | mem[OUT_AT + 3] << 8);
  if (base) *base = wasi_get64(mem + OUT_AT + 8);
  return mem[OUT_AT];
}

/* --------------------------------------------------------------- the host */

static char dir1[64], dir2[64];

static char *path_in(const char *dir, const char *name) {
  static char buf[4][256];
  static int k;
  k = (k + 1) % 4;
  snprintf(buf[k], sizeof buf[k], "%s/%s", dir, name);
  return buf[k];
}

static void put_file(const char *path, const char *text) {
  FILE *f = fopen(path, "wb");
  if (!f) {
    perror(path);
    exit(2);
  }
  fputs(text, f);
  fclose(f);
}

static const char *get_file(const char *path) {
  static char buf[256];
  FILE *f = fopen(path, "rb");
  size_t n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
  if (f) fclose(f);
  buf[n] = 0;
  return f ? buf : "(missing)";
}

static void make_dir(const char *path) {
  char *slash = strrchr(path, '/');
  plat_fd d;
  *slash = 0;
  int rc = plat_open_dir(path, &d);
  *slash = '/';
  if (rc || plat_mkdirat(d, slash + 1)) {
    fprintf(stderr, "cannot make %s\n", path);
    exit(2);
  }
  plat_close(d);
}

static void make_link(const char *dir, const char *name, const char *target) {
  plat_fd d;
  if (plat_open_dir(dir, &d) || plat_symlinkat(target, d, name)) {
    fprintf(stderr, "cannot make link %s/%s\n", dir, name);
    exit(2);
  }
  plat_close(d);
}

/* Remove everything the test made (two levels deep is all it makes). */
static void clean_dir(const char *dir) {
  plat_fd d;
  plat_dirent *ents;
  size_t n;
  if (plat_open_dir(dir, &d)) return;
  if (!plat_list_dir(d, &ents, &n)) {
    for (size_t i = 0; i < n; i++) {
      if (!strcmp(ents[i].name, ".") || !strcmp(ents[i].name, "..")) continue;
      if (ents[i].type == PLAT_FT_DIR) {
        char sub[256];
        snprintf(sub, sizeof sub, "%s/%s", dir, ents[i].name);
        clean_dir(sub);
      }
      plat_unlinkat(d, ents[i].name, ents[i].type == PLAT_FT_DIR);
    }
    plat_free_dirents(ents, n);
  }
  plat_close(d);
}

static void setup(void) {
  strcpy(dir1, "/tmp/inro-wsnap-XXXXXX");
  strcpy(dir2, "/tmp/inro-wsnap-XXXXXX");
  if (!mkdtemp(dir1) || !mkdtemp(dir2)) {
    perror("mkdtemp");
    exit(2);
  }
  put_file(path_in(dir1, "in.txt"), "0123456789abcdefghij");
  put_file(path_in(dir2, "in.txt"), "ABCDEFGHIJKLMNOPQRST");
  make_dir(path_in(dir1, "sub"));
  make_dir(path_in(dir2, "sub"));
}

/* A fresh state and wasi_load; returns the state (NULL on failure, with
** *rc and why set). */
static wasi_state *load(const uint8_t *b, size_t n, const wasi_remap *m,
                        int force, int *rc, char *why, size_t whylen) {
  wasi_state *st = wasi_new();
  *rc = wasi_load(st, b, n, m, force, why, whylen);
  if (*rc) {
    wasi_free(st);
    return NULL;
  }
  return st;
}

/* ------------------------------------------------------------ round trip */

static uint8_t *blob1, *blob2;
static size_t size1, size2;
static long fd_in, fd_out, fd_sub, fd_deep, fd_app, fd_zero, fd_two_file,
    fd_err;

static void build_and_save(void) {
  wasi_state *st = wasi_new();
  wasi_add_arg(st, "prog");
  wasi_add_arg(st, "x y");
  wasi_add_env(st, "A=1");
  check(wasi_preopen(st, dir1, "/data") == 0, "preopen /data");
  check(wasi_preopen(st, dir2, "/two") == 0, "preopen /two");
  const uint32_t fd_two = 4;
  fd_in = open_at(st, 3, "in.txt", 0, WASI_R_FD_READ | WASI_R_FD_TELL |
                                          WASI_R_FD_SEEK, 0);
  check(!strcmp(rd(st, (uint32_t)fd_in, 5), "01234"), "read in.txt");
  fd_out = open_at(st, 3, "sub/../out.txt", WASI_O_CREAT | WASI_O_TRUNC,
                   R_FILE, 0);
  check(fd_out > 0 && wr(st, (uint32_t)fd_out, "hello") == 0, "write out.txt");
  fd_sub = open_at(st, 3, "sub", WASI_O_DIRECTORY, WASI_RIGHTS_DIR, 0);
  fd_deep = open_at(st, (uint32_t)fd_sub, "deep.txt", WASI_O_CREAT, R_FILE, 0);
  check(fd_deep > 0 && wr(st, (uint32_t)fd_deep, "xyz") == 0, "write deep");
  check(CALL(st, "fd_seek", (uint64_t)fd_deep, 1, 0, OUT_AT) == 0, "seek");
  fd_app = open_at(st, 3, "app.txt", WASI_O_CREAT, R_FILE,
                   WASI_FDFLAG_APPEND);
  check(fd_app > 0 && wr(st, (uint32_t)fd_app, "A") == 0, "write app.txt");
  /* Drop rights: a restore must not give them back. */
  check(CALL(st, "fd_fdstat_set_rights", (uint64_t)fd_in,
             WASI_R_FD_READ | WASI_R_FD_TELL, 0) == 0, "drop rights");
  /* stdin closed, its slot reused by a file. */
  check(CALL(st, "fd_close", 0) == 0, "close stdin");
  fd_zero = open_at(st, 3, "in.txt", 0, R_FILE, 0);
  check(fd_zero == 0 && !strcmp(rd(st, 0, 2), "01"), "file at fd 0");
  /* A file under /two, whose preopen is then closed. */
  fd_two_file = open_at(st, fd_two, "in.txt", 0, R_FILE, 0);
  check(!strcmp(rd(st, (uint32_t)fd_two_file, 4), "ABCD"), "read /two");
  check(CALL(st, "fd_close", fd_two) == 0, "close /two");
  /* stderr renumbered onto another descriptor. */
  fd_err = open_at(st, 3, "in.txt", 0, R_FILE, 0);
  check(CALL(st, "fd_renumber", 2, (uint64_t)fd_err) == 0, "renumber 2");
  check(wasi_save(st, &blob1, &size1) == 0, "save");
  wasi_free(st);

  /* A small second snapshot: in.txt open at offset 5. */
  st = wasi_new();
  wasi_preopen(st, dir1, "/data");
  rd(st, (uint32_t)open_at(st, 3, "in.txt", 0, R_FILE, 0), 5);
  check(wasi_save(st, &blob2, &size2) == 0, "save 2");
  wasi_free(st);
}

static void restore_and_continue(void) {
  char why[256];
  int rc;
  uint16_t flags = 0;
  uint64_t base = 0;
  wasi_state *st = load(blob1, size1, NULL, 0, &rc, why, sizeof why);
  check(st != NULL, "load");
  if (!st) {
    printf("    %s\n", why);
    return;
  }
  /* Saving what was just loaded gives the same bytes. */
  uint8_t *again;
  size_t again_size;
  check(wasi_save(st, &again, &again_size) == 0 && again_size == size1 &&
            !memcmp(again, blob1, size1),
        "save after load reproduces the snapshot");
  free(again);
  check(CALL(st, "args_sizes_get", OUT_AT, OUT_AT + 4) == 0 &&
            wasi_get32(mem + OUT_AT) == 2 &&
            wasi_get32(mem + OUT_AT + 4) == 9,
        "args restored");
  check(CALL(st, "environ_get", OUT_AT, BUF_AT) == 0 &&
            !strcmp((char *)mem + BUF_AT, "A=1"),
        "env restored");
  check(!strcmp(rd(st, 0, 3), "234"), "fd 0 (a file) continues");
  check(!strcmp(rd(st, (uint32_t)fd_in, 3), "567"), "in.txt continues");
  check(tell(st, (uint32_t)fd_in) == 8, "in.txt offset");
  check(fdstat(st, (uint32_t)fd_in, NULL, &base) == PLAT_FT_FILE &&
            base == (WASI_R_FD_READ | WASI_R_FD_TELL),
        "dropped rights stay dropped");
  check(wr(st, (uint32_t)fd_out, " world") == 0 &&
            !strcmp(get_file(path_in(dir1, "out.txt")), "hello world"),
        "out.txt continues (not truncated again)");
  check(wr(st, (uint32_t)fd_deep, "Q") == 0 &&
            !strcmp(get_file(path_in(dir1, "sub/deep.txt")), "xQz"),
        "sub/deep.txt continues at its sought offset");
  plat_stat s;
  uint8_t t2 = plat_fstat(2, &s) ? PLAT_FT_UNKNOWN : s.type;
  check(fdstat(st, 2, NULL, NULL) == 255 &&
            fdstat(st, (uint32_t)fd_err, NULL, NULL) == t2,
        "renumbered stderr maps to this process's stderr");
  long again_fd = open_at(st, (uint32_t)fd_sub, "deep.txt", 0, R_FILE, 0);
  check(again_fd >= 0 && !strcmp(rd(st, (uint32_t)again_fd, 9), "xQz"),
        "the restored directory descriptor opens paths");
  check(fdstat(st, (uint32_t)fd_app, &flags, NULL) == PLAT_FT_FILE &&
            flags == WASI_FDFLAG_APPEND && wr(st, (uint32_t)fd_app, "B") == 0 &&
            !strcmp(get_file(path_in(dir1, "app.txt")), "AB"),
        "append mode kept");
  check(!strcmp(rd(st, (uint32_t)fd_two_file, 3), "EFG"),
        "a file whose preopen was closed continues");
  int preopens = 0;
  for (size_t i = 0; i < st->nfds; i++)
    preopens += st->fds[i].used && st->fds[i].preopen != NULL;
  check(preopens == 1, "the closed preopen stays closed");
  check(CALL(st, "fd_prestat_dir_name", 3, BUF_AT, 5) == 0 &&
            !memcmp(mem + BUF_AT, "/data", 5),
        "preopen name");
  check(open_at(st, 3, "../x", 0, R_FILE, 0) == -PLAT_ENOTCAPABLE,
        "sandbox holds after restore");
  wasi_free(st);
}

/* stdin redirected from a directory is no sandbox: path calls on it are
** refused (it has no preopen to be relative to). */
static void stdio_directory(void) {
  wasi_state *st = wasi_new();
  st->fds[0].type = PLAT_FT_DIR;
  st->fds[0].rights_base = WASI_RIGHTS_DIR;
  check(open_at(st, 0, "x", 0, R_FILE, 0) == -PLAT_ENOTCAPABLE,
        "a stdio directory is not a sandbox");
  wasi_free(st);
}

/* ---------------------------------------------------------------- remaps */

static void remaps(void) {
  char why[256];
  int rc;
  wasi_remap_entry e[2] = {{"/data", dir2}, {"/nope", dir1}};
  wasi_remap m = {e, 1, 0};
  wasi_state *st = load(blob2, size2, &m, 0, &rc, why, sizeof why);
  check(st && !strcmp(rd(st, 4, 3), "FGH"), "remapped preopen");
  if (st) {
    check(!strcmp(st->roots[0].host, dir2), "remapped host kept in state");
    wasi_free(st);
  }
  m.entries = e + 1;
  st = load(blob2, size2, &m, 0, &rc, why, sizeof why);
  check(!st && rc == PLAT_EINVAL && strstr(why, "/nope"),
        "remap of an unknown preopen refused");
  m.n = 0;
  m.strict = 1;
  st = load(blob2, size2, &m, 0, &rc, why, sizeof why);
  check(!st && rc == PLAT_EINVAL && strstr(why, "/data"),
        "strict remap refuses an unmapped preopen");
  m.entries = e;
  m.n = 1;
  st = load(blob2, size2, &m, 0, &rc, why, sizeof why);
  check(st != NULL, "strict remap with every preopen mapped");
  wasi_free(st);
  m.n = 2;
  st = load(blob2, size2, &m, 0, &rc, why, sizeof why);
  check(st != NULL, "strict remap: a grant for no preopen of the snapshot ignored");
  wasi_free(st);
  wasi_state *used = wasi_new();
  wasi_add_arg(used, "x");
  check(wasi_load(used, blob2, size2, NULL, 0, why, sizeof why) ==
                PLAT_EINVAL && used->argc == 1,
        "a state that is not new is refused and left alone");
  wasi_free(used);
}

/* ------------------------------------------------- the files have changed */

static void changed_files(void) {
  char why[256], moved[300], in[256];
  int rc;
  snprintf(in, sizeof in, "%s", path_in(dir1, "in.txt"));
  put_file(in, "01");
  wasi_state *st = load(blob2, size2, NULL, 0, &rc, why, sizeof why);
  check(!st && rc == PLAT_ESTALE && strstr(why, "in.txt") &&
            strstr(why, "offset 5"),
        "a file shorter than its offset is refused");
  if (st || rc != PLAT_ESTALE) printf("    rc %d: %s\n", rc, why);
  st = load(blob2, size2, NULL, 1, &rc, why, sizeof why);
  check(st && tell(st, 4) == 5 && !strcmp(rd(st, 4, 3), ""),
        "... and accepted with force, at the saved offset");
  wasi_free(st);
  put_file(in, "0123456789abcdefghij");

  snprintf(moved, sizeof moved, "%s.bak", in);
  rename(in, moved);
  st = load(blob2, size2, NULL, 0, &rc, why, sizeof why);
  check(!st && rc == PLAT_ENOENT && strstr(why, "in.txt"),
        "a missing file is refused, by name");
  make_dir(in);
  st = load(blob2, size2, NULL, 1, &rc, why, sizeof why);
  check(!st && rc && strstr(why, "in.txt") && strstr(why, "directory"),
        "a file that became a directory is refused");
  remove(in);
  rename(moved, in);
}

/* ------------------------------------------------- hand-made snapshots */

typedef struct blob {
  uint8_t b[1024];
  size_t n;
} blob;

static void b_u8(blob *w, uint8_t v) { w->b[w->n++] = v; }
static void b_u32(blob *w, uint32_t v) {
  for (int i = 0; i < 4; i++) b_u8(w, (uint8_t)(v >> (8 * i)));
}
static void b_u64(blob *w, uint64_t v) {
  b_u32(w, (uint32_t)v);
  b_u32(w, (uint32_t)(v >> 32));
}
static void b_str(blob *w, const char *s) {
  b_u32(w, (uint32_t)strlen(s));
  while (*s) b_u8(w, (uint8_t)*s++);
}
static void b_fd(blob *w, uint32_t fd, uint8_t kind, uint8_t type,
                 uint32_t oflags, uint64_t rights, const char *path) {
  b_u32(w, fd);
  b_u8(w, kind);
  b_u8(w, type);
  b_u8(w, 0);
  b_u8(w, 0);  /* fdflags */
  b_u32(w, oflags);
  b_u64(w, rights);
  b_u64(w, 0);
  b_u32(w, 0);  /* preopen 0 */
  b_str(w, path);
  b_u64(w, 0);
  b_u64(w, 0);
}

/* A snapshot as the format document describes it: no args or env, one
** preopen /p = dir1/sub at fd 3 and descriptor 4 = (kind, type, path). */
static void handmade(blob *w, uint8_t kind, uint8_t type, uint32_t oflags,
                     uint64_t rights, const char *path) {
  w->n = 0;
  b_u32(w, 1);  /* version */
  b_u32(w, 0);
  b_u32(w, 0);
  b_u32(w, 1);
  b_str(w, "/p");
  b_str(w, path_in(dir1, "sub"));
  b_u32(w, 2);
  b_fd(w, 3, 1, PLAT_FT_DIR, 1, WASI_RIGHTS_DIR, ".");
  b_fd(w, 4, kind, type, oflags, rights, path);
}

static void escapes(void) {
  char why[256], abs_in[256], abs_dir[256];
  int rc;
  blob w;
  snprintf(abs_in, sizeof abs_in, "%s", path_in(dir1, "in.txt"));
  snprintf(abs_dir, sizeof abs_dir, "%s", dir1);
  put_file(path_in(dir1, "sub/ok.txt"), "content");
  make_link(path_in(dir1, "sub"), "up", "..");
  make_link(path_in(dir1, "sub"), "abs", abs_dir);

  handmade(&w, 3, PLAT_FT_FILE, 1, WASI_R_FD_READ, "ok.txt");
  wasi_state *st = load(w.b, w.n, NULL, 0, &rc, why, sizeof why);
  check(st && !strcmp(rd(st, 4, 7), "content"),
        "a hand-made snapshot per the format loads");
  if (!st) printf("    %s\n", why);
  wasi_free(st);

  const char *bad[] = {"../in.txt", "./../in.txt", "up/in.txt", "abs/in.txt",
                       abs_in, "up", ".."};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    int is_dir = !strcmp(bad[i], "up") || !strcmp(bad[i], "..");
    handmade(&w, is_dir ? 2 : 3, is_dir ? PLAT_FT_DIR : PLAT_FT_FILE, 1,
             WASI_R_FD_READ, bad[i]);
    st = load(w.b, w.n, NULL, 0, &rc, why, sizeof why);
    char what[300];
    snprintf(what, sizeof what, "path '%s' cannot leave its preopen",
             bad[i]);
    check(!st && rc == PLAT_ENOTCAPABLE, what);
    wasi_free(st);
  }

  /* Create, exclusive and truncate never act again. */
  handmade(&w, 3, PLAT_FT_FILE, 1 | 2 | 4 | 8 | 16, R_FILE, "ok.txt");
  st = load(w.b, w.n, NULL, 0, &rc, why, sizeof why);
  check(st && !strcmp(get_file(path_in(dir1, "sub/ok.txt")), "content"),
        "create/excl/trunc flags are stripped");
  wasi_free(st);
  handmade(&w, 3, PLAT_FT_FILE, 1 | 2 | 4, R_FILE, "new.txt");
  st = load(w.b, w.n, NULL, 0, &rc, why, sizeof why);
  check(!st && rc == PLAT_ENOENT &&
            !strcmp(get_file(path_in(dir1, "sub/new.txt")), "(missing)"),
        "a missing file is not created");
  wasi_free(st);

  /* Field checks. */
  struct {
    uint8_t kind, type;
    uint32_t oflags;
    uint64_t rights;
    const char *path, *what;
  } malformed[] = {
    {9, PLAT_FT_FILE, 1, 0, "ok.txt", "unknown kind"},
    {3, 8, 1, 0, "ok.txt", "unknown type"},
    {3, PLAT_FT_FILE, 64, 0, "ok.txt", "unknown open flag"},
    {3, PLAT_FT_FILE, 0, 0, "ok.txt", "no access mode"},
    {3, PLAT_FT_FILE, 1, WASI_RIGHT(40), "ok.txt", "unknown right"},
    {3, PLAT_FT_DIR, 1, 0, "ok.txt", "file kind with directory type"},
    {1, PLAT_FT_DIR, 1, 0, "sub", "preopen with a path"},
    {3, PLAT_FT_FILE, 1, 0, "", "empty path"},
    {0, PLAT_FT_CHAR, 1, 0, "x", "stdio with a path"},
  };
  for (size_t i = 0; i < sizeof malformed / sizeof malformed[0]; i++) {
    handmade(&w, malformed[i].kind, malformed[i].type, malformed[i].oflags,
             malformed[i].rights, malformed[i].path);
    st = load(w.b, w.n, NULL, 0, &rc, why, sizeof why);
    check(!st && rc == PLAT_EBADMSG, malformed[i].what);
    wasi_free(st);
  }
  handmade(&w, 3, PLAT_FT_FILE, 1, 0, "ok.txt");
  w.b[w.n - 58] = 3;  /* descriptor 4 (58 bytes) becomes a second 3 */
  st = load(w.b, w.n, NULL, 0, &rc, why, sizeof why);
  check(!st && rc == PLAT_EBADMSG && strstr(why, "twice"),
        "a descriptor listed twice");
  wasi_free(st);
}

/* ----------------------------------------------------- corrupted bytes */

static uint64_t rng = 0x9E3779B97F4A7C15ull;
static uint64_t next(void) {
  rng ^= rng << 13;
  rng ^= rng >> 7;
  rng ^= rng << 17;
  return rng;
}

static void corrupted(void) {
  char why[256];
  int rc, all = 1;
  for (size_t n = 0; n < size1; n++) {
    why[0] = 0;
    wasi_state *st = load(blob1, n, NULL, 0, &rc, why, sizeof why);
    if (st || rc != PLAT_EBADMSG || !why[0]) all = 0;
    wasi_free(st);
  }
  check(all, "every truncation is refused as malformed");
  uint8_t *longer = malloc(size1 + 1);
  memcpy(longer, blob1, size1);
  longer[size1] = 0;
  wasi_state *st = load(longer, size1 + 1, NULL, 0, &rc, why, sizeof why);
  check(!st && rc == PLAT_EBADMSG, "a trailing byte is refused");
  wasi_free(st);

  /* Mutations may ask to set stdio flags: put this process's back. */
  int fl[3] = {0, 0, 0};
  for (int i = 0; i < 3; i++) plat_get_flags(i, &fl[i]);
  FILE *sink = tmpfile();
  int refused = 0, loaded = 0, reasons = 1, described = 1;
  uint8_t *m = malloc(size1);
  for (int iter = 0; iter < 3000; iter++) {
    memcpy(m, blob1, size1);
    int flips = 1 + (int)(next() % 4);
    for (int k = 0; k < flips; k++) {
      size_t at = (size_t)(next() % size1);
      m[at] = (iter & 1) ? (uint8_t)next() : (uint8_t)(m[at] ^ (1u << (next() % 8)));
    }
    why[0] = 0;
    st = load(m, size1, NULL, 1, &rc, why, sizeof why);
    if (st) loaded++;
    else refused++;
    if (!st && (!why[0] || strchr(why, '\n'))) reasons = 0;
    wasi_free(st);
    for (int i = 0; i < 3; i++) plat_set_flags(i, fl[i]);
    if (sink && (wasi_describe(m, size1, sink, iter & 1) == 0) !=
                    (rc != PLAT_EBADMSG))
      described = 0;
  }
  free(m);
  free(longer);
  if (sink) fclose(sink);
  printf("    mutations: %d refused, %d restored\n", refused, loaded);
  check(refused > 0, "3000 mutated snapshots: no crash");
  check(reasons, "every refusal gives a one-line reason");
  check(described, "describe accepts exactly what load parses");
}

/* ------------------------------------------------------------- describe */

static void describe(void) {
  char text[4096];
  for (int json = 0; json < 2; json++) {
    FILE *f = tmpfile();
    if (!f) {
      check(0, "tmpfile");
      return;
    }
    int rc = wasi_describe(blob1, size1, f, json);
    rewind(f);
    size_t n = fread(text, 1, sizeof text - 1, f);
    text[n] = 0;
    fclose(f);
    if (json)
      check(rc == 0 && text[0] == '{' && text[n - 1] == '}' &&
                strstr(text, "\"path\":\"sub/deep.txt\"") &&
                strstr(text, "\"offset\":5,\"size\":20") &&
                strstr(text, "\"args\":[\"prog\",\"x y\"]"),
            "describe --json");
    else
      check(rc == 0 && strstr(text, "preopen \"/data\" = ") &&
                strstr(text, "fd 0: regular_file \"/data\" \"in.txt\" rw") &&
                strstr(text, "offset 2 of 20 bytes"),
            "describe as text");
    if (failed) printf("%s\n", text);
  }
}

int main(void) {
  setup();
  build_and_save();
  if (blob1 && blob2) {
    restore_and_continue();
    stdio_directory();
    remaps();
    changed_files();
    escapes();
    corrupted();
    describe();
  }
  free(blob1);
  free(blob2);
  clean_dir(dir1);
  clean_dir(dir2);
  remove(dir1);
  remove(dir2);
  printf("%d passed, %d failed\n", passed, failed);
  return failed != 0;
}

/*
** wasi_path.c -- the path_* functions of WASI preview 1.  Every path goes
** through wasi_resolve (the sandbox) and then one plat_*at call on the
** single component it yields, which never follows a symlink itself.
*/
#include <stdlib.h>
#include <string.h>

#include "wasi/wasi_resolve.h"

#define ARG(x) WASI_U32(a[x])

/* Resolve the guest path (ptr, len) against directory descriptor fd, which
** must have the rights in `need`. */
static int wasi_at(wasi_state *st, const wasi_mem *m, uint32_t fd,
                   uint64_t need, uint32_t ptr, uint32_t len, int follow,
                   wasi_fd **dir, wasi_path *p) {
  wasi_fd *e;
  char *path;
  int rc = wasi_fd_get(st, fd, need, &e);
  if (rc) return rc;
  if (e->type != PLAT_FT_DIR) return PLAT_ENOTDIR;
  /* Only preopens and what was opened under them are sandboxes: stdin
  ** redirected from a directory is not one. */
  if (!e->rel) return PLAT_ENOTCAPABLE;
  if ((rc = wasi_string(m, ptr, len, &path))) return rc;
  rc = wasi_resolve(e, path, follow, p);
  free(path);
  if (dir) *dir = e;
  return rc;
}

/* "name/" names a directory: anything else there is ENOTDIR. */
static int wasi_slash_check(const wasi_path *p) {
  plat_stat s;
  if (p->trailing_slash && !plat_statat(p->dir, p->name, &s) &&
      s.type != PLAT_FT_DIR)
    return PLAT_ENOTDIR;
  return 0;
}

/* Calls that take (fd, path) and do one thing to the final component. */
static uint32_t wasi_path_simple(wasi_state *st, const wasi_mem *m,
                                 const uint64_t *a, uint64_t need,
                                 int (*op)(const wasi_path *p)) {
  wasi_path p;
  int rc = wasi_at(st, m, ARG(0), need, ARG(1), ARG(2), 0, NULL, &p);
  if (rc) return (uint32_t)rc;
  rc = op(&p);
  wasi_path_done(&p);
  return (uint32_t)rc;
}

static int wasi_op_mkdir(const wasi_path *p) {
  return plat_mkdirat(p->dir, p->name);
}

static int wasi_op_rmdir(const wasi_path *p) {
  return plat_unlinkat(p->dir, p->name, 1);
}

static int wasi_op_unlink(const wasi_path *p) {
  int rc = wasi_slash_check(p);
  return rc ? rc : plat_unlinkat(p->dir, p->name, 0);
}

static uint32_t wasi_path_create_directory(wasi_state *st, const wasi_mem *m,
                                           const uint64_t *a) {
  return wasi_path_simple(st, m, a, WASI_R_PATH_CREATE_DIRECTORY,
                          wasi_op_mkdir);
}

static uint32_t wasi_path_remove_directory(wasi_state *st, const wasi_mem *m,
                                           const uint64_t *a) {
  return wasi_path_simple(st, m, a, WASI_R_PATH_REMOVE_DIRECTORY,
                          wasi_op_rmdir);
}

static uint32_t wasi_path_unlink_file(wasi_state *st, const wasi_mem *m,
                                      const uint64_t *a) {
  return wasi_path_simple(st, m, a, WASI_R_PATH_UNLINK_FILE, wasi_op_unlink);
}

static uint32_t wasi_path_filestat_get(wasi_state *st, const wasi_mem *m,
                                       const uint64_t *a) {
  uint8_t *out = wasi_ptr(m, ARG(4), 64);
  if (!out) return PLAT_EFAULT;
  wasi_path p;
  int rc = wasi_at(st, m, ARG(0), WASI_R_PATH_FILESTAT_GET, ARG(2), ARG(3),
                   ARG(1) & WASI_LOOKUP_SYMLINK_FOLLOW, NULL, &p);
  if (rc) return (uint32_t)rc;
  plat_stat s;
  if (!(rc = wasi_slash_check(&p)) && !(rc = plat_statat(p.dir, p.name, &s)))
    wasi_put_filestat(out, &s);
  wasi_path_done(&p);
  return (uint32_t)rc;
}

static uint32_t wasi_path_filestat_set_times(wasi_state *st,
                                             const wasi_mem *m,
                                             const uint64_t *a) {
  int64_t at, mt;
  int rc = wasi_times(a[4], a[5], ARG(6), &at, &mt);
  if (rc) return (uint32_t)rc;
  wasi_path p;
  rc = wasi_at(st, m, ARG(0), WASI_R_PATH_FILESTAT_SET_TIMES, ARG(2), ARG(3),
               ARG(1) & WASI_LOOKUP_SYMLINK_FOLLOW, NULL, &p);
  if (rc) return (uint32_t)rc;
  if (!(rc = wasi_slash_check(&p)))
    rc = plat_set_times(p.dir, p.name, at, mt);
  wasi_path_done(&p);
  return (uint32_t)rc;
}

static uint32_t wasi_path_readlink(wasi_state *st, const wasi_mem *m,
                                   const uint64_t *a) {
  uint8_t *buf = wasi_ptr(m, ARG(3), ARG(4));
  if (!buf || !wasi_ptr(m, ARG(5), 4)) return PLAT_EFAULT;
  wasi_path p;
  int rc = wasi_at(st, m, ARG(0), WASI_R_PATH_READLINK, ARG(1), ARG(2), 0,
                   NULL, &p);
  if (rc) return (uint32_t)rc;
  char *text;
  size_t len;
  rc = plat_readlinkat(p.dir, p.name, &text, &len);
  wasi_path_done(&p);
  if (rc) return (uint32_t)rc;
  if (len > ARG(4)) len = ARG(4);  /* truncated, as readlink(2) does */
  memcpy(buf, text, len);
  free(text);
  return (uint32_t)wasi_put32(m, ARG(5), (uint32_t)len);
}

/* rename and link: one source path, one destination path. */
static uint32_t wasi_path_two(wasi_state *st, const wasi_mem *m,
                              uint32_t fd1, uint64_t need1, uint32_t follow,
                              uint32_t ptr1, uint32_t len1, uint32_t fd2,
                              uint64_t need2, uint32_t ptr2, uint32_t len2,
                              int (*op)(plat_fd, const char *, plat_fd,
                                        const char *)) {
  wasi_path from, to;
  int rc = wasi_at(st, m, fd1, need1, ptr1, len1, (int)follow, NULL, &from);
  if (rc) return (uint32_t)rc;
  rc = wasi_at(st, m, fd2, need2, ptr2, len2, 0, NULL, &to);
  if (rc == 0) {
    if (!(rc = wasi_slash_check(&from)) && !(rc = wasi_slash_check(&to)))
      rc = op(from.dir, from.name, to.dir, to.name);
    wasi_path_done(&to);
  }
  wasi_path_done(&from);
  return (uint32_t)rc;
}

static uint32_t wasi_path_rename(wasi_state *st, const wasi_mem *m,
                                 const uint64_t *a) {
  return wasi_path_two(st, m, ARG(0), WASI_R_PATH_RENAME_SOURCE, 0, ARG(1),
                       ARG(2), ARG(3), WASI_R_PATH_RENAME_TARGET, ARG(4),
                       ARG(5), plat_renameat);
}

/* With SYMLINK_FOLLOW the walk has already replaced a final symlink by its
** target, so the host link call itself never follows one. */
static uint32_t wasi_path_link(wasi_state *st, const wasi_mem *m,
                               const uint64_t *a) {
  return wasi_path_two(st, m, ARG(0), WASI_R_PATH_LINK_SOURCE,
                       ARG(1) & WASI_LOOKUP_SYMLINK_FOLLOW, ARG(2), ARG(3),
                       ARG(4), WASI_R_PATH_LINK_TARGET, ARG(5), ARG(6),
                       plat_linkat);
}

/* The text of a new symlink must not lead out of the sandbox either: it
** would not be followed there anyway, but refusing it (as node does) keeps
** the guest from planting links for host programs to trip over. */
static uint32_t wasi_path_symlink(wasi_state *st, const wasi_mem *m,
                                  const uint64_t *a) {
  char *target;
  int rc = wasi_string(m, ARG(0), ARG(1), &target);
  if (rc) return (uint32_t)rc;
  wasi_path p;
  rc = wasi_at(st, m, ARG(2), WASI_R_PATH_SYMLINK, ARG(3), ARG(4), 0, NULL,
               &p);
  if (rc == 0) {
    if (!(rc = wasi_check_link_target(target, p.depth)))
      rc = plat_symlinkat(target, p.dir, p.name);
    wasi_path_done(&p);
  }
  free(target);
  return (uint32_t)rc;
}

/* ------------------------------------------------------------- path_open */

/* Rights that need the host file open for reading / writing. */
#define WASI_READ_RIGHTS (WASI_R_FD_READ | WASI_R_FD_READDIR)
#define WASI_WRITE_RIGHTS                                                    \
  (WASI_R_FD_WRITE | WASI_R_FD_DATASYNC | WASI_R_FD_ALLOCATE |               \
   WASI_R_FD_FILESTAT_SET_SIZE)

static const struct {
  uint32_t wasi;
  int plat;
} wasi_fdflag_map[] = {
  {WASI_FDFLAG_APPEND, PLAT_O_APPEND}, {WASI_FDFLAG_DSYNC, PLAT_O_DSYNC},
  {WASI_FDFLAG_NONBLOCK, PLAT_O_NONBLOCK}, {WASI_FDFLAG_RSYNC, PLAT_O_RSYNC},
  {WASI_FDFLAG_SYNC, PLAT_O_SYNC},
};

int wasi_fdflags_to_plat(uint32_t fdflags) {
  int flags = 0;
  for (size_t i = 0; i < WASI_COUNT(wasi_fdflag_map); i++)
    if (fdflags & wasi_fdflag_map[i].wasi) flags |= wasi_fdflag_map[i].plat;
  return flags;
}

/* A descriptor's path below its preopen: its directory's, then rel. */
static char *wasi_rel_join(const char *dir, const char *rel) {
  if (!strcmp(dir, ".")) return str_dup(rel);
  if (!strcmp(rel, ".")) return str_dup(dir);
  return wasi_join(dir, rel);
}


/* path_open(fd, dirflags, path, path_len, oflags, rights_base,
**           rights_inheriting, fdflags, fd_out) */
static uint32_t wasi_path_open(wasi_state *st, const wasi_mem *m,
                               const uint64_t *a) {
  uint32_t oflags = ARG(4), fdflags = ARG(7);
  uint64_t base = a[5], inheriting = a[6];
  uint64_t need = WASI_R_PATH_OPEN |
                  (oflags & WASI_O_CREAT ? WASI_R_PATH_CREATE_FILE : 0) |
                  (oflags & WASI_O_TRUNC ? WASI_R_PATH_FILESTAT_SET_SIZE : 0);
  if (oflags & ~15u || fdflags & ~31u) return PLAT_EINVAL;
  if (!wasi_ptr(m, ARG(8), 4)) return PLAT_EFAULT;
  wasi_fd *dir;
  wasi_path p;
  int rc = wasi_at(st, m, ARG(0), need, ARG(2), ARG(3),
                   ARG(1) & WASI_LOOKUP_SYMLINK_FOLLOW, &dir, &p);
  if (rc) return (uint32_t)rc;
  /* A descriptor passes on at most its inheritable rights. */
  if ((base | inheriting) & ~dir->rights_inheriting) {
    wasi_path_done(&p);
    return PLAT_ENOTCAPABLE;
  }
  int directory = (oflags & WASI_O_DIRECTORY) || p.trailing_slash;
  int flags = (directory || !(base & WASI_WRITE_RIGHTS)) ? PLAT_O_READ
              : (base & WASI_READ_RIGHTS) ? PLAT_O_READ | PLAT_O_WRITE
                                          : PLAT_O_WRITE;
  int access = flags;
  if (oflags & WASI_O_CREAT) flags |= PLAT_O_CREATE;
  if (oflags & WASI_O_EXCL) flags |= PLAT_O_EXCL;
  if (oflags & WASI_O_TRUNC) flags |= PLAT_O_TRUNC;
  if (directory) flags |= PLAT_O_DIRECTORY;
  flags |= wasi_fdflags_to_plat(fdflags);
  plat_fd h;
  plat_stat s;
  rc = plat_openat(p.dir, p.name, flags, &h);
  if (rc == 0 && (rc = plat_fstat(h, &s))) plat_close(h);
  if (rc) {
    wasi_path_done(&p);
    return (uint32_t)rc;
  }
  wasi_fd e;
  memset(&e, 0, sizeof e);
  e.type = s.type;
  e.fdflags = (uint16_t)fdflags;
  e.oflags = access;
  e.rights_base = base & (s.type == PLAT_FT_DIR ? WASI_RIGHTS_DIR
                                                : WASI_RIGHTS_FILE);
  e.rights_inheriting = inheriting;
  e.host = h;
  e.host_path = wasi_join(dir->host_path, p.rel);
  e.root = dir->root;
  e.rel = wasi_rel_join(dir->rel, p.rel);
  wasi_path_done(&p);
  uint32_t fd = 0;
  rc = e.host_path && e.rel ? wasi_fd_insert(st, &e, &fd) : PLAT_ENOMEM;
  if (rc) {
    plat_close(h);
    free(e.host_path);
    free(e.rel);
    return (uint32_t)rc;
  }
  return (uint32_t)wasi_put32(m, ARG(8), fd);
}

const wasi_entry wasi_path_entries[] = {
  {"path_create_directory", "iii", wasi_path_create_directory},
  {"path_filestat_get", "iiiii", wasi_path_filestat_get},
  {"path_filestat_set_times", "iiiiIIi", wasi_path_filestat_set_times},
  {"path_link", "iiiiiii", wasi_path_link},
  {"path_open", "iiiiiIIii", wasi_path_open},
  {"path_readlink", "iiiiii", wasi_path_readlink},
  {"path_remove_directory", "iii", wasi_path_remove_directory},
  {"path_rename", "iiiiii", wasi_path_rename},
  {"path_symlink", "iiiii", wasi_path_symlink},
  {"path_unlink_file", "iii", wasi_path_unlink_file},
};
const size_t wasi_path_nentries = WASI_COUNT(wasi_path_entries);

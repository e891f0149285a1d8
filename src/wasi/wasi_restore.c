/*
** wasi_restore.c -- wasi_load: rebuild a WASI state from wasi_save's bytes.
**
** The bytes are untrusted.  They are parsed and checked completely first
** (wasi_snapshot.c); then every descriptor is reopened under its preopen's
** host directory (remapped or not) by wasi_resolve, the same sandbox walk
** path_open uses, so no path in a snapshot can lead out of its preopen.
** Files are reopened with their access mode and fdflags only: never
** created, truncated or required to be new.  The new table is built aside
** and swapped into the state at the end, so a failure leaves it as it was.
*/
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wasi/wasi_resolve.h"
#include "wasi/wasi_snap.h"

typedef struct wasi_loader {
  wasi_snap s;
  plat_fd *rootfd;  /* each preopen's directory, opened when first needed */
  plat_fd stdio[3]; /* the restorer's stdin, stdout, stderr */
  wasi_fd *fds;     /* the new table */
  size_t nfds;
  int force, rc;
  char *why;
  size_t whylen;
} wasi_loader;

/* Record the first failure: code and one line of text. */
static int wasi_fail(wasi_loader *L, int rc, const char *fmt, ...) {
  if (L->rc) return L->rc;
  L->rc = rc;
  if (L->why && L->whylen) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(L->why, L->whylen, fmt, ap);
    va_end(ap);
    /* Names come from the snapshot: keep the reason on one line. */
    for (char *p = L->why; *p; p++)
      if ((unsigned char)*p < 0x20 || *p == 0x7f) *p = '?';
  }
  return rc;
}

static const char *wasi_type_name(uint8_t type) {
  static const char *const names[] = {
    "unknown file", "block device", "character device", "directory",
    "regular file", "datagram socket", "stream socket", "symlink",
  };
  return type < 8 ? names[type] : "?";
}

/* A state as wasi_new makes it: no args, env or preopens, only stdio. */
static int wasi_fresh(const wasi_state *st) {
  if (st->argc || st->envc || st->nroots) return 0;
  for (size_t i = 0; i < st->nfds; i++)
    if (st->fds[i].used && (st->fds[i].rel || st->fds[i].host_path))
      return 0;
  return 1;
}

/* Point the preopens named in remap at their new host directories. */
static int wasi_apply_remap(wasi_loader *L, const wasi_remap *m) {
  for (size_t k = 0; m && k < m->n; k++) {
    const wasi_remap_entry *r = &m->entries[k];
    int found = 0;
    if (!r->guest || !r->host || !r->host[0])
      return wasi_fail(L, PLAT_EINVAL, "remap %zu: empty name", k);
    for (size_t i = 0; i < L->s.nroots; i++) {
      if (strcmp(L->s.roots[i].guest, r->guest)) continue;
      char *host = str_dup(r->host);
      if (!host) return wasi_fail(L, PLAT_ENOMEM, "out of memory");
      free(L->s.roots[i].host);
      L->s.roots[i].host = host;
      found = 1;
    }
    /* Under strict the entries are grants, not moves: one the snapshot
    ** needs no longer (the guest closed that preopen) is no error. */
    if (!found && !m->strict)
      return wasi_fail(L, PLAT_EINVAL, "the snapshot has no preopen '%s'",
                       r->guest);
  }
  for (size_t i = 0; m && m->strict && i < L->s.nroots; i++) {
    size_t k = 0;
    while (k < m->n && strcmp(m->entries[k].guest, L->s.roots[i].guest)) k++;
    if (k == m->n)
      return wasi_fail(L, PLAT_EINVAL,
                       "preopen '%s' (host %s in the snapshot) is not granted",
                       L->s.roots[i].guest, L->s.roots[i].host);
  }
  return 0;
}

/* stdin, stdout or stderr of this process, as the snapshot's descriptor. */
static int wasi_reopen_stdio(wasi_loader *L, const wasi_snap_fd *f,
                             wasi_fd *e) {
  plat_stat s;
  e->host = L->stdio[f->ref];
  e->stream = (uint8_t)f->ref;
  e->type = plat_fstat(e->host, &s) ? PLAT_FT_UNKNOWN : s.type;
  e->rights_base &= wasi_rights_for(e->type);
  /* Synchronisation flags cannot be changed on an open handle. */
  e->fdflags &= WASI_FDFLAG_APPEND | WASI_FDFLAG_NONBLOCK;
  int rc = e->fdflags ? plat_set_flags(e->host, wasi_fdflags_to_plat(
                                                    e->fdflags))
                      : 0;
  if (rc)
    return wasi_fail(L, rc, "fd %u: cannot set the flags of stdio %u (%s)",
                     (unsigned)f->fd, (unsigned)f->ref, wasi_errno_name(rc));
  return 0;
}

/* The handle of preopen `ref`'s directory, opened once. */
static int wasi_root_dir(wasi_loader *L, uint32_t ref, plat_fd *out) {
  const wasi_root *r = &L->s.roots[ref];
  if (L->rootfd[ref] == PLAT_NO_FD) {
    int rc = plat_open_dir(r->host, &L->rootfd[ref]);
    if (rc) {
      L->rootfd[ref] = PLAT_NO_FD;
      return wasi_fail(L, rc, "preopen %s: cannot open directory %s (%s)",
                       r->guest, r->host, wasi_errno_name(rc));
    }
  }
  *out = L->rootfd[ref];
  return 0;
}

/* Open a directory or file descriptor by (preopen, path) into e->host. */
static int wasi_reopen_path(wasi_loader *L, const wasi_snap_fd *f,
                            wasi_fd *e) {
  const wasi_root *r = &L->s.roots[f->ref];
  plat_fd dir = PLAT_NO_FD;
  int rc;
  if (f->kind == WASI_SNAP_PREOPEN) {
    rc = plat_open_dir(r->host, &e->host);
    e->rel = str_dup(".");
    e->host_path = str_dup(r->host);
    e->preopen = str_dup(r->guest);
    if (!rc && (!e->rel || !e->host_path || !e->preopen)) rc = PLAT_ENOMEM;
    if (rc && !e->host_path && e->host != PLAT_NO_FD) {
      plat_close(e->host);
      e->host = PLAT_NO_FD;
    }
    if (rc)
      return wasi_fail(L, rc, "preopen %s: cannot open directory %s (%s)",
                       r->guest, r->host, wasi_errno_name(rc));
    return 0;
  }
  if ((rc = wasi_root_dir(L, f->ref, &dir))) return rc;
  wasi_fd start;
  memset(&start, 0, sizeof start);
  start.host = dir;
  wasi_path p;
  rc = wasi_resolve(&start, f->path, 1, &p);
  if (!rc) {
    int flags = f->kind == WASI_SNAP_DIR ? PLAT_O_READ | PLAT_O_DIRECTORY
                                         : e->oflags;
    rc = plat_openat(p.dir, p.name, flags | wasi_fdflags_to_plat(e->fdflags),
                     &e->host);
    if (!rc) {
      e->rel = str_dup(p.rel);
      e->host_path = wasi_join(r->host, p.rel);
      if (!e->rel || !e->host_path) rc = PLAT_ENOMEM;
    }
    wasi_path_done(&p);
  }
  if (rc && !e->host_path && e->host != PLAT_NO_FD) {
    plat_close(e->host);  /* release() closes only with a path */
    e->host = PLAT_NO_FD;
  }
  if (rc)
    return wasi_fail(L, rc, "cannot reopen %s/%s in directory %s (%s)",
                     r->guest, f->path, r->host, wasi_errno_name(rc));
  return 0;
}

/* Check what was reopened against the snapshot; put a file at its offset. */
static int wasi_check_reopened(wasi_loader *L, const wasi_snap_fd *f,
                               wasi_fd *e) {
  const wasi_root *r = &L->s.roots[f->ref];
  plat_stat s;
  uint64_t pos;
  int rc = plat_fstat(e->host, &s);
  if (!rc && s.type != f->type)
    return wasi_fail(L, PLAT_ENOTSUP, "%s/%s (%s) is a %s now, was a %s",
                     r->guest, f->path, e->host_path, wasi_type_name(s.type),
                     wasi_type_name(f->type));
  if (!rc && f->type == PLAT_FT_FILE) {
    if (s.size < f->offset && !L->force)
      return wasi_fail(L, PLAT_ESTALE,
                       "%s/%s (%s) has %llu bytes now, fewer than its saved "
                       "offset %llu (it had %llu)",
                       r->guest, f->path, e->host_path,
                       (unsigned long long)s.size,
                       (unsigned long long)f->offset,
                       (unsigned long long)f->size);
    rc = plat_seek(e->host, (int64_t)f->offset, 0, &pos);
  }
  if (rc)
    return wasi_fail(L, rc, "%s/%s (%s): %s", r->guest, f->path,
                     e->host_path, wasi_errno_name(rc));
  return 0;
}

/* Reopen descriptor f into its slot of the new table. */
static int wasi_reopen(wasi_loader *L, const wasi_snap_fd *f) {
  wasi_fd *e = &L->fds[f->fd];
  e->used = 1;
  e->type = f->type;
  e->fdflags = f->fdflags;
  e->oflags = ((f->oflags & WASI_SNAP_O_READ) ? PLAT_O_READ : 0) |
              ((f->oflags & WASI_SNAP_O_WRITE) ? PLAT_O_WRITE : 0);
  e->rights_base = f->rights_base;
  e->rights_inheriting = f->rights_inheriting;
  if (f->kind == WASI_SNAP_STDIO) return wasi_reopen_stdio(L, f, e);
  /* No more rights than path_open would have given this type. */
  e->rights_base &= f->type == PLAT_FT_DIR ? WASI_RIGHTS_DIR
                                           : WASI_RIGHTS_FILE;
  e->root = f->ref;
  int rc = wasi_reopen_path(L, f, e);
  if (!rc) rc = wasi_check_reopened(L, f, e);
  if (!rc) e->offset = f->offset;
  return rc;
}

/* Give st the loader's table, args, env and preopens (st was fresh). */
static void wasi_install(wasi_loader *L, wasi_state *st) {
  for (size_t i = 0; i < st->nfds; i++)
    if (st->fds[i].used) wasi_fd_release(&st->fds[i]);
  free(st->fds);
  free(st->argv);
  free(st->envv);
  free(st->roots);
  st->fds = L->fds;
  st->nfds = L->nfds;
  st->capfds = L->nfds ? L->nfds : 1;
  L->fds = NULL;
  L->nfds = 0;
  st->argv = L->s.argv;
  st->argc = L->s.argc;
  st->envv = L->s.envv;
  st->envc = L->s.envc;
  st->roots = L->s.roots;
  st->nroots = L->s.nroots;
  L->s.argv = L->s.envv = NULL;
  L->s.argc = L->s.envc = L->s.nroots = 0;
  L->s.roots = NULL;
}

int wasi_load(wasi_state *st, const uint8_t *bytes, size_t size,
              const wasi_remap *remap, int force, char *why, size_t whylen) {
  wasi_loader L;
  memset(&L, 0, sizeof L);
  L.force = force;
  L.why = why;
  L.whylen = whylen;
  if (why && whylen) why[0] = 0;
  if (!wasi_fresh(st)) {
    wasi_fail(&L, PLAT_EINVAL, "the WASI state to restore into is not new");
    return L.rc;
  }
  for (int k = 0; k < 3; k++)
    L.stdio[k] = (size_t)k < st->nfds && st->fds[k].used ? st->fds[k].host : k;
  L.rc = wasi_snap_parse(bytes, size, &L.s, why, whylen);
  if (!L.rc) wasi_apply_remap(&L, remap);
  if (!L.rc) {
    for (size_t i = 0; i < L.s.nfds; i++)
      if (L.s.fds[i].fd >= L.nfds) L.nfds = (size_t)L.s.fds[i].fd + 1;
    L.fds = calloc(L.nfds ? L.nfds : 1, sizeof *L.fds);
    L.rootfd = malloc((L.s.nroots + 1) * sizeof *L.rootfd);
    if (!L.fds || !L.rootfd) wasi_fail(&L, PLAT_ENOMEM, "out of memory");
  }
  for (size_t i = 0; L.rootfd && i < L.s.nroots; i++)
    L.rootfd[i] = PLAT_NO_FD;
  for (size_t i = 0; L.fds && i < L.nfds; i++) L.fds[i].host = PLAT_NO_FD;
  for (size_t i = 0; !L.rc && i < L.s.nfds; i++) wasi_reopen(&L, &L.s.fds[i]);
  for (size_t i = 0; L.rootfd && i < L.s.nroots; i++)
    if (L.rootfd[i] != PLAT_NO_FD) plat_close(L.rootfd[i]);
  free(L.rootfd);
  if (!L.rc) wasi_install(&L, st);
  for (size_t i = 0; L.fds && i < L.nfds; i++)
    if (L.fds[i].used) wasi_fd_release(&L.fds[i]);
  free(L.fds);
  wasi_snap_free(&L.s);
  return L.rc;
}

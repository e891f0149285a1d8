/*
** wasi_snapshot.c -- the WASI state as bytes: wasi_save writes the WASI
** section of a snapshot, wasi_snap_parse reads and checks it (for
** wasi_load and wasi_describe).  Format: docs/snapshot-format.md, "WASI
** state".  Little-endian fixed-width integers, strings as u32 length +
** bytes, no pointers; a descriptor names its preopen by index into the
** section's preopen list and its path relative to that directory, so a
** restore can put the preopen elsewhere (`--dir HOST::GUEST`).
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "snapshot/bytes.h"
#include "wasi/wasi_snap.h"

/* ----------------------------------------------------------------- write */

static int bw_str(bwriter *w, const char *s) {
  size_t n = strlen(s);
  if (n > UINT32_MAX) return PLAT_E2BIG;
  bw_u32(w, (uint32_t)n);
  bw_bytes(w, s, n);
  return 0;
}

static void bw_u16(bwriter *w, uint16_t v) {
  bw_u8(w, (uint8_t)v);
  bw_u8(w, (uint8_t)(v >> 8));
}

static uint8_t wasi_kind(const wasi_fd *e) {
  return !e->rel ? WASI_SNAP_STDIO
         : e->preopen ? WASI_SNAP_PREOPEN
         : e->type == PLAT_FT_DIR ? WASI_SNAP_DIR
                                  : WASI_SNAP_FILE;
}

/* One descriptor; map[i] is preopen i's index in the section. */
static int wasi_save_fd(bwriter *w, uint32_t fd, const wasi_fd *e,
                        const uint32_t *map) {
  uint8_t kind = wasi_kind(e);
  uint64_t offset = 0, size = 0;
  if (kind == WASI_SNAP_STDIO && e->stream > 2)
    return PLAT_EINVAL;  /* only wasi_new makes descriptors without rel */
  if (kind == WASI_SNAP_FILE && e->type == PLAT_FT_FILE) {
    plat_stat s;
    int rc = plat_fstat(e->host, &s);
    if (rc) return rc;
    offset = e->offset;
    size = s.size;
  }
  bw_u32(w, fd);
  bw_u8(w, kind);
  bw_u8(w, e->type);
  bw_u16(w, e->fdflags);
  bw_u32(w, ((e->oflags & PLAT_O_READ) ? WASI_SNAP_O_READ : 0) |
                ((e->oflags & PLAT_O_WRITE) ? WASI_SNAP_O_WRITE : 0));
  bw_u64(w, e->rights_base);
  bw_u64(w, e->rights_inheriting);
  bw_u32(w, kind == WASI_SNAP_STDIO ? e->stream : map[e->root]);
  int rc = bw_str(w, kind == WASI_SNAP_STDIO ? "" : e->rel);
  bw_u64(w, offset);
  bw_u64(w, size);
  return rc;
}

#define WASI_UNUSED UINT32_MAX

int wasi_save(wasi_state *st, uint8_t **bytes, size_t *size) {
  *bytes = NULL;
  *size = 0;
  wasi_sync(st);
  /* Only preopens some open descriptor descends from are written, in
  ** their original order: map[i] is preopen i's index in the section. */
  uint32_t *map = malloc((st->nroots + 1) * sizeof *map);
  if (!map) return PLAT_ENOMEM;
  for (size_t i = 0; i < st->nroots; i++) map[i] = WASI_UNUSED;
  uint32_t nfds = 0, nroots = 0;
  int rc = 0;
  for (size_t i = 0; i < st->nfds; i++) {
    const wasi_fd *e = &st->fds[i];
    if (!e->used) continue;
    if (i >= WASI_SNAP_MAX_FD) rc = PLAT_EMFILE;
    if (e->rel && e->root >= st->nroots) rc = PLAT_EINVAL;
    else if (e->rel) map[e->root] = 0;
    nfds++;
  }
  for (size_t i = 0; i < st->nroots; i++)
    if (map[i] != WASI_UNUSED) map[i] = nroots++;
  if (st->argc > UINT32_MAX || st->envc > UINT32_MAX) rc = PLAT_E2BIG;
  bwriter w;
  memset(&w, 0, sizeof w);
  bw_u32(&w, WASI_SNAP_VERSION);
  bw_u32(&w, (uint32_t)st->argc);
  for (size_t i = 0; i < st->argc && !rc; i++) rc = bw_str(&w, st->argv[i]);
  bw_u32(&w, (uint32_t)st->envc);
  for (size_t i = 0; i < st->envc && !rc; i++) rc = bw_str(&w, st->envv[i]);
  bw_u32(&w, nroots);
  for (size_t i = 0; i < st->nroots && !rc; i++)
    if (map[i] != WASI_UNUSED && !(rc = bw_str(&w, st->roots[i].guest)))
      rc = bw_str(&w, st->roots[i].host);
  bw_u32(&w, nfds);
  for (size_t i = 0; i < st->nfds && !rc; i++)
    if (st->fds[i].used) rc = wasi_save_fd(&w, (uint32_t)i, &st->fds[i], map);
  free(map);
  if (!rc && w.oom) rc = PLAT_ENOMEM;
  if (rc) {
    free(w.data);
    return rc;
  }
  *bytes = w.data;
  *size = w.len;
  return 0;
}

/* ------------------------------------------------------------------ read */

typedef struct wasi_rd {
  breader r;
  int rc;          /* the first error, 0 so far */
  char *why;
  size_t whylen;
} wasi_rd;

/* Record the first error (later ones are consequences). */
static void wasi_rd_fail(wasi_rd *d, int rc, const char *what, long fd) {
  if (d->rc) return;
  d->rc = rc;
  if (!d->why || !d->whylen) return;
  if (rc == PLAT_ENOMEM)
    snprintf(d->why, d->whylen, "out of memory reading the WASI state");
  else if (fd >= 0)
    snprintf(d->why, d->whylen, "malformed WASI state: descriptor %ld: %s",
             fd, what);
  else
    snprintf(d->why, d->whylen, "malformed WASI state: %s", what);
}

/* A u32-length string: NULL (and an error) if truncated or holding NUL. */
static char *wasi_rd_str(wasi_rd *d) {
  uint32_t n = br_count(&d->r, 1);
  const uint8_t *p = br_bytes(&d->r, n);
  if (!p) {
    wasi_rd_fail(d, PLAT_EBADMSG, "truncated", -1);
    return NULL;
  }
  if (memchr(p, 0, n)) {
    wasi_rd_fail(d, PLAT_EBADMSG, "NUL byte in a string", -1);
    return NULL;
  }
  char *s = str_ndup((const char *)p, n);
  if (!s) wasi_rd_fail(d, PLAT_ENOMEM, NULL, -1);
  return s;
}

/* A u32 count and that many strings (each at least its 4-byte length). */
static char **wasi_rd_strings(wasi_rd *d, size_t *n) {
  uint32_t count = br_count(&d->r, 4);
  *n = 0;
  char **list = calloc((size_t)count + 1, sizeof *list);
  if (!list) {
    wasi_rd_fail(d, PLAT_ENOMEM, NULL, -1);
    return NULL;
  }
  for (; *n < count && !d->rc; (*n)++)
    if (!(list[*n] = wasi_rd_str(d))) break;
  return list;
}

/* Check one decoded descriptor; NULL if fine, else what is wrong. */
static const char *wasi_check_fd(const wasi_snap_fd *f, size_t nroots) {
  const uint32_t ignored = WASI_SNAP_O_CREATE | WASI_SNAP_O_EXCL |
                           WASI_SNAP_O_TRUNC | WASI_SNAP_O_DIRECTORY;
  const uint32_t access = WASI_SNAP_O_READ | WASI_SNAP_O_WRITE;
  int is_dir = f->kind == WASI_SNAP_PREOPEN || f->kind == WASI_SNAP_DIR;
  if (f->fd >= WASI_SNAP_MAX_FD) return "number too large";
  if (f->kind > WASI_SNAP_FILE) return "unknown kind";
  if (f->type > PLAT_FT_SYMLINK) return "unknown file type";
  if (f->fdflags & ~31u) return "unknown fdflags";
  if (f->oflags & ~(access | ignored)) return "unknown open flags";
  if ((f->rights_base | f->rights_inheriting) & ~WASI_RIGHTS_ALL)
    return "unknown rights";
  if (f->kind == WASI_SNAP_STDIO)
    return f->ref > 2 ? "stdio stream beyond 2"
           : f->path[0] ? "path on a stdio descriptor"
           : f->offset || f->size ? "offset on a stdio descriptor"
                                  : NULL;
  if (f->ref >= nroots) return "no such preopen";
  if (!(f->oflags & access)) return "opened neither to read nor to write";
  if (is_dir != (f->type == PLAT_FT_DIR)) return "kind and file type differ";
  if (f->kind == WASI_SNAP_PREOPEN && strcmp(f->path, "."))
    return "preopen path is not \".\"";
  if (!f->path[0]) return "empty path";
  if ((f->offset || f->size) && f->type != PLAT_FT_FILE)
    return "offset on a descriptor that is no regular file";
  if (f->offset > (uint64_t)INT64_MAX) return "offset too large";
  return NULL;
}

static void wasi_rd_fds(wasi_rd *d, wasi_snap *s) {
  uint32_t count = br_count(&d->r, 52);  /* the smallest descriptor */
  s->fds = calloc((size_t)count + 1, sizeof *s->fds);
  uint8_t *seen = calloc(WASI_SNAP_MAX_FD / 8, 1);
  if (!s->fds || !seen) wasi_rd_fail(d, PLAT_ENOMEM, NULL, -1);
  for (uint32_t i = 0; i < count && !d->rc; i++) {
    wasi_snap_fd *f = &s->fds[i];
    f->fd = br_u32(&d->r);
    f->kind = br_u8(&d->r);
    f->type = br_u8(&d->r);
    uint8_t lo = br_u8(&d->r);
    f->fdflags = (uint16_t)(lo | br_u8(&d->r) << 8);
    f->oflags = br_u32(&d->r);
    f->rights_base = br_u64(&d->r);
    f->rights_inheriting = br_u64(&d->r);
    f->ref = br_u32(&d->r);
    if (!(f->path = wasi_rd_str(d))) break;
    s->nfds++;
    f->offset = br_u64(&d->r);
    f->size = br_u64(&d->r);
    if (d->r.bad) break;
    const char *bad = wasi_check_fd(f, s->nroots);
    if (!bad && seen[f->fd / 8] & (1u << (f->fd % 8))) bad = "listed twice";
    if (bad) wasi_rd_fail(d, PLAT_EBADMSG, bad, (long)f->fd);
    else seen[f->fd / 8] |= (uint8_t)(1u << (f->fd % 8));
    f->oflags &= WASI_SNAP_O_READ | WASI_SNAP_O_WRITE;
  }
  free(seen);
}

int wasi_snap_parse(const uint8_t *bytes, size_t size, wasi_snap *s,
                    char *why, size_t whylen) {
  memset(s, 0, sizeof *s);
  wasi_rd d;
  memset(&d, 0, sizeof d);
  d.r.data = bytes;
  d.r.len = bytes ? size : 0;
  d.why = why;
  d.whylen = whylen;
  uint32_t version = br_u32(&d.r);
  if (!d.r.bad && version != WASI_SNAP_VERSION)
    wasi_rd_fail(&d, PLAT_EBADMSG, "unknown version", -1);
  if (!d.rc) s->argv = wasi_rd_strings(&d, &s->argc);
  if (!d.rc) s->envv = wasi_rd_strings(&d, &s->envc);
  uint32_t nroots = d.rc ? 0 : br_count(&d.r, 8);
  if (!d.rc && !(s->roots = calloc((size_t)nroots + 1, sizeof *s->roots)))
    wasi_rd_fail(&d, PLAT_ENOMEM, NULL, -1);
  for (uint32_t i = 0; i < nroots && !d.rc; i++) {
    wasi_root *r = &s->roots[s->nroots];
    if (!(r->guest = wasi_rd_str(&d))) break;
    s->nroots++;
    if (!(r->host = wasi_rd_str(&d))) break;
    if (!r->host[0]) wasi_rd_fail(&d, PLAT_EBADMSG, "empty host path", -1);
  }
  if (!d.rc) wasi_rd_fds(&d, s);
  if (!d.rc && !d.r.bad && d.r.pos != d.r.len)
    wasi_rd_fail(&d, PLAT_EBADMSG, "bytes after the end", -1);
  if (d.r.bad) wasi_rd_fail(&d, PLAT_EBADMSG, "truncated", -1);
  return d.rc;
}

void wasi_snap_free(wasi_snap *s) {
  for (size_t i = 0; i < s->argc; i++) free(s->argv[i]);
  for (size_t i = 0; i < s->envc; i++) free(s->envv[i]);
  for (size_t i = 0; i < s->nroots; i++) {
    free(s->roots[i].guest);
    free(s->roots[i].host);
  }
  for (size_t i = 0; i < s->nfds; i++) free(s->fds[i].path);
  free(s->argv);
  free(s->envv);
  free(s->roots);
  free(s->fds);
  memset(s, 0, sizeof *s);
}

/*
** wasi_resolve.c -- the sandbox: walk a guest path inside its descriptor.
** See wasi_resolve.h for the rules.  The walk keeps a stack of directory
** handles it opened, one per level below the start, so `..` is a pop and
** can never reach above the start; symlinks are spliced into the path
** text, never followed by the host.
*/
#include <stdlib.h>
#include <string.h>

#include "wasi/wasi_resolve.h"

/* Enough for any sane chain, few enough to stop a loop quickly (Linux
** allows 40). */
#define WASI_MAX_LINKS 32

typedef struct wasi_walk {
  plat_fd start;   /* borrowed */
  plat_fd *fds;    /* owned, fds[i] is level i+1 */
  char **names;    /* the component that led to each level */
  size_t depth, cap;
} wasi_walk;

static plat_fd wasi_walk_top(const wasi_walk *w) {
  return w->depth ? w->fds[w->depth - 1] : w->start;
}

/* Push an opened directory; on failure fd is closed. */
static int wasi_walk_push(wasi_walk *w, plat_fd fd, char *name) {
  if (w->depth == w->cap) {
    size_t ncap = w->cap ? w->cap * 2 : 8;
    plat_fd *fds = realloc(w->fds, ncap * sizeof *fds);
    if (fds) w->fds = fds;
    char **names = fds ? realloc(w->names, ncap * sizeof *names) : NULL;
    if (names) w->names = names;
    if (!fds || !names) {
      plat_close(fd);
      free(name);
      return PLAT_ENOMEM;
    }
    w->cap = ncap;
  }
  w->fds[w->depth] = fd;
  w->names[w->depth] = name;
  w->depth++;
  return 0;
}

static void wasi_walk_pop(wasi_walk *w) {
  w->depth--;
  plat_close(w->fds[w->depth]);
  free(w->names[w->depth]);
}

/* Close every level, or all but the top one when it is handed out. */
static void wasi_walk_free(wasi_walk *w, int keep_top) {
  for (size_t i = 0; i < w->depth; i++) {
    if (!keep_top || i + 1 < w->depth) plat_close(w->fds[i]);
    free(w->names[i]);
  }
  free(w->fds);
  free(w->names);
}

/* "a/b/name" from the walk's levels and the final name. */
static char *wasi_walk_rel(const wasi_walk *w, const char *name) {
  size_t len = strlen(name) + 2;
  for (size_t i = 0; i < w->depth; i++) len += strlen(w->names[i]) + 1;
  char *rel = malloc(len);
  if (!rel) return NULL;
  rel[0] = 0;
  for (size_t i = 0; i < w->depth; i++) {
    strcat(rel, w->names[i]);
    strcat(rel, "/");
  }
  if (strcmp(name, ".") || !w->depth) strcat(rel, name);
  else rel[strlen(rel) - 1] = 0;  /* "a/b/." is "a/b" */
  return rel;
}

/* Replace the walked part of *path, up to `at`, by a symlink's target:
** the rest of the path now continues from the target. */
static int wasi_splice(char **path, size_t at, const char *target,
                       size_t *pos) {
  if (target[0] == '/') return PLAT_ENOTCAPABLE;
  if (target[0] == 0) return PLAT_ENOENT;
  size_t tlen = strlen(target), rlen = strlen(*path + at);
  char *joined = malloc(tlen + rlen + 1);
  if (!joined) return PLAT_ENOMEM;
  memcpy(joined, target, tlen);
  memcpy(joined + tlen, *path + at, rlen + 1);
  free(*path);
  *path = joined;
  *pos = 0;
  return 0;
}

int wasi_resolve(const wasi_fd *start, const char *path, int follow,
                 wasi_path *out) {
  memset(out, 0, sizeof *out);
  out->dir = PLAT_NO_FD;
  if (!path[0]) return PLAT_ENOENT;
  if (path[0] == '/') return PLAT_ENOTCAPABLE;
  char *rest = str_dup(path);
  if (!rest) return PLAT_ENOMEM;
  wasi_walk w = {start->host, NULL, NULL, 0, 0};
  size_t pos = 0;
  int links = 0, rc = 0;
  char *comp = NULL;
  for (;;) {
    while (rest[pos] == '/') pos++;
    size_t begin = pos;
    while (rest[pos] && rest[pos] != '/') pos++;
    size_t after = pos;
    while (rest[after] == '/') after++;
    int last = rest[after] == 0;
    int slash = last && after != pos;
    comp = str_ndup(rest + begin, pos - begin);
    if (!comp) {
      rc = PLAT_ENOMEM;
      break;
    }
    if (!comp[0] || !strcmp(comp, ".") || !strcmp(comp, "..")) {
      if (!strcmp(comp, "..")) {
        if (w.depth == 0) {
          rc = PLAT_ENOTCAPABLE;
          break;
        }
        wasi_walk_pop(&w);
      }
      if (last) {
        free(comp);
        comp = str_dup(".");
        if (!comp) rc = PLAT_ENOMEM;
        out->trailing_slash = slash;
        break;
      }
      free(comp);
      comp = NULL;
      pos = after;
      continue;
    }
    plat_fd top = wasi_walk_top(&w);
    if (!last) {
      plat_fd fd;
      rc = plat_openat(top, comp, PLAT_O_READ | PLAT_O_DIRECTORY, &fd);
      if (rc == 0) {
        rc = wasi_walk_push(&w, fd, comp);
        comp = NULL;
        if (rc) break;
        pos = after;
        continue;
      }
    } else if (!follow && !slash) {
      break;  /* the final component, taken as it is */
    }
    /* Here either an intermediate component did not open as a directory
    ** (perhaps it is a symlink) or a final one may be a symlink to follow. */
    char *target;
    size_t tlen;
    int lrc = plat_readlinkat(top, comp, &target, &tlen);
    if (lrc == PLAT_ENOMEM) rc = lrc;
    if (lrc) {
      if (!last || rc) break;  /* the openat error stands */
      out->trailing_slash = slash;
      break;                   /* a final component that is no symlink */
    }
    rc = ++links > WASI_MAX_LINKS ? PLAT_ELOOP
                                  : wasi_splice(&rest, pos, target, &pos);
    free(target);
    free(comp);
    comp = NULL;
    if (rc) break;
  }
  free(rest);
  if (rc == 0) out->rel = wasi_walk_rel(&w, comp);
  if (rc == 0 && !out->rel) rc = PLAT_ENOMEM;
  if (rc) {
    free(comp);
    wasi_walk_free(&w, 0);
    return rc;
  }
  out->name = comp;
  out->depth = w.depth;
  out->owned = w.depth > 0;
  out->dir = wasi_walk_top(&w);
  wasi_walk_free(&w, 1);
  return 0;
}

void wasi_path_done(wasi_path *p) {
  if (p->owned) plat_close(p->dir);
  free(p->name);
  free(p->rel);
  p->owned = 0;
  p->name = p->rel = NULL;
}

int wasi_check_link_target(const char *target, size_t depth) {
  if (target[0] == '/') return PLAT_ENOTCAPABLE;
  for (const char *p = target; *p;) {
    const char *end = strchr(p, '/');
    size_t len = end ? (size_t)(end - p) : strlen(p);
    if (len == 2 && p[0] == '.' && p[1] == '.') {
      if (depth == 0) return PLAT_ENOTCAPABLE;
      depth--;
    } else if (len && !(len == 1 && p[0] == '.')) {
      depth++;
    }
    p += len;
    while (*p == '/') p++;
  }
  return 0;
}

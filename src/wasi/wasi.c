/*
** wasi.c -- the WASI state: arguments, environment, the descriptor table,
** guest-memory helpers shared by the other files, and the registration of
** every wasi_snapshot_preview1 function into a linker.
*/
#include <stdlib.h>
#include <string.h>

#include "wasi/wasi_impl.h"

/* The env pointer of one host function: which state, which function. */
struct wasi_binding {
  wasi_state *st;
  wasi_impl fn;
};

char *wasi_join(const char *dir, const char *rel) {
  size_t a = strlen(dir), b = strlen(rel);
  char *s = malloc(a + b + 2);
  if (!s) return NULL;
  memcpy(s, dir, a);
  s[a] = '/';
  memcpy(s + a + 1, rel, b + 1);
  return s;
}

/* ------------------------------------------------------------ descriptors */

uint64_t wasi_rights_for(uint8_t type) {
  return type == PLAT_FT_DIR ? WASI_RIGHTS_DIR
         : type == PLAT_FT_CHAR ? WASI_RIGHTS_TTY
                                : WASI_RIGHTS_FILE;
}

int wasi_fd_get(wasi_state *st, uint32_t fd, uint64_t need, wasi_fd **out) {
  if (fd >= st->nfds || !st->fds[fd].used) return PLAT_EBADF;
  if ((st->fds[fd].rights_base & need) != need) return PLAT_ENOTCAPABLE;
  *out = &st->fds[fd];
  return 0;
}

int wasi_fd_insert(wasi_state *st, const wasi_fd *e, uint32_t *fd) {
  size_t i = 0;
  while (i < st->nfds && st->fds[i].used) i++;
  if (i >= UINT32_MAX / 2) return PLAT_EMFILE;
  if (i == st->nfds) {
    if (st->nfds == st->capfds) {
      size_t ncap = st->capfds ? st->capfds * 2 : 16;
      wasi_fd *bigger = realloc(st->fds, ncap * sizeof *bigger);
      if (!bigger) return PLAT_ENOMEM;
      st->fds = bigger;
      st->capfds = ncap;
    }
    st->nfds++;
  }
  st->fds[i] = *e;
  st->fds[i].used = 1;
  *fd = (uint32_t)i;
  return 0;
}

int wasi_fd_release(wasi_fd *e) {
  /* stdio belongs to the host process: closing it there would let the
  ** next open reuse fd 1 for a file and divert inro's own output. */
  int rc = e->host_path && e->host != PLAT_NO_FD ? plat_close(e->host) : 0;
  free(e->host_path);
  free(e->preopen);
  free(e->rel);
  plat_free_dirents(e->dirents, e->ndirents);
  memset(e, 0, sizeof *e);
  e->host = PLAT_NO_FD;
  return rc;
}

/* A descriptor entry for an already open host handle. */
static void wasi_fd_init(wasi_fd *e, plat_fd host, uint8_t type) {
  memset(e, 0, sizeof *e);
  e->type = type;
  e->host = host;
  e->rights_base = wasi_rights_for(type);
  e->rights_inheriting = WASI_RIGHTS_ALL;
}

/* ------------------------------------------------------------------ state */

wasi_state *wasi_new(void) {
  wasi_state *st = calloc(1, sizeof *st);
  if (!st) return NULL;
  for (plat_fd fd = 0; fd < 3; fd++) {
    plat_stat s;
    wasi_fd e;
    st->stdio_known[fd] = plat_get_flags(fd, &st->stdio_flags[fd]) == 0;
    wasi_fd_init(&e, fd, plat_fstat(fd, &s) ? PLAT_FT_UNKNOWN : s.type);
    e.oflags = fd == 0 ? PLAT_O_READ : PLAT_O_WRITE;
    e.stream = (uint8_t)fd;
    uint32_t got;
    if (wasi_fd_insert(st, &e, &got)) {
      wasi_free(st);
      return NULL;
    }
  }
  return st;
}

void wasi_free(wasi_state *st) {
  if (!st) return;
  for (plat_fd fd = 0; fd < 3; fd++) {
    int now;
    if (st->stdio_known[fd] && plat_get_flags(fd, &now) == 0 &&
        now != st->stdio_flags[fd])
      plat_set_flags(fd, st->stdio_flags[fd]);
  }
  for (size_t i = 0; i < st->argc; i++) free(st->argv[i]);
  for (size_t i = 0; i < st->envc; i++) free(st->envv[i]);
  for (size_t i = 0; i < st->nfds; i++)
    if (st->fds[i].used) wasi_fd_release(&st->fds[i]);
  for (size_t i = 0; i < st->nroots; i++) {
    free(st->roots[i].guest);
    free(st->roots[i].host);
  }
  free(st->roots);
  free(st->argv);
  free(st->envv);
  free(st->fds);
  free(st->bindings);
  free(st);
}

static int wasi_push_string(char ***list, size_t *n, const char *s) {
  char **bigger = realloc(*list, (*n + 1) * sizeof **list);
  if (!bigger) return PLAT_ENOMEM;
  *list = bigger;
  if (!(bigger[*n] = str_dup(s))) return PLAT_ENOMEM;
  (*n)++;
  return 0;
}

int wasi_add_arg(wasi_state *st, const char *arg) {
  return wasi_push_string(&st->argv, &st->argc, arg);
}

int wasi_add_env(wasi_state *st, const char *name_eq_value) {
  return wasi_push_string(&st->envv, &st->envc, name_eq_value);
}

/* Append (guest, host) to st->roots; 0 or PLAT_ENOMEM. */
static int wasi_add_root(wasi_state *st, const char *host, const char *guest) {
  wasi_root *bigger = realloc(st->roots, (st->nroots + 1) * sizeof *bigger);
  if (!bigger) return PLAT_ENOMEM;
  st->roots = bigger;
  wasi_root *r = &bigger[st->nroots];
  r->guest = str_dup(guest);
  r->host = str_dup(host);
  if (!r->guest || !r->host) {
    free(r->guest);
    free(r->host);
    return PLAT_ENOMEM;
  }
  st->nroots++;
  return 0;
}

int wasi_preopen(wasi_state *st, const char *host, const char *guest) {
  if (st->nroots >= UINT32_MAX) return PLAT_EMFILE;
  plat_fd fd;
  int rc = plat_open_dir(host, &fd);
  if (rc) return rc;
  wasi_fd e;
  wasi_fd_init(&e, fd, PLAT_FT_DIR);
  e.oflags = PLAT_O_READ;
  e.host_path = str_dup(host);
  e.preopen = str_dup(guest);
  e.rel = str_dup(".");
  e.root = (uint32_t)st->nroots;
  uint32_t got;
  if (!e.host_path) plat_close(fd);  /* release() closes only with a path */
  if (!e.host_path || !e.preopen || !e.rel) rc = PLAT_ENOMEM;
  else rc = wasi_add_root(st, host, guest);
  if (!rc && (rc = wasi_fd_insert(st, &e, &got))) {
    st->nroots--;
    free(st->roots[st->nroots].guest);
    free(st->roots[st->nroots].host);
  }
  if (rc) wasi_fd_release(&e);
  return rc;
}

int wasi_set_stdio(wasi_state *st, uint32_t fd, plat_fd host) {
  if (fd > 2 || fd >= st->nfds || !st->fds[fd].used || st->fds[fd].rel)
    return PLAT_EINVAL;
  plat_stat s;
  wasi_fd *e = &st->fds[fd];
  uint8_t stream = e->stream;
  int oflags = e->oflags;
  wasi_fd_init(e, host, plat_fstat(host, &s) ? PLAT_FT_UNKNOWN : s.type);
  e->used = 1;
  e->oflags = oflags;
  e->stream = stream;
  return 0;
}

void wasi_sync(wasi_state *st) {
  for (size_t i = 0; i < st->nfds; i++) {
    wasi_fd *e = &st->fds[i];
    uint64_t pos;
    if (e->used && e->type == PLAT_FT_FILE && !plat_seek(e->host, 0, 1, &pos))
      e->offset = pos;
  }
}

/* ----------------------------------------------------------- guest memory */

int wasi_string(const wasi_mem *m, uint32_t ptr, uint32_t len, char **out) {
  const uint8_t *p = wasi_ptr(m, ptr, len);
  if (!p) return PLAT_EFAULT;
  if (len > WASI_MAX_STRING) return PLAT_ENAMETOOLONG;
  if (memchr(p, 0, len)) return PLAT_EILSEQ;
  *out = str_ndup((const char *)p, len);
  return *out ? 0 : PLAT_ENOMEM;
}

int wasi_iovecs(const wasi_mem *m, uint32_t ptr, uint32_t n, plat_iov **out,
                size_t *count) {
  const uint8_t *arr = wasi_ptr(m, ptr, (uint64_t)n * 8);
  if (!arr) return PLAT_EFAULT;
  /* A 32-bit host (inro.wasm) could not even count the buffers of a
  ** 4 GiB array. */
  if ((uint64_t)n + 1 > SIZE_MAX / sizeof(plat_iov)) return PLAT_ENOMEM;
  plat_iov *v = malloc(((size_t)n + 1) * sizeof *v);
  if (!v) return PLAT_ENOMEM;
  size_t k = 0;
  uint64_t total = 0;
  for (uint32_t i = 0; i < n; i++) {
    uint32_t buf = wasi_get32(arr + 8 * i), len = wasi_get32(arr + 8 * i + 4);
    uint8_t *p = wasi_ptr(m, buf, len);
    if (!p) {
      free(v);
      return PLAT_EFAULT;
    }
    /* Hosts refuse transfers past SSIZE_MAX (INT32_MAX for inro.wasm):
    ** the buffer that reaches it is cut there and the later ones left
    ** out, a short transfer of a prefix, which callers must expect. Every
    ** buffer is still checked for bounds. */
    if (len > INT32_MAX - total) len = (uint32_t)(INT32_MAX - total);
    if (len == 0) continue;
    total += len;
    v[k].base = p;
    v[k].len = len;
    k++;
  }
  *out = v;
  *count = k;
  return 0;
}

/* --------------------------------------------------------- registration */

static const struct {
  const wasi_entry *entries;
  const size_t *n;
} wasi_tables[] = {
  {wasi_fd_entries, &wasi_fd_nentries},
  {wasi_path_entries, &wasi_path_nentries},
  {wasi_misc_entries, &wasi_misc_nentries},
  {wasi_poll_entries, &wasi_poll_nentries},
};
#define WASI_NTABLES WASI_COUNT(wasi_tables)

/* Every table-driven WASI function enters here. */
static int wasi_trampoline(inro_call_ctx *ctx, void *env, const uint64_t *args,
                           uint64_t *results) {
  const wasi_binding *b = env;
  inro_memory *mem = inro_ctx_memory(ctx);
  wasi_mem m = {NULL, 0};  /* no memory: every pointer is out of bounds */
  if (mem) {
    m.base = inro_memory_data(mem);
    m.size = inro_memory_size(mem);
  }
  b->st->ctx = ctx;
  uint32_t rc = b->fn(b->st, &m, args);
  b->st->ctx = NULL;
  if (rc == WASI_STOPPED) return 0;
  results[0] = rc;
  return 1;
}

void wasi_on_wait(wasi_state *st, wasi_wait_fn fn, void *env) {
  st->wait_fn = fn;
  st->wait_env = env;
}

static int wasi_proc_exit(inro_call_ctx *ctx, void *env, const uint64_t *args,
                          uint64_t *results) {
  (void)env, (void)results;
  return inro_exit(ctx, (int)WASI_U32(args[0]));
}

/* Fail wasi_define for want of memory. */
static int wasi_define_nomem(inro_error *err) {
  if (err) {
    err->kind = INRO_ERR_NOMEM;
    strcpy(err->message, "out of memory defining WASI functions");
  }
  return 0;
}

static int wasi_define_one(inro_store *store, inro_linker *linker,
                           const char *name, const char *params,
                           size_t nresults, inro_host_fn fn, void *env,
                           inro_error *err) {
  inro_valtype types[16];  /* path_open, the longest, has 9 */
  static const inro_valtype result = INRO_I32;
  size_t n = strlen(params);
  if (n > 16) n = 16;
  for (size_t i = 0; i < n; i++)
    types[i] = params[i] == 'I' ? INRO_I64 : INRO_I32;
  inro_extern ext;
  ext.kind = INRO_EXTERN_FUNC;
  ext.of.func = inro_func_new(store, types, n, &result, nresults, fn, env, err);
  return ext.of.func && inro_linker_define(linker, "wasi_snapshot_preview1", name, ext, err);
}

int wasi_define(wasi_state *st, inro_store *store, inro_linker *linker,
                inro_error *err) {
  size_t total = 0;
  for (size_t t = 0; t < WASI_NTABLES; t++) total += *wasi_tables[t].n;
  if (!st->bindings) {
    st->bindings = malloc(total * sizeof *st->bindings);
    if (!st->bindings) return wasi_define_nomem(err);
  }
  size_t k = 0;
  for (size_t t = 0; t < WASI_NTABLES; t++) {
    for (size_t i = 0; i < *wasi_tables[t].n; i++, k++) {
      const wasi_entry *e = &wasi_tables[t].entries[i];
      st->bindings[k].st = st;
      st->bindings[k].fn = e->fn;
      if (!wasi_define_one(store, linker, e->name, e->params, 1,
                           wasi_trampoline, &st->bindings[k], err))
        return 0;
    }
  }
  return wasi_define_one(store, linker, "proc_exit", "i", 0, wasi_proc_exit,
                         NULL, err);
}

/* ------------------------------------------------------------------ names */

static const char *const wasi_errno_names[] = {
  "SUCCESS", "E2BIG", "EACCES", "EADDRINUSE", "EADDRNOTAVAIL",
  "EAFNOSUPPORT", "EAGAIN", "EALREADY", "EBADF", "EBADMSG", "EBUSY",
  "ECANCELED", "ECHILD", "ECONNABORTED", "ECONNREFUSED", "ECONNRESET",
  "EDEADLK", "EDESTADDRREQ", "EDOM", "EDQUOT", "EEXIST", "EFAULT", "EFBIG",
  "EHOSTUNREACH", "EIDRM", "EILSEQ", "EINPROGRESS", "EINTR", "EINVAL", "EIO",
  "EISCONN", "EISDIR", "ELOOP", "EMFILE", "EMLINK", "EMSGSIZE", "EMULTIHOP",
  "ENAMETOOLONG", "ENETDOWN", "ENETRESET", "ENETUNREACH", "ENFILE",
  "ENOBUFS", "ENODEV", "ENOENT", "ENOEXEC", "ENOLCK", "ENOLINK", "ENOMEM",
  "ENOMSG", "ENOPROTOOPT", "ENOSPC", "ENOSYS", "ENOTCONN", "ENOTDIR",
  "ENOTEMPTY", "ENOTRECOVERABLE", "ENOTSOCK", "ENOTSUP", "ENOTTY", "ENXIO",
  "EOVERFLOW", "EOWNERDEAD", "EPERM", "EPIPE", "EPROTO", "EPROTONOSUPPORT",
  "EPROTOTYPE", "ERANGE", "EROFS", "ESPIPE", "ESRCH", "ESTALE", "ETIMEDOUT",
  "ETXTBSY", "EXDEV", "ENOTCAPABLE",
};

const char *wasi_errno_name(int code) {
  if (code < 0 || (size_t)code >= WASI_COUNT(wasi_errno_names))
    return "E?";
  return wasi_errno_names[code];
}

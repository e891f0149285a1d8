/*
** api_test.c -- the embedding API through inro.h alone, as an embedder
** uses it: import and export types, the bounds-checked memory accessor,
** the error conventions of calls and callbacks, WASI set up with the
** public inro_wasi_* (arguments, environment, stdio, preopens, saving
** and restoring its state), and stores in several threads at once
** sharing one module.
**
** usage: api_test api.wasm snap.wasm GUESTS_DIR  (tests/wat/api.wat,
** tests/wat/snap.wat, build/guests)
*/
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "inro.h"

static int passed, failed;

static void check(int ok, const char *what) {
  if (ok) passed++;
  else failed++;
  printf("%s: %s\n", ok ? "ok" : "FAIL", what);
}

static uint8_t *read_file(const char *path, size_t *size) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  uint8_t *b = NULL;
  size_t n = 0, cap = 0, got;
  do {
    if (n == cap) {
      uint8_t *bigger = realloc(b, cap = cap ? 2 * cap : 65536);
      if (!bigger) break;
      b = bigger;
    }
    got = fread(b + n, 1, cap - n, f);
    n += got;
  } while (got);
  fclose(f);
  *size = n;
  return b;
}

static inro_module *load(const char *path) {
  size_t size;
  uint8_t *bytes = read_file(path, &size);
  inro_error err;
  inro_module *m = bytes ? inro_module_new(bytes, size, &err) : NULL;
  if (!m) printf("FAIL: cannot load %s: %s\n", path, bytes ? err.message : "unreadable");
  free(bytes);
  return m;
}

/* The whole of a file as a string (tests compare small outputs). */
static char *slurp(const char *path) {
  size_t n;
  char *s = (char *)read_file(path, &n);
  if (!s) return NULL;
  char *t = realloc(s, n + 1);
  if (!t) {
    free(s);
    return NULL;
  }
  t[n] = 0;
  return t;
}

/* --------------------------------------------------------------- types */

static void types(const inro_module *m) {
  static const struct {
    const char *module, *name;
    inro_extern_kind kind;
  } imports[] = {{"host", "sum", INRO_EXTERN_FUNC},
                 {"host", "fail", INRO_EXTERN_FUNC},
                 {"host", "table", INRO_EXTERN_TABLE},
                 {"host", "memory", INRO_EXTERN_MEMORY},
                 {"host", "counter", INRO_EXTERN_GLOBAL}};
  int names_ok = inro_module_import_count(m) == 5;
  for (size_t i = 0; names_ok && i < 5; i++) {
    const char *mod, *name;
    inro_extern_kind kind;
    inro_module_import(m, i, &mod, &name, &kind);
    names_ok = !strcmp(mod, imports[i].module) && !strcmp(name, imports[i].name) &&
               kind == imports[i].kind;
  }
  check(names_ok, "import names and kinds");
  inro_externtype t;
  check(inro_module_import_type(m, 1, &t) && t.kind == INRO_EXTERN_FUNC &&
            t.nparams == 2 && t.params[0] == INRO_I32 && t.params[1] == INRO_I64 &&
            t.nresults == 1 && t.results[0] == INRO_F32,
        "import type: func (i32 i64) -> f32");
  check(inro_module_import_type(m, 2, &t) && t.kind == INRO_EXTERN_TABLE &&
            t.type == INRO_FUNCREF && t.min == 1 && t.max == 10,
        "import type: table funcref 1..10");
  check(inro_module_import_type(m, 3, &t) && t.kind == INRO_EXTERN_MEMORY && t.min == 1 &&
            t.max == 4,
        "import type: memory 1..4 pages");
  check(inro_module_import_type(m, 4, &t) && t.kind == INRO_EXTERN_GLOBAL &&
            t.type == INRO_I32 && t.mutable_,
        "import type: global mut i32");
  check(!inro_module_import_type(m, 5, &t), "import type: index out of range refused");

  int seen = 0;
  for (size_t i = 0; i < inro_module_export_count(m); i++) {
    const char *name;
    inro_module_export(m, i, &name, NULL);
    if (!inro_module_export_type(m, i, &t)) continue;
    if (!strcmp(name, "k"))
      seen += t.kind == INRO_EXTERN_GLOBAL && t.type == INRO_F64 && !t.mutable_;
    else if (!strcmp(name, "refs"))
      seen += t.kind == INRO_EXTERN_TABLE && t.type == INRO_EXTERNREF && t.min == 2 &&
              t.max == UINT32_MAX;
    else if (!strcmp(name, "memory"))
      seen += t.kind == INRO_EXTERN_MEMORY && t.min == 1 && t.max == 4;
    else if (!strcmp(name, "sum"))
      seen += t.kind == INRO_EXTERN_FUNC && t.nparams == 2 && t.nresults == 1 &&
              t.results[0] == INRO_I32;
  }
  check(seen == 4, "export types: global, table, re-exported memory, func");
  check(!inro_module_export_type(m, inro_module_export_count(m), &t),
        "export type: index out of range refused");
}

/* ----------------------------------------------- host functions, memory */

/* host.sum(ptr, len): the sum of guest bytes [ptr, ptr + len). */
static int host_sum(inro_call_ctx *ctx, void *env, const uint64_t *args,
                    uint64_t *results) {
  (void)env;
  inro_memory *mem = inro_ctx_memory(ctx);
  uint32_t ptr = (uint32_t)args[0], len = (uint32_t)args[1];
  const uint8_t *p = inro_memory_range(mem, ptr, len);
  if (!p) return inro_trap(ctx, "sum: out of bounds");
  uint32_t s = 0;
  for (uint32_t i = 0; i < len; i++) s += p[i];
  results[0] = s;
  return 1;
}

/* host.fail(how, _): 0 traps with a message, 1 exits with 7, 2 returns a
** bare 0. */
static int host_fail(inro_call_ctx *ctx, void *env, const uint64_t *args,
                     uint64_t *results) {
  (void)env;
  results[0] = 0;
  switch ((uint32_t)args[0]) {
  case 0: return inro_trap(ctx, "fail: asked to");
  case 1: return inro_exit(ctx, 7);
  default: return 0;
  }
}

static void host_and_memory(const inro_module *m) {
  inro_error err;
  inro_store *s = inro_store_new(NULL, &err);
  static const inro_valtype sum_params[] = {INRO_I32, INRO_I32};
  static const inro_valtype fail_params[] = {INRO_I32, INRO_I64};
  static const inro_valtype i32 = INRO_I32, f32 = INRO_F32, v128 = INRO_V128;
  static const inro_valtype not_a_type = (inro_valtype)0x55;

  check(inro_func_new(s, &v128, 1, NULL, 0, host_sum, NULL, &err) != NULL,
        "inro_func_new: a v128 parameter is taken (tests/simd_state_test.c calls one)");
  check(inro_func_new(s, &not_a_type, 1, NULL, 0, host_sum, NULL, &err) == NULL &&
            err.kind == INRO_ERR_ARG,
        "inro_func_new: a byte that is no value type is refused");
  inro_linker *l = inro_linker_new(&err);
  check(l != NULL, "inro_linker_new takes an error and succeeds");

  inro_extern e;
  e.kind = INRO_EXTERN_FUNC;
  e.of.func = inro_func_new(s, sum_params, 2, &i32, 1, host_sum, NULL, &err);
  inro_linker_define(l, "host", "sum", e, &err);
  e.of.func = inro_func_new(s, fail_params, 2, &f32, 1, host_fail, NULL, &err);
  inro_linker_define(l, "host", "fail", e, &err);
  e.kind = INRO_EXTERN_TABLE;
  e.of.table = inro_table_new(s, INRO_FUNCREF, 1, 10, &err);
  inro_linker_define(l, "host", "table", e, &err);
  e.kind = INRO_EXTERN_MEMORY;
  inro_memory *mem = inro_memory_new(s, 1, 4, &err);
  e.of.memory = mem;
  inro_linker_define(l, "host", "memory", e, &err);
  e.kind = INRO_EXTERN_GLOBAL;
  inro_value zero = {.type = INRO_I32, .of.i32 = 0};
  inro_global *counter = inro_global_new(s, zero, 1, &err);
  e.of.global = counter;
  inro_linker_define(l, "host", "counter", e, &err);
  inro_instance *inst = inro_linker_instantiate(l, s, m, &err);
  check(inst != NULL, "instantiate against host objects");
  if (!inst) {
    printf("    %s\n", err.message);
    inro_linker_free(l);
    inro_store_free(s);
    return;
  }

  /* The accessor: in bounds, at the end, past it, wrapping around. */
  uint64_t size = inro_memory_size(mem);
  check(inro_memory_range(mem, 16, 5) == inro_memory_data(mem) + 16,
        "memory_range: in bounds");
  check(inro_memory_range(mem, size, 0) != NULL && inro_memory_range(mem, size - 4, 4) != NULL,
        "memory_range: empty range at the end, last bytes");
  check(!inro_memory_range(mem, size - 3, 4) && !inro_memory_range(mem, size + 1, 0) &&
            !inro_memory_range(mem, UINT64_MAX, 2) && !inro_memory_range(mem, 2, UINT64_MAX),
        "memory_range: past the end and wrapping offsets refused");
  check(!inro_memory_range(NULL, 0, 0), "memory_range: no memory");
  uint8_t buf[5] = {0}, five[5] = {1, 2, 3, 4, 5}, junk[4] = {9, 9, 9, 9};
  check(inro_memory_read(mem, 16, buf, 5) && !memcmp(buf, five, 5),
        "memory_read: the data segment");
  check(!inro_memory_read(mem, size - 2, buf, 4) && !inro_memory_write(mem, size - 2, junk, 4),
        "memory_read/write: out of bounds copies nothing");
  check(inro_memory_write(mem, 100, junk, 4) && inro_memory_data(mem)[103] == 9,
        "memory_write: in bounds");

  inro_extern f;
  inro_value args[2] = {{.type = INRO_I32, .of.i32 = 16}, {.type = INRO_I32, .of.i32 = 5}};
  inro_value r;
  inro_instance_export(inst, "sum", &f);
  check(inro_call(s, f.of.func, args, 2, &r, 1, &err) && r.of.i32 == 15,
        "host function reads guest memory: sum = 15");
  check(inro_global_get(counter).of.i32 == 1, "the guest set the imported global");
  args[0].of.i32 = (uint32_t)size - 2;
  check(!inro_call(s, f.of.func, args, 2, &r, 1, &err) && err.kind == INRO_ERR_TRAP &&
            err.trap == INRO_TRAP_HOST && !strcmp(err.message, "sum: out of bounds"),
        "host function: out-of-bounds pointer traps with its message");

  /* Growth: the rule says pointers are valid until the memory grows;
  ** afterwards the new pages are in bounds, fetched afresh. */
  inro_instance_export(inst, "grow", &f);
  inro_value one = {.type = INRO_I32, .of.i32 = 1};
  check(inro_call(s, f.of.func, &one, 1, &r, 1, &err) && r.of.i32 == 1 &&
            inro_memory_size(mem) == 2 * INRO_PAGE_SIZE &&
            inro_memory_range(mem, size, INRO_PAGE_SIZE) != NULL &&
            inro_memory_read(mem, 16, buf, 5) && !memcmp(buf, five, 5),
        "after memory.grow: new pages in bounds, old bytes kept");

  inro_instance_export(inst, "fail", &f);
  inro_value how = {.type = INRO_I32, .of.i32 = 0};
  check(!inro_call(s, f.of.func, &how, 1, &r, 1, &err) && err.kind == INRO_ERR_TRAP &&
            err.trap == INRO_TRAP_HOST && !strcmp(err.message, "fail: asked to"),
        "inro_trap returns 0 and the call fails with its message");
  how.of.i32 = 1;
  check(!inro_call(s, f.of.func, &how, 1, &r, 1, &err) && err.kind == INRO_ERR_EXIT &&
            err.exit_code == 7,
        "inro_exit returns 0 and the call ends with the exit status");
  how.of.i32 = 2;
  check(!inro_call(s, f.of.func, &how, 1, &r, 1, &err) && err.kind == INRO_ERR_TRAP &&
            err.trap == INRO_TRAP_HOST && err.message[0],
        "a bare 0 from a host function is a trap with a message");
  inro_linker_free(l);
  inro_store_free(s);
}

/* ------------------------------------------------------------------ WASI */

/* Run a WASI command's _start with wasi; its exit status (0 when it
** returned), or -1 with err filled. */
static int run_wasi(inro_wasi *wasi, const inro_module *m, inro_error *err) {
  inro_store *s = inro_store_new(NULL, err);
  inro_linker *l = s ? inro_linker_new(err) : NULL;
  int status = -1;
  if (l && inro_wasi_link(wasi, s, l, err)) {
    inro_instance *inst = inro_linker_instantiate(l, s, m, err);
    inro_extern start;
    if (inst && inro_instance_export(inst, "_start", &start)) {
      if (inro_call(s, start.of.func, NULL, 0, NULL, 0, err)) status = 0;
      else if (err->kind == INRO_ERR_EXIT) status = err->exit_code;
    }
  }
  inro_linker_free(l);
  inro_store_free(s);
  return status;
}

/* A fresh state whose stdout goes to `out` (a file opened for writing). */
static inro_wasi *wasi_to(FILE *out, inro_error *err) {
  inro_wasi *w = inro_wasi_new(err);
  if (w && !inro_wasi_stdio(w, 1, fileno(out), err)) {
    inro_wasi_free(w);
    return NULL;
  }
  return w;
}

/* guests and tmp are short paths (the arguments and mkdtemp's). */
static void wasi(const char *guests, const char *tmp) {
  char path[4096], outpath[4096];
  inro_error err;
  snprintf(outpath, sizeof outpath, "%s/out.txt", tmp);

  /* Arguments, and stdout captured in a file. */
  snprintf(path, sizeof path, "%s/args.wasm", guests);
  inro_module *m = load(path);
  FILE *out = fopen(outpath, "w");
  inro_wasi *w = m && out ? wasi_to(out, &err) : NULL;
  int ok = w && inro_wasi_arg(w, "args.wasm", &err) && inro_wasi_arg(w, "one", &err) &&
           inro_wasi_arg(w, "two words", &err) && run_wasi(w, m, &err) == 0;
  inro_wasi_free(w);
  if (out) fclose(out);
  char *got = slurp(outpath);
  check(ok && got && !strcmp(got, "argc=3\nargv[0] ends in .wasm: yes\n"
                                   "argv[1]=\"one\"\nargv[2]=\"two words\"\n"),
        "WASI: arguments, stdout redirected to a file");
  free(got);
  inro_module_free(m);

  /* The environment. */
  snprintf(path, sizeof path, "%s/env.wasm", guests);
  m = load(path);
  out = fopen(outpath, "w");
  w = m && out ? wasi_to(out, &err) : NULL;
  ok = w && inro_wasi_env(w, "GREETING", "hi there", &err) && inro_wasi_env(w, "EMPTY", "", &err) &&
       run_wasi(w, m, &err) == 0;
  check(w && !inro_wasi_env(w, "A=B", "c", &err) && err.kind == INRO_ERR_ARG,
        "WASI: an environment name with '=' is refused");
  inro_wasi_free(w);
  if (out) fclose(out);
  got = slurp(outpath);
  check(ok && got && !strcmp(got, "2 variables\nEMPTY=\nGREETING=hi there\n"
                                   "getenv(GREETING) = \"hi there\"\ngetenv(EMPTY) = \"\"\n"
                                   "getenv(NOT_SET) = NULL\n"),
        "WASI: environment");
  free(got);
  inro_module_free(m);

  /* A preopened directory: the guest reads input.txt, writes upper.txt. */
  char sandbox[2048];
  snprintf(sandbox, sizeof sandbox, "%s/sandbox", tmp);
  snprintf(path, sizeof path, "%s/input.txt", sandbox);
  FILE *in = mkdir(sandbox, 0700) == 0 ? fopen(path, "w") : NULL;
  if (in) {
    fputs("one\ntwo\n", in);
    fclose(in);
  }
  snprintf(path, sizeof path, "%s/ckpt_files.wasm", guests);
  m = load(path);
  out = fopen(outpath, "w");
  w = m && out ? wasi_to(out, &err) : NULL;
  check(w && !inro_wasi_preopen(w, "/nonexistent/dir", "/x", &err) && err.kind == INRO_ERR_IO &&
            strstr(err.message, "/nonexistent/dir"),
        "WASI: preopening a missing directory fails naming it");
  ok = w && inro_wasi_preopen(w, sandbox, "/sandbox", &err) && run_wasi(w, m, &err) == 0;
  if (out) fclose(out);
  snprintf(path, sizeof path, "%s/upper.txt", sandbox);
  got = slurp(path);
  check(ok && got && !strcmp(got, "ONE\nTWO\n"), "WASI: a preopened directory");
  free(got);

  /* Its state saved and restored: strict by default. */
  size_t size = 0;
  uint8_t *saved = w ? inro_wasi_save(w, &size, &err) : NULL;
  check(saved != NULL, "WASI: inro_wasi_save");
  inro_wasi *r = inro_wasi_new(&err);
  check(saved && !inro_wasi_restore(r, saved, size, NULL, 0, 0, &err) && err.kind == INRO_ERR_ARG,
        "WASI restore: a preopen the restorer did not grant is refused");
  inro_wasi_dir dir = {"/sandbox", sandbox};
  check(saved && inro_wasi_restore(r, saved, size, &dir, 1, 0, &err),
        "WASI restore: with the preopen granted");
  check(saved && !inro_wasi_restore(r, saved, size, &dir, 1, 0, &err) && err.kind == INRO_ERR_ARG,
        "WASI restore: into a state that is not new, refused");
  inro_wasi_free(r);
  r = inro_wasi_new(&err);
  check(saved && inro_wasi_restore(r, saved, size, NULL, 0, INRO_WASI_SAVED_DIRS, &err),
        "WASI restore: INRO_WASI_SAVED_DIRS keeps the saved directories");
  inro_wasi_free(r);
  r = inro_wasi_new(&err);
  check(saved && !inro_wasi_restore(r, saved, size / 2, &dir, 1, 0, &err) &&
            err.kind == INRO_ERR_MALFORMED,
        "WASI restore: truncated bytes are malformed");
  inro_wasi_free(r);
  free(saved);
  inro_wasi_free(w);
  inro_module_free(m);
  remove(path);
  snprintf(path, sizeof path, "%s/input.txt", sandbox);
  remove(path);
  snprintf(path, sizeof path, "%s/log.txt", sandbox);
  remove(path);
  rmdir(sandbox);
  remove(outpath);
}

/* --------------------------------------------------------------- threads */

/* Each thread decodes the module itself and also instantiates the shared
** one, runs snap.wasm's run(n), checkpoints it half way, restores the
** snapshot in another store and resumes: the same result every time. */
typedef struct job {
  const inro_module *shared;
  const uint8_t *bytes;
  size_t size;
  uint32_t result;
  int ok;
} job;

typedef struct stop_at {
  long left;
  uint8_t *snap;
  size_t size;
} stop_at;

static int stop_probe(inro_frame *f, void *env) {
  stop_at *st = env;
  if (--st->left) return 1;
  inro_error err;
  st->snap = inro_snapshot_capture(f, 1, NULL, 0, &st->size, &err);
  return inro_frame_trap(f, "checkpoint");
}

static uint32_t run_once(const inro_module *m, long stop, stop_at *st, int *ok) {
  inro_error err;
  inro_store *s = inro_store_new(NULL, &err);
  inro_instance *inst = s ? inro_instantiate(s, m, NULL, 0, &err) : NULL;
  inro_extern run;
  inro_value arg = {.type = INRO_I32, .of.i32 = 200}, r = {.type = INRO_I32, .of.i32 = 0};
  *ok = inst && inro_instance_export(inst, "run", &run);
  if (*ok && stop) {
    st->left = stop;
    *ok = inro_probe_global(inst, stop_probe, st, &err) != NULL;
  }
  if (*ok) *ok = inro_call(s, run.of.func, &arg, 1, &r, 1, &err);
  inro_store_free(s);
  return r.of.i32;
}

static void *thread_main(void *arg) {
  job *j = arg;
  inro_error err;
  inro_module *own = inro_module_new(j->bytes, j->size, &err);
  int ok1, ok2 = 0;
  uint32_t a = run_once(j->shared, 0, NULL, &ok1), b = 0;
  stop_at st = {0, NULL, 0};
  run_once(own ? own : j->shared, 5000, &st, &ok2);
  inro_snapshot *snap = st.snap ? inro_snapshot_open(st.snap, st.size, &err) : NULL;
  inro_store *s = inro_store_new(NULL, &err);
  inro_instance *inst = snap ? inro_snapshot_restore(s, snap, j->shared, NULL, 0, &err) : NULL;
  inro_value r = {.type = INRO_I32, .of.i32 = 0};
  ok2 = inst && inro_snapshot_resume(s, inst, snap, &r, 1, &err);
  b = r.of.i32;
  inro_store_free(s);
  inro_snapshot_free(snap);
  free(st.snap);
  inro_module_free(own);
  j->ok = own && ok1 && ok2 && a == b;
  j->result = a;
  return NULL;
}

static void threads(const char *snap_path) {
  size_t size;
  uint8_t *bytes = read_file(snap_path, &size);
  inro_error err;
  inro_module *m = bytes ? inro_module_new(bytes, size, &err) : NULL;
  enum { N = 4 };
  pthread_t t[N];
  job jobs[N];
  int started = 0;
  for (int i = 0; m && i < N; i++) {
    jobs[i] = (job){m, bytes, size, 0, 0};
    if (pthread_create(&t[i], NULL, thread_main, &jobs[i]) == 0) started++;
    else break;
  }
  for (int i = 0; i < started; i++) pthread_join(t[i], NULL);
  int ok = m && started == N;
  for (int i = 0; ok && i < N; i++) ok = jobs[i].ok && jobs[i].result == jobs[0].result;
  check(ok, "4 threads, a store each, one shared module: run, checkpoint, "
            "restore, the same result");
  inro_module_free(m);
  free(bytes);
}

/* Decoding errors come before validation errors, wherever they are:
** bodies are decoded as they are validated, and a module that fails to
** validate is looked at again for a malformed body after.  Each module
** has a type () -> () and two functions; the code section is
** SECTION_CODE then the two bodies. */
static void error_order(void) {
  static const uint8_t head[] = {0, 'a', 's', 'm', 1, 0, 0, 0, 1, 4, 1, 0x60, 0, 0, 3, 3, 2, 0, 0};
  static const struct {
    const char *what;
    uint8_t export_bad;      /* an export of function 5, which is not there */
    uint8_t body0[4], n0, body1[4], n1;
    inro_error_kind want;
  } cases[] = {
    {"an invalid export, a malformed body: malformed", 1, {0, 0x0b}, 2, {0, 0xff, 0x0b}, 3, INRO_ERR_MALFORMED},
    {"an invalid body, a malformed one after: malformed", 0, {0, 0x6a, 0x0b}, 3, {0, 0xff, 0x0b}, 3, INRO_ERR_MALFORMED},
    {"bytes after a body's end: malformed", 0, {0, 0x0b, 0x01}, 3, {0, 0x0b}, 2, INRO_ERR_MALFORMED},
    {"a body without its end: malformed", 0, {0, 0x01}, 2, {0, 0x0b}, 2, INRO_ERR_MALFORMED},
    {"an invalid body alone: invalid", 0, {0, 0x0b}, 2, {0, 0x6a, 0x0b}, 3, INRO_ERR_INVALID},
    {"both bodies well: loads", 0, {0, 0x0b}, 2, {0, 0x01, 0x0b}, 3, INRO_OK},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    uint8_t b[64];
    size_t n = sizeof head;
    memcpy(b, head, n);
    if (cases[i].export_bad) {
      static const uint8_t export[] = {7, 5, 1, 1, 'f', 0, 5};
      memcpy(b + n, export, sizeof export);
      n += sizeof export;
    }
    b[n++] = 10;
    b[n++] = (uint8_t)(3 + cases[i].n0 + cases[i].n1);
    b[n++] = 2;
    b[n++] = cases[i].n0;
    memcpy(b + n, cases[i].body0, cases[i].n0);
    n += cases[i].n0;
    b[n++] = cases[i].n1;
    memcpy(b + n, cases[i].body1, cases[i].n1);
    n += cases[i].n1;
    inro_error err;
    inro_module *m = inro_module_new(b, n, &err);
    check(m ? cases[i].want == INRO_OK : err.kind == cases[i].want, cases[i].what);
    inro_module_free(m);
  }
}

int main(int argc, char **argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: api_test api.wasm snap.wasm GUESTS_DIR\n");
    return 2;
  }
  char tmp[] = "/tmp/inro-api-XXXXXX";
  if (!mkdtemp(tmp)) {
    perror("mkdtemp");
    return 1;
  }
  inro_module *m = load(argv[1]);
  if (m) {
    types(m);
    host_and_memory(m);
  } else {
    failed++;
  }
  inro_module_free(m);
  error_order();
  wasi(argv[3], tmp);
  threads(argv[2]);
  rmdir(tmp);
  printf("%d passed, %d failed\n", passed, failed);
  return failed != 0;
}

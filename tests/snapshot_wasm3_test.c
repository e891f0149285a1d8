/*
** snapshot_wasm3_test.c -- snapshots of what WebAssembly 3.0 added:
** exceptions (a try_table body, a legacy catch body whose exception a
** rethrow needs after the restore, an exnref in a local), tail calls
** (frames replaced, not stacked), multiple and 64-bit memories (a
** memory over 4 GiB with a few pages written far apart, saved sparsely),
** and v128 values where those put them (the loads and stores of a 64-bit
** memory 1, an exception that carries a v128, a v128 global).
**
** Each function runs once straight through for its result and its count
** of instructions; then, for every instruction k of that run, a global
** probe takes a snapshot before it and stops the run, and the snapshot,
** restored into a fresh store, must resume to the same result.  At a few
** of those positions the same state goes as a migration stream instead
** (pre-copy rounds of every memory at the start and half way, the rest
** at k), read from a stream and restored by moving its memories; and a
** stream begun as version 1 whose state at the stop needs version 2 (a
** null exnref on the operand stack of a module without tags) is refused
** with one line.  The
** modules are built here, byte by byte (wat2wasm 1.0.32 has no
** try_table).
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "inro.h"

static int passed, failed;

static void check(int ok, const char *what, const char *name, long k) {
  if (ok) {
    passed++;
    return;
  }
  failed++;
  if (failed <= 40) printf("FAIL: %s: %s (instruction %ld)\n", name, what, k);
}

/* ------------------------------------------------------- module bytes */

typedef struct buf {
  uint8_t b[4096];
  size_t n;
} buf;

static void put(buf *o, int v) {
  if (o->n < sizeof o->b) o->b[o->n++] = (uint8_t)v;
}
static void uleb(buf *o, uint64_t v) {
  do {
    uint8_t c = v & 0x7F;
    v >>= 7;
    put(o, c | (v ? 0x80 : 0));
  } while (v);
}
static void sleb(buf *o, int64_t v) {
  for (;;) {
    uint8_t c = v & 0x7F;
    int64_t rest = v / 128 - (v % 128 < 0); /* floor, without shifting a negative */
    int done = (rest == 0 && !(c & 0x40)) || (rest == -1 && (c & 0x40));
    put(o, c | (done ? 0 : 0x80));
    if (done) return;
    v = rest;
  }
}
static void bytes(buf *o, const char *s, size_t n) {
  for (size_t i = 0; i < n; i++) put(o, (uint8_t)s[i]);
}
#define B(o, ...) do { static const uint8_t b_[] = {__VA_ARGS__}; \
    for (size_t i_ = 0; i_ < sizeof b_; i_++) put((o), b_[i_]); } while (0)
static void section(buf *m, int id, const buf *body) {
  put(m, id);
  uleb(m, body->n);
  for (size_t i = 0; i < body->n; i++) put(m, body->b[i]);
}
static void name(buf *o, const char *s) {
  uleb(o, strlen(s));
  bytes(o, s, strlen(s));
}
/* A function body: its locals (already encoded) and code. */
static void body(buf *code, const buf *fn) {
  uleb(code, fn->n);
  for (size_t i = 0; i < fn->n; i++) put(code, fn->b[i]);
}

/* Exceptions and tail calls.  Types: 0 [i32]->[], 1 [i32]->[i32],
** 2 []->[], 3 []->[i32 exnref].  Tag 0 of type 0.  A mutable exnref
** global.  Functions: 0 mark, 1 run, 2 legacy, 3 exnref, 4 count. */
static size_t build_exceptions(buf *m) {
  buf s = {{0}, 0}, f = {{0}, 0}, code = {{0}, 0};
  m->n = 0;
  B(m, 0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00);
  B(&s, 4, 0x60, 1, 0x7F, 0, 0x60, 1, 0x7F, 1, 0x7F, 0x60, 0, 0, 0x60, 0, 2, 0x7F, 0x69);
  section(m, 1, &s);
  s.n = 0;
  B(&s, 5, 2, 1, 1, 1, 1);
  section(m, 3, &s);
  s.n = 0;
  B(&s, 1, 0, 0);
  section(m, 13, &s); /* tags */
  s.n = 0;
  B(&s, 1, 0x69, 1, 0xD0, 0x69, 0x0B); /* (global (mut exnref) (ref.null exn)) */
  section(m, 6, &s);
  s.n = 0;
  static const char *const names[] = {"run", "legacy", "exnref", "count"};
  uleb(&s, 4);
  for (int i = 0; i < 4; i++) {
    name(&s, names[i]);
    B(&s, 0x00);
    uleb(&s, (uint64_t)i + 1);
  }
  section(m, 7, &s);

  uleb(&code, 5);
  B(&f, 0, 0x0B); /* mark: nothing; the probes fire in the callers */
  body(&code, &f);
  f.n = 0; /* run: a throw caught by a try_table's clause, outside it */
  B(&f, 0, 0x02, 0x7F, 0x1F, 0x7F, 1, 0x00, 0, 0, 0x10, 0, 0x20, 0, 0x41, 1, 0x6A, 0x08, 0,
    0x0B, 0x0B, 0x41);
  sleb(&f, 100);
  B(&f, 0x6A, 0x0B);
  body(&code, &f);
  f.n = 0; /* legacy: a catch body calls, then rethrows to the outer try */
  B(&f, 0, 0x06, 0x7F, 0x06, 0x7F, 0x20, 0, 0x08, 0, 0x07, 0, 0x10, 0, 0x1A, 0x09, 0, 0x0B,
    0x07, 0, 0x41);
  sleb(&f, 1000);
  B(&f, 0x6A, 0x0B, 0x0B);
  body(&code, &f);
  f.n = 0; /* exnref: catch_ref into a local, then throw_ref it again */
  B(&f, 1, 1, 0x69, 0x02, 3, 0x1F, 0x40, 1, 0x01, 0, 0, 0x20, 0, 0x08, 0, 0x0B, 0x00, 0x0B,
    0x21, 1, 0x1A, 0x10, 0, 0x20, 1, 0x24, 0, 0x02, 0x7F, 0x1F, 0x40, 1, 0x00, 0, 0, 0x20, 1, 0x0A,
    0x0B, 0x00, 0x0B, 0x41, 7, 0x6A, 0x0B);
  body(&code, &f);
  f.n = 0; /* count: return_call itself x times, then mark */
  B(&f, 0, 0x20, 0, 0x45, 0x04, 0x40, 0x10, 0, 0x41, 0, 0x0F, 0x0B, 0x20, 0, 0x41, 1, 0x6B,
    0x12, 4, 0x0B);
  body(&code, &f);
  section(m, 10, &code);
  return m->n;
}

/* Memories: memory 0 of 32 bits and one page; memory 1 of 64 bits and
** BIG pages (just over 4 GiB).  mem(x) writes at both ends of memory 1
** and into memory 0, calls mark, and sums what it reads back. */
#define BIG_PAGES 65552u
static size_t build_memories(buf *m) {
  buf s = {{0}, 0}, f = {{0}, 0}, code = {{0}, 0};
  uint64_t far = (uint64_t)(BIG_PAGES - 1) * 65536 + 8;
  m->n = 0;
  B(m, 0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00);
  B(&s, 2, 0x60, 1, 0x7E, 1, 0x7E, 0x60, 0, 0);
  section(m, 1, &s);
  s.n = 0;
  B(&s, 2, 0, 1);
  section(m, 3, &s);
  s.n = 0;
  B(&s, 2, 0x00, 1, 0x05);
  uleb(&s, BIG_PAGES);
  uleb(&s, BIG_PAGES);
  section(m, 5, &s);
  s.n = 0;
  B(&s, 1);
  name(&s, "mem");
  B(&s, 0x00, 0);
  section(m, 7, &s);
  uleb(&code, 2);
  f.n = 0; /* mem (param i64) (result i64) */
  B(&f, 0, 0x42, 0, 0x20, 0, 0x37, 0x43, 1, 0); /* mem1[0] = x */
  B(&f, 0x42);
  sleb(&f, (int64_t)far);
  B(&f, 0x20, 0, 0x42, 2, 0x7E, 0x37, 0x43, 1, 0); /* mem1[far] = 2x */
  B(&f, 0x41, 0, 0x20, 0, 0xA7, 0x36, 0x02, 0x80, 0x01); /* mem0[128] = (i32)x */
  B(&f, 0x10, 1);
  B(&f, 0x42, 0, 0x29, 0x43, 1, 0, 0x42);
  sleb(&f, (int64_t)far);
  B(&f, 0x29, 0x43, 1, 0, 0x7C, 0x41, 0, 0x35, 0x02, 0x80, 0x01, 0x7C, 0x0B);
  body(&code, &f);
  f.n = 0;
  B(&f, 0, 0x0B);
  body(&code, &f);
  section(m, 10, &code);
  return m->n;
}

/* SIMD with 3.0's state.  Types: 0 []->[], 1 [i32]->[i32], 2 [v128
** i32]->[], 3 []->[v128 i32 exnref], 4 []->[v128 i32].  Memory 0 of 32
** bits, memory 1 of 64 bits, one page each; tag 0 of type 2; a mutable
** v128 global.  Functions: 0 mark, 1 simd3, 2 oob_load, 3 oob_store.
** simd3(x): v = splat(x) stored into memory 1 at 16 and splat(7) into
** memory 0 at 0; w = v loaded back from memory 1, lane 2 loaded from
** memory 1 at 0 (zero), lane 0 stored as 16 bits into memory 1 at 40;
** (w, x + 1) thrown in a try_table, caught with its exnref, thrown again
** and caught: lane 3 + (x + 1) twice; then lane 1 of w through the
** global, lane 0 of memory 0's splat(7), the 16 bits at 40 of memory 1
** and lane 2 of w: 6x + 9 in all (39 for x = 5).  oob_load(a) and
** oob_store(a) access 16 bytes at a of memory 1. */
static size_t build_simd3(buf *m) {
  buf s = {{0}, 0}, f = {{0}, 0}, code = {{0}, 0};
  m->n = 0;
  B(m, 0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00);
  B(&s, 5, 0x60, 0, 0, 0x60, 1, 0x7F, 1, 0x7F, 0x60, 2, 0x7B, 0x7F, 0, 0x60, 0, 3, 0x7B, 0x7F,
    0x69, 0x60, 0, 2, 0x7B, 0x7F);
  section(m, 1, &s);
  s.n = 0;
  B(&s, 4, 0, 1, 1, 1);
  section(m, 3, &s);
  s.n = 0;
  B(&s, 2, 0x00, 1, 0x04, 1);
  section(m, 5, &s);
  s.n = 0;
  B(&s, 1, 0, 2);
  section(m, 13, &s); /* tags */
  s.n = 0;
  B(&s, 1, 0x7B, 1, 0xFD, 0x0C, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x0B);
  section(m, 6, &s);
  s.n = 0;
  static const char *const names[] = {"simd3", "oob_load", "oob_store"};
  uleb(&s, 3);
  for (int i = 0; i < 3; i++) {
    name(&s, names[i]);
    B(&s, 0x00);
    uleb(&s, (uint64_t)i + 1);
  }
  section(m, 7, &s);

  uleb(&code, 4);
  B(&f, 0, 0x0B); /* mark */
  body(&code, &f);
  f.n = 0; /* simd3: locals 1 v128, 2 exnref, 3 i32 */
  B(&f, 3, 1, 0x7B, 1, 0x69, 1, 0x7F);
  B(&f, 0x20, 0, 0xFD, 0x11, 0x21, 1);                            /* v = splat(x) */
  B(&f, 0x42, 16, 0x20, 1, 0xFD, 0x0B, 0x44, 1, 0);               /* mem1[16] = v */
  B(&f, 0x41, 0, 0x41, 7, 0xFD, 0x11, 0xFD, 0x0B, 0x04, 0);       /* mem0[0] = splat(7) */
  B(&f, 0x42, 16, 0xFD, 0x00, 0x44, 1, 0, 0x21, 1);               /* w = mem1[16] */
  B(&f, 0x42, 0, 0x20, 1, 0xFD, 0x56, 0x42, 1, 0, 2, 0x21, 1);    /* w.2 = mem1[0] */
  B(&f, 0x42, 40, 0x20, 1, 0xFD, 0x59, 0x41, 1, 0, 0);            /* mem1[40] = w.0 */
  B(&f, 0x02, 3, 0x1F, 0x40, 1, 0x01, 0, 0, 0x20, 1, 0x20, 0, 0x41, 1, 0x6A, 0x10, 0,
    0x08, 0, 0x0B, 0x00, 0x0B);                                   /* throw, catch_ref */
  B(&f, 0x21, 2, 0x21, 3, 0xFD, 0x1B, 3, 0x20, 3, 0x6A);
  B(&f, 0x02, 4, 0x1F, 0x40, 1, 0x00, 0, 0, 0x20, 2, 0x0A, 0x0B, 0x00, 0x0B); /* throw_ref */
  B(&f, 0x21, 3, 0xFD, 0x1B, 0, 0x20, 3, 0x6A, 0x6A);
  B(&f, 0x20, 1, 0x24, 0, 0x23, 0, 0xFD, 0x1B, 1, 0x6A);          /* the global */
  B(&f, 0x41, 0, 0xFD, 0x00, 0x04, 0, 0xFD, 0x1B, 0, 0x6A);       /* mem0[0].0 */
  B(&f, 0x42, 40, 0x2F, 0x41, 1, 0, 0x6A);                        /* mem1[40] */
  B(&f, 0x20, 1, 0xFD, 0x1B, 2, 0x6A, 0x0B);                      /* w.2 */
  body(&code, &f);
  f.n = 0; /* oob_load */
  B(&f, 0, 0x20, 0, 0xAD, 0xFD, 0x00, 0x44, 1, 0, 0x1A, 0x41, 0, 0x0B);
  body(&code, &f);
  f.n = 0; /* oob_store */
  B(&f, 0, 0x20, 0, 0xAD, 0x41, 1, 0xFD, 0x11, 0xFD, 0x0B, 0x44, 1, 0, 0x41, 0, 0x0B);
  body(&code, &f);
  section(m, 10, &code);
  return m->n;
}

/* A module with no tag and no exnref in its types, globals or locals,
** whose only exnref is the one `ref.null exn` puts on the operand stack:
** (func (export "null") (param i32) (result i32) ref.null exn
** ref.is_null). */
static size_t build_null_exn(buf *m) {
  buf s = {{0}, 0}, f = {{0}, 0}, code = {{0}, 0};
  m->n = 0;
  B(m, 0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00);
  B(&s, 1, 0x60, 1, 0x7F, 1, 0x7F);
  section(m, 1, &s);
  s.n = 0;
  B(&s, 1, 0);
  section(m, 3, &s);
  s.n = 0;
  B(&s, 1);
  name(&s, "null");
  B(&s, 0x00, 0);
  section(m, 7, &s);
  uleb(&code, 1);
  B(&f, 0, 0xD0, 0x69, 0xD1, 0x0B);
  body(&code, &f);
  section(m, 10, &code);
  return m->n;
}

/* ------------------------------------------------------------ the runs */

static inro_module *mod;

typedef struct stopper {
  long count, at;
  uint8_t *snap;
  size_t size;
} stopper;

static int count_and_stop(inro_frame *f, void *env) {
  stopper *st = env;
  if (++st->count != st->at) return 1;
  inro_error err;
  st->snap = inro_snapshot_capture(f, 1, NULL, 0, &st->size, &err);
  if (!st->snap) printf("capture failed: %s\n", err.message);
  return inro_frame_trap(f, "checkpoint taken");
}

/* Call export `fn` with arg; with at > 0, stop at instruction at with a
** snapshot in st.  Counts instructions in st->count either way. */
static int run(const char *fn, inro_value arg, long at, stopper *st, inro_value *result) {
  inro_error err;
  inro_config small = {1u << 14, 1000};
  inro_store *s = inro_store_new(&small, &err);
  inro_instance *inst = inro_instantiate(s, mod, NULL, 0, &err);
  memset(st, 0, sizeof *st);
  st->at = at ? at : -1;
  inro_extern e;
  int ok = inst && inro_probe_global(inst, count_and_stop, st, &err) &&
           inro_instance_export(inst, fn, &e) &&
           inro_call(s, e.of.func, &arg, 1, result, 1, &err);
  if (!inst) printf("instantiation failed: %s\n", err.message);
  inro_store_free(s);
  return ok;
}

/* Restore the snapshot in a fresh store and resume it: its result, the
** snapshot's version and frame count. */
static int resume(const stopper *st, inro_value *result, uint32_t *version, size_t *frames) {
  inro_error err;
  inro_snapshot *snap = inro_snapshot_open(st->snap, st->size, &err);
  if (!snap) {
    printf("open failed: %s\n", err.message);
    return 0;
  }
  *version = (uint32_t)st->snap[8] | (uint32_t)st->snap[9] << 8;
  *frames = inro_snapshot_frame_count(snap);
  inro_config small = {1u << 14, 1000};
  inro_store *s = inro_store_new(&small, &err);
  inro_instance *inst = inro_snapshot_restore(s, snap, mod, NULL, 0, &err);
  int ok = inst && inro_snapshot_resume(s, inst, snap, result, 1, &err);
  if (!ok) printf("restore failed: %s\n", err.message);
  inro_store_free(s);
  inro_snapshot_free(snap);
  return ok;
}

static int same(inro_value a, inro_value b) {
  return a.type == b.type && (a.type == INRO_I32 ? a.of.i32 == b.of.i32 : a.of.i64 == b.of.i64);
}

/* A migration stream: whole pre-copy rounds at the first instruction and
** at half way to `at`, the stop at `at`. */
typedef struct sink {
  uint8_t *data;
  size_t len, cap;
  int oom;
} sink;

static int sink_write(void *env, const inro_iovec *iov, size_t n) {
  sink *k = env;
  for (size_t i = 0; i < n; i++) {
    if (k->len + iov[i].len > k->cap) {
      size_t cap = (k->len + iov[i].len) * 2;
      uint8_t *more = realloc(k->data, cap);
      if (!more) return !(k->oom = 1);
      k->data = more;
      k->cap = cap;
    }
    memcpy(k->data + k->len, iov[i].base, iov[i].len);
    k->len += iov[i].len;
  }
  return 1;
}

typedef struct migrator {
  long count, at;
  inro_precopy *pc;
  sink out;
  int finished;
} migrator;

static int migrate_at(inro_frame *f, void *env) {
  migrator *mg = env;
  inro_error err;
  long k = ++mg->count;
  if (k == 1 || k == mg->at / 2) {
    int r;
    while ((r = inro_precopy_send(mg->pc, 4096, &err)) == 0) {}
    if (r < 0) printf("send failed: %s\n", err.message);
  }
  if (k != mg->at) return 1;
  mg->finished = inro_precopy_finish(mg->pc, f, NULL, 0, &err);
  if (!mg->finished) printf("finish failed: %s\n", err.message);
  return inro_frame_trap(f, "migrated");
}

typedef struct source {
  const uint8_t *data;
  size_t pos, len;
} source;

static int source_read(void *env, void *to, size_t len, size_t *got) {
  source *src = env;
  size_t n = len < 5000 ? len : 5000; /* in pieces, as from a socket */
  if (n > src->len - src->pos) n = src->len - src->pos;
  memcpy(to, src->data + src->pos, n);
  src->pos += n;
  *got = n;
  return 1;
}

/* PAGES sections (id 7) in a stream: pages sent in rounds. */
static long page_sections;
static void count_page_sections(const uint8_t *b, size_t len) {
  for (size_t pos = 16; pos + 16 <= len;) {
    uint64_t sl = 0;
    for (int i = 0; i < 8; i++) sl |= (uint64_t)b[pos + 8 + i] << (8 * i);
    page_sections += b[pos] == 7 && !b[pos + 1] && !b[pos + 2] && !b[pos + 3];
    if (sl > len - pos) break;
    pos += 16 + (size_t)sl + 4;
  }
}

static void migrate_position(const char *fn, inro_value arg, inro_value want, long at,
                             uint32_t want_version) {
  inro_error err;
  inro_value got;
  migrator mg;
  memset(&mg, 0, sizeof mg);
  mg.at = at;
  inro_config small = {1u << 14, 1000};
  inro_store *s = inro_store_new(&small, &err);
  inro_instance *inst = inro_instantiate(s, mod, NULL, 0, &err);
  inro_extern e;
  if (inst) mg.pc = inro_precopy_start(inst, 1, sink_write, &mg.out, &err);
  if (mg.pc && inro_probe_global(inst, migrate_at, &mg, &err) &&
      inro_instance_export(inst, fn, &e))
    inro_call(s, e.of.func, &arg, 1, &got, 1, &err);
  inro_precopy_free(mg.pc);
  inro_store_free(s);
  check(mg.finished && !mg.out.oom, "a migration stream is written", fn, at);
  uint32_t version = mg.out.len >= 16 ? (uint32_t)mg.out.data[8] : 0;
  check(version == want_version, "the migration stream's version", fn, at);
  count_page_sections(mg.out.data, mg.out.len);
  source src = {mg.out.data, 0, mg.out.len};
  inro_snapshot *snap = mg.finished ? inro_snapshot_read(source_read, &src, &err) : NULL;
  if (mg.finished && !snap) printf("read failed: %s\n", err.message);
  int ok = 0;
  if (snap) {
    s = inro_store_new(&small, &err);
    inst = inro_snapshot_restore_move(s, snap, mod, NULL, 0, &err);
    ok = inst && inro_snapshot_resume(s, inst, snap, &got, 1, &err);
    if (!ok) printf("restore failed: %s\n", err.message);
    inro_store_free(s);
    inro_snapshot_free(snap);
  }
  check(ok && src.pos == src.len && same(got, want),
        "the migration stream resumes to the same result", fn, at);
  free(mg.out.data);
}

/* Every position of fn(arg) (at most `max` of them, evenly spread). */
static void every_position(const char *fn, inro_value arg, inro_value want, long max,
                           uint32_t want_version, size_t max_frames, size_t max_size) {
  stopper st;
  inro_value got;
  char what[160];
  int ok = run(fn, arg, 0, &st, &got);
  check(ok && same(got, want), "the straight run gives the known result", fn, 0);
  long total = st.count, step = total > max ? total / max : 1;
  for (long k = 1; k <= total; k += step) {
    stopper at;
    uint32_t version = 0;
    size_t frames = 0;
    run(fn, arg, k, &at, &got);
    if (!at.snap) {
      check(0, "a snapshot is taken", fn, k);
      continue;
    }
    ok = resume(&at, &got, &version, &frames);
    snprintf(what, sizeof what, "restored and resumed to the same result (version %u, %zu frames, %zu bytes)",
             version, frames, at.size);
    check(ok && same(got, want), what, fn, k);
    check(version == want_version, "the snapshot's version", fn, k);
    check(frames <= max_frames, "no more frames than exist", fn, k);
    check(at.size <= max_size, "the snapshot is small", fn, k);
    free(at.snap);
  }
  for (int i = 1; i <= 3; i++) migrate_position(fn, arg, want, total * i / 4 + 1, want_version);
}

/* Where a migration stream was begun as version 1 (the module needs no
** more) and the state at the stop needs version 2, the stop fails with
** one line and writes nothing more; a snapshot of the same state is
** version 2 and resumes. */
static void migrate_needs_v2(void) {
  inro_error err;
  inro_value x = {INRO_I32, {.i32 = 0}}, got;
  migrator mg;
  memset(&mg, 0, sizeof mg);
  mg.at = 2; /* before ref.is_null, the null exnref on the stack */
  inro_store *s = inro_store_new(NULL, &err);
  inro_instance *inst = inro_instantiate(s, mod, NULL, 0, &err);
  inro_extern e;
  size_t sent = 0;
  if (inst) mg.pc = inro_precopy_start(inst, 1, sink_write, &mg.out, &err);
  sent = mg.out.len;
  if (mg.pc && inro_probe_global(inst, migrate_at, &mg, &err) &&
      inro_instance_export(inst, "null", &e))
    inro_call(s, e.of.func, &x, 1, &got, 1, &err);
  inro_precopy_free(mg.pc);
  inro_store_free(s);
  check(mg.out.len >= 16 && mg.out.data[8] == 1, "a stream of this module begins as version 1",
        "null", 2);
  check(!mg.finished && mg.out.len == sent, "the stop fails and writes nothing more", "null", 2);
  free(mg.out.data);
  stopper st;
  uint32_t version = 0;
  size_t frames;
  run("null", x, 2, &st, &got);
  check(st.snap && resume(&st, &got, &version, &frames) && version == 2 && got.of.i32 == 1,
        "a snapshot there is version 2 and resumes", "null", 2);
  free(st.snap);
}

/* Catch probes: each catch counted; at the first, the caught value (the
** top operand) and a snapshot, which must resume to the same result:
** a checkpoint taken where the exception lands. */
typedef struct catcher {
  long catches;
  uint64_t top;
  stopper st;
} catcher;

static int on_catch(inro_frame *f, void *env) {
  catcher *c = env;
  if (c->catches++ || inro_frame_reason(f) != INRO_PROBE_AT_CATCH) return 1;
  c->top = inro_frame_operand_bits(f, 0);
  inro_error err;
  c->st.snap = inro_snapshot_capture(f, 1, NULL, 0, &c->st.size, &err);
  if (!c->st.snap) printf("capture failed: %s\n", err.message);
  return 1;
}

static void catch_probe(const char *fn, inro_value arg, inro_value want, long catches,
                        uint64_t top) {
  inro_error err;
  catcher c;
  inro_value got;
  memset(&c, 0, sizeof c);
  inro_store *s = inro_store_new(NULL, &err);
  inro_instance *inst = inro_instantiate(s, mod, NULL, 0, &err);
  inro_extern e;
  int ok = inst && inro_probe_catch(inst, on_catch, &c, &err) &&
           inro_instance_export(inst, fn, &e) && inro_call(s, e.of.func, &arg, 1, &got, 1, &err);
  inro_store_free(s);
  check(ok && same(got, want), "runs to its result with a catch probe", fn, 0);
  check(c.catches == catches, "the catch probe fires once per catch", fn, 0);
  check(catches == 0 || c.top == top || (top == UINT64_MAX && c.top != 0),
        "the caught value is on top at the catch", fn, 0);
  if (!catches) return;
  uint32_t version;
  size_t frames;
  check(c.st.snap && resume(&c.st, &got, &version, &frames) && same(got, want),
        "a snapshot taken at the catch resumes to the same result", fn, 0);
  free(c.st.snap);
}

/* fn(arg) traps out of bounds, or (ok) returns 0. */
static void bounds(const char *fn, uint32_t arg, int ok) {
  inro_error err;
  inro_store *s = inro_store_new(NULL, &err);
  inro_instance *inst = inro_instantiate(s, mod, NULL, 0, &err);
  inro_extern e;
  inro_value a = {INRO_I32, {.i32 = arg}}, got;
  int ran = inst && inro_instance_export(inst, fn, &e) &&
            inro_call(s, e.of.func, &a, 1, &got, 1, &err);
  check(ok ? ran && got.of.i32 == 0 : !ran && err.kind == INRO_ERR_TRAP &&
                                           err.trap == INRO_TRAP_MEMORY_OOB,
        ok ? "in bounds: no trap" : "out of bounds: a trap", fn, arg);
  inro_store_free(s);
}

static inro_module *load(const buf *m) {
  inro_error err;
  inro_module *mm = inro_module_new(m->b, m->n, &err);
  if (!mm) printf("FAIL: the test module does not load: %s\n", err.message);
  return mm;
}

#ifdef INRO_IR_STATS
void ir_stats_save(void); /* exec/irstats.c: tests/ir_coverage.sh counts this test's ops */
#endif

int main(void) {
#ifdef INRO_IR_STATS
  atexit(ir_stats_save);
#endif
  static buf m;
  inro_value x = {INRO_I32, {.i32 = 5}};
  build_exceptions(&m);
  if ((mod = load(&m))) {
    every_position("run", x, (inro_value){INRO_I32, {.i32 = 106}}, 300, 2, 2, 1u << 16);
    every_position("legacy", x, (inro_value){INRO_I32, {.i32 = 1005}}, 300, 2, 2, 1u << 16);
    every_position("exnref", x, (inro_value){INRO_I32, {.i32 = 12}}, 300, 2, 2, 1u << 16);
    catch_probe("run", x, (inro_value){INRO_I32, {.i32 = 106}}, 1, 6);
    catch_probe("legacy", x, (inro_value){INRO_I32, {.i32 = 1005}}, 2, 5);
    catch_probe("exnref", x, (inro_value){INRO_I32, {.i32 = 12}}, 2, UINT64_MAX); /* an exnref */
    /* 300 tail calls deep: still the one frame (and mark's). */
    x.of.i32 = 300;
    every_position("count", x, (inro_value){INRO_I32, {.i32 = 0}}, 200, 2, 2, 1u << 16);
    inro_module_free(mod);
  } else {
    failed++;
  }
  build_memories(&m);
  if ((mod = load(&m))) {
    inro_value y = {INRO_I64, {.i64 = 21}};
    /* 64 + 128 + 21 ... : x + 2x + (i32)x; three pages stored of 65553. */
    every_position("mem", y, (inro_value){INRO_I64, {.i64 = 84}}, 6, 2, 2, 4u * 65536);
    inro_module_free(mod);
  } else {
    failed++;
  }
  build_simd3(&m);
  if ((mod = load(&m))) {
    x.of.i32 = 5;
    every_position("simd3", x, (inro_value){INRO_I32, {.i32 = 39}}, 300, 2, 2, 3u * 65536);
    catch_probe("simd3", x, (inro_value){INRO_I32, {.i32 = 39}}, 2, UINT64_MAX); /* an exnref */
    bounds("oob_load", 65520, 1);
    bounds("oob_load", 65521, 0);
    bounds("oob_store", 65520, 1);
    bounds("oob_store", 65521, 0);
    inro_module_free(mod);
  } else {
    failed++;
  }
  build_null_exn(&m);
  if ((mod = load(&m))) {
    migrate_needs_v2();
    inro_module_free(mod);
  } else {
    failed++;
  }
  printf("%ld PAGES sections in the migration streams\n", page_sections);
  check(page_sections > 0, "pre-copy rounds sent pages", "main", 0);
  printf("%d passed, %d failed\n", passed, failed);
  return failed ? 1 : 0;
}

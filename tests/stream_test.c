/*
** stream_test.c -- snapshots as streams and migration streams, through
** the library (tests/checkpoint.sh and tests/migrate.sh use the command
** line):
**
**   - CRC-32C: the portable code against the bit-by-bit definition, the
**     hardware instruction (where the CPU has one) against the portable
**     code on every length and alignment up to 1 KiB, the check value;
**   - a snapshot written to a stream equals the captured bytes, reads back
**     from a stream handing out random piece sizes, leaves whatever
**     follows it unread, restores and resumes to the uninterrupted result;
**     every truncation is refused; restored by copy any number of times,
**     moved once;
**   - pre-copy: tests/wat/dirty.wasm keeps writing its memory (and grows
**     it) while rounds are sent from a safe-point probe, then stops and
**     copies; the stream restores to the uninterrupted result, for 0 to 6
**     rounds and several round sizes; truncated and bit-flipped migration
**     streams are refused.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "inro.h"
#include "util/crc32c.h"

static int passed, failed;

static void check(int ok, const char *what) {
  if (ok) passed++;
  else {
    failed++;
    printf("FAIL: %s\n", what);
  }
}

static uint64_t rng = 0x9E3779B97F4A7C15ull;
static uint64_t next(void) {
  rng ^= rng >> 12;
  rng ^= rng << 25;
  rng ^= rng >> 27;
  return rng * 2685821657736338717ull;
}

/* ------------------------------------------------------------------- crc */

/* CRC-32C by its definition, a bit at a time. */
static uint32_t crc32c_bitwise(uint32_t crc, const uint8_t *p, size_t n) {
  crc = ~crc;
  for (size_t i = 0; i < n; i++) {
    crc ^= p[i];
    for (int k = 0; k < 8; k++) crc = crc & 1 ? (crc >> 1) ^ 0x82F63B78u : crc >> 1;
  }
  return ~crc;
}

static void test_crc(void) {
  const uint8_t *nine = (const uint8_t *)"123456789";
  check(crc32c(0, nine, 9) == 0xE3069283u, "crc32c check value");
  check(crc32c_portable(0, nine, 9) == 0xE3069283u, "portable crc32c check value");
  static uint8_t buf[1 << 20];
  for (size_t i = 0; i < sizeof buf; i++) buf[i] = (uint8_t)next();
  int same = 1;
  for (size_t off = 0; off < 8; off++)
    for (size_t len = 0; len <= 1024; len++)
      same &= crc32c(7, buf + off, len) == crc32c_portable(7, buf + off, len);
  same &= crc32c(0, buf, sizeof buf) == crc32c_portable(0, buf, sizeof buf);
  int defined = 1; /* the constant tables against the definition */
  for (size_t off = 0; off < 8; off++)
    for (size_t len = 0; len <= 300; len++)
      defined &= crc32c_portable(3, buf + off, len) == crc32c_bitwise(3, buf + off, len);
  check(defined, "crc32c: the portable code (its eight tables) is CRC-32C by definition");
  /* In pieces: the CRC of a whole is that of its parts in turn. */
  same &= crc32c(crc32c(0, buf, 1000), buf + 1000, 5000) == crc32c(0, buf, 6000);
  const char *hw = crc32c_hardware();
  printf("crc32c: %s\n", hw ? hw : "no hardware instruction, portable code only");
  check(same, "crc32c: hardware and portable agree");
}

/* --------------------------------------------------------- byte streams */

typedef struct sink {
  uint8_t *data;
  size_t len, cap;
  long fail_at; /* fail the write that would pass this many bytes; -1 */
} sink;

static int sink_write(void *env, const inro_iovec *iov, size_t n) {
  sink *s = env;
  for (size_t i = 0; i < n; i++) {
    if (s->fail_at >= 0 && s->len + iov[i].len > (size_t)s->fail_at) return 0;
    if (s->len + iov[i].len > s->cap) {
      s->cap = (s->len + iov[i].len) * 2;
      s->data = realloc(s->data, s->cap);
    }
    memcpy(s->data + s->len, iov[i].base, iov[i].len);
    s->len += iov[i].len;
  }
  return 1;
}

/* Hands out the bytes in pieces of random sizes. */
typedef struct source {
  const uint8_t *data;
  size_t pos, len;
} source;

static int source_read(void *env, void *buf, size_t len, size_t *got) {
  source *s = env;
  size_t n = 1 + next() % 9000;
  if (n > len) n = len;
  if (n > s->len - s->pos) n = s->len - s->pos;
  memcpy(buf, s->data + s->pos, n);
  s->pos += n;
  *got = n;
  return 1;
}

static inro_snapshot *read_bytes(const uint8_t *b, size_t len, size_t *consumed,
                                 inro_error *err) {
  source src = {b, 0, len};
  inro_snapshot *s = inro_snapshot_read(source_read, &src, err);
  if (consumed) *consumed = src.pos;
  return s;
}

/* ------------------------------------------------------ the dirty guest */

static inro_module *mod;
static const uint32_t N = 40000; /* writes of dirty.wasm's run */
static uint64_t reference;

typedef struct runner {
  /* plain snapshot at the at-th instruction */
  long count, at;
  sink plain;
  uint8_t *captured;
  size_t captured_size;
  /* pre-copy: every `every` safe points send `pages` pages; stop and copy
  ** after `rounds` rounds */
  inro_precopy *pc;
  inro_instance *inst;
  sink mig;
  unsigned every, pages, rounds, fires;
  int finished, grew_during;
  uint32_t pages_at_start;
} runner;

static int stop_plain(inro_frame *f, void *env) {
  runner *r = env;
  if (++r->count != r->at) return 1;
  inro_error err;
  if (!inro_snapshot_write(f, 1, NULL, 0, sink_write, &r->plain, &err) && r->plain.fail_at < 0)
    printf("write failed: %s\n", err.message);
  r->captured = inro_snapshot_capture(f, 1, NULL, 0, &r->captured_size, &err);
  return inro_frame_trap(f, "checkpoint taken");
}

static int precopy_tick(inro_frame *f, void *env) {
  runner *r = env;
  inro_error err;
  if (r->finished || ++r->fires % r->every) return 1;
  inro_precopy_stats st;
  inro_precopy_get_stats(r->pc, &st);
  if (st.rounds >= r->rounds) {
    if (!inro_precopy_finish(r->pc, f, NULL, 0, &err)) printf("finish failed: %s\n", err.message);
    r->finished = 1;
    r->grew_during = inro_memory_size(inro_frame_memory(f)) / INRO_PAGE_SIZE != r->pages_at_start;
    inro_precopy_get_stats(r->pc, &st);
    printf("pre-copy: %u rounds, %llu pages sent, %llu of them in the stop%s\n", st.rounds,
           (unsigned long long)st.pages_sent, (unsigned long long)st.final_pages,
           r->grew_during ? ", memory grown meanwhile" : "");
    return inro_frame_trap(f, "migrated");
  }
  if (inro_precopy_send(r->pc, r->pages, &err) < 0) printf("send failed: %s\n", err.message);
  return 1;
}

/* Run dirty.wasm's run(N) in a fresh store with r's probes (or none). */
static int run(runner *r, int precopy, uint64_t *result) {
  inro_error err;
  inro_store *s = inro_store_new(NULL, &err);
  inro_instance *inst = inro_instantiate(s, mod, NULL, 0, &err);
  inro_probe_group *g = NULL;
  if (r && precopy) {
    r->inst = inst;
    r->pc = inro_precopy_start(inst, 1, sink_write, &r->mig, &err);
    inro_extern m;
    inro_instance_export(inst, "mem", &m);
    r->pages_at_start = (uint32_t)(inro_memory_size(m.of.memory) / INRO_PAGE_SIZE);
    g = inro_probe_safepoints(inst, precopy_tick, r, &err);
  } else if (r) {
    inro_probe_global(inst, stop_plain, r, &err);
  }
  inro_extern e;
  inro_instance_export(inst, "run", &e);
  inro_value arg = {.type = INRO_I32}, res;
  arg.of.i32 = N;
  int ok = inro_call(s, e.of.func, &arg, 1, &res, 1, &err);
  if (ok) *result = res.of.i64;
  inro_probe_group_remove(g);
  if (r) inro_precopy_free(r->pc);
  inro_store_free(s);
  return ok;
}

/* Restore (moving the memory, or copying it) and resume; 1 with the
** result. */
static int resume_once(inro_snapshot *snap, int move, uint64_t *result) {
  inro_error err;
  inro_store *s = inro_store_new(NULL, &err);
  inro_instance *inst = move ? inro_snapshot_restore_move(s, snap, mod, NULL, 0, &err)
                             : inro_snapshot_restore(s, snap, mod, NULL, 0, &err);
  int ok = 0;
  if (inst) {
    inro_value res;
    ok = inro_snapshot_resume(s, inst, snap, &res, 1, &err);
    if (ok) *result = res.of.i64;
  }
  inro_store_free(s);
  return ok;
}

/* The snapshot moved into its instance; with `all`, first copied twice
** (a copy leaves it as it was), and a restore after the move refused. */
static int resume(inro_snapshot *snap, uint64_t *result, int all) {
  if (all) {
    uint64_t a = 0, b = 0;
    check(resume_once(snap, 0, &a) && resume_once(snap, 0, &b) && a == reference && b == a,
          "a snapshot restored by copy twice, the same each time");
  }
  int ok = resume_once(snap, 1, result);
  if (all) {
    uint64_t c;
    check(!resume_once(snap, 0, &c) && !resume_once(snap, 1, &c),
          "a snapshot whose memory moved out is not restored again");
  }
  return ok;
}

/* Every prefix of a stream must be refused; sample the middle. */
static void check_truncations(const uint8_t *b, size_t len, const char *what) {
  int refused = 1;
  for (size_t n = 0; n < len; n += n < 300 || len - n < 300 ? 1 : 1 + next() % 4096) {
    inro_error err;
    inro_snapshot *s = read_bytes(b, n, NULL, &err);
    if (s) {
      inro_snapshot_free(s);
      refused = 0;
    } else if (!strstr(err.message, "truncated")) {
      printf("    prefix %zu: %s\n", n, err.message);
      refused = 0;
    }
  }
  char msg[160];
  snprintf(msg, sizeof msg, "%s: every truncation is refused as truncated", what);
  check(refused, msg);
}

static void test_plain(void) {
  for (long at = 1000; at < 900000; at = at * 5 + 17) {
    runner r;
    memset(&r, 0, sizeof r);
    r.at = at;
    r.plain.fail_at = -1;
    uint64_t got = 0;
    if (run(&r, 0, &got)) { /* ended before `at` */
      free(r.plain.data);
      free(r.captured);
      break;
    }
    char msg[160];
    snprintf(msg, sizeof msg, "plain @%ld: the stream equals the captured bytes", at);
    check(r.captured && r.plain.len == r.captured_size &&
              !memcmp(r.plain.data, r.captured, r.plain.len), msg);
    /* Followed by other data, which the reader must leave alone. */
    size_t len = r.plain.len;
    sink_write(&r.plain, &(inro_iovec){"MORE", 4}, 1);
    size_t used = 0;
    inro_error err;
    inro_snapshot *snap = read_bytes(r.plain.data, r.plain.len, &used, &err);
    snprintf(msg, sizeof msg, "plain @%ld: read from a stream, exactly its bytes", at);
    check(snap && used == len, msg);
    snprintf(msg, sizeof msg, "plain @%ld: resumes to the uninterrupted result", at);
    check(snap && resume(snap, &got, at == 1000) && got == reference, msg);
    inro_snapshot_free(snap);
    if (at == 1000) check_truncations(r.plain.data, len, "plain");
    /* A writer failing midway fails the write, with an I/O error. */
    runner f;
    memset(&f, 0, sizeof f);
    f.at = at;
    f.plain.fail_at = (long)(len / 2);
    run(&f, 0, &got);
    check(f.plain.len < len, "a failing writer stops the snapshot");
    free(f.plain.data);
    free(f.captured);
    free(r.plain.data);
    free(r.captured);
  }
}

/* Offsets of the sections of a stream, for targeted damage. */
static size_t sections(const uint8_t *b, size_t len, size_t *at, size_t max) {
  size_t n = 0, pos = 16;
  while (pos + 16 <= len && n < max) {
    uint64_t sl = 0;
    for (int i = 0; i < 8; i++) sl |= (uint64_t)b[pos + 8 + i] << (8 * i);
    at[n++] = pos;
    pos += 16 + (size_t)sl + 4;
  }
  return n;
}

static void test_precopy(void) {
  static const unsigned setups[][3] = {/* rounds, every, pages */
    {0, 200, 4}, {1, 200, 4}, {2, 50, 2}, {3, 2000, 1}, {6, 700, 1}, {4, 1000, 64}};
  for (size_t k = 0; k < sizeof setups / sizeof setups[0]; k++) {
    runner r;
    memset(&r, 0, sizeof r);
    r.rounds = setups[k][0];
    r.every = setups[k][1];
    r.pages = setups[k][2];
    r.mig.fail_at = -1;
    uint64_t got = 0;
    char msg[200];
    run(&r, 1, &got);
    snprintf(msg, sizeof msg, "pre-copy %u rounds (%u pages every %u safe points): stopped and copied%s",
             r.rounds, r.pages, r.every, r.grew_during ? ", memory grown meanwhile" : "");
    check(r.finished, msg);
    inro_error err;
    size_t used = 0;
    inro_snapshot *snap = read_bytes(r.mig.data, r.mig.len, &used, &err);
    if (!snap) printf("    %s\n", err.message);
    snprintf(msg, sizeof msg, "pre-copy %u rounds: the stream resumes to the uninterrupted result",
             r.rounds);
    check(snap && used == r.mig.len && resume(snap, &got, 0) && got == reference, msg);
    inro_snapshot_free(snap);
    if (k == 3) {
      check_truncations(r.mig.data, r.mig.len, "migration stream");
      /* A flipped bit in each section: refused (the CRC) */
      size_t at[4096], n = sections(r.mig.data, r.mig.len, at, 4096);
      int refused = n > 8;
      for (size_t i = 0; i < n; i++) {
        size_t pos = at[i] + 16 + next() % 8;
        if (pos >= r.mig.len) continue;
        r.mig.data[pos] ^= 0x10;
        inro_snapshot *bad = read_bytes(r.mig.data, r.mig.len, NULL, &err);
        if (bad) refused = 0, inro_snapshot_free(bad);
        r.mig.data[pos] ^= 0x10;
      }
      check(refused, "migration stream: a flipped bit in any section is refused");
    }
    free(r.mig.data);
  }
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: stream_test dirty.wasm\n");
    return 2;
  }
  FILE *fp = fopen(argv[1], "rb");
  if (!fp) {
    perror(argv[1]);
    return 1;
  }
  static uint8_t bytes[1 << 16];
  size_t size = fread(bytes, 1, sizeof bytes, fp);
  fclose(fp);
  inro_error err;
  mod = inro_module_new(bytes, size, &err);
  if (!mod) {
    fprintf(stderr, "stream_test: %s\n", err.message);
    return 1;
  }
  test_crc();
  check(run(NULL, 0, &reference), "the uninterrupted run");
  test_plain();
  test_precopy();
  inro_module_free(mod);
  printf("%d passed, %d failed\n", passed, failed);
  return failed ? 1 : 0;
}

/*
** snapshot_test.c -- checkpoint a running instance at many positions,
** restore each snapshot into a fresh store and resume: the result must be
** the uninterrupted run's.  Then corrupt snapshots (truncation, bit flips,
** and flips with re-computed checksums so the parser sees "valid" garbage):
** every truncated snapshot and every one whose checksums no longer match
** must be refused; the valid garbage must fail cleanly or run to an end,
** never crash.  And the CRC-32C table against a bitwise computation.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "inro.h"
#include "util/crc32c.h"
#include "stopper.h"

static int passed, failed;
static uint8_t *modbytes;
static size_t modsize;
static inro_module *mod;

static void check(int ok, const char *what) {
  if (ok) passed++;
  else {
    failed++;
    printf("FAIL: %s\n", what);
  }
}

static inro_value arg;

/* Run `run(arg)` in a new store; at instruction `at` (1-based) take a
** snapshot and stop.  Returns the snapshot, or NULL if the run ended. */

static int run_fresh(long at, stopper *st, inro_value *result) {
  inro_error err;
  inro_store *s = inro_store_new(NULL, &err);
  inro_instance *inst = inro_instantiate(s, mod, NULL, 0, &err);
  memset(st, 0, sizeof *st);
  st->at = at;
  if (at) inro_probe_global(inst, count_and_stop, st, &err);
  inro_extern e;
  inro_instance_export(inst, "run", &e);
  int ok = inro_call(s, e.of.func, &arg, 1, result, 1, &err);
  inro_store_free(s);
  return ok;
}

/* A probe budget so a resumed garbage state cannot run for ever. */
static int budget(inro_frame *f, void *env) {
  long *left = env;
  return --*left < 0 ? inro_frame_trap(f, "budget exhausted") : 1;
}

/* Does the snapshot open and restore (before anything runs)? */
static int accepted(const uint8_t *bytes, size_t size) {
  inro_error err;
  inro_snapshot *snap = inro_snapshot_open(bytes, size, &err);
  if (!snap) return 0;
  inro_store *s = inro_store_new(NULL, &err);
  int ok = inro_snapshot_restore(s, snap, mod, NULL, 0, &err) != NULL;
  inro_store_free(s);
  inro_snapshot_free(snap);
  return ok;
}

static int resume(const uint8_t *bytes, size_t size, inro_value *result, long limit) {
  inro_error err;
  inro_snapshot *snap = inro_snapshot_open(bytes, size, &err);
  if (!snap) return 0;
  inro_store *s = inro_store_new(NULL, &err);
  inro_instance *inst = inro_snapshot_restore(s, snap, mod, NULL, 0, &err);
  int ok = 0;
  if (inst) {
    long left = limit;
    if (limit) inro_probe_global(inst, budget, &left, &err);
    ok = inro_snapshot_resume(s, inst, snap, result, 1, &err);
  }
  inro_store_free(s);
  inro_snapshot_free(snap);
  return ok;
}

static uint64_t rng = 0x9E3779B97F4A7C15ull;
static uint64_t next(void) {
  rng ^= rng >> 12;
  rng ^= rng << 25;
  rng ^= rng >> 27;
  return rng * 2685821657736338717ull;
}

/* CRC-32C one bit at a time, as docs/snapshot-format.md defines it. */
static uint32_t crc32c_bitwise(const uint8_t *p, size_t n) {
  uint32_t c = 0xFFFFFFFFu;
  for (size_t i = 0; i < n; i++) {
    c ^= p[i];
    for (int k = 0; k < 8; k++) c = c & 1 ? (c >> 1) ^ 0x82F63B78u : c >> 1;
  }
  return ~c;
}

static void check_crc32c(void) {
  check(crc32c(0, (const uint8_t *)"123456789", 9) == 0xE3069283u,
        "crc32c(\"123456789\") is 0xE3069283");
  /* A single byte b reads table entry 0xFF ^ b: all 256 entries. */
  int same = 1;
  for (unsigned b = 0; b < 256; b++) {
    uint8_t byte = (uint8_t)b;
    if (crc32c(0, &byte, 1) != crc32c_bitwise(&byte, 1)) same = 0;
  }
  check(same, "every entry of the crc32c table");
}

/* Recompute every section's CRC so that mutations reach the parser. */
static void fix_crcs(uint8_t *b, size_t size) {
  size_t pos = 16;
  while (pos + 16 <= size) {
    uint64_t len = 0;
    for (int i = 0; i < 8; i++) len |= (uint64_t)b[pos + 8 + i] << (8 * i);
    pos += 16;
    if (len > size - pos || size - pos - len < 4) return;
    uint32_t c = crc32c(0, b + pos, (size_t)len);
    pos += (size_t)len;
    for (int i = 0; i < 4; i++) b[pos + i] = (uint8_t)(c >> (8 * i));
    pos += 4;
  }
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: snapshot_test snap.wasm\n");
    return 2;
  }
  FILE *fp = fopen(argv[1], "rb");
  if (!fp) { perror(argv[1]); return 1; }
  modbytes = malloc(1 << 16);
  modsize = fread(modbytes, 1, 1 << 16, fp);
  fclose(fp);
  inro_error err;
  mod = inro_module_new(modbytes, modsize, &err);
  if (!mod) { fprintf(stderr, "snapshot_test: %s\n", err.message); return 1; }
  arg.type = INRO_I32;
  arg.of.i32 = 300;

  check_crc32c();
  stopper st;
  inro_value want, got;
  check(run_fresh(0, &st, &want), "uninterrupted run");
  /* Count the run's instructions, then checkpoint at 20 spread positions. */
  run_fresh(1L << 40, &st, &got);
  long total = st.count;
  check(total > 1000, "instruction count of the run");
  uint8_t *keep = NULL;
  size_t keep_size = 0;
  for (int k = 0; k < 20; k++) {
    long at = 1 + (total - 1) * k / 19;
    int ended = run_fresh(at, &st, &got);
    char what[96];
    snprintf(what, sizeof what, "checkpoint at instruction %ld of %ld", at, total);
    check(!ended && st.snap != NULL, what);
    if (!st.snap) continue;
    inro_value r;
    memset(&r, 0, sizeof r);
    snprintf(what, sizeof what, "resume from instruction %ld gives the same result", at);
    check(resume(st.snap, st.size, &r, 0) && r.of.i32 == want.of.i32, what);
    if (k == 10) {
      keep = st.snap;
      keep_size = st.size;
    } else {
      free(st.snap);
    }
  }

  /* Truncated snapshots: every one refused (the END section is gone). */
  long cases = 0, refused = 0;
  uint8_t *buf = malloc(keep_size), *fixed = malloc(keep_size);
  for (size_t n = 0; n < keep_size; n += 1 + n / 64) {
    memcpy(buf, keep, n);
    cases++;
    if (!accepted(buf, n)) refused++;
    else if (cases - refused <= 5) printf("FAIL: truncated to %zu of %zu bytes: accepted\n", n, keep_size);
  }
  printf("truncations: %ld cases, %ld refused\n", cases, refused);
  check(refused == cases, "every truncated snapshot is refused");
  /* Bit flips.  Where a section's CRC no longer matches its payload, the
  ** snapshot is corrupted and must be refused; where the CRCs were
  ** recomputed (or the flips hit only section headers, which the CRC does
  ** not cover), the parser sees it: it must fail cleanly or run to an end
  ** within a budget, never crash. */
  long corrupted = 0, corrupted_refused = 0, garbage = 0;
  for (int i = 0; i < 3000; i++) {
    memcpy(buf, keep, keep_size);
    int nflip = 1 + (int)(next() % 4);
    for (int k = 0; k < nflip; k++) buf[next() % keep_size] ^= (uint8_t)(1u << (next() % 8));
    if (i % 2) fix_crcs(buf, keep_size);
    memcpy(fixed, buf, keep_size);
    fix_crcs(fixed, keep_size);
    if (memcmp(fixed, buf, keep_size)) {
      corrupted++;
      if (!accepted(buf, keep_size)) corrupted_refused++;
      else if (corrupted - corrupted_refused <= 5) printf("FAIL: corrupted case %d: accepted\n", i);
    } else {
      inro_value r;
      garbage++;
      (void)resume(buf, keep_size, &r, 100000); /* any outcome but a crash */
    }
  }
  printf("bit flips: %ld corrupted, %ld refused; %ld with valid checksums "
         "ran without a crash\n", corrupted, corrupted_refused, garbage);
  check(corrupted > 1000 && corrupted_refused == corrupted, "every corrupted snapshot is refused");
  check(garbage > 1000, "half the flips reach the parser with valid checksums");
  free(fixed);
  free(buf);
  free(keep);
  inro_module_free(mod);
  free(modbytes);
  printf("%d passed, %d failed\n", passed, failed);
  return failed != 0;
}

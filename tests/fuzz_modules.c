/*
** fuzz_modules.c -- robustness of decoding and instantiation on bad bytes.
**
** usage: fuzz_modules [--seed N] [--flips N] FILE.json|FILE.wasm...
**
** The modules are the .wasm files given, plus the files of the "module"
** commands of each wast2json script given (all valid modules).  For each:
**
**  1. Truncation.  Every prefix of length 0..len-1 is decoded and must be
**     rejected as malformed (or as unsupported, when what comes before the
**     cut needs GC or SIMD) -- except a prefix that ends exactly where a
**     section ends, which is a shorter module and may load (or be rejected
**     as malformed or invalid).  Modules longer than MAX_CUTS bytes are cut
**     at a stride that keeps about MAX_CUTS cuts, plus every offset near a
**     section boundary, so the test stays quick (decoding each prefix makes
**     the cost quadratic in the module size).
**  2. Mutation.  `flips` copies get 1..4 random bytes XORed with random
**     non-zero values (xorshift64*, seeded from --seed and the module's
**     bytes, so a module gets the same cases whatever the file order).
**     Each must load or fail with a clean error.  One that loads, has no
**     imports, no start function and small memory and table minimums is
**     also instantiated (any error is fine).  No function is ever called,
**     so no case can loop forever.
**  3. SIMD immediates.  In each function body (read with the library's
**     instruction reader), every lane index of a v128 instruction
**     (extract/replace_lane, the lane loads and stores) and every index of
**     an i8x16.shuffle is set, one at a time, to a random value out of
**     range: the module must be refused as invalid with "invalid lane
**     index".  Set to a random value in range, it must still load.
**
** Every prefix or mutant lives in a buffer of exactly its size, so under
** AddressSanitizer any read past the end is caught.  Each module is one
** test; the last line is "P passed, F failed".  The modules must cover
** what WebAssembly 3.0 added to the binary format: a line counts those
** with a tag section, 64-bit limits, exnref types, recursion groups and
** the new instructions (try_table, return_call...), and a kind of which
** the corpus has none is one more failure.
*/
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "inro.h"
#include "binary/instr.h"
#include "platform/platform.h"
#include "util/json.h"

#define MAX_CUTS 8192
#define MAX_REPORTS 5          /* failure lines printed per module */
#define MAX_MEM_PAGES 256      /* instantiate only below these minimums */
#define MAX_TABLE_ELEMS 65536

/* What of WebAssembly 3.0 the corpus holds (see walk). */
enum { HAS_TAGS, HAS_LIMITS64, HAS_EXNREF, HAS_REC, HAS_NEWOPS, NHAS };
static const char *const has_names[NHAS] = {
  "a tag section", "64-bit limits", "exnref types", "recursion groups",
  "3.0 instructions"};

typedef struct fuzz {
  uint64_t seed;
  long flips;
  long modules, failed_modules;
  long cuts, mutants, loaded, instantiated;  /* cases tried, for the log */
  long lanes;                                /* SIMD lane mutants */
  long has[NHAS];
} fuzz;

/* One module under test. */
typedef struct subject {
  const char *path;
  const uint8_t *bytes;
  size_t len;
  int failures;
} subject;

static uint64_t xorshift(uint64_t *state) {
  uint64_t x = *state;
  x ^= x >> 12;
  x ^= x << 25;
  x ^= x >> 27;
  *state = x;
  return x * 0x2545F4914F6CDD1Du;
}

static uint64_t fnv1a(const uint8_t *bytes, size_t len) {
  uint64_t h = 0xcbf29ce484222325u;
  for (size_t i = 0; i < len; i++) h = (h ^ bytes[i]) * 0x100000001b3u;
  return h;
}

static int report(subject *s, const char *what, size_t n, const char *why) {
  if (s->failures++ < MAX_REPORTS)
    printf("%s: %s %zu: %s\n", s->path, what, n, why);
  return 0;
}

/* ------------------------------------------------- a minimal section walk */

/* What the test needs to know of a module's layout, read without the
** library: where sections end, and whether instantiating is harmless. */
typedef struct layout {
  uint8_t *ends;        /* ends[i] = 1 if a section (or the header) ends at i */
  int well_formed;      /* the section framing itself parsed */
  int has_start;
  uint64_t max_mem_min, max_table_min;
  int has[NHAS];
} layout;

static int leb_u64(const uint8_t *b, size_t len, size_t *pos, uint64_t *out) {
  uint64_t v = 0;
  for (unsigned shift = 0; shift < 64 && *pos < len; shift += 7) {
    uint8_t byte = b[(*pos)++];
    v |= (uint64_t)(byte & 0x7f) << shift;
    if (!(byte & 0x80)) {
      *out = v;
      return 1;
    }
  }
  return 0;
}

/* The largest `min` of a table (4) or memory (5) section's limits
** (UINT64_MAX if it cannot tell: a table with an initial value, whose
** expression this walk does not read). */
static uint64_t max_min(const uint8_t *b, size_t end, size_t pos, int table, layout *l) {
  uint64_t count, best = 0, flags, min, max, heap;
  if (!leb_u64(b, end, &pos, &count)) return UINT64_MAX;
  for (uint64_t i = 0; i < count; i++) {
    if (table && pos < end && b[pos] == 0x40) return UINT64_MAX;
    if (table && pos < end && (b[pos] == 0x63 || b[pos] == 0x64)) {
      pos++;
      if (!leb_u64(b, end, &pos, &heap)) return UINT64_MAX;
    } else if (table) {
      pos++; /* a one-byte reference type */
    }
    if (!leb_u64(b, end, &pos, &flags) || !leb_u64(b, end, &pos, &min))
      return UINT64_MAX;
    if (flags & 4) l->has[HAS_LIMITS64] = 1;
    if ((flags & 1) && !leb_u64(b, end, &pos, &max)) return UINT64_MAX;
    if (min > best) best = min;
  }
  return best;
}

/* Coverage only: exnref ((ref null exn) 0x69, (ref exn) 0x64 0x69) as a
** byte of the type section, recursion groups (0x4E opening a group), and
** in the code section the new instructions' opcodes after an opcode-like
** byte (a rough scan: it only has to find some). */
static void scan_types(const uint8_t *b, size_t pos, size_t end, layout *l) {
  uint64_t n;
  if (!leb_u64(b, end, &pos, &n)) return;
  if (pos < end && b[pos] == 0x4E) l->has[HAS_REC] = 1;
  for (; pos < end; pos++)
    if (b[pos] == 0x69 && (b[pos - 1] == 0x60 || b[pos - 1] <= 0x7F)) l->has[HAS_EXNREF] = 1;
}

static void scan_code(const uint8_t *b, size_t pos, size_t end, layout *l) {
  for (; pos + 1 < end; pos++)
    if ((b[pos] == 0x1F || b[pos] == 0x12 || b[pos] == 0x14 || b[pos] == 0xD5) &&
        (b[pos - 1] == 0x0B || b[pos - 1] == 0x1A || b[pos - 1] == 0x01))
      l->has[HAS_NEWOPS] = 1;
}

static int walk(const uint8_t *b, size_t len, layout *l) {
  memset(l, 0, sizeof *l);
  l->ends = calloc(len + 1, 1);
  if (!l->ends) return 0;
  if (len < 8) return 1;
  l->ends[8] = 1;
  size_t pos = 8;
  while (pos < len) {
    uint8_t id = b[pos++];
    uint64_t size;
    if (!leb_u64(b, len, &pos, &size) || size > len - pos) return 1;
    if (id == 8) l->has_start = 1;
    if (id == 13) l->has[HAS_TAGS] = 1;
    if (id == 1) scan_types(b, pos, pos + (size_t)size, l);
    if (id == 10) scan_code(b, pos, pos + (size_t)size, l);
    if (id == 4 || id == 5) {
      uint64_t m = max_min(b, pos + (size_t)size, pos, id == 4, l);
      uint64_t *slot = id == 4 ? &l->max_table_min : &l->max_mem_min;
      if (m > *slot) *slot = m;
    }
    pos += (size_t)size;
    l->ends[pos] = 1;
  }
  l->well_formed = 1;
  return 1;
}

/* ------------------------------------------------------------- the cases */

/* Decode bytes[0..n) from a buffer of exactly n bytes. */
static inro_module *decode(const uint8_t *bytes, size_t n, inro_error *err) {
  uint8_t *copy = malloc(n ? n : 1);
  inro_error_clear(err);
  if (!copy) {
    err->kind = INRO_ERR_NOMEM;
    return NULL;
  }
  memcpy(copy, bytes, n);
  inro_module *m = inro_module_new(copy, n, err);
  free(copy);
  return m;
}

/* The error must be one of `allowed` (a bit per inro_error_kind) and its
** message a terminated string. */
static int clean(const inro_module *m, const inro_error *err, unsigned allowed,
                 char *why, size_t whylen) {
  if (!memchr(err->message, '\0', sizeof err->message)) {
    snprintf(why, whylen, "unterminated error message");
    return 0;
  }
  if (m && err->kind != INRO_OK) {
    snprintf(why, whylen, "returned a module with error kind %d", err->kind);
    return 0;
  }
  if (!m && err->kind == INRO_OK) {
    snprintf(why, whylen, "returned NULL without an error");
    return 0;
  }
  if (!(allowed & (1u << err->kind))) {
    snprintf(why, whylen, "%s (error kind %d: %s)",
             m ? "loaded" : "wrong error", err->kind, err->message);
    return 0;
  }
  return 1;
}

#define BIT(k) (1u << (k))

/* Cut near a section boundary (its end, or the id and size bytes of the
** next one) -- always tried, even when striding. */
static int near_boundary(const layout *l, size_t off, size_t len) {
  for (size_t k = off > 0 ? off - 1 : 0; k <= off + 6 && k <= len; k++)
    if (l->ends[k]) return 1;
  return 0;
}

static void truncations(fuzz *f, subject *s, const layout *l) {
  size_t stride = s->len > MAX_CUTS ? (s->len + MAX_CUTS - 1) / MAX_CUTS : 1;
  char why[300];
  for (size_t n = 0; n < s->len; n++) {
    if (n % stride != 0 && !near_boundary(l, n, s->len)) continue;
    inro_error err;
    unsigned allowed = BIT(INRO_ERR_MALFORMED) | BIT(INRO_ERR_UNSUPPORTED);
    if (l->ends[n]) allowed |= BIT(INRO_OK) | BIT(INRO_ERR_INVALID);
    inro_module *m = decode(s->bytes, n, &err);
    f->cuts++;
    if (!clean(m, &err, allowed, why, sizeof why))
      report(s, "truncated to", n, why);
    inro_module_free(m);
  }
}

/* Instantiate a mutant that loaded, if that cannot run code or allocate
** much; whatever error comes back is fine, as long as nothing crashes.
** Returns whether it tried. */
static int try_instantiate(subject *s, const inro_module *m,
                            const uint8_t *bytes, size_t len, long k) {
  layout l;
  if (!walk(bytes, len, &l)) return 0;
  int harmless = l.well_formed && !l.has_start &&
                 l.max_mem_min <= MAX_MEM_PAGES &&
                 l.max_table_min <= MAX_TABLE_ELEMS &&
                 inro_module_import_count(m) == 0;
  free(l.ends);
  if (!harmless) return 0;
  inro_config config = {4096, 64};
  inro_error err;
  inro_error_clear(&err);
  inro_store *store = inro_store_new(&config, &err);
  if (!store) return report(s, "mutant", (size_t)k, "cannot create a store");
  inro_instance *inst = inro_instantiate(store, m, NULL, 0, &err);
  if (!inst && err.kind == INRO_OK)
    report(s, "mutant", (size_t)k, "instantiation failed without an error");
  if (!memchr(err.message, '\0', sizeof err.message))
    report(s, "mutant", (size_t)k, "unterminated instantiation error");
  inro_store_free(store);
  return 1;
}

static void mutations(fuzz *f, subject *s) {
  uint64_t state = (f->seed ^ fnv1a(s->bytes, s->len)) | 1;
  uint8_t *copy = malloc(s->len ? s->len : 1);
  char why[300];
  if (!copy || s->len == 0) {
    free(copy);
    return;
  }
  unsigned allowed = BIT(INRO_OK) | BIT(INRO_ERR_MALFORMED) |
                     BIT(INRO_ERR_INVALID) | BIT(INRO_ERR_UNSUPPORTED);
  for (long k = 0; k < f->flips; k++) {
    memcpy(copy, s->bytes, s->len);
    int nflips = 1 + (int)(xorshift(&state) % 4);
    for (int i = 0; i < nflips; i++) {
      /* Two statements: the order of two calls in one expression is
      ** unspecified, and the cases must not depend on the compiler. */
      size_t at = (size_t)(xorshift(&state) % s->len);
      copy[at] ^= (uint8_t)(1 + xorshift(&state) % 255);
    }
    inro_error err;
    inro_module *m = decode(copy, s->len, &err);
    f->mutants++;
    if (!clean(m, &err, allowed, why, sizeof why))
      report(s, "mutant", (size_t)k, why);
    if (m) {
      f->loaded++;
      f->instantiated += try_instantiate(s, m, copy, s->len, k);
    }
    inro_module_free(m);
  }
  free(copy);
}

/* ------------------------------------------------------ SIMD immediates */

/* Lanes an index byte of op may name: the lane count of its shape, or
** for a shuffle (two vectors) 32. */
static unsigned lane_count(int op) {
  const char *t = op_table[op].text;
  if (op_table[op].imm == IMM_SHUFFLE) return 32;
  if (op_table[op].imm == IMM_MEMARG_LANE) { /* v128.loadN_lane: 128 / N */
    const char *p = t + 5;
    while (*p && (*p < '0' || *p > '9')) p++;
    return 128u / (unsigned)atoi(p);
  }
  return 128u / (unsigned)atoi(t + 1); /* i8x16 -> 16, f64x2 -> 2 */
}

/* Mutate one index byte at `at` (of an instruction with `lanes` lanes) to
** an invalid value, then to a valid one. */
static void lane_case(fuzz *f, subject *s, uint8_t *copy, size_t at, unsigned lanes,
                      uint64_t *state) {
  char why[300];
  uint8_t keep = copy[at];
  for (int valid = 0; valid < 2; valid++) {
    copy[at] = valid ? (uint8_t)(xorshift(state) % lanes)
                     : (uint8_t)(lanes + xorshift(state) % (256 - lanes));
    inro_error err;
    inro_module *m = decode(copy, s->len, &err);
    f->lanes++;
    why[0] = '\0';
    int ok = valid ? clean(m, &err, BIT(INRO_OK), why, sizeof why)
                   : clean(m, &err, BIT(INRO_ERR_INVALID), why, sizeof why) &&
                         strstr(err.message, "invalid lane index");
    if (!ok) {
      if (!valid && m == NULL && why[0] == 0) snprintf(why, sizeof why, "%s", err.message);
      report(s, valid ? "lane index in range at" : "lane index out of range at", at, why);
    }
    inro_module_free(m);
  }
  copy[at] = keep;
}

/* Every lane index byte in the code section of a valid module. */
static void lane_mutations(fuzz *f, subject *s) {
  const uint8_t *b = s->bytes;
  size_t pos = 8;
  uint64_t state = (f->seed ^ fnv1a(b, s->len) ^ 0x5BD1E995u) | 1;
  uint8_t *copy = malloc(s->len ? s->len : 1);
  if (!copy) return;
  memcpy(copy, b, s->len);
  while (pos < s->len) {
    uint8_t id = b[pos++];
    uint64_t size, count, body;
    if (!leb_u64(b, s->len, &pos, &size) || size > s->len - pos) break;
    size_t end = pos + (size_t)size;
    if (id != 10 || !leb_u64(b, end, &pos, &count)) {
      pos = end;
      continue;
    }
    for (uint64_t i = 0; i < count && leb_u64(b, end, &pos, &body) && body <= end - pos; i++) {
      reader r = {b, pos, pos + (size_t)body, NULL, 0};
      instr in;
      instr_skip_locals(&r);
      while (!r.failed && r.pos < r.end && instr_read(&r, &in) >= 0) {
        op_imm imm = op_table[in.op].imm;
        if (imm == IMM_LANE || imm == IMM_MEMARG_LANE) {
          lane_case(f, s, copy, r.pos - 1, lane_count(in.op), &state);
        } else if (imm == IMM_SHUFFLE) {
          lane_case(f, s, copy, r.pos - 16 + (size_t)(xorshift(&state) % 16), 32, &state);
        }
      }
      pos += (size_t)body;
    }
    pos = end;
  }
  free(copy);
}

static void test_module(fuzz *f, const char *path) {
  char why[128];
  subject s = {path, NULL, 0, 0};
  uint8_t *bytes = plat_read_file(path, &s.len, why, sizeof why);
  layout l = {NULL, 0, 0, 0, 0, {0}};
  f->modules++;
  s.bytes = bytes;
  if (!bytes) {
    printf("%s: cannot read: %s\n", path, why);
    s.failures++;
  } else if (!walk(bytes, s.len, &l)) {
    printf("%s: out of memory\n", path);
    s.failures++;
  } else {
    for (int k = 0; k < NHAS; k++) f->has[k] += l.has[k];
    truncations(f, &s, &l);
    mutations(f, &s);
    lane_mutations(f, &s);
  }
  free(l.ends);
  free(bytes);
  if (s.failures) {
    f->failed_modules++;
    if (s.failures > MAX_REPORTS)
      printf("%s: ... %d failures in all\n", path, s.failures);
  }
}

/* Test the module of every "module" command of a wast2json script. */
static void test_script(fuzz *f, const char *path) {
  char why[200];
  size_t len, dirlen = 0;
  uint8_t *text = plat_read_file(path, &len, why, sizeof why);
  json_value *root = text ? json_parse((const char *)text, len, why, sizeof why)
                          : NULL;
  free(text);
  const json_value *cmds = json_get(root, "commands");
  if (!cmds) {
    printf("%s: cannot use: %s\n", path, root ? "no commands" : why);
    f->modules++;
    f->failed_modules++;
    json_free(root);
    return;
  }
  for (const char *p = path; *p; p++)
    if (*p == '/' || *p == '\\') dirlen = (size_t)(p - path) + 1;
  for (size_t i = 0; i < json_array_len(cmds); i++) {
    const char *type = json_get_string(json_at(cmds, i), "type");
    const char *file = json_get_string(json_at(cmds, i), "filename");
    if (!type || strcmp(type, "module") || !file) continue;
    size_t flen = strlen(file);
    char *full = malloc(dirlen + flen + 1);
    if (!full) continue;
    memcpy(full, path, dirlen);
    memcpy(full + dirlen, file, flen + 1);
    test_module(f, full);
    free(full);
  }
  json_free(root);
}

static int ends_with(const char *s, const char *suffix) {
  size_t n = strlen(s), k = strlen(suffix);
  return n >= k && !strcmp(s + n - k, suffix);
}

/* A non-negative decimal option value. */
static int number(const char *s, uint64_t *out) {
  uint64_t v = 0;
  if (!s || !*s) return 0;
  for (; *s; s++) {
    if (*s < '0' || *s > '9' || v > (UINT64_MAX - 9) / 10) return 0;
    v = v * 10 + (uint64_t)(*s - '0');
  }
  *out = v;
  return 1;
}

int main(int argc, char **argv) {
  fuzz f = {0x9E3779B97F4A7C15u, 256, 0, 0, 0, 0, 0, 0, 0, {0}};
  int first = 1;
  for (; first < argc && argv[first][0] == '-'; first += 2) {
    uint64_t v;
    int ok = first + 1 < argc && number(argv[first + 1], &v);
    if (ok && !strcmp(argv[first], "--seed")) f.seed = v;
    else if (ok && !strcmp(argv[first], "--flips") && v <= 1000000)
      f.flips = (long)v;
    else break;
  }
  if (first >= argc || argv[first][0] == '-') {
    fprintf(stderr, "usage: fuzz_modules [--seed N] [--flips N] "
                    "FILE.json|FILE.wasm...\n");
    return 2;
  }
  for (int i = first; i < argc; i++) {
    if (ends_with(argv[i], ".json")) test_script(&f, argv[i]);
    else test_module(&f, argv[i]);
  }
  printf("fuzz_modules: %ld modules: %ld truncations, %ld mutants (%ld "
         "loaded, %ld instantiated), %ld SIMD lane indices; seed %llu, %ld flips per module\n",
         f.modules, f.cuts, f.mutants, f.loaded, f.instantiated, f.lanes,
         (unsigned long long)f.seed, f.flips);
  long missing = 0;
  printf("fuzz_modules: of WebAssembly 3.0,");
  for (int k = 0; k < NHAS; k++) printf("%s %ld with %s", k ? "," : "", f.has[k], has_names[k]);
  printf("\n");
  for (int k = 0; k < NHAS; k++)
    if (!f.has[k]) {
      printf("FAIL: no module of the corpus has %s\n", has_names[k]);
      missing++;
    }
  printf("%ld passed, %ld failed\n", f.modules - f.failed_modules,
         f.failed_modules + missing);
  return f.failed_modules || missing ? 1 : 0;
}

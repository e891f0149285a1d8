/*
** forms_test.c -- every operand form of the IR (exec/ir.h) against the
** plain form of the same instruction.
**
** For each instruction of the opcode table it builds a module whose
** functions compute the instruction with its operands arranged so that
** the translator picks each form in turn: operands in locals (the SS
** form), one of them computed by the instruction just before (R), the
** comparison as the condition of a br_if or an if (the jump forms), a
** load's address added just before it or fetched from memory (the SS,
** SR and X loads), a store's value just computed; then it calls them on
** edge values and checks that each gives what the first one gives: the
** same bits, or the same trap.  The operands that make R are identities
** (x + 0, x | 0, -(-x)), so every function computes the same thing.  A
** switch loop whose cases jump back in many ways exercises SWITCH and
** every copy of JMP_SWITCH_ADD.  With `make irstats`, this and the spec
** suite together run every op of the IR (tests/ir_coverage.sh).
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "binary/opcodes.h"
#include "exec/ir.h"
#include "inro.h"

static int passed, failed;

static void check(int ok, const char *what, const char *op, int input) {
  if (ok) {
    passed++;
    return;
  }
  failed++;
  if (failed <= 50) printf("FAIL: %s: %s (input %d)\n", op, what, input);
}

/* ------------------------------------------------------------ bytes */

typedef struct buf {
  uint8_t b[8192];
  size_t n;
} buf;

static void put(buf *o, uint8_t v) {
  if (o->n < sizeof o->b) o->b[o->n++] = v;
}
static void put_u(buf *o, uint64_t v) {
  do {
    uint8_t c = v & 0x7F;
    v >>= 7;
    put(o, (uint8_t)(c | (v ? 0x80 : 0)));
  } while (v);
}
static void put_s(buf *o, int64_t v) {
  for (;;) {
    uint8_t c = v & 0x7F;
    v >>= 7; /* arithmetic on gcc and clang; values here are small */
    int done = (v == 0 && !(c & 0x40)) || (v == -1 && (c & 0x40));
    put(o, (uint8_t)(c | (done ? 0 : 0x80)));
    if (done) return;
  }
}
static void put_buf(buf *o, const buf *in) {
  for (size_t i = 0; i < in->n; i++) put(o, in->b[i]);
}
static void section(buf *m, uint8_t id, const buf *body) {
  put(m, id);
  put_u(m, body->n);
  put_buf(m, body);
}
static void put_op(buf *o, unsigned opcode) {
  if (opcode > 0xFF) {
    put(o, 0xFC);
    put_u(o, opcode & 0xFF);
  } else {
    put(o, (uint8_t)opcode);
  }
}

/* ------------------------------------------------------------ types */

static uint8_t valtype(char c) {
  switch (c) {
  case 'i': return 0x7F;
  case 'I': return 0x7E;
  case 'f': return 0x7D;
  default: return 0x7C;
  }
}
static inro_valtype api_type(char c) {
  switch (c) {
  case 'i': return INRO_I32;
  case 'I': return INRO_I64;
  case 'f': return INRO_F32;
  default: return INRO_F64;
  }
}

/* An instruction sequence that leaves the value on top unchanged, but
** computed (so the next instruction finds it in R). */
static void identity(buf *o, char t) {
  switch (t) {
  case 'i': put(o, 0x41); put_s(o, 0); put(o, 0x72); break; /* i32.or 0 */
  case 'I': put(o, 0x42); put_s(o, 0); put(o, 0x84); break; /* i64.or 0 */
  case 'f': put(o, 0x8C); put(o, 0x8C); break;              /* f32.neg twice */
  default: put(o, 0x9A); put(o, 0x9A); break;               /* f64.neg twice */
  }
}

/* ---------------------------------------------------------- modules */

#define MAX_FUNCS 16
typedef struct fn {
  char params[4], result; /* type letters; result 0: none */
  buf body;               /* instructions, without locals and end */
} fn;

/* A module of the functions, exported as "f0", "f1", ..., with one page of
** memory holding data[]. */
static inro_module *build(const fn *fs, int n, const uint8_t *data, size_t ndata) {
  buf m = {{0}, 0}, s = {{0}, 0};
  static const uint8_t head[8] = {0, 'a', 's', 'm', 1, 0, 0, 0};
  for (int i = 0; i < 8; i++) put(&m, head[i]);
  put_u(&s, (uint64_t)n); /* one type per function */
  for (int i = 0; i < n; i++) {
    put(&s, 0x60);
    size_t np = strlen(fs[i].params);
    put_u(&s, np);
    for (size_t k = 0; k < np; k++) put(&s, valtype(fs[i].params[k]));
    put_u(&s, fs[i].result ? 1 : 0);
    if (fs[i].result) put(&s, valtype(fs[i].result));
  }
  section(&m, 1, &s);
  s.n = 0;
  put_u(&s, (uint64_t)n);
  for (int i = 0; i < n; i++) put_u(&s, (uint64_t)i);
  section(&m, 3, &s);
  s.n = 0;
  put(&s, 1), put(&s, 0), put(&s, 1); /* one memory, min 1 page */
  section(&m, 5, &s);
  s.n = 0;
  put_u(&s, (uint64_t)n);
  for (int i = 0; i < n; i++) {
    char name[16];
    snprintf(name, sizeof name, "f%d", i % 100);
    put_u(&s, strlen(name));
    for (const char *p = name; *p; p++) put(&s, (uint8_t)*p);
    put(&s, 0), put_u(&s, (uint64_t)i);
  }
  section(&m, 7, &s);
  s.n = 0;
  put_u(&s, (uint64_t)n);
  for (int i = 0; i < n; i++) {
    buf b = {{0}, 0};
    put(&b, 1), put(&b, 2), put(&b, 0x7F); /* two i32 locals */
    put_buf(&b, &fs[i].body);
    put(&b, 0x0B);
    put_u(&s, b.n);
    put_buf(&s, &b);
  }
  section(&m, 10, &s);
  if (ndata) {
    s.n = 0;
    put(&s, 1), put(&s, 0), put(&s, 0x41), put_s(&s, 0), put(&s, 0x0B);
    put_u(&s, ndata);
    for (size_t i = 0; i < ndata; i++) put(&s, data[i]);
    section(&m, 11, &s);
  }
  inro_error err;
  inro_module *mod = inro_module_new(m.b, m.n, &err);
  if (!mod) printf("FAIL: a generated module does not load: %s\n", err.message);
  return mod;
}

/* The outcome of a call: its result bits, or the trap's message. */
typedef struct outcome {
  int trapped;
  uint64_t bits;
  char message[sizeof ((inro_error *)0)->message];
} outcome;

static outcome call(inro_store *st, inro_instance *inst, int f, const fn *sig,
                    const uint64_t *args) {
  outcome o;
  memset(&o, 0, sizeof o);
  char name[16];
  snprintf(name, sizeof name, "f%d", f % 100);
  inro_extern ext;
  if (!inro_instance_export(inst, name, &ext)) {
    o.trapped = 1;
    snprintf(o.message, sizeof o.message, "no export %s", name);
    return o;
  }
  inro_value in[4], out;
  size_t np = strlen(sig->params);
  for (size_t k = 0; k < np; k++) {
    in[k].type = api_type(sig->params[k]);
    in[k].of.i64 = args[k];
    if (sig->params[k] == 'i' || sig->params[k] == 'f') in[k].of.i32 = (uint32_t)args[k];
  }
  inro_error err;
  if (!inro_call(st, ext.of.func, in, np, &out, sig->result ? 1 : 0, &err)) {
    o.trapped = 1;
    snprintf(o.message, sizeof o.message, "%s", err.message);
    return o;
  }
  if (sig->result) o.bits = sig->result == 'i' || sig->result == 'f' ? out.of.i32 : out.of.i64;
  return o;
}

static int is_nan(char t, uint64_t b) {
  if (t == 'f') return (b & 0x7F800000u) == 0x7F800000u && (b & 0x7FFFFFu);
  if (t == 'F') return (b & 0x7FF0000000000000ull) == 0x7FF0000000000000ull &&
                       (b & 0xFFFFFFFFFFFFFull);
  return 0;
}

/* Whether b gives what a gives (a NaN's payload may differ: Wasm leaves
** it open when both operands of a commutative operator are NaNs). */
static int same(const outcome *a, const outcome *b, char t) {
  if (a->trapped || b->trapped) return a->trapped == b->trapped && !strcmp(a->message, b->message);
  return a->bits == b->bits || (is_nan(t, a->bits) && is_nan(t, b->bits));
}

/* Instantiate the module of fs and call every function on every input
** (nin rows of fs[0]'s arity), comparing with function 0. */
static void run_all(const char *op, const fn *fs, int n, const uint64_t (*in)[3], int nin,
                    const uint8_t *data, size_t ndata) {
  inro_module *m = build(fs, n, data, ndata);
  if (!m) {
    failed++;
    return;
  }
  inro_error err;
  inro_store *st = inro_store_new(NULL, &err);
  for (int i = 0; i < nin; i++) {
    inro_instance *inst = inro_instantiate(st, m, NULL, 0, &err); /* fresh memory */
    if (!inst) {
      printf("FAIL: %s: instantiate: %s\n", op, err.message);
      failed++;
      break;
    }
    outcome ref = call(st, inst, 0, &fs[0], in[i]);
    for (int f = 1; f < n; f++) {
      inst = inro_instantiate(st, m, NULL, 0, &err);
      outcome o = call(st, inst, f, &fs[f], in[i]);
      char what[32];
      snprintf(what, sizeof what, "form %d differs", f);
      check(same(&ref, &o, fs[0].result), what, op, i);
    }
  }
  inro_store_free(st);
  inro_module_free(m);
}

/* ------------------------------------------------------------ inputs */

static const uint64_t ints32[] = {0, 1, 2, 0xFFFFFFFF, 0x7FFFFFFF, 0x80000000, 31, 33, 0x12345678};
static const uint64_t ints64[] = {0, 1, 2, ~0ull, 0x7FFFFFFFFFFFFFFFull, 0x8000000000000000ull,
                                  63, 65, 0x123456789ABCDEFull};
static const uint64_t f32s[] = {0, 0x80000000u, 0x3F800000u, 0xBFC00000u, 0x7F800000u,
                                0xFF800000u, 0x7FC00000u, 0x40500000u, 0x00000001u};
static const uint64_t f64s[] = {0, 0x8000000000000000ull, 0x3FF0000000000000ull,
                                0xBFF8000000000000ull, 0x7FF0000000000000ull,
                                0xFFF0000000000000ull, 0x7FF8000000000000ull,
                                0x400A000000000000ull, 0x0000000000000001ull};
#define NVALUES 9

static const uint64_t *values(char t) {
  switch (t) {
  case 'i': return ints32;
  case 'I': return ints64;
  case 'f': return f32s;
  default: return f64s;
  }
}

/* ------------------------------------------------------- instructions */

static void binary_op(const char *text, unsigned opcode, const char *sig) {
  char a = sig[0], b = sig[1], r = sig[3];
  int compare = 0;
  for (unsigned op = 0; op < OP_COUNT; op++)
    if (op_table[op].code == opcode) compare = ir_form[op].jss != 0;
  fn fs[MAX_FUNCS];
  int n = 0;
  memset(fs, 0, sizeof fs);
  for (int shape = 0; shape < (compare ? 8 : 4); shape++) {
    fn *f = &fs[n++];
    f->params[0] = a, f->params[1] = b, f->result = compare ? 'i' : r;
    buf *o = &f->body;
    int jump = shape >= 4, ra = shape & 1, rb = shape & 2;
    if (jump) put(o, 0x02), put(o, 0x40); /* block */
    put(o, 0x20), put_u(o, 0);
    if (ra) identity(o, a);
    put(o, 0x20), put_u(o, 1);
    if (rb) identity(o, b);
    put_op(o, opcode);
    if (jump) { /* br_if 0; i32.const 0; return; end; i32.const 1 */
      put(o, 0x0D), put_u(o, 0);
      put(o, 0x41), put_s(o, 0), put(o, 0x0F), put(o, 0x0B);
      put(o, 0x41), put_s(o, 1);
    }
  }
  if (compare) { /* as the condition of an if: the negated jump */
    fn *f = &fs[n++];
    f->params[0] = a, f->params[1] = b, f->result = 'i';
    buf *o = &f->body;
    put(o, 0x20), put_u(o, 0), put(o, 0x20), put_u(o, 1), identity(o, b);
    put_op(o, opcode);
    put(o, 0x04), put(o, 0x7F), put(o, 0x41), put_s(o, 1), put(o, 0x05);
    put(o, 0x41), put_s(o, 0), put(o, 0x0B);
  }
  uint64_t in[NVALUES * NVALUES][3];
  const uint64_t *va = values(a), *vb = values(b);
  for (int i = 0; i < NVALUES; i++)
    for (int k = 0; k < NVALUES; k++) in[i * NVALUES + k][0] = va[i], in[i * NVALUES + k][1] = vb[k];
  run_all(text, fs, n, (const uint64_t (*)[3])in, NVALUES * NVALUES, NULL, 0);
}

static uint8_t memory_data[64];

static void load_op(const char *text, unsigned opcode, const char *sig, int full) {
  fn fs[MAX_FUNCS];
  int n = 0;
  memset(fs, 0, sizeof fs);
  char r = sig[2];
  /* (addr, base, 0): plain, address computed, addr + base, base + computed,
  ** and for whole values the address of the address (base + mem[addr]) */
  for (int shape = 0; shape < (full ? 5 : 4); shape++) {
    fn *f = &fs[n++];
    memcpy(f->params, "ii", 3);
    f->result = r;
    buf *o = &f->body;
    switch (shape) {
    case 0: /* the address (addr + base) in a local */
      put(o, 0x20), put_u(o, 0), put(o, 0x20), put_u(o, 1), put(o, 0x6A), put(o, 0x21), put_u(o, 2);
      put(o, 0x20), put_u(o, 2);
      break;
    case 1: /* computed */
      put(o, 0x20), put_u(o, 0), put(o, 0x20), put_u(o, 1), put(o, 0x6A), identity(o, 'i');
      break;
    case 2: /* added just before */
      put(o, 0x20), put_u(o, 0), put(o, 0x20), put_u(o, 1), put(o, 0x6A);
      break;
    case 3: /* a local plus the value just computed */
      put(o, 0x20), put_u(o, 1), put(o, 0x20), put_u(o, 0), identity(o, 'i'), put(o, 0x6A);
      break;
    default: /* base + the i32 at 32 + 4 * (addr & 3), which is addr & 3 */
      put(o, 0x20), put_u(o, 0), put(o, 0x41), put_s(o, 3), put(o, 0x71);
      put(o, 0x41), put_s(o, 2), put(o, 0x74), put(o, 0x21), put_u(o, 3);
      put(o, 0x41), put_s(o, 1), put(o, 0x21), put_u(o, 2); /* R now holds 1 */
      put(o, 0x20), put_u(o, 1), put(o, 0x20), put_u(o, 3);
      put(o, 0x28), put_u(o, 2), put_u(o, 32), /* i32.load offset=32 */
      put(o, 0x6A);
      break;
    }
    put_op(o, opcode);
    put_u(o, 0), put_u(o, 1); /* align 0, offset 1 */
  }
  /* (addr, base) with addr < 4: in bounds, at the end, beyond it,
  ** wrapping around */
  static const uint64_t in[][3] = {{0, 0, 0}, {1, 2, 0}, {3, 65520, 0}, {2, 65530, 0},
                                   {0, 65535, 0}, {3, 0xFFFFFFFF, 0}, {1, 0x80000000, 0}};
  for (uint32_t k = 0; k < 32; k++) memory_data[k] = (uint8_t)(k * 37 + 1);
  for (uint32_t k = 0; k < 4; k++) memcpy(memory_data + 32 + 4 * k, &k, 4); /* little-endian */
  run_all(text, fs, n, in, (int)(sizeof in / sizeof in[0]), memory_data, sizeof memory_data);
}

static void store_op(const char *text, unsigned opcode, const char *sig, unsigned load) {
  char v = sig[1];
  fn fs[2];
  memset(fs, 0, sizeof fs);
  for (int shape = 0; shape < 2; shape++) { /* value in a local, computed */
    fn *f = &fs[shape];
    f->params[0] = 'i', f->params[1] = v, f->result = v;
    buf *o = &f->body;
    put(o, 0x20), put_u(o, 0), put(o, 0x20), put_u(o, 1);
    if (shape) identity(o, v);
    put_op(o, opcode), put_u(o, 0), put_u(o, 3);
    put(o, 0x20), put_u(o, 0), put_op(o, load), put_u(o, 0), put_u(o, 3);
  }
  uint64_t in[4 * NVALUES][3];
  static const uint64_t addrs[4] = {0, 100, 65520, 65535};
  const uint64_t *vv = values(v);
  for (int i = 0; i < 4; i++)
    for (int k = 0; k < NVALUES; k++) in[i * NVALUES + k][0] = addrs[i], in[i * NVALUES + k][1] = vv[k];
  run_all(text, fs, 2, (const uint64_t (*)[3])in, 4 * NVALUES, NULL, 0);
}

/* A unary instruction on a local and on a computed value: one form, but
** it must run for the coverage of the IR. */
static void unary_op(const char *text, unsigned opcode, const char *sig) {
  fn fs[2];
  memset(fs, 0, sizeof fs);
  for (int shape = 0; shape < 2; shape++) {
    fn *f = &fs[shape];
    f->params[0] = sig[0], f->result = sig[2];
    buf *o = &f->body;
    put(o, 0x20), put_u(o, 0);
    if (shape) identity(o, sig[0]);
    put_op(o, opcode);
  }
  uint64_t in[NVALUES][3];
  for (int i = 0; i < NVALUES; i++) in[i][0] = values(sig[0])[i];
  run_all(text, fs, 2, (const uint64_t (*)[3])in, NVALUES, NULL, 0);
}

/* A switch loop: memory holds ops (i32) from address 0; op k <= 16 adds
** k + 1 to the sum and steps p by 4, then jumps back, ops below 16 with p
** stepped last (the step and the jump are one JMP_SWITCH_ADD, each its
** own copy; odd ones copy the sum to local 0 after the step, a MOV the
** step moves across), op 16 with p stepped first (JMP_SWITCH); op 17
** returns the sum. */
#define SWITCH_CASES 17
static void switch_loop(void) {
  fn f;
  memset(&f, 0, sizeof f);
  memcpy(f.params, "i", 2);
  f.result = 'i';
  buf *o = &f.body; /* locals: 1 p (the param is 0), 2 sum */
  put(o, 0x20), put_u(o, 0), put(o, 0x21), put_u(o, 1);
  put(o, 0x03), put(o, 0x40); /* loop */
  for (int k = 0; k <= SWITCH_CASES; k++) put(o, 0x02), put(o, 0x40);
  put(o, 0x20), put_u(o, 1), put(o, 0x28), put_u(o, 2), put_u(o, 0); /* i32.load p */
  put(o, 0x0E), put_u(o, SWITCH_CASES);
  for (int k = 0; k < SWITCH_CASES; k++) put_u(o, (uint64_t)k);
  put_u(o, SWITCH_CASES);
  put(o, 0x0B);
  for (int k = 0; k < SWITCH_CASES; k++) { /* case k: the loop is SWITCH_CASES - k out */
    int p_last = k < 16;
    if (!p_last) put(o, 0x20), put_u(o, 1), put(o, 0x41), put_s(o, 4), put(o, 0x6A), put(o, 0x21), put_u(o, 1);
    put(o, 0x20), put_u(o, 2), put(o, 0x41), put_s(o, k + 1), put(o, 0x6A), put(o, 0x21), put_u(o, 2);
    if (p_last) put(o, 0x20), put_u(o, 1), put(o, 0x41), put_s(o, 4), put(o, 0x6A), put(o, 0x21), put_u(o, 1);
    if (p_last && k % 2) put(o, 0x20), put_u(o, 2), put(o, 0x21), put_u(o, 0); /* a MOV between */
    put(o, 0x0C), put_u(o, (uint64_t)(SWITCH_CASES - k));
    put(o, 0x0B);
  }
  put(o, 0x0B); /* the loop */
  put(o, 0x20), put_u(o, 2);
  uint8_t prog[4 * 40];
  uint32_t sum = 0;
  for (int i = 0; i < 39; i++) {
    uint32_t op = (uint32_t)(i * 7 % SWITCH_CASES);
    sum += op + 1;
    memcpy(prog + 4 * i, &op, 4);
  }
  uint32_t stop = SWITCH_CASES;
  memcpy(prog + 4 * 39, &stop, 4);
  inro_module *m = build(&f, 1, prog, sizeof prog);
  if (!m) {
    failed++;
    return;
  }
  inro_error err;
  inro_store *st = inro_store_new(NULL, &err);
  inro_instance *inst = inro_instantiate(st, m, NULL, 0, &err);
  uint64_t args[3] = {0, 0, 0};
  outcome r = {1, 0, "instantiate"};
  if (inst) r = call(st, inst, 0, &f, args);
  check(!r.trapped && r.bits == sum, "the switch loop's sum", "switch", 0);
  args[0] = 65534; /* the head's load out of bounds */
  if (inst) r = call(st, inst, 0, &f, args);
  check(r.trapped && strstr(r.message, "out of bounds"), "the switch head traps", "switch", 1);
  inro_store_free(st);
  inro_module_free(m);
}

#ifdef INRO_IR_STATS
void ir_stats_save(void); /* exec/irstats.c */
#endif

int main(void) {
#ifdef INRO_IR_STATS
  atexit(ir_stats_save);
#endif
  uint16_t probe = 1; /* the data above is written little-endian */
  if (*(uint8_t *)&probe != 1) {
    puts("forms_test: this test writes its data little-endian; 0 passed, 1 failed");
    return 1;
  }
#define BINARY(name, code, text, imm, sig, sem) binary_op(text, code, sig);
  INRO_OPS_BINARY(BINARY)
#define UNARY(name, code, text, imm, sig, sem) unary_op(text, code, sig);
  INRO_OPS_UNARY(UNARY)
#define LOAD_FULL(name, code, text, imm, sig, sem) load_op(text, code, sig, 1);
#define LOAD_PART(name, code, text, imm, sig, sem) load_op(text, code, sig, 0);
  INRO_OPS_LOAD_FULL(LOAD_FULL)
  INRO_OPS_LOAD_PART(LOAD_PART)
  /* each store with the load that reads back what it wrote */
  static const struct { unsigned store, load; } pairs[] = {
    {0x36, 0x28}, {0x37, 0x29}, {0x38, 0x2A}, {0x39, 0x2B}, {0x3A, 0x2D},
    {0x3B, 0x2F}, {0x3C, 0x31}, {0x3D, 0x33}, {0x3E, 0x35}};
  for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++)
    for (unsigned op = 0; op < OP_COUNT; op++)
      if (op_table[op].code == pairs[i].store)
        store_op(op_table[op].text, pairs[i].store, op_table[op].sig, pairs[i].load);
  switch_loop();
  printf("%d passed, %d failed\n", passed, failed);
  return failed != 0;
}

/*
** bytecode.c -- benchmark: an interpreter for a small dynamic language, the
** kind of program a scripting engine is.  Each script below is compiled
** to stack-machine bytecode (32-bit words: an opcode and a signed
** 24-bit operand) and run by a switch loop.  Values are tagged: nil,
** 64-bit integers, strings (all interned: equal strings are one object),
** tables (hash maps with open addressing, keyed by any value but nil) and
** functions.  Every call goes through the callee's function pointer:
** builtins are C functions, closures re-enter the interpreter loop.
**
**   bytecode [N [SCRIPT]]   (default 10000; SCRIPT: only that one)
**
** Runs four scripts with the global N: integer loops (Collatz, gcd, a
** sieve), tables and strings (word counts, string keys), recursion (fib,
** binary trees of tables, Hanoi), and closures (map, fold, a quicksort
** with a comparator).  What the scripts print is the checksum.
**
** The language:
**   stmt  := 'let' NAME '=' expr | 'fn' NAME '(' names ')' block
**          | 'if' expr block ['else' (block | if-stmt)] | 'while' expr block
**          | 'return' [expr] | target '=' expr | call | ';'
**   expr  := binary operators, loosest first: ||  &&  == != < <= > >=  ..
**            + -  * / %, then unary - !, then calls f(a, b), indexing
**            t[k] and t.name, over: integers, "strings", nil, NAME,
**            (expr), tables {k: v, ...} (k a name, integer or string) and
**            anonymous functions fn (names) block
** `let` and `fn` at the top level define globals, inside a function
** locals; a closure captures its free variables' values when it is
** made.  nil and 0 are false; comparisons give 1 or 0; `..` joins
** strings and integers into a string.  Memory is never freed (no garbage
** collector): the scripts' garbage is bounded.
*/
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------- values */
typedef enum { NIL, INT, STR, TAB, FUN } type;
typedef struct str str;
typedef struct table table;
typedef struct fun fun;
typedef struct proto proto;
typedef struct {
  type t;
  union { int64_t i; str *s; table *h; fun *f; } u;
} value;
typedef value (*callfn)(fun *f, value *args, int nargs);

struct str { str *chain; uint32_t hash, len; char chars[]; };
typedef struct { value k, v; } entry;
struct table { uint32_t id, count, used, cap; entry *e; };
struct fun { uint32_t id; callfn call; const proto *p; int ncap; value cap[]; };

static const value nil = { NIL, { 0 } };
static value int_v(int64_t i) { value v = { INT, { .i = i } }; return v; }
static value str_v(str *s) { value v = { STR, { .s = s } }; return v; }
static value tab_v(table *h) { value v = { TAB, { .h = h } }; return v; }
static value fun_v(fun *f) { value v = { FUN, { .f = f } }; return v; }

static const char *script_name = "?";
static _Noreturn void fail(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fprintf(stderr, "bytecode: %s: ", script_name);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
  exit(1);
}

static void *grow(void *p, size_t size) {
  p = realloc(p, size);
  if (!p) fail("out of memory");
  return p;
}
#define PUSH(arr, n, cap, x)                                         \
  do {                                                               \
    if ((n) == (cap)) {                                              \
      (cap) = (cap) ? 2 * (cap) : 8;                                 \
      (arr) = grow((arr), (size_t)(cap) * sizeof *(arr));            \
    }                                                                \
    (arr)[(n)++] = (x);                                              \
  } while (0)

/* -------------------------------------------------- interned strings */
static str **strings;
static uint32_t nstrings, strcap;

static uint32_t hash_bytes(const char *p, uint32_t n) {
  uint32_t h = 2166136261u;
  for (uint32_t i = 0; i < n; i++) h = (h ^ (uint8_t)p[i]) * 16777619u;
  return h;
}

static str *intern(const char *p, uint32_t n) {
  uint32_t h = hash_bytes(p, n);
  if (strcap)
    for (str *s = strings[h & (strcap - 1)]; s; s = s->chain)
      if (s->hash == h && s->len == n && memcmp(s->chars, p, n) == 0) return s;
  if (nstrings >= strcap / 2) {
    uint32_t cap = strcap ? 2 * strcap : 256;
    str **to = calloc(cap, sizeof *to);
    if (!to) fail("out of memory");
    for (uint32_t i = 0; i < strcap; i++)
      for (str *s = strings[i], *next; s; s = next) {
        next = s->chain;
        s->chain = to[s->hash & (cap - 1)];
        to[s->hash & (cap - 1)] = s;
      }
    free(strings);
    strings = to, strcap = cap;
  }
  str *s = grow(NULL, sizeof *s + n + 1);
  s->hash = h, s->len = n;
  memcpy(s->chars, p, n);
  s->chars[n] = 0;
  s->chain = strings[h & (strcap - 1)];
  strings[h & (strcap - 1)] = s;
  nstrings++;
  return s;
}
static str *cstr(const char *p) { return intern(p, (uint32_t)strlen(p)); }

/* ------------------------------------------------------------- tables */
static uint32_t next_id = 1; /* tables and functions hash by it */

static uint32_t key_hash(value k) {
  uint64_t x;
  switch (k.t) {
  case STR: return k.u.s->hash;
  case INT: x = (uint64_t)k.u.i; break;
  case TAB: x = k.u.h->id; break;
  default: x = k.u.f->id; break;
  }
  x ^= x >> 33; x *= 0xff51afd7ed558ccdull; x ^= x >> 33;
  return (uint32_t)x;
}
static int same(value a, value b) {
  if (a.t != b.t) return 0;
  switch (a.t) {
  case NIL: return 1;
  case INT: return a.u.i == b.u.i;
  case STR: return a.u.s == b.u.s;
  case TAB: return a.u.h == b.u.h;
  default: return a.u.f == b.u.f;
  }
}

static table *new_table(void) {
  table *h = grow(NULL, sizeof *h);
  memset(h, 0, sizeof *h);
  h->id = next_id++;
  return h;
}

/* The entry for K: its own, or the free one where it would go. */
static entry *slot(const table *h, value k) {
  uint32_t i = key_hash(k) & (h->cap - 1);
  while (h->e[i].k.t != NIL && !same(h->e[i].k, k)) i = (i + 1) & (h->cap - 1);
  return &h->e[i];
}

static value table_get(const table *h, value k) {
  return h->cap ? slot(h, k)->v : nil;
}

/* Setting nil keeps the key (a tombstone) until the next resize. */
static void table_set(table *h, value k, value v) {
  if (k.t == NIL) fail("table key is nil");
  if (h->cap) {
    entry *e = slot(h, k);
    if (e->k.t != NIL) {
      h->count += (v.t != NIL) - (e->v.t != NIL);
      e->v = v;
      return;
    }
  }
  if (v.t == NIL) return;
  if (4 * (h->used + 1) > 3 * h->cap) {
    entry *old = h->e;
    uint32_t n = h->cap;
    h->cap = h->count < 4 ? 8 : 4 * h->count;
    while (h->cap & (h->cap - 1)) h->cap &= h->cap - 1; /* a power of 2 */
    h->e = calloc(h->cap, sizeof *h->e);
    if (!h->e) fail("out of memory");
    h->used = 0;
    for (uint32_t i = 0; i < n; i++)
      if (old[i].v.t != NIL) { *slot(h, old[i].k) = old[i]; h->used++; }
    free(old);
  }
  entry *e = slot(h, k);
  e->k = k, e->v = v;
  h->used++, h->count++;
}

/* ----------------------------------------------------------- bytecode */
#define OPS(X)                                                          \
  X(K) X(INT) X(NIL) X(GETL) X(SETL) X(GETC) X(GETG) X(SETG) X(NEWT)     \
  X(GETF) X(SETF) X(SETFK) X(ADD) X(SUB) X(MUL) X(DIV) X(MOD) X(CONCAT)  \
  X(EQ) X(NE) X(LT) X(LE) X(GT) X(GE) X(NEG) X(NOT) X(JMP) X(JF) X(JFK)  \
  X(JTK) X(CALL) X(RET) X(POP) X(CLOSURE)
#define AS_ENUM(x) OP_##x,
enum { OPS(AS_ENUM) };
enum { BIAS = 1 << 23 }; /* operands are stored biased, as 24 unsigned bits */

struct proto {
  uint32_t *code;
  value *k;
  proto **sub;
  struct capture { int from_local, index; } *caps; /* the maker's local slot or capture */
  int ncode, capcode, nk, capk, nsub, capsub, ncaps, capcaps;
  int nparams, nslots, maxstack;
};

/* ---------------------------------------------------------- the lexer */
enum { T_EOF, T_NAME = 256, T_INT, T_STRING, T_LET, T_FN, T_IF, T_ELSE,
       T_WHILE, T_RETURN, T_NIL, T_EQ, T_NE, T_LE, T_GE, T_AND, T_OR, T_CAT };
static const char *src;
static int tok, line;
static int64_t tok_int;
static str *tok_str;

static int is_digit(char c) { return (unsigned)(c - '0') < 10; }
static int is_alpha(char c) { return c == '_' || (unsigned)((c | 32) - 'a') < 26; }

static void next(void) {
  static const struct { const char *word; int tok; } words[] = {
    {"let", T_LET}, {"fn", T_FN}, {"if", T_IF}, {"else", T_ELSE},
    {"while", T_WHILE}, {"return", T_RETURN}, {"nil", T_NIL}};
  static const struct { char a, b; int tok; } pairs[] = {
    {'=', '=', T_EQ}, {'!', '=', T_NE}, {'<', '=', T_LE}, {'>', '=', T_GE},
    {'&', '&', T_AND}, {'|', '|', T_OR}, {'.', '.', T_CAT}};
  for (;;) {
    if (*src == '\n') line++;
    if (*src == ' ' || *src == '\n' || *src == '\t') src++;
    else if (*src == '#') while (*src && *src != '\n') src++;
    else break;
  }
  const char *start = src;
  if (*src == 0) { tok = T_EOF; return; }
  if (is_alpha(*src)) {
    while (is_alpha(*src) || is_digit(*src)) src++;
    tok = T_NAME;
    tok_str = intern(start, (uint32_t)(src - start));
    for (size_t i = 0; i < sizeof words / sizeof *words; i++)
      if (tok_str == cstr(words[i].word)) tok = words[i].tok;
    return;
  }
  if (is_digit(*src)) {
    for (tok_int = 0; is_digit(*src); src++) {
      if (tok_int > (INT64_MAX - 9) / 10) fail("line %d: number too large", line);
      tok_int = tok_int * 10 + (*src - '0');
    }
    tok = T_INT;
    return;
  }
  if (*src == '"') {
    static char *buf;
    static uint32_t cap;
    uint32_t n = 0;
    for (src++; *src != '"'; src++) {
      if (!*src || *src == '\n') fail("line %d: unterminated string", line);
      char c = *src;
      if (c == '\\') c = *++src == 'n' ? '\n' : *src;
      PUSH(buf, n, cap, c);
    }
    src++;
    tok = T_STRING;
    tok_str = intern(buf, n);
    return;
  }
  for (size_t i = 0; i < sizeof pairs / sizeof *pairs; i++)
    if (src[0] == pairs[i].a && src[1] == pairs[i].b) {
      src += 2;
      tok = pairs[i].tok;
      return;
    }
  tok = (unsigned char)*src++;
}

static int accept(int t) {
  if (tok != t) return 0;
  next();
  return 1;
}
static void expect(int t, const char *what) {
  if (!accept(t)) fail("line %d: %s expected", line, what);
}
static str *expect_name(void) {
  str *s = tok_str;
  expect(T_NAME, "a name");
  return s;
}

/* ------------------------------------------------------- the compiler */
typedef struct fstate {
  struct fstate *up; /* the enclosing function; NULL for the script */
  proto *p;
  str *local_name[200], *cap_name[64];
  int local_slot[200], nlocals, depth;
} fstate;

/* Where an expression's value is until it is loaded ("discharged"). */
enum { E_VAL, E_LOCAL, E_CAP, E_GLOBAL, E_INDEX };
typedef struct { int kind, arg; } expdesc;

static int emit(fstate *fs, int op, int arg, int delta) {
  proto *p = fs->p;
  PUSH(p->code, p->ncode, p->capcode, (uint32_t)op | (uint32_t)(arg + BIAS) << 8);
  fs->depth += delta;
  if (fs->depth > p->maxstack) p->maxstack = fs->depth;
  return p->ncode - 1;
}
static void patch(fstate *fs, int at) { /* jump at AT to here */
  uint32_t *ins = &fs->p->code[at];
  *ins = (*ins & 0xff) | (uint32_t)(fs->p->ncode - at - 1 + BIAS) << 8;
}
static int constant(fstate *fs, value v) {
  proto *p = fs->p;
  for (int i = 0; i < p->nk; i++)
    if (same(p->k[i], v)) return i;
  PUSH(p->k, p->nk, p->capk, v);
  return p->nk - 1;
}

static void discharge(fstate *fs, expdesc *e) {
  static const int load[] = { [E_LOCAL] = OP_GETL, [E_CAP] = OP_GETC, [E_GLOBAL] = OP_GETG };
  if (e->kind == E_INDEX) emit(fs, OP_GETF, 0, -1);
  else if (e->kind != E_VAL) emit(fs, load[e->kind], e->arg, 1);
  e->kind = E_VAL;
}

static int find_local(const fstate *fs, const str *name) {
  for (int i = fs->nlocals - 1; i >= 0; i--)
    if (fs->local_name[i] == name) return fs->local_slot[i];
  return -1;
}
static int new_local(fstate *fs, str *name) {
  if (fs->nlocals == 200) fail("line %d: too many locals", line);
  int slot = fs->nlocals ? fs->local_slot[fs->nlocals - 1] + 1 : 0;
  fs->local_name[fs->nlocals] = name, fs->local_slot[fs->nlocals++] = slot;
  if (slot + 1 > fs->p->nslots) fs->p->nslots = slot + 1;
  return slot;
}

/* The capture of NAME in FS, added if an enclosing function has it. */
static int find_capture(fstate *fs, str *name) {
  proto *p = fs->p;
  for (int i = 0; i < p->ncaps; i++)
    if (fs->cap_name[i] == name) return i;
  if (!fs->up) return -1;
  int from_local = 1, index = find_local(fs->up, name);
  if (index < 0) {
    from_local = 0, index = find_capture(fs->up, name);
    if (index < 0) return -1;
  }
  if (p->ncaps == 64) fail("line %d: too many captures", line);
  fs->cap_name[p->ncaps] = name;
  struct capture c = { from_local, index };
  PUSH(p->caps, p->ncaps, p->capcaps, c);
  return p->ncaps - 1;
}

static expdesc name_ref(fstate *fs, str *name) {
  expdesc e = { E_LOCAL, find_local(fs, name) };
  if (e.arg >= 0) return e;
  e.kind = E_CAP, e.arg = find_capture(fs, name);
  if (e.arg >= 0) return e;
  e.kind = E_GLOBAL, e.arg = constant(fs, str_v(name));
  return e;
}

static expdesc expr(fstate *fs);
static void block(fstate *fs);

static void value_expr(fstate *fs) {
  expdesc e = expr(fs);
  discharge(fs, &e);
}

/* Compiles `(params) block` as a function nested in FS and pushes it. */
static void function(fstate *fs) {
  proto *p = grow(NULL, sizeof *p);
  memset(p, 0, sizeof *p);
  PUSH(fs->p->sub, fs->p->nsub, fs->p->capsub, p);
  fstate inner = { .up = fs, .p = p };
  expect('(', "(");
  if (tok != ')')
    do { new_local(&inner, expect_name()); p->nparams++; } while (accept(','));
  expect(')', ")");
  block(&inner);
  emit(&inner, OP_NIL, 0, 1);
  emit(&inner, OP_RET, 0, -1);
  emit(fs, OP_CLOSURE, fs->p->nsub - 1, 1);
}

static expdesc primary(fstate *fs) {
  expdesc e = { E_VAL, 0 };
  if (tok == T_INT) {
    if (tok_int < BIAS) emit(fs, OP_INT, (int)tok_int, 1);
    else emit(fs, OP_K, constant(fs, int_v(tok_int)), 1);
    next();
  } else if (tok == T_STRING) {
    emit(fs, OP_K, constant(fs, str_v(tok_str)), 1);
    next();
  } else if (accept(T_NIL)) {
    emit(fs, OP_NIL, 0, 1);
  } else if (tok == T_NAME) {
    e = name_ref(fs, expect_name());
  } else if (accept('(')) {
    value_expr(fs);
    expect(')', ")");
  } else if (accept('{')) {
    emit(fs, OP_NEWT, 0, 1);
    while (tok != '}') {
      value key = tok == T_INT ? int_v(tok_int) : str_v(tok_str);
      if (tok != T_NAME && tok != T_INT && tok != T_STRING) fail("line %d: table key expected", line);
      next();
      emit(fs, OP_K, constant(fs, key), 1);
      expect(':', ":");
      value_expr(fs);
      emit(fs, OP_SETFK, 0, -2);
      if (!accept(',')) break;
    }
    expect('}', "}");
  } else if (accept(T_FN)) {
    function(fs);
  } else {
    fail("line %d: expression expected", line);
  }
  return e;
}

static expdesc postfix(fstate *fs) {
  expdesc e = primary(fs);
  for (;;) {
    if (accept('(')) {
      discharge(fs, &e);
      int n = 0;
      if (tok != ')')
        do { value_expr(fs); n++; } while (accept(','));
      expect(')', ")");
      emit(fs, OP_CALL, n, -n);
      e.kind = E_VAL;
    } else if (accept('[')) {
      discharge(fs, &e);
      value_expr(fs);
      expect(']', "]");
      e.kind = E_INDEX;
    } else if (accept('.')) {
      discharge(fs, &e);
      emit(fs, OP_K, constant(fs, str_v(expect_name())), 1);
      e.kind = E_INDEX;
    } else {
      return e;
    }
  }
}

static const struct { int tok, prec, op; } binops[] = {
  {T_OR, 1, OP_JTK}, {T_AND, 2, OP_JFK}, {T_EQ, 3, OP_EQ}, {T_NE, 3, OP_NE},
  {'<', 3, OP_LT}, {T_LE, 3, OP_LE}, {'>', 3, OP_GT}, {T_GE, 3, OP_GE},
  {T_CAT, 4, OP_CONCAT}, {'+', 5, OP_ADD}, {'-', 5, OP_SUB},
  {'*', 6, OP_MUL}, {'/', 6, OP_DIV}, {'%', 6, OP_MOD}};
enum { UNARY_PREC = 7 };

/* Precedence climbing: operators that bind tighter than LIMIT. */
static expdesc subexpr(fstate *fs, int limit) {
  expdesc e = { E_VAL, 0 };
  if (tok == '-' || tok == '!') {
    int op = tok == '-' ? OP_NEG : OP_NOT;
    next();
    subexpr(fs, UNARY_PREC);
    emit(fs, op, 0, 0);
  } else {
    e = postfix(fs);
  }
  for (;;) {
    size_t i = 0;
    while (i < sizeof binops / sizeof *binops && binops[i].tok != tok) i++;
    if (i == sizeof binops / sizeof *binops || binops[i].prec <= limit) return e;
    next();
    discharge(fs, &e);
    int op = binops[i].op;
    if (op == OP_JTK || op == OP_JFK) { /* short circuit: keep the deciding value */
      int j = emit(fs, op, 0, -1);
      subexpr(fs, binops[i].prec);
      patch(fs, j);
    } else {
      expdesc r = subexpr(fs, binops[i].prec);
      discharge(fs, &r);
      emit(fs, op, 0, -1);
    }
    e.kind = E_VAL;
  }
}
static expdesc expr(fstate *fs) { return subexpr(fs, 0); }

static void statement(fstate *fs);
static void block(fstate *fs) {
  int saved = fs->nlocals;
  expect('{', "{");
  while (tok != '}' && tok != T_EOF) statement(fs);
  expect('}', "}");
  fs->nlocals = saved;
}

/* Stores the value on top of the stack into NAME, a new variable. */
static void define(fstate *fs, str *name) {
  if (fs->up) emit(fs, OP_SETL, new_local(fs, name), -1);
  else emit(fs, OP_SETG, constant(fs, str_v(name)), -1);
}

static void statement(fstate *fs) {
  if (accept(T_LET)) {
    str *name = expect_name();
    expect('=', "=");
    value_expr(fs);
    define(fs, name);
  } else if (accept(T_FN)) {
    str *name = expect_name();
    function(fs);
    define(fs, name);
  } else if (accept(T_IF)) {
    value_expr(fs);
    int jf = emit(fs, OP_JF, 0, -1);
    block(fs);
    if (accept(T_ELSE)) {
      int j = emit(fs, OP_JMP, 0, 0);
      patch(fs, jf);
      if (tok == T_IF) statement(fs);
      else block(fs);
      patch(fs, j);
    } else {
      patch(fs, jf);
    }
  } else if (accept(T_WHILE)) {
    int top = fs->p->ncode;
    value_expr(fs);
    int jf = emit(fs, OP_JF, 0, -1);
    block(fs);
    emit(fs, OP_JMP, top - fs->p->ncode - 1, 0);
    patch(fs, jf);
  } else if (accept(T_RETURN)) {
    if (tok == '}') emit(fs, OP_NIL, 0, 1);
    else value_expr(fs);
    emit(fs, OP_RET, 0, -1);
  } else if (!accept(';')) {
    expdesc e = expr(fs);
    if (accept('=')) {
      value_expr(fs);
      if (e.kind == E_LOCAL) emit(fs, OP_SETL, e.arg, -1);
      else if (e.kind == E_GLOBAL) emit(fs, OP_SETG, e.arg, -1);
      else if (e.kind == E_INDEX) emit(fs, OP_SETF, 0, -3);
      else fail("line %d: cannot assign to this", line);
    } else {
      discharge(fs, &e);
      emit(fs, OP_POP, 0, -1);
    }
  }
}

static proto *compile(const char *text) {
  proto *p = grow(NULL, sizeof *p);
  memset(p, 0, sizeof *p);
  fstate fs = { .p = p };
  src = text, line = 1;
  next();
  while (tok != T_EOF) statement(&fs);
  emit(&fs, OP_NIL, 0, 1);
  emit(&fs, OP_RET, 0, -1);
  return p;
}

/* -------------------------------------------------------- the machine */
enum { STACK = 1 << 16, MAXCALLS = 100 };
static value stack[STACK];
static table *globals;
static int calls;

static fun *new_fun(callfn call, const proto *p, int ncap) {
  fun *f = grow(NULL, sizeof *f + (size_t)ncap * sizeof(value));
  f->id = next_id++, f->call = call, f->p = p, f->ncap = ncap;
  return f;
}

static int falsy(value v) { return v.t == NIL || (v.t == INT && v.u.i == 0); }

static table *need_table(value v) {
  if (v.t != TAB) fail("indexing a non-table");
  return v.u.h;
}

static int64_t need_int(value v) {
  if (v.t != INT) fail("arithmetic on a non-integer");
  return v.u.i;
}

/* Appends V as text to the scratch buffer. */
static char *scratch;
static uint32_t nscratch, capscratch;
static void append(value v) {
  char num[24];
  const char *p = num;
  uint32_t n;
  if (v.t == STR) p = v.u.s->chars, n = v.u.s->len;
  else if (v.t == INT) n = (uint32_t)snprintf(num, sizeof num, "%" PRId64, v.u.i);
  else fail("joining a value that is not a string or an integer");
  while (capscratch - nscratch < n) {
    capscratch = capscratch ? 2 * capscratch : 256;
    scratch = grow(scratch, capscratch);
  }
  memcpy(scratch + nscratch, p, n);
  nscratch += n;
}

static int compare(value a, value b) {
  if (a.t == INT && b.t == INT) return (a.u.i > b.u.i) - (a.u.i < b.u.i);
  if (a.t != STR || b.t != STR) fail("comparing values of different types");
  uint32_t n = a.u.s->len < b.u.s->len ? a.u.s->len : b.u.s->len;
  int c = memcmp(a.u.s->chars, b.u.s->chars, n);
  return c ? c : (a.u.s->len > b.u.s->len) - (a.u.s->len < b.u.s->len);
}

static value call_closure(fun *f, value *args, int nargs);

static value run(fun *f, value *base, int nargs) {
  const proto *p = f->p;
  const uint32_t *pc = p->code;
  const value *k = p->k;
  for (int i = nargs < p->nparams ? nargs : p->nparams; i < p->nslots; i++) base[i] = nil;
  value *sp = base + p->nslots;
  if (sp + p->maxstack > stack + STACK) fail("value stack overflow");
  for (;;) {
    uint32_t ins = *pc++;
    int arg = (int)(ins >> 8) - BIAS;
    switch (ins & 0xff) {
    case OP_K: *sp++ = k[arg]; break;
    case OP_INT: *sp++ = int_v(arg); break;
    case OP_NIL: *sp++ = nil; break;
    case OP_GETL: *sp++ = base[arg]; break;
    case OP_SETL: base[arg] = *--sp; break;
    case OP_GETC: *sp++ = f->cap[arg]; break;
    case OP_GETG:
      *sp = table_get(globals, k[arg]);
      if (sp++->t == NIL) fail("undefined global %s", k[arg].u.s->chars);
      break;
    case OP_SETG: table_set(globals, k[arg], *--sp); break;
    case OP_NEWT: *sp++ = tab_v(new_table()); break;
    case OP_GETF: sp--; sp[-1] = table_get(need_table(sp[-1]), sp[0]); break;
    case OP_SETF: sp -= 3; table_set(need_table(sp[0]), sp[1], sp[2]); break;
    case OP_SETFK: sp -= 2; table_set(need_table(sp[-1]), sp[0], sp[1]); break;
    case OP_ADD: sp--; sp[-1] = int_v((int64_t)((uint64_t)need_int(sp[-1]) + (uint64_t)need_int(sp[0]))); break;
    case OP_SUB: sp--; sp[-1] = int_v((int64_t)((uint64_t)need_int(sp[-1]) - (uint64_t)need_int(sp[0]))); break;
    case OP_MUL: sp--; sp[-1] = int_v((int64_t)((uint64_t)need_int(sp[-1]) * (uint64_t)need_int(sp[0]))); break;
    case OP_DIV:
    case OP_MOD: {
      int64_t a = need_int(sp[-2]), b = need_int(sp[-1]);
      if (b == 0) fail("division by zero");
      int64_t r = b == -1 ? (ins & 0xff) == OP_DIV ? (int64_t)(0 - (uint64_t)a) : 0
                          : (ins & 0xff) == OP_DIV ? a / b : a % b;
      sp--;
      sp[-1] = int_v(r);
      break;
    }
    case OP_CONCAT:
      nscratch = 0;
      append(sp[-2]);
      append(sp[-1]);
      sp--;
      sp[-1] = str_v(intern(scratch, nscratch));
      break;
    case OP_EQ: sp--; sp[-1] = int_v(same(sp[-1], sp[0])); break;
    case OP_NE: sp--; sp[-1] = int_v(!same(sp[-1], sp[0])); break;
    case OP_LT: sp--; sp[-1] = int_v(compare(sp[-1], sp[0]) < 0); break;
    case OP_LE: sp--; sp[-1] = int_v(compare(sp[-1], sp[0]) <= 0); break;
    case OP_GT: sp--; sp[-1] = int_v(compare(sp[-1], sp[0]) > 0); break;
    case OP_GE: sp--; sp[-1] = int_v(compare(sp[-1], sp[0]) >= 0); break;
    case OP_NEG: sp[-1] = int_v((int64_t)(0 - (uint64_t)need_int(sp[-1]))); break;
    case OP_NOT: sp[-1] = int_v(falsy(sp[-1])); break;
    case OP_JMP: pc += arg; break;
    case OP_JF: if (falsy(*--sp)) pc += arg; break;
    case OP_JFK: if (falsy(sp[-1])) pc += arg; else sp--; break;
    case OP_JTK: if (!falsy(sp[-1])) pc += arg; else sp--; break;
    case OP_CALL: {
      value *callee = sp - arg - 1;
      if (callee->t != FUN) fail("calling a value that is not a function");
      fun *g = callee->u.f;
      *callee = g->call(g, callee + 1, arg);
      sp = callee + 1;
      break;
    }
    case OP_RET: return sp[-1];
    case OP_POP: sp--; break;
    case OP_CLOSURE: {
      const proto *q = p->sub[arg];
      fun *g = new_fun(call_closure, q, q->ncaps);
      for (int i = 0; i < q->ncaps; i++)
        g->cap[i] = q->caps[i].from_local ? base[q->caps[i].index] : f->cap[q->caps[i].index];
      *sp++ = fun_v(g);
      break;
    }
    default: fail("bad opcode %u", ins & 0xff);
    }
  }
}

static value call_closure(fun *f, value *args, int nargs) {
  if (++calls > MAXCALLS) fail("calls nested too deep");
  value v = run(f, args, nargs);
  calls--;
  return v;
}

/* ----------------------------------------------------------- builtins */
static value need_arg(value *args, int nargs, int i, type t, const char *fn) {
  if (i >= nargs || args[i].t != t) fail("%s: argument %d has the wrong type", fn, i + 1);
  return args[i];
}

static value bi_print(fun *f, value *args, int nargs) {
  (void)f;
  for (int i = 0; i < nargs; i++) {
    if (i) putchar(' ');
    if (args[i].t == STR || args[i].t == INT) {
      nscratch = 0;
      append(args[i]);
      fwrite(scratch, 1, nscratch, stdout);
    } else {
      fputs(args[i].t == NIL ? "nil" : args[i].t == TAB ? "table" : "function", stdout);
    }
  }
  putchar('\n');
  return nil;
}
static value bi_len(fun *f, value *args, int nargs) {
  (void)f;
  if (nargs > 0 && args[0].t == STR) return int_v(args[0].u.s->len);
  return int_v(need_arg(args, nargs, 0, TAB, "len").u.h->count);
}
static value bi_str(fun *f, value *args, int nargs) {
  (void)f;
  if (nargs < 1 || (args[0].t != INT && args[0].t != STR)) fail("str: integer or string expected");
  nscratch = 0;
  append(args[0]);
  return str_v(intern(scratch, nscratch));
}
static value bi_sub(fun *f, value *args, int nargs) { /* sub(s, from, count) */
  (void)f;
  const str *s = need_arg(args, nargs, 0, STR, "sub").u.s;
  int64_t from = need_arg(args, nargs, 1, INT, "sub").u.i, n = need_arg(args, nargs, 2, INT, "sub").u.i;
  if (from < 0) from = 0;
  if (from > s->len) from = s->len;
  if (n < 0) n = 0;
  if (n > s->len - from) n = s->len - from;
  return str_v(intern(s->chars + from, (uint32_t)n));
}
static value bi_byte(fun *f, value *args, int nargs) { /* byte(s, i) */
  (void)f;
  const str *s = need_arg(args, nargs, 0, STR, "byte").u.s;
  int64_t i = need_arg(args, nargs, 1, INT, "byte").u.i;
  return i >= 0 && i < s->len ? int_v((uint8_t)s->chars[i]) : nil;
}
static value bi_keys(fun *f, value *args, int nargs) { /* {0: k, 1: k, ...} */
  (void)f;
  const table *h = need_arg(args, nargs, 0, TAB, "keys").u.h;
  table *r = new_table();
  int64_t n = 0;
  for (uint32_t i = 0; i < h->cap; i++)
    if (h->e[i].v.t != NIL) table_set(r, int_v(n++), h->e[i].k);
  return tab_v(r);
}

/* ------------------------------------------------------------ scripts */
static const struct { const char *name, *text; } scripts[] = {
  {"numeric",
   "fn collatz(n) {\n"
   "  let steps = 0\n"
   "  while n != 1 {\n"
   "    if n % 2 == 0 { n = n / 2 } else { n = 3 * n + 1 }\n"
   "    steps = steps + 1\n"
   "  }\n"
   "  return steps\n"
   "}\n"
   "fn gcd(a, b) { while b != 0 { let t = a % b  a = b  b = t } return a }\n"
   "fn sieve(n) {\n"
   "  let t = {}  let i = 2\n"
   "  while i <= n { t[i] = 1  i = i + 1 }\n"
   "  i = 2\n"
   "  while i * i <= n {\n"
   "    if t[i] { let j = i * i  while j <= n { t[j] = 0  j = j + i } }\n"
   "    i = i + 1\n"
   "  }\n"
   "  let c = 0  i = 2\n"
   "  while i <= n { c = c + t[i]  i = i + 1 }\n"
   "  return c\n"
   "}\n"
   "fn main(n) {\n"
   "  let i = 1  let total = 0  let best = 0  let arg = 0\n"
   "  while i <= n {\n"
   "    let s = collatz(i)\n"
   "    total = total + s\n"
   "    if s > best { best = s  arg = i }\n"
   "    i = i + 1\n"
   "  }\n"
   "  let g = 0  i = 1\n"
   "  while i <= n { g = g + gcd(i * 7919, n + i * 31)  i = i + 1 }\n"
   "  print(\"collatz\", n, total, best, arg, \"gcd\", g, \"primes\", sieve(n))\n"
   "}\n"
   "main(N / 5)\n"},
  {"strings",
   "fn main(n) {\n"
   "  let syl = {0: \"ka\", 1: \"lo\", 2: \"mi\", 3: \"ne\", 4: \"ru\", 5: \"sa\", 6: \"ti\", 7: \"vo\"}\n"
   "  let counts = {}  let ids = {}  let seed = 42  let i = 0\n"
   "  while i < n {\n"
   "    seed = (seed * 1103515245 + 12345) % 2147483648\n"
   "    let w = syl[seed % 8] .. syl[seed / 8 % 8]\n"
   "    if seed / 64 % 3 != 0 { w = w .. syl[seed / 512 % 8] }\n"
   "    let c = counts[w]\n"
   "    if c == nil { counts[w] = 1 } else { counts[w] = c + 1 }\n"
   "    let id = \"id\" .. seed % 4099\n"
   "    ids[id] = i\n"
   "    i = i + 1\n"
   "  }\n"
   "  let ks = keys(counts)  let nk = len(ks)\n"
   "  let best = \"\"  let bestc = 0  let chars = 0  let j = 0\n"
   "  while j < nk {\n"
   "    let w = ks[j]  let c = counts[w]\n"
   "    chars = chars + len(w) * c\n"
   "    if c > bestc || c == bestc && w < best { best = w  bestc = c }\n"
   "    j = j + 1\n"
   "  }\n"
   "  let h = 0  j = 0\n"
   "  while j < 4099 {\n"
   "    let v = ids[\"id\" .. j]\n"
   "    if v != nil { h = (h * 31 + v) % 1000000007 }\n"
   "    j = j + 1\n"
   "  }\n"
   "  let s = \"\"  j = 0\n"
   "  while len(s) < 2000 { s = s .. sub(best, j % 3, 2) .. j  j = j + 1 }\n"
   "  let sum = 0  j = 0\n"
   "  while j < len(s) { sum = sum + byte(s, j) * (j % 7 + 1)  j = j + 1 }\n"
   "  print(\"words\", n, nk, best, bestc, chars, \"ids\", len(ids), h, \"string\", len(s), sum)\n"
   "}\n"
   "main(3 * N / 2)\n"},
  {"recursion",
   "fn fib(n) { if n < 2 { return n } return fib(n - 1) + fib(n - 2) }\n"
   "fn tree(d) {\n"
   "  if d == 0 { return {} }\n"
   "  return {left: tree(d - 1), right: tree(d - 1)}\n"
   "}\n"
   "fn check(t) {\n"
   "  if t.left == nil { return 1 }\n"
   "  return 1 + check(t.left) + check(t.right)\n"
   "}\n"
   "fn hanoi(n, from, to, via) {\n"
   "  if n == 0 { return 0 }\n"
   "  return hanoi(n - 1, from, via, to) + 1 + hanoi(n - 1, via, to, from)\n"
   "}\n"
   "let rounds = N / 2500\n"
   "let f = 0  let nodes = 0  let moves = 0  let r = 0\n"
   "while r < rounds {\n"
   "  f = f + fib(20)\n"
   "  nodes = nodes + check(tree(10))\n"
   "  moves = moves + hanoi(12, 1, 3, 2)\n"
   "  r = r + 1\n"
   "}\n"
   "print(\"fib\", f, \"nodes\", nodes, \"moves\", moves)\n"},
  {"closures",
   "fn map(t, n, f) { let r = {}  let i = 0  while i < n { r[i] = f(t[i])  i = i + 1 } return r }\n"
   "fn fold(t, n, f, acc) { let i = 0  while i < n { acc = f(acc, t[i])  i = i + 1 } return acc }\n"
   "fn adder(k) { return fn (x) { return x + k } }\n"
   "fn compose(f, g) { return fn (x) { return f(g(x)) } }\n"
   "fn sort(t, lo, hi, less) {\n"
   "  while lo < hi {\n"
   "    let p = t[(lo + hi) / 2]  let i = lo  let j = hi\n"
   "    while i <= j {\n"
   "      while less(t[i], p) { i = i + 1 }\n"
   "      while less(p, t[j]) { j = j - 1 }\n"
   "      if i <= j { let x = t[i]  t[i] = t[j]  t[j] = x  i = i + 1  j = j - 1 }\n"
   "    }\n"
   "    if j - lo < hi - i { sort(t, lo, j, less)  lo = i } else { sort(t, i, hi, less)  hi = j }\n"
   "  }\n"
   "}\n"
   "fn main(n) {\n"
   "  let xs = {}  let i = 0  let seed = 7\n"
   "  while i < n { seed = (seed * 75 + 74) % 65537  xs[i] = seed  i = i + 1 }\n"
   "  let f = compose(adder(3), fn (x) { return x * 2 })\n"
   "  let ys = map(xs, n, f)\n"
   "  let sum = fold(ys, n, fn (a, b) { return a + b }, 0)\n"
   "  sort(ys, 0, n - 1, fn (a, b) { return a < b })\n"
   "  let ok = fold(ys, n, fn (prev, x) { if prev == nil || prev > x { return nil } return x }, 0)\n"
   "  let h = fold(ys, n, fn (a, b) { return (a * 31 + b) % 1000000007 }, 0)\n"
   "  let m = 1000  if n < m { m = n }\n"
   "  let names = map(ys, m, fn (x) { return \"v\" .. x })\n"
   "  let text = fold(names, m, fn (a, b) { if len(a) < 60 { return a .. b } return a }, \"\")\n"
   "  print(\"closures\", n, sum, h, ok != nil, ys[0], ys[n - 1], text)\n"
   "}\n"
   "main(N / 2)\n"},
};

int main(int argc, char **argv) {
  long n = argc > 1 ? atol(argv[1]) : 10000L;
  if (n < 100) return 2;
  static const struct { const char *name; callfn fn; } builtins[] = {
    {"print", bi_print}, {"len", bi_len}, {"str", bi_str}, {"sub", bi_sub},
    {"byte", bi_byte}, {"keys", bi_keys}};
  for (size_t s = 0; s < sizeof scripts / sizeof *scripts; s++) {
    script_name = scripts[s].name;
    if (argc > 2 && strcmp(argv[2], script_name) != 0) continue;
    globals = new_table();
    for (size_t b = 0; b < sizeof builtins / sizeof *builtins; b++)
      table_set(globals, str_v(cstr(builtins[b].name)), fun_v(new_fun(builtins[b].fn, NULL, 0)));
    table_set(globals, str_v(cstr("N")), int_v(n));
    fun *main_fn = new_fun(call_closure, compile(scripts[s].text), 0);
    main_fn->call(main_fn, stack, 0);
  }
  return 0;
}

/*
** module.c -- what the monitors know of a module: every instruction of
** every defined function (offset, opcode, whether it starts a basic
** block), read from the module bytes with the decoder's own instruction
** reader, a display name per function, and source positions from the
** module's DWARF (read on first use).  Built once per attach; the module
** was validated, so the walk does not re-check what validation
** guarantees.
*/
#include <stdlib.h>
#include <string.h>

#include "binary/instr.h"
#include "binary/module.h"
#include "monitor/mon.h"

const char *mon_op_name(unsigned op) {
  return op < OP_COUNT ? op_table[op].text : "?";
}

/* Instructions after which the next one may not execute although nothing
** branches: those that can trap, and calls (the callee may trap, exit or
** throw).  Every other one goes on to the next instruction or branches. */
static int may_stop(unsigned op) {
  if (op_table[op].imm == IMM_MEMARG || op_table[op].imm == IMM_MEMARG_LANE) return 1;
  switch (op) {
  case OP_CALL: case OP_CALL_INDIRECT: case OP_CALL_REF: case OP_REF_AS_NON_NULL:
  case OP_I32_DIV_S: case OP_I32_DIV_U: case OP_I32_REM_S: case OP_I32_REM_U:
  case OP_I64_DIV_S: case OP_I64_DIV_U: case OP_I64_REM_S: case OP_I64_REM_U:
  case OP_I32_TRUNC_F32_S: case OP_I32_TRUNC_F32_U: case OP_I32_TRUNC_F64_S:
  case OP_I32_TRUNC_F64_U: case OP_I64_TRUNC_F32_S: case OP_I64_TRUNC_F32_U:
  case OP_I64_TRUNC_F64_S: case OP_I64_TRUNC_F64_U:
  case OP_TABLE_GET: case OP_TABLE_SET: case OP_TABLE_INIT: case OP_TABLE_COPY:
  case OP_TABLE_FILL: case OP_MEMORY_INIT: case OP_MEMORY_COPY: case OP_MEMORY_FILL:
    return 1;
  default:
    return 0;
  }
}

/* Append the instructions of one body [pos, end), with their leader
** flags.  An instruction starts a basic block (MON_BLOCK) when it is the
** first, a branch target (after `loop`; after `end`, `else`, `catch`,
** `catch_all` and `delegate`; the final `end` if a branch or a
** try_table's catch clause goes to the function's label; not after the
** `end` of a loop, nor of a block no branch goes to, which only control
** falling through reaches) or follows a branch (`br_on_null` and
** `br_on_non_null` too), `if`, `return`, `unreachable`, a tail call or a
** throw; it also starts a segment (MON_SEGMENT) when it follows an
** instruction that may stop execution there (may_stop).  Control enters
** a segment only at its first instruction and leaves it only after its
** last, which may trap: so when the first instruction of a segment
** executes, all of them do.  The branch targets are where the
** translator puts them (binary/validate.c): a branch to a
** block or an `if` lands after its `end`, skipping the `end`; to a loop,
** after the `loop`; to the function's label, on its final `end`. */
enum { OPEN_OTHER, OPEN_BLOCK, OPEN_LOOP, OPEN_TARGETED }; /* what an open construct is */

/* A branch to label `label` from inside `depth` open constructs. */
static void branch_to(uint8_t *open, uint32_t depth, uint32_t label, int *to_function_label) {
  if (label >= depth) *to_function_label = 1;
  else if (open[depth - 1 - label] == OPEN_BLOCK) open[depth - 1 - label] = OPEN_TARGETED;
}

static int walk_body(mon_module *mm, size_t pos, size_t end, mon_func *f, uint8_t **open,
                     size_t *capopen) {
  reader r = {mm->bytes, pos, end, NULL, 0};
  instr_skip_locals(&r);
  f->first = (uint32_t)mm->ninstrs;
  uint8_t next = MON_BLOCK | MON_SEGMENT;
  uint32_t depth = 0;         /* blocks open inside the body: (*open)[0 .. depth) */
  int to_function_label = 0;  /* a branch targets the final `end` */
  while (!r.failed && r.pos < end) {
    instr in;
    if (instr_read(&r, &in) < 0) break;
    if (!MON_GROW(mm->instrs, mm->capinstrs, mm->ninstrs, 1)) return 0;
    if (!MON_GROW(*open, *capopen, depth, 1)) return 0;
    uint8_t *o = *open;
    mon_instr *mi = &mm->instrs[mm->ninstrs++];
    mi->offset = (uint32_t)in.offset;
    mi->op = (uint16_t)in.op;
    mi->flags = next;
    next = 0;
    switch (in.op) {
    case OP_BLOCK: o[depth++] = OPEN_BLOCK; break;
    case OP_TRY: o[depth++] = OPEN_OTHER; break;
    case OP_TRY_TABLE: { /* its clauses' labels count from outside it */
      reader clauses = {mm->bytes, in.vec_pos, end, NULL, 0};
      for (uint32_t i = 0, kind, tag, label; i < in.vec_len; i++) {
        instr_catch(&clauses, &kind, &tag, &label);
        branch_to(o, depth, label, &to_function_label);
      }
      o[depth++] = OPEN_OTHER;
      break;
    }
    case OP_LOOP: o[depth++] = OPEN_LOOP; next = MON_BLOCK | MON_SEGMENT; break;
    case OP_IF: o[depth++] = OPEN_OTHER; next = MON_BLOCK | MON_SEGMENT; break;
    case OP_ELSE: case OP_RETURN: case OP_UNREACHABLE: case OP_CATCH: case OP_CATCH_ALL:
    case OP_THROW: case OP_THROW_REF: case OP_RETHROW:
    case OP_RETURN_CALL: case OP_RETURN_CALL_INDIRECT: case OP_RETURN_CALL_REF:
      next = MON_BLOCK | MON_SEGMENT;
      break;
    case OP_DELEGATE: /* the end of its try */
      if (depth) depth--;
      next = MON_BLOCK | MON_SEGMENT;
      break;
    case OP_END:
      if (depth == 0 && to_function_label) mi->flags |= MON_BLOCK | MON_SEGMENT;
      if (depth && (o[depth - 1] == OPEN_LOOP || o[depth - 1] == OPEN_BLOCK)) {
        depth--;
        break; /* nothing branches to what follows */
      }
      if (depth) depth--;
      next = MON_BLOCK | MON_SEGMENT;
      break;
    case OP_BR: case OP_BR_IF: case OP_BR_ON_NULL: case OP_BR_ON_NON_NULL:
      branch_to(o, depth, in.a, &to_function_label);
      next = MON_BLOCK | MON_SEGMENT;
      break;
    case OP_BR_TABLE: {
      reader labels = {mm->bytes, in.vec_pos, end, NULL, 0};
      for (uint32_t i = 0; i < in.vec_len; i++)
        branch_to(o, depth, rd_u32(&labels), &to_function_label);
      branch_to(o, depth, in.a, &to_function_label);
      next = MON_BLOCK | MON_SEGMENT;
      break;
    }
    default:
      if (may_stop((unsigned)in.op)) next = MON_SEGMENT;
      break;
    }
  }
  f->count = (uint32_t)(mm->ninstrs - f->first);
  if (f->count > mm->most_instrs) mm->most_instrs = f->count;
  return !r.failed;
}

/* The export section: the first export name of each function. */
static int read_exports(mon_module *mm, reader *r, char **exported) {
  uint32_t n = rd_u32(r);
  for (uint32_t i = 0; i < n && !r->failed; i++) {
    char *name = rd_name(r, NULL);
    uint8_t kind = rd_u8(r);
    uint32_t index = rd_u32(r);
    if (!name) return 0;
    if (kind == INRO_EXTERN_FUNC && index < mm->nfuncs && !exported[index]) exported[index] = name;
    else free(name);
  }
  return !r->failed;
}

static int read_code(mon_module *mm, reader *r) {
  uint32_t n = rd_u32(r);
  mm->nfuncs = mm->nimports + n;
  mm->funcs = calloc((size_t)n + 1, sizeof *mm->funcs);
  if (!mm->funcs) return 0;
  uint8_t *open = NULL; /* walk_body's constructs open, reused */
  size_t capopen = 0;
  int ok = 1;
  for (uint32_t i = 0; ok && i < n && !r->failed; i++) {
    uint32_t size = rd_u32(r);
    ok = !r->failed && size <= r->end - r->pos &&
         walk_body(mm, r->pos, r->pos + size, &mm->funcs[i], &open, &capopen);
    r->pos += ok ? size : 0;
  }
  free(open);
  return ok && !r->failed;
}

static int make_names(mon_module *mm, char **exported) {
  mm->names = calloc((size_t)mm->nfuncs + 1, sizeof *mm->names);
  if (!mm->names) return 0;
  size_t imp = 0;
  for (uint32_t i = 0; i < mm->nfuncs; i++) {
    const char *named = inro_module_func_name(mm->module, i);
    char buf[64];
    const char *mod = NULL, *field = NULL;
    if (i < mm->nimports) { /* the i-th function import */
      inro_extern_kind kind;
      do inro_module_import(mm->module, imp++, &mod, &field, &kind);
      while (kind != INRO_EXTERN_FUNC);
    }
    if (named && *named) {
      mm->names[i] = str_ndup(named, strlen(named));
    } else if (exported[i]) {
      mm->names[i] = exported[i];
      exported[i] = NULL;
    } else if (mod) {
      size_t n = strlen(mod) + strlen(field) + 2, at = 0;
      if ((mm->names[i] = malloc(n))) {
        str_cat(mm->names[i], n, &at, mod);
        str_cat(mm->names[i], n, &at, ".");
        str_cat(mm->names[i], n, &at, field);
      }
    } else {
      size_t at = 0;
      str_cat(buf, sizeof buf, &at, "func[");
      str_cat_u64(buf, sizeof buf, &at, i);
      str_cat(buf, sizeof buf, &at, "]");
      mm->names[i] = str_ndup(buf, strlen(buf));
    }
    if (!mm->names[i]) return 0;
  }
  return 1;
}

int mon_module_init(mon_module *mm, const inro_module *module, inro_error *err) {
  memset(mm, 0, sizeof *mm);
  mm->most_instrs = 1;
  mm->module = module;
  mm->bytes = inro_module_bytes(module, &mm->size);
  size_t nimp = inro_module_import_count(module);
  for (size_t i = 0; i < nimp; i++) {
    inro_extern_kind kind;
    inro_module_import(module, i, NULL, NULL, &kind);
    mm->nimports += kind == INRO_EXTERN_FUNC;
  }
  mm->nfuncs = mm->nimports;
  /* Sections in order: exports (7) come before code (10). */
  reader r = {mm->bytes, 8, mm->size, NULL, 0};
  size_t export_at = 0, export_end = 0;
  int ok = 1;
  while (ok && !r.failed && r.pos < r.end) {
    uint8_t id = rd_u8(&r);
    uint32_t size = rd_u32(&r);
    if (r.failed || size > r.end - r.pos) break;
    reader sec = {mm->bytes, r.pos, r.pos + size, NULL, 0};
    if (id == 7) {
      export_at = sec.pos;
      export_end = sec.end;
    } else if (id == 10) {
      ok = read_code(mm, &sec);
    }
    r.pos += size;
  }
  if (!mm->funcs) mm->funcs = calloc(1, sizeof *mm->funcs);
  char **exported = calloc((size_t)mm->nfuncs + 1, sizeof *exported);
  if (ok && exported && export_at) {
    reader ex = {mm->bytes, export_at, export_end, NULL, 0};
    ok = read_exports(mm, &ex, exported);
  }
  ok = ok && exported && mm->funcs && make_names(mm, exported);
  for (uint32_t i = 0; exported && i < mm->nfuncs; i++) free(exported[i]);
  free(exported);
  if (mm->ninstrs) {
    mm->code_lo = mm->instrs[0].offset;
    mm->code_hi = mm->instrs[mm->ninstrs - 1].offset + 1;
  }
  if (!ok) {
    mon_module_free(mm);
    mon_err(err, INRO_ERR_NOMEM, "monitors: cannot read the module's code");
    return 0;
  }
  return 1;
}

void mon_module_free(mon_module *mm) {
  if (mm->have_debug) dbg_free(&mm->debug);
  free(mm->file_rank);
  free(mm->instr_row);
  for (uint32_t i = 0; mm->names && i < mm->nfuncs; i++) free(mm->names[i]);
  free(mm->names);
  free(mm->funcs);
  free(mm->instrs);
  memset(mm, 0, sizeof *mm);
}

const char *mon_func_name(const mon_module *mm, uint32_t funcidx) {
  return funcidx < mm->nfuncs ? mm->names[funcidx] : "?";
}

uint32_t mon_func_find(const mon_module *mm, const char *name) {
  for (uint32_t i = 0; i < mm->nfuncs; i++) {
    const char *named = inro_module_func_name(mm->module, i);
    if (!strcmp(mm->names[i], name) || (named && !strcmp(named, name))) return i;
  }
  char *end;
  unsigned long v = strtoul(name, &end, 10);
  if (*name >= '0' && *name <= '9' && !*end && v < mm->nfuncs) return (uint32_t)v;
  return UINT32_MAX;
}

const mon_instr *mon_instr_at(const mon_module *mm, uint32_t offset) {
  size_t lo = 0, hi = mm->ninstrs;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (mm->instrs[mid].offset < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo < mm->ninstrs && mm->instrs[lo].offset == offset ? &mm->instrs[lo] : NULL;
}

/* The instruction at offset (op -1 if unreadable, immediates 0). */
static int read_at(const mon_module *mm, uint32_t offset, instr *in) {
  reader r = {mm->bytes, offset, mm->size, NULL, 0};
  memset(in, 0, sizeof *in);
  int op = instr_read(&r, in);
  return r.failed ? -1 : op;
}

int mon_plain_access(const mon_module *mm, uint32_t offset) {
  instr in;
  return read_at(mm, offset, &in) >= 0 && module_plain_access(mm->module, &in);
}

void mon_imm(const mon_module *mm, uint32_t offset, uint64_t *a, uint64_t *b,
             uint32_t *nlabels) {
  instr in;
  read_at(mm, offset, &in);
  if (a) *a = in.a;
  if (b) *b = in.b;
  if (nlabels) *nlabels = in.vec_len;
}

void mon_memories(const mon_module *mm, uint32_t offset, uint32_t *dst, uint32_t *src) {
  instr in;
  int op = read_at(mm, offset, &in);
  *dst = *src = 0;
  if (op < 0) return;
  switch (op_table[op].imm) {
  case IMM_MEMARG: case IMM_MEMARG_LANE: *dst = *src = in.c; break;
  case IMM_MEMORY: *dst = *src = (uint32_t)in.a; break;
  case IMM_MEMORY_INIT: *dst = *src = (uint32_t)in.b; break;
  case IMM_MEMORY_COPY: *dst = (uint32_t)in.a; *src = (uint32_t)in.b; break;
  default: break;
  }
}

/* ------------------------------------------------------------- sources */

typedef struct named_file {
  const char *path;
  uint32_t index;
} named_file;

static int by_path(const void *a, const void *b) {
  return strcmp(((const named_file *)a)->path, ((const named_file *)b)->path);
}

/* Each file's place in path order, so positions sort by integers. */
static void rank_paths(mon_module *mm) {
  const dbg_info *d = &mm->debug;
  named_file *order = malloc((d->nfiles + 1) * sizeof *order);
  mm->file_rank = malloc((d->nfiles + 1) * sizeof *mm->file_rank);
  if (!order || !mm->file_rank) {
    free(order);
    free(mm->file_rank);
    mm->file_rank = NULL;
    return;
  }
  for (uint32_t i = 0; i < d->nfiles; i++) order[i] = (named_file){d->files[i], i};
  qsort(order, d->nfiles, sizeof *order, by_path);
  for (uint32_t i = 0; i < d->nfiles; i++) mm->file_rank[order[i].index] = i;
  free(order);
}

/* Each instruction's row, by one walk over the rows in offset order. */
static void map_rows(mon_module *mm) {
  const dbg_info *d = &mm->debug;
  mm->instr_row = malloc((mm->ninstrs + 1) * sizeof *mm->instr_row);
  if (!mm->instr_row) return;
  dbg_walk w = {0, 0, 0};
  for (size_t i = 0; i < mm->ninstrs; i++) {
    const dbg_row *r = dbg_find_next(d, &w, mm->instrs[i].offset);
    int has = r && r->line && r->file != UINT32_MAX;
    mm->instr_row[i] = has ? (uint32_t)(r - d->rows) : UINT32_MAX;
  }
}

static const dbg_info *debug_info(mon_module *mm) {
  if (!mm->have_debug) {
    dbg_read(&mm->debug, mm->bytes, mm->size);
    rank_paths(mm);
    map_rows(mm);
    mm->have_debug = 1;
  }
  return &mm->debug;
}

int mon_has_source(mon_module *mm) { return debug_info(mm)->nseqs > 0; }

static int row_source(mon_module *mm, const dbg_row *r, const char **file, uint32_t *line,
                      uint32_t *rank) {
  const dbg_info *d = &mm->debug;
  if (!r || !r->line || r->file == UINT32_MAX) return 0;
  *file = d->files[r->file];
  *line = r->line;
  *rank = mm->file_rank ? mm->file_rank[r->file] : 0;
  return 1;
}

int mon_source(mon_module *mm, uint32_t offset, const char **file, uint32_t *line) {
  uint32_t rank;
  const dbg_info *d = debug_info(mm);
  return row_source(mm, dbg_find(d, offset), file, line, &rank);
}

int mon_instr_source(mon_module *mm, size_t i, const char **file, uint32_t *line,
                     uint32_t *rank) {
  const dbg_info *d = debug_info(mm);
  if (!mm->instr_row) return row_source(mm, dbg_find(d, mm->instrs[i].offset), file, line, rank);
  uint32_t k = mm->instr_row[i];
  return k != UINT32_MAX && row_source(mm, &d->rows[k], file, line, rank);
}

/* "FILE:LINE" in buf. */
static const char *file_line(char *buf, size_t len, const char *file, uint32_t line) {
  size_t at = 0;
  str_cat(buf, len, &at, file);
  str_cat(buf, len, &at, ":");
  str_cat_u64(buf, len, &at, line);
  return buf;
}

const char *mon_where(mon_module *mm, uint32_t funcidx, uint32_t offset, char *buf,
                      size_t len) {
  const char *file;
  uint32_t line;
  if (mon_source(mm, offset, &file, &line)) return file_line(buf, len, file, line);
  size_t at = 0;
  str_cat(buf, len, &at, "wasm-function[");
  str_cat_u64(buf, len, &at, funcidx);
  str_cat(buf, len, &at, "]:");
  str_cat_hex(buf, len, &at, offset);
  return buf;
}

const char *mon_func_where(mon_module *mm, uint32_t funcidx, char *buf, size_t len) {
  const char *file;
  uint32_t line;
  return mon_func_source(mm, funcidx, &file, &line) ? file_line(buf, len, file, line) : NULL;
}

int mon_func_source(mon_module *mm, uint32_t funcidx, const char **file, uint32_t *line) {
  if (funcidx < mm->nimports || funcidx >= mm->nfuncs) return 0;
  const mon_func *f = &mm->funcs[funcidx - mm->nimports];
  uint32_t rank;
  for (uint32_t i = f->first; i < f->first + f->count; i++)
    if (mon_instr_source(mm, i, file, line, &rank)) return 1;
  return 0;
}

/*
** module.c -- what the monitors know of a module: every instruction of
** every defined function (offset and opcode), read from the module bytes
** with the decoder's own instruction reader, and a display name per
** function.  Built once per attach; the module was validated, so the walk
** does not re-check what validation guarantees.
*/
#include <stdlib.h>
#include <string.h>

#include "binary/instr.h"
#include "monitor/mon.h"

const char *mon_op_name(unsigned op) {
  return op < OP_COUNT ? op_table[op].text : "?";
}

/* Append the instructions of one body [pos, end). */
static int walk_body(mon_module *mm, size_t pos, size_t end, mon_func *f) {
  reader r = {mm->bytes, pos, end, NULL, 0};
  instr_skip_locals(&r);
  f->first = (uint32_t)mm->ninstrs;
  while (!r.failed && r.pos < end) {
    instr in;
    if (instr_read(&r, &in) < 0) break;
    if (!MON_GROW(mm->instrs, mm->capinstrs, mm->ninstrs, 1)) return 0;
    mm->instrs[mm->ninstrs].offset = (uint32_t)in.offset;
    mm->instrs[mm->ninstrs].op = (uint16_t)in.op;
    mm->ninstrs++;
  }
  f->count = (uint32_t)(mm->ninstrs - f->first);
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
  for (uint32_t i = 0; i < n && !r->failed; i++) {
    uint32_t size = rd_u32(r);
    if (r->failed || size > r->end - r->pos) return 0;
    if (!walk_body(mm, r->pos, r->pos + size, &mm->funcs[i])) return 0;
    r->pos += size;
  }
  return !r->failed;
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
      mm->names[i] = malloc(strlen(mod) + strlen(field) + 2);
      if (mm->names[i]) sprintf(mm->names[i], "%s.%s", mod, field);
    } else {
      snprintf(buf, sizeof buf, "func[%u]", (unsigned)i);
      mm->names[i] = str_ndup(buf, strlen(buf));
    }
    if (!mm->names[i]) return 0;
  }
  return 1;
}

int mon_module_init(mon_module *mm, const inro_module *module, inro_error *err) {
  memset(mm, 0, sizeof *mm);
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

void mon_imm(const mon_module *mm, uint32_t offset, uint64_t *a, uint64_t *b,
             uint32_t *nlabels) {
  reader r = {mm->bytes, offset, mm->size, NULL, 0};
  instr in;
  memset(&in, 0, sizeof in);
  instr_read(&r, &in);
  if (a) *a = in.a;
  if (b) *b = in.b;
  if (nlabels) *nlabels = in.vec_len;
}

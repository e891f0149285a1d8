/*
** decode.c -- the binary format: sections, in order, with exact sizes.
**
** Everything the spec classifies as "malformed" is found here, including
** inside function bodies: each body is skimmed (instruction by instruction
** with the opcode table) so that a later validation error can never hide a
** decoding error in a later function.  Index and type checks are left to
** validation.
*/
#include <stdlib.h>
#include <string.h>

#include "binary/instr.h"
#include "binary/module.h"

#define MAX_LOCALS 50000u   /* implementation limit per function */

/* Section ids, and the order they must appear in (custom sections
** anywhere): the tag section comes between memory and global, data count
** before code. */
enum { SEC_CUSTOM, SEC_TYPE, SEC_IMPORT, SEC_FUNCTION, SEC_TABLE, SEC_MEMORY,
       SEC_GLOBAL, SEC_EXPORT, SEC_START, SEC_ELEMENT, SEC_CODE, SEC_DATA,
       SEC_DATACOUNT, SEC_TAG };
static const int section_rank[14] = {0, 1, 2, 3, 4, 5, 7, 8, 9, 10, 12, 13, 11, 6};

typedef struct dec {
  inro_module *m;
  reader r;
  uint32_t nfunc_decls; /* entries of the function section */
  int seen_code;
} dec;

/* Element count of a vector, bounded by the bytes left (each element takes
** at least one byte), so a hostile count cannot cause a huge allocation. */
static uint32_t rd_count(reader *r) {
  uint32_t n = rd_u32(r);
  if (!r->failed && n > r->end - r->pos) {
    rd_fail(r, r->end - r->pos == 0 ? "unexpected end" : "length out of bounds");
    return 0;
  }
  return n;
}

static void *alloc_array(reader *r, size_t n, size_t size) {
  if (r->failed) return NULL;
  void *p = calloc(n ? n : 1, size);
  if (!p) rd_fail(r, "out of memory");
  return p;
}

static valtype rd_valtype(reader *r) { return rd_valtype3(r, 0); }
static valtype rd_reftype(reader *r) { return rd_valtype3(r, 1); }

/* Limits: flags (bit 0: a maximum follows, bit 2: 64-bit), then the
** minimum and the maximum. */
static limits rd_limits(reader *r) {
  limits l = {0, UINT64_MAX, 0, 0};
  uint8_t flag = rd_u8(r);
  if (r->failed) return l;
  if (flag & ~5u) {
    rd_fail(r, "malformed limits flags");
    return l;
  }
  l.is64 = (flag & 4) != 0;
  l.min = rd_u64(r); /* u64 for both: validation bounds 32-bit ones */
  if (flag & 1) {
    l.has_max = 1;
    l.max = rd_u64(r);
  }
  return l;
}

/* A constant expression: instructions up to `end`.  Its bytes are kept
** (validation checks them, instantiation runs them); a single instruction
** of the common kinds is also kept decoded. */
static constexpr_ rd_constexpr(reader *r) {
  constexpr_ ce = {CE_EXPR, 0, 0, 0, (uint32_t)r->pos, 0};
  uint32_t count = 0;
  instr first = {0, 0, 0, 0, 0, 0, 0, 0};
  for (;;) {
    instr in;
    if (instr_read(r, &in) < 0) return ce;
    if (in.op == OP_END) break;
    if (count++ == 0) first = in;
  }
  ce.end = (uint32_t)r->pos;
  if (count != 1) return ce;
  ce.value = first.a;
  switch (first.op) {
  case OP_I32_CONST: ce.kind = CE_I32; ce.value = (uint32_t)first.a; break;
  case OP_I64_CONST: ce.kind = CE_I64; break;
  case OP_F32_CONST: ce.kind = CE_F32; break;
  case OP_F64_CONST: ce.kind = CE_F64; break;
  case OP_V128_CONST: ce.kind = CE_V128; ce.value_hi = first.b; break;
  case OP_REF_NULL: ce.kind = CE_REF_NULL; ce.value = 0; break;
  case OP_REF_FUNC: ce.kind = CE_REF_FUNC; break;
  case OP_GLOBAL_GET: ce.kind = CE_GLOBAL_GET; break;
  default: break;
  }
  return ce;
}

/* One function type, at types[i] (its group set by the caller). */
static void rd_functype(reader *r, functype *ft) {
  uint32_t np = rd_count(r);
  valtype *types = alloc_array(r, np, sizeof *types);
  for (uint32_t k = 0; k < np && !r->failed; k++) types[k] = rd_valtype(r);
  uint32_t nr = rd_count(r);
  valtype *all = r->failed ? NULL : realloc(types, ((size_t)np + nr + 1) * sizeof *all);
  if (!all) {
    free(types);
    if (!r->failed) rd_fail(r, "out of memory");
    return;
  }
  for (uint32_t k = 0; k < nr && !r->failed; k++) all[np + k] = rd_valtype(r);
  ft->nparams = np;
  ft->nresults = nr;
  ft->types = all;
  ft->classes = malloc((size_t)np + nr + 1);
  if (!ft->classes) {
    rd_fail(r, "out of memory");
    return;
  }
  for (uint32_t k = 0; k < np + nr; k++) ft->classes[k] = vt_class(all[k]);
}

/* A subtype: `sub` (0x50) or `sub final` (0x4F) with its supertypes, or a
** bare composite type (final, no supertype).  Only function types. */
static void rd_subtype(reader *r, functype *ft) {
  uint8_t form = rd_u8(r);
  ft->super = NO_TYPE;
  ft->final = 1;
  if (form == 0x50 || form == 0x4F) {
    ft->final = form == 0x4F;
    uint32_t n = rd_count(r);
    for (uint32_t k = 0; k < n && !r->failed; k++) {
      uint32_t super = rd_u32(r);
      if (k == 0) ft->super = super;
      else if (!r->failed) rd_fail(r, "sub type"); /* at most one supertype */
    }
    form = rd_u8(r);
  }
  if (r->failed) return;
  if (form == 0x60) rd_functype(r, ft);
  else if (form == 0x5F || form == 0x5E) rd_fail(r, RD_GC); /* struct, array */
  else rd_fail(r, "integer representation too long"); /* bad form */
}

/* The type section: recursion groups (0x4E) and single types (a group of
** one), each type numbered in order. */
static void sec_type(dec *d) {
  reader *r = &d->r;
  inro_module *m = d->m;
  uint32_t ngroups = rd_count(r), cap = 0;
  for (uint32_t g = 0; g < ngroups && !r->failed; g++) {
    uint32_t n = 1;
    if (r->pos < r->end && r->base[r->pos] == 0x4E) {
      r->pos++;
      n = rd_count(r);
    }
    if (r->failed) return;
    if (n > VT_MAX_TYPES - m->ntypes) {
      rd_fail(r, "too many types");
      return;
    }
    if (m->ntypes + n > cap) {
      uint32_t ncap = cap ? cap : 16;
      while (ncap < m->ntypes + n) ncap *= 2;
      functype *t = realloc(m->types, ncap * sizeof *t);
      if (!t) {
        rd_fail(r, "out of memory");
        return;
      }
      memset(t + cap, 0, (ncap - cap) * sizeof *t);
      m->types = t;
      cap = ncap;
    }
    uint32_t first = m->ntypes;
    for (uint32_t k = 0; k < n && !r->failed; k++) {
      functype *ft = &m->types[m->ntypes++];
      ft->group = first;
      ft->group_size = n;
      rd_subtype(r, ft);
    }
  }
}

static void sec_import(dec *d) {
  reader *r = &d->r;
  inro_module *m = d->m;
  m->nimports = rd_count(r);
  m->imports = alloc_array(r, m->nimports, sizeof *m->imports);
  for (uint32_t i = 0; i < m->nimports && !r->failed; i++) {
    import *im = &m->imports[i];
    im->module = rd_name(r, NULL);
    im->name = rd_name(r, NULL);
    im->kind = rd_u8(r);
    if (r->failed) return;
    switch (im->kind) {
    case INRO_EXTERN_FUNC: im->desc.typeidx = rd_u32(r); m->nfunc_imports++; break;
    case INRO_EXTERN_TABLE:
      im->desc.table.elem = rd_reftype(r);
      im->desc.table.lim = rd_limits(r);
      m->ntable_imports++;
      break;
    case INRO_EXTERN_MEMORY: im->desc.mem = rd_limits(r); m->nmem_imports++; break;
    case INRO_EXTERN_GLOBAL:
      im->desc.global.type = rd_valtype(r);
      im->desc.global.mut = rd_u8(r);
      if (!r->failed && im->desc.global.mut > 1) rd_fail(r, "malformed mutability");
      m->nglobal_imports++;
      break;
    case INRO_EXTERN_TAG:
      if (rd_u8(r) != 0 && !r->failed) rd_fail(r, "malformed tag attribute");
      im->desc.typeidx = rd_u32(r);
      m->ntag_imports++;
      break;
    default:
      rd_fail(r, "malformed import kind");
    }
  }
}

static void sec_function(dec *d) {
  reader *r = &d->r;
  inro_module *m = d->m;
  d->nfunc_decls = rd_count(r);
  m->funcs = alloc_array(r, d->nfunc_decls, sizeof *m->funcs);
  if (m->funcs) m->nfunc_defs = d->nfunc_decls;
  for (uint32_t i = 0; i < d->nfunc_decls && !r->failed; i++)
    m->funcs[i].typeidx = rd_u32(r);
}

/* A table: its type, or 0x40 0x00, its type and an initial value. */
static void sec_table(dec *d) {
  reader *r = &d->r;
  inro_module *m = d->m;
  uint32_t n = rd_count(r);
  m->tables = alloc_array(r, (size_t)m->ntable_imports + n, sizeof *m->tables);
  m->table_defs = alloc_array(r, n, sizeof *m->table_defs);
  if (r->failed) return;
  m->ntables = m->ntable_imports + n;
  for (uint32_t i = 0; i < n && !r->failed; i++) {
    table_def *td = &m->table_defs[i];
    if (r->pos < r->end && r->base[r->pos] == 0x40) {
      r->pos++;
      if (rd_u8(r) != 0 && !r->failed) rd_fail(r, "malformed table");
      td->has_init = 1;
    }
    td->type.elem = rd_reftype(r);
    td->type.lim = rd_limits(r);
    if (td->has_init) td->init = rd_constexpr(r);
    m->tables[m->ntable_imports + i] = td->type;
  }
}

/* Tags: an attribute byte (0: exception) and a type index. */
static void sec_tag(dec *d) {
  reader *r = &d->r;
  inro_module *m = d->m;
  uint32_t n = rd_count(r);
  m->tag_types = alloc_array(r, (size_t)m->ntag_imports + n, sizeof *m->tag_types);
  if (r->failed) return;
  m->ntags = m->ntag_imports + n;
  for (uint32_t i = 0; i < n && !r->failed; i++) {
    if (rd_u8(r) != 0 && !r->failed) rd_fail(r, "malformed tag attribute");
    m->tag_types[m->ntag_imports + i] = rd_u32(r);
  }
}

static void sec_memory(dec *d) {
  reader *r = &d->r;
  inro_module *m = d->m;
  uint32_t n = rd_count(r);
  m->mems = alloc_array(r, (size_t)m->nmem_imports + n, sizeof *m->mems);
  m->nmems = m->nmem_imports + n;
  for (uint32_t i = 0; i < n && !r->failed; i++)
    m->mems[m->nmem_imports + i] = rd_limits(r);
}

static void sec_global(dec *d) {
  reader *r = &d->r;
  inro_module *m = d->m;
  uint32_t n = rd_count(r);
  m->globals = alloc_array(r, n, sizeof *m->globals);
  m->nglobals = m->nglobal_imports + n;
  for (uint32_t i = 0; i < n && !r->failed; i++) {
    global_def *g = &m->globals[i];
    g->type.type = rd_valtype(r);
    g->type.mut = rd_u8(r);
    if (!r->failed && g->type.mut > 1) rd_fail(r, "malformed mutability");
    g->init = rd_constexpr(r);
  }
}

static void sec_export(dec *d) {
  reader *r = &d->r;
  inro_module *m = d->m;
  m->nexports = rd_count(r);
  m->exports = alloc_array(r, m->nexports, sizeof *m->exports);
  for (uint32_t i = 0; i < m->nexports && !r->failed; i++) {
    export_ *e = &m->exports[i];
    e->name = rd_name(r, &e->name_len);
    e->kind = rd_u8(r);
    if (!r->failed && e->kind > INRO_EXTERN_TAG) rd_fail(r, "malformed export kind");
    e->index = rd_u32(r);
  }
}

static void sec_start(dec *d) {
  d->m->has_start = 1;
  d->m->start = rd_u32(&d->r);
}

static void sec_element(dec *d) {
  reader *r = &d->r;
  inro_module *m = d->m;
  m->nelems = rd_count(r);
  m->elems = alloc_array(r, m->nelems, sizeof *m->elems);
  for (uint32_t i = 0; i < m->nelems && !r->failed; i++) {
    elem_seg *e = &m->elems[i];
    uint32_t flags = rd_u32(r);
    if (r->failed) return;
    if (flags > 7) {
      rd_fail(r, "malformed elements segment kind");
      return;
    }
    int passive_or_decl = flags & 1, explicit_table = flags & 2,
        exprs = flags & 4;
    e->mode = !passive_or_decl ? SEG_ACTIVE
              : explicit_table ? SEG_DECLARATIVE : SEG_PASSIVE;
    /* Function indices are (ref func); expressions without a type funcref. */
    e->type = exprs ? (valtype)INRO_FUNCREF : vt_abstract(HT_FUNC, 0);
    if (e->mode == SEG_ACTIVE) {
      if (explicit_table) e->table = rd_u32(r);
      e->offset = rd_constexpr(r);
    }
    if (passive_or_decl || explicit_table) {
      if (exprs) {
        e->type = rd_reftype(r);
      } else if (rd_u8(r) != 0x00 && !r->failed) {
        rd_fail(r, "malformed elements segment kind");
      }
    }
    e->count = rd_count(r);
    e->items = alloc_array(r, e->count, sizeof *e->items);
    for (uint32_t k = 0; k < e->count && !r->failed; k++) {
      if (exprs) {
        e->items[k] = rd_constexpr(r);
      } else {
        e->items[k].kind = CE_REF_FUNC;
        e->items[k].value = rd_u32(r);
      }
    }
  }
}

static void sec_datacount(dec *d) {
  d->m->has_datacount = 1;
  d->m->datacount = rd_u32(&d->r);
}

/* Skim a body from after its locals to `end`: every instruction
** well-formed and the final `end` exactly at the end. */
static void skim_body(reader *r, size_t end) {
  uint32_t depth = 1;
  while (!r->failed) {
    if (r->pos >= end) {
      rd_fail(r, "END opcode expected");
      return;
    }
    instr in;
    if (instr_read(r, &in) < 0) return;
    if (r->pos > end) {
      r->pos = end;
      rd_fail(r, "unexpected end of section or function");
      return;
    }
    switch (in.op) {
    case OP_BLOCK: case OP_LOOP: case OP_IF: case OP_TRY: case OP_TRY_TABLE: depth++; break;
    case OP_DELEGATE: /* ends its try */
    case OP_END:
      if (--depth == 0) {
        if (r->pos != end) rd_fail(r, "section size mismatch");
        return;
      }
      break;
    default: break;
    }
  }
}

int module_check_bodies(const inro_module *m, uint32_t from, inro_error *err) {
  for (uint32_t i = from; i < m->nfunc_defs; i++) {
    reader r = {m->bytes, m->funcs[i].body_start, m->funcs[i].body_end, NULL, 0};
    instr_skip_locals(&r);
    skim_body(&r, r.end);
    if (r.failed)
      return err_set(err, rd_unsupported(r.failed) ? INRO_ERR_UNSUPPORTED : INRO_ERR_MALFORMED,
                     "%s (at byte 0x%zx)", r.failed, r.fail_pos);
  }
  return 1;
}

static void sec_code(dec *d) {
  reader *r = &d->r;
  inro_module *m = d->m;
  uint32_t n = rd_count(r);
  if (r->failed) return;
  if (n != d->nfunc_decls) {
    rd_fail(r, "function and code section have inconsistent lengths");
    return;
  }
  d->seen_code = 1;
  m->code_start = (uint32_t)r->pos;
  for (uint32_t i = 0; i < n && !r->failed; i++) {
    uint32_t size = rd_u32(r);
    if (r->failed) return;
    if (size > r->end - r->pos) {
      rd_fail(r, "unexpected end of section or function");
      return;
    }
    size_t end = r->pos + size;
    reader body = *r;
    body.end = end;
    uint32_t ngroups = rd_u32(&body);
    uint64_t total = 0;
    for (uint32_t k = 0; k < ngroups && !body.failed; k++) {
      total += rd_u32(&body);
      if (total > UINT32_MAX) rd_fail(&body, "too many locals");
      rd_valtype(&body);
    }
    if (!body.failed && total > MAX_LOCALS)
      rd_fail(&body, "too many locals");
    if (body.failed) {
      *r = body;
      return;
    }
    m->funcs[i].body_start = (uint32_t)r->pos;
    m->funcs[i].body_end = (uint32_t)end;
    r->pos = end; /* the instructions are decoded as they are validated */
  }
}

static void sec_data(dec *d) {
  reader *r = &d->r;
  inro_module *m = d->m;
  m->ndatas = rd_count(r);
  if (r->failed) return;
  if (m->has_datacount && m->datacount != m->ndatas) {
    rd_fail(r, "data count and data section have inconsistent lengths");
    return;
  }
  m->datas = alloc_array(r, m->ndatas, sizeof *m->datas);
  for (uint32_t i = 0; i < m->ndatas && !r->failed; i++) {
    data_seg *s = &m->datas[i];
    uint32_t flags = rd_u32(r);
    if (r->failed) return;
    if (flags > 2) {
      rd_fail(r, "malformed data segment kind");
      return;
    }
    s->mode = flags == 1 ? SEG_PASSIVE : SEG_ACTIVE;
    if (flags == 2) s->memory = rd_u32(r);
    if (s->mode == SEG_ACTIVE) s->offset = rd_constexpr(r);
    s->size = rd_u32(r);
    if (!r->failed && s->size > r->end - r->pos) {
      rd_fail(r, "unexpected end of section or function");
      return;
    }
    s->bytes = rd_bytes(r, s->size);
  }
}

/* The name section: only function names (subsection 1) are used.  Its
** contents are not validated as malformed; a broken one is ignored. */
static void custom_name(inro_module *m, reader sub) {
  while (!rd_eof(&sub) && !sub.failed) {
    uint8_t id = rd_u8(&sub);
    uint32_t size = rd_u32(&sub);
    if (sub.failed || size > sub.end - sub.pos) return;
    size_t next = sub.pos + size;
    if (id == 1) {
      reader nr = sub;
      nr.end = next;
      uint32_t n = rd_u32(&nr);
      for (uint32_t i = 0; i < n && !nr.failed; i++) {
        uint32_t idx = rd_u32(&nr);
        char *name = rd_name(&nr, NULL);
        if (!name) return;
        if (idx < m->nfuncs && !m->func_names[idx]) m->func_names[idx] = name;
        else free(name);
      }
    }
    sub.pos = next;
  }
}

typedef void (*section_fn)(dec *);
static const section_fn section_fns[14] = {
  NULL, sec_type, sec_import, sec_function, sec_table, sec_memory,
  sec_global, sec_export, sec_start, sec_element, sec_code, sec_data,
  sec_datacount, sec_tag,
};

int module_decode(inro_module *m, inro_error *err) {
  dec d;
  memset(&d, 0, sizeof d);
  d.m = m;
  d.r.base = m->bytes;
  d.r.end = m->size;
  reader *r = &d.r;
  size_t name_pos = 0, name_end = 0;

  const uint8_t *magic = rd_bytes(r, 4);
  if (!magic || memcmp(magic, "\0asm", 4))
    return err_set(err, INRO_ERR_MALFORMED, "magic header not detected");
  if (rd_fixed32(r) != 1 || r->failed)
    return err_set(err, INRO_ERR_MALFORMED, "unknown binary version");

  int last_rank = 0;
  while (!rd_eof(r) && !r->failed) {
    size_t sec_pos = r->pos;
    uint8_t id = rd_u8(r);
    if (id > SEC_TAG) {
      r->pos = sec_pos;
      rd_fail(r, "malformed section id");
      break;
    }
    uint32_t size = rd_u32(r);
    if (r->failed) break;
    if (size > r->end - r->pos) {
      rd_fail(r, "length out of bounds");
      break;
    }
    size_t end = r->pos + size;
    if (id != SEC_CUSTOM) {
      if (section_rank[id] <= last_rank) {
        rd_fail(r, "unexpected content after last section");
        break;
      }
      last_rank = section_rank[id];
    }
    size_t outer_end = r->end;
    r->end = end;
    if (id == SEC_CUSTOM) {
      char *name = rd_name(r, NULL);
      if (name && !strcmp(name, "name")) {
        name_pos = r->pos;
        name_end = end;
      }
      free(name);
      if (!r->failed) r->pos = end;
    } else {
      section_fns[id](&d);
      if (!r->failed && r->pos != end) rd_fail(r, "section size mismatch");
    }
    if (r->failed) break;
    r->end = outer_end;
    r->pos = end;
  }
  if (r->failed) {
    return err_set(err, rd_unsupported(r->failed) ? INRO_ERR_UNSUPPORTED : INRO_ERR_MALFORMED,
                   "%s (at byte 0x%zx)", r->failed, r->fail_pos);
  }
  if (!d.seen_code && d.nfunc_decls)
    return err_set(err, INRO_ERR_MALFORMED,
                   "function and code section have inconsistent lengths");
  /* An absent data section has no segments: a data count must say 0. */
  if (m->has_datacount && m->datacount != m->ndatas)
    return err_set(err, INRO_ERR_MALFORMED,
                   "data count and data section have inconsistent lengths");

  /* Index spaces: imports, then definitions (sections may be absent). */
  if (m->nglobals < m->nglobal_imports) m->nglobals = m->nglobal_imports;
  m->nfuncs = m->nfunc_imports + d.nfunc_decls;
  m->func_types = calloc(m->nfuncs ? m->nfuncs : 1, sizeof *m->func_types);
  m->func_names = calloc(m->nfuncs ? m->nfuncs : 1, sizeof *m->func_names);
  m->func_refs = calloc(m->nfuncs ? m->nfuncs : 1, 1);
  m->global_types = calloc(m->nglobals ? m->nglobals : 1, sizeof *m->global_types);
  if (!m->tables && m->ntable_imports) {
    m->tables = calloc(m->ntable_imports, sizeof *m->tables);
    m->ntables = m->ntable_imports;
  }
  if (!m->mems && m->nmem_imports) {
    m->mems = calloc(m->nmem_imports, sizeof *m->mems);
    m->nmems = m->nmem_imports;
  }
  if (!m->tag_types && m->ntag_imports) {
    m->tag_types = calloc(m->ntag_imports, sizeof *m->tag_types);
    m->ntags = m->ntag_imports;
  }
  if (!m->func_types || !m->func_names || !m->func_refs || !m->global_types ||
      (m->ntable_imports && !m->tables) || (m->nmem_imports && !m->mems) ||
      (m->ntag_imports && !m->tag_types))
    return err_set(err, INRO_ERR_NOMEM, "out of memory");
  uint32_t f = 0, t = 0, me = 0, g = 0, tg = 0;
  for (uint32_t i = 0; i < m->nimports; i++) {
    import *im = &m->imports[i];
    switch (im->kind) {
    case INRO_EXTERN_FUNC: m->func_types[f++] = im->desc.typeidx; break;
    case INRO_EXTERN_TABLE: m->tables[t++] = im->desc.table; break;
    case INRO_EXTERN_MEMORY: m->mems[me++] = im->desc.mem; break;
    case INRO_EXTERN_GLOBAL: m->global_types[g++] = im->desc.global; break;
    case INRO_EXTERN_TAG: m->tag_types[tg++] = im->desc.typeidx; break;
    }
  }
  for (uint32_t i = 0; i < d.nfunc_decls; i++)
    m->func_types[f++] = m->funcs[i].typeidx;
  for (uint32_t i = 0; g < m->nglobals; i++) m->global_types[g++] = m->globals[i].type;

  if (name_end) {
    reader sub = {m->bytes, name_pos, name_end, NULL, 0};
    custom_name(m, sub);
  }
  return 1;
}

/*
** line.c -- the line number programs of .debug_line (DWARF 2 to 5, 6.2):
** each unit's header (its directories and files) and its program, run on
** the state machine into rows.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "debug/dwarf.h"

enum { /* standard opcodes */
  LNS_copy = 1, LNS_advance_pc, LNS_advance_line, LNS_set_file, LNS_set_column,
  LNS_negate_stmt, LNS_set_basic_block, LNS_const_add_pc, LNS_fixed_advance_pc,
  LNS_set_prologue_end, LNS_set_epilogue_begin, LNS_set_isa
};
enum { /* extended opcodes */
  LNE_end_sequence = 1, LNE_set_address, LNE_define_file, LNE_set_discriminator
};
enum { LNCT_path = 1, LNCT_directory_index = 2 };

typedef struct unit {
  const dw_sections *s;
  dbg_info *d;
  unsigned version, osize, asize;
  unsigned min_inst, default_is_stmt, line_range, opcode_base;
  int line_base;
  uint8_t std_lens[256];
  const char *compdir;       /* from .debug_info, or NULL */
  const char **dirs;         /* as written; [0] is the compilation dir in v5 */
  size_t ndirs, capdirs;
  uint32_t *files;           /* dbg_info.files index per file entry */
  size_t nfiles, capfiles;
  int nomem;
} unit;

static int grow(void **items, size_t *cap, size_t n, size_t size) {
  if (n < *cap) return 1;
  size_t want = *cap ? 2 * *cap : 16;
  void *more = want <= SIZE_MAX / size ? realloc(*items, want * size) : NULL;
  if (!more) return 0;
  *items = more;
  *cap = want;
  return 1;
}

static int absolute(const char *p) {
  return p[0] == '/' || p[0] == '\\' ||
         (((p[0] | 0x20) >= 'a' && (p[0] | 0x20) <= 'z') && p[1] == ':');
}

/* LLVM's sys::path::append (POSIX style): a '/' between components
** unless one is there already; empty components are skipped. */
static void append(char *path, size_t *len, const char *part) {
  if (!part || !*part) return;
  if (*len && path[*len - 1] == '/') {
    while (*part == '/') part++;
  } else if (*len && *part != '/') {
    path[(*len)++] = '/';
  }
  size_t n = strlen(part);
  memcpy(path + *len, part, n);
  *len += n;
  path[*len] = 0;
}

/* The path of a file entry, as LLVM resolves an absolute file path
** (DWARFDebugLine's getFileNameByIndex): the name if absolute, else the
** compilation directory (unless the directory is absolute, or is the v5
** entry 0, which is that directory), the directory, the name. */
static void add_file(unit *u, const char *name, uint64_t dir) {
  if (u->nomem) return;
  if (!grow((void **)&u->files, &u->capfiles, u->nfiles, sizeof *u->files)) {
    u->nomem = 1;
    return;
  }
  const char *inc = NULL;
  if (u->version >= 5) {
    if (dir < u->ndirs) inc = u->dirs[dir];
  } else if (dir > 0 && dir <= u->ndirs) {
    inc = u->dirs[dir - 1];
  }
  const char *comp = u->compdir;
  if (!comp && u->version >= 5 && u->ndirs) comp = u->dirs[0];
  size_t cap = strlen(name) + (inc ? strlen(inc) : 0) + (comp ? strlen(comp) : 0) + 3;
  char *path = malloc(cap);
  if (!path) {
    u->nomem = 1;
    return;
  }
  size_t len = 0;
  path[0] = 0;
  if (absolute(name)) {
    append(path, &len, name);
  } else {
    if ((u->version < 5 || dir != 0) && comp && !(inc && absolute(inc)))
      append(path, &len, comp);
    append(path, &len, inc);
    append(path, &len, name);
  }
  uint32_t id = dbg_intern(u->d, path, len);
  free(path);
  if (id == UINT32_MAX) u->nomem = 1;
  u->files[u->nfiles++] = id;
}

static void add_dir(unit *u, const char *dir) {
  if (!grow((void **)&u->dirs, &u->capdirs, u->ndirs, sizeof *u->dirs)) u->nomem = 1;
  else u->dirs[u->ndirs++] = dir;
}

/* DWARF 2-4: include_directories and file_names, each ended by an empty
** string. */
static int old_tables(unit *u, dw_cur *c) {
  for (;;) {
    const char *dir = dw_str(c);
    if (!dir || !*dir) break;
    add_dir(u, dir);
  }
  for (;;) {
    const char *name = dw_str(c);
    if (!name || !*name) break;
    uint64_t dir = dw_uleb(c);
    dw_uleb(c); /* modification time */
    dw_uleb(c); /* length */
    add_file(u, name, dir);
  }
  return !c->failed && !u->nomem;
}

/* DWARF 5: an entry format (content type, form pairs), then the entries;
** for directories (files == 0) and files. */
static int new_table(unit *u, dw_cur *c, int files) {
  unsigned nformat = (unsigned)dw_fixed(c, 1);
  uint64_t format[2 * 255];
  for (unsigned i = 0; i < nformat; i++) {
    format[2 * i] = dw_uleb(c);
    format[2 * i + 1] = dw_uleb(c);
  }
  uint64_t n = dw_uleb(c);
  for (uint64_t k = 0; k < n && !c->failed && !u->nomem; k++) {
    const char *path = NULL;
    uint64_t dir = 0;
    for (unsigned i = 0; i < nformat; i++) {
      uint64_t v, form = format[2 * i + 1];
      const char *in_place;
      if (form > 0xff || form == DW_FORM_indirect ||
          !dw_form_value(c, (unsigned)form, u->version, u->osize, u->asize, &v, &in_place))
        return 0;
      if (format[2 * i] == LNCT_path) {
        path = dw_form_string(u->s, (unsigned)form, v, in_place, 0, u->osize);
        if (!path) return 0;
      } else if (format[2 * i] == LNCT_directory_index) {
        dir = v;
      }
    }
    if (!path) return 0;
    if (files) add_file(u, path, dir);
    else add_dir(u, path);
  }
  return !c->failed && !u->nomem;
}

/* The state machine's registers (6.2.2). */
typedef struct regs {
  uint64_t address;
  uint32_t file, line, column, isa, discriminator;
  uint8_t flags;
  uint8_t dropped;  /* the sequence's address is the linker's tombstone */
} regs;

static void reset(const unit *u, regs *r) {
  memset(r, 0, sizeof *r);
  r->file = 1;
  r->line = 1;
  if (u->default_is_stmt) r->flags = DBG_STMT;
}

/* Append a row, unless its sequence belongs to code the linker dropped
** (wasm-ld sets their address to all ones; LLVM's readers skip them). */
static int emit(unit *u, regs *r) {
  dbg_info *d = u->d;
  if (r->dropped) return 1;
  if (!grow((void **)&d->rows, &d->caprows, d->nrows, sizeof *d->rows)) return 0;
  uint32_t k = u->version >= 5 ? r->file : r->file - 1; /* v2-4 count from 1 */
  dbg_row *row = &d->rows[d->nrows++];
  row->address = r->address;
  row->line = r->line;
  row->column = r->column;
  row->file_index = r->file;
  row->file = k < u->nfiles ? u->files[k] : UINT32_MAX;
  row->isa = r->isa;
  row->discriminator = r->discriminator;
  row->flags = r->flags;
  r->discriminator = 0;
  r->flags &= (uint8_t)~(DBG_BASIC_BLOCK | DBG_PROLOGUE_END | DBG_EPILOGUE_BEGIN);
  return 1;
}

/* One extended opcode (after its 0 byte); 0 if malformed. */
static int extended(unit *u, dw_cur *c, regs *r) {
  uint64_t len = dw_uleb(c);
  if (c->failed || len == 0 || len > (uint64_t)(c->end - c->p)) return 0;
  dw_cur op = {c->p, c->p + len, 0};
  c->p += len;
  switch (dw_fixed(&op, 1)) {
  case LNE_end_sequence:
    r->flags |= DBG_END_SEQUENCE;
    if (!emit(u, r)) return 0;
    reset(u, r);
    break;
  case LNE_set_address:
    if (len - 1 > 8 || len < 2) return 0;
    r->address = dw_fixed(&op, (unsigned)(len - 1));
    r->dropped = r->address == (len - 1 == 8 ? UINT64_MAX : ((uint64_t)1 << (8 * (len - 1))) - 1);
    break;
  case LNE_define_file: {
    const char *name = dw_str(&op);
    uint64_t dir = dw_uleb(&op);
    if (!name) return 0;
    add_file(u, name, dir);
    if (u->nomem) return 0;
    break;
  }
  case LNE_set_discriminator: r->discriminator = (uint32_t)dw_uleb(&op); break;
  default: break; /* unknown: its length says how much to skip */
  }
  return !op.failed;
}

/* Run the program [c->p, c->end). */
static int run(unit *u, dw_cur *c) {
  regs r;
  reset(u, &r);
  while (c->p < c->end && !c->failed) {
    unsigned op = *c->p++; /* in bounds: the loop's test */
    if (op >= u->opcode_base) { /* special opcode */
      if (!u->line_range) return 0;
      unsigned adj = op - u->opcode_base;
      r.address += (uint64_t)(adj / u->line_range) * u->min_inst;
      r.line += (uint32_t)(u->line_base + (int)(adj % u->line_range));
      if (!emit(u, &r)) return 0;
      continue;
    }
    switch (op) {
    case 0: if (!extended(u, c, &r)) return 0; break;
    case LNS_copy: if (!emit(u, &r)) return 0; break;
    case LNS_advance_pc: r.address += dw_uleb(c) * u->min_inst; break;
    case LNS_advance_line: r.line += (uint32_t)dw_sleb(c); break;
    case LNS_set_file: r.file = (uint32_t)dw_uleb(c); break;
    case LNS_set_column: r.column = (uint32_t)dw_uleb(c); break;
    case LNS_negate_stmt: r.flags ^= DBG_STMT; break;
    case LNS_set_basic_block: r.flags |= DBG_BASIC_BLOCK; break;
    case LNS_const_add_pc:
      if (!u->line_range) return 0;
      r.address += (uint64_t)((255 - u->opcode_base) / u->line_range) * u->min_inst;
      break;
    case LNS_fixed_advance_pc: r.address += dw_fixed(c, 2); break;
    case LNS_set_prologue_end: r.flags |= DBG_PROLOGUE_END; break;
    case LNS_set_epilogue_begin: r.flags |= DBG_EPILOGUE_BEGIN; break;
    case LNS_set_isa: r.isa = (uint32_t)dw_uleb(c); break;
    default: /* a standard opcode this reader does not know */
      for (unsigned i = 0; i < u->std_lens[op]; i++) dw_uleb(c);
      break;
    }
  }
  return !c->failed;
}

/* The unit whose header starts at c (which is left after it); 1 if read
** or skipped (an unknown version), 0 if malformed. */
static int read_unit(dbg_info *d, const dw_sections *s, dw_cur *c,
                     const dw_compdir *dirs, size_t ndirs) {
  uint64_t at = (uint64_t)(c->p - s->line.p);
  unit u;
  memset(&u, 0, sizeof u);
  u.s = s;
  u.d = d;
  uint64_t len = dw_unit_length(c, &u.osize);
  if (c->failed) return 0;
  dw_cur h = {c->p, c->p + len, 0};
  c->p += len;
  u.version = (unsigned)dw_fixed(&h, 2);
  if (u.version < 2 || u.version > 5) return !h.failed;
  u.asize = 4;
  if (u.version >= 5) {
    u.asize = (unsigned)dw_fixed(&h, 1);
    dw_fixed(&h, 1); /* segment selector size */
  }
  uint64_t header_len = dw_fixed(&h, u.osize);
  if (h.failed || header_len > (uint64_t)(h.end - h.p)) return 0;
  dw_cur prog = {h.p + header_len, h.end, 0};
  h.end = prog.p;
  u.min_inst = (unsigned)dw_fixed(&h, 1);
  if (u.version >= 4) dw_fixed(&h, 1); /* maximum operations per instruction */
  u.default_is_stmt = (unsigned)dw_fixed(&h, 1);
  u.line_base = (int)(int8_t)dw_fixed(&h, 1);
  u.line_range = (unsigned)dw_fixed(&h, 1);
  u.opcode_base = (unsigned)dw_fixed(&h, 1);
  for (unsigned i = 1; i < u.opcode_base; i++) u.std_lens[i] = (uint8_t)dw_fixed(&h, 1);
  for (size_t i = 0; i < ndirs; i++)
    if (dirs[i].stmt_list == at) u.compdir = dirs[i].dir;
  size_t first = d->nrows;
  int ok = !h.failed && u.opcode_base > 0 &&
           (u.version >= 5 ? new_table(&u, &h, 0) && new_table(&u, &h, 1)
                           : old_tables(&u, &h)) &&
           run(&u, &prog);
  free(u.dirs);
  free(u.files);
  if (!ok) {
    d->nrows = first;
    return 0;
  }
  dbg_unit *units = realloc(d->units, (d->nunits + 1) * sizeof *units);
  if (!units) {
    d->nrows = first;
    return 0;
  }
  d->units = units;
  d->units[d->nunits++] = (dbg_unit){at, (uint16_t)u.version, first, d->nrows - first};
  return 1;
}

int dw_read_lines(dbg_info *d, const dw_sections *s, const dw_compdir *dirs,
                  size_t ndirs) {
  dw_cur c = {s->line.p, s->line.end, 0};
  while (c.p < c.end) {
    uint64_t at = (uint64_t)(c.p - s->line.p);
    if (!read_unit(d, s, &c, dirs, ndirs)) {
      snprintf(d->error, sizeof d->error,
               ".debug_line: the unit at 0x%llx is malformed (or out of memory)",
               (unsigned long long)at);
      return 0;
    }
  }
  return 1;
}

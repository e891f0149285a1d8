/*
** dwarf.h -- internals of the DWARF reader (debug.h): a bounds-checked
** cursor over section bytes, the sections of a module it needs, attribute
** forms, and the two readers it is made of.
**
** The cursor never reads past its end: a read that would sets `failed`
** and returns 0, so a record is read whole and checked once.
*/
#ifndef INRO_DWARF_H
#define INRO_DWARF_H

#include "debug/debug.h"

typedef struct dw_cur {
  const uint8_t *p, *end;
  int failed;
} dw_cur;

/* A little-endian integer of n bytes (1 to 8). */
uint64_t dw_fixed(dw_cur *c, unsigned n);
uint64_t dw_uleb(dw_cur *c);
int64_t dw_sleb(dw_cur *c);
/* A NUL-terminated string in place, or NULL (failed is set). */
const char *dw_str(dw_cur *c);
void dw_skip(dw_cur *c, uint64_t n);
/* A unit's length field: sets *offset_size to 4 or 8 and returns the
** length, checked to fit in what is left. */
uint64_t dw_unit_length(dw_cur *c, unsigned *offset_size);

/* A custom section's contents, or {NULL, NULL} when absent. */
typedef struct dw_span {
  const uint8_t *p, *end;
} dw_span;

typedef struct dw_sections {
  dw_span line, line_str, info, abbrev, str, str_offsets;
} dw_sections;

/* The NUL-terminated string at offset `at` of a string section, or NULL. */
const char *dw_str_at(dw_span s, uint64_t at);

/* Attribute forms (DWARF 5, 7.5.6) the readers decode or skip. */
enum {
  DW_FORM_addr = 0x01, DW_FORM_block2 = 0x03, DW_FORM_block4 = 0x04,
  DW_FORM_data2 = 0x05, DW_FORM_data4 = 0x06, DW_FORM_data8 = 0x07,
  DW_FORM_string = 0x08, DW_FORM_block = 0x09, DW_FORM_block1 = 0x0a,
  DW_FORM_data1 = 0x0b, DW_FORM_flag = 0x0c, DW_FORM_sdata = 0x0d,
  DW_FORM_strp = 0x0e, DW_FORM_udata = 0x0f, DW_FORM_ref_addr = 0x10,
  DW_FORM_ref1 = 0x11, DW_FORM_ref2 = 0x12, DW_FORM_ref4 = 0x13,
  DW_FORM_ref8 = 0x14, DW_FORM_ref_udata = 0x15, DW_FORM_indirect = 0x16,
  DW_FORM_sec_offset = 0x17, DW_FORM_exprloc = 0x18,
  DW_FORM_flag_present = 0x19, DW_FORM_strx = 0x1a, DW_FORM_addrx = 0x1b,
  DW_FORM_ref_sup4 = 0x1c, DW_FORM_strp_sup = 0x1d, DW_FORM_data16 = 0x1e,
  DW_FORM_line_strp = 0x1f, DW_FORM_ref_sig8 = 0x20,
  DW_FORM_implicit_const = 0x21, DW_FORM_loclistx = 0x22,
  DW_FORM_rnglistx = 0x23, DW_FORM_ref_sup8 = 0x24, DW_FORM_strx1 = 0x25,
  DW_FORM_strx2 = 0x26, DW_FORM_strx3 = 0x27, DW_FORM_strx4 = 0x28,
  DW_FORM_addrx1 = 0x29, DW_FORM_addrx2 = 0x2a, DW_FORM_addrx3 = 0x2b,
  DW_FORM_addrx4 = 0x2c
};

/* Read a value of the form: an integer or offset into *value, and for
** DW_FORM_string the string in place into *string (if string is not
** NULL; it is set to NULL for other forms).  Blocks are skipped and give
** their length.  1, or 0 for a form the reader does not know or a cursor
** that failed.  version and the sizes are the unit's. */
int dw_form_value(dw_cur *c, unsigned form, unsigned version,
                  unsigned offset_size, unsigned address_size,
                  uint64_t *value, const char **string);

/* The string a string-class value (DW_FORM_string, strp, line_strp,
** strx*) stands for, or NULL; in_place is what dw_form_value gave for
** DW_FORM_string, str_offsets_base the unit's (for strx). */
const char *dw_form_string(const dw_sections *s, unsigned form, uint64_t v,
                           const char *in_place, uint64_t str_offsets_base,
                           unsigned offset_size);

/* units.c: the compilation directory of the unit whose line table is at
** `stmt_list` in .debug_line, or NULL.  Read from .debug_info once. */
typedef struct dw_compdir {
  uint64_t stmt_list;
  const char *dir;          /* in the module bytes */
} dw_compdir;
/* Every compile unit's (stmt_list, comp_dir), malloc'd into *out; the
** count, or 0 (none, or malformed: reading stops there). */
size_t dw_compdirs(const dw_sections *s, dw_compdir **out);

/* line.c: run every line program of .debug_line into d (rows, units,
** files).  1, or 0 with d->error set (what came before stays). */
int dw_read_lines(dbg_info *d, const dw_sections *s, const dw_compdir *dirs,
                  size_t ndirs);

/* debug.c: the index of path in d->files (added if new), or UINT32_MAX
** when out of memory. */
uint32_t dbg_intern(dbg_info *d, const char *path, size_t len);

#endif

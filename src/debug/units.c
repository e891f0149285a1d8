/*
** units.c -- the compilation directory of each compile unit, from the
** first entry of every unit in .debug_info (its DW_AT_stmt_list says which
** line table is its own).  A DWARF 4 line table names the unit's own
** files relative to that directory without writing it down, so paths
** need it; this is all the reader takes from .debug_info.
*/
#include <stdlib.h>

#include "debug/dwarf.h"

enum {
  DW_AT_stmt_list = 0x10,
  DW_AT_comp_dir = 0x1b,
  DW_AT_str_offsets_base = 0x72,
  DW_UT_compile = 1, DW_UT_type = 2, DW_UT_partial = 3, DW_UT_skeleton = 4,
  DW_UT_split_compile = 5
};

/* Position the cursor a on the attribute list of abbreviation `code` in
** the table at `at` of .debug_abbrev; 0 if it is not there. */
static int find_abbrev(const dw_sections *s, uint64_t at, uint64_t code, dw_cur *a) {
  if (!s->abbrev.p || at >= (uint64_t)(s->abbrev.end - s->abbrev.p)) return 0;
  *a = (dw_cur){s->abbrev.p + at, s->abbrev.end, 0};
  while (!a->failed) {
    uint64_t c = dw_uleb(a);
    if (c == 0) return 0;
    dw_uleb(a);       /* tag */
    dw_fixed(a, 1);   /* has children */
    if (c == code) return !a->failed;
    for (;;) {        /* skip its (attribute, form) pairs */
      uint64_t attr = dw_uleb(a), form = dw_uleb(a);
      if (form == DW_FORM_implicit_const) dw_sleb(a);
      if ((!attr && !form) || a->failed) break;
    }
  }
  return 0;
}

/* The stmt_list and comp_dir of the unit's first entry (u stands past
** the unit header) into *found; 0 if it lacks either. */
static int unit_compdir(const dw_sections *s, dw_cur *u, unsigned version,
                        unsigned osize, unsigned asize, uint64_t abbrev_at,
                        dw_compdir *found) {
  dw_cur a;
  uint64_t code = dw_uleb(u);
  if (!code || !find_abbrev(s, abbrev_at, code, &a)) return 0;
  uint64_t stmt = 0, dir_value = 0, str_base = osize == 8 ? 16 : 8;
  unsigned dir_form = 0;
  int have_stmt = 0;
  const char *dir_in_place = NULL;
  for (;;) {
    uint64_t attr = dw_uleb(&a), form = dw_uleb(&a), v;
    if (form == DW_FORM_implicit_const) dw_sleb(&a);
    if (a.failed || (!attr && !form)) break;
    while (form == DW_FORM_indirect && !u->failed) form = dw_uleb(u);
    const char *in_place;
    if (form > 0xff || !dw_form_value(u, (unsigned)form, version, osize, asize, &v, &in_place))
      return 0;
    if (attr == DW_AT_stmt_list) {
      stmt = v;
      have_stmt = 1;
    } else if (attr == DW_AT_comp_dir) {
      dir_form = (unsigned)form;
      dir_value = v;
      dir_in_place = in_place;
    } else if (attr == DW_AT_str_offsets_base) {
      str_base = v;
    }
  }
  const char *dir = dir_form ? dw_form_string(s, dir_form, dir_value, dir_in_place, str_base, osize) : NULL;
  if (!have_stmt || !dir) return 0;
  *found = (dw_compdir){stmt, dir};
  return 1;
}

size_t dw_compdirs(const dw_sections *s, dw_compdir **out) {
  size_t n = 0, cap = 0;
  *out = NULL;
  dw_cur c = {s->info.p, s->info.end, 0};
  while (c.p && c.p < c.end && !c.failed) {
    unsigned osize;
    uint64_t len = dw_unit_length(&c, &osize);
    if (c.failed) break;
    dw_cur u = {c.p, c.p + len, 0};
    c.p += len;
    unsigned version = (unsigned)dw_fixed(&u, 2), type = DW_UT_compile, asize;
    uint64_t abbrev_at;
    if (version >= 5) {
      type = (unsigned)dw_fixed(&u, 1);
      asize = (unsigned)dw_fixed(&u, 1);
      abbrev_at = dw_fixed(&u, osize);
      if (type == DW_UT_skeleton || type == DW_UT_split_compile) dw_fixed(&u, 8);
    } else {
      abbrev_at = dw_fixed(&u, osize);
      asize = (unsigned)dw_fixed(&u, 1);
    }
    if (u.failed || version < 2 || version > 5 || asize > 8 ||
        (type != DW_UT_compile && type != DW_UT_partial && type != DW_UT_skeleton))
      continue;
    dw_compdir found;
    if (!unit_compdir(s, &u, version, osize, asize, abbrev_at, &found)) continue;
    if (n == cap) {
      size_t want = cap ? 2 * cap : 16;
      dw_compdir *more = realloc(*out, want * sizeof *more);
      if (!more) break;
      *out = more;
      cap = want;
    }
    (*out)[n++] = found;
  }
  return n;
}

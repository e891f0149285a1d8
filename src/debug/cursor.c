/*
** cursor.c -- reading DWARF data: fixed-width little-endian integers,
** LEB128 (of any length: producers may pad them, and bits past 64 are
** dropped), strings, unit lengths and attribute values (debug/dwarf.h).
*/
#include <string.h>

#include "debug/dwarf.h"

static size_t left(const dw_cur *c) { return c->failed ? 0 : (size_t)(c->end - c->p); }

uint64_t dw_fixed(dw_cur *c, unsigned n) {
  if (left(c) < n) {
    c->failed = 1;
    return 0;
  }
  uint64_t v = 0;
  for (unsigned i = 0; i < n; i++) v |= (uint64_t)c->p[i] << (8 * i);
  c->p += n;
  return v;
}

uint64_t dw_uleb(dw_cur *c) {
  uint64_t v = 0;
  for (unsigned shift = 0;; shift += 7) {
    if (!left(c)) {
      c->failed = 1;
      return 0;
    }
    uint8_t b = *c->p++;
    if (shift < 64) v |= (uint64_t)(b & 0x7f) << shift;
    if (!(b & 0x80)) return v;
  }
}

int64_t dw_sleb(dw_cur *c) {
  uint64_t v = 0;
  for (unsigned shift = 0;; shift += 7) {
    if (!left(c)) {
      c->failed = 1;
      return 0;
    }
    uint8_t b = *c->p++;
    if (shift < 64) v |= (uint64_t)(b & 0x7f) << shift;
    if (!(b & 0x80)) {
      if (shift + 7 < 64 && (b & 0x40)) v |= ~(uint64_t)0 << (shift + 7);
      /* Two's complement without relying on implementation-defined
      ** conversion of values above INT64_MAX. */
      return v <= INT64_MAX ? (int64_t)v : -(int64_t)(~v) - 1;
    }
  }
}

const char *dw_str(dw_cur *c) {
  size_t n = left(c);
  const uint8_t *nul = n ? memchr(c->p, 0, n) : NULL;
  if (!nul) {
    c->failed = 1;
    return NULL;
  }
  const char *s = (const char *)c->p;
  c->p = nul + 1;
  return s;
}

void dw_skip(dw_cur *c, uint64_t n) {
  if (left(c) < n) c->failed = 1;
  else c->p += n;
}

uint64_t dw_unit_length(dw_cur *c, unsigned *offset_size) {
  uint64_t len = dw_fixed(c, 4);
  *offset_size = 4;
  if (len == 0xffffffffu) {
    len = dw_fixed(c, 8);
    *offset_size = 8;
  } else if (len >= 0xfffffff0u) { /* reserved values */
    c->failed = 1;
  }
  if (len > left(c)) c->failed = 1;
  return c->failed ? 0 : len;
}

const char *dw_str_at(dw_span s, uint64_t at) {
  if (!s.p || at >= (uint64_t)(s.end - s.p)) return NULL;
  dw_cur c = {s.p + at, s.end, 0};
  return dw_str(&c);
}

int dw_form_value(dw_cur *c, unsigned form, unsigned version,
                  unsigned offset_size, unsigned address_size,
                  uint64_t *value, const char **string) {
  uint64_t v = 0;
  if (string) *string = NULL;
  switch (form) {
  case DW_FORM_addr: v = dw_fixed(c, address_size); break;
  case DW_FORM_data1: case DW_FORM_ref1: case DW_FORM_flag: case DW_FORM_strx1:
  case DW_FORM_addrx1:
    v = dw_fixed(c, 1); break;
  case DW_FORM_data2: case DW_FORM_ref2: case DW_FORM_strx2: case DW_FORM_addrx2:
    v = dw_fixed(c, 2); break;
  case DW_FORM_strx3: case DW_FORM_addrx3: v = dw_fixed(c, 3); break;
  case DW_FORM_data4: case DW_FORM_ref4: case DW_FORM_ref_sup4: case DW_FORM_strx4:
  case DW_FORM_addrx4:
    v = dw_fixed(c, 4); break;
  case DW_FORM_data8: case DW_FORM_ref8: case DW_FORM_ref_sig8: case DW_FORM_ref_sup8:
    v = dw_fixed(c, 8); break;
  case DW_FORM_data16: dw_skip(c, 16); break;
  case DW_FORM_sdata: v = (uint64_t)dw_sleb(c); break;
  case DW_FORM_udata: case DW_FORM_ref_udata: case DW_FORM_strx: case DW_FORM_addrx:
  case DW_FORM_loclistx: case DW_FORM_rnglistx:
    v = dw_uleb(c); break;
  case DW_FORM_strp: case DW_FORM_line_strp: case DW_FORM_sec_offset:
  case DW_FORM_strp_sup:
    v = dw_fixed(c, offset_size); break;
  case DW_FORM_ref_addr: v = dw_fixed(c, version <= 2 ? address_size : offset_size); break;
  case DW_FORM_string: {
    const char *in_place = dw_str(c);
    if (string) *string = in_place;
    break;
  }
  case DW_FORM_block1: v = dw_fixed(c, 1); dw_skip(c, v); break;
  case DW_FORM_block2: v = dw_fixed(c, 2); dw_skip(c, v); break;
  case DW_FORM_block4: v = dw_fixed(c, 4); dw_skip(c, v); break;
  case DW_FORM_block: case DW_FORM_exprloc: v = dw_uleb(c); dw_skip(c, v); break;
  case DW_FORM_flag_present: case DW_FORM_implicit_const: v = 1; break;
  default: return 0; /* DW_FORM_indirect is resolved by the caller */
  }
  *value = v;
  return !c->failed;
}

const char *dw_form_string(const dw_sections *s, unsigned form, uint64_t v,
                           const char *in_place, uint64_t str_offsets_base,
                           unsigned offset_size) {
  switch (form) {
  case DW_FORM_string: return in_place;
  case DW_FORM_strp: return dw_str_at(s->str, v);
  case DW_FORM_line_strp: return dw_str_at(s->line_str, v);
  case DW_FORM_strx: case DW_FORM_strx1: case DW_FORM_strx2: case DW_FORM_strx3:
  case DW_FORM_strx4: {
    const dw_span so = s->str_offsets;
    size_t size = so.p ? (size_t)(so.end - so.p) : 0;
    if (str_offsets_base > size || v > (size - str_offsets_base) / offset_size) return NULL;
    dw_cur c = {so.p + str_offsets_base + v * offset_size, so.end, 0};
    uint64_t off = dw_fixed(&c, offset_size);
    return c.failed ? NULL : dw_str_at(s->str, off);
  }
  default: return NULL;
  }
}

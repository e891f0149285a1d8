/*
** reader.h -- a bounds-checked cursor over module bytes.
**
** Every read checks the end; the first failure sets `failed` with a spec
** wording ("unexpected end", "integer too large", ...) and later reads
** return zero, so decoders can read a whole record and check once.
*/
#ifndef INRO_READER_H
#define INRO_READER_H

#include <stddef.h>
#include <stdint.h>

typedef struct reader {
  const uint8_t *base; /* start of the module, for offsets */
  size_t pos, end;
  const char *failed; /* NULL while all reads succeeded */
  size_t fail_pos;
} reader;

void rd_fail(reader *r, const char *why);
/* The failure reason for the types and instructions of GC, which inro
** does not implement (binary/types.c): compared by address so the caller
** can report "unsupported" rather than "malformed". */
extern const char RD_GC[];
/* Whether a failure reason is that one. */
int rd_unsupported(const char *why);
/* rd_u8 and rd_u32 (unsigned LEB128, 32-bit) are inline for the common
** case, one byte in bounds (a module's bytes are read once or more per
** instruction when it is translated); these do the rest. */
uint8_t rd_u8_at_end(reader *r);
uint32_t rd_u32_rest(reader *r);
static inline uint8_t rd_u8(reader *r) {
  return r->pos < r->end ? r->base[r->pos++] : rd_u8_at_end(r);
}
static inline uint32_t rd_u32(reader *r) {
  if (r->pos < r->end && r->base[r->pos] < 0x80) return r->base[r->pos++];
  return rd_u32_rest(r);
}
int32_t rd_s32(reader *r);   /* signed LEB128 */
int64_t rd_s64(reader *r);
uint64_t rd_u64(reader *r);  /* unsigned LEB128, 64-bit */
int64_t rd_s33(reader *r);   /* block types */
uint32_t rd_fixed32(reader *r);
uint64_t rd_fixed64(reader *r);
const uint8_t *rd_bytes(reader *r, size_t n);
/* A name: length-prefixed UTF-8, validated; returns a malloc'd,
** NUL-terminated copy (names may also contain NULs: *len is the true
** length; len may be NULL) or NULL on failure. */
char *rd_name(reader *r, uint32_t *len);
int utf8_valid(const uint8_t *s, size_t n);

static inline int rd_eof(const reader *r) { return r->pos >= r->end; }

#endif

/*
** open.c -- parsing a snapshot, version 1 or 2.  Everything is checked
** before use: the magic and version, each section's length and CRC-32C,
** every count against the bytes left, and the value types.  Errors are
** one line.
*/
#include <stdlib.h>
#include <string.h>

#include "snapshot/snapshot.h"
#include "util/crc32c.h"

/* The value types of the version: exnref came with version 2. */
static int valid_type(uint8_t t, uint32_t version) {
  return t == INRO_I32 || t == INRO_I64 || t == INRO_F32 || t == INRO_F64 ||
         t == INRO_V128 || t == INRO_FUNCREF || t == INRO_EXTERNREF ||
         (version >= 2 && t == INRO_EXNREF);
}

/* A saved value as the format allows it: a known type, and for i32 and
** f32 nothing in the high 32 bits (the runtime relies on that of a
** slot). */
static int valid_value(uint8_t t, uint64_t bits, uint32_t version) {
  if (t == INRO_I32 || t == INRO_F32) return bits >> 32 == 0;
  return valid_type(t, version);
}

static snap_value *read_values(breader *r, uint32_t *n, uint32_t version) {
  *n = br_count(r, 9);
  snap_value *v = calloc((size_t)*n + 1, sizeof *v);
  if (!v) {
    r->bad = 1;
    return NULL;
  }
  for (uint32_t i = 0; i < *n && !r->bad; i++) {
    v[i].type = br_u8(r);
    v[i].bits = br_u64(r);
    if (v[i].type == INRO_V128) v[i].bits_hi = br_u64(r);
    if (!valid_value(v[i].type, v[i].bits, version)) r->bad = 1;
  }
  return v;
}

static int parse_module(inro_snapshot *s, breader *r) {
  const uint8_t *h = br_bytes(r, 32);
  if (!h) return 0;
  memcpy(s->hash, h, 32);
  uint8_t has = br_u8(r);
  if (has > 1) return 0;
  if (has) {
    uint64_t n = br_u64(r);
    if (n > r->len - r->pos) return 0;
    s->module_size = (size_t)n;
    s->module = br_bytes(r, s->module_size);
  }
  return !r->bad;
}

/* Memories: version 1 has u32 sizes and page indices, version 2 a flags
** byte and u64 ones.  Stored pages come in increasing order. */
static int parse_memories(inro_snapshot *s, breader *r) {
  int v2 = s->version >= 2;
  unsigned ib = v2 ? 8 : 4;
  s->nmems = br_count(r, v2 ? 25 : 12);
  s->mems = calloc((size_t)s->nmems + 1, sizeof *s->mems);
  if (!s->mems) return 0;
  for (uint32_t i = 0; i < s->nmems && !r->bad; i++) {
    snap_memory *m = &s->mems[i];
    m->index_bytes = ib;
    if (v2) {
      m->flags = br_u8(r);
      m->pages = br_u64(r);
      m->max = br_u64(r);
      m->nstored = br_u64(r);
      if (m->flags & ~SNAP_ADDR64) return 0;
    } else {
      m->pages = br_u32(r);
      uint32_t max = br_u32(r);
      m->max = max == UINT32_MAX ? UINT64_MAX : max;
      m->nstored = br_u32(r);
    }
    uint64_t limit = m->flags & SNAP_ADDR64 ? 1ull << 48 : 65536;
    if (r->bad || m->pages > limit || m->nstored > m->pages ||
        m->nstored > (r->len - r->pos) / (ib + INRO_PAGE_SIZE))
      return 0;
    m->stored = r->data + r->pos;
    if (m->pages > m->max) return 0;
    uint64_t next = 0;
    for (uint64_t k = 0; k < m->nstored && !r->bad; k++) {
      uint64_t page = v2 ? br_u64(r) : br_u32(r);
      if (page >= m->pages || page < next) return 0; /* increasing, once */
      next = page + 1;
      br_bytes(r, INRO_PAGE_SIZE);
    }
  }
  return !r->bad;
}

static int parse_tables(inro_snapshot *s, breader *r) {
  int v2 = s->version >= 2;
  s->ntables = br_count(r, v2 ? 14 : 9);
  s->tables = calloc((size_t)s->ntables + 1, sizeof *s->tables);
  if (!s->tables) return 0;
  for (uint32_t i = 0; i < s->ntables && !r->bad; i++) {
    snap_table *t = &s->tables[i];
    t->elem = br_u8(r);
    if (v2) t->flags = br_u8(r);
    t->size = br_count(r, 0);
    if (v2) {
      t->max = br_u64(r);
    } else {
      uint32_t max = br_u32(r);
      t->max = max == UINT32_MAX ? UINT64_MAX : max;
    }
    if (t->elem != INRO_FUNCREF && t->elem != INRO_EXTERNREF &&
        !(v2 && t->elem == INRO_EXNREF))
      return 0;
    if (t->flags & ~SNAP_ADDR64) return 0;
    if (t->size > (r->len - r->pos) / 4) return 0;
    if (t->size > t->max) return 0;
    t->entries = br_bytes(r, (size_t)t->size * 4);
  }
  return !r->bad;
}

static int parse_exceptions(inro_snapshot *s, breader *r) {
  s->nexns = br_count(r, 8);
  s->exns = calloc((size_t)s->nexns + 1, sizeof *s->exns);
  if (!s->exns) return 0;
  for (uint32_t i = 0; i < s->nexns && !r->bad; i++) {
    s->exns[i].tag = br_u32(r);
    s->exns[i].vals = read_values(r, &s->exns[i].nvals, s->version);
  }
  return !r->bad;
}

/* n flags, each 0 or 1. */
static const uint8_t *read_flags(breader *r, uint32_t *n) {
  *n = br_count(r, 1);
  const uint8_t *f = br_bytes(r, *n);
  for (uint32_t i = 0; f && i < *n; i++)
    if (f[i] > 1) r->bad = 1;
  return f;
}

static int parse_segments(inro_snapshot *s, breader *r) {
  s->data_dropped = read_flags(r, &s->ndata);
  s->elem_dropped = read_flags(r, &s->nelem);
  return !r->bad;
}

static int parse_frames(inro_snapshot *s, breader *r) {
  s->nframes = br_count(r, 17);
  s->frames = calloc((size_t)s->nframes + 1, sizeof *s->frames);
  if (!s->frames) return 0;
  for (uint32_t i = 0; i < s->nframes && !r->bad; i++) {
    snap_frame *f = &s->frames[i];
    f->func = br_u32(r);
    f->offset = br_u32(r);
    f->kind = br_u8(r);
    if (f->kind != (i + 1 == s->nframes ? FRAME_BEFORE : FRAME_AFTER_CALL)) return 0;
    f->locals = read_values(r, &f->nlocals, s->version);
    f->ops = read_values(r, &f->nops, s->version);
    if (s->version >= 2) f->caught = read_values(r, &f->ncaught, s->version);
    for (uint32_t k = 0; k < f->ncaught && !r->bad; k++)
      if (f->caught[k].type != INRO_EXNREF || !f->caught[k].bits) return 0;
  }
  return !r->bad && s->nframes > 0;
}

void inro_snapshot_free(inro_snapshot *s) {
  if (!s) return;
  for (uint32_t i = 0; s->frames && i < s->nframes; i++) {
    free(s->frames[i].locals);
    free(s->frames[i].ops);
    free(s->frames[i].caught);
  }
  for (uint32_t i = 0; s->exns && i < s->nexns; i++) free(s->exns[i].vals);
  free(s->exns);
  free(s->frames);
  free(s->mems);
  free(s->globals);
  free(s->tables);
  free(s->sections);
  free(s);
}

#define BAD(...) do { err_set(err, INRO_ERR_ARG, __VA_ARGS__); inro_snapshot_free(s); return NULL; } while (0)

inro_snapshot *inro_snapshot_open(const uint8_t *bytes, size_t size, inro_error *err) {
  inro_error_clear(err);
  inro_snapshot *s = calloc(1, sizeof *s);
  if (!s) {
    err_set(err, INRO_ERR_NOMEM, "out of memory");
    return NULL;
  }
  breader r = {bytes, 0, size, 0};
  const uint8_t *magic = br_bytes(&r, 8);
  if (!magic || memcmp(magic, SNAP_MAGIC, 8)) BAD("not an inro snapshot (bad magic)");
  uint32_t version = br_u32(&r);
  uint32_t reserved = br_u32(&r);
  if (r.bad) BAD("truncated snapshot header");
  if (version < 1 || version > SNAP_VERSION)
    BAD("snapshot version %u is not supported (this inro reads 1 to %u)", version, SNAP_VERSION);
  s->version = version;
  if (reserved != 0) BAD("snapshot header: reserved field is %u, not 0", reserved);
  uint32_t seen = 0;
  for (;;) {
    uint32_t id = br_u32(&r), flags = br_u32(&r);
    uint64_t len = br_u64(&r);
    if (r.bad || len > r.len - r.pos || r.len - r.pos - len < 4)
      BAD("truncated snapshot (section %u)", id);
    breader sec = {r.data + r.pos, 0, (size_t)len, 0};
    r.pos += (size_t)len;
    uint32_t crc = br_u32(&r);
    if (crc != crc32c(0, sec.data, sec.len)) BAD("snapshot section %u is corrupted (CRC mismatch)", id);
    if (id == SEC_END) {
      if (len != 0) BAD("snapshot END section is not empty");
      break;
    }
    /* Checked before parsing, so that nothing parsed twice leaks. */
    if (id < 32) {
      if (seen & (1u << id)) BAD("duplicate snapshot section %u", id);
      seen |= 1u << id;
    } else if (id >= SEC_EMBEDDER_FIRST && inro_snapshot_section_get(s, id, NULL)) {
      BAD("duplicate snapshot section 0x%x", id);
    }
    if (id == SEC_EXCEPTIONS && version < 2) { /* not a section of version 1 */
      if (flags & SEC_FLAG_REQUIRED) BAD("snapshot needs section %u, unknown to version 1", id);
      continue;
    }
    int ok = 1;
    switch (id) {
    case SEC_MODULE: ok = parse_module(s, &sec); break;
    case SEC_MEMORIES: ok = parse_memories(s, &sec); break;
    case SEC_GLOBALS: s->globals = read_values(&sec, &s->nglobals, version); ok = !sec.bad; break;
    case SEC_TABLES: ok = parse_tables(s, &sec); break;
    case SEC_SEGMENTS: ok = parse_segments(s, &sec); break;
    case SEC_FRAMES: ok = parse_frames(s, &sec); break;
    case SEC_EXCEPTIONS: ok = parse_exceptions(s, &sec); break;
    default:
      if (id >= SEC_EMBEDDER_FIRST) {
        snap_section *more = realloc(s->sections, (s->nsections + 1) * sizeof *more);
        if (!more) BAD("out of memory");
        s->sections = more;
        s->sections[s->nsections].id = id;
        s->sections[s->nsections].flags = flags;
        s->sections[s->nsections].data = sec.data;
        s->sections[s->nsections].size = sec.len;
        s->nsections++;
      } else if (flags & SEC_FLAG_REQUIRED) {
        BAD("snapshot needs section %u, unknown to this inro", id);
      }
      continue;
    }
    if (!ok || sec.bad || sec.pos != sec.len) BAD("malformed snapshot section %u", id);
  }
  if (r.pos != r.len) BAD("trailing bytes after the snapshot");
  uint32_t need = 1u << SEC_MODULE | 1u << SEC_MEMORIES | 1u << SEC_GLOBALS |
                  1u << SEC_TABLES | 1u << SEC_SEGMENTS | 1u << SEC_FRAMES;
  if (version >= 2) need |= 1u << SEC_EXCEPTIONS;
  if ((seen & need) != need) BAD("snapshot lacks a required section");
  return s;
}

const uint8_t *inro_snapshot_module_hash(const inro_snapshot *s) { return s->hash; }

const uint8_t *inro_snapshot_module_bytes(const inro_snapshot *s, size_t *size) {
  if (size) *size = s->module_size;
  return s->module;
}

size_t inro_snapshot_section_count(const inro_snapshot *s) { return s->nsections; }

uint32_t inro_snapshot_section_id(const inro_snapshot *s, size_t i, uint32_t *flags) {
  if (flags) *flags = s->sections[i].flags;
  return s->sections[i].id;
}

const uint8_t *inro_snapshot_section_get(const inro_snapshot *s, uint32_t id, size_t *size) {
  for (uint32_t i = 0; i < s->nsections; i++)
    if (s->sections[i].id == id) {
      if (size) *size = s->sections[i].size;
      return s->sections[i].data;
    }
  return NULL;
}

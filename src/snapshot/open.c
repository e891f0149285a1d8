/*
** open.c -- reading a snapshot, version 1 or 2, from a stream.
** Everything is checked
** before use: the magic and version, each section's length and CRC-32C,
** every count against the bytes left, and the value types.  Errors are
** one line.
**
** Exactly the snapshot's bytes are read, section by section, so a stream
** may carry more after it.  Memory pages (MEMORIES and a migration
** stream's PAGES sections) are read straight into the storage that a
** restore hands to the instance; every other section is read into a
** buffer of its own first, growing only as bytes arrive, so a length
** field cannot make a short stream allocate much.
*/
#include <stdlib.h>
#include <string.h>

#include "platform/platform.h"
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
  free(s->frames);
  for (uint32_t i = 0; s->exns && i < s->nexns; i++) free(s->exns[i].vals);
  free(s->exns);
  for (uint32_t i = 0; i < s->nmems; i++) {
    if (s->mems[i].data) memory_storage_free(s->mems[i].data, s->mems[i].reserved);
    free(s->mems[i].given);
  }
  free(s->mems);
  for (uint32_t i = 0; i < s->nbuffers; i++) free(s->buffers[i].data);
  free(s->buffers);
  free(s->globals);
  free(s->tables);
  free(s->sections);
  free(s);
}

/* ------------------------------------------------------------- reading */

typedef struct snap_in {
  inro_read_fn read;
  void *env;
  int failed; /* 1: the stream ended, 2: the reader failed */
} snap_in;

/* Exactly n bytes; 0, or -1 with in->failed set. */
static int in_read(snap_in *in, void *buf, size_t n) {
  uint8_t *p = buf;
  while (n > 0 && !in->failed) {
    size_t got = 0;
    if (!in->read(in->env, p, n, &got)) in->failed = 2;
    else if (got == 0 || got > n) in->failed = 1;
    p += got <= n ? got : 0;
    n -= got <= n ? got : n;
  }
  return in->failed ? -1 : 0;
}

static uint32_t le32(const uint8_t *b) {
  return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

/* A section's payload being read piece by piece, with its CRC. */
typedef struct piece_reader {
  snap_in *in;
  uint64_t left;
  uint32_t crc;
  int bad; /* malformed content */
} piece_reader;

static int pr_read(piece_reader *r, void *buf, size_t n) {
  if (r->bad || n > r->left) {
    r->bad = 1;
    return -1;
  }
  if (in_read(r->in, buf, n) != 0) return -1;
  r->left -= n;
  r->crc = crc32c(r->crc, buf, n);
  return 0;
}

static uint8_t pr_u8(piece_reader *r) {
  uint8_t b = 0;
  return pr_read(r, &b, 1) == 0 ? b : 0;
}

static uint32_t pr_u32(piece_reader *r) {
  uint8_t b[4];
  return pr_read(r, b, 4) == 0 ? le32(b) : 0;
}

static uint64_t pr_u64(piece_reader *r) {
  uint8_t b[8];
  return pr_read(r, b, 8) == 0 ? le32(b) | (uint64_t)le32(b + 4) << 32 : 0;
}

/* A memory's record as the version writes it (snap_out_memory): flags,
** size, maximum (UINT64_MAX: none), and how many page records follow. */
typedef struct mem_record {
  uint8_t flags;
  uint64_t pages, max, count;
} mem_record;

static int read_mem_record(piece_reader *r, uint32_t version, mem_record *mr) {
  if (version >= 2) {
    mr->flags = pr_u8(r);
    mr->pages = pr_u64(r);
    mr->max = pr_u64(r);
    mr->count = pr_u64(r);
  } else {
    mr->flags = 0;
    mr->pages = pr_u32(r);
    uint32_t max = pr_u32(r);
    mr->max = max == UINT32_MAX ? UINT64_MAX : max;
    mr->count = pr_u32(r);
  }
  if (r->bad || r->in->failed) return 0;
  uint64_t limit = mr->flags & SNAP_ADDR64 ? (uint64_t)1 << 48 : 65536;
  return !(mr->flags & ~SNAP_ADDR64) && mr->pages <= limit &&
         (mr->max == UINT64_MAX || (mr->max >= mr->pages && mr->max <= limit)) &&
         mr->count <= mr->pages && mr->count <= r->left / SNAP_PAGE_RECORD(version);
}

/* Memory i as given by a section: its flags, pages and maximum must agree
** with what earlier sections said (a memory grows, never shrinks), then
** its storage has room for its pages. */
static int memory_at(inro_snapshot *s, uint32_t i, const mem_record *mr, inro_error *err) {
  uint64_t pages = mr->pages;
  if (i >= s->nmems) {
    snap_memory *more = realloc(s->mems, ((size_t)i + 2) * sizeof *more);
    if (!more) return err_set(err, INRO_ERR_NOMEM, "out of memory"), 0;
    memset(more + s->nmems, 0, ((size_t)i + 2 - s->nmems) * sizeof *more);
    s->mems = more;
    s->nmems = i + 1;
  }
  snap_memory *m = &s->mems[i];
  if (!m->seen) {
    limits l = {0, mr->max, mr->max != UINT64_MAX, (mr->flags & SNAP_ADDR64) != 0};
    uint64_t limit = memory_limit(&l);
    if (pages > limit || !(m->given = calloc((size_t)(limit / 8 + 1), 1)) ||
        memory_storage_alloc(pages, limit, &m->data, &m->reserved) != 0) {
      m->data = NULL;
      return err_set(err, INRO_ERR_NOMEM, "cannot allocate %llu pages for memory %u",
                     (unsigned long long)pages, i), 0;
    }
    m->seen = 1;
    m->flags = mr->flags;
    m->pages = pages;
    m->max = mr->max;
    return 1;
  }
  if (mr->flags != m->flags || mr->max != m->max || pages < m->pages)
    return err_set(err, INRO_ERR_ARG, "malformed snapshot: memory %u changes its limits", i), 0;
  if (memory_storage_grow(&m->data, m->reserved, m->pages, pages) != 0)
    return err_set(err, INRO_ERR_NOMEM, "cannot allocate %llu pages for memory %u",
                   (unsigned long long)pages, i), 0;
  m->pages = pages;
  return 1;
}

/* n page records of memory i, in increasing page order, straight into its
** storage. */
static int read_pages(inro_snapshot *s, piece_reader *r, uint32_t i, uint64_t n) {
  snap_memory *m = &s->mems[i];
  uint64_t next = 0;
  for (uint64_t k = 0; k < n && !r->bad; k++) {
    uint64_t page = s->version >= 2 ? pr_u64(r) : pr_u32(r);
    if (r->bad || r->in->failed) break;
    if (page >= m->pages || page < next) { /* increasing, once */
      r->bad = 1;
      break;
    }
    pr_read(r, m->data + (size_t)page * INRO_PAGE_SIZE, INRO_PAGE_SIZE);
    m->given[page / 8] |= (uint8_t)(1u << (page % 8));
    next = page + 1;
  }
  return !r->bad && !r->in->failed;
}

/* MEMORIES: u32 count, then per memory its record and pages. */
static int read_memories(inro_snapshot *s, piece_reader *r, inro_error *err) {
  uint32_t count = pr_u32(r);
  if (r->bad || r->in->failed || count > r->left / (s->version >= 2 ? 25 : 12) ||
      count < s->nmems)
    return r->bad = 1, 0;
  for (uint32_t i = 0; i < count; i++) {
    mem_record mr;
    if (!read_mem_record(r, s->version, &mr)) return r->bad = 1, 0;
    if (!memory_at(s, i, &mr, err)) return -1;
    if (!read_pages(s, r, i, mr.count)) return 0;
  }
  return 1;
}

/* PAGES: u32 memory, then its record and pages as in MEMORIES. */
static int read_page_section(inro_snapshot *s, piece_reader *r, inro_error *err) {
  uint32_t i = pr_u32(r);
  mem_record mr;
  if (r->bad || r->in->failed) return 0;
  if (i >= 65536 || !read_mem_record(r, s->version, &mr)) return r->bad = 1, 0;
  if (!memory_at(s, i, &mr, err)) return -1;
  return read_pages(s, r, i, mr.count);
}

/* A payload of len bytes into a new buffer of the snapshot. */
static int read_buffer(inro_snapshot *s, snap_in *in, uint64_t len, snap_buffer **out,
                       inro_error *err) {
  snap_buffer *more = realloc(s->buffers, (s->nbuffers + 1) * sizeof *more);
  if (!more) return err_set(err, INRO_ERR_NOMEM, "out of memory"), 0;
  s->buffers = more;
  snap_buffer *b = &s->buffers[s->nbuffers++];
  b->data = NULL;
  b->size = 0;
  size_t cap = 0;
  while (b->size < len) {
    if (b->size == cap) {
      uint64_t want = cap ? (uint64_t)cap * 2 : 65536;
      if (want > len) want = len;
      uint8_t *bigger = want <= SIZE_MAX ? realloc(b->data, (size_t)want) : NULL;
      if (!bigger) return err_set(err, INRO_ERR_NOMEM, "out of memory (a section of %llu bytes)",
                                  (unsigned long long)len), 0;
      b->data = bigger;
      cap = (size_t)want;
    }
    if (in_read(in, b->data + b->size, cap - b->size) != 0) return 0;
    b->size = cap;
  }
  *out = b;
  return 1;
}

#define BAD(...) do { err_set(err, INRO_ERR_ARG, __VA_ARGS__); goto bad; } while (0)

inro_snapshot *inro_snapshot_read(inro_read_fn read, void *env, inro_error *err) {
  inro_error_clear(err);
  inro_snapshot *s = calloc(1, sizeof *s);
  if (!s) {
    err_set(err, INRO_ERR_NOMEM, "out of memory");
    return NULL;
  }
  snap_in in = {read, env, 0};
  uint8_t h[16];
  uint32_t id = 0;
  if (in_read(&in, h, 8) == 0 && memcmp(h, SNAP_MAGIC, 8)) BAD("not an inro snapshot (bad magic)");
  if (in.failed || in_read(&in, h + 8, 8) != 0) {
    if (in.failed == 1) BAD("truncated snapshot (%s)", "header");
    goto cut;
  }
  s->version = le32(h + 8);
  if (s->version < 1 || s->version > SNAP_VERSION)
    BAD("snapshot version %u is not supported (this inro reads 1 to %u)", s->version, SNAP_VERSION);
  if (le32(h + 12) != 0) BAD("snapshot header: reserved field is %u, not 0", le32(h + 12));
  uint32_t seen = 0;
  for (;;) {
    if (in_read(&in, h, 16) != 0) {
      if (in.failed == 1) BAD("truncated snapshot (it ends after section %u)", id);
      goto cut;
    }
    id = le32(h);
    uint32_t flags = le32(h + 4);
    uint64_t len = le32(h + 8) | (uint64_t)le32(h + 12) << 32;
    if (id == SEC_END && len != 0) BAD("snapshot END section is not empty");
    /* Checked before reading, so that nothing is read twice (PAGES may
    ** come many times, before MEMORIES only). */
    if (id == SEC_PAGES) {
      if (seen & (1u << SEC_MEMORIES)) BAD("snapshot section 7 (PAGES) after MEMORIES");
    } else if (id < 32) {
      if (seen & (1u << id)) BAD("duplicate snapshot section %u", id);
      seen |= 1u << id;
    } else if (id >= SEC_EMBEDDER_FIRST && inro_snapshot_section_get(s, id, NULL)) {
      BAD("duplicate snapshot section 0x%x", id);
    }
    int ok = 1;
    if (id == SEC_MEMORIES || id == SEC_PAGES) {
      piece_reader r = {&in, len, 0, 0};
      ok = id == SEC_MEMORIES ? read_memories(s, &r, err) : read_page_section(s, &r, err);
      if (ok < 0) goto bad;
      if (in.failed) goto cut;
      if (!ok || r.left) BAD("malformed snapshot section %u", id);
      if (in_read(&in, h, 4) != 0) goto cut;
      if (le32(h) != r.crc) BAD("snapshot section %u is corrupted (CRC mismatch)", id);
      continue;
    }
    snap_buffer *b;
    if (!read_buffer(s, &in, len, &b, err)) {
      if (in.failed) goto cut;
      goto bad;
    }
    if (in_read(&in, h, 4) != 0) goto cut;
    breader sec = {b->data, 0, b->size, 0};
    if (le32(h) != crc32c(0, sec.data, sec.len)) BAD("snapshot section %u is corrupted (CRC mismatch)", id);
    if (id == SEC_END) break;
    switch (id) {
    case SEC_MODULE: ok = parse_module(s, &sec); break;
    case SEC_GLOBALS: s->globals = read_values(&sec, &s->nglobals, s->version); ok = !sec.bad; break;
    case SEC_TABLES: ok = parse_tables(s, &sec); break;
    case SEC_SEGMENTS: ok = parse_segments(s, &sec); break;
    case SEC_FRAMES: ok = parse_frames(s, &sec); break;
    case SEC_EXCEPTIONS:
      if (s->version >= 2) { ok = parse_exceptions(s, &sec); break; }
      /* not a section of version 1: unknown there */
      if (flags & SEC_FLAG_REQUIRED) BAD("snapshot needs section %u, unknown to version 1", id);
      continue;
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
  uint32_t need = 1u << SEC_MODULE | 1u << SEC_MEMORIES | 1u << SEC_GLOBALS |
                  1u << SEC_TABLES | 1u << SEC_SEGMENTS | 1u << SEC_FRAMES;
  if (s->version >= 2) need |= 1u << SEC_EXCEPTIONS;
  if ((seen & need) != need) BAD("snapshot lacks a required section");
  return s;
cut:
  if (in.failed == 2) err_set(err, INRO_ERR_IO, "cannot read the snapshot");
  else err_set(err, INRO_ERR_ARG, "truncated snapshot (section %u)", id);
bad:
  inro_snapshot_free(s);
  return NULL;
}

/* Bytes in memory as a stream. */
typedef struct byte_source {
  const uint8_t *data;
  size_t pos, len;
} byte_source;

static int from_bytes(void *env, void *buf, size_t len, size_t *got) {
  byte_source *b = env;
  size_t n = b->len - b->pos < len ? b->len - b->pos : len;
  if (n) memcpy(buf, b->data + b->pos, n);
  b->pos += n;
  *got = n;
  return 1;
}

inro_snapshot *inro_snapshot_open(const uint8_t *bytes, size_t size, inro_error *err) {
  byte_source src = {bytes, 0, size};
  inro_snapshot *s = inro_snapshot_read(from_bytes, &src, err);
  if (s && src.pos != src.len) {
    inro_snapshot_free(s);
    err_set(err, INRO_ERR_ARG, "trailing bytes after the snapshot");
    return NULL;
  }
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

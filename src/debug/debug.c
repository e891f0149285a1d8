/*
** debug.c -- a module's DWARF sections found, read (units.c, line.c) and
** indexed: the distinct file paths, and the sequences of rows by address
** for dbg_find (debug/debug.h).
*/
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "debug/dwarf.h"

/* ----------------------------------------------------------- sections */

static uint32_t leb32(const uint8_t *b, size_t size, size_t *pos, int *bad) {
  uint32_t v = 0;
  for (unsigned shift = 0; shift < 35; shift += 7) {
    if (*pos >= size) break;
    uint8_t byte = b[(*pos)++];
    v |= (uint32_t)(byte & 0x7f) << shift;
    if (!(byte & 0x80)) return v;
  }
  *bad = 1;
  return 0;
}

/* The custom sections by name, and where the code section's contents
** are (DWARF addresses count from there). */
static void find_sections(dbg_info *d, dw_sections *s, const uint8_t *b, size_t size) {
  static const struct {
    const char *name;
    size_t at;
  } wanted[] = {
    {".debug_line", offsetof(dw_sections, line)},
    {".debug_line_str", offsetof(dw_sections, line_str)},
    {".debug_info", offsetof(dw_sections, info)},
    {".debug_abbrev", offsetof(dw_sections, abbrev)},
    {".debug_str", offsetof(dw_sections, str)},
    {".debug_str_offsets", offsetof(dw_sections, str_offsets)},
  };
  memset(s, 0, sizeof *s);
  size_t pos = 8;
  int bad = 0;
  while (pos < size && !bad) {
    uint8_t id = b[pos++];
    uint32_t len = leb32(b, size, &pos, &bad);
    if (bad || len > size - pos) break;
    size_t end = pos + len;
    if (id == 10) {
      d->code_start = (uint32_t)pos;
      d->code_size = len;
    } else if (id == 0) {
      uint32_t nlen = leb32(b, size, &pos, &bad);
      if (bad || nlen > end - pos) break;
      for (size_t i = 0; i < sizeof wanted / sizeof wanted[0]; i++)
        if (strlen(wanted[i].name) == nlen && !memcmp(b + pos, wanted[i].name, nlen)) {
          dw_span *span = (dw_span *)((char *)s + wanted[i].at);
          span->p = b + pos + nlen;
          span->end = b + end;
        }
    }
    pos = end;
  }
}

/* -------------------------------------------------------------- files */

static uint64_t hash(const char *s, size_t n) {
  uint64_t h = 0xcbf29ce484222325u; /* FNV-1a */
  for (size_t i = 0; i < n; i++) h = (h ^ (uint8_t)s[i]) * 0x100000001b3u;
  return h;
}

static int rehash(dbg_info *d) {
  size_t n = d->nslots ? 2 * d->nslots : 64;
  uint32_t *slots = calloc(n, sizeof *slots);
  if (!slots) return 0;
  for (size_t i = 0; i < d->nfiles; i++) {
    size_t k = (size_t)hash(d->files[i], strlen(d->files[i])) & (n - 1);
    while (slots[k]) k = (k + 1) & (n - 1);
    slots[k] = (uint32_t)i + 1;
  }
  free(d->file_slots);
  d->file_slots = slots;
  d->nslots = n;
  return 1;
}

uint32_t dbg_intern(dbg_info *d, const char *path, size_t len) {
  if ((d->nfiles + 1) * 2 > d->nslots && !rehash(d)) return UINT32_MAX;
  size_t k = (size_t)hash(path, len) & (d->nslots - 1);
  for (; d->file_slots[k]; k = (k + 1) & (d->nslots - 1)) {
    const char *f = d->files[d->file_slots[k] - 1];
    if (!strncmp(f, path, len) && !f[len]) return d->file_slots[k] - 1;
  }
  if (d->nfiles >= UINT32_MAX - 1) return UINT32_MAX;
  if (d->nfiles == d->capfiles) {
    size_t want = d->capfiles ? 2 * d->capfiles : 16;
    char **more = realloc(d->files, want * sizeof *more);
    if (!more) return UINT32_MAX;
    d->files = more;
    d->capfiles = want;
  }
  char *copy = malloc(len + 1);
  if (!copy) return UINT32_MAX;
  memcpy(copy, path, len);
  copy[len] = 0;
  d->files[d->nfiles] = copy;
  d->file_slots[k] = (uint32_t)++d->nfiles;
  return (uint32_t)(d->nfiles - 1);
}

/* ---------------------------------------------------------- sequences */

static int by_low(const void *a, const void *b) {
  const dbg_seq *x = a, *y = b;
  if (x->low != y->low) return x->low < y->low ? -1 : 1;
  return x->first < y->first ? -1 : x->first > y->first;
}

/* The sequences that lie inside the code section: the others belong to
** functions the linker dropped (their addresses are a tombstone). */
static int index_sequences(dbg_info *d) {
  size_t n = 0;
  for (size_t i = 0; i < d->nrows; i++) n += (d->rows[i].flags & DBG_END_SEQUENCE) != 0;
  d->seqs = malloc((n + 1) * sizeof *d->seqs);
  if (!d->seqs) return 0;
  for (size_t u = 0; u < d->nunits; u++) {
    size_t start = d->units[u].first_row, end = start + d->units[u].nrows;
    for (size_t i = start; i < end; i++) {
      if (!(d->rows[i].flags & DBG_END_SEQUENCE)) continue;
      dbg_seq q = {d->rows[start].address, d->rows[i].address, start, i};
      int sorted = 1;
      for (size_t k = start + 1; k < i && sorted; k++)
        sorted = d->rows[k - 1].address <= d->rows[k].address;
      if (q.low < q.high && q.high <= d->code_size && sorted) d->seqs[d->nseqs++] = q;
      start = i + 1;
    }
  }
  qsort(d->seqs, d->nseqs, sizeof *d->seqs, by_low);
  return 1;
}

const dbg_row *dbg_find(const dbg_info *d, uint32_t offset) {
  if (!d->nseqs || offset < d->code_start) return NULL;
  uint64_t a = offset - d->code_start;
  size_t lo = 0, hi = d->nseqs; /* the last sequence with low <= a */
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (d->seqs[mid].low <= a) lo = mid + 1;
    else hi = mid;
  }
  if (!lo || a >= d->seqs[lo - 1].high) return NULL;
  const dbg_seq *q = &d->seqs[lo - 1];
  lo = q->first;
  hi = q->last; /* the last row with address <= a */
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (d->rows[mid].address <= a) lo = mid + 1;
    else hi = mid;
  }
  return &d->rows[lo - 1];
}

const dbg_row *dbg_find_next(const dbg_info *d, dbg_walk *w, uint32_t offset) {
  if (!d->nseqs || offset < d->code_start) return NULL;
  uint64_t a = offset - d->code_start;
  if (!w->started) {
    w->started = 1;
    w->seq = 0;
    w->row = d->seqs[0].first;
  }
  /* the last sequence with low <= a, as dbg_find */
  while (w->seq + 1 < d->nseqs && d->seqs[w->seq + 1].low <= a) w->row = d->seqs[++w->seq].first;
  const dbg_seq *q = &d->seqs[w->seq];
  if (a < q->low || a >= q->high) return NULL;
  while (w->row + 1 < q->last && d->rows[w->row + 1].address <= a) w->row++;
  return &d->rows[w->row];
}

/* --------------------------------------------------------------- all */

int dbg_read(dbg_info *d, const uint8_t *bytes, size_t size) {
  memset(d, 0, sizeof *d);
  dw_sections s;
  find_sections(d, &s, bytes, size);
  if (!s.line.p) return 0;
  dw_compdir *dirs;
  size_t ndirs = dw_compdirs(&s, &dirs);
  dw_read_lines(d, &s, dirs, ndirs);
  free(dirs);
  if (!index_sequences(d)) {
    snprintf(d->error, sizeof d->error, "out of memory");
    return 0;
  }
  return d->nrows > 0;
}

void dbg_free(dbg_info *d) {
  for (size_t i = 0; i < d->nfiles; i++) free(d->files[i]);
  free(d->files);
  free(d->file_slots);
  free(d->units);
  free(d->rows);
  free(d->seqs);
  memset(d, 0, sizeof *d);
}

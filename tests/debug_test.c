/*
** debug_test.c -- the DWARF line reader (src/debug) seen from outside, for
** tests/debug_lines.sh, which compares its output with LLVM's tools:
**
**   debug_test rows MODULE.wasm    every unit's rows, in the layout of
**                                  `llvm-dwarfdump --debug-line`
**   debug_test lookup MODULE.wasm  per instruction of every defined
**                                  function: its code-section address, the
**                                  function's name and FILE:LINE:COLUMN
**                                  (as `llvm-symbolizer --no-inlines`)
**   debug_test mutate MODULE.wasm N  read N corrupted copies of the module
**                                  (bytes of its DWARF sections changed,
**                                  sections cut short): must not crash
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "debug/debug.h"
#include "monitor/mon.h"

static uint8_t *read_file(const char *path, size_t *size) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  size_t cap = 1 << 16, n = 0;
  uint8_t *b = malloc(cap);
  while (b) {
    n += fread(b + n, 1, cap - n, f);
    if (n < cap) break;
    uint8_t *more = realloc(b, cap *= 2);
    if (!more) free(b);
    b = more;
  }
  fclose(f);
  *size = n;
  return b;
}

static void rows(const dbg_info *d) {
  static const struct {
    int flag;
    const char *name;
  } flags[] = {{DBG_STMT, " is_stmt"}, {DBG_BASIC_BLOCK, " basic_block"},
               {DBG_PROLOGUE_END, " prologue_end"}, {DBG_EPILOGUE_BEGIN, " epilogue_begin"},
               {DBG_END_SEQUENCE, " end_sequence"}};
  for (size_t u = 0; u < d->nunits; u++) {
    const dbg_unit *un = &d->units[u];
    printf("debug_line[0x%08llx] version %u\n", (unsigned long long)un->offset, un->version);
    for (size_t i = un->first_row; i < un->first_row + un->nrows; i++) {
      const dbg_row *r = &d->rows[i];
      printf("0x%016llx %6u %6u %6u %3u %13u %7u ", (unsigned long long)r->address, r->line,
             r->column, r->file_index, r->isa, r->discriminator, 0u);
      for (size_t k = 0; k < sizeof flags / sizeof flags[0]; k++)
        if (r->flags & flags[k].flag) fputs(flags[k].name, stdout);
      putchar('\n');
    }
  }
}

static int lookup(const dbg_info *d, const inro_module *m) {
  mon_module mm;
  inro_error err;
  if (!mon_module_init(&mm, m, &err)) {
    fprintf(stderr, "debug_test: %s\n", err.message);
    return 1;
  }
  for (uint32_t f = 0; f < mm.nfuncs - mm.nimports; f++) {
    const mon_func *fn = &mm.funcs[f];
    for (uint32_t i = fn->first; i < fn->first + fn->count; i++) {
      uint32_t off = mm.instrs[i].offset;
      const dbg_row *r = dbg_find(d, off);
      printf("0x%x %s ", off - d->code_start, mon_func_name(&mm, mm.nimports + f));
      if (r && r->file != UINT32_MAX)
        printf("%s:%u:%u\n", d->files[r->file], r->line, r->column);
      else
        printf("??:0:0\n");
    }
  }
  mon_module_free(&mm);
  return 0;
}

/* A small deterministic generator, so a failure can be replayed. */
static uint64_t next(uint64_t *s) {
  *s ^= *s << 13;
  *s ^= *s >> 7;
  *s ^= *s << 17;
  return *s;
}

static int mutate(const uint8_t *bytes, size_t size, long rounds) {
  dbg_info d;
  dbg_read(&d, bytes, size);
  if (!d.nrows) {
    fprintf(stderr, "debug_test: the module has no line rows to corrupt\n");
    dbg_free(&d);
    return 1;
  }
  /* Corrupt anything from the code section's end on: that is where the
  ** custom sections of a clang module are. */
  size_t from = d.code_start + d.code_size;
  dbg_free(&d);
  uint8_t *copy = malloc(size);
  if (!copy || from >= size) return 1;
  uint64_t seed = 0x9e3779b97f4a7c15u;
  size_t found = 0;
  for (long k = 0; k < rounds; k++) {
    memcpy(copy, bytes, size);
    size_t n = size;
    int changes = 1 + (int)(next(&seed) % 8);
    for (int c = 0; c < changes; c++) {
      size_t at = from + (size_t)(next(&seed) % (size - from));
      copy[at] = (uint8_t)next(&seed);
    }
    if (next(&seed) % 4 == 0) n = from + (size_t)(next(&seed) % (size - from));
    dbg_read(&d, copy, n);
    for (uint32_t off = d.code_start; off < d.code_start + d.code_size; off += 7)
      found += dbg_find(&d, off) != NULL;
    dbg_free(&d);
  }
  free(copy);
  printf("%ld corrupted copies read (%zu lookups found a row)\n", rounds, found);
  return 0;
}

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: debug_test rows|lookup|mutate MODULE.wasm [N]\n");
    return 2;
  }
  size_t size;
  uint8_t *bytes = read_file(argv[2], &size);
  if (!bytes) {
    fprintf(stderr, "debug_test: cannot read %s\n", argv[2]);
    return 1;
  }
  int rc = 0;
  if (!strcmp(argv[1], "mutate")) {
    rc = mutate(bytes, size, argc > 3 ? atol(argv[3]) : 1000);
  } else {
    inro_error err;
    inro_module *m = inro_module_new(bytes, size, &err);
    dbg_info d;
    if (!m) {
      fprintf(stderr, "debug_test: %s: %s\n", argv[2], err.message);
      rc = 1;
    } else if (!dbg_read(&d, bytes, size)) {
      fprintf(stderr, "debug_test: %s: no line table%s%s\n", argv[2], d.error[0] ? ": " : "", d.error);
      rc = 1;
    } else if (!strcmp(argv[1], "rows")) {
      rows(&d);
    } else {
      rc = lookup(&d, m);
    }
    if (m) dbg_free(&d);
    inro_module_free(m);
  }
  free(bytes);
  return rc;
}

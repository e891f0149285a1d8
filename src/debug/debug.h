/*
** debug.h -- source positions of a module's code, from the DWARF line
** tables clang writes into a module built with -g (custom sections
** .debug_line, .debug_line_str, .debug_info, .debug_abbrev, .debug_str,
** .debug_str_offsets; DWARF versions 2 to 5, 32- and 64-bit).
**
** The line programs are run into rows, kept in program order (what
** `llvm-dwarfdump --debug-line` prints, which tests/debug_lines.sh
** compares), and indexed by address for dbg_find.  Addresses in Wasm
** DWARF count from the start of the code section's contents; dbg_find
** takes module offsets, as probes and monitors use them.  File names are
** resolved to paths the way LLVM does (the unit's compilation directory,
** the include directory, the name), so a report names the same files as
** llvm-symbolizer.
**
** Only the standard C library is used; every read is bounds-checked, and
** a malformed unit ends the reading (what was read before it stays).
*/
#ifndef INRO_DEBUG_H
#define INRO_DEBUG_H

#include <stddef.h>
#include <stdint.h>

/* dbg_row.flags */
enum {
  DBG_STMT = 1,
  DBG_BASIC_BLOCK = 2,
  DBG_END_SEQUENCE = 4,
  DBG_PROLOGUE_END = 8,
  DBG_EPILOGUE_BEGIN = 16
};

typedef struct dbg_row {
  uint64_t address;        /* from the start of the code section contents */
  uint32_t line;           /* 0: no source line */
  uint32_t column;
  uint32_t file_index;     /* as the line program numbers its files */
  uint32_t file;           /* into dbg_info.files; UINT32_MAX: none */
  uint32_t isa, discriminator;
  uint8_t flags;           /* DBG_* */
} dbg_row;

typedef struct dbg_unit {
  uint64_t offset;         /* of its header in .debug_line */
  uint16_t version;
  size_t first_row, nrows; /* its rows in dbg_info.rows */
} dbg_unit;

typedef struct dbg_seq {
  uint64_t low, high;      /* addresses [low, high) */
  size_t first, last;      /* rows first .. last - 1, without the end row */
} dbg_seq;

typedef struct dbg_info {
  uint32_t code_start;     /* module offset of the code section contents */
  uint32_t code_size;
  dbg_unit *units;
  size_t nunits;
  dbg_row *rows;           /* every row of every unit, in program order */
  size_t nrows, caprows;
  char **files;            /* distinct paths */
  size_t nfiles, capfiles;
  uint32_t *file_slots;    /* hash of files: index + 1, 0 = empty */
  size_t nslots;
  dbg_seq *seqs;           /* sequences inside the code, by address */
  size_t nseqs;
  char error[160];         /* why reading stopped early, or "" */
} dbg_info;

/* Read the line tables of module bytes[0..size) (decoded and validated
** already).  Returns 1 when there are rows, 0 when there are none (no
** .debug_line, or out of memory, or malformed from the first unit on:
** then error says why).  dbg_free releases either way. */
int dbg_read(dbg_info *d, const uint8_t *bytes, size_t size);
void dbg_free(dbg_info *d);

/* The row whose range holds module offset `offset`, or NULL (not in any
** sequence).  Its line may be 0 (code with no source line). */
const dbg_row *dbg_find(const dbg_info *d, uint32_t offset);

/* dbg_find for offsets taken in increasing order: each call goes on from
** where the last one stood, so a walk over n offsets costs some n + rows
** steps in all, not n binary searches.  Zero a dbg_walk to start. */
typedef struct dbg_walk {
  size_t seq, row;
  int started;
} dbg_walk;
const dbg_row *dbg_find_next(const dbg_info *d, dbg_walk *w, uint32_t offset);

#endif

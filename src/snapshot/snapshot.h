/*
** snapshot.h -- internals of snapshots (format: docs/snapshot-format.md).
**
**   capture.c  writes the state of a running instance
**   open.c     parses and checks a snapshot into struct inro_snapshot
**   restore.c  gives a fresh instance the saved state, rebuilds frames
**   query.c    read accessors used by `inro inspect`
*/
#ifndef INRO_SNAPSHOT_H
#define INRO_SNAPSHOT_H

#include "probe/probe.h"
#include "snapshot/bytes.h"

#define SNAP_MAGIC "INROSNAP"
/* Version 2 adds what WebAssembly 3.0 brought (64-bit memories and
** tables, exceptions); a snapshot that needs none of it is written as
** version 1, which older readers also read.  Both are read. */
#define SNAP_VERSION 2u

enum {
  SEC_END = 0,
  SEC_MODULE = 1,
  SEC_MEMORIES = 2,
  SEC_GLOBALS = 3,
  SEC_TABLES = 4,
  SEC_SEGMENTS = 5,
  SEC_FRAMES = 6,
  SEC_EXCEPTIONS = 7, /* version 2 */
  SEC_EMBEDDER_FIRST = 0x100
};
#define SEC_FLAG_REQUIRED 1u

/* A saved value: its type and bits; a funcref is a function index + 1
** (0 = null), an exnref an exception index + 1, an externref can only be
** null, a v128 has bytes 0-7 in bits and 8-15 in bits_hi. */
typedef struct snap_value {
  uint8_t type;
  uint64_t bits, bits_hi;
} snap_value;

enum { FRAME_BEFORE = 0, FRAME_AFTER_CALL = 1 };

typedef struct snap_frame {
  uint32_t func, offset;
  uint8_t kind;
  uint32_t nlocals, nops, ncaught;
  snap_value *locals, *ops;
  snap_value *caught; /* the exceptions of the legacy catch bodies around
                         offset, outermost first (version 2) */
} snap_frame;

enum { SNAP_ADDR64 = 1 }; /* a memory's or table's flags (version 2) */

typedef struct snap_memory {
  uint8_t flags;
  uint64_t pages, max;   /* max UINT64_MAX: none */
  uint64_t nstored;
  unsigned index_bytes;  /* of a stored page's index: 4 (version 1) or 8 */
  const uint8_t *stored; /* nstored * (page index, 64 KiB) */
} snap_memory;

typedef struct snap_table {
  uint8_t elem, flags;
  uint32_t size;
  uint64_t max;          /* UINT64_MAX: none */
  const uint8_t *entries; /* size * u32 */
} snap_table;

typedef struct snap_exn {
  uint32_t tag;           /* in the instance's tag index space */
  uint32_t nvals;
  snap_value *vals;
} snap_exn;

typedef struct snap_section {
  uint32_t id, flags;
  const uint8_t *data;
  size_t size;
} snap_section;

struct inro_snapshot {
  uint32_t version;
  uint8_t hash[32];
  const uint8_t *module;
  size_t module_size;
  uint32_t nmems, nglobals, ntables, ndata, nelem, nframes, nsections, nexns;
  snap_memory *mems;
  snap_value *globals;
  snap_table *tables;
  const uint8_t *data_dropped, *elem_dropped;
  snap_frame *frames;
  snap_section *sections;
  snap_exn *exns;
};

/* The references of one snapshot: the instance's functions, and its
** exceptions numbered (capture: as they are met; restore: as saved). */
typedef struct snap_refs {
  const inro_instance *inst;
  inro_exn **exns;
  uint32_t nexns, capexns;
  int oom;
} snap_refs;

/* Slot <-> saved value; 0 on a value that cannot be saved (non-null
** externref, a function of another instance, an exception of a tag the
** instance has no index for) or restored. */
int snap_encode(snap_refs *r, uint8_t type, slot v, uint64_t *bits);
int snap_decode(const snap_refs *r, uint8_t type, uint64_t bits, slot *v);

#endif

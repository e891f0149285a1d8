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
#define SNAP_VERSION 1u

enum {
  SEC_END = 0,
  SEC_MODULE = 1,
  SEC_MEMORIES = 2,
  SEC_GLOBALS = 3,
  SEC_TABLES = 4,
  SEC_SEGMENTS = 5,
  SEC_FRAMES = 6,
  SEC_EMBEDDER_FIRST = 0x100
};
#define SEC_FLAG_REQUIRED 1u

/* A saved value: its type and bits; a funcref is a function index + 1
** (0 = null), an externref can only be null, a v128 has bytes 0-7 in
** bits and 8-15 in bits_hi. */
typedef struct snap_value {
  uint8_t type;
  uint64_t bits, bits_hi;
} snap_value;

enum { FRAME_BEFORE = 0, FRAME_AFTER_CALL = 1 };

typedef struct snap_frame {
  uint32_t func, offset;
  uint8_t kind;
  uint32_t nlocals, nops;
  snap_value *locals, *ops;
} snap_frame;

typedef struct snap_memory {
  uint32_t pages, max;
  uint32_t nstored;
  const uint8_t *stored; /* nstored * (u32 page index, 64 KiB) */
} snap_memory;

typedef struct snap_table {
  uint8_t elem;
  uint32_t size, max;
  const uint8_t *entries; /* size * u32 */
} snap_table;

typedef struct snap_section {
  uint32_t id, flags;
  const uint8_t *data;
  size_t size;
} snap_section;

struct inro_snapshot {
  uint8_t hash[32];
  const uint8_t *module;
  size_t module_size;
  uint32_t nmems, nglobals, ntables, ndata, nelem, nframes, nsections;
  snap_memory *mems;
  snap_value *globals;
  snap_table *tables;
  const uint8_t *data_dropped, *elem_dropped;
  snap_frame *frames;
  snap_section *sections;
};

/* Slot <-> saved value for instance inst; 0 on a value that cannot be
** saved (non-null externref, a function of another instance).  The
** _value forms take a value's slots, two for a v128 (exec/ir.h). */
int snap_encode(const inro_instance *inst, uint8_t type, slot v, uint64_t *bits);
int snap_decode(const inro_instance *inst, uint8_t type, uint64_t bits, slot *v);
int snap_decode_value(const inro_instance *inst, const snap_value *sv, slot *v);

#endif

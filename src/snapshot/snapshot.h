/*
** snapshot.h -- internals of snapshots (format: docs/snapshot-format.md).
**
**   stream.c   sections written as a stream: framing, CRC, gathered writes
**   capture.c  writes the state of a running instance
**   precopy.c  migration streams: memory sent in rounds while running
**   open.c     reads and checks a snapshot into struct inro_snapshot
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
  SEC_PAGES = 7,      /* migration streams: pages sent ahead of MEMORIES */
  SEC_EXCEPTIONS = 8, /* version 2 */
  SEC_EMBEDDER_FIRST = 0x100
};
/* A page record: the page index (u32; version 2: u64), then the page. */
#define SNAP_PAGE_RECORD(version) (((version) >= 2 ? 8u : 4u) + INRO_PAGE_SIZE)
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

/* A saved memory: its contents read into storage of its own
** (memory_storage_alloc), which a restore hands to the instance or copies
** from. */
typedef struct snap_memory {
  uint8_t flags;
  uint64_t pages, max; /* max UINT64_MAX: none (version 1 wrote 2^32 - 1) */
  uint8_t *data;       /* NULL once a restore took it */
  size_t reserved;
  uint8_t *given;      /* a bit per page up to the storage's limit: given
                          by a section */
  int seen;            /* given by a MEMORIES or PAGES section */
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

/* A section's payload as read (sections other than memory pages). */
typedef struct snap_buffer {
  uint8_t *data;
  size_t size;
} snap_buffer;

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
  snap_buffer *buffers;  /* what the pointers above point into */
  uint32_t nbuffers;
};

/* The references of one snapshot: the instance's functions, and its
** exceptions numbered (capture: as they are met; restore: as saved). */
typedef struct snap_refs {
  const inro_instance *inst;
  inro_exn **exns;
  uint32_t nexns, capexns;
  int oom;
} snap_refs;

/* ------------------------------------------------------------- writing */

#define SNAP_OUT_IOV 128
#define SNAP_OUT_SCRATCH 4096

/* A stream being written: sections gathered into iovecs, passed on when
** full (or on snap_out_flush), so large parts (pages, module bytes) go to
** the writer from where they lie.  Small parts are copied to scratch.
** The first failure sticks. */
typedef struct snap_out {
  inro_write_fn write;
  void *env;
  inro_iovec iov[SNAP_OUT_IOV];
  size_t niov;
  uint8_t scratch[SNAP_OUT_SCRATCH];
  size_t nscratch;
  uint32_t crc;      /* of the open section's payload so far */
  uint64_t left;     /* bytes the open section still expects */
  uint64_t bytes;    /* handed to the writer */
  int failed;
} snap_out;

void snap_out_init(snap_out *o, inro_write_fn write, void *env);
void snap_out_header(snap_out *o, uint32_t version);
/* A section of `len` payload bytes: begin, payload pieces, end. */
void snap_out_begin(snap_out *o, uint32_t id, uint32_t flags, uint64_t len);
void snap_out_copy(snap_out *o, const void *p, size_t n); /* small pieces */
void snap_out_ref(snap_out *o, const void *p, size_t n);  /* valid until
                                                             the next flush */
void snap_out_u8(snap_out *o, uint8_t v);
void snap_out_u32(snap_out *o, uint32_t v);
void snap_out_u64(snap_out *o, uint64_t v);
void snap_out_end(snap_out *o);
/* A whole section from a buffer (referenced). */
void snap_out_section(snap_out *o, uint32_t id, uint32_t flags,
                      const uint8_t *payload, size_t len);
/* Hand everything gathered to the writer.  0, or -1 once failed. */
int snap_out_flush(snap_out *o);

/* A memory's record (MEMORIES, and PAGES after the memory index): its
** size, maximum and n page records, as `version` writes them; the pages
** follow with snap_out_page.  The bytes it takes. */
uint64_t snap_memory_record_size(uint32_t version, uint64_t npages);
void snap_out_memory(snap_out *o, uint32_t version, const inro_memory *mem, uint64_t npages);
void snap_out_page(snap_out *o, uint32_t version, const inro_memory *mem, uint64_t page);

/* Which pages of memory `mem` a MEMORIES section stores: 1 for page p,
** whose bytes are at data. */
typedef int (*snap_pick_fn)(void *env, uint32_t mem, uint64_t page,
                            const uint8_t *data);

/* Write the header (of `version`) and the MODULE section (the module's
** bytes too if include_module). */
void snap_write_module(snap_out *o, const inro_module *m, int include_module,
                       uint32_t version);
/* The version a migration stream of module m is written in, before its
** state is known: 2 when the module has anything version 1 cannot hold
** (a 64-bit memory or table, a tag, an exnref in a type, global, table or
** local), else 1. */
uint32_t snap_stream_version(const inro_module *m);
/* Write the state of the instance whose probe fires at view: the header
** and MODULE first unless module < 0 (SNAP_MODULE_SENT: already in the
** stream, as `version`), then MEMORIES (the pages pick chooses; all
** non-zero pages if pick is NULL) and every other section through END.
** Unless the module was sent, the version is the lowest that holds the
** state.  Nothing is written if the state cannot be captured.  1, or 0
** with err filled. */
#define SNAP_MODULE_SENT (-1)
int snap_write_state(snap_out *o, inro_frame *view, int module, uint32_t version,
                     snap_pick_fn pick, void *pick_env,
                     const inro_snapshot_section *extra, size_t nextra,
                     inro_error *err);
/* Is the page all zero? */
int snap_page_is_zero(const uint8_t *page);

/* Slot <-> saved value; 0 on a value that cannot be saved (non-null
** externref, a function of another instance, an exception of a tag the
** instance has no index for) or restored. */
int snap_encode(snap_refs *r, uint8_t type, slot v, uint64_t *bits);
int snap_decode(const snap_refs *r, uint8_t type, uint64_t bits, slot *v);

#endif

/*
** runtime.h -- run-time objects: the store, instances and their parts,
** and the interpreter's own stacks.
**
** Values live in 64-bit slots (see inro.h for the layout).  The value
** stack and the frame stack belong to the store and are allocated once:
** a Wasm call never recurses on the host's C stack, so exhaustion is a
** trap, and every frame can be walked (backtraces, probes, snapshots).
*/
#ifndef INRO_RUNTIME_H
#define INRO_RUNTIME_H

#include <stdatomic.h>
#include <string.h>

#include "binary/module.h"
#include "exec/translate.h"

typedef uint64_t slot;

struct inro_func {
  const functype *type;
  inro_instance *inst;   /* NULL for a host function */
  const code *code;      /* NULL for a host function */
  uint32_t index;        /* function index in its module */
  uint32_t moves;        /* bumped when code changes (probe/probe.c): its
                            frames moved with it; new code can come at
                            the old one's address, so compare this */
  inro_host_fn host;
  void *env;
  functype host_type;    /* storage of `type` for host functions */
};

struct inro_memory {
  uint8_t *data;
  size_t reserved;       /* bytes of address space reserved, 0: malloc'd */
  uint64_t size;         /* bytes = pages * 64 KiB */
  uint64_t pages;
  limits lim;            /* lim.is64: a 64-bit memory (memory64) */
};

struct inro_table {
  slot *elems;
  uint32_t size;
  uint8_t elem_type;     /* the class of its elements (inro_valtype) */
  valtype elem;          /* their type; a typed reference's type index is
                            one of `module` */
  const inro_module *module;
  limits lim;            /* lim.is64: indexed with i64 (table64) */
};

struct inro_global {
  slot value;
  slot value_hi;         /* a v128: bytes 8-15 (value: 0-7), exec/ir.h */
  uint8_t type, mut;     /* type: the class (inro_valtype) */
  valtype vtype;         /* the type; a typed reference's is of `module` */
  const inro_module *module;
};

/* An exception tag: the types of the values an exception carries. */
struct inro_tag {
  const functype *type;
  const inro_module *module; /* where the type is (NULL: a host tag) */
  functype host_type;        /* storage of `type` for host tags */
};

/* An exception: thrown with a tag and its values, caught, kept as an
** exnref.  The store owns them all and frees those nothing reaches any
** more (exec/exn.c). */
struct inro_exn {
  inro_exn *next;            /* the store's list of all of them */
  inro_tag *tag;
  uint32_t nvals;            /* the tag's parameters */
  uint32_t nslots;           /* their slots (a v128 takes two: exec/ir.h) */
  uint8_t mark;
  slot vals[];               /* nslots */
};

struct inro_instance {
  const inro_module *module;
  inro_store *store;
  inro_func **funcs;
  inro_table **tables;
  inro_memory **mems;
  inro_global **globals;
  inro_tag **tags;
  inro_func *own_funcs;      /* the module's defined functions */
  uint32_t *data_sizes;      /* per data segment; 0 once dropped */
  uint32_t *elem_sizes;      /* per elem segment; 0 once dropped */
  slot **elem_items;         /* evaluated elem segment contents */
  struct probe_state *probes; /* NULL until a probe is inserted */
  /* The exceptions a snapshot restore made, kept (and reachable for the
  ** collector) until inro_snapshot_resume puts them in their frames. */
  inro_exn **restored_exns;
  uint32_t nrestored_exns;
};

/* One activation.  `pc` is saved when the frame calls out, so every frame
** but the running one has an exact resume point. */
typedef struct frame {
  inro_func *func;           /* NULL marks an entry from the host */
  slot *fp;                  /* locals, then the operand stack */
  const uint32_t *pc;
  int at_probe;              /* stopped before the instruction at at_offset:
                                AT_PROBE (a probe firing, a trap being
                                reported) or AT_EXACT (the end of a
                                slice: nothing at the offset ran yet) */
  uint32_t at_offset;
} frame;

enum { AT_PROBE = 1, AT_EXACT = 2 };

/* Push a frame record: func NULL marks an entry from the host. */
static inline frame *frame_push(inro_store *s, inro_func *func, slot *fp,
                                const uint32_t *pc);

/* The Wasm offset where frame f stands: the instruction it stopped
** before (at a probe or a trap), or the call its saved pc returns past. */
static inline uint32_t frame_offset(const frame *f) {
  const code *c = f->func->code;
  return f->at_probe ? f->at_offset : code_offset_of(c, (uint32_t)(f->pc - c->words) - 1);
}

/* An object owned by a store, freed with it. */
typedef struct owned {
  int kind;
  void *ptr;
} owned;

struct inro_call_ctx {
  inro_store *store;
  inro_instance *caller;
  inro_error *err;
};

struct inro_store {
  slot *stack, *stack_end;
  slot *sp_top;              /* first free slot while the host runs */
  frame *frames;
  size_t nframes, max_frames;
  owned *objects;
  size_t nobjects, capobjects;
  inro_trap_fn trap_fn;       /* inro_store_on_trap */
  void *trap_env;
  inro_frame_info backtrace[64];
  size_t nbacktrace;
  /* Slices (inro.h, "fuel and interruption"): interp_run counts budget
  ** down to 0 and leaves what is left of it there when it returns. */
  uint32_t budget;
  uint64_t fuel;
  atomic_int interrupt;
  inro_probe_fn slice_fn;
  void *slice_env;
  /* Functions translated with a barrier where a frame stood at a probe or
  ** was restored (probe/probe.c): between slices they get the code they
  ** have without it, as the frame has moved on. */
  size_t barred;
  /* A suspended call: its function and where its arguments were. */
  inro_func *suspended;
  slot *suspended_base;
  /* Exceptions (exec/exn.c): every one allocated, how many, the count at
  ** which the next collection runs, and the one being thrown (or, after
  ** a call ended with INRO_ERR_EXCEPTION, the one nobody caught). */
  inro_exn *exns;
  size_t nexns, exn_limit;
  inro_exn *thrown;
};
#define SLICE_UNITS 65536u

/* store.c */
int store_own(inro_store *s, int kind, void *ptr);
enum { OWN_FUNC, OWN_TABLE, OWN_MEMORY, OWN_GLOBAL, OWN_INSTANCE, OWN_TAG };

/* instance.c: instantiate; without `initialize`, no segment is applied
** and the start function does not run (snapshot restore). */
inro_instance *instance_create(inro_store *s, const inro_module *m,
                               const inro_extern *imports, size_t nimports,
                               int initialize, inro_error *err);

/* Export i of the instance's module. */
inro_extern instance_export_at(const inro_instance *inst, uint32_t i);

/* interp.c: run from the current top frame until the host entry frame
** below it returns: 1, or 0 with err filled (the frames unwound), or
** INTERP_SLICE when s->budget ran out (the top frame at an exact
** position, AT_EXACT).  exec_run (store.c) runs slices until the end. */
enum { INTERP_SLICE = 2, EXEC_SUSPENDED = 3 };
int interp_run(inro_store *s, inro_error *err);
/* Unwind the frames above the host entry frame, recording a backtrace. */
void interp_unwind(inro_store *s);
int exec_run(inro_store *s, int resumable, inro_error *err);
/* Call func with its arguments at s->stack position `base`; results are
** left at base.  Used by inro_call (resumable: see exec_run) and
** instantiation (start function). */
int exec_call(inro_store *s, inro_func *func, slot *base, int resumable, inro_error *err);
/* The results of a call of type ft, left at base, as values. */
void exec_results(const functype *ft, const slot *base, inro_value *results);
/* Call a host function with its arguments at base; results go to base. */
int interp_host_call(inro_store *s, inro_func *callee, inro_instance *caller,
                     slot *base, inro_error *err);

/* probe/probe.c: fire the probes of the IR_PROBE at frame f (flags and
** Wasm offset from the instruction).  Returns 1, or 0 with err filled (a
** probe trapped). */
int probe_fire(inro_store *s, frame *f, uint32_t flags, uint32_t offset,
               inro_error *err);
void probe_state_free(inro_instance *inst);
/* Fire the catch probes of frame f's instance, if any, with f standing at
** the handler's target (exec/exn.c); f->pc then is where to go on (the
** function may have been re-translated).  1, or 0 with err filled. */
int probe_fire_catch(inro_store *s, frame *f, const uint32_t *target, inro_error *err);
/* probe/context.c: a context probe's entry event at the IR_CTX_ENTER at
** pc of frame f, and its exit event, when the case in the interpreter
** cannot do it.  Entry: 1, or 0 with err filled (out of memory: a trap
** recorded at pc). */
int probe_context_enter(inro_store *s, frame *f, const uint32_t *pc, inro_contexts *t,
                        inro_error *err);
void probe_context_exit(inro_store *s, frame *f, inro_contexts *t);
/* A context event's charge: the top node gets the clock up to now. */
static inline void contexts_charge(inro_contexts *t, uint64_t now) {
  t->nodes[t->top].self += now - t->last;
  t->last = now;
}
/* probe/frame.c: call the store's trap hook for a trap in frame f, in
** the instruction starting at pc. */
void probe_trap_hook(inro_store *s, frame *f, const uint32_t *pc, inro_error *err);

/* The slots of ft's params and results (exec/ir.h). */
static inline void functype_slots(functype *ft) {
  ft->param_slots = ir_types_slots(FT_PCLASSES(ft), ft->nparams);
  ft->result_slots = ir_types_slots(FT_RCLASSES(ft), ft->nresults);
}

/* A v128's 16 bytes (inro.h) <-> its two slots (exec/ir.h). */
static inline void v128_to_slots(const uint8_t *b, slot *s) {
  for (int h = 0; h < 2; h++) {
    slot v = 0;
    for (int i = 7; i >= 0; i--) v = v << 8 | b[8 * h + i];
    s[h] = v;
  }
}
static inline void v128_from_slots(const slot *s, uint8_t *b) {
  for (int i = 0; i < 16; i++) b[i] = (uint8_t)(s[i / 8] >> (8 * (i % 8)));
}

/* A value <-> its slots (one, or two for a v128); value_to_slots returns
** how many it wrote. */
static inline inro_value slots_to_value(uint8_t type, const slot *s);
static inline uint32_t value_to_slots(inro_value v, slot *s);

static inline inro_value slot_to_value(uint8_t type, slot v) {
  inro_value out;
  out.type = (inro_valtype)type;
  switch (type) {
  case INRO_I32: case INRO_F32: out.of.i32 = (uint32_t)v; break;
  case INRO_FUNCREF: out.of.func = (inro_func *)(uintptr_t)v; break;
  case INRO_EXTERNREF: out.of.externref = v; break;
  case INRO_EXNREF: out.of.exn = (inro_exn *)(uintptr_t)v; break;
  default: out.of.i64 = v; break;
  }
  return out;
}

static inline slot value_to_slot(inro_value v) {
  switch (v.type) {
  case INRO_I32: case INRO_F32: return v.of.i32;
  case INRO_FUNCREF: return (slot)(uintptr_t)v.of.func;
  case INRO_EXTERNREF: return v.of.externref;
  case INRO_EXNREF: return (slot)(uintptr_t)v.of.exn;
  default: return v.of.i64;
  }
}

/* Whether value v may go where type t (of module m) is wanted: its class,
** and for a typed function reference its non-nullness and the function's
** type (store.c). */
int value_fits(const inro_module *m, valtype t, inro_value v);

static inline inro_value slots_to_value(uint8_t type, const slot *s) {
  if (type != INRO_V128) return slot_to_value(type, s[0]);
  inro_value out;
  out.type = INRO_V128;
  v128_from_slots(s, out.of.v128);
  return out;
}

static inline uint32_t value_to_slots(inro_value v, slot *s) {
  if (v.type != INRO_V128) {
    s[0] = value_to_slot(v);
    return 1;
  }
  v128_to_slots(v.of.v128, s);
  return 2;
}

/* memory.c / table.c helpers shared by the interpreter and the API */
int64_t memory_grow(inro_memory *mem, uint64_t delta);
int64_t table_grow(inro_table *t, uint64_t delta, slot init);
/* A memory or table of a module's type (instance.c). */
inro_memory *memory_create(inro_store *s, const limits *l, inro_error *err);
inro_table *table_create(inro_store *s, const inro_module *m, const tabletype *tt,
                         inro_error *err);
/* The largest 64-bit memory inro gives address space to, in pages:
** memory.grow beyond it fails (returns -1). */
#define MEM64_MAX_PAGES ((uint64_t)1 << 20) /* 64 GiB */
/* The most pages a memory of limits l may have here. */
uint64_t memory_limit(const limits *l);
/* The storage of a linear memory, also used by snapshots to read pages
** straight into what becomes an instance's memory: zero-filled bytes for
** `pages` pages, in address space reserved for `limit` pages
** (memory_limit) where the host can (*reserved its size), else malloc'd
** (*reserved 0).  0, or -1 when out of range or out of memory. */
int memory_storage_alloc(uint64_t pages, uint64_t limit, uint8_t **data, size_t *reserved);
/* New pages are zero; *data moves only when not reserved.  0 or -1. */
int memory_storage_grow(uint8_t **data, size_t reserved, uint64_t old_pages,
                        uint64_t new_pages);
void memory_storage_free(uint8_t *data, size_t reserved);
/* Memory m takes storage (data, reserved) holding `pages` pages, its own
** storage is freed. */
void memory_adopt(inro_memory *m, uint8_t *data, size_t reserved, uint64_t pages);

/* exn.c: exceptions.  exn_new allocates one (its values uninitialised),
** collecting unreachable ones first when many were made; NULL without
** memory. */
inro_exn *exn_new(inro_store *s, inro_tag *tag);
/* Unwind from the top frame, at IR word `at` of its code, to the
** innermost handler that catches s->thrown: its frame becomes the top
** one, the caught values go where its clause says, and its target is
** returned (after the catch probes, if any, which may have moved the
** frame to a new translation).  NULL when no frame up to the host's entry
** catches it, or a catch probe trapped: the frames above the entry are
** gone and err says why (INRO_ERR_EXCEPTION, or the trap). */
const uint32_t *exn_unwind(inro_store *s, uint32_t at, inro_error *err);
void exn_free_all(inro_store *s);

/* The constants of a frame of code c at fp (exec/ir.h): a few, mostly,
** copied inline rather than through a libc call. */
static inline void frame_consts(slot *fp, const code *c) {
  slot *d = fp + c->local_slots;
  const uint64_t *k = c->consts;
  uint32_t n = c->nconsts;
  if (n > 8) {
    memcpy(d, k, n * sizeof(slot));
    return;
  }
  switch (n) {
  case 8: d[7] = k[7]; /* fall through */
  case 7: d[6] = k[6]; /* fall through */
  case 6: d[5] = k[5]; /* fall through */
  case 5: d[4] = k[4]; /* fall through */
  case 4: d[3] = k[3]; /* fall through */
  case 3: d[2] = k[2]; /* fall through */
  case 2: d[1] = k[1]; /* fall through */
  case 1: d[0] = k[0]; /* fall through */
  default: break;
  }
}

/* A frame of code c enters at fp, its arguments in place: its other
** locals are zeroed, its constants copied in.  Mostly a few slots: done
** inline rather than through a libc call. */
static inline void frame_enter(slot *fp, const code *c) {
  slot *d = fp + c->param_slots;
  uint32_t n = c->local_slots - c->param_slots;
  if (n > 4) {
    memset(d, 0, n * sizeof(slot));
  } else {
    if (n > 0) d[0] = 0;
    if (n > 1) d[1] = 0;
    if (n > 2) d[2] = 0;
    if (n > 3) d[3] = 0;
  }
  frame_consts(fp, c);
}

static inline frame *frame_push(inro_store *s, inro_func *func, slot *fp,
                                const uint32_t *pc) {
  frame *f = &s->frames[s->nframes++];
  f->func = func;
  f->fp = fp;
  f->pc = pc;
  f->at_probe = 0;
  f->at_offset = 0;
  return f;
}

#endif

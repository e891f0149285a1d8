/*
** probe.h -- internals of dynamic instrumentation (see inro.h, "probes").
**
** Probes live per instance.  A function with probes runs its own
** translation of the module's code, made with a probe_plan (where to put
** IR_PROBE instructions); a function without probes runs the module's
** shared translation, untouched: that is why an instance without probes
** pays nothing.  Switching translations moves every frame of the
** function to the equivalent position of the new code (probe/remap.c).
*/
#ifndef INRO_PROBE_H
#define INRO_PROBE_H

#include "binary/validate.h"
#include "exec/runtime.h"

enum { PK_LOCAL, PK_GLOBAL, PK_ENTRY, PK_EXIT, PK_CATCH, PK_COUNTER, PK_EDGES, PK_RECORD, PK_ACCESS,
       PK_CONTEXT };

struct inro_probe {
  inro_instance *inst;
  uint8_t kind;
  uint8_t removed;
  uint32_t defidx;   /* defined-function index, or INRO_ALL_FUNCS */
  uint32_t offset;   /* for PK_LOCAL */
  uint64_t seq;      /* insertion order: newer probes skip the current fire */
  inro_probe_fn fn;
  void *env;         /* fn's, or PK_CONTEXT's tree (inro_contexts) */
  uint64_t *cell;    /* PK_COUNTER: *cell += add; PK_EDGES: cell[way]++ */
  uint32_t add;
  inro_ring *ring;   /* PK_RECORD: values[0..nvalues) go to ring */
  const uint64_t *values;
  uint32_t nvalues;
  inro_access_counts *access; /* PK_ACCESS */
};

typedef struct probe_list {
  inro_probe **items;
  uint32_t n, cap;
} probe_list;

enum { STALE = 1, STALE_LIVE = 2 };

typedef struct func_probes {
  probe_list local;  /* sorted by (offset, seq) */
  probe_list counters; /* the same: counter, edge, record and access probes */
  probe_list entry, exit;
  struct code *own;  /* the translation with probes, NULL: the module's */
  struct probe_stub *stub; /* the code that translates it when called */
  int stale;         /* STALE: its re-translation waits for
                        inro_probe_batch_end; STALE_LIVE there: it has a
                        frame on the stack */
  int barred;        /* its code has a barrier for a frame (store->barred) */
} func_probes;

typedef struct probe_state {
  func_probes *funcs;          /* per defined function */
  probe_list global, entry_all, exit_all;
  probe_list catches;          /* inro_probe_catch: fired by exec/exn.c */
  probe_list contexts;         /* inro_probe_contexts: in every function */
  uint64_t next_seq;
  int firing;
  int dirty;                   /* a probe was removed while firing */
  int batching;                /* open inro_probe_batch_begin calls */
  uint8_t *starts;             /* a bit per byte of the code section: an
                                  instruction starts there (instr_starts) */
} probe_state;

/* Between slices (exec/store.c): re-translate the functions of s whose
** code has a barrier for a frame that stood at a probe or was restored
** and now stands nowhere there, so that it runs the code it has without
** probes there.  1, or 0 with err filled. */
int probe_unbar(inro_store *s, inro_error *err);
/* Re-translate function defidx so that an instruction boundary falls at
** offset (a restored frame resumes there). */
int probe_barrier(inro_instance *inst, uint32_t defidx, uint32_t offset, inro_error *err);
/* Translate function defidx now if its translation waits for its first
** call (a frame is to stand in it). */
int probe_translated(inro_instance *inst, uint32_t defidx, inro_error *err);

/* Frame views handed to callbacks (probe/frame.c). */
struct inro_frame {
  inro_store *store;
  size_t index;          /* in store->frames */
  slot *sp;              /* this frame's top operand */
  unsigned reason;       /* INRO_PROBE_AT_* */
  inro_error *err;
  uint8_t *types;        /* operand types (classes), computed on demand */
  valtype *vtypes;       /* the same in full */
  uint32_t ntypes;
  int have_types;
  uint32_t offset;       /* the Wasm offset, once known (have_offset) */
  int have_offset;
  struct inro_frame *caller;
};

/* A view on the heap, or in place (a firing probe's view lives on the C
** stack: no allocation per fire); release frees what a view holds. */
inro_frame *frame_view(inro_store *s, size_t index, slot *sp, inro_error *err);
/* Types of the view's operand stack, bottom first, as classes (NULL: out
** of memory). */
const uint8_t *frame_view_types(inro_frame *v);
/* The slots of the operand stack of function defidx (code c) at Wasm
** offset `offset`, as validation gives it (a v128 takes two). */
uint32_t frame_stack_slots_at(const inro_module *m, uint32_t defidx, const code *c,
                              uint32_t offset);
void frame_view_init(inro_frame *v, inro_store *s, size_t index, slot *sp,
                     inro_error *err);
void frame_view_release(inro_frame *v);
void frame_view_free(inro_frame *v);

/* probe/remap.c: where to resume in code c at a Wasm offset: after the
** call at that offset, or before the instruction, after its probes or
** before them (NULL if c has no exact position there). */
enum { RESUME_AFTER_CALL, RESUME_AFTER_PROBE, RESUME_BEFORE };
const uint32_t *code_resume_pc(const code *c, uint32_t offset, int where);
/* Frame f's saved pc (in its function's current code) moved to code `to`. */
const uint32_t *remap_pc(const code *to, const frame *f);

#endif

/*
** inro.h -- the embedding API of inro, a WebAssembly 2.0 runtime.
**
** Life cycle:
**   inro_store    owns everything an execution touches: functions, tables,
**                 memories, globals, instances, and the interpreter's own
**                 value and frame stacks.  Freeing the store frees them all.
**   inro_module   decoded and validated module bytes.  Independent of any
**                 store; may be instantiated many times.
**   inro_instance a module instantiated in a store against its imports.
**
** Errors: every fallible call takes an `inro_error *` (may be NULL) and
** returns 0 / NULL on failure after filling it.  The library never calls
** exit() or abort() and never prints.
**
** Values: an `inro_value` carries its type.  Floats travel as raw bits so
** that NaN payloads survive.  A funcref is an `inro_func *` (NULL = null);
** an externref is an opaque 64-bit handle chosen by the host, where 0 is
** `ref.null extern`.
**
** Host functions receive their arguments and write their results as raw
** 64-bit "slots": i32 and f32 in the low 32 bits (upper bits zero), i64 and
** f64 as all 64 bits, funcref as (uintptr_t)inro_func*, externref as the
** handle.  This is the interpreter's own value layout, so calls into the
** host cost no conversion.
*/
#ifndef INRO_H
#define INRO_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define INRO_VERSION "0.1.0"

/* ---------------------------------------------------------------- errors */

typedef enum inro_error_kind {
  INRO_OK = 0,
  INRO_ERR_MALFORMED,     /* module bytes could not be decoded */
  INRO_ERR_INVALID,       /* module failed validation */
  INRO_ERR_LINK,          /* an import is missing or has the wrong type */
  INRO_ERR_TRAP,          /* execution trapped; see trap code */
  INRO_ERR_EXIT,          /* the guest asked to exit (WASI proc_exit) */
  INRO_ERR_NOMEM,         /* an allocation failed */
  INRO_ERR_IO,            /* a file could not be read or written */
  INRO_ERR_ARG,           /* the caller passed something wrong */
  INRO_ERR_UNSUPPORTED    /* a feature inro does not implement */
} inro_error_kind;

typedef enum inro_trap_code {
  INRO_TRAP_NONE = 0,
  INRO_TRAP_UNREACHABLE,
  INRO_TRAP_MEMORY_OOB,       /* out of bounds memory access */
  INRO_TRAP_TABLE_OOB,        /* out of bounds table access */
  INRO_TRAP_INDIRECT_TYPE,    /* indirect call type mismatch */
  INRO_TRAP_UNDEFINED_ELEM,   /* undefined element */
  INRO_TRAP_UNINIT_ELEM,      /* uninitialized element (null in table) */
  INRO_TRAP_DIV_ZERO,         /* integer divide by zero */
  INRO_TRAP_INT_OVERFLOW,     /* integer overflow */
  INRO_TRAP_INVALID_CONV,     /* invalid conversion to integer */
  INRO_TRAP_STACK_EXHAUSTED,  /* call stack exhausted */
  INRO_TRAP_HOST              /* a host function trapped */
} inro_trap_code;

typedef struct inro_error {
  inro_error_kind kind;
  inro_trap_code trap;   /* for INRO_ERR_TRAP */
  int exit_code;         /* for INRO_ERR_EXIT */
  char message[256];     /* one line, no trailing newline */
} inro_error;

/* Spec wording of a trap code ("integer divide by zero", ...). */
const char *inro_trap_message(inro_trap_code code);
void inro_error_clear(inro_error *err);

/* ----------------------------------------------------------------- types */

typedef enum inro_valtype {
  INRO_I32 = 0x7F,
  INRO_I64 = 0x7E,
  INRO_F32 = 0x7D,
  INRO_F64 = 0x7C,
  INRO_V128 = 0x7B,
  INRO_FUNCREF = 0x70,
  INRO_EXTERNREF = 0x6F
} inro_valtype;

typedef enum inro_extern_kind {
  INRO_EXTERN_FUNC = 0,
  INRO_EXTERN_TABLE = 1,
  INRO_EXTERN_MEMORY = 2,
  INRO_EXTERN_GLOBAL = 3
} inro_extern_kind;

typedef struct inro_store inro_store;
typedef struct inro_module inro_module;
typedef struct inro_instance inro_instance;
typedef struct inro_func inro_func;
typedef struct inro_table inro_table;
typedef struct inro_memory inro_memory;
typedef struct inro_global inro_global;
typedef struct inro_call_ctx inro_call_ctx;

typedef struct inro_value {
  inro_valtype type;
  union {
    uint32_t i32;
    uint64_t i64;
    uint32_t f32;        /* IEEE-754 bits */
    uint64_t f64;        /* IEEE-754 bits */
    inro_func *func;     /* funcref, NULL = null */
    uint64_t externref;  /* 0 = null */
  } of;
} inro_value;

typedef struct inro_extern {
  inro_extern_kind kind;
  union {
    inro_func *func;
    inro_table *table;
    inro_memory *memory;
    inro_global *global;
  } of;
} inro_extern;

/* ----------------------------------------------------------------- store */

typedef struct inro_config {
  size_t value_stack_slots;  /* 64-bit slots; 0 = default (1 Mi slots) */
  size_t max_call_depth;     /* frames; 0 = default (100 000) */
} inro_config;

inro_store *inro_store_new(const inro_config *config, inro_error *err);
void inro_store_free(inro_store *store);

/* ---------------------------------------------------------------- module */

/* Decode and validate.  On failure err->kind is INRO_ERR_MALFORMED or
** INRO_ERR_INVALID and the message names the reason and, for code, the
** function index and byte offset. The bytes are copied. */
inro_module *inro_module_new(const uint8_t *bytes, size_t size, inro_error *err);
void inro_module_free(inro_module *module);

size_t inro_module_import_count(const inro_module *module);
/* Module name, field name and kind of import i. */
void inro_module_import(const inro_module *module, size_t i,
                        const char **module_name, const char **name,
                        inro_extern_kind *kind);
size_t inro_module_export_count(const inro_module *module);
void inro_module_export(const inro_module *module, size_t i,
                        const char **name, inro_extern_kind *kind);
/* Function name from the name section, or NULL. */
const char *inro_module_func_name(const inro_module *module, uint32_t funcidx);
/* The module's binary (inro's own copy, valid while the module lives):
** byte offsets in probes, frames and backtraces index into it. */
const uint8_t *inro_module_bytes(const inro_module *module, size_t *size);

/* -------------------------------------------------------------- instance */

/* imports[i] satisfies import i of the module, in the module's order. */
inro_instance *inro_instantiate(inro_store *store, const inro_module *module,
                                const inro_extern *imports, size_t nimports,
                                inro_error *err);
/* Export by name; returns 0 if absent. */
int inro_instance_export(const inro_instance *inst, const char *name,
                         inro_extern *out);
/* The same for a name of `len` bytes, which may contain NUL. */
int inro_instance_export_n(const inro_instance *inst, const char *name,
                           size_t len, inro_extern *out);
const inro_module *inro_instance_module(const inro_instance *inst);

/* ---------------------------------------------------------------- linker */

/* A name -> extern map that builds import lists for instantiation. */
typedef struct inro_linker inro_linker;
inro_linker *inro_linker_new(void);
void inro_linker_free(inro_linker *linker);
int inro_linker_define(inro_linker *linker, const char *module_name,
                       const char *name, inro_extern ext, inro_error *err);
/* Define every export of inst under module_name. */
int inro_linker_define_instance(inro_linker *linker, const char *module_name,
                                const inro_instance *inst, inro_error *err);
int inro_linker_get(const inro_linker *linker, const char *module_name,
                    const char *name, inro_extern *out);
/* The module's imports, in its order, as a malloc'd array (free it); NULL
** with err filled when one is missing. */
inro_extern *inro_linker_resolve(const inro_linker *linker,
                                 const inro_module *module, inro_error *err);
inro_instance *inro_linker_instantiate(const inro_linker *linker,
                                       inro_store *store,
                                       const inro_module *module,
                                       inro_error *err);

/* ------------------------------------------------------------- functions */

/* A host function.  args/results are slots (see top of file).  Return 0 to
** continue; to fail, return inro_trap(ctx, msg) or inro_exit(ctx, code). */
typedef int (*inro_host_fn)(inro_call_ctx *ctx, void *env,
                            const uint64_t *args, uint64_t *results);

inro_func *inro_func_new(inro_store *store, const inro_valtype *params,
                         size_t nparams, const inro_valtype *results,
                         size_t nresults, inro_host_fn fn, void *env);
/* The function's type, one value type at a time. */
size_t inro_func_param_count(const inro_func *func);
size_t inro_func_result_count(const inro_func *func);
inro_valtype inro_func_param(const inro_func *func, size_t i);
inro_valtype inro_func_result(const inro_func *func, size_t i);
/* Call func.  args must match its parameter types; results must have room
** for its results.  Traps, exits and exhaustion come back in err. */
int inro_call(inro_store *store, inro_func *func, const inro_value *args,
              size_t nargs, inro_value *results, size_t nresults,
              inro_error *err);

/* Where the last trap of this store happened, innermost frame first.
** offset is the byte offset of the trapping (or calling) instruction from
** the start of the module binary, as wasm-objdump and wasmtime print it. */
typedef struct inro_frame_info {
  const inro_instance *instance;  /* NULL for a host function */
  uint32_t func_index;
  uint32_t offset;
} inro_frame_info;
size_t inro_backtrace(const inro_store *store, inro_frame_info *out,
                      size_t max);

/* Inside a host function. */
int inro_trap(inro_call_ctx *ctx, const char *message);
int inro_exit(inro_call_ctx *ctx, int code);
inro_store *inro_ctx_store(inro_call_ctx *ctx);
/* Memory 0 of the calling instance, or NULL. */
inro_memory *inro_ctx_memory(inro_call_ctx *ctx);

/* ---------------------------------------------------------------- memory */

#define INRO_PAGE_SIZE 65536u

inro_memory *inro_memory_new(inro_store *store, uint32_t min_pages,
                             uint32_t max_pages /* UINT32_MAX = none */,
                             inro_error *err);
uint8_t *inro_memory_data(inro_memory *mem);
uint64_t inro_memory_size(const inro_memory *mem); /* bytes */
/* Grow by delta pages; returns the old size in pages or -1. */
int64_t inro_memory_grow(inro_memory *mem, uint32_t delta_pages);

/* ----------------------------------------------------------------- table */

inro_table *inro_table_new(inro_store *store, inro_valtype elem_type,
                           uint32_t min, uint32_t max /* UINT32_MAX = none */,
                           inro_error *err);
uint32_t inro_table_size(const inro_table *table);
int inro_table_get(const inro_table *table, uint32_t i, inro_value *out);
int inro_table_set(inro_table *table, uint32_t i, inro_value value);

/* ---------------------------------------------------------------- global */

inro_global *inro_global_new(inro_store *store, inro_value value,
                             int mutable_, inro_error *err);
inro_value inro_global_get(const inro_global *global);
/* Fails on an immutable global or a type mismatch. */
int inro_global_set(inro_global *global, inro_value value, inro_error *err);

/* ---------------------------------------------------------------- probes */

/* Probes are callbacks inserted into a running instance, fired before an
** instruction executes.  They cost nothing where none is inserted: the
** functions concerned are re-translated with a probe instruction at the
** probed positions, and translated back when the probes are removed.
** Probes may be inserted and removed at any time, also from inside a
** firing probe: a removed probe does not fire again, an inserted one fires
** from the next instruction on.  Offsets are byte offsets of instructions
** from the start of the module binary. */
typedef struct inro_probe inro_probe;
typedef struct inro_frame inro_frame;

/* Return 0 to continue, or the value of inro_frame_trap() to trap. */
typedef int (*inro_probe_fn)(inro_frame *frame, void *env);

#define INRO_ALL_FUNCS UINT32_MAX

/* Before the instruction at `offset` of function func_index. */
inro_probe *inro_probe_local(inro_instance *inst, uint32_t func_index,
                             uint32_t offset, inro_probe_fn fn, void *env,
                             inro_error *err);
/* Before every instruction of every function of inst. */
inro_probe *inro_probe_global(inro_instance *inst, inro_probe_fn fn,
                              void *env, inro_error *err);
/* On entry to func_index (before its first instruction), or on exit
** (before each `return` and before its final `end`, also when reached by a
** branch).  func_index may be INRO_ALL_FUNCS (every defined function). */
inro_probe *inro_probe_entry(inro_instance *inst, uint32_t func_index,
                             inro_probe_fn fn, void *env, inro_error *err);
inro_probe *inro_probe_exit(inro_instance *inst, uint32_t func_index,
                            inro_probe_fn fn, void *env, inro_error *err);
/* Remove a probe (the handle is invalid afterwards). */
void inro_probe_remove(inro_probe *probe);

/* Many local probes in one function, at offsets[0..n) (increasing), with
** envs[i] (or NULL for all) for offset i, and one re-translation instead
** of n.  Fills out[0..n) and returns 1, or inserts none and returns 0 with
** err filled.  Removing many at once likewise re-translates each function
** once (NULL handles are skipped). */
int inro_probe_locals(inro_instance *inst, uint32_t func_index,
                      const uint32_t *offsets, size_t n, inro_probe_fn fn,
                      void *const *envs, inro_probe **out, inro_error *err);
void inro_probe_remove_n(inro_probe *const *probes, size_t n);

/* A group of probes at the safe points of an instance: every function
** entry and the first instruction of every loop body.  Running code
** reaches one within a bounded number of instructions, which is what
** run-time control and asynchronous checkpoints need.  Inserted only on
** request, so it costs nothing otherwise. */
typedef struct inro_probe_group inro_probe_group;
inro_probe_group *inro_probe_safepoints(inro_instance *inst, inro_probe_fn fn,
                                        void *env, inro_error *err);
void inro_probe_group_remove(inro_probe_group *group);

/* Called when Wasm code traps (not for host errors or exits), before the
** stack unwinds, with the trapping frame standing before the trapping
** instruction: a post-mortem snapshot can be captured from there. */
typedef void (*inro_trap_fn)(inro_frame *frame, const inro_error *trap,
                             void *env);
void inro_store_on_trap(inro_store *store, inro_trap_fn fn, void *env);

/* Frame accessors, valid only during the callback that received the
** frame (and for frames reached from it with inro_frame_caller). */
const inro_instance *inro_frame_instance(const inro_frame *frame);
uint32_t inro_frame_func_index(const inro_frame *frame);
uint32_t inro_frame_offset(const inro_frame *frame);
/* Wasm frames below this one (0 = the outermost). */
size_t inro_frame_depth(const inro_frame *frame);
/* The calling Wasm frame, or NULL (outermost, or called by the host). */
inro_frame *inro_frame_caller(inro_frame *frame);
/* Why the probe fired: INRO_PROBE_AT_* bits (several may be set). */
#define INRO_PROBE_AT_LOCAL 1
#define INRO_PROBE_AT_GLOBAL 2
#define INRO_PROBE_AT_ENTRY 4
#define INRO_PROBE_AT_EXIT 8
unsigned inro_frame_reason(const inro_frame *frame);
size_t inro_frame_local_count(const inro_frame *frame);
inro_value inro_frame_local(const inro_frame *frame, size_t i);
int inro_frame_set_local(inro_frame *frame, size_t i, inro_value value);
/* The operand stack: index 0 is the top. */
size_t inro_frame_stack_height(const inro_frame *frame);
inro_value inro_frame_operand(const inro_frame *frame, size_t i);
int inro_frame_set_operand(inro_frame *frame, size_t i, inro_value value);
/* The raw 64-bit slot of operand i (0 = top), without its type: cheap. */
uint64_t inro_frame_operand_bits(const inro_frame *frame, size_t i);
/* Make the probe trap with a message; return its result from the probe. */
int inro_frame_trap(inro_frame *frame, const char *message);
/* Memory 0 of the frame's instance, or NULL. */
inro_memory *inro_frame_memory(const inro_frame *frame);
/* What a call_indirect would call: the function in element `elem` of
** table `table` of the frame's instance, as an index of the frame's
** module (imports first).  1 and *func_index, or 0 when the element is
** out of bounds or null, or holds a function the module has no index for
** (defined elsewhere and not imported). */
int inro_frame_table_func(const inro_frame *frame, uint32_t table,
                          uint32_t elem, uint32_t *func_index);

/* ------------------------------------------------------------- snapshots */

/* A snapshot is the whole execution state at the Wasm level: the module
** (its SHA-256, and its bytes unless left out), every frame as (function
** index, byte offset, locals, operand stack), memories, globals, tables
** and dropped segments, plus sections the embedder adds (WASI state,
** monitors).  The format is portable: docs/snapshot-format.md. */
typedef struct inro_snapshot inro_snapshot;

/* An embedder section.  Ids 0x100 and up are the embedder's. */
typedef struct inro_snapshot_section {
  uint32_t id;
  const uint8_t *data;
  size_t size;
} inro_snapshot_section;

/* Snapshots travel as byte streams (a file, a pipe, a socket).  A writer
** is handed pieces to write in order, all of them, and returns 0 or
** nonzero on failure; the pieces stay valid only during the call.  A
** reader reads up to len bytes into buf and sets *got, 0 at the end of the
** stream; it returns 0 or nonzero on failure. */
typedef struct inro_iovec {
  const void *base;
  size_t len;
} inro_iovec;
typedef int (*inro_write_fn)(void *env, const inro_iovec *iov, size_t n);
typedef int (*inro_read_fn)(void *env, void *buf, size_t len, size_t *got);

/* Capture from inside a probe callback.  Every frame of the store must be
** a Wasm frame of the frame's instance, entered once from the host.
** Writes the whole snapshot to `write`, linear memory straight from where
** it lies; nothing is written if the state cannot be captured.  A failed
** write fails the call with INRO_ERR_IO after a partial stream (a reader
** refuses it).  1, or 0 with err filled. */
int inro_snapshot_write(inro_frame *frame, int include_module,
                        const inro_snapshot_section *extra, size_t nextra,
                        inro_write_fn write, void *env, inro_error *err);
/* The same into memory: malloc'd bytes (free them) or NULL. */
uint8_t *inro_snapshot_capture(inro_frame *frame, int include_module,
                               const inro_snapshot_section *extra,
                               size_t nextra, size_t *size, inro_error *err);

/* Read and check a snapshot or a migration stream (pre-copied pages, see
** inro_precopy_start): magic, version, section lengths and CRC-32C, every
** count.  Reads exactly the snapshot's bytes and nothing after its end,
** so a stream may go on with other data.  Memory pages are read straight
** into storage that becomes the restored instance's linear memory. */
inro_snapshot *inro_snapshot_read(inro_read_fn read, void *env,
                                  inro_error *err);
/* The same from bytes in memory, which must hold exactly one snapshot
** (they may be freed once this returns). */
inro_snapshot *inro_snapshot_open(const uint8_t *bytes, size_t size,
                                  inro_error *err);
void inro_snapshot_free(inro_snapshot *snap);
/* The module's SHA-256, and its bytes (NULL when stored by reference). */
const uint8_t *inro_snapshot_module_hash(const inro_snapshot *snap);
const uint8_t *inro_snapshot_module_bytes(const inro_snapshot *snap,
                                          size_t *size);
/* An embedder section by id, or NULL. */
const uint8_t *inro_snapshot_section_get(const inro_snapshot *snap,
                                         uint32_t id, size_t *size);

/* Read access for `inro inspect`. */
size_t inro_snapshot_frame_count(const inro_snapshot *snap);
/* Frame i (0 = outermost): function index, byte offset, counts. */
void inro_snapshot_frame(const inro_snapshot *snap, size_t i,
                         uint32_t *func_index, uint32_t *offset,
                         size_t *nlocals, size_t *noperands);
inro_value inro_snapshot_frame_local(const inro_snapshot *snap, size_t i,
                                     size_t k);
inro_value inro_snapshot_frame_operand(const inro_snapshot *snap, size_t i,
                                       size_t k); /* k = 0: bottom */
/* Memory 0: pages, and pages holding a non-zero byte. */
void inro_snapshot_memory(const inro_snapshot *snap, uint32_t *pages,
                          uint32_t *stored_pages);
size_t inro_snapshot_global_count(const inro_snapshot *snap);
inro_value inro_snapshot_global(const inro_snapshot *snap, size_t i);

/* Instantiate `module` (its hash must match) against imports and give it
** the snapshot's memories, tables, globals and segments; no start function
** and no segment initialisation run.  Probes may then be inserted before
** inro_snapshot_resume continues the saved frames.  The memories' contents
** move from the snapshot into the instance without a copy, so a snapshot
** is restored once (a second restore fails). */
inro_instance *inro_snapshot_restore(inro_store *store,
                                     inro_snapshot *snap,
                                     const inro_module *module,
                                     const inro_extern *imports,
                                     size_t nimports, inro_error *err);
/* Run the restored frames until the outermost returns; its results (if
** any) go to results.  If set, `ready` is called once the frames are
** rebuilt and checked, just before the first instruction: the moment a
** migration's target can tell its source that it has taken over. */
void inro_snapshot_on_ready(inro_snapshot *snap, void (*ready)(void *env),
                            void *env);
int inro_snapshot_resume(inro_store *store, inro_instance *inst,
                         const inro_snapshot *snap, inro_value *results,
                         size_t nresults, inro_error *err);

/* ------------------------------------------------------------- migration */

/* Live migration with pre-copy (docs/snapshot-format.md, "Migration
** streams").  A migration stream is a snapshot whose memory pages are sent
** while the program keeps running, in rounds: inro_precopy_start writes
** the header and the module; each inro_precopy_send, called between
** stretches of execution (from a probe), goes on with the current round:
** it looks at the next pages and sends those whose content changed since
** they were last sent (in the first round: every page that is not zero).
** inro_precopy_finish, from a probe callback, sends the pages changed
** since, then the rest of the state as inro_snapshot_write does.
** Changes are found by comparing a keyed 128-bit hash of each page with
** the hash of what was sent (docs/migration.md says why and what it
** costs).  inro_snapshot_read reads such a stream. */
typedef struct inro_precopy inro_precopy;

typedef struct inro_precopy_stats {
  uint32_t rounds;           /* rounds completed */
  uint64_t pages_sent;       /* pages sent so far, all rounds */
  uint64_t bytes_sent;       /* bytes written to the stream so far */
  uint64_t last_round_pages; /* pages sent by the last completed round */
  uint64_t round_pages;      /* pages sent so far in the current round */
  uint64_t final_pages;      /* pages sent by inro_precopy_finish */
} inro_precopy_stats;

inro_precopy *inro_precopy_start(inro_instance *inst, int include_module,
                                  inro_write_fn write, void *env,
                                  inro_error *err);
/* Look at up to max_pages pages of the current round and send the changed
** ones.  1 when this call ended a round, 0 when the round goes on, -1
** with err filled when writing failed. */
int inro_precopy_send(inro_precopy *pc, uint32_t max_pages, inro_error *err);
void inro_precopy_get_stats(const inro_precopy *pc, inro_precopy_stats *out);
/* From a probe callback of the instance: the last pages and the state;
** extra as for inro_snapshot_write.  1, or 0 with err filled. */
int inro_precopy_finish(inro_precopy *pc, inro_frame *frame,
                        const inro_snapshot_section *extra, size_t nextra,
                        inro_error *err);
void inro_precopy_free(inro_precopy *pc);

#ifdef __cplusplus
}
#endif
#endif

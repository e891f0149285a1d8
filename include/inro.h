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
** Errors: one convention everywhere.  A call that can fail in more than
** one way takes an `inro_error *` (may be NULL) and fills it on failure.
** Every call and every callback that succeeds or fails returns 1 (or a
** non-NULL pointer) for success, 0 (or NULL) for failure: also host
** functions and probes, which return 1 to let the guest go on and 0 to
** stop it, normally as `return inro_trap(ctx, why)`.  The few calls that
** return something else say so (inro_memory_grow: -1 on failure, as the
** instruction).  The library never calls exit() or abort() and never
** prints.
**
** Values: an `inro_value` carries its type.  Floats travel as raw bits so
** that NaN payloads survive.  A v128 is its 16 bytes in WebAssembly's
** order (byte 0 is lane 0 of an i8x16; an i32x4's lane i is the
** little-endian number in bytes 4i .. 4i+3).  A funcref is an
** `inro_func *` (NULL = null); an externref is an opaque 64-bit handle
** chosen by the host, where 0 is `ref.null extern`.
**
** Host functions receive their arguments and write their results as raw
** 64-bit "slots": i32 and f32 in the low 32 bits (upper bits zero), i64 and
** f64 as all 64 bits, funcref as (uintptr_t)inro_func*, externref as the
** handle, and a v128 as two slots: its bytes 0-7, then 8-15, each as a
** little-endian number.  This is the interpreter's own value layout, so
** calls into the host cost no conversion.  With a v128 among them, the
** slots of value i are not slot i: count two for each v128 before it.
**
** Threads: a store and everything in it (instances, functions, memories,
** tables, globals, probes), the linkers holding its objects and the
** inro_wasi linked into it belong to one thread at a time: use one store
** per thread, or hand a store over with the embedder's own
** synchronisation.  A module is immutable once made: one inro_module may
** be instantiated in stores of several threads at once, and one opened
** inro_snapshot restored in several.  inro has no global mutable state
** (its tables are constants), so stores in different threads never race.
**
** Guest memory moves: the pointer inro_memory_data returns, and every
** pointer into a memory, stays valid only until that memory grows, which
** happens through memory.grow in the guest (so during any inro_call,
** instantiation or inro_snapshot_resume) and inro_memory_grow.  A host
** function may use such a pointer until it returns or calls back into
** the guest.  On 64-bit POSIX hosts inro reserves address space so that
** memories do not move in practice; do not depend on it.
**
** Visibility: only the declarations below are exported (INRO_API); the
** library is built with everything else hidden.
*/
#ifndef INRO_H
#define INRO_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define INRO_VERSION "0.1.0"

#if defined(__GNUC__) || defined(__clang__)
#define INRO_API __attribute__((visibility("default")))
#else
#define INRO_API
#endif

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
  INRO_ERR_UNSUPPORTED,   /* a feature inro does not implement */
  INRO_ERR_INTERRUPTED,   /* inro_store_interrupt() stopped the call */
  INRO_ERR_FUEL,          /* the call used up the store's fuel */
  INRO_ERR_EXCEPTION      /* a Wasm exception (throw) nobody caught */
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
  INRO_TRAP_HOST,             /* a host function trapped */
  INRO_TRAP_NULL_FUNC,        /* null function reference (call_ref) */
  INRO_TRAP_NULL_REF,         /* null reference (ref.as_non_null) */
  INRO_TRAP_NULL_EXN          /* null exception reference (throw_ref) */
} inro_trap_code;

typedef struct inro_error {
  inro_error_kind kind;
  inro_trap_code trap;   /* for INRO_ERR_TRAP */
  int exit_code;         /* for INRO_ERR_EXIT */
  char message[256];     /* one line, no trailing newline */
} inro_error;

/* Spec wording of a trap code ("integer divide by zero", ...). */
INRO_API const char *inro_trap_message(inro_trap_code code);
INRO_API void inro_error_clear(inro_error *err);

/* ----------------------------------------------------------------- types */

typedef enum inro_valtype {
  INRO_I32 = 0x7F,
  INRO_I64 = 0x7E,
  INRO_F32 = 0x7D,
  INRO_F64 = 0x7C,
  INRO_V128 = 0x7B,
  INRO_FUNCREF = 0x70,
  INRO_EXTERNREF = 0x6F,
  INRO_EXNREF = 0x69     /* an exception caught with catch_ref */
} inro_valtype;

typedef enum inro_extern_kind {
  INRO_EXTERN_FUNC = 0,
  INRO_EXTERN_TABLE = 1,
  INRO_EXTERN_MEMORY = 2,
  INRO_EXTERN_GLOBAL = 3,
  INRO_EXTERN_TAG = 4    /* an exception tag */
} inro_extern_kind;

typedef struct inro_store inro_store;
typedef struct inro_module inro_module;
typedef struct inro_instance inro_instance;
typedef struct inro_func inro_func;
typedef struct inro_table inro_table;
typedef struct inro_memory inro_memory;
typedef struct inro_global inro_global;
typedef struct inro_tag inro_tag;
typedef struct inro_exn inro_exn;
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
    inro_exn *exn;       /* exnref, NULL = null: valid until the store next
                            runs Wasm code (exceptions are collected) */
    uint8_t v128[16];    /* bytes in WebAssembly's order */
  } of;
} inro_value;

typedef struct inro_extern {
  inro_extern_kind kind;
  union {
    inro_func *func;
    inro_table *table;
    inro_memory *memory;
    inro_global *global;
    inro_tag *tag;
  } of;
} inro_extern;

/* ----------------------------------------------------------------- store */

typedef struct inro_config {
  size_t value_stack_slots;  /* 64-bit slots; 0 = default (1 Mi slots) */
  size_t max_call_depth;     /* frames; 0 = default (100 000) */
} inro_config;

INRO_API inro_store *inro_store_new(const inro_config *config, inro_error *err);
INRO_API void inro_store_free(inro_store *store);

/* ---------------------------------------------------------------- module */

/* Decode and validate.  On failure err->kind is INRO_ERR_MALFORMED or
** INRO_ERR_INVALID and the message names the reason and, for code, the
** function index and byte offset. The bytes are copied. */
INRO_API inro_module *inro_module_new(const uint8_t *bytes, size_t size, inro_error *err);
INRO_API void inro_module_free(inro_module *module);

INRO_API size_t inro_module_import_count(const inro_module *module);
/* Module name, field name and kind of import i. */
INRO_API void inro_module_import(const inro_module *module, size_t i,
                                 const char **module_name, const char **name,
                                 inro_extern_kind *kind);
INRO_API size_t inro_module_export_count(const inro_module *module);
INRO_API void inro_module_export(const inro_module *module, size_t i,
                                 const char **name, inro_extern_kind *kind);

/* The type an import asks for, or an export has.  Pointers point into the
** module and are valid while it lives. */
typedef struct inro_externtype {
  inro_extern_kind kind;
  /* INRO_EXTERN_FUNC and INRO_EXTERN_TAG: parameter and result types,
  ** each an inro_valtype (a typed reference shows as the class of
  ** reference it is: INRO_FUNCREF, ...) */
  size_t nparams, nresults;
  const uint8_t *params, *results;
  /* INRO_EXTERN_GLOBAL: the value type; INRO_EXTERN_TABLE: the element
  ** type (INRO_FUNCREF, INRO_EXTERNREF or INRO_EXNREF) */
  inro_valtype type;
  int mutable_;          /* INRO_EXTERN_GLOBAL */
  uint32_t min, max;     /* TABLE (elements), MEMORY (pages); max
                            UINT32_MAX = none; both at most UINT32_MAX
                            (see min64, max64) */
  int index64;           /* a 64-bit memory or table (memory64, table64) */
  uint64_t min64, max64; /* min and max in full; max64 UINT64_MAX = none */
} inro_externtype;
/* 1, or 0 if i is out of range. */
INRO_API int inro_module_import_type(const inro_module *module, size_t i,
                                     inro_externtype *out);
INRO_API int inro_module_export_type(const inro_module *module, size_t i,
                                     inro_externtype *out);
/* Function name from the name section, or NULL. */
INRO_API const char *inro_module_func_name(const inro_module *module, uint32_t funcidx);
/* The module's binary (inro's own copy, valid while the module lives):
** byte offsets in probes, frames and backtraces index into it. */
INRO_API const uint8_t *inro_module_bytes(const inro_module *module, size_t *size);

/* -------------------------------------------------------------- instance */

/* imports[i] satisfies import i of the module, in the module's order. */
INRO_API inro_instance *inro_instantiate(inro_store *store, const inro_module *module,
                                         const inro_extern *imports, size_t nimports,
                                         inro_error *err);
/* Export by name; returns 0 if absent. */
INRO_API int inro_instance_export(const inro_instance *inst, const char *name,
                                  inro_extern *out);
/* The same for a name of `len` bytes, which may contain NUL. */
INRO_API int inro_instance_export_n(const inro_instance *inst, const char *name,
                                    size_t len, inro_extern *out);
INRO_API const inro_module *inro_instance_module(const inro_instance *inst);

/* ---------------------------------------------------------------- linker */

/* A name -> extern map that builds import lists for instantiation. */
typedef struct inro_linker inro_linker;
INRO_API inro_linker *inro_linker_new(inro_error *err);
INRO_API void inro_linker_free(inro_linker *linker);
INRO_API int inro_linker_define(inro_linker *linker, const char *module_name,
                                const char *name, inro_extern ext, inro_error *err);
/* Define every export of inst under module_name. */
INRO_API int inro_linker_define_instance(inro_linker *linker, const char *module_name,
                                         const inro_instance *inst, inro_error *err);
INRO_API int inro_linker_get(const inro_linker *linker, const char *module_name,
                             const char *name, inro_extern *out);
/* The module's imports, in its order, as a malloc'd array (free it); NULL
** with err filled when one is missing. */
INRO_API inro_extern *inro_linker_resolve(const inro_linker *linker,
                                          const inro_module *module, inro_error *err);
INRO_API inro_instance *inro_linker_instantiate(const inro_linker *linker,
                                                inro_store *store,
                                                const inro_module *module,
                                                inro_error *err);

/* ------------------------------------------------------------- functions */

/* A host function.  args/results are slots (see top of file).  Return 1 to
** continue; to stop the guest, return inro_trap(ctx, msg) or
** inro_exit(ctx, code), which return 0 (a bare 0 traps with a generic
** message). */
typedef int (*inro_host_fn)(inro_call_ctx *ctx, void *env,
                            const uint64_t *args, uint64_t *results);

/* A host function owned by store.  env is passed to fn as it is; inro
** never frees it.  Fails on a byte that is not a value type. */
INRO_API inro_func *inro_func_new(inro_store *store, const inro_valtype *params,
                                  size_t nparams, const inro_valtype *results,
                                  size_t nresults, inro_host_fn fn, void *env,
                                  inro_error *err);
/* The function's type, one value type at a time. */
INRO_API size_t inro_func_param_count(const inro_func *func);
INRO_API size_t inro_func_result_count(const inro_func *func);
INRO_API inro_valtype inro_func_param(const inro_func *func, size_t i);
INRO_API inro_valtype inro_func_result(const inro_func *func, size_t i);
/* Call func.  args must match its parameter types; results must have room
** for its results.  Traps, exits and exhaustion come back in err. */
INRO_API int inro_call(inro_store *store, inro_func *func, const inro_value *args,
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
INRO_API size_t inro_backtrace(const inro_store *store, inro_frame_info *out,
                               size_t max);

/* ------------------------------------------------- fuel and interruption
**
** The interpreter counts the calls and taken branches (jumps back to a
** loop included) of a store's guests; every 65536 of them it ends a
** "slice": it checks for an interruption, charges the store's fuel, and
** calls the slice callback, if any, with the innermost frame.  At the end
** of a slice every frame stands at an exact Wasm position, as at a probe,
** so the callback may inspect the frames or take a snapshot.
**
** A call stopped by inro_store_interrupt() or by running out of fuel
** returns 0 with INRO_ERR_INTERRUPTED or INRO_ERR_FUEL and stays
** suspended in the store: inro_resume() continues it exactly where it
** stopped (give it fuel first), inro_abandon() drops it.  The same holds
** for inro_snapshot_resume's call.  While a call is suspended, the store
** accepts no other call.  A call made by a host function (a guest called
** back) cannot be suspended: there the two errors end it, like a trap.
**
** A suspended call can be checkpointed: inro_suspended_frame() shows its
** innermost frame, from which inro_snapshot_capture() takes the snapshot
** that inro_snapshot_resume() continues as inro_resume() would have. */
#define INRO_FUEL_UNLIMITED UINT64_MAX
/* Units left: calls and taken branches the store may still run
** (INRO_FUEL_UNLIMITED, the default: no limit). */
INRO_API void inro_store_set_fuel(inro_store *store, uint64_t fuel);
INRO_API uint64_t inro_store_fuel(const inro_store *store);
/* Stop the store's running call at its next slice.  Safe to call from
** another thread or a signal handler, the only store function that is. */
INRO_API void inro_store_interrupt(inro_store *store);
INRO_API int inro_store_suspended(const inro_store *store);
/* Continue the suspended call; results as for inro_call of the function
** first called.  It may stop again (same errors). */
INRO_API int inro_resume(inro_store *store, inro_value *results, size_t nresults,
                         inro_error *err);
INRO_API void inro_abandon(inro_store *store);

/* Inside a host function: stop the guest with a trap (INRO_ERR_TRAP,
** INRO_TRAP_HOST, the message) or an exit (INRO_ERR_EXIT, the status);
** both return 0, for `return inro_trap(ctx, "why");`. */
INRO_API int inro_trap(inro_call_ctx *ctx, const char *message);
INRO_API int inro_exit(inro_call_ctx *ctx, int status);
INRO_API inro_store *inro_ctx_store(inro_call_ctx *ctx);
/* Memory 0 of the calling instance, or NULL. */
INRO_API inro_memory *inro_ctx_memory(inro_call_ctx *ctx);

/* ---------------------------------------------------------------- memory */

#define INRO_PAGE_SIZE 65536u

/* A 64-bit memory (memory64: addressed with i64) of at most 2^48 pages;
** inro gives one at most 64 GiB (memory.grow beyond fails). */
INRO_API inro_memory *inro_memory_new64(inro_store *store, uint64_t min_pages,
                                        uint64_t max_pages /* UINT64_MAX = none */,
                                        inro_error *err);
INRO_API inro_memory *inro_memory_new(inro_store *store, uint32_t min_pages,
                                      uint32_t max_pages /* UINT32_MAX = none */,
                                      inro_error *err);
/* The memory's bytes: see "Guest memory moves" at the top of this file. */
INRO_API uint8_t *inro_memory_data(inro_memory *mem);
INRO_API uint64_t inro_memory_size(const inro_memory *mem); /* bytes */
/* 1 for a 64-bit memory (memory64: addressed with i64), else 0. */
INRO_API int inro_memory_is64(const inro_memory *mem);
         /* Grow by delta pages; returns the old size in pages or -1. */
         INRO_API int64_t inro_memory_grow(inro_memory *mem, uint32_t delta_pages);

/* Bounds-checked access, for host functions handed guest pointers:
** bytes [offset, offset + len) of mem (mem may be NULL: no memory).
** inro_memory_range returns a pointer to them (valid as inro_memory_data's
** is) or NULL if any of them is out of bounds; read and write copy them
** and return 1, or 0 (nothing copied) if out of bounds. */
INRO_API uint8_t *inro_memory_range(inro_memory *mem, uint64_t offset, uint64_t len);
INRO_API int inro_memory_read(const inro_memory *mem, uint64_t offset, void *dst,
                              size_t len);
INRO_API int inro_memory_write(inro_memory *mem, uint64_t offset, const void *src,
                               size_t len);

/* ----------------------------------------------------------------- table */

/* A table indexed with i64 (table64). */
INRO_API inro_table *inro_table_new64(inro_store *store, inro_valtype elem_type,
                                      uint64_t min, uint64_t max /* UINT64_MAX = none */,
                                      inro_error *err);
INRO_API inro_table *inro_table_new(inro_store *store, inro_valtype elem_type,
                                    uint32_t min, uint32_t max /* UINT32_MAX = none */,
                                    inro_error *err);
INRO_API uint32_t inro_table_size(const inro_table *table);
INRO_API int inro_table_get(const inro_table *table, uint32_t i, inro_value *out);
INRO_API int inro_table_set(inro_table *table, uint32_t i, inro_value value);

/* ---------------------------------------------------------------- global */

INRO_API inro_global *inro_global_new(inro_store *store, inro_value value,
                                      int mutable_, inro_error *err);
INRO_API inro_value inro_global_get(const inro_global *global);
/* Fails on an immutable global or a type mismatch. */
INRO_API int inro_global_set(inro_global *global, inro_value value, inro_error *err);

/* ------------------------------------------------------------------ WASI */

/* WASI preview 1 (wasi_snapshot_preview1, docs/wasi.md).  A guest sees of
** the outside world what its inro_wasi grants: arguments, environment,
** stdio, and the host directories preopened for it, out of which no path
** leads (not through `..`, absolute paths or symlinks).  Clocks and
** random numbers are the host's. */
typedef struct inro_wasi inro_wasi;

/* No arguments, no environment, no directories; guest descriptors 0, 1
** and 2 are this process's stdin, stdout and stderr. */
INRO_API inro_wasi *inro_wasi_new(inro_error *err);
INRO_API void inro_wasi_free(inro_wasi *wasi);
/* Append an argument; the first is the program's name (argv[0]). */
INRO_API int inro_wasi_arg(inro_wasi *wasi, const char *arg, inro_error *err);
/* Add NAME=VALUE to the environment. */
INRO_API int inro_wasi_env(inro_wasi *wasi, const char *name, const char *value,
                           inro_error *err);
/* Preopen the host directory host_dir, which the guest sees as
** guest_path, as the next descriptor (3, 4, ...). */
INRO_API int inro_wasi_preopen(inro_wasi *wasi, const char *host_dir,
                               const char *guest_path, inro_error *err);
/* Make guest descriptor fd (0, 1 or 2) the host descriptor host_fd (a
** POSIX file descriptor; on a WASI host, a WASI one), e.g. a file or a
** pipe to capture output.  inro does not close it: it must stay open
** while the guest may use it. */
INRO_API int inro_wasi_stdio(inro_wasi *wasi, int fd, int host_fd, inro_error *err);
/* Define every wasi_snapshot_preview1 function into linker, as host
** functions of store acting on wasi, which must outlive their use.
** proc_exit ends the call with INRO_ERR_EXIT and err->exit_code. */
INRO_API int inro_wasi_link(inro_wasi *wasi, inro_store *store, inro_linker *linker,
                            inro_error *err);

/* WASI state in snapshots: the section id the `inro` command uses. */
#define INRO_WASI_SECTION 0x100u
/* The state as bytes for a snapshot section: arguments, environment,
** preopens, and every open descriptor with its path below its preopen,
** flags, rights and file offset.  malloc'd (free them), or NULL. */
INRO_API uint8_t *inro_wasi_save(inro_wasi *wasi, size_t *size, inro_error *err);

/* Which host directory a saved preopen gets when restored. */
typedef struct inro_wasi_dir {
  const char *guest;   /* the preopen's name, as the guest sees it */
  const char *host;    /* the host directory it is now */
} inro_wasi_dir;
#define INRO_WASI_SAVED_DIRS 1u  /* preopens dirs does not name keep the
                                    host directory they had (trusts the
                                    snapshot's paths) */
#define INRO_WASI_FORCE 2u       /* accept an open file now shorter than
                                    its saved offset */
/* Rebuild a state saved by inro_wasi_save into wasi, which must be new
** (inro_wasi_new, nothing added but inro_wasi_stdio, which the restored
** guest's stdio then uses).  Every saved preopen must be named in dirs
** unless flags has INRO_WASI_SAVED_DIRS: a restored guest gets no
** directory its restorer did not grant.  Each open descriptor is
** reopened below its preopen with its number, flags, rights and offset;
** nothing is created or truncated.  On failure wasi is unchanged. */
INRO_API int inro_wasi_restore(inro_wasi *wasi, const uint8_t *bytes, size_t size,
                               const inro_wasi_dir *dirs, size_t ndirs, unsigned flags,
                               inro_error *err);

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

/* Return 1 to continue, or 0 to stop the guest with a trap, normally as
** `return inro_frame_trap(frame, why);`. */
typedef int (*inro_probe_fn)(inro_frame *frame, void *env);

#define INRO_ALL_FUNCS UINT32_MAX

/* Before the instruction at `offset` of function func_index. */
INRO_API inro_probe *inro_probe_local(inro_instance *inst, uint32_t func_index,
                                      uint32_t offset, inro_probe_fn fn, void *env,
                                      inro_error *err);
/* Before every instruction of every function of inst. */
INRO_API inro_probe *inro_probe_global(inro_instance *inst, inro_probe_fn fn,
                                       void *env, inro_error *err);
/* On entry to func_index (before its first instruction), or on exit
** (before each `return` and before its final `end`, also when reached by a
** branch).  func_index may be INRO_ALL_FUNCS (every defined function). */
INRO_API inro_probe *inro_probe_entry(inro_instance *inst, uint32_t func_index,
                                      inro_probe_fn fn, void *env, inro_error *err);
INRO_API inro_probe *inro_probe_exit(inro_instance *inst, uint32_t func_index,
                                     inro_probe_fn fn, void *env, inro_error *err);
/* When an exception is caught in any function of inst (by a try_table
** clause or a legacy catch): the frame stands at the handler's target,
** before its first instruction, with the caught values on its operand
** stack (inro_frame_reason: INRO_PROBE_AT_CATCH).  Costs nothing but on
** the path of a catch. */
INRO_API inro_probe *inro_probe_catch(inro_instance *inst, inro_probe_fn fn, void *env,
                                      inro_error *err);
/* Remove a probe (the handle is invalid afterwards). */
INRO_API void inro_probe_remove(inro_probe *probe);

/* Many local probes in one function, at offsets[0..n) (increasing), with
** envs[i] (or NULL for all) for offset i, and one re-translation instead
** of n.  Fills out[0..n) and returns 1, or inserts none and returns 0 with
** err filled.  Removing many at once likewise re-translates each function
** once (NULL handles are skipped). */
INRO_API int inro_probe_locals(inro_instance *inst, uint32_t func_index,
                               const uint32_t *offsets, size_t n, inro_probe_fn fn,
                               void *const *envs, inro_probe **out, inro_error *err);
INRO_API void inro_probe_remove_n(inro_probe *const *probes, size_t n);

/* Counter probes: no callback; each time the instruction at `offset` of
** func_index is about to run, *cell grows by 1 (by adds[i] for the i-th
** of inro_probe_counters, NULL: 1).  The increment is one
** instruction of the translated code (no call, no state made exact), so
** a counter costs about what one Wasm instruction does.  The cell is the
** caller's and must outlive the probe; it counts an instruction as it is
** entered, before any probe at the same offset fires (a checkpoint taken
** at such a probe includes it, the restored run goes on after it).  Many at
** once as inro_probe_locals: offsets increasing (repeats allowed), one
** re-translation.  Removed with inro_probe_remove(_n). */
INRO_API inro_probe *inro_probe_counter(inro_instance *inst, uint32_t func_index,
                                        uint32_t offset, uint64_t *cell, inro_error *err);
INRO_API int inro_probe_counters(inro_instance *inst, uint32_t func_index,
                                 const uint32_t *offsets, size_t n, uint64_t *const *cells,
                                 const uint32_t *adds, inro_probe **out, inro_error *err);

/* Edge counter probes: no callback; each time the branch at offsets[i]
** (an if, br_if or br_table of func_index) runs, the counter of the way
** it takes grows by 1: cells[i][0] when an if or br_if finds its
** condition non-zero (taken), cells[i][1] when zero; cells[i][k] when a
** br_table goes to its label k, cells[i][n] to its default (n labels).
** The counters are the caller's and must outlive the probe.  Like
** counter probes one instruction of the translated code (the condition
** is read where it is), counted after any probe at the same offset
** fired.  Offsets increasing; one re-translation; removed with
** inro_probe_remove(_n). */
INRO_API int inro_probe_edges(inro_instance *inst, uint32_t func_index,
                              const uint32_t *offsets, size_t n, uint64_t *const *cells,
                              inro_probe **out, inro_error *err);

/* Record probes: no callback; each time the instruction at offsets[i]
** of func_index is about to run, the counts[i] records values[i][0..
** counts[i]) go to the ring, one after the other: each to
** ring->buf[ring->next % ring->cap], ring->next growing by 1; so the ring
** holds the latest ring->cap records (cap a power of two).  One
** instruction of the translated code, placed as a counter probe is (a
** frame stopped at a probe there has written them).  The ring, its
** buffer and the values are the caller's and must outlive the probes.
** Offsets increasing (repeats allowed); one re-translation; removed with
** inro_probe_remove(_n). */
typedef struct inro_ring {
  uint64_t *buf;
  uint64_t cap, next;
} inro_ring;
/* Access probes: no callback; each time the load or store at offsets[i]
** runs (a load or store of a number, not a v128, of memory 0, a 32-bit
** memory), *counts counts it after any probe there fired: an access
** within the memory as a load or a store, its bytes, and on each 4 KiB
** and 64 KiB page it touches (two when it straddles a boundary); one
** beyond the memory's end (about to trap) as out of bounds only.  The
** counts and both page arrays (2^20 and 2^16 counters) are the caller's
** and must outlive the probes.  Offsets increasing; one re-translation;
** removed with inro_probe_remove(_n). */
typedef struct inro_access_counts {
  uint64_t loads, load_bytes, stores, store_bytes, out_of_bounds;
  uint64_t *pages_4k, *pages_64k;
} inro_access_counts;
INRO_API int inro_probe_accesses(inro_instance *inst, uint32_t func_index,
                                 const uint32_t *offsets, size_t n, inro_access_counts *counts,
                                 inro_probe **out, inro_error *err);
INRO_API int inro_probe_records(inro_instance *inst, uint32_t func_index,
                                const uint32_t *offsets, size_t n,
                                const uint64_t *const *values, const uint32_t *counts,
                                inro_ring *ring, inro_probe **out, inro_error *err);

/* Context probes: no callback; the interpreter keeps a calling-context
** tree of every defined function of inst.  At a function's entry (where
** an entry probe fires, after the counters there) the top node of the
** stack is charged with the clock since the last event (less
** ahead[function's defined index], what the counters at the entry put on
** the clock ahead of the callee), and the callee's node, the top's child
** for its function, becomes the top, its calls growing by 1; at an exit
** (where an exit probe fires) the top is charged up to the clock and its
** parent becomes the top (the root, node 0, stays): the stack of calls is
** the top's chain of parents.  A child is found by the
** top's one-entry cache (last_func, last_child); otherwise inro asks
** child(t, func), which returns the top's child for func, made if new
** (nodes may move), or UINT32_MAX (out of memory: the run traps); inro
** then caches it.  child runs inside an instruction: it must not insert
** or remove probes nor call the instance.  With sync set the next event
** first rebuilds the top from the running frames (down to the host's
** entry), through child, and clears it: set it when the tree starts while
** calls are under way, or after an exception unwound frames.  clock may
** be NULL (no charging: the caller counts otherwise).  Nodes and clock
** are the caller's and must outlive the probe; ahead is read when a
** function is translated.  Each event is one instruction of the
** translated code.  Removed with inro_probe_remove. */
typedef struct inro_context_node {
  uint32_t parent, func;           /* the root: nodes[0], func UINT32_MAX */
  uint64_t self, calls;
  uint32_t last_func, last_child;  /* the child found last */
} inro_context_node;
typedef struct inro_contexts {
  inro_context_node *nodes;        /* nodes[0]: the root */
  uint32_t top;                    /* the innermost call's node */
  const uint64_t *clock;
  uint64_t last;                   /* the clock the top was charged up to */
  const uint32_t *ahead;           /* per defined function, NULL: 0 */
  int sync;
  uint32_t (*child)(struct inro_contexts *t, uint32_t func);
  void *env;
} inro_contexts;
INRO_API inro_probe *inro_probe_contexts(inro_instance *inst, inro_contexts *t,
                                         inro_error *err);
/* What a context probe does, for a caller that stands at an entry or exit
** probe (a tree started there, or kept by callbacks while a window is
** open): 1, or 0 out of memory.  inro_contexts_sync rebuilds the stack
** from f and its callers now (0: out of memory, sync stays set). */
INRO_API int inro_contexts_enter(inro_contexts *t, inro_frame *f);
INRO_API void inro_contexts_exit(inro_contexts *t, inro_frame *f);
INRO_API int inro_contexts_sync(inro_contexts *t, inro_frame *f);

/* A group of probes at the safe points of an instance: every function
** entry and the first instruction of every loop body.  Running code
** reaches one within a bounded number of instructions, which is what
** run-time control and asynchronous checkpoints need.  Inserted only on
** request, so it costs nothing otherwise. */
typedef struct inro_probe_group inro_probe_group;
INRO_API inro_probe_group *inro_probe_safepoints(inro_instance *inst, inro_probe_fn fn,
                                                 void *env, inro_error *err);
INRO_API void inro_probe_group_remove(inro_probe_group *group);

/* Batches: between inro_probe_batch_begin and inro_probe_batch_end,
** inserting and removing probes of inst re-translates nothing; the end
** re-translates each function whose probes changed, once: a function
** with a frame on the stack at once, the others when they are next
** called.  Putting probes of several kinds in every function (a monitor)
** then costs one translation of each function the program runs, not
** one per call.  A probe inserted in a batch fires once the batch has
** ended; end every batch before inst runs again (before the probe
** callback that began it returns).  Batches nest: the outermost end
** re-translates.  begin: 1, or 0 with err set (out of memory); end: 1,
** or 0 with err set if a re-translation failed, where that function
** keeps the code it had (a translation at a call that fails traps
** there). */
INRO_API int inro_probe_batch_begin(inro_instance *inst, inro_error *err);
INRO_API int inro_probe_batch_end(inro_instance *inst, inro_error *err);

/* Called when Wasm code traps (not for host errors or exits), before the
** stack unwinds, with the trapping frame standing before the trapping
** instruction: a post-mortem snapshot can be captured from there. */
typedef void (*inro_trap_fn)(inro_frame *frame, const inro_error *trap,
                             void *env);
INRO_API void inro_store_on_trap(inro_store *store, inro_trap_fn fn, void *env);
/* Called at the end of every slice (see "fuel and interruption") with the
** innermost frame, standing before the instruction at its offset
** (inro_frame_reason: INRO_PROBE_AT_SLICE); return 1 to go on, or
** inro_frame_trap() to trap.  NULL removes it. */
INRO_API void inro_store_on_slice(inro_store *store, inro_probe_fn fn, void *env);
/* While a call is suspended: run fn with its innermost frame, standing
** where the call will go on (inro_frame_reason: INRO_PROBE_AT_SLICE), as
** the slice callback saw it; fn may inspect the frames or capture a
** snapshot.  Returns fn's result, or -1 without calling fn when
** no call is suspended or the call stopped before running anything (no
** fuel, or an interruption pending, when it was made). */
INRO_API int inro_suspended_frame(inro_store *store, inro_probe_fn fn, void *env);

/* Frame accessors, valid only during the callback that received the
** frame (and for frames reached from it with inro_frame_caller). */
INRO_API const inro_instance *inro_frame_instance(const inro_frame *frame);
INRO_API uint32_t inro_frame_func_index(const inro_frame *frame);
INRO_API uint32_t inro_frame_offset(const inro_frame *frame);
/* Wasm frames below this one (0 = the outermost). */
INRO_API size_t inro_frame_depth(const inro_frame *frame);
/* The calling Wasm frame, or NULL (outermost, or called by the host). */
INRO_API inro_frame *inro_frame_caller(inro_frame *frame);
/* Why the probe fired: INRO_PROBE_AT_* bits (several may be set). */
#define INRO_PROBE_AT_LOCAL 1
#define INRO_PROBE_AT_GLOBAL 2
#define INRO_PROBE_AT_ENTRY 4
#define INRO_PROBE_AT_EXIT 8
#define INRO_PROBE_AT_CALL 16 /* no probe: inro_ctx_frame */
#define INRO_PROBE_AT_SLICE 32 /* the end of a slice (inro_store_on_slice) */
#define INRO_PROBE_AT_CATCH 64 /* an exception was caught (inro_probe_catch) */
INRO_API unsigned inro_frame_reason(const inro_frame *frame);
INRO_API size_t inro_frame_local_count(const inro_frame *frame);
INRO_API inro_value inro_frame_local(const inro_frame *frame, size_t i);
INRO_API int inro_frame_set_local(inro_frame *frame, size_t i, inro_value value);
/* The operand stack: index 0 is the top.  The height counts operands
** (a v128 is one). */
INRO_API size_t inro_frame_stack_height(const inro_frame *frame);
/* Not const: the operand types are worked out on first use and kept. */
INRO_API inro_value inro_frame_operand(inro_frame *frame, size_t i);
INRO_API int inro_frame_set_operand(inro_frame *frame, size_t i, inro_value value);
/* The raw 64-bit slot i counted from the top of the operand stack (0 =
** the top), without types: cheap.  It is operand i's value (see "Host
** functions" for the slot layout) as long as no v128 lies above: a v128
** takes two slots, bytes 8-15 in the upper one. */
INRO_API uint64_t inro_frame_operand_bits(const inro_frame *frame, size_t i);
/* Make the probe trap with a message; returns 0, for the probe to return. */
INRO_API int inro_frame_trap(inro_frame *frame, const char *message);
/* Memory 0 of the frame's instance, or NULL. */
INRO_API inro_memory *inro_frame_memory(const inro_frame *frame);
/* Memory `index` of the frame's instance (multiple memories), or NULL. */
INRO_API inro_memory *inro_frame_memory_at(const inro_frame *frame, uint32_t index);
/* The index in inst's module (imports first) of function func, as
** inro_frame_table_func gives it: 1, or 0 when the module has no index
** for it (defined elsewhere and not imported). */
INRO_API int inro_instance_func_index(const inro_instance *inst, const inro_func *func,
                                      uint32_t *func_index);
/* What a call_indirect would call: the function in element `elem` of
** table `table` of the frame's instance, as an index of the frame's
** module (imports first).  1 and *func_index, or 0 when the element is
** out of bounds or null, or holds a function the module has no index for
** (defined elsewhere and not imported). */
INRO_API int inro_frame_table_func(const inro_frame *frame, uint32_t table,
                                   uint32_t elem, uint32_t *func_index);

/* Inside a host function called by Wasm code: run fn with the calling
** frame standing before its call instruction, the call's arguments back
** on its operand stack (reason INRO_PROBE_AT_CALL), as a probe there
** would see it had it not fired yet.  A snapshot captured from fn resumes
** by making the call again, which suits a host function that has done
** nothing yet (one that waits, say).  Returns fn's result, or -1 without
** calling fn when the host function was called by the host.  The view
** is valid during fn only; what fn returns is what the host function
** should do: 1 go on, 0 return 0 at once (after inro_frame_trap, say). */
INRO_API int inro_ctx_frame(inro_call_ctx *ctx, inro_probe_fn fn, void *env);

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
** is handed pieces to write in order, all of them, and returns 1, or 0 on
** failure; the pieces stay valid only during the call.  A reader reads up
** to len bytes into buf and sets *got (0 at the end of the stream), and
** returns 1, or 0 on failure. */
typedef struct inro_iovec {
  const void *base;
  size_t len;
} inro_iovec;
typedef int (*inro_write_fn)(void *env, const inro_iovec *iov, size_t n);
typedef int (*inro_read_fn)(void *env, void *buf, size_t len, size_t *got);

/* Capture from inside a probe callback (or an inro_ctx_frame callback).
** Every frame of the store must be a Wasm frame of the frame's instance,
** entered once from the host.  Writes the whole snapshot to `write`,
** linear memory straight from where it lies; nothing is written if the
** state cannot be captured.  A failed write fails the call with
** INRO_ERR_IO after a partial stream (a reader refuses it).  1, or 0 with
** err filled. */
INRO_API int inro_snapshot_write(inro_frame *frame, int include_module,
                                 const inro_snapshot_section *extra, size_t nextra,
                                 inro_write_fn write, void *env, inro_error *err);
/* The same into memory: malloc'd bytes (free them) or NULL with err
** filled. */
INRO_API uint8_t *inro_snapshot_capture(inro_frame *frame, int include_module,
                                        const inro_snapshot_section *extra,
                                        size_t nextra, size_t *size, inro_error *err);

/* Read and check a snapshot or a migration stream (pre-copied pages, see
** inro_precopy_start): magic, version, section lengths and CRC-32C, every
** rule of docs/snapshot-format.md.  Reads exactly the snapshot's bytes and
** nothing after its end, so a stream may go on with other data.  Memory
** pages are read straight into storage laid out as an instance's linear
** memory (see inro_snapshot_restore_move). */
INRO_API inro_snapshot *inro_snapshot_read(inro_read_fn read, void *env,
                                           inro_error *err);
/* The same from bytes in memory, which must hold exactly one snapshot
** (they may be freed once this returns). */
INRO_API inro_snapshot *inro_snapshot_open(const uint8_t *bytes, size_t size,
                                           inro_error *err);
INRO_API void inro_snapshot_free(inro_snapshot *snap);
/* The module's SHA-256, and its bytes (NULL when stored by reference). */
INRO_API const uint8_t *inro_snapshot_module_hash(const inro_snapshot *snap);
INRO_API const uint8_t *inro_snapshot_module_bytes(const inro_snapshot *snap,
                                                   size_t *size);
/* An embedder section by id, or NULL. */
INRO_API const uint8_t *inro_snapshot_section_get(const inro_snapshot *snap,
                                                  uint32_t id, size_t *size);
/* The embedder sections in file order (each id once): their count, and
** section i's id and flags (bit 0: required, so an embedder that does not
** know the id must refuse the snapshot). */
INRO_API size_t inro_snapshot_section_count(const inro_snapshot *snap);
INRO_API uint32_t inro_snapshot_section_id(const inro_snapshot *snap, size_t i,
                                           uint32_t *flags);

/* Read access for `inro inspect`. */
INRO_API size_t inro_snapshot_frame_count(const inro_snapshot *snap);
/* Frame i (0 = outermost): function index, byte offset, counts. */
INRO_API void inro_snapshot_frame(const inro_snapshot *snap, size_t i,
                                  uint32_t *func_index, uint32_t *offset,
                                  size_t *nlocals, size_t *noperands);
INRO_API inro_value inro_snapshot_frame_local(const inro_snapshot *snap, size_t i,
                                              size_t k);
INRO_API inro_value inro_snapshot_frame_operand(const inro_snapshot *snap, size_t i,
                                                size_t k); /* k = 0: bottom */
         /* Memory 0: pages, and pages holding a non-zero byte. */
         INRO_API void inro_snapshot_memory(const inro_snapshot *snap, uint32_t *pages,
                                   uint32_t *stored_pages);
INRO_API size_t inro_snapshot_global_count(const inro_snapshot *snap);
INRO_API inro_value inro_snapshot_global(const inro_snapshot *snap, size_t i);

/* Instantiate `module` (its hash must match) against imports and give it
** the snapshot's memories, tables, globals and segments; no start function
** and no segment initialisation run.  Probes may then be inserted before
** inro_snapshot_resume continues the saved frames.  The snapshot is not
** changed: it may be restored again, also in other threads at once. */
INRO_API inro_instance *inro_snapshot_restore(inro_store *store,
                                              const inro_snapshot *snap,
                                              const inro_module *module,
                                              const inro_extern *imports,
                                              size_t nimports, inro_error *err);
/* The same, moving each memory's contents from the snapshot into the
** instance instead of copying them: no copy, and pages the snapshot does
** not store are never touched.  The snapshot cannot be restored again
** (a second restore fails). */
INRO_API inro_instance *inro_snapshot_restore_move(inro_store *store,
                                                   inro_snapshot *snap,
                                                   const inro_module *module,
                                                   const inro_extern *imports,
                                                   size_t nimports, inro_error *err);
/* Run the restored frames until the outermost returns; its results (if
** any) go to results. */
INRO_API int inro_snapshot_resume(inro_store *store, inro_instance *inst,
                                  const inro_snapshot *snap, inro_value *results,
                                  size_t nresults, inro_error *err);
/* The same, calling ready(env) once the frames are rebuilt and checked,
** just before the first instruction: the moment a migration's target can
** tell its source that it has taken over. */
INRO_API int inro_snapshot_resume_ready(inro_store *store, inro_instance *inst,
                                        const inro_snapshot *snap, inro_value *results,
                                        size_t nresults, void (*ready)(void *env),
                                        void *env, inro_error *err);

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

INRO_API inro_precopy *inro_precopy_start(inro_instance *inst, int include_module,
                                           inro_write_fn write, void *env,
                                           inro_error *err);
/* Look at up to max_pages pages of the current round and send the changed
** ones.  Not the 1/0 convention: 1 when this call ended a round, 0 when
** the round goes on, -1 with err filled when writing failed. */
INRO_API int inro_precopy_send(inro_precopy *pc, uint32_t max_pages, inro_error *err);
INRO_API void inro_precopy_get_stats(const inro_precopy *pc, inro_precopy_stats *out);
/* From a probe callback of the instance: the last pages and the state;
** extra as for inro_snapshot_write.  1, or 0 with err filled. */
INRO_API int inro_precopy_finish(inro_precopy *pc, inro_frame *frame,
                                 const inro_snapshot_section *extra, size_t nextra,
                                 inro_error *err);
INRO_API void inro_precopy_free(inro_precopy *pc);

#ifdef __cplusplus
}
#endif
#endif

/*
** mon.h -- internals shared by the monitors (see monitor.h for the list).
**
** A monitor is a table of operations (mon_ops) plus its counters.  The set
** owns the monitors, the module description they share (mon_module) and
** one global probe, the dispatcher, present only while some monitor needs
** to see every instruction or a window is pending: it advances the
** instruction clock, calls the `tick` of the monitors that asked for it
** and opens and closes windows (set.c).  Everything else a monitor needs
** it inserts itself, with the cheapest probe kind that gives it its data
** (local probes on the instructions it cares about, entry/exit probes).
**
** Windows.  The clock counts instructions executed since attach (the
** count monitor's figure).  A monitor with window [lo, hi) gets its probes
** inserted at the dispatcher's fire for instruction lo - 1 (so they fire
** from instruction lo on) and removed at the fire for instruction hi.  An
** instruction's probes fire in the order entry, local, global, exit, so a
** callback knows the index of the instruction it fires for: the clock for
** entry and local probes (the dispatcher has not counted it yet), clock - 1
** for exit probes.  Callbacks of windowed monitors check it with mon_in().
*/
#ifndef INRO_MON_H
#define INRO_MON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "debug/debug.h"
#include "monitor/monitor.h"
#include "util/str.h"

/* A one-line reason in why (fmt has one %s for what); returns -1. */
int mon_fail(char *why, size_t whylen, const char *fmt, const char *what);
/* Fill err (if not NULL) with kind and msg. */
void mon_err(inro_error *err, inro_error_kind kind, const char *msg);

/* ------------------------------------------------------ growable arrays */

/* Make room for n more items in *items (count *len, capacity *cap). */
int mon_grow(void **items, size_t *cap, size_t len, size_t n, size_t size);
#define MON_GROW(p, cap, len, n) \
  mon_grow((void **)&(p), &(cap), (len), (n), sizeof *(p))

/* ------------------------------------------- map: 64-bit key -> uint32 */

typedef struct mon_map {
  uint64_t *keys;
  uint32_t *vals;   /* UINT32_MAX marks an empty slot */
  size_t cap, n;
} mon_map;

/* The value for key, or UINT32_MAX. */
uint32_t mon_map_get(const mon_map *m, uint64_t key);
int mon_map_put(mon_map *m, uint64_t key, uint32_t val);
void mon_map_free(mon_map *m);

/* ------------------------------------- portable bytes (snapshot state) */

typedef struct mon_buf {
  uint8_t *data;
  size_t len, cap;
  int failed;  /* out of memory */
} mon_buf;
void mon_put_u8(mon_buf *b, uint8_t v);
void mon_put_u32(mon_buf *b, uint32_t v);
void mon_put_u64(mon_buf *b, uint64_t v);
void mon_put_str(mon_buf *b, const char *s);

typedef struct mon_rd {
  const uint8_t *p, *end;
  int failed;  /* read past the end */
} mon_rd;
uint8_t mon_get_u8(mon_rd *r);
uint32_t mon_get_u32(mon_rd *r);
uint64_t mon_get_u64(mon_rd *r);
/* A malloc'd NUL-terminated copy, or NULL (failed is set). */
char *mon_get_str(mon_rd *r);
/* A count of records of at least `each` bytes: fails if they cannot fit. */
uint32_t mon_get_count(mon_rd *r, size_t each);

/* ---------------------------------------------------------- JSON output */

/* A writer of indented JSON.  Object keys must come in strcmp order (so
** output is deterministic): a key out of order marks the writer failed. */
#define MON_JSON_DEPTH 32
typedef struct mon_json {
  FILE *out;
  int depth;
  int after_key;                          /* a key was just written */
  int failed;                             /* keys out of order, too deep */
  unsigned char first[MON_JSON_DEPTH];    /* nothing written yet at depth */
  const char *last_key[MON_JSON_DEPTH];   /* last key at depth */
  size_t len;                             /* of buf, not yet written */
  char buf[4096];
} mon_json;
/* Start a document to out; finish it: what is buffered goes out, and 1
** unless the writer failed. */
void js_start(mon_json *j, FILE *out);
int js_finish(mon_json *j);
void js_begin_obj(mon_json *j);
void js_end_obj(mon_json *j);
void js_begin_arr(mon_json *j);
void js_end_arr(mon_json *j);
void js_key(mon_json *j, const char *key);
void js_u64(mon_json *j, uint64_t v);
void js_str(mon_json *j, const char *s);   /* NULL -> null */
void js_null(mon_json *j);
void js_raw(mon_json *j, const char *text);
/* A short array of numbers on one line: [a, b, ...]. */
void js_u64s(mon_json *j, const uint64_t *v, size_t n);
/* A percentage with two decimals from integers: 100 * part / whole. */
void mon_percent(char *buf, size_t len, uint64_t part, uint64_t whole);

/* ------------------------------------------------- the module, decoded */

/* mon_instr.flags: where basic blocks and segments start (module.c). */
enum { MON_BLOCK = 1, MON_SEGMENT = 2 };

typedef struct mon_instr {
  uint32_t offset;  /* from the start of the module */
  uint16_t op;      /* op_id (binary/opcodes.h) */
  uint8_t flags;    /* MON_BLOCK, MON_SEGMENT */
} mon_instr;

typedef struct mon_func {
  uint32_t first, count;  /* its instructions in mon_module.instrs */
} mon_func;

typedef struct mon_module {
  const inro_module *module;
  const uint8_t *bytes;
  size_t size;
  uint32_t nimports;        /* imported functions: indices 0 .. nimports-1 */
  uint32_t nfuncs;          /* all functions */
  mon_func *funcs;          /* nfuncs - nimports defined functions */
  uint32_t most_instrs;     /* of the largest defined function, at least 1 */
  mon_instr *instrs;        /* every instruction, in offset order */
  size_t ninstrs, capinstrs;
  uint32_t code_lo, code_hi; /* the byte range of the instructions */
  char **names;             /* display name per function index */
  dbg_info debug;           /* line tables, once have_debug */
  uint32_t *file_rank;      /* per file of debug: its place in path order */
  uint32_t *instr_row;      /* per instruction: its row of debug with a
                               line, or UINT32_MAX; NULL without memory */
  int have_debug;
} mon_module;

/* runs.c: runs, what counter probes count whole (see there).  Does a run
** start at instruction i?  The run of each instruction (malloc'd, NULL
** without memory; *nruns runs).  The instructions [*a, *b) of the run of
** the instruction at offset of funcidx that are counted ahead when the
** program stands before it (past: after it, which ran); the same for the
** frame f the program stands at. */
int mon_run_starts(const mon_module *mm, size_t i);
uint32_t *mon_runs(const mon_module *mm, uint32_t *nruns);
void mon_ahead_at(const mon_module *mm, uint32_t funcidx, uint32_t offset, int past,
                  size_t *a, size_t *b);
void mon_ahead_of(const mon_module *mm, inro_frame *f, int past, size_t *a, size_t *b);

/* Decode the code section of module; 0 with err filled on failure. */
int mon_module_init(mon_module *mm, const inro_module *module, inro_error *err);
void mon_module_free(mon_module *mm);
/* A function's display name: name section, export or import name, or
** "func[N]"; "?" for an index out of range. */
const char *mon_func_name(const mon_module *mm, uint32_t funcidx);
/* The function index by name or decimal index, or UINT32_MAX. */
uint32_t mon_func_find(const mon_module *mm, const char *name);
/* The instruction at offset (binary search), or NULL. */
const mon_instr *mon_instr_at(const mon_module *mm, uint32_t offset);
/* Text name of an op_id ("i32.add"). */
const char *mon_op_name(unsigned op);
/* Is the instruction at offset where an access probe goes (a load or
** store of a number in a 32-bit memory 0, inro_probe_accesses)? */
int mon_plain_access(const mon_module *mm, uint32_t offset);
/* Read the immediates of the instruction at offset: a, b (see
** binary/instr.h) and, for br_table, the number of labels. */
void mon_imm(const mon_module *mm, uint32_t offset, uint64_t *a, uint64_t *b,
             uint32_t *nlabels);
/* The memory indices of the instruction at offset: a load's or store's,
** memory.fill's and memory.init's in both; memory.copy's destination and
** source. */
void mon_memories(const mon_module *mm, uint32_t offset, uint32_t *dst, uint32_t *src);
/* Source positions, from the module's DWARF line tables (read on first
** use).  Does the module have any?  The file and line (not 0) of the
** instruction at offset: 1, or 0 when it has none.  The first position
** of a function's code.  A position for people: "FILE:LINE", or without
** one "wasm-function[N]:0xOFFSET" (as V8 writes Wasm positions). */
int mon_has_source(mon_module *mm);
int mon_source(mon_module *mm, uint32_t offset, const char **file, uint32_t *line);
/* The same for instruction i of instrs, and the file's place in the
** order of paths (for sorting). */
int mon_instr_source(mon_module *mm, size_t i, const char **file, uint32_t *line,
                     uint32_t *rank);
int mon_func_source(mon_module *mm, uint32_t funcidx, const char **file, uint32_t *line);
/* "FILE:LINE" of mon_func_source in buf, or NULL when it has none. */
#define MON_WHERE_MAX 4200
const char *mon_func_where(mon_module *mm, uint32_t funcidx, char *buf, size_t len);
const char *mon_where(mon_module *mm, uint32_t funcidx, uint32_t offset, char *buf,
                      size_t len);

/* ------------------------------------------------------------- monitors */

typedef struct monitor monitor;

/* A report format other than JSON, chosen with NAME:FORMAT: its writer
** returns 1, or 0 on failure. */
typedef struct mon_format {
  const char *name;
  int (*write)(monitor *m, FILE *out);
} mon_format;

typedef struct mon_ops {
  const char *name;
  int takes_arg;       /* NAME=ARG allowed (trace) */
  int wants_offset;    /* its tick needs the offset */
  /* Counters, allocated at add; NULL on failure. */
  void *(*create)(void);
  /* Insert the probes (mon_probe_*) and set m->ticking if it wants the
  ** dispatcher's tick.  1, or 0 with err filled.  When the run is under
  ** way, set->here is the frame it stands at (see monitor_set). */
  int (*start)(monitor *m, inro_error *err);
  /* After its probes were removed (optional); set->here as for start. */
  void (*stopped)(monitor *m);
  /* The run ended in a trap at offset of funcidx, the innermost Wasm
  ** frame (optional). */
  void (*trapped)(monitor *m, uint32_t funcidx, uint32_t offset);
  /* Bring what counters counted into the report (optional): up to the
  ** instruction frame f stands at, or all (f NULL: the end of the run, a
  ** checkpoint, whose restored run resumes after the counters). */
  void (*settle)(monitor *m, inro_frame *f);
  /* Called by the dispatcher before each instruction while ticking. */
  void (*tick)(monitor *m, inro_frame *f, uint32_t offset);
  void (*text)(monitor *m, FILE *out);
  void (*json)(monitor *m, mon_json *j);   /* members after "monitor" */
  void (*save)(const monitor *m, mon_buf *b);
  int (*load)(monitor *m, mon_rd *r);
  void (*destroy)(void *st);
  const mon_format *formats;  /* other formats, until a NULL name; or NULL */
} mon_ops;

enum { MON_PENDING, MON_ON, MON_OFF };

struct monitor {
  const mon_ops *ops;
  monitor_set *set;
  char *label;           /* as given: NAME[:FORMAT][=ARG][@START..END] */
  char *arg;             /* ARG or NULL */
  const mon_format *format; /* of its report to --monitor-out; NULL: JSON */
  int phase;             /* MON_PENDING, MON_ON (probes in), MON_OFF */
  int windowed;          /* callbacks must check the clock */
  uint64_t lo, hi;       /* window; hi = UINT64_MAX for none */
  uint64_t win_lo, win_hi; /* the window as given, for reports */
  int has_window;
  int ticking;
  inro_probe **probes;
  size_t nprobes, capprobes;
  /* Its local probes (those of mon_probe_locals, in increasing offsets):
  ** offset and env of probes[i], the one callback of them all; a NULL
  ** probes[i] was removed by the monitor. */
  uint32_t *local_offsets;
  void **local_envs;
  size_t caplocals;
  inro_probe_fn local_fn;
  /* Its entry probe (mon_probe_entry, mon_probe_contexts), NULL: none. */
  inro_probe_fn entry_fn;
  void *entry_env;
  /* Local probes that monitor_set_checkpoint fired ahead of time at the
  ** instruction the run stands at: their own firing there, right after,
  ** is skipped (mon_done_ahead). */
  uint32_t ahead;
  void *st;
};

struct monitor_set {
  monitor **mons;
  size_t n, cap;
  uint64_t clock;          /* instructions counted by the dispatcher */
  uint64_t next_event;     /* clock index of the next window change */
  inro_instance *inst;     /* NULL before attach */
  mon_module mm;
  int have_mm;
  inro_probe *dispatcher;
  monitor **ticks;         /* the ticking monitors, in set order */
  size_t nticks;
  int tick_offset;         /* some ticking monitor wants the offset */
  int skip_tick;           /* the next dispatch was done in advance */
  /* While monitors start in the middle of a run: the frame of the probe
  ** that starts them (the run stands before its instruction), and whether
  ** that instruction is before what they observe (a window opening at the
  ** next one) or part of it ("on" by control).  NULL otherwise. */
  inro_frame *here;
  int here_past;
};

/* Probe insertion on behalf of m (kept in m->probes, removed at stop).
** Local probes go in by function, so each function is re-translated once
** however many of its instructions get one; all local probes of a
** monitor have one callback, and go in in increasing offsets. */
int mon_probe_locals(monitor *m, uint32_t funcidx, const uint32_t *offsets,
                     void *const *envs, size_t n, inro_probe_fn fn,
                     inro_error *err);
/* fn before every instruction `want` picks (it returns 1 and sets *env,
** 0 to skip, -1 when out of memory), function by function. */
typedef int (*mon_pick)(monitor *m, uint32_t funcidx, const mon_instr *in,
                        void **env);
int mon_probe_sites(monitor *m, mon_pick want, inro_probe_fn fn, inro_error *err);
int mon_probe_entry(monitor *m, inro_probe_fn fn, void *env, inro_error *err);
int mon_probe_exit(monitor *m, inro_probe_fn fn, void *env, inro_error *err);
int mon_probe_catch(monitor *m, inro_probe_fn fn, void *env, inro_error *err);
/* A context probe keeping t; entry(f, env) does at an entry probe what
** it does (for mon_fire_started). */
int mon_probe_contexts(monitor *m, inro_contexts *t, inro_probe_fn entry, void *env,
                       inro_error *err);
/* A counter probe (inro_probe_counters) at the start of every run
** (runs.c; run: the run of each instruction): adding 1, or the run's
** length run_len[r], to cells[r] (cell_per_run) or to the one *cells. */
int mon_probe_runs(monitor *m, const uint32_t *run, uint64_t *cells, int cell_per_run,
                   const uint32_t *run_len, inro_error *err);
/* Counter probes (inro_probe_counters) at offsets[0..n) of funcidx,
** adding adds[i] (NULL: 1) to *cells[i]. */
int mon_probe_counters(monitor *m, uint32_t funcidx, const uint32_t *offsets,
                       uint64_t *const *cells, const uint32_t *adds, size_t n,
                       inro_error *err);
/* Access probes (inro_probe_accesses) at offsets[0..n) of funcidx,
** counting into *counts. */
int mon_probe_accesses(monitor *m, uint32_t funcidx, const uint32_t *offsets, size_t n,
                       inro_access_counts *counts, inro_error *err);
/* Edge probes (inro_probe_edges) at the branches offsets[0..n) of
** funcidx, counting into cells[i][...]. */
int mon_probe_edges(monitor *m, uint32_t funcidx, const uint32_t *offsets,
                    uint64_t *const *cells, size_t n, inro_error *err);
/* Record probes (inro_probe_records) at offsets[0..n) of funcidx,
** writing values[i][0..counts[i]) to ring. */
int mon_probe_records(monitor *m, uint32_t funcidx, const uint32_t *offsets,
                      const uint64_t *const *values, const uint32_t *counts, size_t n,
                      inro_ring *ring, inro_error *err);

/* set.c, dispatch.c: the monitor with this label, or NULL; start (insert
** its probes) and stop a monitor; bring the dispatcher in line with the
** monitors' phases (1, or 0 with err filled). */
monitor *mon_find_label(const monitor_set *s, const char *label);
int mon_start(monitor *m, inro_error *err);
void mon_stop(monitor *m);
int mon_refresh(monitor_set *s, inro_error *err);
/* After mon_start from a probe at f, by control: fire m's new local probes
** at f's instruction, which is inside what m observes.  1, or 0 (trap). */
int mon_fire_started(monitor *m, inro_frame *f);

/* Is the instruction with clock index idx inside m's window? */
static inline int mon_in(const monitor *m, uint64_t idx) {
  return !m->windowed || (idx >= m->lo && idx < m->hi);
}
/* The first thing a local probe's callback does: 1 when it must not
** count this firing, done already by monitor_set_checkpoint. */
static inline int mon_done_ahead(monitor *m) {
  if (!m->ahead) return 0;
  m->ahead--;
  return 1;
}

/* For entry and local probes, and for exit probes. */
static inline int mon_in_now(const monitor *m) { return mon_in(m, m->set->clock); }
static inline int mon_in_exit(const monitor *m) {
  return mon_in(m, m->set->clock ? m->set->clock - 1 : 0);
}

/* The monitors (one file each). */
extern const mon_ops mon_count_ops, mon_calls_ops, mon_coverage_ops,
    mon_memory_ops, mon_profile_ops, mon_branches_ops, mon_trace_ops;

/* report.c: one monitor's text and JSON reports. */
void mon_report_text(monitor *m, FILE *out);
void mon_report_json(monitor *m, mon_json *j);

#endif

/*
** monitor_test.c -- the monitor set API (src/monitor/monitor.h) on
** tests/wat/monitor.wat: saving and loading counters (as a snapshot
** does), windows that span a save, snapshots at a function's entry (where
** the monitors' local probes have not fired yet), and run-time control,
** also from inside a probe.  Figures are known by construction (see the
** .wat).  Prints one line per check and "N passed, M failed" at the end.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "inro.h"
#include "binary/opcodes.h"
#include "monitor/mon.h"

static int passed, failed;

static void check(int ok, const char *what) {
  if (ok) passed++;
  else failed++;
  printf("%s: %s\n", ok ? "ok" : "FAIL", what);
}

static inro_module *module;

static int yield(inro_call_ctx *ctx, void *env, const uint64_t *args, uint64_t *results) {
  (void)ctx; (void)env; (void)args;
  results[0] = 0;
  return 1;
}

/* A fresh store and instance of the module. */
typedef struct run {
  inro_store *store;
  inro_instance *inst;
} run;

static run start(void) {
  run r = {NULL, NULL};
  inro_error err;
  inro_valtype i32 = INRO_I32;
  r.store = inro_store_new(NULL, &err);
  inro_extern imp;
  imp.kind = INRO_EXTERN_FUNC;
  imp.of.func = inro_func_new(r.store, NULL, 0, &i32, 1, yield, NULL, &err);
  r.inst = inro_instantiate(r.store, module, &imp, 1, &err);
  if (!r.inst) {
    fprintf(stderr, "monitor_test: %s\n", err.message);
    exit(1);
  }
  return r;
}

static void call(run *r, const char *name, uint32_t arg) {
  inro_extern e;
  inro_value a = {.type = INRO_I32}, res;
  a.of.i32 = arg;
  inro_error err;
  if (!inro_instance_export(r->inst, name, &e) ||
      !inro_call(r->store, e.of.func, &a, 1, &res, 1, &err)) {
    fprintf(stderr, "monitor_test: calling %s failed\n", name);
    exit(1);
  }
}

static monitor_set *new_set(const char *spec) {
  char why[200];
  monitor_set *s = monitor_set_new();
  if (!s || monitor_set_add(s, spec, why, sizeof why)) {
    fprintf(stderr, "monitor_test: %s: %s\n", spec, why);
    exit(1);
  }
  return s;
}

static void attach(monitor_set *s, run *r) {
  inro_error err;
  if (!monitor_set_attach(s, r->inst, module, &err)) {
    fprintf(stderr, "monitor_test: attach: %s\n", err.message);
    exit(1);
  }
}

/* The JSON report, malloc'd. */
static char *json(monitor_set *s) {
  char why[200];
  const char *path = "monitor_test.json";
  if (monitor_set_report(s, path, NULL, why, sizeof why)) {
    fprintf(stderr, "monitor_test: %s\n", why);
    exit(1);
  }
  FILE *f = fopen(path, "rb");
  char *text = calloc(1, 1 << 20);
  size_t n = f && text ? fread(text, 1, (1 << 20) - 1, f) : 0;
  if (f) fclose(f);
  remove(path);
  text[n] = 0;
  return text;
}

/* The number after `"key": ` at the first occurrence after `after`. */
static long number(const char *text, const char *after, const char *key) {
  const char *p = strstr(text, after);
  char pat[64];
  snprintf(pat, sizeof pat, "\"%s\": ", key);
  p = p ? strstr(p, pat) : NULL;
  return p ? strtol(p + strlen(pat), NULL, 10) : -1;
}

/* Save s, free it, load the bytes into a new set. */
static monitor_set *round_trip(monitor_set *s) {
  uint8_t *bytes;
  size_t size;
  char why[200];
  check(monitor_set_save(s, &bytes, &size) == 0, "save");
  monitor_set_free(s);
  monitor_set *t = monitor_set_new();
  check(monitor_set_load(t, bytes, size, why, sizeof why) == 0, "load");
  /* Every truncation is refused. */
  int refused = 1;
  for (size_t cut = 0; cut < size; cut += 1 + size / 64) {
    monitor_set *u = monitor_set_new();
    refused &= monitor_set_load(u, bytes, cut, why, sizeof why) != 0;
    monitor_set_free(u);
  }
  check(refused, "truncated state refused");
  free(bytes);
  return t;
}

static const char all[] = "count,calls,coverage,memory,profile,branches,trace=leaf";

/* Counters saved and loaded between two runs equal one set observing both. */
static void test_save_load(void) {
  run r1 = start(), r2 = start();
  monitor_set *once = new_set(all);
  attach(once, &r1);
  call(&r1, "leafs", 100);
  call(&r1, "pages", 37);
  call(&r1, "branchy", 30);
  call(&r1, "leafs", 50);
  char *want = json(once);

  run a = start(), b = start();
  monitor_set *s = new_set(all);
  attach(s, &a);
  call(&a, "leafs", 100);
  call(&a, "pages", 37);
  s = round_trip(s);
  attach(s, &b);
  call(&b, "branchy", 30);
  call(&b, "leafs", 50);
  char *got = json(s);
  check(!strcmp(want, got), "reports after save + load = reports of one run");
  check(number(got, "\"calls\"", "count") == 150, "calls: 150 leaf calls over both runs");
  free(want);
  free(got);
  monitor_set_free(once);
  monitor_set_free(s);
  inro_store_free(r1.store);
  inro_store_free(r2.store);
  inro_store_free(a.store);
  inro_store_free(b.store);
}

/* A window that spans a save: leafs(10) is 157 instructions, so
** count@100..1100 sees 57 before the save and the other 943 after. */
static void test_window_across_load(void) {
  run a = start(), b = start();
  monitor_set *s = new_set("count@100..1100");
  attach(s, &a);
  call(&a, "leafs", 10);
  char *text = json(s);
  check(number(text, "\"count@100..1100\"", "total") == 57, "window: 57 before the save");
  free(text);
  s = round_trip(s);
  attach(s, &b);
  call(&b, "leafs", 100);
  text = json(s);
  check(number(text, "\"count@100..1100\"", "total") == 1000, "window: 1000 in all after the load");
  free(text);
  monitor_set_free(s);
  inro_store_free(a.store);
  inro_store_free(b.store);
}

/* A snapshot captured in the middle of leafs(1000), at the entry of the
** `at`-th call of leaf (by an entry probe on all functions, inserted after
** the set was attached, as monitor_set_checkpoint asks), with the set's
** state as an embedder section; then restored into a new store, the state
** loaded and attached, and resumed: the reports are those of a run
** without the snapshot.  At the first call, the entry probe fires before
** coverage's probe at leaf's first instruction, which the restored frame
** resumes after: monitor_set_checkpoint must mark it. */
static monitor_set *snap_set;
static uint8_t *snap_bytes;
static size_t snap_size, leaf_calls, snap_at;

static int capture(inro_frame *f, void *env) {
  (void)env;
  if (inro_frame_func_index(f) != 1 || ++leaf_calls != snap_at) return 1;
  uint8_t *state;
  size_t size;
  inro_error err;
  if (!monitor_set_checkpoint(snap_set, f) || monitor_set_save(snap_set, &state, &size)) return inro_frame_trap(f, "save failed");
  inro_snapshot_section sec = {0x101, state, size};
  snap_bytes = inro_snapshot_capture(f, 1, &sec, 1, &snap_size, &err);
  free(state);
  return inro_frame_trap(f, "stopped after the snapshot");
}

/* The JSON of spec after leafs(1000) run through, or (at > 0) stopped at
** the at-th call of leaf, saved, restored and resumed. */
static char *snapshot_run(const char *spec, size_t at) {
  run a = start();
  inro_error err;
  inro_extern e;
  inro_value arg = {.type = INRO_I32}, res;
  arg.of.i32 = 1000;
  snap_set = new_set(spec);
  attach(snap_set, &a);
  if (!at) {
    call(&a, "leafs", 1000);
    char *text = json(snap_set);
    monitor_set_free(snap_set);
    inro_store_free(a.store);
    return text;
  }
  snap_at = at;
  leaf_calls = 0;
  snap_bytes = NULL;
  inro_probe *p = inro_probe_entry(a.inst, INRO_ALL_FUNCS, capture, NULL, &err);
  inro_instance_export(a.inst, "leafs", &e);
  char what[96];
  snprintf(what, sizeof what, "%s: snapshot at call %zu", spec, at);
  check(!inro_call(a.store, e.of.func, &arg, 1, &res, 1, &err) && snap_bytes, what);
  inro_probe_remove(p);
  monitor_set_free(snap_set);

  inro_snapshot *snap = snap_bytes ? inro_snapshot_open(snap_bytes, snap_size, &err) : NULL;
  size_t size = 0;
  const uint8_t *state = snap ? inro_snapshot_section_get(snap, 0x101, &size) : NULL;
  inro_store *store = inro_store_new(NULL, &err);
  inro_valtype i32 = INRO_I32;
  inro_extern imp = {.kind = INRO_EXTERN_FUNC};
  imp.of.func = inro_func_new(store, NULL, 0, &i32, 1, yield, NULL, &err);
  inro_instance *inst = snap ? inro_snapshot_restore(store, snap, module, &imp, 1, &err) : NULL;
  monitor_set *s = monitor_set_new();
  char why[200], *text = NULL;
  snprintf(what, sizeof what, "%s: restore, load the monitors' state", spec);
  check(inst && state && monitor_set_load(s, state, size, why, sizeof why) == 0, what);
  run b = {store, inst};
  if (inst) {
    attach(s, &b);
    snprintf(what, sizeof what, "%s: resume to the end", spec);
    check(inro_snapshot_resume(store, inst, snap, &res, 1, &err) && res.of.i32 == 1000, what);
    text = json(s);
  }
  monitor_set_free(s);
  inro_snapshot_free(snap);
  free(snap_bytes);
  inro_store_free(store);
  inro_store_free(a.store);
  return text;
}

static void test_snapshot(void) {
  char *text = snapshot_run("count,calls,profile", 500);
  if (text) {
    check(number(text, "\"calls\"", "count") == 1000, "calls: 1000 over both halves");
    check(number(text, "\"profile\"", "calls") == 1, "profile: leafs entered once");
    check(number(text, "\"functions\"", "calls") == 1000,
          "profile: leaf called 1000 times over both halves");
    check(number(text, "\"count\"", "total") == 15 * 1000 + 7,
          "count: the whole run, the instruction of the snapshot included");
  }
  free(text);
  static const struct {
    const char *spec;
    size_t at;
  } cases[] = {{"count,calls,coverage,profile,branches,trace=leaf", 1},
               {"coverage", 1}, {"coverage", 2}, {"coverage@5..", 1},
               {"coverage@3..50", 2}, {"count,coverage,trace", 700}};
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char *want = snapshot_run(cases[i].spec, 0), *got = snapshot_run(cases[i].spec, cases[i].at);
    char what[128];
    snprintf(what, sizeof what, "%s, snapshot at call %zu of leaf: the reports of one run",
             cases[i].spec, cases[i].at);
    check(want && got && !strcmp(want, got), what);
    free(want);
    free(got);
  }
}

/* on, off and report by control lines. */
static void test_control(void) {
  run a = start();
  monitor_set *s = new_set("count");
  char why[200];
  attach(s, &a);
  call(&a, "leafs", 10);
  check(monitor_set_control(s, NULL, "off count", NULL, why, sizeof why) == 0, "off count");
  call(&a, "leafs", 10);
  check(monitor_set_control(s, NULL, "on count", NULL, why, sizeof why) == 0, "on count");
  call(&a, "leafs", 0);
  char *text = json(s);
  check(number(text, "\"count\"", "total") == 157 + 7, "count stops while off");
  free(text);
  check(monitor_set_control(s, NULL, "on memory", NULL, why, sizeof why) == 0, "on memory (new)");
  call(&a, "pages", 37);
  text = json(s);
  check(number(text, "\"memory\"", "pages_4k_touched") == 37, "a monitor added by control");
  free(text);
  FILE *out = tmpfile();
  check(out && monitor_set_control(s, NULL, "report memory", out, why, sizeof why) == 0,
        "report memory");
  char line[200] = "";
  if (out) {
    rewind(out);
    if (!fgets(line, sizeof line, out)) line[0] = 0;
    fclose(out);
  }
  check(!strcmp(line, "== monitor memory\n"), "report writes the text report");
  check(monitor_set_control(s, NULL, "frobnicate count", NULL, why, sizeof why) != 0,
        "unknown control refused");
  check(monitor_set_control(s, NULL, "off nosuch", NULL, why, sizeof why) != 0,
        "unknown monitor refused");
  monitor_set_free(s);
  inro_store_free(a.store);
}

/* "on coverage" from inside a probe, in the middle of a segment: the
** instruction the probe stands at and the rest of its segment count (they
** run next), what ran before it does not.  The probe stands at the
** `i32.const 1` of leafs' decrement in leafs(1): that and the 3 after it
** count, then the loop's test (3) and the 2 after the loop; not the 6
** before it (block, loop, the call and its operands, local.get $n) nor
** the 2 `end`s a branch skips.  leaf ran only before. */
static monitor_set *control_set;

static int turn_on(inro_frame *f, void *env) {
  char why[200];
  int *done = env;
  if ((*done)++) return 1;
  return monitor_set_control(control_set, f, "on coverage", NULL, why, sizeof why)
             ? inro_frame_trap(f, why) : 1;
}

/* The number after `"key": ` in the object that ends with `"name":
** "NAME"`, at its first occurrence. */
static long member_before_name(const char *text, const char *name, const char *key) {
  char pat[96];
  snprintf(pat, sizeof pat, "\"name\": \"%s\"", name);
  const char *end = strstr(text, pat), *p = NULL;
  snprintf(pat, sizeof pat, "\"%s\": ", key);
  for (const char *q = text; end && (q = strstr(q, pat)) && q < end; q++) p = q;
  return p ? strtol(p + strlen(pat), NULL, 10) : -1;
}

static void test_control_in_probe(void) {
  run a = start();
  control_set = new_set("coverage");
  char why[200];
  attach(control_set, &a);
  check(monitor_set_control(control_set, NULL, "off coverage", NULL, why, sizeof why) == 0,
        "off coverage before the run");
  inro_extern e;
  inro_instance_export(a.inst, "leafs", &e);
  mon_module mm;
  inro_error err;
  uint32_t at = 0, func = 0;
  if (mon_module_init(&mm, module, &err)) {
    func = mon_func_find(&mm, "leafs");
    const mon_func *fn = &mm.funcs[func - mm.nimports];
    for (uint32_t i = fn->first + 1; !at && i < fn->first + fn->count; i++)
      if (mm.instrs[i].op == OP_I32_SUB) at = mm.instrs[i - 1].offset;
    mon_module_free(&mm);
  }
  int done = 0;
  inro_probe *p = at ? inro_probe_local(a.inst, func, at, turn_on, &done, &err) : NULL;
  check(p != NULL, "a probe at leafs' i32.const 1");
  call(&a, "leafs", 1);
  inro_probe_remove(p);
  char *text = json(control_set);
  check(member_before_name(text, "leafs", "instructions") == 17 &&
            member_before_name(text, "leafs", "covered") == 9,
        "on coverage mid-segment: 9 of leafs' 17 instructions");
  check(member_before_name(text, "leaf", "covered") == 0, "on coverage: leaf ran before");
  free(text);
  monitor_set_free(control_set);
  inro_store_free(a.store);
}

/* Bad --monitor values. */
static void test_parse(void) {
  static const char *const bad[] = {"", "nosuch", "count@5..5", "count@x..9",
                                    "count=3", "trace=", "count,count",
                                    "count@..", "count@9..3", "coverage:",
                                    "coverage:html", "count:lcov", ":lcov",
                                    "profile:folded=x"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    char why[200] = "", what[96];
    monitor_set *s = monitor_set_new();
    snprintf(what, sizeof what, "refused: '%s'", bad[i]);
    check(monitor_set_add(s, bad[i], why, sizeof why) != 0 && why[0], what);
    monitor_set_free(s);
  }
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: monitor_test monitor.wasm\n");
    return 2;
  }
  FILE *f = fopen(argv[1], "rb");
  static uint8_t bytes[1 << 16];
  size_t n = f ? fread(bytes, 1, sizeof bytes, f) : 0;
  if (f) fclose(f);
  inro_error err;
  module = inro_module_new(bytes, n, &err);
  if (!module) {
    fprintf(stderr, "monitor_test: %s: %s\n", argv[1], f ? err.message : "cannot read");
    return 1;
  }
  test_save_load();
  test_window_across_load();
  test_control();
  test_control_in_probe();
  test_snapshot();
  test_parse();
  inro_module_free(module);
  printf("%d passed, %d failed\n", passed, failed);
  return failed != 0;
}

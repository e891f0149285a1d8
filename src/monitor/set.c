/*
** set.c -- a set of monitors: creating and freeing it, and parsing
** --monitor values (NAME[:FORMAT][=ARG][@START..END], comma-separated).
*/
#include <stdlib.h>
#include <string.h>

#include "monitor/mon.h"

static const mon_ops *const all_ops[] = {
  &mon_count_ops, &mon_calls_ops, &mon_coverage_ops, &mon_memory_ops,
  &mon_profile_ops, &mon_branches_ops, &mon_trace_ops,
};
#define NOPS (sizeof all_ops / sizeof all_ops[0])

monitor_set *monitor_set_new(void) { return calloc(1, sizeof(monitor_set)); }

static void mon_free(monitor *m) {
  if (m->st) m->ops->destroy(m->st);
  free(m->probes);
  free(m->local_offsets);
  free(m->local_envs);
  free(m->label);
  free(m->arg);
  free(m);
}

void monitor_set_free(monitor_set *s) {
  if (!s) return;
  for (size_t i = 0; i < s->n; i++) mon_free(s->mons[i]);
  free(s->mons);
  free(s->ticks);
  if (s->have_mm) mon_module_free(&s->mm);
  free(s);
}

int monitor_set_active(const monitor_set *s) { return s && s->n > 0; }

/* ------------------------------------------------------------- parsing */

/* A decimal count; 0 if s is not one (or overflows). */
static int parse_count(const char *s, size_t len, uint64_t *out) {
  uint64_t v = 0;
  if (len == 0) return 0;
  for (size_t i = 0; i < len; i++) {
    if (s[i] < '0' || s[i] > '9' || v > (UINT64_MAX - 9) / 10) return 0;
    v = v * 10 + (uint64_t)(s[i] - '0');
  }
  *out = v;
  return 1;
}

/* A window "START..END" (one side may be empty). */
static int parse_window(const char *w, uint64_t *lo, uint64_t *hi) {
  const char *dots = strstr(w, "..");
  if (!dots) return 0;
  size_t nlo = (size_t)(dots - w), nhi = strlen(dots + 2);
  *lo = 0;
  *hi = UINT64_MAX;
  if (!nlo && !nhi) return 0;
  if (nlo && !parse_count(w, nlo, lo)) return 0;
  if (nhi && !parse_count(dots + 2, nhi, hi)) return 0;
  return *lo < *hi;
}

/* The format `name` (len bytes) of ops: 1 and *out (NULL for JSON), or 0
** with the formats it has listed in why. */
static int find_format(const mon_ops *ops, const char *name, size_t len,
                       const mon_format **out, char *why, size_t whylen) {
  char list[128] = "json";
  *out = NULL;
  if (len == 4 && !strncmp(name, "json", 4)) return 1;
  for (const mon_format *f = ops->formats; f && f->name; f++) {
    if (strlen(f->name) == len && !strncmp(f->name, name, len)) {
      *out = f;
      return 1;
    }
    size_t at = strlen(list);
    snprintf(list + at, sizeof list - at, ", %s", f->name);
  }
  snprintf(why, whylen, "monitor '%s' has no format '%.*s' (%s)", ops->name,
           (int)(len < 64 ? len : 64), name, list);
  return 0;
}

/* One monitor from NAME[:FORMAT][=ARG][@START..END] (len bytes of spec). */
static monitor *mon_parse(const char *spec, size_t len, char *why, size_t whylen) {
  char *label = str_ndup(spec, len);
  if (!label) {
    mon_fail(why, whylen, "%s", "out of memory");
    return NULL;
  }
  uint64_t lo = 0, hi = UINT64_MAX;
  char *at = strrchr(label, '@');
  int has_window = 0;
  if (at) {
    if (!parse_window(at + 1, &lo, &hi)) {
      mon_fail(why, whylen, "bad window in monitor '%s' (want NAME@START..END with START < END)", label);
      free(label);
      return NULL;
    }
    has_window = 1;
  }
  size_t namelen = at ? (size_t)(at - label) : strlen(label);
  const char *eq = memchr(label, '=', namelen);
  size_t headlen = eq ? (size_t)(eq - label) : namelen;
  const char *colon = memchr(label, ':', headlen);
  size_t oplen = colon ? (size_t)(colon - label) : headlen;
  const mon_ops *ops = NULL;
  for (size_t i = 0; i < NOPS; i++)
    if (strlen(all_ops[i]->name) == oplen && !strncmp(all_ops[i]->name, label, oplen))
      ops = all_ops[i];
  if (!ops) {
    mon_fail(why, whylen, "unknown monitor '%s' (count, calls, coverage, memory, profile, branches, trace)", label);
    free(label);
    return NULL;
  }
  const mon_format *format = NULL;
  if (colon && !find_format(ops, colon + 1, headlen - oplen - 1, &format, why, whylen)) {
    free(label);
    return NULL;
  }
  if (eq && (!ops->takes_arg || eq + 1 == label + namelen)) {
    mon_fail(why, whylen, ops->takes_arg ? "monitor '%s' needs a value after '='"
                                     : "monitor '%s' takes no '=' value", label);
    free(label);
    return NULL;
  }
  monitor *m = calloc(1, sizeof *m);
  char *arg = eq ? str_ndup(eq + 1, namelen - headlen - 1) : NULL;
  void *st = ops->create();
  if (!m || (eq && !arg) || !st) {
    free(m);
    free(arg);
    if (st) ops->destroy(st);
    free(label);
    mon_fail(why, whylen, "%s", "out of memory");
    return NULL;
  }
  m->ops = ops;
  m->label = label;
  m->arg = arg;
  m->format = format;
  m->st = st;
  m->lo = m->win_lo = lo;
  m->hi = m->win_hi = hi;
  m->has_window = has_window;
  m->phase = MON_PENDING;
  return m;
}

monitor *mon_find_label(const monitor_set *s, const char *label) {
  for (size_t i = 0; i < s->n; i++)
    if (!strcmp(s->mons[i]->label, label)) return s->mons[i];
  return NULL;
}

static int set_append(monitor_set *s, monitor *m) {
  if (!MON_GROW(s->mons, s->cap, s->n, 1)) return 0;
  m->set = s;
  s->mons[s->n++] = m;
  return 1;
}

int monitor_set_add(monitor_set *s, const char *spec, char *why, size_t whylen) {
  const char *p = spec;
  if (!*p) return mon_fail(why, whylen, "%s", "empty --monitor value");
  for (;;) {
    size_t len = strcspn(p, ",");
    monitor *m = mon_parse(p, len, why, whylen);
    if (!m) return -1;
    if (mon_find_label(s, m->label)) {
      mon_fail(why, whylen, "monitor '%s' given twice", m->label);
      mon_free(m);
      return -1;
    }
    if (!set_append(s, m)) {
      mon_free(m);
      return mon_fail(why, whylen, "%s", "out of memory");
    }
    if (!p[len]) return 0;
    p += len + 1;
  }
}


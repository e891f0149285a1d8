/*
** control.c -- run-time control of a set: "on NAME", "off NAME",
** "report NAME" (see monitor.h), e.g. from the --control file.
*/
#include <stdlib.h>
#include <string.h>

#include "monitor/mon.h"

/* The monitor a control line names: its label, or its NAME when only one
** monitor has it. */
static monitor *find_named(monitor_set *s, const char *name, int *ambiguous) {
  monitor *m = mon_find_label(s, name), *only = NULL;
  *ambiguous = 0;
  if (m) return m;
  for (size_t i = 0; i < s->n; i++)
    if (!strcmp(s->mons[i]->ops->name, name)) {
      if (only) *ambiguous = 1;
      only = s->mons[i];
    }
  return *ambiguous ? NULL : only;
}

int monitor_set_control(monitor_set *s, inro_frame *frame, const char *line,
                        FILE *out, char *why, size_t whylen) {
  char verb[16], name[256];
  int n = 0;
  name[0] = 0;
  if (sscanf(line, " %15s %n", verb, &n) != 1)
    return mon_fail(why, whylen, "%s", "empty control line");
  size_t len = strcspn(line + n, " \t\r\n");
  if (len >= sizeof name) return mon_fail(why, whylen, "%s", "monitor name too long");
  memcpy(name, line + n, len);
  name[len] = 0;
  int report = !strcmp(verb, "report"), on = !strcmp(verb, "on");
  if (!report && !on && strcmp(verb, "off"))
    return mon_fail(why, whylen, "unknown control '%s' (on NAME, off NAME, report NAME)", verb);
  if (report && !name[0]) {
    s->here = frame; /* what the run has not done yet stays out */
    for (size_t i = 0; i < s->n; i++) mon_report_text(s->mons[i], out);
    s->here = NULL;
    return 0;
  }
  if (!name[0]) return mon_fail(why, whylen, "'%s' needs a monitor name", verb);
  int ambiguous;
  monitor *m = find_named(s, name, &ambiguous);
  if (ambiguous) return mon_fail(why, whylen, "several monitors are named '%s': give the label", name);
  if (!m && on) {
    if (monitor_set_add(s, name, why, whylen)) return -1;
    m = s->mons[s->n - 1];
    monitor **t = realloc(s->ticks, (s->n + 1) * sizeof *t);
    if (!t) return mon_fail(why, whylen, "%s", "out of memory");
    s->ticks = t;
  }
  if (!m) return mon_fail(why, whylen, "no monitor '%s'", name);
  if (report) {
    s->here = frame;
    mon_report_text(m, out);
    s->here = NULL;
    return 0;
  }
  inro_error err;
  inro_error_clear(&err);
  if (on && m->phase != MON_ON) {
    /* Explicit control replaces the window: on from now, until "off". */
    m->lo = s->clock;
    m->hi = UINT64_MAX;
    m->phase = MON_ON;
    s->here = frame;  /* the instruction at frame runs next: observed */
    s->here_past = 0;
    int ok = !s->inst || mon_start(m, &err);
    s->here = NULL;
    if (!ok) return mon_fail(why, whylen, "%s", err.message);
    if (s->inst && !mon_fire_started(m, frame))
      return mon_fail(why, whylen, "monitor '%s' stopped the run", name);
  } else if (!on && m->phase != MON_OFF) {
    s->here = frame; /* the instruction at frame runs next: not observed */
    s->here_past = 0;
    if (m->phase == MON_ON && s->inst) mon_stop(m);
    s->here = NULL;
    m->phase = MON_OFF;
  }
  if (s->inst && !mon_refresh(s, &err)) return mon_fail(why, whylen, "%s", err.message);
  return 0;
}

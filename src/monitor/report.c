/*
** report.c -- the final reports of a set: text (one block per monitor),
** JSON (one document, schema in docs/instrumentation.md), or one
** monitor's report in a format of its own (NAME:FORMAT: coverage as an
** lcov tracefile, the profile as folded stacks or speedscope JSON, the
** trace as Chrome trace events).
*/
#include <stdlib.h>
#include <string.h>

#include "monitor/mon.h"

void mon_report_text(monitor *m, FILE *out) {
  if (!out) return;
  if (m->phase == MON_ON && m->ops->settle) m->ops->settle(m, m->set->here);
  fprintf(out, "== monitor %s", m->label);
  if (m->phase == MON_PENDING) fputs(" (window not reached)", out);
  fputs("\n", out);
  m->ops->text(m, out);
}

/* {"monitor": NAME, "report": {...}, "window": null | {"end", "start"}} */
void mon_report_json(monitor *m, mon_json *j) {
  js_begin_obj(j);
  js_key(j, "monitor");
  js_str(j, m->ops->name);
  js_key(j, "report");
  js_begin_obj(j);
  m->ops->json(m, j);
  js_end_obj(j);
  js_key(j, "window");
  if (m->has_window) {
    js_begin_obj(j);
    js_key(j, "end");
    if (m->win_hi == UINT64_MAX) js_null(j);
    else js_u64(j, m->win_hi);
    js_key(j, "start");
    js_u64(j, m->win_lo);
    js_end_obj(j);
  } else {
    js_null(j);
  }
  js_end_obj(j);
}

static int by_label(const void *a, const void *b) {
  return strcmp((*(monitor *const *)a)->label, (*(monitor *const *)b)->label);
}

/* The whole document; 0 if the writer failed (keys out of order). */
static int write_json(monitor_set *s, FILE *out) {
  monitor **sorted = malloc((s->n + 1) * sizeof *sorted);
  if (!sorted) return 0;
  memcpy(sorted, s->mons, s->n * sizeof *sorted);
  qsort(sorted, s->n, sizeof *sorted, by_label);
  mon_json j;
  js_start(&j, out);
  js_begin_obj(&j);
  js_key(&j, "format");
  js_str(&j, "inro-monitors");
  js_key(&j, "monitors");
  js_begin_obj(&j);
  for (size_t i = 0; i < s->n; i++) {
    js_key(&j, sorted[i]->label);
    mon_report_json(sorted[i], &j);
  }
  js_end_obj(&j);
  js_key(&j, "version");
  js_u64(&j, 1);
  js_end_obj(&j);
  int ok = js_finish(&j);
  fputc('\n', out);
  free(sorted);
  return ok;
}

static int ends_with(const char *s, const char *tail) {
  size_t n = strlen(s), t = strlen(tail);
  return n >= t && !strcmp(s + n - t, tail);
}

/* The monitor whose report goes to the file in a format of its own, and
** that format: the one given as NAME:FORMAT, or with FILE.folded the
** first profile's folded stacks.  0, or -1 with a reason in why. */
static int file_format(const monitor_set *s, const char *out_path, monitor **who,
                       const mon_format **format, char *why, size_t whylen,
                       int before_run) {
  *who = NULL;
  *format = NULL;
  for (size_t i = 0; i < s->n; i++) {
    if (!s->mons[i]->format) continue;
    if (*who) {
      snprintf(why, whylen, "monitors '%s' and '%s' both have a format: only one report "
               "goes to --monitor-out in a format of its own", (*who)->label, s->mons[i]->label);
      return -1;
    }
    *who = s->mons[i];
    *format = s->mons[i]->format;
  }
  if (*who && !out_path) {
    snprintf(why, whylen, "monitor '%s' needs --monitor-out FILE", (*who)->label);
    return -1;
  }
  /* A missing profile for .folded is found at the report, as it always
  ** was (exit status 1, not a usage error). */
  if (*who || before_run || !out_path || !ends_with(out_path, ".folded")) return 0;
  for (size_t i = 0; i < s->n && !*who; i++)
    if (s->mons[i]->ops == &mon_profile_ops) *who = s->mons[i];
  if (!*who) {
    snprintf(why, whylen, "%s: folded stacks need the profile monitor", out_path);
    return -1;
  }
  for (const mon_format *f = mon_profile_ops.formats; f->name; f++)
    if (!strcmp(f->name, "folded")) *format = f;
  return 0;
}

int monitor_set_check_output(const monitor_set *s, const char *out_path, char *why,
                             size_t whylen) {
  monitor *who;
  const mon_format *format;
  return file_format(s, out_path, &who, &format, why, whylen, 1);
}

int monitor_set_report(monitor_set *s, const char *out_path, FILE *text_out,
                       char *why, size_t whylen) {
  monitor *who;
  const mon_format *format;
  if (file_format(s, out_path, &who, &format, why, whylen, 0)) return -1;
  for (size_t i = 0; i < s->n; i++)
    if (s->mons[i]->phase == MON_ON && s->mons[i]->ops->settle)
      s->mons[i]->ops->settle(s->mons[i], NULL);
  /* Text for what the file does not take: everything, or all but the
  ** monitor that writes its own format there. */
  for (size_t i = 0; i < s->n; i++)
    if (!out_path || (who && s->mons[i] != who)) mon_report_text(s->mons[i], text_out);
  if (text_out) fflush(text_out);
  if (!out_path) return 0;
  FILE *f = fopen(out_path, "w");
  if (!f) {
    snprintf(why, whylen, "cannot write %s", out_path);
    return -1;
  }
  int ok = who ? format->write(who, f) : write_json(s, f);
  if (ferror(f)) ok = 0;
  if (fclose(f) != 0) ok = 0;
  if (!ok) {
    snprintf(why, whylen, "could not write the monitor report to %s", out_path);
    return -1;
  }
  return 0;
}

/*
** json.c -- the JSON writer of the monitor reports.
**
** Reports must be byte-identical wherever inro runs (natively, or as
** inro.wasm on any WASI host), so nothing here depends on the host: keys
** are written in a fixed (strcmp) order that the writer checks, numbers
** are integers, and percentages are computed in integer arithmetic.
*/
#include <string.h>

#include "monitor/mon.h"
#include "util/json.h"
#include "util/str.h"

#define JS_MAX_DEPTH MON_JSON_DEPTH

static void indent(mon_json *j) {
  fputc('\n', j->out);
  for (int i = 0; i < j->depth; i++) fputs("  ", j->out);
}

/* Before a value: a separator and a new line, unless it follows its key
** (then it goes on the key's line). */
static void before_value(mon_json *j) {
  if (j->after_key) {
    j->after_key = 0;
    return;
  }
  if (j->depth > 0) {
    if (!j->first[j->depth]) fputc(',', j->out);
    indent(j);
  }
  j->first[j->depth] = 0;
}

static void open(mon_json *j, char c) {
  before_value(j);
  fputc(c, j->out);
  if (j->depth + 1 >= JS_MAX_DEPTH) {
    j->failed = 1;
    return;
  }
  j->depth++;
  j->first[j->depth] = 1;
  j->last_key[j->depth] = NULL;
}

static void close(mon_json *j, char c) {
  int empty = j->first[j->depth];
  j->depth--;
  if (!empty) indent(j);
  fputc(c, j->out);
}

void js_begin_obj(mon_json *j) { open(j, '{'); }
void js_end_obj(mon_json *j) { close(j, '}'); }
void js_begin_arr(mon_json *j) { open(j, '['); }
void js_end_arr(mon_json *j) { close(j, ']'); }

void js_key(mon_json *j, const char *key) {
  const char *last = j->last_key[j->depth];
  if (last && strcmp(last, key) >= 0) j->failed = 1;
  j->last_key[j->depth] = key;
  before_value(j);
  json_write_string(j->out, key);
  fputs(": ", j->out);
  j->after_key = 1;
}

/* v in decimal, with no NUL. */
static void put_u64(FILE *out, uint64_t v) {
  char buf[STR_U64_MAX];
  const char *p = str_from_u64(buf, v);
  fwrite(p, 1, (size_t)(buf + sizeof buf - p), out);
}

void js_u64(mon_json *j, uint64_t v) {
  before_value(j);
  put_u64(j->out, v);
}

void js_str(mon_json *j, const char *s) {
  before_value(j);
  if (s) json_write_string(j->out, s);
  else fputs("null", j->out);
}

void js_null(mon_json *j) { js_str(j, NULL); }

void js_raw(mon_json *j, const char *text) {
  before_value(j);
  fputs(text, j->out);
}

/* Formatted into a buffer and written a buffer at a time: a report may
** list every executed offset, and a stdio call per number is most of its
** cost. */
void js_u64s(mon_json *j, const uint64_t *v, size_t n) {
  char buf[1024];
  size_t len = 1;
  before_value(j);
  buf[0] = '[';
  for (size_t i = 0; i < n; i++) {
    if (len > sizeof buf - STR_U64_MAX - 3) {
      fwrite(buf, 1, len, j->out);
      len = 0;
    }
    if (i) buf[len++] = ',', buf[len++] = ' ';
    char num[STR_U64_MAX];
    const char *p = str_from_u64(num, v[i]);
    size_t k = (size_t)(num + sizeof num - p);
    memcpy(buf + len, p, k);
    len += k;
  }
  buf[len++] = ']';
  fwrite(buf, 1, len, j->out);
}

void mon_percent(char *buf, size_t len, uint64_t part, uint64_t whole) {
  /* Hundredths, rounded half up; no floating point, so every host agrees. */
  const uint64_t big = UINT64_MAX / 10000;
  if (whole > big) { /* scale both down so part * 10000 cannot overflow */
    uint64_t k = whole / big + 1;
    part /= k;
    whole /= k;
  }
  if (part > whole) part = whole;
  uint64_t h = whole ? (part * 10000 + whole / 2) / whole : 0;
  size_t at = 0;
  const char cents[] = {(char)('0' + h % 100 / 10), (char)('0' + h % 10), '\0'};
  str_cat_u64(buf, len, &at, h / 100);
  str_cat(buf, len, &at, ".");
  str_cat(buf, len, &at, cents);
}

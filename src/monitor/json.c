/*
** json.c -- the JSON writer of the monitor reports.
**
** Reports must be byte-identical wherever inro runs (natively, or as
** inro.wasm on any WASI host), so nothing here depends on the host: keys
** are written in a fixed (strcmp) order that the writer checks, numbers
** are integers, and percentages are computed in integer arithmetic.
*/
#include <stddef.h>
#include <string.h>

#include "monitor/mon.h"
#include "util/json.h"
#include "util/str.h"

#define JS_MAX_DEPTH MON_JSON_DEPTH
#define SPACES_16 "                "
_Static_assert(2 * JS_MAX_DEPTH <= 64, "indent() has room for 32 levels");

/* Everything goes through the buffer: a report is thousands of short
** pieces, and a stdio call per piece cost more than making them. */
static void flush(mon_json *j) {
  if (j->len) fwrite(j->buf, 1, j->len, j->out);
  j->len = 0;
}

static void put(mon_json *j, const char *p, size_t n) {
  if (n > sizeof j->buf - j->len) {
    flush(j);
    if (n > sizeof j->buf) {
      fwrite(p, 1, n, j->out);
      return;
    }
  }
  memcpy(j->buf + j->len, p, n);
  j->len += n;
}

static void put_str(mon_json *j, const char *s) { put(j, s, strlen(s)); }

static void put_escaped(void *j, const char *p, size_t n) { put(j, p, n); }

static void put_string(mon_json *j, const char *s) {
  put(j, "\"", 1);
  json_escape(s, put_escaped, j);
  put(j, "\"", 1);
}

void js_start(mon_json *j, FILE *out) {
  memset(j, 0, offsetof(mon_json, buf));
  j->out = out;
}

int js_finish(mon_json *j) {
  flush(j);
  return !j->failed;
}

static void indent(mon_json *j) {
  /* A new line and two spaces per level; open() keeps depth below the
  ** maximum. */
  static const char spaces[] = "\n" SPACES_16 SPACES_16 SPACES_16 SPACES_16;
  put(j, spaces, 1 + 2 * (size_t)j->depth);
}

/* Before a value: a separator and a new line, unless it follows its key
** (then it goes on the key's line). */
static void before_value(mon_json *j) {
  if (j->after_key) {
    j->after_key = 0;
    return;
  }
  if (j->depth > 0) {
    if (!j->first[j->depth]) put(j, ",", 1);
    indent(j);
  }
  j->first[j->depth] = 0;
}

static void open(mon_json *j, char c) {
  before_value(j);
  put(j, &c, 1);
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
  put(j, &c, 1);
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
  put_string(j, key);
  put(j, ": ", 2);
  j->after_key = 1;
}

/* v in decimal, with no NUL. */
static void put_u64(mon_json *j, uint64_t v) {
  char buf[STR_U64_MAX];
  const char *p = str_from_u64(buf, v);
  put(j, p, (size_t)(buf + sizeof buf - p));
}

void js_u64(mon_json *j, uint64_t v) {
  before_value(j);
  put_u64(j, v);
}

void js_str(mon_json *j, const char *s) {
  before_value(j);
  if (s) put_string(j, s);
  else put_str(j, "null");
}

void js_null(mon_json *j) { js_str(j, NULL); }

void js_raw(mon_json *j, const char *text) {
  before_value(j);
  put_str(j, text);
}

void js_u64s(mon_json *j, const uint64_t *v, size_t n) {
  before_value(j);
  put(j, "[", 1);
  for (size_t i = 0; i < n; i++) {
    if (i) put(j, ", ", 2);
    put_u64(j, v[i]);
  }
  put(j, "]", 1);
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

/*
** json.c -- strict recursive-descent JSON parser (see json.h).
**
** The parser is a cursor over the input plus the current nesting depth;
** each json_value is filled in place, so arrays and objects own flat,
** realloc-grown vectors of children.  On any error the partly built
** subtree is freed by its builder, so the caller only ever sees a whole
** tree or NULL.
*/
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/json.h"

typedef struct parser {
  const unsigned char *s;
  size_t len, pos;
  int depth;
  char *why;
  size_t whylen;
  int failed;
} parser;

/* Record the first error only, with its line and column. */
static int fail(parser *p, const char *fmt, ...) {
  if (p->failed) return 0;
  p->failed = 1;
  if (!p->why || p->whylen == 0) return 0;
  size_t line = 1, col = 1;
  for (size_t i = 0; i < p->pos && i < p->len; i++) {
    if (p->s[i] == '\n') {
      line++;
      col = 1;
    } else {
      col++;
    }
  }
  int n = snprintf(p->why, p->whylen, "line %zu, column %zu: ", line, col);
  if (n < 0 || (size_t)n >= p->whylen) return 0;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(p->why + n, p->whylen - (size_t)n, fmt, ap);
  va_end(ap);
  return 0;
}

static int peek(const parser *p) {
  return p->pos < p->len ? p->s[p->pos] : -1;
}

static void skip_space(parser *p) {
  while (p->pos < p->len && (p->s[p->pos] == ' ' || p->s[p->pos] == '\t' ||
                             p->s[p->pos] == '\n' || p->s[p->pos] == '\r'))
    p->pos++;
}

static void free_value(json_value *v) {
  switch (v->type) {
  case JSON_STRING:
    free(v->string);
    break;
  case JSON_ARRAY:
    for (size_t i = 0; i < v->count; i++) free_value(&v->items[i]);
    free(v->items);
    break;
  case JSON_OBJECT:
    for (size_t i = 0; i < v->count; i++) {
      free_value(&v->members[i].key);
      free_value(&v->members[i].value);
    }
    free(v->members);
    break;
  default:
    break;
  }
  memset(v, 0, sizeof *v);
}

/* Grow a vector of `size`-byte entries so index `count` fits. */
static int reserve(parser *p, void **vec, size_t *cap, size_t count,
                   size_t size) {
  if (count < *cap) return 1;
  size_t ncap = *cap ? *cap * 2 : 4;
  if (ncap > SIZE_MAX / size) return fail(p, "out of memory");
  void *grown = realloc(*vec, ncap * size);
  if (!grown) return fail(p, "out of memory");
  *vec = grown;
  *cap = ncap;
  return 1;
}

static int parse_value(parser *p, json_value *out);

/* --------------------------------------------------------------- literals */

static int parse_literal(parser *p, json_value *out) {
  static const struct {
    const char *word;
    json_type type;
    int boolean;
  } words[] = {{"null", JSON_NULL, 0}, {"true", JSON_BOOL, 1},
               {"false", JSON_BOOL, 0}};
  for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
    size_t n = strlen(words[i].word);
    if (p->len - p->pos >= n && !memcmp(p->s + p->pos, words[i].word, n)) {
      p->pos += n;
      out->type = words[i].type;
      out->boolean = words[i].boolean;
      return 1;
    }
  }
  return fail(p, "unexpected character");
}

/* ---------------------------------------------------------------- numbers */

static size_t skip_digits(parser *p) {
  size_t start = p->pos;
  while (p->pos < p->len && p->s[p->pos] >= '0' && p->s[p->pos] <= '9')
    p->pos++;
  return p->pos - start;
}

/* Check the RFC grammar by hand, then let strtod convert the token (it
** accepts more than JSON does, so it is never the validator). */
static int parse_number(parser *p, json_value *out) {
  size_t start = p->pos;
  if (peek(p) == '-') p->pos++;
  if (peek(p) == '0') {
    p->pos++;
    if (peek(p) >= '0' && peek(p) <= '9')
      return fail(p, "leading zero in number");
  } else if (skip_digits(p) == 0) {
    return fail(p, "expected a digit");
  }
  if (peek(p) == '.') {
    p->pos++;
    if (skip_digits(p) == 0) return fail(p, "expected a digit after '.'");
  }
  if (peek(p) == 'e' || peek(p) == 'E') {
    p->pos++;
    if (peek(p) == '+' || peek(p) == '-') p->pos++;
    if (skip_digits(p) == 0) return fail(p, "expected an exponent");
  }
  size_t n = p->pos - start;
  char small[64], *buf = n < sizeof small ? small : malloc(n + 1);
  if (!buf) return fail(p, "out of memory");
  memcpy(buf, p->s + start, n);
  buf[n] = '\0';
  out->type = JSON_NUMBER;
  out->number = strtod(buf, NULL);
  if (buf != small) free(buf);
  return 1;
}

/* ---------------------------------------------------------------- strings */

static int hex4(parser *p, unsigned *out) {
  unsigned v = 0;
  for (int i = 0; i < 4; i++) {
    int c = peek(p), d;
    if (c >= '0' && c <= '9') d = c - '0';
    else if (c >= 'a' && c <= 'f') d = c - 'a' + 10;
    else if (c >= 'A' && c <= 'F') d = c - 'A' + 10;
    else return fail(p, "bad \\u escape");
    v = v * 16 + (unsigned)d;
    p->pos++;
  }
  *out = v;
  return 1;
}

static size_t put_utf8(char *dst, unsigned cp) {
  if (cp < 0x80) {
    dst[0] = (char)cp;
    return 1;
  }
  if (cp < 0x800) {
    dst[0] = (char)(0xC0 | (cp >> 6));
    dst[1] = (char)(0x80 | (cp & 0x3F));
    return 2;
  }
  if (cp < 0x10000) {
    dst[0] = (char)(0xE0 | (cp >> 12));
    dst[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    dst[2] = (char)(0x80 | (cp & 0x3F));
    return 3;
  }
  dst[0] = (char)(0xF0 | (cp >> 18));
  dst[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
  dst[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
  dst[3] = (char)(0x80 | (cp & 0x3F));
  return 4;
}

/* Length of the well-formed UTF-8 sequence at s[0..avail), or 0.  Rejects
** overlong forms, surrogates and code points past U+10FFFF (RFC 3629). */
static size_t utf8_len(const unsigned char *s, size_t avail) {
  unsigned char c = s[0];
  size_t n;
  unsigned lo = 0x80, hi = 0xBF;
  if (c >= 0xC2 && c <= 0xDF) n = 2;
  else if (c >= 0xE0 && c <= 0xEF) n = 3;
  else if (c >= 0xF0 && c <= 0xF4) n = 4;
  else return 0;
  if (c == 0xE0) lo = 0xA0;
  if (c == 0xED) hi = 0x9F;
  if (c == 0xF0) lo = 0x90;
  if (c == 0xF4) hi = 0x8F;
  if (avail < n || s[1] < lo || s[1] > hi) return 0;
  for (size_t i = 2; i < n; i++)
    if (s[i] < 0x80 || s[i] > 0xBF) return 0;
  return n;
}

/* One \uXXXX escape (cursor after the 'u'), pairing surrogates. */
static int unicode_escape(parser *p, unsigned *cp) {
  if (!hex4(p, cp)) return 0;
  if (*cp >= 0xDC00 && *cp <= 0xDFFF) return fail(p, "lone low surrogate");
  if (*cp < 0xD800 || *cp > 0xDBFF) return 1;
  unsigned low;
  if (p->len - p->pos < 2 || p->s[p->pos] != '\\' || p->s[p->pos + 1] != 'u')
    return fail(p, "lone high surrogate");
  p->pos += 2;
  if (!hex4(p, &low)) return 0;
  if (low < 0xDC00 || low > 0xDFFF) return fail(p, "lone high surrogate");
  *cp = 0x10000 + ((*cp - 0xD800) << 10) + (low - 0xDC00);
  return 1;
}

static int parse_string(parser *p, json_value *out) {
  static const char simple[] = "\"\"\\\\//b\bf\fn\nr\rt\t";
  p->pos++; /* opening quote */
  /* Decoding never lengthens the text, so the raw length up to the closing
  ** quote bounds it (escapes skipped so an escaped quote does not end it). */
  size_t end = p->pos;
  while (end < p->len && p->s[end] != '"') end += p->s[end] == '\\' ? 2 : 1;
  char *buf = malloc((end < p->len ? end : p->len) - p->pos + 1);
  size_t n = 0;
  if (!buf) return fail(p, "out of memory");
  for (;;) {
    int c = peek(p);
    if (c < 0) {
      free(buf);
      return fail(p, "unterminated string");
    }
    if (c == '"') break;
    if (c < 0x20) {
      free(buf);
      return fail(p, "control character in string");
    }
    if (c >= 0x80) {
      size_t k = utf8_len(p->s + p->pos, p->len - p->pos);
      if (k == 0) {
        free(buf);
        return fail(p, "invalid UTF-8 in string");
      }
      memcpy(buf + n, p->s + p->pos, k);
      n += k;
      p->pos += k;
      continue;
    }
    p->pos++;
    if (c != '\\') {
      buf[n++] = (char)c;
      continue;
    }
    int e = peek(p);
    p->pos++;
    if (e == 'u') {
      unsigned cp;
      if (!unicode_escape(p, &cp)) {
        free(buf);
        return 0;
      }
      n += put_utf8(buf + n, cp);
      continue;
    }
    const char *hit = NULL;
    for (size_t i = 0; e > 0 && simple[i]; i += 2)
      if (simple[i] == e) hit = &simple[i + 1];
    if (!hit) {
      p->pos--;
      free(buf);
      return fail(p, "bad escape in string");
    }
    buf[n++] = *hit;
  }
  p->pos++; /* closing quote */
  buf[n] = '\0';
  out->type = JSON_STRING;
  out->string = buf;
  out->length = n;
  return 1;
}

/* -------------------------------------------------------------- containers */

/* After an element: ',' continues (and must be followed by another
** element), `close` ends.  Returns 1 to continue, 0 at the end, -1 on an
** error. */
static int next_element(parser *p, int close) {
  skip_space(p);
  if (peek(p) == ',') {
    p->pos++;
    skip_space(p);
    return 1;
  }
  if (peek(p) == close) {
    p->pos++;
    return 0;
  }
  fail(p, "expected ',' or '%c'", close);
  return -1;
}

static int parse_array(parser *p, json_value *out) {
  size_t cap = 0;
  out->type = JSON_ARRAY;
  p->pos++;
  skip_space(p);
  if (peek(p) == ']') {
    p->pos++;
    return 1;
  }
  for (;;) {
    if (!reserve(p, (void **)&out->items, &cap, out->count,
                 sizeof *out->items) ||
        !parse_value(p, &out->items[out->count]))
      break;
    out->count++;
    int more = next_element(p, ']');
    if (more == 0) return 1;
    if (more < 0) break;
  }
  free_value(out);
  return 0;
}

static int parse_object(parser *p, json_value *out) {
  size_t cap = 0;
  out->type = JSON_OBJECT;
  p->pos++;
  skip_space(p);
  if (peek(p) == '}') {
    p->pos++;
    return 1;
  }
  for (;;) {
    if (!reserve(p, (void **)&out->members, &cap, out->count,
                 sizeof *out->members))
      break;
    json_member *m = &out->members[out->count];
    memset(m, 0, sizeof *m);
    if (peek(p) != '"') {
      fail(p, "expected a string key");
      break;
    }
    if (!parse_string(p, &m->key)) break;
    skip_space(p);
    if (peek(p) != ':') {
      free_value(&m->key);
      fail(p, "expected ':'");
      break;
    }
    p->pos++;
    skip_space(p);
    if (!parse_value(p, &m->value)) {
      free_value(&m->key);
      break;
    }
    out->count++;
    int more = next_element(p, '}');
    if (more == 0) return 1;
    if (more < 0) break;
  }
  free_value(out);
  return 0;
}

static int parse_value(parser *p, json_value *out) {
  memset(out, 0, sizeof *out);
  int c = peek(p);
  if (c == '{' || c == '[') {
    if (p->depth >= JSON_MAX_DEPTH)
      return fail(p, "nesting deeper than %d", JSON_MAX_DEPTH);
    p->depth++;
    int ok = c == '{' ? parse_object(p, out) : parse_array(p, out);
    p->depth--;
    return ok;
  }
  if (c == '"') return parse_string(p, out);
  if (c == '-' || (c >= '0' && c <= '9')) return parse_number(p, out);
  if (c < 0) return fail(p, "unexpected end of input");
  return parse_literal(p, out);
}

/* ------------------------------------------------------------- public API */

json_value *json_parse(const char *text, size_t len, char *why,
                       size_t whylen) {
  parser p = {(const unsigned char *)text, len, 0, 0, why, whylen, 0};
  json_value *root = malloc(sizeof *root);
  if (!root) {
    fail(&p, "out of memory");
    return NULL;
  }
  skip_space(&p);
  if (!parse_value(&p, root)) {
    free(root);
    return NULL;
  }
  skip_space(&p);
  if (p.pos != p.len) {
    fail(&p, "trailing characters after the value");
    json_free(root);
    return NULL;
  }
  return root;
}

void json_free(json_value *root) {
  if (!root) return;
  free_value(root);
  free(root);
}

const json_value *json_get(const json_value *v, const char *key) {
  if (!v || v->type != JSON_OBJECT) return NULL;
  size_t n = strlen(key);
  for (size_t i = 0; i < v->count; i++) {
    const json_value *k = &v->members[i].key;
    if (k->length == n && !memcmp(k->string, key, n))
      return &v->members[i].value;
  }
  return NULL;
}

const char *json_get_string(const json_value *v, const char *key) {
  const json_value *s = json_get(v, key);
  return s && s->type == JSON_STRING ? s->string : NULL;
}

const json_value *json_at(const json_value *v, size_t i) {
  if (!v || v->type != JSON_ARRAY || i >= v->count) return NULL;
  return &v->items[i];
}

size_t json_array_len(const json_value *v) {
  return v && v->type == JSON_ARRAY ? v->count : 0;
}

int json_get_long(const json_value *v, const char *key, long *out) {
  const json_value *n = json_get(v, key);
  if (!n || n->type != JSON_NUMBER) return 0;
  double d = n->number;
  /* LONG_MAX may round up as a double; compare against -LONG_MIN style
  ** powers of two, which are exact. */
  if (!(d >= (double)LONG_MIN && d < -(double)LONG_MIN) || floor(d) != d)
    return 0;
  *out = (long)d;
  return 1;
}

/* Bytes of the well-formed UTF-8 sequence at p (RFC 3629: no overlong
** forms, no surrogates, nothing past U+10FFFF), or 0. */
static size_t utf8_length(const unsigned char *p) {
  size_t n = p[0] < 0x80 ? 1 : p[0] >= 0xc2 && p[0] <= 0xdf ? 2
             : p[0] >= 0xe0 && p[0] <= 0xef ? 3
             : p[0] >= 0xf0 && p[0] <= 0xf4 ? 4 : 0;
  for (size_t i = 1; i < n; i++)
    if ((p[i] & 0xc0) != 0x80) return 0;
  if ((p[0] == 0xe0 && p[1] < 0xa0) || (p[0] == 0xed && p[1] > 0x9f) ||
      (p[0] == 0xf0 && p[1] < 0x90) || (p[0] == 0xf4 && p[1] > 0x8f))
    return 0;
  return n;
}

void json_escape(const char *s, void (*put)(void *ctx, const char *p, size_t n), void *ctx) {
  static const char hex[] = "0123456789abcdef";
  const unsigned char *p = (const unsigned char *)s, *plain = p;
  while (*p) {
    size_t n = utf8_length(p);
    if (n && *p != '"' && *p != '\\' && *p >= 0x20 && *p != 0x7f) {
      p += n; /* handed on with the rest of the run, in one piece */
      continue;
    }
    if (p > plain) put(ctx, (const char *)plain, (size_t)(p - plain));
    if (*p == '"' || *p == '\\') {
      const char esc[2] = {'\\', (char)*p};
      put(ctx, esc, 2);
    } else { /* a control character, or a byte that is not UTF-8: \uDCXX */
      unsigned u = *p < 0x20 || *p == 0x7f ? *p : 0xdc00u + *p;
      const char esc[6] = {'\\', 'u', hex[u >> 12], hex[u >> 8 & 15], hex[u >> 4 & 15], hex[u & 15]};
      put(ctx, esc, 6);
    }
    plain = p += n ? n : 1;
  }
  if (p > plain) put(ctx, (const char *)plain, (size_t)(p - plain));
}

static void put_file(void *out, const char *p, size_t n) { fwrite(p, 1, n, out); }

void json_write_string(FILE *out, const char *s) {
  fputc('"', out);
  json_escape(s, put_file, out);
  fputc('"', out);
}

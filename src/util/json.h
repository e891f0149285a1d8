/*
** json.h -- a small, strict JSON (RFC 8259) parser that returns a tree.
**
** Used to read the command scripts that wast2json writes for the spec
** tests, so it favours clarity and strictness over speed:
**   - the grammar is RFC 8259 exactly: no comments, no trailing commas, no
**     leading zeros, no bare control characters in strings, valid UTF-8;
**   - \uXXXX escapes (including surrogate pairs) decode to UTF-8; a lone
**     surrogate is an error, "\u0000" is kept (strings carry a length);
**   - nesting deeper than JSON_MAX_DEPTH is an error rather than a deep
**     recursion, so hostile input cannot exhaust the C stack;
**   - duplicate object keys are kept; lookups return the first.
** Errors come back as one line "line L, column C: reason".
** json_write_string is the one writer: a C string as a JSON string.
*/
#ifndef INRO_JSON_H
#define INRO_JSON_H

#include <stddef.h>
#include <stdio.h>

#define JSON_MAX_DEPTH 128

typedef enum json_type {
  JSON_NULL,
  JSON_BOOL,
  JSON_NUMBER,
  JSON_STRING,
  JSON_ARRAY,
  JSON_OBJECT
} json_type;

typedef struct json_member json_member;

typedef struct json_value {
  json_type type;
  int boolean;          /* JSON_BOOL: 0 or 1 */
  double number;        /* JSON_NUMBER */
  char *string;         /* JSON_STRING: UTF-8, NUL-terminated, but it */
  size_t length;        /* may hold NULs: length excludes the last NUL */
  size_t count;         /* JSON_ARRAY / JSON_OBJECT: number of entries */
  struct json_value *items;  /* JSON_ARRAY: elements */
  json_member *members;      /* JSON_OBJECT: members in source order */
} json_value;

struct json_member {
  json_value key;       /* always a JSON_STRING */
  json_value value;
};

/* Parse text[0..len).  Returns a tree to release with json_free, or NULL
** with a reason in why (which may be NULL). */
json_value *json_parse(const char *text, size_t len, char *why,
                       size_t whylen);
void json_free(json_value *root);

/* Member `key` of an object, or NULL if v is not an object or lacks it. */
const json_value *json_get(const json_value *v, const char *key);
/* The string member `key`, or NULL if absent or not a string. */
const char *json_get_string(const json_value *v, const char *key);
/* Element i of an array, or NULL if v is not an array or i is past it. */
const json_value *json_at(const json_value *v, size_t i);
/* Number of elements of an array (0 for anything else). */
size_t json_array_len(const json_value *v);
/* The integral number member `key` into *out; 0 if absent, not a number,
** not integral or out of long's range. */
int json_get_long(const json_value *v, const char *key, long *out);

/* Write s in double quotes, escaping '"', '\\' and control characters
** (as \u00XX, DEL too).  Well-formed UTF-8 goes out as it is; a byte XX
** that is not part of it (the names, arguments and environment a
** snapshot holds can be any bytes) is written \uDCXX, a lone surrogate
** that no UTF-8 text has, as Python's "surrogateescape" does: the JSON
** stays valid and the bytes can be recovered. */
void json_write_string(FILE *out, const char *s);
/* The same without the quotes, handed in pieces to put(ctx, bytes, n). */
void json_escape(const char *s, void (*put)(void *ctx, const char *p, size_t n), void *ctx);

#endif

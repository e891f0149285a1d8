/*
** error.c -- filling inro_error values, and the spec's trap wordings.
*/
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "binary/module.h"

int err_set(inro_error *err, inro_error_kind kind, const char *fmt, ...) {
  if (!err) return 0;
  err->kind = kind;
  err->trap = INRO_TRAP_NONE;
  err->exit_code = 0;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(err->message, sizeof err->message, fmt, ap);
  va_end(ap);
  return 0;
}

int err_trap(inro_error *err, inro_trap_code code) {
  err_set(err, INRO_ERR_TRAP, "%s", inro_trap_message(code));
  if (err) err->trap = code;
  return 0;
}

void inro_error_clear(inro_error *err) {
  if (!err) return;
  memset(err, 0, sizeof *err);
}

static const char *const trap_messages[] = {
  [INRO_TRAP_NONE] = "no trap",
  [INRO_TRAP_UNREACHABLE] = "unreachable",
  [INRO_TRAP_MEMORY_OOB] = "out of bounds memory access",
  [INRO_TRAP_TABLE_OOB] = "out of bounds table access",
  [INRO_TRAP_INDIRECT_TYPE] = "indirect call type mismatch",
  [INRO_TRAP_UNDEFINED_ELEM] = "undefined element",
  [INRO_TRAP_UNINIT_ELEM] = "uninitialized element",
  [INRO_TRAP_DIV_ZERO] = "integer divide by zero",
  [INRO_TRAP_INT_OVERFLOW] = "integer overflow",
  [INRO_TRAP_INVALID_CONV] = "invalid conversion to integer",
  [INRO_TRAP_STACK_EXHAUSTED] = "call stack exhausted",
  [INRO_TRAP_HOST] = "host function trapped",
  [INRO_TRAP_NULL_FUNC] = "null function reference",
  [INRO_TRAP_NULL_REF] = "null reference",
  [INRO_TRAP_NULL_EXN] = "null exception reference",
};

const char *inro_trap_message(inro_trap_code code) {
  if ((unsigned)code >= sizeof trap_messages / sizeof trap_messages[0])
    return "unknown trap";
  return trap_messages[code];
}

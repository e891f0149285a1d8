/*
** str.h -- C string copies the standard library lacks in C11, and
** strict number parsing and fast printing.
*/
#ifndef INRO_STR_H
#define INRO_STR_H

#include <stddef.h>
#include <stdint.h>

/* A malloc'd copy of the first n bytes of s, NUL-terminated; NULL when
** out of memory. */
char *str_ndup(const char *s, size_t n);
/* A malloc'd copy of s; NULL when out of memory. */
char *str_dup(const char *s);
/* An unsigned number written in decimal, or in hex after "0x": digits
** only (no sign, space or octal), at most UINT64_MAX.  1 and *out, or 0. */
int str_to_u64(const char *s, uint64_t *out);
/* v in decimal at the end of buf[0 .. STR_U64_MAX): where it begins (not
** NUL-terminated); faster than printf where reports write many numbers. */
#define STR_U64_MAX 20
char *str_from_u64(char *buf, uint64_t v);
/* Text appended at buf[*at] and *at moved past it, cut to fit buf[0 ..
** len) as snprintf cuts, buf NUL-terminated (len > 0): text the monitors
** write for every function, without printf, whose code a Wasm host
** compiles the first time it is called. */
void str_cat(char *buf, size_t len, size_t *at, const char *s);
void str_cat_u64(char *buf, size_t len, size_t *at, uint64_t v);
void str_cat_hex(char *buf, size_t len, size_t *at, uint64_t v); /* 0x... */

#endif

/*
** str.h -- C string copies the standard library lacks in C11.
*/
#ifndef INRO_STR_H
#define INRO_STR_H

#include <stddef.h>

/* A malloc'd copy of the first n bytes of s, NUL-terminated; NULL when
** out of memory. */
char *str_ndup(const char *s, size_t n);
/* A malloc'd copy of s; NULL when out of memory. */
char *str_dup(const char *s);

#endif

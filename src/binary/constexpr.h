/*
** constexpr.h -- validation of constant expressions (binary/constexpr.c);
** instantiation evaluates them (exec/instance.c).
*/
#ifndef INRO_CONSTEXPR_H
#define INRO_CONSTEXPR_H

#include "binary/module.h"

/* The type of expression ce, which may read globals [0, nglobals) (the
** immutable ones); 0 with err filled if it is not a valid constant
** expression.  Marks the functions it references (m->func_refs). */
int const_type(inro_module *m, const constexpr_ *ce, uint32_t nglobals, valtype *type,
               inro_error *err);
/* The same, and its type must match `want`; sets ce->type. */
int const_check(inro_module *m, constexpr_ *ce, valtype want, uint32_t nglobals,
                inro_error *err);

#endif

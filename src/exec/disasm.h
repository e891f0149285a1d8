/*
** disasm.h -- translated code as text (exec/disasm.c).
*/
#ifndef INRO_DISASM_H
#define INRO_DISASM_H

#include <stdio.h>

#include "exec/ir.h"

/* Every instruction of c, a line each. */
void code_print(FILE *out, const code *c);

#endif

/*
** disasm.c -- translated code as text, one IR instruction a line, named
** from the same tables the translator and interpreter use (exec/ir.h).
** `inro inspect --ir` prints it; tests compare it for small functions.
**
**   12  0x0023  i32.add_ss  s1 <- l0, k0=0x1
**
** Word index, the Wasm offset of the instruction it carries out, the op,
** then its operands: lN is slot N of the locals, kN=V constant N and its
** bits, sN slot N of the operand stack, @N a jump target (word index).  A line "@N: Wasm 0xX" before an
** instruction marks an exact position (exec/ir.h).
*/
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "exec/disasm.h"

static void put_slot(FILE *out, const code *c, uint32_t w) {
  uint32_t i = w / 8;
  if (i < c->local_slots)
    fprintf(out, "l%u", (unsigned)i);
  else if (i < c->local_slots + c->nconsts)
    fprintf(out, "k%u=0x%" PRIx64, (unsigned)(i - c->local_slots), c->consts[i - c->local_slots]);
  else if (i < c->stack_base)
    fprintf(out, "x%u", (unsigned)(i - c->local_slots - c->nconsts)); /* hidden */
  else
    fprintf(out, "s%u", (unsigned)(i - c->stack_base));
}

/* The operands of the instruction at w after its op word, by layout. */
static void put_operands(FILE *out, const code *c, const uint32_t *w) {
  uint32_t op = IR_OP(w[0]);
  const ir_op_info *info = &ir_info[op];
  const uint32_t *p = w + 1;
  const char *sep = " ";
  for (const char *l = info->layout; *l; l++) {
    if (*l == 'w') { /* in the name (code_print) */
      p++;
      continue;
    }
    fputs(sep, out);
    sep = ", ";
    switch (*l) {
    case 'd':
      put_slot(out, c, *p++);
      fputs(" <-", out);
      sep = " ";
      break;
    case 's': put_slot(out, c, *p++); break;
    case 'r': fputs("R", out); break;
    case 't': fprintf(out, "@%u", (unsigned)*p++); break;
    case 'K':
      fprintf(out, "0x%" PRIx64, (uint64_t)p[0] | (uint64_t)p[1] << 32);
      p += 2;
      break;
    case 'k': fprintf(out, "0x%x", (unsigned)*p++); break;
    case 'o': fprintf(out, "offset=%u", (unsigned)*p++); break;
    case 'h': fputs("top=", out); put_slot(out, c, *p++); break;
    default: fprintf(out, "%u", (unsigned)*p++); break; /* i, n, f */
    }
  }
  /* The tables of JMP_TABLE [s n t*(n+1)], BR_TABLE [s n k src (t d)*(n+1)]
  ** and SWITCH [d s o n t*(n+1)]. */
  if (op == IR_JMP_TABLE || op == IR_BR_TABLE || op == IR_SWITCH) {
    int moves = op == IR_BR_TABLE;
    uint32_t n = op == IR_SWITCH ? w[4] : w[2];
    for (uint32_t i = 0; i <= n; i++, p += 1 + (uint32_t)moves) {
      fprintf(out, "%s@%u", i ? ", " : " [", (unsigned)p[0]);
      if (moves) {
        fputs(" <- ", out);
        put_slot(out, c, p[1]);
      }
    }
    fputs("]", out);
  }
}

void code_print(FILE *out, const code *c) {
  uint32_t e = 0, x = 0;
  for (uint32_t pc = 0; pc < c->nwords; pc += ir_length(c->words + pc)) {
    for (; x < c->nexact && c->exact[3 * x] <= pc; x++)
      if (c->exact[3 * x] == pc)
        fprintf(out, "@%u: Wasm 0x%04x\n", (unsigned)pc, (unsigned)c->exact[3 * x + 1]);
    while (e + 1 < c->npcmap && c->pcmap[2 * (e + 1)] <= pc) e++;
    const ir_op_info *info = &ir_info[IR_OP(c->words[pc])];
    fprintf(out, "%6u  0x%04x  %s", (unsigned)pc,
            (unsigned)(c->npcmap ? c->pcmap[2 * e + 1] : 0), info->text);
    /* A v128 group's op names its instruction: its w, the last word. */
    if (strchr(info->layout, 'w'))
      fprintf(out, "(%s)", op_table[OP_SIMD_FIRST + c->words[pc + ir_length(c->words + pc) - 1]].text);
    put_operands(out, c, c->words + pc);
    fputc('\n', out);
  }
}

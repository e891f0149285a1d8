/* tailcall.c -- an interpreter whose dispatch is a tail call: each
** instruction's handler ends by calling the next one's with musttail, so
** clang (-mtail-call) makes every dispatch a return_call_indirect and the
** interpreter runs in one frame however long the program.  It runs a
** small stack machine's programs (sums, a sieve, Fibonacci by recursion
** on its own stack) and prints their results, which tests/guests.sh
** compares with node's.
**
** Built with -DDISPATCH_SWITCH it dispatches with a loop around a switch
** instead, the same handlers inlined: bench/tailcall.sh times the two.
** An argument repeats the programs that many times (default 1). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { PUSH, ADD, SUB, MUL, DUP, SWAP, DROP, JZ, JMP, LT, LOAD, STORE, CALL, RET, PRINT, HALT,
       NOPS };

typedef struct vm {
  int64_t stack[256];
  int sp;
  const int32_t *ret[64];
  int rsp;
  int64_t mem[4096];
  uint64_t steps;
  int64_t result;
} vm;

typedef int64_t handler(vm *m, const int32_t *pc);

#ifdef DISPATCH_SWITCH
/* Each handler gives where to go on (NULL once halted); a loop dispatches. */
#define HANDLER(name) static inline const int32_t *name(vm *m, const int32_t *pc)
#define NEXT(n) return pc + (n)
#define HALT(v) do { m->result = (v); return NULL; } while (0)
#else
static handler *const table[NOPS];
#define HANDLER(name) static int64_t name(vm *m, const int32_t *pc)
#define NEXT(n) __attribute__((musttail)) return table[pc[n]](m, pc + (n))
#define HALT(v) return (v)
#endif

HANDLER(op_push) { m->stack[m->sp++] = pc[1]; m->steps++; NEXT(2); }
HANDLER(op_add) { m->sp--; m->stack[m->sp - 1] += m->stack[m->sp]; m->steps++; NEXT(1); }
HANDLER(op_sub) { m->sp--; m->stack[m->sp - 1] -= m->stack[m->sp]; m->steps++; NEXT(1); }
HANDLER(op_mul) { m->sp--; m->stack[m->sp - 1] *= m->stack[m->sp]; m->steps++; NEXT(1); }
HANDLER(op_dup) { m->stack[m->sp] = m->stack[m->sp - 1]; m->sp++; m->steps++; NEXT(1); }
HANDLER(op_swap) {
  int64_t t = m->stack[m->sp - 1];
  m->stack[m->sp - 1] = m->stack[m->sp - 2];
  m->stack[m->sp - 2] = t;
  m->steps++;
  NEXT(1);
}
HANDLER(op_drop) { m->sp--; m->steps++; NEXT(1); }
HANDLER(op_jz) {
  m->steps++;
  if (m->stack[--m->sp] == 0) { pc += pc[1]; NEXT(0); }
  NEXT(2);
}
HANDLER(op_jmp) { m->steps++; pc += pc[1]; NEXT(0); }
HANDLER(op_lt) { m->sp--; m->stack[m->sp - 1] = m->stack[m->sp - 1] < m->stack[m->sp]; m->steps++; NEXT(1); }
HANDLER(op_load) { m->stack[m->sp - 1] = m->mem[m->stack[m->sp - 1] & 4095]; m->steps++; NEXT(1); }
HANDLER(op_store) {
  m->sp -= 2;
  m->mem[m->stack[m->sp + 1] & 4095] = m->stack[m->sp];
  m->steps++;
  NEXT(1);
}
HANDLER(op_call) { m->ret[m->rsp++] = pc + 2; m->steps++; pc += pc[1]; NEXT(0); }
HANDLER(op_ret) { m->steps++; pc = m->ret[--m->rsp]; NEXT(0); }
HANDLER(op_print) { printf("  %lld\n", (long long)m->stack[--m->sp]); m->steps++; NEXT(1); }
HANDLER(op_halt) { (void)pc; m->steps++; HALT(m->sp ? m->stack[m->sp - 1] : 0); }

#ifdef DISPATCH_SWITCH
static int64_t run(vm *m, const int32_t *pc) {
  while (pc) switch (*pc) {
    case PUSH: pc = op_push(m, pc); break;
    case ADD: pc = op_add(m, pc); break;
    case SUB: pc = op_sub(m, pc); break;
    case MUL: pc = op_mul(m, pc); break;
    case DUP: pc = op_dup(m, pc); break;
    case SWAP: pc = op_swap(m, pc); break;
    case DROP: pc = op_drop(m, pc); break;
    case JZ: pc = op_jz(m, pc); break;
    case JMP: pc = op_jmp(m, pc); break;
    case LT: pc = op_lt(m, pc); break;
    case LOAD: pc = op_load(m, pc); break;
    case STORE: pc = op_store(m, pc); break;
    case CALL: pc = op_call(m, pc); break;
    case RET: pc = op_ret(m, pc); break;
    case PRINT: pc = op_print(m, pc); break;
    default: pc = op_halt(m, pc); break;
  }
  return m->result;
}
#else
static handler *const table[NOPS] = {
  op_push, op_add, op_sub, op_mul, op_dup, op_swap, op_drop, op_jz, op_jmp, op_lt, op_load,
  op_store, op_call, op_ret, op_print, op_halt,
};

static int64_t run(vm *m, const int32_t *pc) { return table[pc[0]](m, pc); }
#endif

/* The programs, assembled with relative jumps (an offset from the jump's
** own opcode).  Sum of i*i for i < 30000: mem[0] = i, mem[1] = the sum. */
static const int32_t sum_squares[] = {
  PUSH, 0, PUSH, 0, STORE, PUSH, 0, PUSH, 1, STORE, PUSH, 0, LOAD, PUSH, 30000, LT, JZ, 25, PUSH,
  0, LOAD, DUP, MUL, PUSH, 1, LOAD, ADD, PUSH, 1, STORE, PUSH, 0, LOAD, PUSH, 1, ADD, PUSH, 0,
  STORE, JMP, -29, PUSH, 1, LOAD, PRINT, HALT,
};

/* Primes below 4000 by a sieve in mem[16..]: mem[0] = i, mem[1] = the
** count, mem[2] = the multiple being marked. */
static const int32_t sieve[] = {
  PUSH, 2, PUSH, 0, STORE, PUSH, 0, PUSH, 1, STORE, PUSH, 0, LOAD, PUSH, 4000, LT, JZ, 70, PUSH,
  0, LOAD, PUSH, 16, ADD, LOAD, JZ, 4, JMP, 48, PUSH, 1, LOAD, PUSH, 1, ADD, PUSH, 1, STORE,
  PUSH, 0, LOAD, DUP, ADD, PUSH, 2, STORE, PUSH, 2, LOAD, PUSH, 4000, LT, JZ, 23, PUSH, 1, PUSH,
  2, LOAD, PUSH, 16, ADD, STORE, PUSH, 2, LOAD, PUSH, 0, LOAD, ADD, PUSH, 2, STORE, JMP, -27,
  PUSH, 0, LOAD, PUSH, 1, ADD, PUSH, 0, STORE, JMP, -74, PUSH, 1, LOAD, PRINT, HALT,
};

/* fib(22) by recursion on the machine's own call stack. */
static const int32_t fib[] = {
  PUSH, 22, CALL, 4, PRINT, HALT, DUP, PUSH, 2, LT, JZ, 3, RET, DUP, PUSH, 1, SUB, CALL, -11,
  SWAP, PUSH, 2, SUB, CALL, -17, ADD, RET,
};

int main(int argc, char **argv) {
  int repeat = argc > 1 ? atoi(argv[1]) : 1;
  static vm m;
  static const struct { const char *name; const int32_t *code; } progs[] = {
    {"sum of squares below 30000", sum_squares},
    {"primes below 4000", sieve},
    {"fib(22)", fib},
  };
  for (int r = 0; r < repeat; r++)
    for (size_t i = 0; i < sizeof progs / sizeof progs[0]; i++) {
      memset(&m, 0, sizeof m);
      printf("%s:\n", progs[i].name);
      run(&m, progs[i].code);
      printf("  %llu steps\n", (unsigned long long)m.steps);
    }
  return 0;
}

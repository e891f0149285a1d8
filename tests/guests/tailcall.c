/* tailcall.c -- an interpreter whose dispatch is a tail call: each
** instruction's handler ends by calling the next one's with musttail, so
** clang (-mtail-call) makes every dispatch a return_call_indirect and the
** interpreter runs in one frame however long the program.  It runs a
** small stack machine's programs (sums, a sieve, Fibonacci by recursion
** on its own stack) and prints their results, which tests/guests.sh
** compares with node's. */
#include <stdint.h>
#include <stdio.h>
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
} vm;

typedef int64_t handler(vm *m, const int32_t *pc);
static handler *const table[NOPS];

#define NEXT(n) __attribute__((musttail)) return table[pc[n]](m, pc + (n))

static int64_t op_push(vm *m, const int32_t *pc) { m->stack[m->sp++] = pc[1]; m->steps++; NEXT(2); }
static int64_t op_add(vm *m, const int32_t *pc) { m->sp--; m->stack[m->sp - 1] += m->stack[m->sp]; m->steps++; NEXT(1); }
static int64_t op_sub(vm *m, const int32_t *pc) { m->sp--; m->stack[m->sp - 1] -= m->stack[m->sp]; m->steps++; NEXT(1); }
static int64_t op_mul(vm *m, const int32_t *pc) { m->sp--; m->stack[m->sp - 1] *= m->stack[m->sp]; m->steps++; NEXT(1); }
static int64_t op_dup(vm *m, const int32_t *pc) { m->stack[m->sp] = m->stack[m->sp - 1]; m->sp++; m->steps++; NEXT(1); }
static int64_t op_swap(vm *m, const int32_t *pc) {
  int64_t t = m->stack[m->sp - 1];
  m->stack[m->sp - 1] = m->stack[m->sp - 2];
  m->stack[m->sp - 2] = t;
  m->steps++;
  NEXT(1);
}
static int64_t op_drop(vm *m, const int32_t *pc) { m->sp--; m->steps++; NEXT(1); }
static int64_t op_jz(vm *m, const int32_t *pc) {
  m->steps++;
  if (m->stack[--m->sp] == 0) { pc += pc[1]; NEXT(0); }
  NEXT(2);
}
static int64_t op_jmp(vm *m, const int32_t *pc) { m->steps++; pc += pc[1]; NEXT(0); }
static int64_t op_lt(vm *m, const int32_t *pc) { m->sp--; m->stack[m->sp - 1] = m->stack[m->sp - 1] < m->stack[m->sp]; m->steps++; NEXT(1); }
static int64_t op_load(vm *m, const int32_t *pc) { m->stack[m->sp - 1] = m->mem[m->stack[m->sp - 1] & 4095]; m->steps++; NEXT(1); }
static int64_t op_store(vm *m, const int32_t *pc) {
  m->sp -= 2;
  m->mem[m->stack[m->sp + 1] & 4095] = m->stack[m->sp];
  m->steps++;
  NEXT(1);
}
static int64_t op_call(vm *m, const int32_t *pc) { m->ret[m->rsp++] = pc + 2; m->steps++; pc += pc[1]; NEXT(0); }
static int64_t op_ret(vm *m, const int32_t *pc) { m->steps++; pc = m->ret[--m->rsp]; NEXT(0); }
static int64_t op_print(vm *m, const int32_t *pc) { printf("  %lld\n", (long long)m->stack[--m->sp]); m->steps++; NEXT(1); }
static int64_t op_halt(vm *m, const int32_t *pc) { (void)pc; m->steps++; return m->sp ? m->stack[m->sp - 1] : 0; }

static handler *const table[NOPS] = {
  op_push, op_add, op_sub, op_mul, op_dup, op_swap, op_drop, op_jz, op_jmp, op_lt, op_load,
  op_store, op_call, op_ret, op_print, op_halt,
};

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

int main(void) {
  static vm m;
  static const struct { const char *name; const int32_t *code; } progs[] = {
    {"sum of squares below 30000", sum_squares},
    {"primes below 4000", sieve},
    {"fib(22)", fib},
  };
  for (size_t i = 0; i < sizeof progs / sizeof progs[0]; i++) {
    memset(&m, 0, sizeof m);
    printf("%s:\n", progs[i].name);
    table[progs[i].code[0]](&m, progs[i].code);
    printf("  %llu steps\n", (unsigned long long)m.steps);
  }
  return 0;
}

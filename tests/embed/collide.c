/*
** collide.c -- a program that defines names inro uses inside its library
** (err_set, memory_grow, wasi_new, sha256), with types of its own, and
** links the installed libinro.a (`make embed-example` builds it as
** BUILD/embed/collide; tests/embed.sh runs it).  The link succeeds because
** the library's internal symbols are local (docs/embedding.md), and each
** side calls its own: inro's err_set reports the malformed module, its
** memory_grow grows a memory, its wasi_new makes a WASI state.  Prints one
** line, exits 0 when every call behaved.
*/
#include <stdio.h>
#include <string.h>

#include "inro.h"

int err_set(int x);
const char *wasi_new(void);
unsigned memory_grow = 7;
unsigned sha256[2] = {1, 2};

int err_set(int x) { return x + 1; }
const char *wasi_new(void) { return "mine"; }

int main(void) {
  static const uint8_t bad[] = {0, 'a', 's', 'm', 9, 0, 0, 0};
  inro_error bad_err, err;
  int ok = 1;
  if (inro_module_new(bad, sizeof bad, &bad_err) || bad_err.kind != INRO_ERR_MALFORMED ||
      !bad_err.message[0])
    ok = 0, fprintf(stderr, "collide: inro_module_new: no malformed error\n");
  inro_store *store = inro_store_new(NULL, &err);
  inro_memory *mem = store ? inro_memory_new(store, 1, 4, &err) : NULL;
  if (!mem || inro_memory_grow(mem, 2) != 1 || inro_memory_size(mem) != 3 * INRO_PAGE_SIZE)
    ok = 0, fprintf(stderr, "collide: inro_memory_grow did not grow\n");
  inro_wasi *wasi = inro_wasi_new(&err);
  if (!wasi || !inro_wasi_arg(wasi, "collide", &err))
    ok = 0, fprintf(stderr, "collide: inro_wasi_new failed\n");
  if (err_set(1) != 2 || strcmp(wasi_new(), "mine") || memory_grow != 7 || sha256[1] != 2)
    ok = 0, fprintf(stderr, "collide: the program's own names were not its own\n");
  printf("collide: err_set %d, wasi_new %s, memory_grow %u; inro's: \"%s\", %llu bytes\n",
         err_set(1), wasi_new(), memory_grow, bad_err.message,
         mem ? (unsigned long long)inro_memory_size(mem) : 0ull);
  inro_wasi_free(wasi);
  inro_store_free(store);
  return ok ? 0 : 1;
}

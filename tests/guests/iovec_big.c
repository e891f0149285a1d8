/*
** iovec_big.c -- one fd_write of three buffers holding more than 2 GiB in
** all: 0x7FFF0000 zero bytes, 0x10000 bytes 'B', then "HELLO".  A host
** writes at most about 2 GiB at once, so the write is short; what lands
** on stdout must still be a prefix of the concatenation (POSIX writev: a
** short write stops, it never skips a buffer).  The count goes to stderr
** for tests/guests.sh to check the last bytes against.
**
** The zeros are fresh pages from memory.grow, which Wasm guarantees are
** zero, so that nothing touches 2 GiB (malloc would).
*/
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/uio.h>

#define ZEROS 0x7FFF0000u
#define BS 0x10000u

static char bs[BS];
static char hello[] = "HELLO";

int main(void) {
  size_t pages = ZEROS / 65536;
  size_t old = __builtin_wasm_memory_grow(0, pages);
  if (old == SIZE_MAX) {
    fprintf(stderr, "cannot grow memory by 2 GiB\n");
    return 2;
  }
  memset(bs, 'B', sizeof bs);
  struct iovec iov[3] = {
    {(void *)(uintptr_t)(old * 65536), ZEROS},
    {bs, BS},
    {hello, 5},
  };
  ssize_t n = writev(1, iov, 3);
  if (n < 0) {
    perror("writev");
    return 1;
  }
  fprintf(stderr, "wrote %zd of %u bytes\n", n, ZEROS + BS + 5);
  return 0;
}

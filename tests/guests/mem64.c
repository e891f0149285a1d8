/* mem64.c -- a program for a 64-bit memory (memory64: clang
** --target=wasm64, no libc).  run(n, base) grows its memory to `base`
** MiB plus 256 MiB and keeps a table of 64-bit counters in those 256 MiB,
** one on each 64 KiB page (so only the pages it touches ever hold data,
** and a snapshot of it stays small), then returns a checksum of n
** updates, the same for every base: `inro run --invoke run mem64.wasm N
** 4096` puts the table above the 4 GiB that a 32-bit address reaches,
** and tests/guests.sh compares its checksum with node's (whose 64-bit
** memories stop at 4 GiB: a lower base there) and inro.wasm's.  A host
** that cannot give the memory makes memory.grow fail: the result is 0. */
#include <stdint.h>

#define PAGE 65536ull
#define SLOTS 4096ull /* 256 MiB of pages */

static uint64_t mix(uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdull;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ull;
  return x ^ (x >> 33);
}

__attribute__((export_name("run"))) uint64_t run(uint64_t n, uint64_t base_mib) {
  uint64_t base = base_mib << 20;
  uint64_t want = (base + SLOTS * PAGE) / PAGE, have = __builtin_wasm_memory_size(0);
  if (have < want && __builtin_wasm_memory_grow(0, want - have) == (uint64_t)-1) return 0;
  volatile uint64_t *table = (volatile uint64_t *)(uintptr_t)base;
  for (uint64_t i = 0; i < n; i++) {
    uint64_t h = mix(i);
    table[(h % 61) * (PAGE / 8) * 67] += h >> 32; /* 61 slots, 67 pages apart */
  }
  uint64_t sum = 0;
  for (uint64_t s = 0; s < 61; s++) sum = mix(sum ^ table[s * (PAGE / 8) * 67]);
  return sum;
}

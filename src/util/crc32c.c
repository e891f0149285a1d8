/*
** crc32c.c -- CRC-32C, reflected polynomial 0x82F63B78.
** crc32c(0, "123456789", 9) == 0xE3069283.
**
** Two implementations of the same function.  The portable one reads eight
** bytes per step through eight tables ("slicing-by-8"), about five times
** the speed of one table lookup per byte; it is what inro.wasm runs.  Where
** the CPU has an instruction for CRC-32C (x86-64 with SSE 4.2, checked at
** run time; AArch64 built with the CRC extension) that instruction does
** eight bytes at a time, roughly ten times faster again: a snapshot's
** memory is checksummed once when written and once when read, so this is
** most of what checksumming a large snapshot costs.  tests/stream_test.c
** checks that both give the same results.
*/
#include "util/crc32c.h"

static uint32_t table[8][256];
static int table_ready;

static void table_init(void) {
  for (uint32_t i = 0; i < 256; i++) {
    uint32_t c = i;
    for (int k = 0; k < 8; k++) c = c & 1 ? (c >> 1) ^ 0x82F63B78u : c >> 1;
    table[0][i] = c;
  }
  for (uint32_t i = 0; i < 256; i++)
    for (int t = 1; t < 8; t++)
      table[t][i] = (table[t - 1][i] >> 8) ^ table[0][table[t - 1][i] & 0xFF];
  table_ready = 1;
}

uint32_t crc32c_portable(uint32_t crc, const uint8_t *p, size_t len) {
  if (!table_ready) table_init();
  crc = ~crc;
  for (; len >= 8; p += 8, len -= 8) {
    uint32_t lo = crc ^ ((uint32_t)p[0] | (uint32_t)p[1] << 8 |
                         (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24);
    crc = table[7][lo & 0xFF] ^ table[6][(lo >> 8) & 0xFF] ^
          table[5][(lo >> 16) & 0xFF] ^ table[4][lo >> 24] ^
          table[3][p[4]] ^ table[2][p[5]] ^ table[1][p[6]] ^ table[0][p[7]];
  }
  for (; len > 0; p++, len--) crc = table[0][(crc ^ *p) & 0xFF] ^ (crc >> 8);
  return ~crc;
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define CRC32C_HW "x86-64 SSE 4.2"
#include <string.h>

__attribute__((target("sse4.2")))
static uint32_t crc32c_hw(uint32_t crc, const uint8_t *p, size_t len) {
  uint64_t c = ~crc;
  for (; len > 0 && ((uintptr_t)p & 7); p++, len--)
    c = __builtin_ia32_crc32qi((uint32_t)c, *p);
  for (; len >= 8; p += 8, len -= 8) {
    uint64_t v;
    memcpy(&v, p, 8); /* aligned here; memcpy keeps it defined */
    c = __builtin_ia32_crc32di(c, v);
  }
  for (; len > 0; p++, len--) c = __builtin_ia32_crc32qi((uint32_t)c, *p);
  return ~(uint32_t)c;
}

static int hw_state; /* 0 unknown, 1 yes, -1 no */

static int hw_present(void) {
  if (!hw_state) {
    __builtin_cpu_init();
    hw_state = __builtin_cpu_supports("sse4.2") ? 1 : -1;
  }
  return hw_state > 0;
}
#elif defined(__aarch64__) && defined(__ARM_FEATURE_CRC32)
#define CRC32C_HW "AArch64 CRC"
#include <arm_acle.h>
#include <string.h>

static uint32_t crc32c_hw(uint32_t crc, const uint8_t *p, size_t len) {
  uint32_t c = ~crc;
  for (; len > 0 && ((uintptr_t)p & 7); p++, len--) c = __crc32cb(c, *p);
  for (; len >= 8; p += 8, len -= 8) {
    uint64_t v;
    memcpy(&v, p, 8);
    c = __crc32cd(c, v);
  }
  for (; len > 0; p++, len--) c = __crc32cb(c, *p);
  return ~c;
}

static int hw_present(void) { return 1; }
#endif

#ifdef CRC32C_HW
const char *crc32c_hardware(void) { return hw_present() ? CRC32C_HW : NULL; }

uint32_t crc32c(uint32_t crc, const uint8_t *data, size_t len) {
  return hw_present() ? crc32c_hw(crc, data, len) : crc32c_portable(crc, data, len);
}
#else
const char *crc32c_hardware(void) { return NULL; }

uint32_t crc32c(uint32_t crc, const uint8_t *data, size_t len) {
  return crc32c_portable(crc, data, len);
}
#endif

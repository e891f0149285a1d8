/*
** crc32c.c -- CRC-32C, reflected polynomial 0x82F63B78, table-driven.
** crc32c(0, "123456789", 9) == 0xE3069283.
*/
#include "util/crc32c.h"

static uint32_t table[256];
static int ready;

static void init(void) {
  for (uint32_t i = 0; i < 256; i++) {
    uint32_t c = i;
    for (int k = 0; k < 8; k++) c = c & 1 ? (c >> 1) ^ 0x82F63B78u : c >> 1;
    table[i] = c;
  }
  ready = 1;
}

uint32_t crc32c(uint32_t crc, const uint8_t *data, size_t len) {
  if (!ready) init();
  crc = ~crc;
  for (size_t i = 0; i < len; i++) crc = table[(crc ^ data[i]) & 0xFF] ^ (crc >> 8);
  return ~crc;
}
